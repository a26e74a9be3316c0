#include "projection_runtime/projector_range.hpp"

#include <algorithm>

#include <pqxx/pqxx>

#include "eventstore/event_rows.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::projection_runtime {

namespace statements = infrastructure::statements;

namespace {

// The highest sequence that may be read now: the head, no further than any dependency's
// checkpoint, nor than `target` when >= 0.
std::int64_t UpperBound(pqxx::connection& conn, const PreparedProjection& projection, std::int64_t target) {
  pqxx::nontransaction tx(conn);
  std::int64_t bound = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
  for (const auto& dependency : projection.projection->DependsOn()) {
    bound = std::min(bound, tx.exec_prepared1(statements::kDependencyCheckpoint, dependency)[0].as<std::int64_t>());
  }
  if (target >= 0) bound = std::min(bound, target);
  return bound;
}

// Caught up with what may be read: is a dependency what holds us back?
NextBatch::State CaughtUpOrWaiting(pqxx::connection& conn, std::int64_t checkpoint, std::int64_t target) {
  if (target < 0 || checkpoint < target) {
    pqxx::nontransaction tx(conn);
    const auto head = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
    if (head > checkpoint && (target < 0 || target > checkpoint)) return NextBatch::State::kWaitingForDependency;
  }
  return NextBatch::State::kCaughtUp;
}

}  // namespace

NextBatch ReadNextBatch(pqxx::connection& conn, const PreparedProjection& projection, std::int64_t checkpoint,
                        std::int64_t target, std::size_t limit) {
  NextBatch next;
  const auto bound = UpperBound(conn, projection, target);
  if (bound <= checkpoint) {
    next.state = CaughtUpOrWaiting(conn, checkpoint, target);
    return next;
  }
  {
    pqxx::nontransaction tx(conn);
    const auto rows = tx.exec_prepared(statements::kReadRange, checkpoint, bound,
                                       projection.types_array.empty() ? nullptr : projection.types_array.c_str(),
                                       static_cast<std::int64_t>(limit));
    next.events.reserve(rows.size());
    for (const auto& row : rows) next.events.push_back(eventstore::ToRecordedEvent(row));
    OpenPayloads(tx, projection, next.events);
  }
  next.state = NextBatch::State::kReady;
  next.end = next.events.size() == limit ? next.events.back().sequence : bound;
  return next;
}

}  // namespace docledger::projection_runtime
