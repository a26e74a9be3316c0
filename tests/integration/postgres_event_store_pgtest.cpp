#include <atomic>
#include <thread>

#include "eventstore/postgres_event_store.hpp"
#include "tests/support/event_store_contract.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

struct PostgresFactory {
  bool SetUp() {
    if (!TestDatabase::Available()) {
      if (std::getenv("CI") != nullptr) ADD_FAILURE() << "DOCLEDGER_TEST_DATABASE_URL is not set";
      return false;
    }
    db = std::make_unique<TestDatabase>();
    pool = std::make_unique<infrastructure::ConnectionPool>(db->url(), 2);
    pg = std::make_unique<eventstore::PostgresEventStore>(*pool);
    return true;
  }
  domain::EventStore& store() { return *pg; }
  std::unique_ptr<TestDatabase> db;
  std::unique_ptr<infrastructure::ConnectionPool> pool;
  std::unique_ptr<eventstore::PostgresEventStore> pg;
};

using Adapters = ::testing::Types<PostgresFactory>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, EventStoreContract, Adapters);

class GroupCommit : public PgTest {
 protected:
  // Holds the event store's order lock from outside, so the next append blocks inside
  // PostgreSQL and every later append of this process queues behind it.
  void HoldOrderLock() {
    holder_ = std::make_unique<pqxx::connection>(db_->url());
    pqxx::nontransaction tx(*holder_);
    tx.exec("SELECT pg_advisory_lock(docledger_event_store_lock_key())");
  }
  void ReleaseOrderLock() {
    pqxx::nontransaction tx(*holder_);
    tx.exec("SELECT pg_advisory_unlock(docledger_event_store_lock_key())");
  }
  bool SomeoneWaitsForOrderLock() {
    return Sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")[0][0]
               .as<int>() > 0;
  }
  std::unique_ptr<pqxx::connection> holder_;
};

TEST_F(GroupCommit, QueuedAppendsShareOneTransactionAndEachGetsItsOwnOutcome) {
  store_->Append(MakeAppend("conflicting", domain::ExpectedVersion::NoStream(), 1));
  const auto before = store_->Stats();
  HoldOrderLock();

  std::thread leader([&] { store_->Append(MakeAppend("leader")); });
  ASSERT_TRUE(WaitUntil([&] { return SomeoneWaitsForOrderLock(); }));

  constexpr int kFollowers = 9;
  std::atomic<int> succeeded{0};
  std::atomic<int> conflicted{0};
  std::vector<std::thread> followers;
  std::vector<domain::AppendResult> results(kFollowers);
  for (int i = 0; i < kFollowers; ++i) {
    followers.emplace_back([&, i] {
      results[i] = store_->Append(MakeAppend("follower-" + std::to_string(i),
                                             domain::ExpectedVersion::NoStream(), 2));
      ++succeeded;
    });
  }
  std::thread stale([&] {
    try {
      store_->Append(MakeAppend("conflicting", domain::ExpectedVersion::NoStream(), 1));
    } catch (const domain::WrongExpectedVersion& e) {
      if (e.actual_version() == 1) ++conflicted;
    }
  });
  ASSERT_TRUE(WaitUntil([&] { return store_->QueuedRequests() == kFollowers + 1; }));
  ReleaseOrderLock();
  leader.join();
  stale.join();
  for (auto& t : followers) t.join();

  EXPECT_EQ(succeeded.load(), kFollowers);
  EXPECT_EQ(conflicted.load(), 1);
  const auto after = store_->Stats();
  EXPECT_EQ(after.batches - before.batches, 2u) << "leader's batch + one batch for all queued";
  EXPECT_EQ(after.requests - before.requests, kFollowers + 2u);
  for (const auto& r : results) {
    ASSERT_EQ(r.positions.size(), 2u);
    EXPECT_EQ(r.positions[0].stream_version, 1);
    EXPECT_EQ(r.positions[1].sequence, r.positions[0].sequence + 1) << "a request's events are contiguous";
  }
  EXPECT_EQ(store_->StreamVersion("conflicting"), 1);
}

TEST_F(GroupCommit, QueuedReappendsAndReusedIdsAreDecidedPerRequestInOneBatch) {
  // The set-wise path (several requests in one call) keeps the single-request rules.
  auto recorded = MakeAppend("recorded", domain::ExpectedVersion::NoStream(), 2);
  const auto original = store_->Append(recorded);
  auto other = MakeAppend("other", domain::ExpectedVersion::NoStream(), 1);
  store_->Append(other);
  auto reused = other.events[0];  // same id as a recorded event, other content
  reused.payload = R"({"other":true})";
  HoldOrderLock();
  std::thread leader([&] { store_->Append(MakeAppend("leader")); });
  ASSERT_TRUE(WaitUntil([&] { return SomeoneWaitsForOrderLock(); }));
  domain::AppendResult again, fresh;
  std::atomic<int> id_conflicts{0};
  std::thread t1([&] { again = store_->Append(recorded); });
  std::thread t2([&] {
    try {
      store_->Append(MakeAppend("elsewhere", domain::ExpectedVersion::Any(), {reused}));
    } catch (const domain::EventIdConflict&) {
      ++id_conflicts;
    }
  });
  std::thread t3([&] { fresh = store_->Append(MakeAppend("fresh", domain::ExpectedVersion::NoStream(), 3)); });
  ASSERT_TRUE(WaitUntil([&] { return store_->QueuedRequests() == 3; }));
  const auto before = store_->Stats();
  ReleaseOrderLock();
  leader.join();
  t1.join();
  t2.join();
  t3.join();
  EXPECT_EQ(store_->Stats().batches - before.batches, 2u);
  EXPECT_TRUE(again.already_recorded);
  EXPECT_EQ(again.positions, original.positions);
  EXPECT_EQ(id_conflicts.load(), 1);
  EXPECT_EQ(fresh.positions.size(), 3u);
  EXPECT_EQ(fresh.stream_version, 3);
  EXPECT_EQ(store_->StreamVersion("elsewhere"), 0);
  EXPECT_EQ(store_->StreamVersion("recorded"), 2);
}

TEST_F(GroupCommit, ABatchStaysUnderItsByteLimit) {
  eventstore::EventStoreOptions options;
  options.max_batch_bytes = 200;  // each request below carries ~120 bytes
  eventstore::PostgresEventStore small(*pool_, options);
  HoldOrderLock();
  std::thread leader([&] { small.Append(MakeAppend("leader")); });
  ASSERT_TRUE(WaitUntil([&] { return SomeoneWaitsForOrderLock(); }));
  std::vector<std::thread> followers;
  for (int i = 0; i < 4; ++i) {
    followers.emplace_back([&, i] {
      small.Append(MakeAppend("big-" + std::to_string(i), domain::ExpectedVersion::NoStream(),
                              {MakeEvent("T", R"({"text":")" + std::string(100, 'x') + "\"}")}));
    });
  }
  ASSERT_TRUE(WaitUntil([&] { return small.QueuedRequests() == 4; }));
  ReleaseOrderLock();
  leader.join();
  for (auto& t : followers) t.join();
  EXPECT_EQ(small.Stats().batches, 5u) << "one request per batch: two would exceed 200 bytes";
  EXPECT_EQ(small.Stats().requests, 5u);
}

TEST_F(GroupCommit, TwoRequestsOnOneStreamInTheQueueAreDecidedInOrder) {
  HoldOrderLock();
  std::thread leader([&] { store_->Append(MakeAppend("leader")); });
  ASSERT_TRUE(WaitUntil([&] { return SomeoneWaitsForOrderLock(); }));
  std::atomic<int> ok{0};
  std::thread first([&] {
    store_->Append(MakeAppend("shared", domain::ExpectedVersion::NoStream(), 1));
    ++ok;
  });
  ASSERT_TRUE(WaitUntil([&] { return store_->QueuedRequests() == 1; }));
  std::thread second([&] {
    store_->Append(MakeAppend("shared", domain::ExpectedVersion::Exact(1), 1));
    ++ok;
  });
  ASSERT_TRUE(WaitUntil([&] { return store_->QueuedRequests() == 2; }));
  ReleaseOrderLock();
  leader.join();
  first.join();
  second.join();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(store_->StreamVersion("shared"), 2);
}

TEST_F(GroupCommit, ManyConcurrentWritersAllSucceedWithDistinctSequences) {
  constexpr int kWriters = 32;
  constexpr int kEach = 20;
  std::vector<std::vector<std::int64_t>> sequences(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store_->Append(MakeAppend("w" + std::to_string(w)));
        sequences[w].push_back(r.positions[0].sequence);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::int64_t> all;
  for (auto& s : sequences) all.insert(s.begin(), s.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kWriters * kEach));
  EXPECT_EQ(store_->HeadSequence(), *all.rbegin());
  EXPECT_LT(store_->Stats().batches, static_cast<std::uint64_t>(kWriters * kEach))
      << "concurrent appends were grouped";
}

TEST_F(GroupCommit, AppendRecoversAfterItsConnectionIsTerminated) {
  store_->Append(MakeAppend("s"));
  Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto r = store_->Append(MakeAppend("s", domain::ExpectedVersion::Exact(1), 1));
  EXPECT_EQ(r.stream_version, 2);
  EXPECT_EQ(store_->ReadStream("s", 1, 10).size(), 2u);
}

}  // namespace
}  // namespace docledger::testing

namespace docledger::testing {
namespace {

using PostgresReads = PgTest;

// Compared with the stored value itself, never with the clock: true at midnight, on any
// date, and whatever the time zone of the database, the session or the test process.
TEST_F(PostgresReads, RecordedAtIsRfc3339InUtc) {
  // Far from UTC, for every new session of this database (the store's set UTC themselves).
  Sql("ALTER DATABASE " + db_->name() + " SET TimeZone = 'Pacific/Kiritimati'");
  store_->Append(MakeAppend("s"));
  const auto events = store_->ReadAll(0, 10);
  ASSERT_EQ(events.size(), 1u);
  const auto& at = events[0].recorded_at;
  ASSERT_GE(at.size(), 20u) << at;
  EXPECT_EQ(at[10], 'T') << at;
  EXPECT_EQ(at.back(), 'Z') << at;
  const auto stored = Sql("SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), "
                          "recorded_at = '" + at + "'::timestamptz FROM events");
  EXPECT_EQ(at.substr(0, 19), stored[0][0].c_str()) << "the UTC date and time of the stored value";
  EXPECT_TRUE(stored[0][1].as<bool>()) << at << " read back is not the stored instant";
}

TEST_F(PostgresReads, ForEachEventVisitsEveryEventOnceInOrderWhateverThePageSize) {
  for (int i = 0; i < 10; ++i) store_->Append(MakeAppend("s" + std::to_string(i % 3), domain::ExpectedVersion::Any(), 5));
  for (std::size_t page : {1u, 7u, 50u, 1000u}) {
    std::vector<std::int64_t> seen;
    const auto last = store_->ForEachEvent(0, page, [&](const domain::RecordedEvent& e) { seen.push_back(e.sequence); });
    ASSERT_EQ(seen.size(), 50u) << "page " << page;
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 50u);
    EXPECT_EQ(last, seen.back());
  }
  EXPECT_EQ(store_->ForEachEvent(store_->HeadSequence(), 10, [](const domain::RecordedEvent&) { FAIL(); }),
            store_->HeadSequence());
}

}  // namespace
}  // namespace docledger::testing
