#include "projections/extractions/extraction_queries_pg.hpp"

#include "infrastructure/cursor.hpp"
#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

namespace statements = infrastructure::statements;

std::optional<nlohmann::json> PgExtractionQueries::Extraction(const std::string& extraction_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneJson(tx.exec_prepared(statements::kExtractionGet, extraction_id));
  });
}

Page PgExtractionQueries::Extractions(const std::string& project_id, const std::string& cursor, int limit) {
  const std::int64_t after_sequence = cursor.empty() ? 0 : infrastructure::DecodeSequenceCursor(cursor);
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return PageOf(tx.exec_prepared(statements::kExtractionList, project_id, after_sequence, limit), limit);
  });
}

}  // namespace docledger::projections
