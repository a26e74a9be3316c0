// jobs: one row per job — kind, status (running | completed | failed), the document or
// project it is for, worker, result, error_type and error ("TypeName: message"), start
// and finish times; duration_ms is computed by PostgreSQL from the two.
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class Jobs final : public Projection {
 public:
  std::string Name() const override { return "jobs"; }
  std::vector<std::string> EventTypes() const override { return {"JobStarted", "JobCompleted", "JobFailed", "DocumentErased"}; }
  std::vector<TableSpec> Tables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
