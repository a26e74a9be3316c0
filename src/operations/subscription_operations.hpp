// What the API and `docledger subscriptions` do with outbound subscriptions
// (docs/subscriptions.md): configuration changes go through the command service (events);
// the signing secrets, the cursor and the delivery history are read and written here.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/command_service.hpp"
#include "infrastructure/connection_pool.hpp"
#include "subscriptions/subscription_secrets.hpp"

namespace docledger::operations {

// Where a new subscription starts: after the head of the log now, from the beginning, or
// after a given sequence.
struct SubscriptionStart {
  enum class Kind { kNow, kBeginning, kAfter } kind = Kind::kNow;
  std::int64_t after = 0;
};

struct SubscriptionPolicy {
  // Refuse loopback, private and link-local targets (production; docs/subscriptions.md).
  bool public_addresses_only = false;
  std::chrono::seconds default_overlap{std::chrono::hours(24)};  // of a secret rotation
};

class SubscriptionOperations {
 public:
  SubscriptionOperations(infrastructure::ConnectionPool& pool, domain::CommandService& commands,
                         const subscriptions::SubscriptionSecrets& secrets, SubscriptionPolicy policy)
      : pool_(pool), commands_(commands), secrets_(secrets), policy_(policy) {}

  // The subscription as Get shows it, plus "secret" (shown only here and by RotateSecret).
  nlohmann::json Create(domain::CreateSubscription command, SubscriptionStart start,
                        const domain::CommandContext& context);
  nlohmann::json Update(const domain::UpdateSubscription& command, const domain::CommandContext& context);
  nlohmann::json Rewind(const domain::RewindSubscription& command, const domain::CommandContext& context);
  // {"subscription_id", "secret", "secret_version", "previous_valid_until"}.
  nlohmann::json RotateSecret(const std::string& subscription_id, std::optional<std::chrono::seconds> overlap,
                              const domain::CommandContext& context);
  void Delete(const std::string& subscription_id, const domain::CommandContext& context);

  // Throws domain::NotFound. Configuration, status, and the cursor: where delivery stands,
  // lag, the batch in flight, failures, the lease holder.
  nlohmann::json Get(const std::string& subscription_id);
  // {"subscriptions": [...]}: every live subscription, as Get shows it.
  nlohmann::json List();
  // {"deliveries": [...]}: the most recent attempts first.
  nlohmann::json Deliveries(const std::string& subscription_id, int limit);

 private:
  void CheckTarget(const std::string& url) const;
  void CheckNotPastHead(const std::string& field, std::int64_t sequence) const;

  infrastructure::ConnectionPool& pool_;
  domain::CommandService& commands_;
  const subscriptions::SubscriptionSecrets& secrets_;
  SubscriptionPolicy policy_;
};

}  // namespace docledger::operations
