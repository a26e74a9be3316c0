#include "subscriptions/subscription_dispatcher.hpp"

#include <pqxx/pqxx>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::subscriptions {

SubscriptionDispatcher::SubscriptionDispatcher(std::string database_url, SubscriptionDeliveryOptions options,
                                               const SubscriptionSecrets& secrets, MarkFailing mark_failing,
                                               eventstore::EventNotifier* notifier)
    : database_url_(std::move(database_url)),
      options_(std::move(options)),
      secrets_(secrets),
      mark_failing_(std::move(mark_failing)),
      notifier_(notifier) {}

SubscriptionDispatcher::~SubscriptionDispatcher() { Stop(); }

void SubscriptionDispatcher::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    while (!stop_) {
      try {
        Reap();
        Poll();
      } catch (const std::exception& e) {
        conn_.reset();
        infrastructure::LogEvent(spdlog::level::warn, "subscription_dispatcher_error", {{"error", e.what()}});
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll_interval, [&] { return stop_.load(); });
    }
  });
}

void SubscriptionDispatcher::Poll() {
  if (!conn_ || !conn_->is_open()) conn_ = infrastructure::OpenConnection(database_url_);
  pqxx::nontransaction tx(*conn_);
  for (const auto& row : tx.exec_prepared(infrastructure::statements::kSubscriptionsUnleased)) {
    const std::string id = row[0].c_str();
    std::lock_guard lock(running_mutex_);
    if (running_.count(id) > 0 || stop_) continue;
    Running running{std::make_unique<SubscriptionWorker>(database_url_, id, options_, secrets_, mark_failing_),
                    std::thread(), std::make_shared<std::atomic<bool>>(false)};
    auto* worker = running.worker.get();
    running.thread = std::thread([worker, done = running.done, notifier = notifier_] {
      try {
        worker->Run(notifier);
      } catch (const std::exception& e) {
        infrastructure::LogEvent(spdlog::level::err, "subscription_worker_stopped",
                                 {{"subscription_id", worker->subscription_id()}, {"error", e.what()}});
      }
      *done = true;
    });
    running_.emplace(id, std::move(running));
  }
}

// Joins the workers that ended (their subscription stopped, or another instance took it).
void SubscriptionDispatcher::Reap() {
  std::lock_guard lock(running_mutex_);
  for (auto it = running_.begin(); it != running_.end();) {
    if (*it->second.done) {
      it->second.thread.join();
      it = running_.erase(it);
    } else {
      ++it;
    }
  }
}

void SubscriptionDispatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(running_mutex_);
  for (auto& [id, running] : running_) running.worker->Stop();
  for (auto& [id, running] : running_) {
    if (running.thread.joinable()) running.thread.join();
  }
  running_.clear();
}

std::vector<std::string> SubscriptionDispatcher::Delivering() const {
  std::lock_guard lock(running_mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, running] : running_) {
    if (!*running.done) ids.push_back(id);
  }
  return ids;
}

}  // namespace docledger::subscriptions
