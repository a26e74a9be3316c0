// Small helpers shared by the operator commands.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "projections/projection.hpp"

namespace docledger::cli {

// The built-in projections named (all when `names` is empty); prints the unknown names
// and the known ones, and returns nullopt, when a name is unknown.
std::optional<std::vector<std::shared_ptr<const projections::Projection>>> SelectProjections(
    const std::vector<std::string>& names);

std::vector<std::string> ProjectionNames();

// This process's name for leases and logs: "<hostname>:<pid>".
std::string InstanceName();

}  // namespace docledger::cli
