#include "eventstore/event_notifier.hpp"

#include <pqxx/connection>
#include <pqxx/notification>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::eventstore {

using infrastructure::DescribeError;
using infrastructure::LogEvent;
using infrastructure::OpenConnection;
namespace statements = infrastructure::statements;
namespace {

class HeadReceiver final : public pqxx::notification_receiver {
 public:
  HeadReceiver(pqxx::connection_base& conn, std::int64_t& latest)
      : pqxx::notification_receiver(conn, kEventsChannel), latest_(latest) {}
  void operator()(const std::string& payload, int) override {
    try {
      latest_ = std::max(latest_, static_cast<std::int64_t>(std::stoll(payload)));
    } catch (const std::exception&) {
      // A NOTIFY on our channel from someone else; the poll below corrects the head.
    }
  }

 private:
  std::int64_t& latest_;
};

}  // namespace

EventNotifier::EventNotifier(std::string url, std::chrono::milliseconds poll_interval)
    : url_(std::move(url)), poll_interval_(poll_interval) {
  thread_ = std::thread([this] { Run(); });
}

EventNotifier::~EventNotifier() {
  stop_ = true;
  advanced_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventNotifier::Publish(std::int64_t head) {
  std::int64_t previous = head_.load();
  while (head > previous && !head_.compare_exchange_weak(previous, head)) {
  }
  if (head > previous) {
    std::lock_guard lock(mutex_);
    advanced_.notify_all();
  }
}

std::int64_t EventNotifier::WaitForEventsAfter(std::int64_t after_sequence,
                                               std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  advanced_.wait_for(lock, timeout, [&] { return stop_.load() || head_.load() > after_sequence; });
  return head_.load();
}

void EventNotifier::Run() {
  int failures = 0;
  while (!stop_) {
    try {
      auto owned = OpenConnection(url_);
      pqxx::connection& conn = *owned;
      std::int64_t latest = 0;
      HeadReceiver receiver(conn, latest);
      auto poll_head = [&] {
        pqxx::nontransaction tx(conn);
        latest = std::max(latest, tx.exec_prepared(statements::kHeadSequence)[0][0].as<std::int64_t>());
      };
      poll_head();  // after LISTEN is active, so nothing committed in between is missed
      listening_ = true;
      failures = 0;
      Publish(latest);
      auto last_poll = std::chrono::steady_clock::now();
      const auto slice = std::min<std::chrono::milliseconds>(poll_interval_, std::chrono::milliseconds(200));
      while (!stop_) {
        const long usec = static_cast<long>(slice.count()) * 1000;
        conn.await_notification(usec / 1000000, usec % 1000000);
        if (std::chrono::steady_clock::now() - last_poll >= poll_interval_) {
          poll_head();
          last_poll = std::chrono::steady_clock::now();
        }
        Publish(latest);
      }
    } catch (const std::exception& e) {
      listening_ = false;
      if (stop_) break;
      ++failures;
      if (failures == 1 || failures % 20 == 0) {
        LogEvent(spdlog::level::warn, "event notifier lost its connection; reconnecting",
                 {{"error", DescribeError(e)}, {"failures", failures}});
      }
      std::unique_lock lock(mutex_);
      advanced_.wait_for(lock, std::chrono::milliseconds(std::min(100 * failures, 2000)),
                         [&] { return stop_.load(); });
    }
  }
  listening_ = false;
}

}  // namespace docledger::eventstore
