#include "domain/subscription.hpp"

#include <algorithm>
#include <set>

#include "domain/command_rules.hpp"

namespace docledger::domain {
namespace {

void CheckUrl(IssueList& issues, const std::string& url) {
  issues.RequireText("/url", url, 1024);
  const bool http = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  if (!url.empty() && !http) issues.Add("/url", "must be an http:// or https:// URL");
  const auto host_start = url.find("://");
  if (http && (host_start + 3 >= url.size() || url.find_first_of("/?#", host_start + 3) == host_start + 3)) {
    issues.Add("/url", "must name a host");
  }
  if (url.find_first_of(" \t\r\n") != std::string::npos) issues.Add("/url", "must not contain white space");
}

void CheckEventTypes(IssueList& issues, const std::vector<std::string>& types) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const auto path = "/event_types/" + std::to_string(i);
    if (!IsDomainEventType(types[i])) issues.Add(path, "\"" + types[i] + "\" is not an event type of the catalogue");
    if (!seen.insert(types[i]).second) issues.Add(path, "\"" + types[i] + "\" is listed twice");
  }
}

void CheckBatch(IssueList& issues, std::int64_t max_batch) {
  if (max_batch < 1 || max_batch > kMaxSubscriptionBatch) {
    issues.Add("/max_batch", "must be between 1 and " + std::to_string(kMaxSubscriptionBatch));
  }
}

void RequireLive(const SubscriptionState& state, const std::string& id) {
  if (!state.live()) throw NotFound("subscription " + id + " not found");
}

template <typename T>
void SetIfChanged(std::optional<T>& out, const std::optional<T>& wanted, const T& current) {
  if (wanted && *wanted != current) out = wanted;
}

}  // namespace

const char* ToString(SubscriptionStatus status) {
  switch (status) {
    case SubscriptionStatus::kActive: return "active";
    case SubscriptionStatus::kPaused: return "paused";
    case SubscriptionStatus::kFailing: return "failing";
  }
  return "active";
}

SubscriptionState Evolve(SubscriptionState state, const DomainEvent& event) {
  ++state.version;
  if (const auto* c = std::get_if<SubscriptionCreated>(&event)) {
    state.exists = true;
    state.subscription_id = c->subscription_id;
    state.url = c->url;
    state.event_types = c->event_types;
    state.stream_prefix = c->stream_prefix;
    state.start_after = c->start_after;
    state.max_batch = c->max_batch;
    state.description = c->description;
  } else if (const auto* u = std::get_if<SubscriptionUpdated>(&event)) {
    if (u->url) state.url = *u->url;
    if (u->event_types) state.event_types = *u->event_types;
    if (u->stream_prefix) state.stream_prefix = *u->stream_prefix;
    if (u->max_batch) state.max_batch = *u->max_batch;
    if (u->description) state.description = *u->description;
  } else if (std::holds_alternative<SubscriptionPaused>(event)) {
    state.status = SubscriptionStatus::kPaused;
  } else if (std::holds_alternative<SubscriptionResumed>(event)) {
    state.status = SubscriptionStatus::kActive;
    state.failing_error.clear();
  } else if (const auto* f = std::get_if<SubscriptionFailing>(&event)) {
    state.status = SubscriptionStatus::kFailing;
    state.failing_error = f->last_error;
  } else if (const auto* r = std::get_if<SubscriptionSecretRotated>(&event)) {
    state.secret_version = r->secret_version;
  } else if (std::holds_alternative<SubscriptionDeleted>(event)) {
    state.deleted = true;
  }
  return state;
}

std::vector<DomainEvent> Decide(const SubscriptionState& state, const CreateSubscription& command) {
  if (state.exists) throw Conflict("subscription " + command.subscription_id + " already exists");
  IssueList issues;
  issues.RequireUuid("/subscription_id", command.subscription_id);
  CheckUrl(issues, command.url);
  CheckEventTypes(issues, command.event_types);
  issues.RequireText("/stream_prefix", command.stream_prefix, 200, false);
  CheckBatch(issues, command.max_batch);
  issues.RequireText("/description", command.description, 1024, false);
  if (command.start_after < 0) issues.Add("/start", "must be \"now\", \"beginning\" or a sequence >= 0");
  issues.ThrowIfAny();
  return {SubscriptionCreated{command.subscription_id, command.url, command.event_types, command.stream_prefix,
                              command.start_after, command.max_batch, command.description}};
}

std::vector<DomainEvent> Decide(const SubscriptionState& state, const UpdateSubscription& command) {
  RequireLive(state, command.subscription_id);
  IssueList issues;
  if (command.url) CheckUrl(issues, *command.url);
  if (command.event_types) CheckEventTypes(issues, *command.event_types);
  if (command.stream_prefix) issues.RequireText("/stream_prefix", *command.stream_prefix, 200, false);
  if (command.max_batch) CheckBatch(issues, *command.max_batch);
  if (command.description) issues.RequireText("/description", *command.description, 1024, false);
  issues.ThrowIfAny();
  std::vector<DomainEvent> out;
  SubscriptionUpdated updated{state.subscription_id, {}, {}, {}, {}, {}};
  SetIfChanged(updated.url, command.url, state.url);
  SetIfChanged(updated.event_types, command.event_types, state.event_types);
  SetIfChanged(updated.stream_prefix, command.stream_prefix, state.stream_prefix);
  SetIfChanged(updated.max_batch, command.max_batch, state.max_batch);
  SetIfChanged(updated.description, command.description, state.description);
  if (updated.url || updated.event_types || updated.stream_prefix || updated.max_batch || updated.description) {
    out.push_back(updated);
  }
  if (command.paused && *command.paused && state.status != SubscriptionStatus::kPaused) {
    out.push_back(SubscriptionPaused{state.subscription_id, ""});
  } else if (command.paused && !*command.paused && state.status != SubscriptionStatus::kActive) {
    out.push_back(SubscriptionResumed{state.subscription_id});
  }
  return out;
}

std::vector<DomainEvent> Decide(const SubscriptionState& state, const RewindSubscription& command) {
  RequireLive(state, command.subscription_id);
  IssueList issues;
  if (command.after < 0) issues.Add("/after", "must be a sequence >= 0");
  issues.ThrowIfAny();
  return {SubscriptionRewound{state.subscription_id, command.after}};
}

std::vector<DomainEvent> Decide(const SubscriptionState& state, const MarkSubscriptionFailing& command) {
  if (!state.live() || state.status != SubscriptionStatus::kActive) return {};
  return {SubscriptionFailing{state.subscription_id, command.failures, command.cursor, command.last_error}};
}

std::vector<DomainEvent> Decide(const SubscriptionState& state, const RotateSubscriptionSecret& command) {
  RequireLive(state, command.subscription_id);
  return {SubscriptionSecretRotated{state.subscription_id, command.secret_version, command.previous_valid_until}};
}

std::vector<DomainEvent> Decide(const SubscriptionState& state, const DeleteSubscription& command) {
  RequireLive(state, command.subscription_id);
  return {SubscriptionDeleted{state.subscription_id}};
}

bool Matches(const std::vector<std::string>& event_types, const std::string& stream_prefix,
             const std::string& event_type, const std::string& stream_id) {
  const bool type_ok =
      event_types.empty() || std::find(event_types.begin(), event_types.end(), event_type) != event_types.end();
  return type_ok && stream_id.compare(0, stream_prefix.size(), stream_prefix) == 0;
}

}  // namespace docledger::domain
