// The one capped exponential backoff: its ceilings and its jitter, with each caller's numbers.
#include "infrastructure/backoff.hpp"

#include <gtest/gtest.h>

namespace docledger::infrastructure {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesFromBaseUpToMax) {
  const Backoff backoff{milliseconds(20), milliseconds(1000), 16};  // the event store's
  EXPECT_EQ(backoff.Ceiling(0), milliseconds(20));
  EXPECT_EQ(backoff.Ceiling(1), milliseconds(40));
  EXPECT_EQ(backoff.Ceiling(2), milliseconds(80));
  EXPECT_EQ(backoff.Ceiling(5), milliseconds(640));
  EXPECT_EQ(backoff.Ceiling(6), milliseconds(1000));
  EXPECT_EQ(backoff.Ceiling(1000), milliseconds(1000));
}

TEST(Backoff, CeilingClampsDoublingsSoTheShiftNeverOverflows) {
  const Backoff backoff{milliseconds(2000), milliseconds::max(), 30};
  EXPECT_EQ(backoff.Ceiling(-5), milliseconds(2000));
  EXPECT_EQ(backoff.Ceiling(30), milliseconds(2000LL << 30));
  EXPECT_EQ(backoff.Ceiling(64), milliseconds(2000LL << 30));
}

TEST(Backoff, IdempotencyWaitIsTwoFourEightUpToOneHundred) {
  const Backoff poll{milliseconds(2), milliseconds(100)};
  const milliseconds expected[] = {milliseconds(2),  milliseconds(4),  milliseconds(8),   milliseconds(16),
                                   milliseconds(32), milliseconds(64), milliseconds(100), milliseconds(100)};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(poll.Ceiling(i), expected[i]) << i;
}

TEST(Backoff, JitterStaysBetweenHalfTheCeilingAndTheCeiling) {
  const Backoff backoff{milliseconds(2000), milliseconds(600000), 30};  // the alert worker's
  std::mt19937 rng(42);
  for (int doublings = 0; doublings < 12; ++doublings) {
    const auto ceiling = backoff.Ceiling(doublings);
    for (int i = 0; i < 200; ++i) {
      const auto wait = backoff.Jittered(doublings, rng);
      EXPECT_GE(wait, ceiling / 2);
      EXPECT_LE(wait, ceiling);
    }
  }
  const auto wait = backoff.Jittered(3);  // the thread-local generator
  EXPECT_GE(wait, milliseconds(8000));
  EXPECT_LE(wait, milliseconds(16000));
}

TEST(Backoff, JitterOfAZeroBaseIsAtMostOneMillisecond) {
  const Backoff backoff{milliseconds(0), milliseconds(1000)};
  std::mt19937 rng(7);
  for (int i = 0; i < 100; ++i) {
    const auto wait = backoff.Jittered(i % 20, rng);
    EXPECT_GE(wait, milliseconds(0));
    EXPECT_LE(wait, milliseconds(1));
  }
}

}  // namespace
}  // namespace docledger::infrastructure
