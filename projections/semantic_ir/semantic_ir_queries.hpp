// Reads of the `semantic_ir` read model (GET /api/v1/documents/{id}/semantic-ir).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace docledger::projections {

class SemanticIrQueries {
 public:
  virtual ~SemanticIrQueries() = default;
  // nullopt when the document has no view (unknown or deleted); otherwise its items in
  // document order, of one ir_type when given.
  virtual std::optional<nlohmann::json> OfDocument(const std::string& document_id,
                                                   const std::optional<std::string>& ir_type) = 0;
};

}  // namespace docledger::projections
