// Rate limiting per API key (DOCLEDGER_RATE_LIMIT_RPS; 0 = off, the middleware is then
// not installed). A token bucket per key name (the actor the auth middleware set):
// refilled at `rps` tokens per second up to a burst of max(1, rps); a request takes one
// token. Without a token the answer is 429 rate_limited with Retry-After = the whole
// seconds until the next token (at least 1). Public routes (health probes, /metrics) are
// not limited. Install it after the auth middleware.
//
// Memory is bounded: at most `max_keys` buckets. Keys are the configured keys' names, so
// the bound is only a safety net; when it is reached, buckets that have refilled (and
// so equal a new one) are dropped, then the least recently used.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/router.hpp"

namespace docledger::api {

class TokenBucketLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::size_t kDefaultMaxKeys = 10000;

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when !allowed: >= 1
  };

  // `rate_per_second` > 0 tokens per second, buckets of `burst` >= 1 tokens, starting full.
  // `clock` defaults to std::chrono::steady_clock::now (tests inject their own).
  TokenBucketLimiter(double rate_per_second, double burst, Clock clock = {},
                     std::size_t max_keys = kDefaultMaxKeys);

  // DOCLEDGER_RATE_LIMIT_RPS semantics: rate `rps`, burst max(1, rps). rps must be > 0.
  static std::shared_ptr<TokenBucketLimiter> ForRps(std::uint32_t rps, Clock clock = {});

  // Takes a token from `key`'s bucket if it has one. Thread-safe.
  Decision TryAcquire(const std::string& key);

  std::size_t TrackedKeys() const;
  double rate() const { return rate_; }
  double burst() const { return burst_; }

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  void Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;
  void MakeRoom(std::chrono::steady_clock::time_point now);  // requires mutex_

  const double rate_;
  const double burst_;
  const Clock clock_;
  const std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

Middleware RateLimitMiddleware(std::shared_ptr<TokenBucketLimiter> limiter);

}  // namespace docledger::api
