// The alert webhook's delivery worker: takes rows of the outbox (alert_deliveries, written
// by the alerts projection in the alert's own transaction) and POSTs them to the webhook.
//
//   claim     one row per short transaction: the oldest due pending row, locked with
//             FOR UPDATE SKIP LOCKED (another worker's claim in progress is skipped), then
//             leased: claimed_until = now + lease, a fresh claim token, attempts + 1. The
//             lease is committed BEFORE the POST, so no row lock is held during network I/O
//             and other workers skip the row until the lease is over. A worker that dies
//             mid-delivery leaves the row pending with a lease that runs out: another
//             worker (or itself, later) claims it again - at least once, never lost.
//   throttle  the first claim of a row opens the (type, key) window in alert_throttle
//             unless another alert opened it less than `throttle` ago; then the row is
//             marked throttled (stored, counted, not sent). Decided under that row's lock:
//             two workers never both open a window.
//   outcome   2xx: delivered. Otherwise (no answer, timeout, 5xx, 408, 429) the row goes
//             back to pending with next_attempt_at = now + exponential backoff with
//             jitter, or to dead after max_attempts; other 4xx are dead at once (the
//             request itself is refused). Outcomes apply only while the claim token is
//             still the row's (a worker whose lease ran out changes nothing).
//
// Times are taken from `clock` (injectable for tests) and passed to SQL.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/connection>

#include "alerting/alert_webhook_body.hpp"
#include "alerting/webhook_client.hpp"
#include "infrastructure/config.hpp"

namespace docledger::infrastructure {
class Metrics;
}  // namespace docledger::infrastructure

namespace docledger::alerting {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct AlertDeliveryOptions {
  std::string webhook_url;  // required
  infrastructure::WebhookFormat format = infrastructure::WebhookFormat::kJson;
  std::chrono::seconds throttle{300};  // 0 = no throttling
  // Alerts raised longer ago than this are marked 'expired', not sent (no stale backlog
  // after delivery was off); 0 = send whatever its age.
  std::chrono::seconds max_age{3600};
  int max_attempts = 8;
  WebhookClientOptions client;  // timeout per POST (default 5 s), extra CA file
  std::chrono::milliseconds base_backoff{2000};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(10)};
  // How long a claim keeps other workers away; must exceed the POST timeout.
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
  std::chrono::milliseconds poll_interval{1000};
  std::size_t batch_size = 20;  // claims per pass
  std::string instance = "docledger";
  Clock clock = [] { return std::chrono::system_clock::now(); };
};

// A claimed delivery: what to send, and the token that proves the claim is still ours.
struct ClaimedDelivery {
  AlertMessage alert;
  std::string claim_token;
  int attempts = 0;  // including this one
};

struct DeliveryPass {
  std::size_t delivered = 0;
  std::size_t failed = 0;  // will be retried
  std::size_t dead = 0;
  std::size_t throttled = 0;
  std::size_t expired = 0;  // older than max_age: not sent
  std::size_t total() const { return delivered + failed + dead + throttled + expired; }
};

class AlertDeliveryWorker {
 public:
  AlertDeliveryWorker(std::string database_url, AlertDeliveryOptions options, infrastructure::Metrics* metrics = nullptr);
  ~AlertDeliveryWorker();
  AlertDeliveryWorker(const AlertDeliveryWorker&) = delete;
  AlertDeliveryWorker& operator=(const AlertDeliveryWorker&) = delete;

  // Delivers in a background thread until Stop(); database and webhook errors are logged
  // and retried, the worker never dies of them.
  void Start();
  void Stop();

  // One pass in the calling thread: claims up to batch_size due deliveries (marking the
  // throttled ones) and sends each. Throws on database errors.
  DeliveryPass RunOnce();

  // The steps of a pass, public for tests (e.g. claim and abandon = a crash mid-delivery).
  // Throttled rows are marked and counted in `pass`, not returned.
  std::vector<ClaimedDelivery> Claim(std::size_t max, DeliveryPass* pass = nullptr);
  // Sends one claimed delivery and records the outcome; returns "delivered", "failed" or "dead".
  std::string Deliver(const ClaimedDelivery& delivery);

 private:
  pqxx::connection& Connection();
  void Count(const std::string& result);

  std::string database_url_;
  AlertDeliveryOptions options_;
  infrastructure::Metrics* metrics_;
  WebhookClient client_;
  std::unique_ptr<pqxx::connection> conn_;

  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
};

// PostgreSQL's text form of a time point, in UTC with microseconds.
std::string PgTimestamp(std::chrono::system_clock::time_point time);

}  // namespace docledger::alerting
