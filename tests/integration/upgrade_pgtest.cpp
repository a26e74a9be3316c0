// Upgrading a database that an earlier release built and filled. Each fixture in
// tests/data/upgrade/<commit>.sql is a pg_dump of a database made by the `docledger`
// binary of that commit through its HTTP API (tests/data/upgrade/make-fixture; README
// there). For each one: load it into an empty database, run the CURRENT `docledger migrate`
// (DOCLEDGER_BINARY), which applies every migration newer than the fixture, so a migration
// added later is exercised here with no change to this test, and check that
//   - it applies exactly the pending migrations and records the pinned checksums
//     (sql/checksums.sha256: the checksum migrate records is the file's sha256sum);
//   - the log is untouched: every event's sequence, id, stream, version, type, payload,
//     metadata and time; every other table keeps its rows (counts and the content of the
//     columns it had);
//   - the read models rebuild equal (`docledger replay --all --verify` exits 0);
//   - a second migrate is a no-op;
//   - the projectors of this release (including those whose tables a migration created)
//     catch up on the old log without parking anything, and equal a rebuild too.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "infrastructure/migrations.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/registry.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/test_database.hpp"

namespace docledger::testing {
namespace {

const std::filesystem::path kRoot = DOCLEDGER_SOURCE_ROOT;
const std::filesystem::path kFixtureDir = kRoot / "tests" / "data" / "upgrade";

std::vector<std::string> FixtureNames() {  // file stems (the commits), sorted
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(kFixtureDir)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(kFixtureDir)) {
    if (entry.path().extension() == ".sql") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// sql/checksums.sha256: file name -> sha256 (checked for form by the unit tests).
std::map<std::string, std::string> PinnedChecksums() {
  std::map<std::string, std::string> pins;
  std::ifstream file(kRoot / "sql" / "checksums.sha256");
  const std::regex line_format(R"(^([0-9a-f]{64}) [ *](.+)$)");
  std::string line;
  std::smatch match;
  while (std::getline(file, line)) {
    if (std::regex_match(line, match, line_format)) pins[match[2]] = match[1];
  }
  return pins;
}

// What an upgrade must not change.
struct Snapshot {
  std::vector<std::string> events;                  // one line per event, by sequence
  std::map<std::string, std::string> tables;        // table -> "rows:md5" over `columns`
  std::map<std::string, std::vector<std::string>> columns;  // table -> its columns
  std::map<int, std::string> migrations;            // version -> name, checksum, applied_at
};

class Upgrade : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    DOCLEDGER_REQUIRE_DATABASE();
    const char* binary = std::getenv("DOCLEDGER_BINARY");
    ASSERT_NE(binary, nullptr) << "DOCLEDGER_BINARY must name the docledger binary under test";
    binary_ = binary;
    db_ = std::make_unique<TestDatabase>(/*migrated=*/false);
  }

  pqxx::result Sql(const std::string& sql) {
    pqxx::connection conn(db_->url());
    pqxx::nontransaction tx(conn);
    return tx.exec(sql);
  }
  std::int64_t Count(const std::string& sql) { return Sql(sql)[0][0].as<std::int64_t>(); }
  std::int64_t Count(const std::string& sql, const std::string& parameter) {
    pqxx::connection conn(db_->url());
    pqxx::nontransaction tx(conn);
    return tx.exec_params1(sql, parameter)[0].as<std::int64_t>();
  }

  std::pair<int, std::string> Docledger(const std::string& arguments) {
    return Shell("DATABASE_URL='" + db_->url() + "' " + binary_ + " " + arguments);
  }

  // Columns given: the content of those columns only (the table may have gained others).
  Snapshot Take(const Snapshot* columns_of = nullptr) {
    Snapshot s;
    pqxx::connection conn(db_->url());
    pqxx::nontransaction tx(conn);
    for (const auto& row : tx.exec("SELECT concat_ws(' | ', sequence, event_id, stream_id, stream_version, event_type, "
                                   "schema_version, payload::text, metadata::text, recorded_at) "
                                   "FROM events ORDER BY sequence")) {
      s.events.push_back(row[0].c_str());
    }
    for (const auto& row : tx.exec("SELECT version, concat_ws(' | ', name, checksum, applied_at) "
                                   "FROM schema_migrations ORDER BY version")) {
      s.migrations[row[0].as<int>()] = row[1].c_str();
    }
    for (const auto& row : tx.exec("SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum)::text "
                                   "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                   "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                                   "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
                                   "AND NOT c.relispartition AND c.relname <> 'schema_migrations' "
                                   "GROUP BY c.relname ORDER BY c.relname")) {
      const std::string table = row[0].c_str();
      std::vector<std::string> columns;  // as the table has them now
      auto array = row[1].as_array();
      for (auto item = array.get_next(); item.first != pqxx::array_parser::juncture::done; item = array.get_next()) {
        if (item.first == pqxx::array_parser::juncture::string_value) columns.push_back(item.second);
      }
      if (columns_of != nullptr) {
        if (!columns_of->columns.count(table)) continue;  // created by the upgrade
        const auto& had = columns_of->columns.at(table);
        const auto gone = std::find_if(had.begin(), had.end(), [&columns](const std::string& column) {
          return std::find(columns.begin(), columns.end(), column) == columns.end();
        });
        if (gone != had.end()) {
          s.tables[table] = "column " + *gone + " is gone";
          continue;
        }
        columns = had;
      }
      std::string list;
      for (const auto& column : columns) list += (list.empty() ? "" : ", ") + tx.quote_name(column);
      const auto fingerprint = tx.exec("SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' "
                                       "ORDER BY r::text)), '') FROM (SELECT " + list + " FROM " +
                                       tx.quote_name(table) + ") r")[0][0];
      s.tables[table] = fingerprint.c_str();
      s.columns[table] = columns;
    }
    return s;
  }

  void ExpectLogAndTablesAsBefore(const Snapshot& before, const std::string& when) {
    const auto after = Take(&before);
    ASSERT_EQ(after.events.size(), before.events.size()) << when << ": the number of events changed";
    for (std::size_t i = 0; i < before.events.size(); ++i) {
      ASSERT_EQ(after.events[i], before.events[i]) << when << ": event " << i + 1 << " of the log changed";
    }
    for (const auto& [table, fingerprint] : before.tables) {
      ASSERT_TRUE(after.tables.count(table)) << when << ": table " << table << " is gone";
      EXPECT_EQ(after.tables.at(table), fingerprint)
          << when << ": table " << table << " (rows:md5 over the columns it had) changed. A migration must "
          << "keep existing rows; if one rewrites rows on purpose, say so here for that table";
    }
    for (const auto& [version, row] : before.migrations) {
      EXPECT_EQ(after.migrations.at(version), row) << when << ": the record of migration " << version << " changed";
    }
  }

  // `docledger replay --all --verify`: exit 0 and every read model reported identical.
  void ExpectRebuildEqual(const std::string& when) {
    const auto verify = Docledger("replay --all --verify");
    EXPECT_EQ(verify.first, 0) << when << ": " << verify.second;
    for (const auto& projection : projections::BuiltInProjections()) {
      if (dynamic_cast<const projections::Reactor*>(projection.get()) != nullptr) continue;
      EXPECT_NE(verify.second.find("verify " + projection->Name() + ": IDENTICAL"), std::string::npos)
          << when << ": " << verify.second;
    }
  }

  // Every built-in projector up to the head, as `docledger serve` does after an upgrade,
  // repeated until the reactors append nothing more.
  void CatchUpAll() {
    std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> runners;
    for (const auto& projection : projections::BuiltInProjections()) {
      runners.push_back(std::make_unique<projection_runtime::ProjectorRunner>(db_->url(), projection));
    }
    for (;;) {
      const auto head = Count("SELECT coalesce(max(sequence), 0) FROM events");
      for (auto& runner : runners) runner->CatchUp(head);
      if (Count("SELECT coalesce(max(sequence), 0) FROM events") == head) return;
    }
  }

  std::string binary_;
  std::unique_ptr<TestDatabase> db_;
};

TEST(UpgradeFixtures, AtLeastOneIsInTheRepository) {
  EXPECT_FALSE(FixtureNames().empty()) << "no tests/data/upgrade/*.sql (see tests/data/upgrade/README.md)";
}

TEST_P(Upgrade, MigrateKeepsTheDataAndTheReadModelsRebuildEqual) {
  const auto fixture = kFixtureDir / (GetParam() + ".sql");
  const auto psql = Shell(kRoot.string() + "/scripts/pg-local bin psql");
  ASSERT_EQ(psql.first, 0) << psql.second;
  const auto loaded = Shell(psql.second.substr(0, psql.second.find('\n')) +
                            " -X -q -o /dev/null -v ON_ERROR_STOP=1 --single-transaction -f '" + fixture.string() + "' '" +
                            db_->url() + "'");
  ASSERT_EQ(loaded.first, 0) << "loading " << fixture << ": " << loaded.second;

  // The fixture is what it claims: a populated docledger database of an earlier release,
  // built by migrations whose text is still the one pinned.
  const auto pins = PinnedChecksums();
  const auto embedded = infrastructure::EmbeddedMigrations();
  std::set<int> recorded;
  for (const auto& row : Sql("SELECT version, name, checksum FROM schema_migrations ORDER BY version")) {
    recorded.insert(row[0].as<int>());
    const std::string name = row[1].c_str();
    ASSERT_TRUE(pins.count(name)) << "the fixture applied " << name << ", which sql/checksums.sha256 does not pin";
    EXPECT_EQ(row[2].c_str(), pins.at(name)) << name << " as the fixture's release applied it differs from its pin";
  }
  ASSERT_FALSE(recorded.empty());
  std::vector<std::string> pending;
  for (const auto& migration : embedded) {
    if (!recorded.count(migration.version)) pending.push_back(migration.name);
  }
  for (const auto* type : {"ProjectCreated", "ProjectUpdated", "DocumentUploaded", "DocumentConverted",
                           "DocumentConversionFailed", "SemanticIRExtracted", "ExtractionRecorded", "DocumentDeleted",
                           "JobStarted", "JobCompleted", "JobFailed"}) {
    EXPECT_GT(Count("SELECT count(*) FROM events WHERE event_type = $1", type), 0)
        << "the fixture has no " << type << " event";
  }
  const auto parked_before = Count("SELECT count(*) FROM projection_parked");

  const auto before = Take();
  ASSERT_GE(before.events.size(), 20u);
  EXPECT_GT(Count("SELECT count(*) FROM semantic_ir"), 0) << "the fixture has no semantic IR rows";

  // --dry-run names exactly the pending migrations and changes nothing.
  const auto dry_run = Docledger("migrate --dry-run");
  ASSERT_EQ(dry_run.first, 0) << dry_run.second;
  for (const auto& name : pending) {
    EXPECT_NE(dry_run.second.find("would apply " + name), std::string::npos) << dry_run.second;
  }
  ExpectLogAndTablesAsBefore(before, "after migrate --dry-run");
  EXPECT_EQ(Count("SELECT count(*) FROM schema_migrations"), static_cast<std::int64_t>(recorded.size()));

  // The upgrade.
  const auto migrate = Docledger("migrate");
  ASSERT_EQ(migrate.first, 0) << migrate.second;
  std::size_t position = 0;  // each pending migration applied, in order
  for (const auto& name : pending) {
    position = migrate.second.find("applied " + name + "\n", position);
    ASSERT_NE(position, std::string::npos) << name << " was not applied (in order): " << migrate.second;
  }
  if (pending.empty()) {
    EXPECT_NE(migrate.second.find("up to date"), std::string::npos) << migrate.second;
  }
  ExpectLogAndTablesAsBefore(before, "after migrate");
  const auto recorded_after_migrate = Take(&before).migrations;
  for (const auto& migration : embedded) {
    pqxx::connection conn(db_->url());
    pqxx::nontransaction tx(conn);
    const auto row = tx.exec_params("SELECT name, checksum FROM schema_migrations WHERE version = $1",
                                    migration.version);
    ASSERT_EQ(row.size(), 1u) << migration.name << " was not recorded";
    EXPECT_EQ(row[0][0].c_str(), migration.name);
    ASSERT_TRUE(pins.count(migration.name)) << migration.name << " has no pin in sql/checksums.sha256";
    EXPECT_EQ(row[0][1].c_str(), pins.at(migration.name))
        << "the checksum `docledger migrate` records for " << migration.name
        << " is not its pinned sha256sum (sql/checksums.sha256)";
  }

  // The read models as the old release left them equal a rebuild by this release.
  ExpectRebuildEqual("after migrate");

  // Migrating again changes nothing at all (the tables it created included).
  const auto before_again = Take();
  const auto again = Docledger("migrate");
  ASSERT_EQ(again.first, 0) << again.second;
  EXPECT_NE(again.second.find("up to date"), std::string::npos) << again.second;
  EXPECT_EQ(again.second.find("applied "), std::string::npos) << again.second;
  ExpectLogAndTablesAsBefore(before_again, "after the second migrate");
  EXPECT_EQ(Take().migrations, recorded_after_migrate) << "the second migrate recorded something";
  EXPECT_EQ(Count("SELECT count(*) FROM schema_migrations"), static_cast<std::int64_t>(embedded.size()));

  // This release's projectors run on the upgraded database: every one (those a migration
  // added start from 0) reaches the head of the old log without parking an event, and the
  // result equals a rebuild.
  CatchUpAll();
  const auto head = Count("SELECT max(sequence) FROM events");
  for (const auto& projection : projections::BuiltInProjections()) {
    EXPECT_EQ(Count("SELECT coalesce((SELECT last_sequence FROM projection_checkpoints WHERE name = $1), 0)",
                    projection->Name()),
              head)
        << projection->Name() << " did not reach the head";
  }
  EXPECT_EQ(Count("SELECT count(*) FROM projection_parked"), parked_before)
      << "this release could not apply some events of the old log";
  EXPECT_EQ(Count("SELECT count(*) FROM events"), static_cast<std::int64_t>(before.events.size()))
      << "a reactor appended to the old log (a re-run of a reaction the old release already made)";
  ExpectRebuildEqual("after this release's projectors caught up");

  // Alerts (sql/006) raised from events that predate them: one per failed job, one per
  // deleted document that extractions pointed at.
  EXPECT_EQ(Count("SELECT count(*) FROM alerts WHERE type IN ('job_failed', 'embedding_failure')"),
            Count("SELECT count(*) FROM events WHERE event_type = 'JobFailed'"));
  EXPECT_EQ(Count("SELECT count(*) FROM alerts WHERE type = 'orphaned_extractions'"),
            Count("SELECT count(*) FROM events d WHERE d.event_type = 'DocumentDeleted' AND EXISTS ("
                  "SELECT 1 FROM events x WHERE x.event_type = 'ExtractionRecorded' AND x.sequence < d.sequence "
                  "AND x.payload->>'document_id' = d.payload->>'document_id')"));
}

std::string FixtureTestName(const ::testing::TestParamInfo<std::string>& fixture) {
  std::string name = fixture.param;
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Upgrade, ::testing::ValuesIn(FixtureNames()), FixtureTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Upgrade);

}  // namespace
}  // namespace docledger::testing
