// ExtractionQueries over PostgreSQL (statements kExtractionGet, kExtractionList).
#pragma once

#include "projections/extractions/extraction_queries.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::projections {

class PgExtractionQueries final : public ExtractionQueries {
 public:
  explicit PgExtractionQueries(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  std::optional<nlohmann::json> Extraction(const std::string& extraction_id) override;
  Page Extractions(const std::string& project_id, const std::string& cursor, int limit) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

}  // namespace docledger::projections
