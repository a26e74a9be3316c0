#include "projection_runtime/schema_check.hpp"

#include <map>
#include <set>
#include <utility>

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "infrastructure/statements.hpp"

namespace docledger::projection_runtime {
namespace {

namespace statements = infrastructure::statements;

std::string Join(const std::vector<SchemaProblem>& problems) {
  std::string text = "the database lacks what the projections write (run `docledger migrate`, or add the "
                     "migration that creates it):";
  for (const auto& problem : problems) text += " " + problem.Describe() + ";";
  return text;
}

}  // namespace

std::string SchemaProblem::Describe() const {
  return "projection " + projection + ": table " + table +
         (column.empty() ? " does not exist" : " has no column " + column);
}

ProjectionSchemaMismatch::ProjectionSchemaMismatch(std::vector<SchemaProblem> problems)
    : std::runtime_error(Join(problems)), problems_(std::move(problems)) {}

std::vector<SchemaProblem> FindSchemaProblems(pqxx::connection& conn,
                                              const std::vector<std::shared_ptr<const projections::Projection>>& all) {
  pqxx::nontransaction tx(conn);
  std::map<std::string, std::set<std::string>> columns_of;  // table -> its columns (cached)
  std::vector<SchemaProblem> problems;
  for (const auto& projection : all) {
    auto specs = projection->Tables();
    for (auto more : {projection->OutboxTables(), projection->ReadTables()}) {
      specs.insert(specs.end(), more.begin(), more.end());
    }
    for (const auto& spec : specs) {
      auto [it, inserted] = columns_of.try_emplace(spec.name);
      if (inserted) {
        for (const auto& row : tx.exec_prepared(statements::kTableColumns, spec.name)) {
          it->second.insert(row[0].as<std::string>());
        }
      }
      if (it->second.empty()) {
        problems.push_back({projection->Name(), spec.name, ""});
        continue;
      }
      for (const auto& column : spec.columns) {
        if (it->second.count(column.name) == 0) problems.push_back({projection->Name(), spec.name, column.name});
      }
    }
  }
  return problems;
}

void RequireProjectionSchema(pqxx::connection& conn,
                             const std::vector<std::shared_ptr<const projections::Projection>>& all) {
  auto problems = FindSchemaProblems(conn, all);
  if (!problems.empty()) throw ProjectionSchemaMismatch(std::move(problems));
}

}  // namespace docledger::projection_runtime
