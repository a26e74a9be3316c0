// The subscription aggregate (docs/subscriptions.md): state from its stream's events, and
// the decisions on it. Where deliveries stand (the cursor) is not here: it is the delivery
// worker's own state, and the events only move it (a rewind, a resume).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/commands.hpp"
#include "domain/domain_events.hpp"

namespace docledger::domain {

inline constexpr std::int64_t kMaxSubscriptionBatch = 1000;

enum class SubscriptionStatus { kActive, kPaused, kFailing };
const char* ToString(SubscriptionStatus status);

struct SubscriptionState {
  bool exists = false;
  bool deleted = false;
  std::string subscription_id;
  std::string url;
  std::vector<std::string> event_types;
  std::string stream_prefix;
  std::int64_t start_after = 0;
  std::int64_t max_batch = 100;
  std::string description;
  SubscriptionStatus status = SubscriptionStatus::kActive;
  std::string failing_error;  // the last error when it was marked failing
  std::int64_t secret_version = 1;
  std::int64_t version = 0;  // stream version the state was built from

  bool live() const { return exists && !deleted; }
};

SubscriptionState Evolve(SubscriptionState state, const DomainEvent& event);

// Throw ValidationError (bad input), NotFound or Conflict; otherwise the events to append
// (none when nothing changes).
std::vector<DomainEvent> Decide(const SubscriptionState& state, const CreateSubscription& command);
std::vector<DomainEvent> Decide(const SubscriptionState& state, const UpdateSubscription& command);
std::vector<DomainEvent> Decide(const SubscriptionState& state, const RewindSubscription& command);
// None unless the subscription is active (a paused or deleted one is not failing).
std::vector<DomainEvent> Decide(const SubscriptionState& state, const MarkSubscriptionFailing& command);
std::vector<DomainEvent> Decide(const SubscriptionState& state, const RotateSubscriptionSecret& command);
std::vector<DomainEvent> Decide(const SubscriptionState& state, const DeleteSubscription& command);

// Whether an event of `event_type` on `stream_id` is one the subscription delivers.
bool Matches(const std::vector<std::string>& event_types, const std::string& stream_prefix,
             const std::string& event_type, const std::string& stream_id);

}  // namespace docledger::domain
