#include "api/middleware/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "api/http_error.hpp"

namespace docledger::api {

TokenBucketLimiter::TokenBucketLimiter(double rate_per_second, double burst, Clock clock,
                                       std::size_t max_keys)
    : rate_(rate_per_second),
      burst_(burst),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      max_keys_(std::max<std::size_t>(1, max_keys)) {
  if (!(rate_ > 0) || !(burst_ >= 1)) {
    throw std::invalid_argument("token bucket needs a rate > 0 and a burst >= 1");
  }
}

std::shared_ptr<TokenBucketLimiter> TokenBucketLimiter::ForRps(std::uint32_t rps, Clock clock) {
  if (rps == 0) throw std::invalid_argument("rate limit of 0 requests per second means off");
  const double rate = static_cast<double>(rps);
  return std::make_shared<TokenBucketLimiter>(rate, std::max(1.0, rate), std::move(clock));
}

void TokenBucketLimiter::Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  if (now > bucket.updated) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
}

void TokenBucketLimiter::MakeRoom(std::chrono::steady_clock::time_point now) {
  // A bucket that has refilled is the same as no bucket.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Bucket refilled = it->second;  // a copy: `updated` orders the buckets by last use below
    Refill(refilled, now);
    it = refilled.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() < max_keys_) return;
  const auto oldest = std::min_element(buckets_.begin(), buckets_.end(), [](const auto& a, const auto& b) {
    return a.second.updated < b.second.updated;
  });
  buckets_.erase(oldest);
}

TokenBucketLimiter::Decision TokenBucketLimiter::TryAcquire(const std::string& key) {
  const auto now = clock_();
  const std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) MakeRoom(now);
    it = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  Refill(bucket, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {true, std::chrono::seconds(0)};
  }
  const double wait = (1.0 - bucket.tokens) / rate_;
  const auto seconds = static_cast<std::int64_t>(std::ceil(wait));
  return {false, std::chrono::seconds(std::max<std::int64_t>(1, seconds))};
}

std::size_t TokenBucketLimiter::TrackedKeys() const {
  const std::lock_guard lock(mutex_);
  return buckets_.size();
}

Middleware RateLimitMiddleware(std::shared_ptr<TokenBucketLimiter> limiter) {
  if (!limiter) throw std::invalid_argument("RateLimitMiddleware needs a limiter");
  return [limiter = std::move(limiter)](RequestContext& context, const Next& next) -> Response {
    if (context.required_role == Role::kPublic) return next(context);
    const auto decision = limiter->TryAcquire(context.actor);
    if (!decision.allowed) {
      throw HttpError::RateLimited(static_cast<int>(decision.retry_after.count()));
    }
    return next(context);
  };
}

}  // namespace docledger::api
