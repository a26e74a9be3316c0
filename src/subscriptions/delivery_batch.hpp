// One delivery of a subscription: the matching events after its cursor, as the JSON body
// it POSTs, with the id receivers deduplicate by. Pure: no I/O.
//
// The body: {"subscription_id", "after_sequence", "through_sequence", "events": [...]},
// each event as GET /api/v1/events shows it (payloads as stored: docs/erasure.md). A
// delivery covers the range (after_sequence, through_sequence] of the log: every matching
// event in it, and none outside; its webhook-id is made from the subscription and the
// range, so a batch sent again (after a crash, a timeout) carries the same id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/event.hpp"

namespace docledger::subscriptions {

struct DeliveryBatch {
  std::int64_t after = 0;
  std::int64_t through = 0;
  std::size_t event_count = 0;
  std::string webhook_id;
  std::string body;
};

// "msg_<subscription id without dashes>_<after>_<through>".
std::string WebhookId(const std::string& subscription_id, std::int64_t after, std::int64_t through);

// The batch of `events` (matching, in sequence order, all after `after`) that fits in
// `max_body_bytes`: all of them, covering up to `bound` (the highest sequence they were
// read up to), or the longest prefix that fits (at least one event), covering up to its
// last event.
DeliveryBatch MakeBatch(const std::string& subscription_id, std::int64_t after,
                        const std::vector<domain::RecordedEvent>& events, std::int64_t bound,
                        std::size_t max_body_bytes);

// The event as the feed shows it, as JSON text (the stored payload and metadata are
// copied, not parsed).
std::string EventJsonText(const domain::RecordedEvent& event);

}  // namespace docledger::subscriptions
