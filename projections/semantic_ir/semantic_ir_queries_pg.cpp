#include "projections/semantic_ir/semantic_ir_queries_pg.hpp"

#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

std::optional<nlohmann::json> PgSemanticIrQueries::OfDocument(const std::string& document_id,
                                                              const std::optional<std::string>& ir_type) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneJson(tx.exec_prepared(infrastructure::statements::kSemanticIrOfDocument, document_id,
                                    ir_type ? ir_type->c_str() : nullptr));
  });
}

}  // namespace docledger::projections
