// projects: one row per live project — name, description, JSON Schema, entity types,
// schema revision, whether extractions exist (the schema is then locked unless forced).
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class Projects final : public Projection {
 public:
  std::string Name() const override { return "projects"; }
  std::vector<std::string> EventTypes() const override {
    return {"ProjectCreated", "ProjectUpdated", "ProjectDeleted", "ProjectExtractionsStarted"};
  }
  std::vector<TableSpec> Tables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
