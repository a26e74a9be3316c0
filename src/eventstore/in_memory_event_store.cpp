#include "eventstore/in_memory_event_store.hpp"

#include <chrono>

#include "domain/append_plan.hpp"
#include "domain/errors.hpp"
#include "infrastructure/id_generator.hpp"

namespace docledger::eventstore {

using infrastructure::NewRandomUuid;

domain::AppendResult InMemoryEventStore::Append(const domain::AppendRequest& original) {
  domain::AppendRequest request = original;
  for (auto& event : request.events) {
    if (event.event_id.empty()) event.event_id = NewRandomUuid();
  }
  domain::RequireValidAppend(request, limits_);

  std::lock_guard lock(mutex_);
  std::vector<domain::RecordedEvent> recorded;
  for (const auto& event : request.events) {
    if (auto it = by_id_.find(event.event_id); it != by_id_.end()) recorded.push_back(log_[it->second]);
  }
  auto& stream = streams_[request.stream_id];
  const auto current = static_cast<std::int64_t>(stream.size());
  const auto plan = domain::PlanAppend(request, current, recorded);

  domain::AppendResult result;
  result.stream_id = request.stream_id;
  switch (plan.outcome) {
    case domain::AppendOutcome::kVersionConflict:
      throw domain::WrongExpectedVersion(request.stream_id, request.expected.ToString(), current);
    case domain::AppendOutcome::kIdConflict:
      throw domain::EventIdConflict(request.stream_id);
    case domain::AppendOutcome::kAlreadyRecorded:
      for (const auto& event : request.events) {
        const auto& r = log_[by_id_.at(event.event_id)];
        result.positions.push_back({r.event_id, r.stream_version, r.sequence});
      }
      result.stream_version = result.positions.back().stream_version;
      result.already_recorded = true;
      return result;
    case domain::AppendOutcome::kWrite:
      break;
  }
  for (const auto& event : request.events) {
    domain::RecordedEvent r;
    r.sequence = static_cast<std::int64_t>(log_.size()) + 1;
    r.event_id = event.event_id;
    r.stream_id = request.stream_id;
    r.stream_version = static_cast<std::int64_t>(stream.size()) + 1;
    r.event_type = event.event_type;
    r.schema_version = event.schema_version;
    r.payload = event.payload;
    r.metadata = event.metadata;
    by_id_[r.event_id] = log_.size();
    stream.push_back(log_.size());
    result.positions.push_back({r.event_id, r.stream_version, r.sequence});
    log_.push_back(std::move(r));
  }
  result.stream_version = static_cast<std::int64_t>(stream.size());
  return result;
}

std::vector<domain::RecordedEvent> InMemoryEventStore::ReadStream(const std::string& stream_id,
                                                                  std::int64_t from_version,
                                                                  std::size_t max) {
  std::lock_guard lock(mutex_);
  std::vector<domain::RecordedEvent> out;
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return out;
  for (auto index : it->second) {
    if (out.size() >= max) break;
    if (log_[index].stream_version >= from_version) out.push_back(log_[index]);
  }
  return out;
}

std::vector<domain::RecordedEvent> InMemoryEventStore::ReadAll(std::int64_t after_sequence,
                                                               std::size_t max) {
  std::lock_guard lock(mutex_);
  std::vector<domain::RecordedEvent> out;
  for (auto i = static_cast<std::size_t>(std::max<std::int64_t>(after_sequence, 0));
       i < log_.size() && out.size() < max; ++i) {
    out.push_back(log_[i]);
  }
  return out;
}

std::int64_t InMemoryEventStore::StreamVersion(const std::string& stream_id) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? 0 : static_cast<std::int64_t>(it->second.size());
}

std::int64_t InMemoryEventStore::HeadSequence() {
  std::lock_guard lock(mutex_);
  return static_cast<std::int64_t>(log_.size());
}

}  // namespace docledger::eventstore
