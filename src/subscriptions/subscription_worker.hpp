// Delivers one subscription while this instance holds its lease (docs/subscriptions.md):
//
//   claim    in one short transaction: take or renew the lease on the subscription's cursor
//            row (lease_token; another instance takes it over once lease_until is past),
//            act once on a new rewind or resume, read the matching events after the
//            cursor (never past the head: sequence order is commit order, so nothing
//            below the head can appear later), record the batch as in flight (its range
//            and webhook-id) and commit. A batch in flight is sent again as it was, so a
//            worker taking over re-sends the same range under the same webhook-id.
//   send     POST, signed (webhook_signature.hpp), with no transaction open.
//   outcome  2xx: the cursor advances to the batch's end in the transaction that records
//            the attempt, only while the lease is still ours. Otherwise the attempt is
//            recorded and the next one waits (exponential backoff with jitter, or the
//            answer's Retry-After); after max_failures attempts or max_failing_time, the
//            subscription is marked failing (SubscriptionFailing: deliveries stop, an alert
//            is raised) until a resume. At least once; no event after the cursor skipped.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <pqxx/connection>

#include "alerting/webhook_client.hpp"
#include "domain/commands.hpp"
#include "subscriptions/subscription_secrets.hpp"

namespace docledger::eventstore {
class EventNotifier;
}  // namespace docledger::eventstore

namespace docledger::subscriptions {

struct SubscriptionDeliveryOptions {
  std::string instance = "docledger";
  // How long a claim keeps other instances away; longer than the POST timeout.
  std::chrono::milliseconds lease{15000};
  alerting::WebhookClientOptions client{std::chrono::milliseconds(10000), "", false};
  std::size_t max_body_bytes = 1024 * 1024;  // a bigger batch is split
  int max_failures = 10;                     // consecutive failed attempts before "failing"
  std::chrono::seconds max_failing_time{3600};
  std::chrono::milliseconds base_backoff{1000};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(5)};
  std::int64_t scan_window = 100000;  // log rows one claim may pass over
  std::chrono::milliseconds poll_interval{1000};  // the dispatcher looks for unleased subscriptions
};

// Appends SubscriptionFailing (through the command service).
using MarkFailing = std::function<void(const domain::MarkSubscriptionFailing&)>;

enum class StepResult {
  kDelivered,    // a batch was acknowledged
  kSkipped,      // the cursor moved over events that do not match
  kFailed,       // an attempt failed; the next one waits
  kBackingOff,   // the next attempt is not due yet
  kIdle,         // nothing after the cursor
  kInactive,     // paused, failing, deleted, or not projected yet: the lease was released
  kLeaseLost,    // another instance holds the lease
};

class SubscriptionWorker {
 public:
  SubscriptionWorker(std::string database_url, std::string subscription_id, SubscriptionDeliveryOptions options,
                     const SubscriptionSecrets& secrets, MarkFailing mark_failing);
  ~SubscriptionWorker();
  SubscriptionWorker(const SubscriptionWorker&) = delete;
  SubscriptionWorker& operator=(const SubscriptionWorker&) = delete;

  // Delivers until Stop(), the lease is lost, or the subscription is not active; database
  // and receiver errors are logged and retried. `notifier` (optional) wakes it on appends.
  void Run(eventstore::EventNotifier* notifier);
  void Stop();

  // One claim (and, when there is a batch, its delivery), in the calling thread. Throws on
  // database errors.
  StepResult Step();
  // How long the worker waits after kFailed / kBackingOff.
  std::chrono::milliseconds wait() const { return wait_; }
  const std::string& subscription_id() const { return subscription_id_; }

 private:
  struct Batch;
  pqxx::connection& Connection();
  StepResult Claim(Batch& batch);
  StepResult Send(const Batch& batch);
  StepResult Failed(const Batch& batch, const std::string& error, unsigned status, double latency_ms,
                    const std::string& retry_after);
  void Release();
  void Pause(std::chrono::milliseconds duration);

  std::string database_url_;
  std::string subscription_id_;
  SubscriptionDeliveryOptions options_;
  const SubscriptionSecrets& secrets_;
  MarkFailing mark_failing_;
  std::string token_;
  std::unique_ptr<alerting::WebhookClient> client_;  // its connection is kept between batches
  std::unique_ptr<pqxx::connection> conn_;
  bool ensured_ = false;
  std::int64_t idle_after_ = 0;  // after kIdle: the sequence to wait past
  std::chrono::milliseconds wait_{0};

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace docledger::subscriptions
