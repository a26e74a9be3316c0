#include "eventstore/event_notifier.hpp"

#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using Notifier = PgTest;

TEST_F(Notifier, WakesAWaiterWhenEventsAreCommitted) {
  eventstore::EventNotifier notifier(db_->url(), std::chrono::seconds(30));
  ASSERT_TRUE(WaitUntil([&] { return notifier.Listening(); }));
  EXPECT_EQ(notifier.KnownHead(), 0);
  auto result = store_->Append(MakeAppend("doc", domain::ExpectedVersion::Any(), 2));
  // The poll interval is 30 s, so returning within the test timeout means the NOTIFY woke it.
  const auto head = notifier.WaitForEventsAfter(0, std::chrono::seconds(20));
  EXPECT_EQ(head, result.positions.back().sequence);
}

TEST_F(Notifier, FindsEventsByPollingWhenNoNotificationArrives) {
  Sql("ALTER TABLE events DISABLE TRIGGER events_notify");
  eventstore::EventNotifier notifier(db_->url(), std::chrono::milliseconds(50));
  ASSERT_TRUE(WaitUntil([&] { return notifier.Listening(); }));
  auto result = store_->Append(MakeAppend("doc"));
  EXPECT_EQ(notifier.WaitForEventsAfter(0, std::chrono::seconds(20)), result.positions[0].sequence);
}

TEST_F(Notifier, ReconnectsAfterItsConnectionIsTerminated) {
  eventstore::EventNotifier notifier(db_->url(), std::chrono::milliseconds(100));
  ASSERT_TRUE(WaitUntil([&] { return notifier.Listening(); }));
  Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto result = store_->Append(MakeAppend("doc"));
  EXPECT_EQ(notifier.WaitForEventsAfter(0, std::chrono::seconds(20)), result.positions[0].sequence);
}

}  // namespace
}  // namespace docledger::testing
