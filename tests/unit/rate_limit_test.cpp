// The per-key token bucket with an injected clock (burst, refill, Retry-After, bounded
// memory) and the rate-limit middleware through a Router.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/middleware/auth.hpp"
#include "api/middleware/rate_limit.hpp"
#include "api/router.hpp"

namespace docledger::api {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// A clock the test moves by hand.
struct ManualClock {
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point{} + 1000h;
  TokenBucketLimiter::Clock Fn() {
    return [this] { return now; };
  }
};

TEST(TokenBucketTest, BurstIsMaxOfOneAndRps) {
  ManualClock clock;
  EXPECT_EQ(TokenBucketLimiter::ForRps(5, clock.Fn())->burst(), 5.0);
  EXPECT_EQ(TokenBucketLimiter::ForRps(5, clock.Fn())->rate(), 5.0);
  EXPECT_EQ(TokenBucketLimiter::ForRps(1, clock.Fn())->burst(), 1.0);
  EXPECT_THROW(TokenBucketLimiter::ForRps(0, clock.Fn()), std::invalid_argument);
}

TEST(TokenBucketTest, AllowsTheBurstThenRefusesWithRetryAfter) {
  ManualClock clock;
  const auto limiter = TokenBucketLimiter::ForRps(3, clock.Fn());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter->TryAcquire("k").allowed) << i;
  const auto refused = limiter->TryAcquire("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);
  // A refused request takes no token: still refused until time passes.
  EXPECT_FALSE(limiter->TryAcquire("k").allowed);
}

TEST(TokenBucketTest, RefillsAtTheRate) {
  ManualClock clock;
  const auto limiter = TokenBucketLimiter::ForRps(4, clock.Fn());  // one token per 250 ms
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(limiter->TryAcquire("k").allowed);
  ASSERT_FALSE(limiter->TryAcquire("k").allowed);
  clock.now += 249ms;
  EXPECT_FALSE(limiter->TryAcquire("k").allowed);
  clock.now += 1ms;
  EXPECT_TRUE(limiter->TryAcquire("k").allowed);
  EXPECT_FALSE(limiter->TryAcquire("k").allowed);
  // Never more than the burst, however long the key was idle.
  clock.now += 1h;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter->TryAcquire("k").allowed) << i;
  EXPECT_FALSE(limiter->TryAcquire("k").allowed);
}

TEST(TokenBucketTest, RetryAfterIsWholeSecondsRoundedUpAndAtLeastOne) {
  ManualClock clock;
  TokenBucketLimiter slow(0.25, 1, clock.Fn());  // one token per 4 s
  ASSERT_TRUE(slow.TryAcquire("k").allowed);
  EXPECT_EQ(slow.TryAcquire("k").retry_after, 4s);
  clock.now += 1500ms;  // 2.5 s to go -> 3
  EXPECT_EQ(slow.TryAcquire("k").retry_after, 3s);
  clock.now += 2400ms;  // 0.1 s to go -> 1, never 0
  EXPECT_EQ(slow.TryAcquire("k").retry_after, 1s);
  clock.now += 100ms;
  EXPECT_TRUE(slow.TryAcquire("k").allowed);

  const auto fast = TokenBucketLimiter::ForRps(1000, clock.Fn());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(fast->TryAcquire("k").allowed);
  EXPECT_EQ(fast->TryAcquire("k").retry_after, 1s);
}

TEST(TokenBucketTest, KeysHaveTheirOwnBuckets) {
  ManualClock clock;
  const auto limiter = TokenBucketLimiter::ForRps(1, clock.Fn());
  EXPECT_TRUE(limiter->TryAcquire("a").allowed);
  EXPECT_FALSE(limiter->TryAcquire("a").allowed);
  EXPECT_TRUE(limiter->TryAcquire("b").allowed);
  EXPECT_FALSE(limiter->TryAcquire("b").allowed);
}

TEST(TokenBucketTest, MemoryIsBoundedByMaxKeys) {
  ManualClock clock;
  TokenBucketLimiter limiter(1, 1, clock.Fn(), /*max_keys=*/3);
  for (int i = 0; i < 100; ++i) {
    limiter.TryAcquire("key-" + std::to_string(i));
    clock.now += 10ms;
    EXPECT_LE(limiter.TrackedKeys(), 3u);
  }
  // The most recently used keys are kept (and still limited): the oldest was dropped.
  EXPECT_FALSE(limiter.TryAcquire("key-99").allowed);
  EXPECT_FALSE(limiter.TryAcquire("key-98").allowed);
}

TEST(TokenBucketTest, RefilledBucketsAreDroppedBeforeTheLeastRecentlyUsed) {
  ManualClock clock;
  TokenBucketLimiter limiter(1, 3, clock.Fn(), /*max_keys=*/2);
  clock.now += 500ms;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.TryAcquire("busy").allowed);  // empty, full at 3.5 s
  clock.now += 400ms;
  ASSERT_TRUE(limiter.TryAcquire("recent").allowed);  // 2 left, full again at 1.9 s
  clock.now += 1100ms;  // t = 2 s: "recent" has refilled, "busy" (used earlier) has 1.5 tokens
  ASSERT_TRUE(limiter.TryAcquire("new").allowed);
  EXPECT_EQ(limiter.TrackedKeys(), 2u);
  // "busy" kept its bucket (a fresh one would allow 3 requests).
  EXPECT_TRUE(limiter.TryAcquire("busy").allowed);
  EXPECT_FALSE(limiter.TryAcquire("busy").allowed);
}

TEST(TokenBucketTest, ConcurrentCallersNeverGetMoreThanTheBurst) {
  ManualClock clock;  // frozen: no refill during the test
  const auto limiter = TokenBucketLimiter::ForRps(50, clock.Fn());
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter->TryAcquire("shared").allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 50);
}

class RateLimitMiddlewareTest : public ::testing::Test {
 protected:
  RateLimitMiddlewareTest() {
    const auto ok = [](const RequestContext&) { return JsonResponse(http::status::ok, json::object()); };
    router_.Add(http::verb::get, "/public", Role::kPublic, ok);
    router_.Add(http::verb::get, "/read", Role::kRead, ok);
    router_.Use(AuthMiddleware(std::make_shared<const ApiKeyAuthenticator>(
        std::vector<infrastructure::ApiKey>{{infrastructure::Role::kRead, "key-one"},
                                            {infrastructure::Role::kRead, "key-two"}})));
    router_.Use(RateLimitMiddleware(TokenBucketLimiter::ForRps(2, clock_.Fn())));
  }

  Response Get(const std::string& target, const std::string& key = "") {
    Request request{http::verb::get, target, 11};
    if (!key.empty()) request.set("X-API-Key", key);
    return router_.Handle(request);
  }

  ManualClock clock_;
  Router router_;
};

TEST_F(RateLimitMiddlewareTest, OverTheBurstGives429WithRetryAfter) {
  EXPECT_EQ(Get("/read", "key-one").result(), http::status::ok);
  EXPECT_EQ(Get("/read", "key-one").result(), http::status::ok);
  const auto limited = Get("/read", "key-one");
  EXPECT_EQ(limited.result(), http::status::too_many_requests);
  EXPECT_EQ(limited["Retry-After"], "1");
  EXPECT_EQ(json::parse(limited.body())["error"]["code"], "rate_limited");
  // Per key: the other key is not affected.
  EXPECT_EQ(Get("/read", "key-two").result(), http::status::ok);
  clock_.now += 500ms;
  EXPECT_EQ(Get("/read", "key-one").result(), http::status::ok);
}

TEST_F(RateLimitMiddlewareTest, PublicRoutesAreNotLimited) {
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Get("/public").result(), http::status::ok) << i;
}

TEST_F(RateLimitMiddlewareTest, UnauthenticatedRequestsAreRefusedBeforeTheyUseTokens) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Get("/read", "wrong").result(), http::status::unauthorized);
  EXPECT_EQ(Get("/read", "key-one").result(), http::status::ok);
}

}  // namespace
}  // namespace docledger::api
