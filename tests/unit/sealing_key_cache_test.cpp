#include "infrastructure/sealing_key_cache.hpp"

#include <gtest/gtest.h>

namespace docledger::infrastructure {
namespace {

using namespace std::chrono_literals;
const SealingKeyCache::Clock::time_point kStart{};

TEST(SealingKeyCache, GivesAKeyBackUntilItsLifetimeEnds) {
  SealingKeyCache cache(10, 60s);
  cache.Put("a", "key-a", kStart);
  EXPECT_EQ(cache.Get("a", kStart + 59s), "key-a");
  EXPECT_EQ(cache.Get("a", kStart + 60s), std::nullopt) << "expired";
  EXPECT_EQ(cache.Size(), 0u) << "an expired key is dropped when met";
  EXPECT_EQ(cache.Get("b", kStart), std::nullopt);
}

TEST(SealingKeyCache, ForgetsAnErasedDocumentsKey) {
  SealingKeyCache cache(10, 60s);
  cache.Put("a", "key-a", kStart);
  cache.Put("b", "key-b", kStart);
  cache.Forget("a");
  cache.Forget("never cached");
  EXPECT_EQ(cache.Get("a", kStart), std::nullopt);
  EXPECT_EQ(cache.Get("b", kStart), "key-b");
}

TEST(SealingKeyCache, AKeyReadJustBeforeAnErasureCannotBeCachedAgainAfterIt) {
  SealingKeyCache cache(10, 60s);
  cache.Put("a", "key-a", kStart);
  cache.Forget("a", kStart + 1s);
  cache.Put("a", "key-a", kStart + 2s);  // a seal that looked the key up before the erasure committed
  EXPECT_EQ(cache.Get("a", kStart + 2s), std::nullopt);
  cache.Forget("b", kStart + 1s);  // erased through this process without having been cached
  cache.Put("b", "key-b", kStart + 2s);
  EXPECT_EQ(cache.Get("b", kStart + 2s), std::nullopt);
  cache.Put("b", "key-b", kStart + 62s);  // the mark has expired
  EXPECT_EQ(cache.Get("b", kStart + 62s), "key-b");
}

TEST(SealingKeyCache, ExpiredKeysAreWipedByTheNextPutNotOnlyWhenMet) {
  SealingKeyCache cache(10, 60s);
  cache.Put("a", "key-a", kStart);
  cache.Put("b", "key-b", kStart + 61s);
  EXPECT_EQ(cache.Size(), 1u);
}

TEST(SealingKeyCache, StaysWithinItsCapacityDroppingExpiredKeysFirst) {
  SealingKeyCache cache(2, 60s);
  cache.Put("old", "key-old", kStart);
  cache.Put("live", "key-live", kStart + 30s);
  cache.Put("new", "key-new", kStart + 61s);  // "old" has expired: it makes room
  EXPECT_EQ(cache.Size(), 2u);
  EXPECT_EQ(cache.Get("live", kStart + 61s), "key-live");
  EXPECT_EQ(cache.Get("new", kStart + 61s), "key-new");
  cache.Put("newer", "key-newer", kStart + 62s);  // none expired: one goes anyway
  EXPECT_EQ(cache.Size(), 2u);
  EXPECT_EQ(cache.Get("newer", kStart + 62s), "key-newer");
}

TEST(SealingKeyCache, APutRenewsAKeyAndCapacityZeroCachesNothing) {
  SealingKeyCache cache(2, 60s);
  cache.Put("a", "key-a", kStart);
  cache.Put("a", "key-a", kStart + 50s);
  EXPECT_EQ(cache.Get("a", kStart + 100s), "key-a");
  EXPECT_EQ(cache.Size(), 1u);
  SealingKeyCache none(0, 60s);
  none.Put("a", "key-a", kStart);
  EXPECT_EQ(none.Get("a", kStart), std::nullopt);
}

}  // namespace
}  // namespace docledger::infrastructure
