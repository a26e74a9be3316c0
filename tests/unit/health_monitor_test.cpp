// GET /health's cache (operations/health_monitor.*): at most one round of checks per
// max_age, one gathering shared by every caller that arrives while it runs.
#include "operations/health_monitor.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/wait.hpp"

namespace docledger::operations {
namespace {

using namespace std::chrono_literals;

// A clock the test moves.
struct FakeClock {
  std::atomic<std::int64_t> ms{0};
  HealthMonitor::Clock Fn() {
    return [this] { return std::chrono::steady_clock::time_point(std::chrono::milliseconds(ms.load())); };
  }
};

TEST(HealthMonitor, GathersAtMostOncePerMaxAge) {
  FakeClock clock;
  int gathered = 0;
  HealthMonitor monitor([&] {
    HealthSnapshot s;
    s.checked_at = std::to_string(++gathered);
    return s;
  }, 1000ms, clock.Fn());
  EXPECT_EQ(monitor.Current()->checked_at, "1");
  clock.ms = 999;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(monitor.Current()->checked_at, "1");
  clock.ms = 1000;
  EXPECT_EQ(monitor.Current()->checked_at, "2") << "a snapshot max_age old is gathered again";
  EXPECT_EQ(gathered, 2);
}

TEST(HealthMonitor, ConcurrentCallersShareTheGatheringInFlight) {
  FakeClock clock;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> gathered{0};
  testing::Signal entered;
  HealthMonitor monitor([&] {
    ++gathered;
    entered.Notify();
    released.wait();
    HealthSnapshot s;
    s.checked_at = "shared";
    return s;
  }, 1000ms, clock.Fn());

  constexpr int kCallers = 8;
  std::vector<std::future<std::string>> answers;
  answers.push_back(std::async(std::launch::async, [&] { return monitor.Current()->checked_at; }));
  ASSERT_TRUE(entered.WaitUntil([&] { return gathered.load() == 1; }));
  for (int i = 1; i < kCallers; ++i) {
    answers.push_back(std::async(std::launch::async, [&] { return monitor.Current()->checked_at; }));
  }
  // The other callers are blocked on the gathering in flight (their state is this process's
  // own, but it changes inside the monitor, which offers no event: polled).
  ASSERT_TRUE(testing::WaitUntil([&] { return monitor.Waiting() == kCallers - 1; }));
  clock.ms = 5000;  // even a gathering slower than max_age is shared, not repeated
  release.set_value();
  for (auto& answer : answers) EXPECT_EQ(answer.get(), "shared");
  EXPECT_EQ(gathered.load(), 1);
  EXPECT_EQ(monitor.Gathered(), 1u);
}

TEST(HealthMonitor, AGatherThatThrowsReportsTheDatabaseUnreachable) {
  HealthMonitor monitor([]() -> HealthSnapshot { throw std::runtime_error("boom"); });
  const auto snapshot = monitor.Current();
  EXPECT_EQ(snapshot->database, DatabaseState::kUnreachable);
  EXPECT_EQ(EvaluateHealth(*snapshot, {}).status, HealthStatus::kUnhealthy);
}

}  // namespace
}  // namespace docledger::operations
