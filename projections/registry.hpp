// The projections built into docledger, in dependency order.
#pragma once

#include <memory>
#include <vector>

#include "projections/projection.hpp"

namespace docledger::projections {

std::vector<std::shared_ptr<const Projection>> BuiltInProjections();

}  // namespace docledger::projections
