// The global order of design.md: a reader that tails with nothing but
// `sequence > last_seen` never misses a committed event.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>


#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using GlobalOrder = PgTest;

TEST_F(GlobalOrder, TailingReaderSeesEveryCommittedEventExactlyOnceUnderConcurrentWriters) {
  constexpr int kWriters = 8;
  constexpr int kRounds = 150;
  auto other_process = SecondStore();
  std::mutex acked_mutex;
  std::set<std::string> acked;
  std::atomic<int> writers_done{0};

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto& store = (w % 2 == 0) ? *store_ : *other_process;
      for (int i = 0; i < kRounds; ++i) {
        const int count = (i % 5 == 0) ? 5 : 1;  // single events and batches
        auto result = store.Append(MakeAppend("writer-" + std::to_string(w) + "-" + std::to_string(i % 7),
                                              domain::ExpectedVersion::Any(), count));
        std::lock_guard lock(acked_mutex);
        for (const auto& p : result.positions) acked.insert(p.event_id);
      }
      ++writers_done;
    });
  }
  // Two writers outside docledger: plain INSERTs with work between INSERT and COMMIT (a
  // read of the log), widening the window in which a later sequence could commit first.
  std::vector<std::thread> raw_writers;
  for (int w = 0; w < 2; ++w) {
    raw_writers.emplace_back([&, w] {
      pqxx::connection conn(db_->url());
      for (int i = 0; i < 60; ++i) {
        pqxx::work tx(conn);
        auto row = tx.exec_params1(
            "INSERT INTO events (event_id, stream_id, stream_version, event_type, payload) "
            "VALUES (gen_random_uuid(), $1, $2, 'RawInsert', '{}') RETURNING event_id::text",
            "raw-" + std::to_string(w), i + 1);
        tx.exec("SELECT count(*) FROM events");
        tx.commit();
        std::lock_guard lock(acked_mutex);
        acked.insert(row[0].c_str());
      }
      ++writers_done;
    });
  }

  // The reader: nothing but "sequence > last_seen".
  std::vector<domain::RecordedEvent> seen;
  std::int64_t last_seen = 0;
  bool decreasing = false;
  for (;;) {
    const bool all_done = writers_done.load() == kWriters + 2;
    auto page = store_->ReadAll(last_seen, 400);
    for (auto& e : page) {
      if (e.sequence <= last_seen) decreasing = true;
      last_seen = e.sequence;
      seen.push_back(std::move(e));
    }
    if (all_done && page.empty()) break;
  }
  for (auto& t : writers) t.join();
  for (auto& t : raw_writers) t.join();

  EXPECT_FALSE(decreasing);
  std::set<std::string> seen_ids;
  for (const auto& e : seen) seen_ids.insert(e.event_id);
  EXPECT_EQ(seen_ids.size(), seen.size()) << "no event seen twice";
  EXPECT_EQ(seen_ids, acked) << "the reader saw exactly the acknowledged events";
  const auto in_table = Sql("SELECT count(*) FROM events")[0][0].as<std::size_t>();
  EXPECT_EQ(in_table, seen.size()) << "nothing in the table that the reader skipped";
}

// Deterministic variant: an append is held open after its INSERT (a test trigger waits on
// an advisory lock the test holds) while another process appends. The second append
// cannot commit ahead of it, so a reader can never pass the held event.
class HeldAppend : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    Sql(R"SQL(
      CREATE FUNCTION test_wait_for_release() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN NULL; END $$;
      CREATE TRIGGER test_hold_after_insert AFTER INSERT ON events FOR EACH ROW
        WHEN (NEW.stream_id = 'held') EXECUTE FUNCTION test_wait_for_release();
    )SQL");
    gate_ = std::make_unique<pqxx::connection>(db_->url());
    pqxx::nontransaction tx(*gate_);
    tx.exec("SELECT pg_advisory_lock(4242)");
  }
  void OpenGate() {
    pqxx::nontransaction tx(*gate_);
    tx.exec("SELECT pg_advisory_unlock(4242)");
  }
  int Waiting(const std::string& lock_condition) {
    return Sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND " +
               lock_condition)[0][0].as<int>();
  }
  std::unique_ptr<pqxx::connection> gate_;
};

TEST_F(HeldAppend, ReaderCannotPassAnAppendThatIsStillOpen) {
  auto other_process = SecondStore();
  domain::AppendResult held_result, later_result;
  std::thread held([&] { held_result = store_->Append(MakeAppend("held")); });
  ASSERT_TRUE(WaitUntil([&] { return Waiting("objid = 4242") == 1; })) << "held append inserted and waits";

  std::thread later([&] { later_result = other_process->Append(MakeAppend("later")); });
  ASSERT_TRUE(WaitUntil([&] { return Waiting("objid <> 4242") == 1; }))
      << "the other process's append waits for the order lock";

  EXPECT_TRUE(store_->ReadAll(0, 100).empty()) << "nothing is visible, so nothing can be skipped";
  EXPECT_EQ(store_->HeadSequence(), 0);

  OpenGate();
  held.join();
  later.join();
  auto events = store_->ReadAll(0, 100);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].stream_id, "held");
  EXPECT_EQ(events[1].stream_id, "later");
  EXPECT_LT(held_result.positions[0].sequence, later_result.positions[0].sequence);
}

// The control: the same situation without the order lock shows the hazard the lock
// removes (a later sequence commits first; a reader checkpointing it would skip the
// earlier one forever). If this ever stops failing "as expected", the test above would
// prove nothing.
TEST_F(HeldAppend, WithoutTheOrderLockALaterSequenceBecomesVisibleFirst) {
  Sql("DROP TRIGGER events_take_order_lock ON events");
  std::thread held([&] {
    pqxx::connection conn(db_->url());
    pqxx::work tx(conn);
    tx.exec("INSERT INTO events (event_id, stream_id, stream_version, event_type, payload) "
            "VALUES (gen_random_uuid(), 'held', 1, 'T', '{}')");
    tx.commit();
  });
  ASSERT_TRUE(WaitUntil([&] { return Waiting("objid = 4242") == 1; }));
  {
    pqxx::connection conn(db_->url());
    pqxx::work tx(conn);
    tx.exec("INSERT INTO events (event_id, stream_id, stream_version, event_type, payload) "
            "VALUES (gen_random_uuid(), 'later', 1, 'T', '{}')");
    tx.commit();
  }
  auto visible = store_->ReadAll(0, 100);
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0].stream_id, "later");
  const auto checkpoint = visible[0].sequence;
  OpenGate();
  held.join();
  auto after = store_->ReadAll(checkpoint, 100);
  EXPECT_TRUE(after.empty()) << "the held event has a lower sequence: a tailing reader lost it";
  EXPECT_EQ(store_->ReadAll(0, 100).size(), 2u);
}

TEST_F(GlobalOrder, RacingWritersWithExactVersionsLeaveNoHolesAndOneWinnerPerVersion) {
  constexpr int kThreads = 8;
  constexpr int kTarget = 120;
  std::vector<std::unique_ptr<eventstore::PostgresEventStore>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(SecondStore());
  std::mutex mutex;
  std::vector<std::int64_t> won_versions;
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto& store = (t < 4) ? *stores[t] : *store_;  // 4 "processes" + 4 threads sharing one
      for (;;) {
        const auto version = store.StreamVersion("contended");
        if (version >= kTarget) return;
        try {
          auto r = store.Append(MakeAppend("contended", domain::ExpectedVersion::Exact(version), 1));
          std::lock_guard lock(mutex);
          won_versions.push_back(r.stream_version);
        } catch (const domain::WrongExpectedVersion&) {
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(won_versions.begin(), won_versions.end());
  const auto final_version = store_->StreamVersion("contended");
  ASSERT_EQ(won_versions.size(), static_cast<std::size_t>(final_version));
  for (std::size_t i = 0; i < won_versions.size(); ++i) {
    EXPECT_EQ(won_versions[i], static_cast<std::int64_t>(i) + 1) << "each version won exactly once";
  }
  auto events = store_->ReadStream("contended", 1, 10000);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(final_version));
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].stream_version, static_cast<std::int64_t>(i) + 1) << "no holes";
  }
  RecordProperty("conflicts", conflicts.load());
}

}  // namespace
}  // namespace docledger::testing
