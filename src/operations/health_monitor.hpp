// GET /health's cache: the checks (one HealthSnapshot, a few cheap queries) run at most once
// per `max_age` (1 s), whatever the rate of probes. One caller gathers; callers that arrive
// meanwhile wait for that gathering and share its result, so a probe storm costs the
// database one round of checks per second per instance.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "operations/health_evaluation.hpp"

namespace docledger::operations {

class HealthMonitor {
 public:
  using Gather = std::function<HealthSnapshot()>;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `gather` should not throw; if it does, the snapshot says the database check failed.
  explicit HealthMonitor(Gather gather, std::chrono::milliseconds max_age = std::chrono::seconds(1),
                         Clock clock = [] { return std::chrono::steady_clock::now(); });

  // The latest snapshot, gathered now if the cached one is older than max_age.
  std::shared_ptr<const HealthSnapshot> Current();

  // Callers waiting for a gathering in flight (tests).
  std::size_t Waiting() const;
  // How many times the checks ran.
  std::uint64_t Gathered() const;

 private:
  HealthSnapshot GatherSafely();

  Gather gather_;
  std::chrono::milliseconds max_age_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  bool gathering_ = false;
  std::size_t waiting_ = 0;
  std::uint64_t generation_ = 0;  // gatherings completed
  std::shared_ptr<const HealthSnapshot> cached_;
  std::chrono::steady_clock::time_point cached_at_{};
};

}  // namespace docledger::operations
