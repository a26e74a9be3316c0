// The events a projector's next batch holds: up to a batch's worth after the checkpoint,
// never past the head of the log, the checkpoint of a projection it depends on (it never
// runs ahead of its dependencies), or the target of a catch-up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <pqxx/connection>

#include "domain/event.hpp"
#include "projection_runtime/projector_apply.hpp"

namespace docledger::projection_runtime {

struct NextBatch {
  enum class State {
    kReady,                  // `events` up to `end` are to be applied
    kCaughtUp,               // nothing to read (up to the target, when there is one)
    kWaitingForDependency,   // the log has more, but a dependency has not applied it yet
  };
  State state = State::kCaughtUp;
  std::vector<domain::RecordedEvent> events;  // of the projection's event types
  // The checkpoint once they are applied: the last event of a full batch, the bound
  // otherwise (a short batch covers everything up to the bound).
  std::int64_t end = 0;
};

// Reads the batch after `checkpoint`, at most `limit` events, up to `target` when >= 0.
NextBatch ReadNextBatch(pqxx::connection& conn, const PreparedProjection& projection, std::int64_t checkpoint,
                        std::int64_t target, std::size_t limit);

}  // namespace docledger::projection_runtime
