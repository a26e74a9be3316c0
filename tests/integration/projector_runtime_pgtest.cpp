// The projector runtime in one process: batches, checkpoints, poison/parking per stream,
// dependencies, transient failures.
#include <atomic>
#include <cstdlib>
#include <thread>

#include "infrastructure/id_generator.hpp"
#include "projection_runtime/projection_rebuild.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/test_projections.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using domain::ExpectedVersion;

class ProjectorRuntime : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    Sql(TestProjectionsDdl(/*with_foreign_key=*/true));
  }
  void Doc(const std::string& id, const std::string& type, const std::string& payload) {
    store_->Append(MakeAppend("doc-" + id, ExpectedVersion::Any(), {MakeEvent(type, payload)}));
  }
  projection_runtime::ProjectorOptions FastOptions(std::size_t batch = 100) {
    projection_runtime::ProjectorOptions o;
    o.batch_size = batch;
    o.poll_interval = std::chrono::milliseconds(50);
    o.base_backoff = std::chrono::milliseconds(10);
    o.max_backoff = std::chrono::milliseconds(200);
    o.lease_retry = std::chrono::milliseconds(50);
    o.instance = "test";
    return o;
  }
  std::int64_t Checkpoint(const std::string& name) {
    auto r = Sql("SELECT last_sequence FROM projection_checkpoints WHERE name = '" + name + "'");
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  }
  std::string Title(const std::string& id) {
    auto r = Sql("SELECT title FROM test_documents WHERE doc_id = '" + id + "'");
    return r.empty() ? "<none>" : r[0][0].c_str();
  }
  std::shared_ptr<TestDocuments> docs_ = std::make_shared<TestDocuments>();
};

TEST_F(ProjectorRuntime, AppliesEventsInBatchesAndAdvancesTheCheckpointWithThem) {
  for (int i = 0; i < 25; ++i) Doc(std::to_string(i % 5), i % 5 == 0 && i > 0 ? "TestDocRenamed" : "TestDocCreated",
                                   R"({"title":"t)" + std::to_string(i) + "\"}");
  store_->Append(MakeAppend("unrelated", ExpectedVersion::Any(), 3));  // not its event type
  projection_runtime::ProjectorRunner runner(db_->url(), docs_, FastOptions(7));
  const auto head = store_->HeadSequence();
  EXPECT_EQ(runner.CatchUp(), head);
  EXPECT_EQ(Checkpoint("test_documents"), head) << "the checkpoint passes events of other types too";
  EXPECT_EQ(Sql("SELECT count(*) FROM test_documents")[0][0].as<int>(), 5);
  EXPECT_EQ(Sql("SELECT sum(event_count) FROM test_documents")[0][0].as<int>(), 25) << "each event once";
  EXPECT_EQ(Title("0"), "t20");
  EXPECT_GE(runner.Progress().batches, 4u);
}

TEST_F(ProjectorRuntime, BufferedWritesHaveTheEffectOfApplyingEventsOneByOne) {
  // Create, rename, delete, re-create and rename the same document inside one batch.
  Doc("x", "TestDocCreated", R"({"title":"a"})");
  Doc("x", "TestDocRenamed", R"({"title":"b"})");
  Doc("x", "TestDocDeleted", "{}");
  Doc("x", "TestDocCreated", R"({"title":"c"})");
  Doc("x", "TestDocRenamed", R"({"title":"d"})");
  Doc("y", "TestDocCreated", R"({"title":"y"})");
  Doc("y", "TestDocDeleted", "{}");
  projection_runtime::ProjectorRunner runner(db_->url(), docs_, FastOptions(1000));
  runner.CatchUp();
  EXPECT_EQ(Title("x"), "d");
  EXPECT_EQ(Sql("SELECT event_count FROM test_documents WHERE doc_id = 'x'")[0][0].as<int>(), 2);
  EXPECT_EQ(Title("y"), "<none>");
}

TEST_F(ProjectorRuntime, APoisonEventIsParkedItsStreamHeldAndOtherStreamsMoveOn) {
  Doc("good", "TestDocCreated", R"({"title":"g1"})");
  Doc("bad", "TestDocCreated", R"({"title":"b1"})");
  Doc("bad", "TestDocRenamed", R"({"title":"b2","poison":true})");
  Doc("bad", "TestDocRenamed", R"({"title":"b3"})");
  Doc("good", "TestDocRenamed", R"({"title":"g2"})");
  projection_runtime::ProjectorRunner runner(db_->url(), docs_, FastOptions());
  const auto head = store_->HeadSequence();
  EXPECT_EQ(runner.CatchUp(), head);
  EXPECT_EQ(Title("good"), "g2");
  EXPECT_EQ(Title("bad"), "b1") << "nothing of 'bad' after the poison event is applied";

  auto parked = Sql("SELECT sequence, error, attempts, held_behind FROM projection_parked "
                    "WHERE projection = 'test_documents' ORDER BY sequence");
  ASSERT_EQ(parked.size(), 2u);
  EXPECT_EQ(std::string(parked[0][1].c_str()),
            "docledger::projections::PoisonEvent: cannot read payload of " +
                std::string(Sql("SELECT event_id::text FROM events WHERE sequence = " +
                                std::to_string(parked[0][0].as<long long>()))[0][0].c_str()));
  EXPECT_TRUE(parked[0][3].is_null()) << "the failing event itself";
  EXPECT_EQ(parked[1][3].as<std::int64_t>(), parked[0][0].as<std::int64_t>()) << "held behind it";

  // New events of the parked stream stay held; others keep flowing.
  Doc("bad", "TestDocRenamed", R"({"title":"b4"})");
  Doc("good", "TestDocRenamed", R"({"title":"g3"})");
  runner.CatchUp();
  EXPECT_EQ(Title("good"), "g3");
  EXPECT_EQ(Title("bad"), "b1");
  EXPECT_EQ(Sql("SELECT count(*) FROM projection_parked")[0][0].as<int>(), 3);

  // Retry before the fix: fails again, stays parked, attempts counted.
  Sql("UPDATE projection_parked SET retry_requested = true");
  EXPECT_EQ(runner.RetryRequestedParked(), 0u);
  EXPECT_EQ(Sql("SELECT attempts FROM projection_parked WHERE held_behind IS NULL")[0][0].as<int>(), 2);

  // The cause is fixed (a new version of the projection): retry applies the stream in order.
  docs_->FixPoison();
  Sql("UPDATE projection_parked SET retry_requested = true");
  EXPECT_EQ(runner.RetryRequestedParked(), 3u);
  EXPECT_EQ(Title("bad"), "b4");
  EXPECT_EQ(Sql("SELECT event_count FROM test_documents WHERE doc_id = 'bad'")[0][0].as<int>(), 4);
  EXPECT_EQ(Sql("SELECT count(*) FROM projection_parked")[0][0].as<int>(), 0);

  // The stream is no longer held.
  Doc("bad", "TestDocRenamed", R"({"title":"b5"})");
  runner.CatchUp();
  EXPECT_EQ(Title("bad"), "b5");
}

TEST_F(ProjectorRuntime, ADependentProjectorNeverRunsAheadOfItsDependency) {
  auto tags = std::make_shared<TestDocumentTags>();
  projection_runtime::ProjectorRunner dependent(db_->url(), tags, FastOptions(10));
  dependent.Start();  // long before its dependency runs
  ASSERT_TRUE(WaitUntil([&] { return dependent.HoldsLease(); }));
  for (int i = 0; i < 40; ++i) {
    Doc(std::to_string(i), "TestDocCreated", R"({"title":"t"})");
    Doc(std::to_string(i), "TestDocTagged", R"({"tag":"a"})");
    Doc(std::to_string(i), "TestDocTagged", R"({"tag":"b"})");
  }
  Doc("0", "TestDocDeleted", "{}");
  Doc("0", "TestDocTagged", R"({"tag":"late"})");  // its document is gone: skipped, not an error
  const auto head = store_->HeadSequence();
  // While test_documents has not run, the tags projector must not have moved.
  EXPECT_EQ(Checkpoint("test_document_tags"), 0);
  projection_runtime::ProjectorRunner dependency(db_->url(), docs_, FastOptions(25));
  dependency.Start();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_document_tags") == head; }));
  dependent.Stop();
  dependency.Stop();
  EXPECT_EQ(Sql("SELECT count(*) FROM projection_parked")[0][0].as<int>(), 0) << "no FK violation, nothing parked";
  EXPECT_EQ(Sql("SELECT count(*) FROM test_document_tags")[0][0].as<int>(), 78);
  EXPECT_EQ(Sql("SELECT count(*) FROM test_document_tags WHERE doc_id = '0'")[0][0].as<int>(), 0);
}

TEST_F(ProjectorRuntime, ADependentHoldsTheStreamsItsDependencyParkedAndCatchesUpAfterTheRetry) {
  auto tags = std::make_shared<TestDocumentTags>();
  projection_runtime::ProjectorRunner dependency(db_->url(), docs_, FastOptions(10));
  projection_runtime::ProjectorRunner dependent(db_->url(), tags, FastOptions(10));
  dependency.Start();
  dependent.Start();
  Doc("p", "TestDocCreated", R"({"title":"x","poison":true})");  // parked by test_documents
  Doc("p", "TestDocTagged", R"({"tag":"a"})");                   // must wait, not be skipped
  Doc("q", "TestDocCreated", R"({"title":"y"})");
  Doc("q", "TestDocTagged", R"({"tag":"b"})");
  const auto head = store_->HeadSequence();
  // >=: parking the poison event appends a ProjectionParked event after it.
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_document_tags") >= head; }));
  EXPECT_EQ(Sql("SELECT count(*) FROM test_document_tags WHERE doc_id = 'q'")[0][0].as<int>(), 1);
  EXPECT_EQ(Sql("SELECT count(*) FROM test_document_tags WHERE doc_id = 'p'")[0][0].as<int>(), 0);
  EXPECT_EQ(Sql("SELECT count(*) FROM projection_parked WHERE projection = 'test_document_tags' "
                "AND stream_id = 'doc-p' AND held_behind IS NOT NULL")[0][0].as<int>(), 1);

  docs_->FixPoison();
  Sql("UPDATE projection_parked SET retry_requested = true WHERE projection = 'test_documents'");
  ASSERT_TRUE(WaitUntil([&] { return Sql("SELECT count(*) FROM projection_parked")[0][0].as<int>() == 0; }));
  dependency.Stop();
  dependent.Stop();
  EXPECT_EQ(Title("p"), "x");
  EXPECT_EQ(Sql("SELECT count(*) FROM test_document_tags WHERE doc_id = 'p' AND tag = 'a'")[0][0].as<int>(), 1)
      << "the held tag was applied once its document was";
}

TEST_F(ProjectorRuntime, TwoRunnersOnOneProjectionNeverBothAdvanceIt) {
  projection_runtime::ProjectorRunner a(db_->url(), docs_, FastOptions(5));
  auto options_b = FastOptions(5);
  options_b.instance = "standby";
  projection_runtime::ProjectorRunner b(db_->url(), docs_, options_b);
  a.Start();
  ASSERT_TRUE(WaitUntil([&] { return a.HoldsLease(); }));
  b.Start();
  for (int i = 0; i < 60; ++i) Doc(std::to_string(i % 6), "TestDocCreated", R"({"title":"x"})");
  const auto head = store_->HeadSequence();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") == head; }));
  EXPECT_FALSE(b.HoldsLease());
  a.Stop();  // the active one goes away: the stand-by takes over
  ASSERT_TRUE(WaitUntil([&] { return b.HoldsLease(); }));
  for (int i = 0; i < 30; ++i) Doc(std::to_string(i % 6), "TestDocRenamed", R"({"title":"y"})");
  const auto head2 = store_->HeadSequence();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") == head2; }));
  b.Stop();
  EXPECT_EQ(Sql("SELECT sum(event_count) FROM test_documents")[0][0].as<int>(), 90) << "nothing doubled";
}

TEST_F(ProjectorRuntime, AReactorAppendsEventsWithDeterministicIdsAndARerunAppendsNothing) {
  for (int i = 0; i < 30; ++i) Doc(std::to_string(i % 10), i < 10 ? "TestDocCreated" : "TestDocRenamed",
                                   R"({"title":"t)" + std::to_string(i) + "\"}");
  auto indexer = std::make_shared<TestIndexer>();
  const auto source_head = store_->HeadSequence();
  {
    projection_runtime::ProjectorRunner runner(db_->url(), indexer, FastOptions(4));
    EXPECT_GE(runner.CatchUp(source_head), source_head);
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM events WHERE event_type = 'TestDocIndexed'")[0][0].as<int>(), 10);
  auto first = store_->ReadStream("index-3", 1, 10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].event_id, infrastructure::DeterministicUuid(
                                   "test_indexer/" + store_->ReadStream("doc-3", 1, 1)[0].event_id + "/0/0"));
  // Run it again from the start (as after a crash before the checkpoint, or a reset).
  Sql("UPDATE projection_checkpoints SET last_sequence = 0 WHERE name = 'test_indexer'");
  {
    projection_runtime::ProjectorRunner runner(db_->url(), indexer, FastOptions(4));
    runner.CatchUp(source_head);
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM events WHERE event_type = 'TestDocIndexed'")[0][0].as<int>(), 10)
      << "re-running the reactor appended nothing twice";
  EXPECT_THROW(projection_runtime::RebuildProjection(db_->url(), indexer, {}), std::runtime_error);
}

// Reactor batches are capped (they hold the order lock until they commit) below the
// configured batch size: a full capped page must still end at its last event, and two
// reactions on one stream in a batch go to separate set-wise calls.
TEST_F(ProjectorRuntime, AReactorReactsToEveryEventAcrossCappedBatches) {
  for (int i = 0; i < 350; ++i) Doc(std::to_string(i % 120), "TestDocCreated", R"({"title":"t)" + std::to_string(i) + "\"}");
  projection_runtime::ProjectorOptions options;
  options.batch_size = 1000;
  projection_runtime::ProjectorRunner runner(db_->url(), std::make_shared<TestIndexer>(), options);
  const auto head = store_->HeadSequence();
  runner.CatchUp(head);
  EXPECT_EQ(Sql("SELECT count(*) FROM events WHERE event_type = 'TestDocIndexed'")[0][0].as<int>(), 350);
  EXPECT_EQ(Sql("SELECT count(DISTINCT stream_id) FROM events WHERE event_type = 'TestDocIndexed'")[0][0].as<int>(), 120);
  EXPECT_GE(runner.Progress().batches, 4u);
}

TEST_F(ProjectorRuntime, RecoversWhenItsConnectionIsTerminatedRepeatedly) {
  projection_runtime::ProjectorRunner runner(db_->url(), docs_, FastOptions(20));
  Signal batch_or_done;
  runner.OnBatch([&](std::int64_t, std::size_t) { batch_or_done.Notify(); });
  runner.Start();
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int i = 0; i < 600; ++i) Doc(std::to_string(i % 50), "TestDocCreated", R"({"title":"x"})");
    writing = false;
    batch_or_done.Notify();
  });
  // Cut the runner's connection after every batch it commits while the log is written.
  int terminated = 0;
  std::uint64_t batches_seen = 0;
  while (writing) {
    batch_or_done.WaitUntil([&] { return !writing.load() || runner.Progress().batches > batches_seen; });
    batches_seen = runner.Progress().batches;
    auto r = Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND application_name = 'test/test_documents'");
    terminated += static_cast<int>(r.size());
  }
  writer.join();
  const auto head = store_->HeadSequence();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") == head; }, std::chrono::seconds(60)));
  runner.Stop();
  EXPECT_GT(terminated, 0);
  EXPECT_EQ(Sql("SELECT sum(event_count) FROM test_documents")[0][0].as<int>(), 600);
  EXPECT_EQ(Sql("SELECT count(*) FROM projection_parked")[0][0].as<int>(), 0);
  RecordProperty("terminations", terminated);
}

TEST_F(ProjectorRuntime, RecoversWhenPostgresRestartsMidRun) {
  const char* restart = std::getenv("DOCLEDGER_TEST_PG_RESTART");
  if (restart == nullptr) {
    if (std::getenv("CI") != nullptr) FAIL() << "DOCLEDGER_TEST_PG_RESTART is not set";
    GTEST_SKIP() << "DOCLEDGER_TEST_PG_RESTART (a command restarting the test server) is not set";
  }
  for (int i = 0; i < 200; ++i) Doc(std::to_string(i % 20), "TestDocCreated", R"({"title":"x"})");
  projection_runtime::ProjectorRunner runner(db_->url(), docs_, FastOptions(10));
  runner.Start();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") > 0; }));
  ASSERT_EQ(std::system(restart), 0);
  for (int i = 0; i < 100; ++i) Doc(std::to_string(i % 20), "TestDocRenamed", R"({"title":"y"})");
  const auto head = store_->HeadSequence();
  ASSERT_TRUE(WaitUntil([&] { return Checkpoint("test_documents") == head; }, std::chrono::seconds(90)));
  runner.Stop();
  EXPECT_EQ(Sql("SELECT sum(event_count) FROM test_documents")[0][0].as<int>(), 300);
  EXPECT_GT(runner.Progress().transient_retries, 0u);
}

}  // namespace
}  // namespace docledger::testing
