#include "projection_runtime/projector_batch.hpp"

#include <algorithm>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/logging.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/projector_errors.hpp"
#include "projection_runtime/projector_parking.hpp"

namespace docledger::projection_runtime {

using infrastructure::DescribeError;
using infrastructure::LogEvent;
namespace statements = infrastructure::statements;

namespace {

// A reactor's batch holds the event store's order lock from its first append to its commit,
// and every writer waits meanwhile: its batches are kept small.
constexpr std::size_t kMaxReactorBatch = 100;

// Returns false when the checkpoint had moved (nothing written; `progress` resumed at the
// checkpoint found).
bool CommitBatch(pqxx::connection& conn, const PreparedProjection& projection,
                 const std::vector<domain::RecordedEvent>& events, std::int64_t expected, std::int64_t new_checkpoint,
                 ProgressTracker& progress) {
  pqxx::work tx(conn);
  const auto current = tx.exec_prepared1(statements::kCheckpointLock, projection.name)[0].as<std::int64_t>();
  if (current != expected) {
    LogEvent(spdlog::level::warn, "projector checkpoint moved under us; reloading",
             {{"projection", projection.name}, {"expected", expected}, {"found", current}});
    progress.Resumed(current);
    return false;
  }
  // Under the row lock: a swap by a rebuild, a `parked skip` or a retry changes the parked
  // rows only while holding it, so this view is exact for the whole batch.
  const auto held = LoadHeldStreams(tx, projection);
  EventApplier applier(tx, projection);
  std::size_t applied = 0;
  for (const auto& event : events) {
    const auto parked = held.find(event.stream_id);
    if (parked != held.end()) {
      HoldBehind(tx, projection.name, event, parked->second);
      continue;
    }
    applier.Apply(event);
    ++applied;
  }
  // A reactor's appends go last, so the event store's order lock (taken by the first of
  // them) is held only for these few statements and the commit.
  applier.Finish();
  const auto advanced = tx.exec_prepared(statements::kCheckpointAdvance, projection.name, new_checkpoint, expected);
  if (advanced.affected_rows() != 1) throw CheckpointMoved("checkpoint moved during the batch");
  tx.commit();
  progress.Committed(new_checkpoint, applied, events.size());
  return true;
}

// Each event in a batch of its own; an event that fails deterministically is parked.
// Stops when the checkpoint moved (the caller reads again).
void ApplyOneByOne(pqxx::connection& conn, const PreparedProjection& projection,
                   const std::vector<domain::RecordedEvent>& events, std::int64_t expected, std::int64_t new_checkpoint,
                   ProgressTracker& progress) {
  for (const auto& event : events) {
    try {
      if (!CommitBatch(conn, projection, {event}, expected, event.sequence, progress)) return;  // moved: re-read
    } catch (const std::exception& e) {
      if (!IsPermanent(e)) throw;
      Park(conn, projection, event, DescribeError(e), expected, progress);
    }
    expected = event.sequence;
  }
  if (new_checkpoint > expected) CommitBatch(conn, projection, {}, expected, new_checkpoint, progress);
}

}  // namespace

std::size_t BatchLimit(const PreparedProjection& projection, std::size_t batch_size) {
  return projection.reactor != nullptr ? std::min(batch_size, kMaxReactorBatch) : batch_size;
}

void ApplyBatch(pqxx::connection& conn, const PreparedProjection& projection,
                const std::vector<domain::RecordedEvent>& events, std::int64_t expected, std::int64_t end,
                ProgressTracker& progress) {
  try {
    CommitBatch(conn, projection, events, expected, end, progress);
  } catch (const std::exception& e) {
    if (!IsPermanent(e)) throw;
    LogEvent(spdlog::level::warn, "projector batch failed; applying its events one by one",
             {{"projection", projection.name}, {"after_sequence", expected}, {"to_sequence", end},
              {"error", DescribeError(e)}});
    ApplyOneByOne(conn, projection, events, expected, end, progress);
  }
}

}  // namespace docledger::projection_runtime
