// docledger replay: rebuild beside + swap, verify, determinism on a large mixed log.
#include <atomic>
#include <thread>

#include "projection_runtime/projection_rebuild.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/stream_catalog/stream_catalog.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/test_projections.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using domain::ExpectedVersion;

class Replay : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    Sql(TestProjectionsDdl(/*with_foreign_key=*/false));
  }
  // A mixed log: creates, renames, deletes and re-creates over many documents, plus
  // events of types the projection ignores. Appended from 4 threads in 50-event batches.
  void AppendMixedLog(int total) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int batch = t; batch * 50 < total; batch += 4) {
          const int doc = batch % 997;
          std::vector<domain::NewEvent> events;
          for (int i = 0; i < 50; ++i) {
            const int n = batch * 50 + i;
            const char* type = n % 17 == 0 ? "TestDocDeleted" : n % 5 == 0 ? "Unrelated" : n % 2 ? "TestDocRenamed" : "TestDocCreated";
            events.push_back(MakeEvent(type, R"({"title":"title )" + std::to_string(n) + "\"}"));
          }
          store_->Append(MakeAppend("doc-" + std::to_string(doc), ExpectedVersion::Any(), std::move(events)));
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  static void ExpectIdentical(const projection_runtime::RebuildResult& result) {
    for (const auto& c : result.comparisons) {
      EXPECT_TRUE(c.identical()) << c.table << ": live " << c.live_rows << " rebuilt " << c.rebuilt_rows
                                 << (c.only_live.empty() ? "" : "; only live: " + c.only_live[0])
                                 << (c.only_rebuilt.empty() ? "" : "; only rebuilt: " + c.only_rebuilt[0]);
    }
  }
};

TEST_F(Replay, IncrementalBuildOfA100kEventLogEqualsAReplay) {
  auto docs = std::make_shared<TestDocuments>();
  auto catalog = std::make_shared<projections::StreamCatalog>();
  projection_runtime::ProjectorOptions options;
  options.batch_size = 500;
  options.poll_interval = std::chrono::milliseconds(20);
  projection_runtime::ProjectorRunner live_docs(db_->url(), docs, options);
  projection_runtime::ProjectorRunner live_catalog(db_->url(), catalog, options);
  live_docs.Start();  // incremental, while the log is being written: batch boundaries vary
  live_catalog.Start();
  AppendMixedLog(100000);
  const auto head = store_->HeadSequence();
  ASSERT_GE(head, 100000);
  ASSERT_TRUE(WaitUntil([&] { return live_docs.Progress().checkpoint == head && live_catalog.Progress().checkpoint == head; },
                        std::chrono::seconds(300)));
  projection_runtime::RebuildOptions verify;
  verify.verify_only = true;
  ExpectIdentical(projection_runtime::RebuildProjection(db_->url(), docs, verify));
  ExpectIdentical(projection_runtime::RebuildProjection(db_->url(), catalog, verify));
  live_docs.Stop();
  live_catalog.Stop();
}

TEST_F(Replay, VerifyReportsTheFirstDifferingRows) {
  auto docs = std::make_shared<TestDocuments>();
  for (int i = 0; i < 20; ++i) store_->Append(MakeAppend("doc-" + std::to_string(i), ExpectedVersion::Any(),
                                                         {MakeEvent("TestDocCreated", R"({"title":"t"})")}));
  projection_runtime::ProjectorRunner runner(db_->url(), docs);
  runner.CatchUp();
  runner.Stop();
  Sql("UPDATE test_documents SET title = 'tampered' WHERE doc_id = '7'");
  projection_runtime::RebuildOptions verify;
  verify.verify_only = true;
  const auto result = projection_runtime::RebuildProjection(db_->url(), docs, verify);
  ASSERT_FALSE(result.identical());
  const auto& c = result.comparisons.front();
  EXPECT_EQ(c.table, "test_documents");
  ASSERT_EQ(c.only_live.size(), 1u);
  EXPECT_NE(c.only_live[0].find("tampered"), std::string::npos);
  ASSERT_EQ(c.only_rebuilt.size(), 1u);
  EXPECT_EQ(Sql("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'docledger_rebuild%'")[0][0].as<int>(), 0)
      << "the shadow schema is dropped";
}

TEST_F(Replay, RebuildSwapsInWhileTheLiveProjectorRunsAndReadsKeepWorking) {
  auto docs = std::make_shared<TestDocuments>();
  for (int i = 0; i < 2000; ++i) store_->Append(MakeAppend("doc-" + std::to_string(i % 100), ExpectedVersion::Any(),
                                                           {MakeEvent("TestDocCreated", R"({"title":"t"})")}));
  projection_runtime::ProjectorOptions options;
  options.poll_interval = std::chrono::milliseconds(20);
  options.batch_size = 50;
  projection_runtime::ProjectorRunner live(db_->url(), docs, options);
  live.Start();
  ASSERT_TRUE(WaitUntil([&] { return live.Progress().checkpoint == store_->HeadSequence(); }));
  Sql("UPDATE test_documents SET title = 'damaged'");  // what a rebuild should repair

  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, failed_reads{0};
  std::thread reader([&] {
    pqxx::connection conn(db_->url());
    while (!done) {
      try {
        pqxx::nontransaction tx(conn);
        tx.exec("SELECT count(*) FROM test_documents");
        ++reads;
      } catch (const std::exception&) {
        ++failed_reads;
      }
    }
  });
  std::thread writer([&] {
    for (int i = 0; i < 300; ++i) store_->Append(MakeAppend("doc-" + std::to_string(i % 100), ExpectedVersion::Any(),
                                                            {MakeEvent("TestDocRenamed", R"({"title":"r"})")}));
  });
  projection_runtime::RebuildOptions rebuild;
  rebuild.batch_size = 100;
  projection_runtime::RebuildResult result;
  try {
    result = projection_runtime::RebuildProjection(db_->url(), docs, rebuild);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "rebuild failed: " << e.what();
  }
  writer.join();
  EXPECT_TRUE(result.swapped);
  const bool caught_up = WaitUntil([&] { return live.Progress().checkpoint == store_->HeadSequence(); });
  done = true;
  reader.join();
  ASSERT_TRUE(caught_up);
  live.Stop();
  EXPECT_EQ(failed_reads.load(), 0) << "reads were served throughout the rebuild";
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(Sql("SELECT count(*) FROM test_documents WHERE title = 'damaged'")[0][0].as<int>(), 0);
  EXPECT_EQ(Sql("SELECT sum(event_count) FROM test_documents")[0][0].as<int>(), 2300) << "nothing lost or doubled";
  projection_runtime::RebuildOptions verify;
  verify.verify_only = true;
  ExpectIdentical(projection_runtime::RebuildProjection(db_->url(), docs, verify));
}

TEST_F(Replay, TheSwapKeepsPrivilegesOwnerAndIndexNames) {
  const std::string role = "dl_reader_" + db_->name();
  Sql("DROP ROLE IF EXISTS " + role);
  Sql("CREATE ROLE " + role + " NOLOGIN");
  Sql("GRANT SELECT ON stream_catalog TO " + role);
  for (int i = 0; i < 30; ++i) store_->Append(MakeAppend("s" + std::to_string(i % 4)));
  const std::string indexes_before = Sql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
                                  "WHERE schemaname = 'public' AND tablename = 'stream_catalog'")[0][0].c_str();
  const auto result = projection_runtime::RebuildProjection(db_->url(), std::make_shared<projections::StreamCatalog>(), {});
  EXPECT_TRUE(result.swapped);
  EXPECT_EQ(Sql("SELECT count(*) FROM stream_catalog")[0][0].as<int>(), 4);
  EXPECT_TRUE(Sql("SELECT has_table_privilege('" + role + "', 'public.stream_catalog', 'SELECT')")[0][0].as<bool>());
  EXPECT_EQ(std::string(Sql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
                            "WHERE schemaname = 'public' AND tablename = 'stream_catalog'")[0][0].c_str()),
            std::string(indexes_before));
  Sql("DROP OWNED BY " + role);
  Sql("DROP ROLE " + role);
}

TEST_F(Replay, TwoRebuildsOfOneProjectionCannotRunAtOnce) {
  auto holder = std::make_unique<pqxx::connection>(db_->url());  // another rebuild's session
  {
    pqxx::nontransaction tx(*holder);
    tx.exec_params("SELECT pg_advisory_lock($1::int, hashtext('test_documents'))", projection_runtime::kRebuildLeaseClass);
  }
  try {
    projection_runtime::RebuildProjection(db_->url(), std::make_shared<TestDocuments>(), {});
    FAIL() << "the second rebuild started";
  } catch (const projection_runtime::RebuildAlreadyRunning& e) {
    EXPECT_EQ(e.projection(), "test_documents");
  } catch (const std::exception& e) {
    FAIL() << "refused, but not because another rebuild runs: " << e.what();
  }
  // Refused before anything was touched: no shadow schema was made.
  EXPECT_EQ(Sql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'docledger\\_rebuild\\_%'")[0][0].as<int>(), 0);
  // Once the other rebuild has finished (its session gone), the rebuild runs.
  holder.reset();
  EXPECT_NO_THROW(projection_runtime::RebuildProjection(db_->url(), std::make_shared<TestDocuments>(), {}));
}

}  // namespace
}  // namespace docledger::testing
