// The pure decision of an append: given the stream's current version and what the log
// already holds under the request's event ids, what happens? The SQL function
// docledger_append (sql/001_event_store.sql) applies the same rules set-wise.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/event.hpp"

namespace docledger::domain {

enum class AppendOutcome { kWrite, kAlreadyRecorded, kIdConflict, kVersionConflict };

struct AppendPlan {
  AppendOutcome outcome = AppendOutcome::kWrite;
  std::int64_t current_version = 0;  // the stream's version before the append
};

// `recorded_with_same_ids`: the recorded events whose ids occur in request.events.
AppendPlan PlanAppend(const AppendRequest& request, std::int64_t current_version,
                      const std::vector<RecordedEvent>& recorded_with_same_ids);

// Same stream, type and payload (payload compared as JSON values, not as text).
bool IsSameEvent(const RecordedEvent& recorded, const std::string& stream_id,
                 const NewEvent& candidate);

}  // namespace docledger::domain
