// Reads of the `extractions` read model (GET /api/v1/extractions...).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "projections/query_types.hpp"

namespace docledger::projections {

class ExtractionQueries {
 public:
  virtual ~ExtractionQueries() = default;
  // The row with `schema_current` (its schema revision is the project's current one).
  virtual std::optional<nlohmann::json> Extraction(const std::string& extraction_id) = 0;
  // One project's, in recording order; `cursor` "" is the first page.
  virtual Page Extractions(const std::string& project_id, const std::string& cursor, int limit) = 0;
};

}  // namespace docledger::projections
