#include "operations/retention_worker.hpp"

#include <pqxx/pqxx>
#include <spdlog/common.h>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/metrics.hpp"
#include "infrastructure/pg_errors.hpp"

namespace docledger::operations {

using infrastructure::LogEvent;

RetentionWorker::RetentionWorker(std::string database_url, RetentionWorkerOptions options,
                                 infrastructure::Metrics* metrics)
    : database_url_(std::move(database_url)), options_(std::move(options)), metrics_(metrics) {}

RetentionWorker::~RetentionWorker() { Stop(); }

void RetentionWorker::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    while (!stop_) {
      try {
        RunOnce();
      } catch (const std::exception& e) {
        conn_.reset();  // a fresh connection next pass
        LogEvent(spdlog::level::warn, "retention pass failed",
                 {{"error", infrastructure::DescribeError(e)}, {"retry_in_ms", options_.interval.count()}});
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.interval, [&] { return stop_.load(); });
    }
  });
}

void RetentionWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

pqxx::connection& RetentionWorker::Connection() {
  if (!conn_ || !conn_->is_open()) conn_ = infrastructure::OpenConnection(database_url_);
  return *conn_;
}

RetentionPass RetentionWorker::RunOnce() {
  try {
    const auto pass = Pass();
    if (metrics_ != nullptr) metrics_->CountRetentionPass(pass.complete ? "done" : "partial");
    return pass;
  } catch (...) {
    if (metrics_ != nullptr) metrics_->CountRetentionPass("failed");
    throw;
  }
}

RetentionPass RetentionWorker::Pass() {
  RetentionPass pass;
  for (const auto& target : options_.targets) {
    const auto outcome = PruneTarget(Connection(), target, options_.prune, &stop_);
    pass.deleted += outcome.deleted;
    if (metrics_ != nullptr && outcome.deleted > 0) metrics_->CountRetentionDeleted(target.table, outcome.deleted);
    if (outcome.status == PruneStatus::kBounded || outcome.status == PruneStatus::kGaveUp) pass.complete = false;
    if (outcome.deleted == 0 && outcome.status == PruneStatus::kDone) continue;  // nothing to say
    LogEvent(outcome.status == PruneStatus::kMissing ? spdlog::level::debug : spdlog::level::info, "retention pruned",
             {{"table", target.table}, {"deleted", outcome.deleted}, {"batches", outcome.batches},
              {"outcome", ToString(outcome.status)}, {"keep_s", target.keep.count()}});
  }
  return pass;
}

std::unique_ptr<RetentionWorker> StartRetentionWorker(const infrastructure::Config& config,
                                                      infrastructure::Metrics* metrics) {
  RetentionWorkerOptions options;
  options.targets = RetentionTargets(config.retention);
  options.interval = config.retention.interval;
  auto worker = std::make_unique<RetentionWorker>(config.database_url, std::move(options), metrics);
  worker->Start();
  return worker;
}

}  // namespace docledger::operations
