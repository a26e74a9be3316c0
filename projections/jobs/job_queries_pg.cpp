#include "projections/jobs/job_queries_pg.hpp"

#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

std::optional<Versioned> PgJobQueries::Job(const std::string& job_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneVersioned(tx.exec_prepared(infrastructure::statements::kJobGet, job_id));
  });
}

}  // namespace docledger::projections
