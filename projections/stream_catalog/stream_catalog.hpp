// stream_catalog: one row per stream (version, first and last sequence, last event type,
// created/updated times). Every event type.
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class StreamCatalog final : public Projection {
 public:
  std::string Name() const override { return "stream_catalog"; }
  std::vector<std::string> EventTypes() const override { return {}; }
  bool ReadsContent() const override { return false; }  // positions and types only
  std::vector<TableSpec> Tables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
