// The projections' start-up schema check (projection_runtime/schema_check.*): a column or
// table that the migrations did not create is named at start-up, and `docledger serve`
// refuses to start, instead of events parking when the projector first writes it.
#include <algorithm>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "projection_runtime/schema_check.hpp"
#include "projections/registry.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/shell.hpp"

namespace docledger::testing {
namespace {

using projection_runtime::FindSchemaProblems;
using projection_runtime::ProjectionSchemaMismatch;
using projection_runtime::RequireProjectionSchema;
using projection_runtime::SchemaProblem;

bool Has(const std::vector<SchemaProblem>& problems, const std::string& table, const std::string& column) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const SchemaProblem& p) { return p.table == table && p.column == column; });
}

class ProjectionSchema : public PgTest {};

TEST_F(ProjectionSchema, TheMigratedDatabaseHasEveryColumnTheProjectionsWrite) {
  auto lease = pool_->Acquire();
  const auto problems = FindSchemaProblems(*lease, projections::BuiltInProjections());
  std::string listed;
  for (const auto& p : problems) listed += p.Describe() + "\n";
  EXPECT_TRUE(problems.empty()) << listed;
  EXPECT_NO_THROW(RequireProjectionSchema(*lease, projections::BuiltInProjections()));
}

TEST_F(ProjectionSchema, NamesEachMissingColumnAndMissingTable) {
  Sql("ALTER TABLE document_views DROP COLUMN converter");
  Sql("DROP TABLE jobs CASCADE");
  auto lease = pool_->Acquire();
  const auto problems = FindSchemaProblems(*lease, projections::BuiltInProjections());
  // Every projection that writes or reads these tables names them (jobs is read by others too).
  EXPECT_TRUE(Has(problems, "document_views", "converter"));
  EXPECT_TRUE(Has(problems, "jobs", ""));
  for (const auto& p : problems) {
    EXPECT_TRUE((p.table == "document_views" && p.column == "converter") || (p.table == "jobs" && p.column.empty()))
        << p.Describe();
  }
  try {
    RequireProjectionSchema(*lease, projections::BuiltInProjections());
    FAIL() << "no ProjectionSchemaMismatch";
  } catch (const ProjectionSchemaMismatch& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("projection document_views: table document_views has no column converter"),
              std::string::npos) << message;
    EXPECT_NE(message.find("table jobs does not exist"), std::string::npos) << message;
  }
}

TEST_F(ProjectionSchema, ServeRefusesToStartAndNamesTheMissingColumn) {
  const char* binary = std::getenv("DOCLEDGER_BINARY");
  ASSERT_NE(binary, nullptr);
  Sql("ALTER TABLE document_views DROP COLUMN converter");
  // `timeout` only bounds a regression (a server that starts anyway would serve forever).
  const auto [code, output] = Shell("env DATABASE_URL='" + db_->url() +
                                    "' DOCLEDGER_ENV=development DOCLEDGER_LISTEN=127.0.0.1:" + std::to_string(FreePort()) +
                                    " timeout 120 " +
                                    binary + " serve");
  EXPECT_EQ(code, 2) << output;
  EXPECT_NE(output.find("table document_views has no column converter"), std::string::npos) << output;
}

}  // namespace
}  // namespace docledger::testing
