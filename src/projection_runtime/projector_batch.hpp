// One batch of a projector, applied in ONE transaction: lock the checkpoint row and check
// that it is where the runner left it, hold the events of held streams behind their parked
// event, apply the others (EventApplier), advance the checkpoint with a compare-and-swap,
// commit. A batch that fails deterministically is re-run event by event, and the event
// that fails is parked (projector_parking) while the others are applied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <pqxx/connection>

#include "domain/event.hpp"
#include "projection_runtime/projector_apply.hpp"
#include "projection_runtime/projector_progress.hpp"

namespace docledger::projection_runtime {

// The most events one batch of `projection` holds: `batch_size`, and at most 100 for a
// reactor, whose batch holds the event store's order lock from its first append to its
// commit while every writer waits.
std::size_t BatchLimit(const PreparedProjection& projection, std::size_t batch_size);

// Applies `events`, read after the checkpoint `expected`, and moves the checkpoint to
// `end`; records each commit and park in `progress`. Stops early when the checkpoint moved
// under us (`progress` then holds the one found). Transient failures are thrown: the
// caller reconnects and reads the batch again.
void ApplyBatch(pqxx::connection& conn, const PreparedProjection& projection,
                const std::vector<domain::RecordedEvent>& events, std::int64_t expected, std::int64_t end,
                ProgressTracker& progress);

}  // namespace docledger::projection_runtime
