// The port through which the domain and the application use the event log. Adapters:
// PostgresEventStore (production) and InMemoryEventStore (fast tests); one contract test
// suite (tests/support/event_store_contract.hpp) runs against both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "domain/event.hpp"

namespace docledger::domain {

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends request.events to request.stream_id if request.expected matches.
  // Throws ValidationError, WrongExpectedVersion, EventIdConflict or StoreUnavailable.
  // Re-appending events whose ids are recorded with the same stream, type and payload is
  // a no-op that returns the original positions (already_recorded = true).
  virtual AppendResult Append(const AppendRequest& request) = 0;

  // Events of one stream with stream_version >= from_version, at most `max`, in order.
  virtual std::vector<RecordedEvent> ReadStream(const std::string& stream_id,
                                                std::int64_t from_version, std::size_t max) = 0;

  // Events of the whole log with sequence > after_sequence, at most `max`, in order.
  // Memory is bounded by `max`; page with the last sequence returned.
  virtual std::vector<RecordedEvent> ReadAll(std::int64_t after_sequence, std::size_t max) = 0;

  // The stream's current version (0 when it has no events).
  virtual std::int64_t StreamVersion(const std::string& stream_id) = 0;

  // The highest committed sequence (0 for an empty log).
  virtual std::int64_t HeadSequence() = 0;

  // Visits every event after `after_sequence`, in order, in pages of `page_size`; returns
  // the last sequence visited (or after_sequence). Memory is bounded by two pages. The
  // default pages with ReadAll; adapters may fetch the next page while this one is visited.
  virtual std::int64_t ForEachEvent(std::int64_t after_sequence, std::size_t page_size,
                                    const std::function<void(const RecordedEvent&)>& visit);
};

// Same as store.ForEachEvent(...).
inline std::int64_t ForEachEvent(EventStore& store, std::int64_t after_sequence, std::size_t page_size,
                                 const std::function<void(const RecordedEvent&)>& visit) {
  return store.ForEachEvent(after_sequence, page_size, visit);
}

}  // namespace docledger::domain
