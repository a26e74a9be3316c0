// Disaster recovery end to end: scripts/backup of a populated database, a fresh cluster
// (scripts/pg-local), scripts/restore into it, `docledger replay --all` there; the log is
// identical, the rebuilt read models equal the original ones, and appends continue after
// the restored head.
#include <cstdlib>
#include <filesystem>
#include <string>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "tests/support/pipeline_fixture.hpp"
#include "tests/support/shell.hpp"

namespace docledger::testing {
namespace {

const std::string kRoot = DOCLEDGER_SOURCE_ROOT;

class BackupRestore : public PipelineTest {
 protected:
  void TearDown() override {
    PipelineTest::TearDown();
    if (!cluster_.empty()) Shell("PG_LOCAL_DIR=" + cluster_ + " " + kRoot + "/scripts/pg-local destroy");
    if (!work_.empty()) std::filesystem::remove_all(work_);
  }
  std::string cluster_;
  std::filesystem::path work_;
};

TEST_F(BackupRestore, ARestoredBackupRebuildsTheSameReadModelsAndKeepsAppending) {
  ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
  const auto project = NewProject();
  for (int i = 0; i < 5; ++i) {
    const auto document = Upload(project, "doc-" + std::to_string(i) + ".pdf");
    service_->Execute(domain::ConvertDocument{document, "# Title " + std::to_string(i) +
                                                            "\n\n$$E = mc^2$$\n\n**Mass** is the measure.", "pandoc"});
    service_->Execute(domain::RecordExtraction{"", project, document, "entity", {{"n", i}}});
  }
  const auto job = service_->Execute(domain::StartJob{"", "embedding", std::nullopt, project, "embedder", {}}).id;
  service_->Execute(domain::FailJob{job, "Timeout", "model did not answer"});
  CatchUpAll();
  const std::vector<std::string> tables = {"events",      "projects", "document_views",     "semantic_ir",
                                           "semantic_ir_sources", "extractions", "jobs", "stream_catalog", "alerts"};
  std::vector<std::string> original;
  for (const auto& table : tables) original.push_back(TableFingerprint(db_->url(), table));
  const auto head = Count("SELECT max(sequence) FROM events");

  work_ = std::filesystem::temp_directory_path() / ("docledger-dr-" + db_->name());
  std::filesystem::create_directories(work_);
  const auto archive = (work_ / "backup.dump").string();
  const auto backup = Shell("DATABASE_URL='" + db_->url() + "' " + kRoot + "/scripts/backup " + archive);
  ASSERT_EQ(backup.first, 0) << backup.second;
  EXPECT_NE(backup.second.find("events up to sequence " + std::to_string(head)), std::string::npos) << backup.second;

  cluster_ = (work_ / "cluster").string();
  const auto started = Shell("PG_LOCAL_DIR=" + cluster_ + " PG_LOCAL_DB=restored " + kRoot + "/scripts/pg-local start");
  ASSERT_EQ(started.first, 0) << started.second;
  const auto fresh = Shell("PG_LOCAL_DIR=" + cluster_ + " PG_LOCAL_DB=restored " + kRoot + "/scripts/pg-local url");
  const auto url = fresh.second.substr(0, fresh.second.find('\n'));
  ASSERT_FALSE(url.empty());

  const auto restored = Shell("DATABASE_URL='" + url + "' " + kRoot + "/scripts/restore " + archive);
  ASSERT_EQ(restored.first, 0) << restored.second;
  EXPECT_NE(restored.second.find("head " + std::to_string(head)), std::string::npos) << restored.second;
  const auto again = Shell("DATABASE_URL='" + url + "' " + kRoot + "/scripts/restore " + archive);
  EXPECT_NE(again.first, 0) << "a database with tables is refused";
  EXPECT_NE(again.second.find("empty database"), std::string::npos) << again.second;

  const std::string binary = std::getenv("DOCLEDGER_BINARY");
  const auto migrate = Shell("DATABASE_URL='" + url + "' " + binary + " migrate");
  ASSERT_EQ(migrate.first, 0) << migrate.second;
  const auto replay = Shell("DATABASE_URL='" + url + "' " + binary + " replay --all");
  ASSERT_EQ(replay.first, 0) << replay.second;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    EXPECT_EQ(TableFingerprint(url, tables[i]), original[i]) << "rebuilt from the restored log";
  }

  // The restored log goes on where the original stopped.
  infrastructure::ConnectionPool pool(url, 1);
  eventstore::PostgresEventStore store(pool);
  domain::AppendRequest request;
  request.stream_id = "after-restore";
  request.events.push_back({"", "JobCompleted", 1, R"({"job_id":")" + job + R"(","result":{}})", "{}"});
  EXPECT_EQ(store.Append(request).positions.at(0).sequence, head + 1);
}

}  // namespace
}  // namespace docledger::testing
