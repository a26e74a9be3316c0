// Events as plain values: what a client asks to append, and what the log holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/expected_version.hpp"

namespace docledger::domain {

// An event a client wants to append. Payload and metadata are JSON object texts; the
// event id is a canonical lower-case UUID (the server assigns one when the client gives
// none, so that a retried append is always recognised as the same event).
struct NewEvent {
  std::string event_id;
  std::string event_type;
  int schema_version = 1;
  std::string payload = "{}";
  std::string metadata = "{}";
};

// An event as recorded in the log.
struct RecordedEvent {
  std::int64_t sequence = 0;
  std::string event_id;
  std::string stream_id;
  std::int64_t stream_version = 0;
  std::string event_type;
  int schema_version = 1;
  std::string payload;
  std::string metadata;
  std::string recorded_at;  // ISO-8601 text as stored
  // Set when the payload was sealed and its document has been erased: the content fields
  // hold empty values of their kinds (docs/erasure.md). Never stored.
  bool content_erased = false;
};

struct AppendRequest {
  std::string stream_id;
  ExpectedVersion expected = ExpectedVersion::Any();
  std::vector<NewEvent> events;
};

struct EventPosition {
  std::string event_id;
  std::int64_t stream_version = 0;
  std::int64_t sequence = 0;

  friend bool operator==(const EventPosition&, const EventPosition&) = default;
};

struct AppendResult {
  std::string stream_id;
  std::vector<EventPosition> positions;  // in stream order
  std::int64_t stream_version = 0;        // the stream's version after the append
  bool already_recorded = false;          // idempotent re-append: nothing was written

  std::int64_t LastSequence() const { return positions.empty() ? 0 : positions.back().sequence; }
};

}  // namespace docledger::domain
