#include "projections/registry.hpp"

#include "projections/stream_catalog.hpp"

namespace docledger::projections {

std::vector<std::shared_ptr<const Projection>> BuiltInProjections() {
  return {std::make_shared<StreamCatalog>()};
}

}  // namespace docledger::projections
