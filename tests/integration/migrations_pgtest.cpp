#include "infrastructure/migrations.hpp"

#include <thread>

#include <gtest/gtest.h>
#include <pqxx/connection>
#include <pqxx/pqxx>

#include "tests/support/test_database.hpp"

namespace docledger::testing {
namespace {

using infrastructure::Migration;
using infrastructure::MigrationRunner;

class Migrations : public ::testing::Test {
 protected:
  void SetUp() override {
    DOCLEDGER_REQUIRE_DATABASE();
    db_ = std::make_unique<TestDatabase>(/*migrated=*/false);
  }
  bool TableExists(const std::string& name) {
    pqxx::connection conn(db_->url());
    pqxx::nontransaction tx(conn);
    return tx.exec_params1("SELECT to_regclass($1) IS NOT NULL", name)[0].as<bool>();
  }
  std::unique_ptr<TestDatabase> db_;
};

TEST_F(Migrations, FreshApplyRunsEveryFileAndRerunIsANoOp) {
  pqxx::connection conn(db_->url());
  MigrationRunner runner;
  const auto applied = runner.Migrate(conn);
  ASSERT_EQ(applied.size(), infrastructure::EmbeddedMigrations().size());
  EXPECT_EQ(applied.front(), "001_event_store.sql");
  EXPECT_TRUE(TableExists("events"));
  EXPECT_TRUE(runner.Pending(conn).empty());
  EXPECT_TRUE(runner.Migrate(conn).empty());
  for (const auto& status : runner.Status(conn)) {
    EXPECT_EQ(status.state, infrastructure::MigrationState::kApplied) << status.migration.name;
    EXPECT_FALSE(status.applied_at.empty());
  }
}

TEST_F(Migrations, DryRunListsPendingFilesAndChangesNothing) {
  pqxx::connection conn(db_->url());
  MigrationRunner runner;
  const auto would = runner.Migrate(conn, /*dry_run=*/true);
  EXPECT_EQ(would.size(), infrastructure::EmbeddedMigrations().size());
  EXPECT_FALSE(TableExists("events"));
  EXPECT_FALSE(TableExists("schema_migrations"));
  EXPECT_EQ(runner.Pending(conn).size(), would.size());
}

TEST_F(Migrations, AChangedAppliedFileIsRefusedByName) {
  pqxx::connection conn(db_->url());
  std::vector<Migration> original = {{1, "001_first.sql", "CREATE TABLE t1 (id INT);"}};
  MigrationRunner(original).Migrate(conn);
  std::vector<Migration> changed = {{1, "001_first.sql", "CREATE TABLE t1 (id BIGINT);"},
                                    {2, "002_second.sql", "CREATE TABLE t2 (id INT);"}};
  try {
    MigrationRunner(changed).Migrate(conn);
    FAIL() << "a changed migration was accepted";
  } catch (const infrastructure::MigrationChecksumMismatch& e) {
    EXPECT_EQ(e.file(), "001_first.sql");
    EXPECT_NE(std::string(e.what()).find("001_first.sql"), std::string::npos);
  }
  EXPECT_FALSE(TableExists("t2")) << "nothing applied after the refusal";
}

TEST_F(Migrations, AFailingFileIsRolledBackAndNotRecorded) {
  pqxx::connection conn(db_->url());
  std::vector<Migration> broken = {{1, "001_ok.sql", "CREATE TABLE ok1 (id INT);"},
                                   {2, "002_broken.sql", "CREATE TABLE half (id INT); SELECT no_such_function();"}};
  EXPECT_ANY_THROW(MigrationRunner(broken).Migrate(conn));
  EXPECT_TRUE(TableExists("ok1"));
  EXPECT_FALSE(TableExists("half")) << "the failing file's own statements were rolled back";
  EXPECT_EQ(MigrationRunner(broken).Pending(conn), std::vector<std::string>{"002_broken.sql"});
}

TEST_F(Migrations, ConcurrentRunsApplyEachFileOnce) {
  std::vector<std::vector<std::string>> applied(4);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      try {
        pqxx::connection conn(db_->url());
        applied[i] = MigrationRunner().Migrate(conn);
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::size_t total = 0;
  for (const auto& a : applied) total += a.size();
  EXPECT_EQ(total, infrastructure::EmbeddedMigrations().size());
}

TEST_F(Migrations, AFileAppliedByHandWithPsqlIsRecordedWithoutError) {
  pqxx::connection conn(db_->url());
  {
    pqxx::nontransaction tx(conn);
    tx.exec(infrastructure::EmbeddedMigrations().front().sql);  // what `psql -f` does
  }
  EXPECT_NO_THROW(MigrationRunner().Migrate(conn));
  EXPECT_TRUE(MigrationRunner().Pending(conn).empty());
}

}  // namespace
}  // namespace docledger::testing
