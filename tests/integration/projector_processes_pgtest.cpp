// Projector processes killed with SIGKILL: the lease moves to the stand-by, and the
// read model ends identical to a from-scratch rebuild (nothing lost, nothing doubled).
#include <atomic>
#include <random>
#include <thread>

#include "projection_runtime/projection_rebuild.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/stream_catalog/stream_catalog.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/test_projections.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using domain::ExpectedVersion;

class ProjectorProcesses : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    child_ = std::getenv("DOCLEDGER_PROJECTOR_CHILD") ? std::getenv("DOCLEDGER_PROJECTOR_CHILD") : "";
    ASSERT_FALSE(child_.empty()) << "DOCLEDGER_PROJECTOR_CHILD must name tests/projector_child";
    Sql(TestProjectionsDdl(/*with_foreign_key=*/false));
  }
  std::unique_ptr<ChildProcess> StartChild(const std::string& instance, int batch = 20, bool with_reactor = false) {
    std::vector<std::string> argv{child_, db_->url(), instance, std::to_string(batch), "test_documents",
                                  "stream_catalog"};
    if (with_reactor) argv.push_back("test_indexer");
    return std::make_unique<ChildProcess>(argv);
  }
  void AppendDocs(int count, int offset = 0) {
    for (int i = 0; i < count; ++i) {
      const auto id = std::to_string((i + offset) % 37);
      store_->Append(MakeAppend("doc-" + id, ExpectedVersion::Any(),
                                {MakeEvent(i % 3 == 0 ? "TestDocRenamed" : "TestDocCreated",
                                           R"({"title":"t)" + std::to_string(i + offset) + "\"}")}));
    }
  }
  std::int64_t Checkpoint(const std::string& name) {
    auto r = Sql("SELECT last_sequence FROM projection_checkpoints WHERE name = '" + name + "'");
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  }
  void ExpectIdenticalToReplay(const std::shared_ptr<const projections::Projection>& projection) {
    projection_runtime::RebuildOptions options;
    options.verify_only = true;
    const auto result = projection_runtime::RebuildProjection(db_->url(), projection, options);
    for (const auto& c : result.comparisons) {
      EXPECT_TRUE(c.identical()) << projection->Name() << "." << c.table << ": live " << c.live_rows << " rows, rebuilt "
                                 << c.rebuilt_rows << (c.only_live.empty() ? "" : "; only live: " + c.only_live[0])
                                 << (c.only_rebuilt.empty() ? "" : "; only rebuilt: " + c.only_rebuilt[0]);
    }
  }
  std::string child_;
};

static bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

TEST_F(ProjectorProcesses, KillingTheLeaseHolderHandsTheWorkToTheStandbyWithNothingDoubled) {
  auto active = StartChild("active");
  ASSERT_GE(active->WaitForLine([](const std::string& l) { return l == "HOLDING test_documents"; }), 0);
  auto standby = StartChild("standby");
  AppendDocs(300);
  const auto head = store_->HeadSequence();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") == head && Checkpoint("stream_catalog") == head; }));
  // Both instances are up (the stand-by's runners have connected and try the lease); every
  // projector lease belongs to the active one.
  ASSERT_TRUE(WaitUntil([&] {
    return Sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
               "AND application_name LIKE 'standby/%'")[0][0].as<int>() == 2;
  }));
  const auto holders = Sql(
      "SELECT DISTINCT split_part(a.application_name, '/', 1) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = " +
      std::to_string(projection_runtime::kProjectorLeaseClass) + " AND a.datname = current_database()");
  ASSERT_EQ(holders.size(), 1u);
  EXPECT_EQ(std::string(holders[0][0].c_str()), "active") << "the stand-by holds no lease while the active lives";

  const auto killed_at = std::chrono::steady_clock::now();
  active->Kill();  // SIGKILL
  ASSERT_GE(standby->WaitForLine([](const std::string& l) { return l == "HOLDING test_documents"; }, 0,
                                 std::chrono::seconds(30)),
            0);
  const auto takeover_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed_at).count();
  RecordProperty("takeover_ms", static_cast<int>(takeover_ms));
  AppendDocs(200, 300);
  const auto head2 = store_->HeadSequence();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") == head2 && Checkpoint("stream_catalog") == head2; }));
  EXPECT_EQ(Sql("SELECT sum(event_count) FROM test_documents")[0][0].as<int>(), 500);
  ExpectIdenticalToReplay(std::make_shared<TestDocuments>());
}

TEST_F(ProjectorProcesses, RandomSigkillsLeaveTablesIdenticalToAFromScratchReplay) {
  // The writer goes on until the last kill, so that every child has batches to commit.
  constexpr int kKills = 12;
  std::atomic<bool> writing{true};
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (writing || written < 3000) {
      AppendDocs(50, written);
      written += 50;
    }
  });
  std::mt19937 rng(12345);
  // A kill counts only when it lands on a child that has committed the batches it was
  // given (each "CHECKPOINT" line is printed after a batch's transaction committed): a
  // child killed before its first commit, or while waiting for the lease, tests nothing.
  int kills = 0;
  for (int attempt = 0; attempt < kKills; ++attempt) {
    auto child = StartChild("crashy-" + std::to_string(attempt), 25, /*with_reactor=*/true);
    const int batches = std::uniform_int_distribution<int>(1, 6)(rng);
    int committed = 0;
    std::size_t from = 0;
    for (; committed < batches; ++committed) {
      const int line = child->WaitForLine([](const std::string& l) { return StartsWith(l, "CHECKPOINT"); }, from,
                                          std::chrono::seconds(30));
      if (line < 0) break;
      from = static_cast<std::size_t>(line) + 1;
    }
    child->Kill();  // wherever it is now: inside a later batch, or between two
    if (committed == batches) {
      ++kills;
    } else {
      ADD_FAILURE() << "child " << attempt << " committed " << committed << " of " << batches << " batches";
    }
  }
  writing = false;
  writer.join();
  auto last = StartChild("final", 25, /*with_reactor=*/true);
  const auto head = store_->HeadSequence();  // of the writers' events; the reactor adds more
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") >= head && Checkpoint("test_indexer") >= head; },
                        std::chrono::seconds(120)));
  const auto full_head = store_->HeadSequence();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("stream_catalog") == full_head; }, std::chrono::seconds(120)));
  last->Kill();
  ExpectIdenticalToReplay(std::make_shared<projections::StreamCatalog>());
  RecordProperty("kills", kills);
  EXPECT_EQ(kills, kKills) << "kills that landed after a committed batch";
  EXPECT_EQ(Sql("SELECT sum(event_count) FROM test_documents")[0][0].as<int>(), written.load())
      << "each event exactly once";
  ExpectIdenticalToReplay(std::make_shared<TestDocuments>());
  EXPECT_EQ(Sql("SELECT count(*) FROM events WHERE event_type = 'TestDocIndexed'")[0][0].as<int>(),
            Sql("SELECT count(*) FROM events WHERE event_type = 'TestDocCreated'")[0][0].as<int>())
      << "the reactor appended exactly one event per source event, whatever the kills";
}

}  // namespace
}  // namespace docledger::testing
