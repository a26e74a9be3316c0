// SourceQueries over PostgreSQL (statement kSourceList).
#pragma once

#include "projections/document_sources/source_queries.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::projections {

class PgSourceQueries final : public SourceQueries {
 public:
  explicit PgSourceQueries(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  Page Sources(const std::string& project_id, const std::string& cursor, int limit) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

}  // namespace docledger::projections
