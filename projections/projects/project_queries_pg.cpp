#include "projections/projects/project_queries_pg.hpp"

#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

namespace statements = infrastructure::statements;

std::optional<Versioned> PgProjectQueries::Project(const std::string& project_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneVersioned(tx.exec_prepared(statements::kProjectGet, project_id));
  });
}

Page PgProjectQueries::Projects(const std::string& cursor, int limit) {
  const auto after = AfterTimeCursor(cursor);
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return PageOf(tx.exec_prepared(statements::kProjectList, after.time, after.id, limit), limit);
  });
}

}  // namespace docledger::projections
