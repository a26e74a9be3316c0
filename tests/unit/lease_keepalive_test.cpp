// DOCLEDGER_LEASE_TIMEOUT -> the lease session's TCP keepalive: a vanished holder is
// detected, and a stand-by retries, well within the timeout.
#include <gtest/gtest.h>

#include "projection_runtime/projector_runner.hpp"

namespace docledger::projection_runtime {
namespace {

TEST(LeaseKeepalive, DetectsAVanishedHolderWithinTheLeaseTimeoutMinusTheStandbysRetry) {
  for (int t : {5, 6, 7, 9, 10, 11, 15, 30, 60, 300, 3600}) {
    SCOPED_TRACE(t);
    const auto k = LeaseKeepaliveFor(std::chrono::seconds(t));
    EXPECT_GE(k.idle_s, 1);
    EXPECT_GE(k.interval_s, 1);
    EXPECT_GE(k.count, 1);
    EXPECT_EQ(k.user_timeout_ms, k.DetectionBound().count() * 1000);
    // Stand-bys retry every T/10 (at most 1 s): detection + retry stays within T.
    const double retry_s = std::min(1.0, t / 10.0);
    EXPECT_LE(static_cast<double>(k.DetectionBound().count()) + retry_s, static_cast<double>(t));
  }
}

TEST(LeaseKeepalive, DefaultTimeoutProbesAfterThreeSecondsOfSilence) {
  const auto k = LeaseKeepaliveFor(std::chrono::seconds(10));
  EXPECT_EQ(k.idle_s, 3);
  EXPECT_EQ(k.interval_s, 1);
  EXPECT_EQ(k.count, 3);
  EXPECT_EQ(k.DetectionBound(), std::chrono::seconds(6));
}

}  // namespace
}  // namespace docledger::projection_runtime
