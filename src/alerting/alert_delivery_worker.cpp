#include "alerting/alert_delivery_worker.hpp"

#include <ctime>

#include <fmt/format.h>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/backoff.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/metrics.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::alerting {

using infrastructure::DescribeError;
using infrastructure::LogEvent;
using infrastructure::Metrics;
using infrastructure::NewRandomUuid;
using infrastructure::OpenConnection;
namespace statements = infrastructure::statements;
namespace {

std::chrono::milliseconds Backoff(const AlertDeliveryOptions& options, int attempts) {
  return infrastructure::Backoff{options.base_backoff, options.max_backoff, 30}.Jittered(attempts - 1);
}

// A refusal that sending again cannot fix: 4xx other than 408 (timeout) and 429 (slow down).
bool IsPermanentStatus(unsigned status) { return status >= 400 && status < 500 && status != 408 && status != 429; }

std::string Shorten(std::string text) {
  if (text.size() > 500) text = text.substr(0, 497) + "...";
  return text;
}

}  // namespace

std::string PgTimestamp(std::chrono::system_clock::time_point time) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  auto seconds = static_cast<std::time_t>(micros / 1000000);
  auto fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, fraction);
}

AlertDeliveryWorker::AlertDeliveryWorker(std::string database_url, AlertDeliveryOptions options, Metrics* metrics)
    : database_url_(std::move(database_url)),
      options_(std::move(options)),
      metrics_(metrics),
      client_(options_.webhook_url, options_.client) {}

AlertDeliveryWorker::~AlertDeliveryWorker() { Stop(); }

void AlertDeliveryWorker::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    int failures = 0;
    while (!stop_) {
      std::chrono::milliseconds wait = options_.poll_interval;
      try {
        const auto pass = RunOnce();
        failures = 0;
        if (pass.total() > 0) continue;  // more may be due
      } catch (const std::exception& e) {
        conn_.reset();
        wait = Backoff(options_, ++failures);
        LogEvent(spdlog::level::warn, "alert delivery pass failed",
                 {{"error", DescribeError(e)}, {"retry_in_ms", wait.count()}});
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, wait, [&] { return stop_.load(); });
    }
  });
}

void AlertDeliveryWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

pqxx::connection& AlertDeliveryWorker::Connection() {
  if (!conn_ || !conn_->is_open()) conn_ = OpenConnection(database_url_);
  return *conn_;
}

void AlertDeliveryWorker::Count(const std::string& result) {
  if (metrics_ != nullptr) metrics_->CountWebhookDelivery(result);
}

std::vector<ClaimedDelivery> AlertDeliveryWorker::Claim(std::size_t max, DeliveryPass* pass) {
  std::vector<ClaimedDelivery> claimed;
  auto& conn = Connection();
  while (claimed.size() < max && !stop_) {
    const auto now = options_.clock();
    const auto now_text = PgTimestamp(now);
    pqxx::work tx(conn);
    const auto oldest = options_.max_age.count() > 0 ? PgTimestamp(now - options_.max_age) : std::string("-infinity");
    const auto rows = tx.exec_prepared(statements::kDeliveryNextDue, now_text, oldest);
    if (rows.empty()) break;
    const auto& row = rows[0];
    ClaimedDelivery delivery;
    delivery.alert.alert_id = row[0].c_str();
    delivery.alert.type = row[1].c_str();
    delivery.alert.key = row[2].c_str();
    delivery.alert.level = row[3].c_str();
    delivery.alert.message = row[4].c_str();
    delivery.alert.details = nlohmann::json::parse(row[5].c_str());
    delivery.alert.raised_at = row[6].c_str();
    const bool throttle_checked = row[8].as<bool>();
    if (row[9].as<bool>()) {
      tx.exec_prepared(statements::kDeliveryMarkExpired, delivery.alert.alert_id, now_text);
      tx.commit();
      Count("expired");
      if (pass != nullptr) ++pass->expired;
      LogEvent(spdlog::level::info, "alert delivery expired",
               {{"alert_id", delivery.alert.alert_id}, {"type", delivery.alert.type},
                {"raised_at", delivery.alert.raised_at}, {"max_age_s", options_.max_age.count()}});
      continue;
    }
    if (!throttle_checked && options_.throttle.count() > 0) {
      const auto opened = tx.exec_prepared(statements::kDeliveryOpenWindow, delivery.alert.type, delivery.alert.key,
                                           now_text, delivery.alert.alert_id,
                                           static_cast<double>(options_.throttle.count()));
      if (opened.empty()) {
        tx.exec_prepared(statements::kDeliveryMarkThrottled, delivery.alert.alert_id, now_text);
        tx.commit();
        Count("throttled");
        if (pass != nullptr) ++pass->throttled;
        LogEvent(spdlog::level::info, "alert delivery throttled",
                 {{"alert_id", delivery.alert.alert_id}, {"type", delivery.alert.type},
                  {"alert_key", delivery.alert.key}});
        continue;
      }
    }
    delivery.claim_token = NewRandomUuid();
    const auto attempts = tx.exec_prepared1(statements::kDeliveryClaim, delivery.alert.alert_id,
                                            PgTimestamp(now + options_.lease), options_.instance,
                                            delivery.claim_token, now_text);
    delivery.attempts = attempts[0].as<int>();
    tx.commit();
    claimed.push_back(std::move(delivery));
  }
  return claimed;
}

std::string AlertDeliveryWorker::Deliver(const ClaimedDelivery& delivery) {
  std::string error;
  bool permanent = false;
  try {
    const auto response = client_.Post(WebhookBody(delivery.alert, options_.format));
    if (response.status >= 200 && response.status < 300) {
      auto& conn = Connection();
      pqxx::work tx(conn);
      const auto updated = tx.exec_prepared(statements::kDeliveryDelivered, delivery.alert.alert_id,
                                            delivery.claim_token, PgTimestamp(options_.clock()));
      tx.commit();
      if (updated.affected_rows() == 0) {
        LogEvent(spdlog::level::warn,
                 "alert delivered after its lease ran out (another worker may send it again)",
                 {{"alert_id", delivery.alert.alert_id}});
      }
      Count("delivered");
      return "delivered";
    }
    error = "HTTP " + std::to_string(response.status) + (response.body.empty() ? "" : ": " + Shorten(response.body));
    permanent = IsPermanentStatus(response.status);
  } catch (const WebhookError& e) {
    error = e.what();
  }
  const bool dead = permanent || delivery.attempts >= options_.max_attempts;
  const auto now = options_.clock();
  const auto next = now + Backoff(options_, delivery.attempts);
  auto& conn = Connection();
  pqxx::work tx(conn);
  tx.exec_prepared(statements::kDeliveryFailed, delivery.alert.alert_id, delivery.claim_token,
                   dead ? "dead" : "pending", dead ? nullptr : PgTimestamp(next).c_str(), Shorten(error),
                   PgTimestamp(now));
  tx.commit();
  if (dead) {
    LogEvent(spdlog::level::err, "alert delivery dead",
             {{"alert_id", delivery.alert.alert_id}, {"attempts", delivery.attempts}, {"error", error}});
  } else {
    LogEvent(spdlog::level::warn, "alert delivery attempt failed",
             {{"alert_id", delivery.alert.alert_id}, {"attempt", delivery.attempts}, {"error", error},
              {"retry_in_ms", std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count()}});
  }
  Count(dead ? "dead" : "failed");
  return dead ? "dead" : "failed";
}

DeliveryPass AlertDeliveryWorker::RunOnce() {
  DeliveryPass pass;
  // One claim at a time, sent at once: a claim never waits behind other POSTs while its
  // lease runs.
  for (std::size_t i = 0; i < options_.batch_size && !stop_; ++i) {
    const auto before = pass.throttled;
    const auto claimed = Claim(1, &pass);
    if (claimed.empty()) {
      if (pass.throttled == before) break;
      continue;
    }
    const auto outcome = Deliver(claimed.front());
    if (outcome == "delivered") {
      ++pass.delivered;
    } else if (outcome == "dead") {
      ++pass.dead;
    } else {
      ++pass.failed;
    }
  }
  return pass;
}

}  // namespace docledger::alerting
