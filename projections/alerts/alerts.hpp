// alerts: what operators must hear about, raised by the events that cause it (at most one
// alert per event):
//
//   JobFailed (job of kind embedding)     -> embedding_failure     error    key: error_type
//   JobFailed (any other kind)            -> job_failed            error    key: kind/error_type
//   DocumentDeleted with extractions      -> orphaned_extractions  warning  key: project id
//   RecoveryCompleted                     -> recovery_completed    info     key: "recovery"
//   ProjectionParked                      -> projection_parked     error    key: projection
//
// An alert's id is derived from its type and the source event's sequence (a generated
// column, sql/006), so a rebuild by replay raises the same alerts with the same ids.
//
// Each alert also goes, in the same transaction, into the webhook outbox
// (alert_deliveries, one of OutboxTables()): inserted only when absent, and never part of
// the rebuilt tables, so a replay sends nothing again. The delivery worker
// (alerting/alert_delivery_worker.*) takes it from there.
//
// To list the extractions a deleted document orphans, the projection keeps its own index
// of recorded (and not yet orphaned) extractions per document (alert_document_extractions),
// built from the same log: no dependency on the extractions projection's progress. The
// job's kind comes from the jobs read model (it depends on jobs).
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class Alerts final : public Projection {
 public:
  std::string Name() const override { return "alerts"; }
  std::vector<std::string> EventTypes() const override;
  std::vector<TableSpec> Tables() const override;
  std::vector<TableSpec> OutboxTables() const override;
  std::vector<std::string> DependsOn() const override { return {"jobs"}; }
  std::vector<TableSpec> ReadTables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
