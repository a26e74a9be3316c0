// What `docledger serve` runs for outbound subscriptions (docs/subscriptions.md): the
// operations behind /api/v1/subscriptions and the dispatcher that delivers them, both
// configured from DOCLEDGER_SUBSCRIPTION_*.
#pragma once

#include "domain/command_service.hpp"
#include "eventstore/event_notifier.hpp"
#include "infrastructure/config.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/master_key.hpp"
#include "operations/subscription_operations.hpp"
#include "subscriptions/subscription_dispatcher.hpp"
#include "subscriptions/subscription_secrets.hpp"

namespace docledger::cli {

// The delivery options `serve` gives its dispatcher (and `instance` its lease holder name).
subscriptions::SubscriptionDeliveryOptions SubscriptionDeliveryOptionsFor(const infrastructure::Config& config,
                                                                          const std::string& instance);

class ServedSubscriptions {
 public:
  ServedSubscriptions(const infrastructure::Config& config, const std::string& instance,
                      infrastructure::ConnectionPool& pool, domain::CommandService& commands,
                      const infrastructure::MasterKey& master, eventstore::EventNotifier& notifier);

  operations::SubscriptionOperations& operations() { return operations_; }
  void Start() { dispatcher_.Start(); }
  void Stop() { dispatcher_.Stop(); }

 private:
  subscriptions::SubscriptionSecrets secrets_;
  operations::SubscriptionOperations operations_;
  subscriptions::SubscriptionDispatcher dispatcher_;
};

}  // namespace docledger::cli
