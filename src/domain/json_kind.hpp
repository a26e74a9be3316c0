// The one typed reader of JSON values: which kind of value a field must hold, whether a
// value is of that kind, and the words that say so in an error. Request bodies (api
// BodyReader: every problem collected for one 422) and event payloads (event_mapping:
// a DecodeError) both read through it.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace docledger::domain {

enum class JsonKind { kString, kInteger, kBoolean, kObject, kArray };

bool IsKind(const nlohmann::json& value, JsonKind kind);
// "a string", "an integer", "a boolean", "an object", "an array".
const char* KindWord(JsonKind kind);
// The member `key` of `object` when it is there and not null; nullptr otherwise.
const nlohmann::json* PresentMember(const nlohmann::json& object, std::string_view key);

}  // namespace docledger::domain
