#include "projections/document_sources/source_queries_pg.hpp"

#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

namespace statements = infrastructure::statements;

Page PgSourceQueries::Sources(const std::string& project_id, const std::string& cursor, int limit) {
  const auto after = AfterTimeCursor(cursor);
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return PageOf(tx.exec_prepared(statements::kSourceList, project_id, after.time, after.id, limit), limit);
  });
}

}  // namespace docledger::projections
