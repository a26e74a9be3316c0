// Precompiled header of the pure libraries (-Dpch=true): the standard library and
// nlohmann/json only, so the domain stays free of infrastructure headers.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
