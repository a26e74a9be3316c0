// Runs the delivery workers of one instance: every poll interval it looks for active
// subscriptions whose lease is free or over (another instance died), and starts a worker
// thread for each (subscription_worker.hpp); a worker ends when its subscription stops
// being active or another instance holds it. One worker per subscription across all
// instances: the cursor row's lease decides.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/connection>

#include "subscriptions/subscription_worker.hpp"

namespace docledger::subscriptions {

class SubscriptionDispatcher {
 public:
  SubscriptionDispatcher(std::string database_url, SubscriptionDeliveryOptions options,
                         const SubscriptionSecrets& secrets, MarkFailing mark_failing,
                         eventstore::EventNotifier* notifier = nullptr);
  ~SubscriptionDispatcher();
  SubscriptionDispatcher(const SubscriptionDispatcher&) = delete;
  SubscriptionDispatcher& operator=(const SubscriptionDispatcher&) = delete;

  void Start();
  // Stops every worker (each releases its lease) and waits for them.
  void Stop();
  // The subscriptions this instance delivers now.
  std::vector<std::string> Delivering() const;

 private:
  struct Running {
    std::unique_ptr<SubscriptionWorker> worker;
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void Poll();
  void Reap();

  std::string database_url_;
  SubscriptionDeliveryOptions options_;
  const SubscriptionSecrets& secrets_;
  MarkFailing mark_failing_;
  eventstore::EventNotifier* notifier_;
  std::unique_ptr<pqxx::connection> conn_;

  mutable std::mutex running_mutex_;
  std::map<std::string, Running> running_;

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace docledger::subscriptions
