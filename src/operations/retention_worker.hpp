// `docledger serve`'s retention thread: one pass over every retention target
// (retention_policy.*) at start and then every interval, each target pruned in bounded
// batches (retention_pruner.*). Counted (docledger_retention_deleted_rows_total{table},
// docledger_retention_passes_total{result}) and logged. Every instance runs one; their
// batches skip each other's rows. Database errors are logged and the next pass tries
// again: the thread never dies of them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/connection>

#include "infrastructure/config.hpp"
#include "operations/retention_policy.hpp"
#include "operations/retention_pruner.hpp"

namespace docledger::infrastructure {
class Metrics;
}  // namespace docledger::infrastructure

namespace docledger::operations {

struct RetentionWorkerOptions {
  std::vector<RetentionTarget> targets;
  std::chrono::milliseconds interval{std::chrono::minutes(10)};
  PruneOptions prune;
};

struct RetentionPass {
  std::size_t deleted = 0;
  bool complete = true;  // every target done or missing (none bounded or given up)
};

class RetentionWorker {
 public:
  RetentionWorker(std::string database_url, RetentionWorkerOptions options,
                  infrastructure::Metrics* metrics = nullptr);
  ~RetentionWorker();  // stops
  RetentionWorker(const RetentionWorker&) = delete;
  RetentionWorker& operator=(const RetentionWorker&) = delete;

  void Start();
  // Wakes the thread and waits for it, at most the batch in flight.
  void Stop();

  // One pass in the calling thread. Throws on database errors (after counting the pass
  // "failed").
  RetentionPass RunOnce();

 private:
  pqxx::connection& Connection();
  RetentionPass Pass();

  std::string database_url_;
  RetentionWorkerOptions options_;
  infrastructure::Metrics* metrics_;
  std::unique_ptr<pqxx::connection> conn_;

  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
};

// The worker `serve` runs, configured by DOCLEDGER_*_RETENTION and
// DOCLEDGER_RETENTION_INTERVAL, started.
std::unique_ptr<RetentionWorker> StartRetentionWorker(const infrastructure::Config& config,
                                                      infrastructure::Metrics* metrics);

}  // namespace docledger::operations
