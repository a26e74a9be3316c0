#include "projections/read_queries_pg.hpp"

#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

std::int64_t PgReadPositions::Position(const std::string& projection) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return tx.exec_prepared1(infrastructure::statements::kReadPosition, projection)[0].as<std::int64_t>();
  });
}

PgReadQueries::PgReadQueries(infrastructure::ConnectionPool& pool)
    : projects_(pool),
      documents_(pool),
      sources_(pool),
      semantic_ir_(pool),
      extractions_(pool),
      jobs_(pool),
      alerts_(pool),
      positions_(pool),
      queries_{projects_, documents_, sources_, semantic_ir_, extractions_, jobs_, alerts_, positions_} {}

}  // namespace docledger::projections
