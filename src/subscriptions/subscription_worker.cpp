#include "subscriptions/subscription_worker.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "domain/subscription.hpp"
#include "eventstore/event_notifier.hpp"
#include "eventstore/event_rows.hpp"
#include "infrastructure/backoff.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/statements.hpp"
#include "subscriptions/delivery_batch.hpp"
#include "subscriptions/webhook_signature.hpp"

namespace docledger::subscriptions {

namespace statements = infrastructure::statements;

struct SubscriptionWorker::Batch {
  std::string url;
  DeliveryBatch delivery;
  std::vector<std::string> secrets;
  int failures = 0;  // consecutive failed attempts before this one
};

namespace {

struct Cursor {
  std::int64_t after = 0;
  std::int64_t rewind_applied = 0;
  std::int64_t resume_applied = 0;
  std::int64_t inflight_through = -1;
  std::string inflight_id;
  std::int64_t wait_ms = 0;
  int failures = 0;
  bool failing = false;  // marked failing by a worker; only a resume clears it
};

struct Config {
  std::string url;
  std::vector<std::string> event_types;
  std::string stream_prefix;
  std::int64_t max_batch = 100;
  std::string status;
  std::int64_t rewind_after = -1;
  std::int64_t rewind_sequence = 0;
  std::int64_t resume_sequence = 0;
};

// The matching events in (after, bound], at most `limit`, in sequence order.
std::vector<domain::RecordedEvent> ReadMatching(pqxx::work& tx, const Config& config, std::int64_t after,
                                                std::int64_t bound, std::int64_t limit) {
  const auto types = config.event_types.empty() ? std::optional<std::string>()
                                                : std::optional<std::string>(infrastructure::ToPgArray(config.event_types));
  std::vector<domain::RecordedEvent> events;
  for (const auto& row :
       tx.exec_prepared(statements::kSubscriptionEvents, after, bound, types, config.stream_prefix, limit)) {
    events.push_back(eventstore::ToRecordedEvent(row));
  }
  return events;
}

Cursor ReadCursor(const pqxx::row& row) {
  return {row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<std::int64_t>(),
          row[3].as<std::int64_t>(), row[4].c_str(),            row[6].as<std::int64_t>(),
          row[5].as<int>(),          row[7].as<bool>()};
}

Config ReadConfig(const pqxx::row& row) {
  return {row[0].c_str(),
          nlohmann::json::parse(row[1].c_str()).get<std::vector<std::string>>(),
          row[2].c_str(),
          row[3].as<std::int64_t>(),
          row[4].c_str(),
          row[5].as<std::int64_t>(),
          row[6].as<std::int64_t>(),
          row[7].as<std::int64_t>()};
}

// Retry-After in seconds (the HTTP-date form is not honoured: the backoff applies).
std::optional<std::chrono::milliseconds> RetryAfter(const std::string& value) {
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  return std::chrono::milliseconds(std::min<std::int64_t>(seconds, 86400) * 1000);
}

std::string Shorten(std::string text) {
  if (text.size() > 500) text = text.substr(0, 497) + "...";
  return text;
}

}  // namespace

SubscriptionWorker::SubscriptionWorker(std::string database_url, std::string subscription_id,
                                       SubscriptionDeliveryOptions options, const SubscriptionSecrets& secrets,
                                       MarkFailing mark_failing)
    : database_url_(std::move(database_url)),
      subscription_id_(std::move(subscription_id)),
      options_(std::move(options)),
      secrets_(secrets),
      mark_failing_(std::move(mark_failing)),
      token_(infrastructure::NewRandomUuid()) {}

SubscriptionWorker::~SubscriptionWorker() = default;

pqxx::connection& SubscriptionWorker::Connection() {
  if (!conn_ || !conn_->is_open()) conn_ = infrastructure::OpenConnection(database_url_);
  return *conn_;
}

StepResult SubscriptionWorker::Step() {
  Batch batch;
  const auto claimed = Claim(batch);
  if (claimed != StepResult::kDelivered) return claimed;
  return Send(batch);
}

// The claim transaction; kDelivered here means "a batch to send".
StepResult SubscriptionWorker::Claim(Batch& batch) {
  pqxx::work tx(Connection());
  if (!ensured_) tx.exec_prepared(statements::kSubscriptionCursorEnsure, subscription_id_);
  const auto claim = tx.exec_prepared(statements::kSubscriptionClaim, subscription_id_, options_.instance, token_,
                                      static_cast<std::int64_t>(options_.lease.count()));
  if (claim.empty()) return StepResult::kLeaseLost;  // taken, or no cursor (not projected yet)
  ensured_ = true;
  auto cursor = ReadCursor(claim[0]);
  const auto config_rows = tx.exec_prepared(statements::kSubscriptionConfig, subscription_id_);
  if (config_rows.empty() || config_rows[0][4].as<std::string>() != "active") {
    tx.exec_prepared(statements::kSubscriptionRelease, subscription_id_, token_);
    tx.commit();
    return StepResult::kInactive;
  }
  const auto config = ReadConfig(config_rows[0]);
  if (cursor.failing && config.resume_sequence <= cursor.resume_applied) {
    // Marked failing; the projection has not shown it yet. Only a resume delivers again.
    tx.exec_prepared(statements::kSubscriptionRelease, subscription_id_, token_);
    tx.commit();
    return StepResult::kInactive;
  }
  if (config.rewind_sequence > cursor.rewind_applied && config.rewind_after >= 0) {
    tx.exec_prepared(statements::kSubscriptionApplyRewind, subscription_id_, config.rewind_after,
                     config.rewind_sequence, token_);
    cursor = {config.rewind_after, config.rewind_sequence, cursor.resume_applied, -1, "", 0};
  }
  if (config.resume_sequence > cursor.resume_applied) {
    tx.exec_prepared(statements::kSubscriptionApplyResume, subscription_id_, config.resume_sequence, token_);
    cursor.wait_ms = 0;
    cursor.failures = 0;
  }
  if (cursor.wait_ms > 0) {
    tx.commit();
    wait_ = std::chrono::milliseconds(cursor.wait_ms);
    return StepResult::kBackingOff;
  }
  const bool inflight = cursor.inflight_through > cursor.after;
  const auto head = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
  const auto bound = inflight ? cursor.inflight_through : std::min(head, cursor.after + options_.scan_window);
  if (bound <= cursor.after) {
    tx.commit();
    idle_after_ = std::max(head, cursor.after);
    return StepResult::kIdle;
  }
  const auto limit = inflight ? domain::kMaxSubscriptionBatch : config.max_batch;
  const auto events = ReadMatching(tx, config, cursor.after, bound, limit);
  if (events.empty()) {
    // Nothing in range matches (the filter changed since a batch went in flight, or the
    // range holds other events): the cursor passes over it.
    if (inflight) {
      tx.exec_prepared(statements::kSubscriptionDelivered, subscription_id_, bound, token_, cursor.inflight_id);
    } else {
      tx.exec_prepared(statements::kSubscriptionSkipTo, subscription_id_, bound, token_);
    }
    tx.commit();
    return StepResult::kSkipped;
  }
  const bool full = !inflight && static_cast<std::int64_t>(events.size()) == limit;
  batch.delivery = MakeBatch(subscription_id_, cursor.after, events, full ? events.back().sequence : bound,
                             options_.max_body_bytes);
  batch.url = config.url;
  batch.failures = cursor.failures;
  batch.secrets = secrets_.Signing(tx, subscription_id_);
  tx.exec_prepared(statements::kSubscriptionInflight, subscription_id_, batch.delivery.through,
                   batch.delivery.webhook_id, token_);
  tx.commit();
  return StepResult::kDelivered;
}

StepResult SubscriptionWorker::Send(const Batch& batch) {
  const auto& delivery = batch.delivery;
  const auto timestamp =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const alerting::HttpHeaders headers = {
      {"webhook-id", delivery.webhook_id},
      {"webhook-timestamp", std::to_string(timestamp)},
      {"webhook-signature", SignatureHeader(batch.secrets, delivery.webhook_id, timestamp, delivery.body)}};
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed_ms = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  };
  alerting::WebhookResponse response;
  try {
    // One client per worker, so its connection serves the next batch too (keep-alive).
    if (!client_ || client_->url() != batch.url) client_ = std::make_unique<alerting::WebhookClient>(batch.url, options_.client);
    response = client_->Post(delivery.body, "application/json", headers);
  } catch (const alerting::WebhookError& e) {
    return Failed(batch, e.what(), 0, elapsed_ms(), "");
  }
  const auto latency_ms = elapsed_ms();
  if (response.status < 200 || response.status >= 300) {
    return Failed(batch, "HTTP " + std::to_string(response.status) + ": " + Shorten(response.body), response.status,
                  latency_ms, response.retry_after);
  }
  pqxx::work tx(Connection());
  // Not waiting for the WAL flush is safe here: an acknowledgement lost in a PostgreSQL
  // crash leaves the batch in flight (recorded durably by the claim), so it is sent again
  // as it was, under the same webhook-id. Nothing is skipped.
  tx.exec_prepared(statements::kAsyncCommit);
  const auto advanced = tx.exec_prepared(statements::kSubscriptionDelivered, subscription_id_, delivery.through,
                                         token_, delivery.webhook_id);
  tx.exec_prepared(statements::kSubscriptionRecordAttempt, subscription_id_, delivery.webhook_id, delivery.after,
                   delivery.through, static_cast<std::int64_t>(delivery.event_count), "delivered",
                   static_cast<int>(response.status), std::optional<std::string>(), latency_ms, options_.instance);
  tx.commit();
  return advanced.affected_rows() == 1 ? StepResult::kDelivered : StepResult::kLeaseLost;
}

StepResult SubscriptionWorker::Failed(const Batch& batch, const std::string& error, unsigned status,
                                      double latency_ms, const std::string& retry_after) {
  const auto& delivery = batch.delivery;
  pqxx::work tx(Connection());
  const int doublings = batch.failures;
  const bool slow_down = status == 429 || status == 503;
  const auto delay = (slow_down ? RetryAfter(retry_after) : std::nullopt)
                         .value_or(infrastructure::Backoff{options_.base_backoff, options_.max_backoff, 20}.Jittered(doublings));
  const auto rows = tx.exec_prepared(statements::kSubscriptionFailed, subscription_id_, token_,
                                     static_cast<std::int64_t>(delay.count()), error);
  tx.exec_prepared(statements::kSubscriptionRecordAttempt, subscription_id_, delivery.webhook_id, delivery.after,
                   delivery.through, static_cast<std::int64_t>(delivery.event_count), "failed",
                   status == 0 ? std::optional<int>() : std::optional<int>(static_cast<int>(status)), error, latency_ms,
                   options_.instance);
  tx.commit();
  if (rows.empty()) return StepResult::kLeaseLost;
  const auto failures = rows[0][0].as<std::int64_t>();
  const auto failing_for = std::chrono::seconds(rows[0][1].as<std::int64_t>());
  infrastructure::LogEvent(spdlog::level::warn, "subscription_delivery_failed",
                           {{"subscription_id", subscription_id_}, {"webhook_id", delivery.webhook_id},
                            {"failures", failures}, {"status", status}, {"error", error},
                            {"retry_in_ms", delay.count()}});
  if (failures >= options_.max_failures || failing_for >= options_.max_failing_time) {
    // The event first: dying between the two leaves a failing subscription whose lease
    // runs out, never a cursor marked failing that no event explains.
    mark_failing_({subscription_id_, failures, rows[0][2].as<std::int64_t>(), error});
    pqxx::work release(Connection());
    release.exec_prepared(statements::kSubscriptionReleaseFailing, subscription_id_, token_);
    release.commit();
    return StepResult::kInactive;
  }
  wait_ = delay;
  return StepResult::kFailed;
}

void SubscriptionWorker::Release() {
  pqxx::work tx(Connection());
  tx.exec_prepared(statements::kSubscriptionRelease, subscription_id_, token_);
  tx.commit();
}

void SubscriptionWorker::Pause(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [&] { return stop_.load(); });
}

void SubscriptionWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void SubscriptionWorker::Run(eventstore::EventNotifier* notifier) {
  int errors = 0;
  const auto renew_every = std::max(std::chrono::milliseconds(100), options_.lease / 3);
  while (!stop_) {
    try {
      const auto result = Step();
      errors = 0;
      if (result == StepResult::kInactive || result == StepResult::kLeaseLost) return;
      if (result == StepResult::kFailed || result == StepResult::kBackingOff) Pause(std::min(wait_, renew_every));
      if (result == StepResult::kIdle) {
        if (notifier != nullptr) {
          notifier->WaitForEventsAfter(idle_after_, std::min(renew_every, std::chrono::milliseconds(500)));
        } else {
          Pause(std::min(renew_every, std::chrono::milliseconds(500)));
        }
      }
    } catch (const std::exception& e) {
      conn_.reset();
      ensured_ = false;
      const auto delay = infrastructure::Backoff{std::chrono::milliseconds(200), std::chrono::seconds(10), 10}.Jittered(errors++);
      infrastructure::LogEvent(spdlog::level::warn, "subscription_worker_error",
                               {{"subscription_id", subscription_id_}, {"error", e.what()}, {"retry_in_ms", delay.count()}});
      Pause(delay);
    }
  }
  try {
    Release();
  } catch (const std::exception&) {
    // The lease runs out by itself.
  }
}

}  // namespace docledger::subscriptions
