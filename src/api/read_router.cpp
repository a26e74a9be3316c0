#include "api/read_router.hpp"

#include <thread>

#include <spdlog/common.h>

#include "infrastructure/logging.hpp"
#include "infrastructure/metrics.hpp"

namespace docledger::api {

using infrastructure::LogEvent;

const char* ToString(ReadSource source) { return source == ReadSource::kReplica ? "replica" : "primary"; }

ReadRouter::ReadRouter(ReadEndpoint primary, std::optional<ReadEndpoint> replica, ReadRouterOptions options,
                       infrastructure::Metrics* metrics)
    : primary_(primary), replica_(replica), options_(options), metrics_(metrics) {}

std::string ReadRouter::ReplicaState() const {
  if (!replica_) return "not_configured";
  const std::lock_guard lock(mutex_);
  return replica_down_ ? "unavailable" : "ok";
}

// A replica that failed is tried again once replica_retry has passed (by the next read).
bool ReadRouter::ReplicaUsable() {
  const std::lock_guard lock(mutex_);
  return !replica_down_ || std::chrono::steady_clock::now() >= retry_at_;
}

void ReadRouter::ReplicaFailed(const std::string& detail) {
  bool first = false;
  {
    const std::lock_guard lock(mutex_);
    first = !replica_down_;
    replica_down_ = true;
    retry_at_ = std::chrono::steady_clock::now() + options_.replica_retry;
  }
  if (first) {
    LogEvent(spdlog::level::warn, "read replica unavailable, reads go to the primary",
             {{"detail", detail}, {"retry_in_ms", options_.replica_retry.count()}});
  }
}

void ReadRouter::ReplicaServed() {
  bool back = false;
  {
    const std::lock_guard lock(mutex_);
    back = replica_down_;
    replica_down_ = false;
  }
  if (back) LogEvent(spdlog::level::info, "read replica available again", {});
}

void ReadRouter::Count(ReadSource source, const char* reason) {
  if (metrics_ != nullptr) metrics_->CountRead(ToString(source), reason);
}

// Polls: a standby delivers no NOTIFY, so there is nothing to listen for.
bool ReadRouter::AwaitPosition(ReadEndpoint& endpoint, const std::string& projection, std::int64_t min_sequence) {
  const auto deadline = std::chrono::steady_clock::now() + options_.wait;
  for (;;) {
    if (endpoint.reads.positions.Position(projection) >= min_sequence) return true;
    if (std::chrono::steady_clock::now() + options_.poll > deadline) return false;
    std::this_thread::sleep_for(options_.poll);
  }
}

}  // namespace docledger::api
