#include "domain/append_plan.hpp"

#include <nlohmann/json.hpp>

namespace docledger::domain {

bool IsSameEvent(const RecordedEvent& recorded, const std::string& stream_id,
                 const NewEvent& candidate) {
  if (recorded.stream_id != stream_id || recorded.event_type != candidate.event_type) {
    return false;
  }
  if (recorded.payload == candidate.payload) return true;
  return nlohmann::json::parse(recorded.payload, nullptr, false) ==
         nlohmann::json::parse(candidate.payload, nullptr, false);
}

AppendPlan PlanAppend(const AppendRequest& request, std::int64_t current_version,
                      const std::vector<RecordedEvent>& recorded_with_same_ids) {
  AppendPlan plan;
  plan.current_version = current_version;
  if (!recorded_with_same_ids.empty()) {
    std::size_t matching = 0;
    for (const auto& event : request.events) {
      for (const auto& recorded : recorded_with_same_ids) {
        if (recorded.event_id == event.event_id && IsSameEvent(recorded, request.stream_id, event)) {
          ++matching;
          break;
        }
      }
    }
    plan.outcome = matching == request.events.size() ? AppendOutcome::kAlreadyRecorded
                                                     : AppendOutcome::kIdConflict;
    return plan;
  }
  plan.outcome = request.expected.Matches(current_version) ? AppendOutcome::kWrite
                                                           : AppendOutcome::kVersionConflict;
  return plan;
}

}  // namespace docledger::domain
