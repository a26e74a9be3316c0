#include "infrastructure/migrations.hpp"

#include <gtest/gtest.h>

namespace docledger::infrastructure {
namespace {

TEST(MigrationVersionOf, ReadsTheNumberOfWellFormedNames) {
  EXPECT_EQ(MigrationVersionOf("001_event_store.sql"), 1);
  EXPECT_EQ(MigrationVersionOf("012_projections_v2.sql"), 12);
}

TEST(MigrationVersionOf, RejectsOtherNames) {
  for (const char* bad : {"1_x.sql", "001.sql", "001_.sql", "001_Event.sql", "001_x.sql.bak",
                          "abc_x.sql", "001-x.sql", "001_x y.sql", "README.md"}) {
    EXPECT_FALSE(MigrationVersionOf(bad).has_value()) << bad;
  }
}

TEST(EmbeddedMigrations, AreOrderedAndStartWithTheEventStore) {
  const auto& migrations = EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().name, "001_event_store.sql");
  EXPECT_NE(migrations.front().sql.find("pg_advisory_xact_lock"), std::string::npos);
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_LT(migrations[i - 1].version, migrations[i].version);
  }
}

}  // namespace
}  // namespace docledger::infrastructure
