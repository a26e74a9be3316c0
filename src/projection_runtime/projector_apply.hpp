// Applying a projection's events inside a transaction the caller owns (a batch's, or a
// parked retry's): a projection's row changes go through a BatchedRowWriter; a reactor's
// appends (Reactor::React) are collected and go last, so the event store's order lock,
// which the first of them takes, is held only for those few statements and the commit.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/transaction_base>

#include "domain/event.hpp"
#include "infrastructure/document_keys.hpp"
#include "projection_runtime/batched_row_writer.hpp"
#include "projections/projection.hpp"

namespace docledger::projection_runtime {

// A projection with what the runtime derives from it once: its name, its tables (written,
// read, outbox), its event types and dependencies as text[] literals, whether it is a
// reactor, and whether effects outside its own tables happen (external_effects).
struct PreparedProjection {
  PreparedProjection(std::shared_ptr<const projections::Projection> projection, bool external_effects,
                     std::shared_ptr<const infrastructure::DocumentKeys> keys = nullptr);

  std::shared_ptr<const projections::Projection> projection;
  std::string name;
  std::vector<projections::TableSpec> tables;
  std::vector<projections::TableSpec> read_tables;
  std::vector<projections::TableSpec> outbox_tables;
  const projections::Reactor* reactor;  // non-null when the projection is a reactor
  std::string types_array;              // text[] literal of the event types, or empty for all
  std::string dependencies_array;       // text[] literal of DependsOn(), or empty
  bool external_effects;                // outbox rows and ProjectionParked events
  // Opens sealed payloads before Apply and seals a reactor's appends (docs/erasure.md);
  // nullptr: payloads are passed as stored (tests of the runtime alone).
  std::shared_ptr<const infrastructure::DocumentKeys> keys;
};

// Opens the sealed payloads of `events` when the projection has keys.
void OpenPayloads(pqxx::transaction_base& tx, const PreparedProjection& projection,
                  std::vector<domain::RecordedEvent>& events);

// Events applied in one transaction. Each event passed to Apply must outlive Finish().
class EventApplier {
 public:
  EventApplier(pqxx::transaction_base& tx, const PreparedProjection& projection);
  // The event's row changes (buffered), or the reactor's appends (collected).
  void Apply(const domain::RecordedEvent& event);
  // Writes the buffered rows, then the reactor's appends.
  void Finish();

 private:
  pqxx::transaction_base& tx_;
  const PreparedProjection& projection_;
  BatchedRowWriter writer_;
  std::vector<std::pair<const domain::RecordedEvent*, domain::AppendRequest>> reactions_;
};

}  // namespace docledger::projection_runtime
