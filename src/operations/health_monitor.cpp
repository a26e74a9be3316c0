#include "operations/health_monitor.hpp"

#include <exception>
#include <utility>

namespace docledger::operations {

HealthMonitor::HealthMonitor(Gather gather, std::chrono::milliseconds max_age, Clock clock)
    : gather_(std::move(gather)), max_age_(max_age), clock_(std::move(clock)) {}

std::shared_ptr<const HealthSnapshot> HealthMonitor::Current() {
  std::unique_lock lock(mutex_);
  if (cached_ && clock_() - cached_at_ < max_age_) return cached_;
  if (gathering_) {
    // Share the gathering in flight, even if it finishes after max_age: starting another
    // one at once would only double the load it was meant to spare.
    const auto awaited = generation_ + 1;
    ++waiting_;
    done_.wait(lock, [&] { return generation_ >= awaited; });
    --waiting_;
    return cached_;
  }
  gathering_ = true;
  lock.unlock();
  auto snapshot = std::make_shared<const HealthSnapshot>(GatherSafely());
  lock.lock();
  cached_ = std::move(snapshot);
  cached_at_ = clock_();
  gathering_ = false;
  ++generation_;
  auto result = cached_;
  lock.unlock();
  done_.notify_all();
  return result;
}

HealthSnapshot HealthMonitor::GatherSafely() {
  try {
    return gather_();
  } catch (const std::exception& e) {
    HealthSnapshot failed;
    failed.database_error = std::string("health check failed: ") + e.what();
    return failed;
  } catch (...) {
    HealthSnapshot failed;
    failed.database_error = "health check failed";
    return failed;
  }
}

std::size_t HealthMonitor::Waiting() const {
  const std::lock_guard lock(mutex_);
  return waiting_;
}

std::uint64_t HealthMonitor::Gathered() const {
  const std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace docledger::operations
