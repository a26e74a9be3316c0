// SemanticIrQueries over PostgreSQL (statement kSemanticIrOfDocument).
#pragma once

#include "projections/semantic_ir/semantic_ir_queries.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::projections {

class PgSemanticIrQueries final : public SemanticIrQueries {
 public:
  explicit PgSemanticIrQueries(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  std::optional<nlohmann::json> OfDocument(const std::string& document_id,
                                           const std::optional<std::string>& ir_type) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

}  // namespace docledger::projections
