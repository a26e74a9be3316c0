// ProjectQueries over PostgreSQL (statements kProjectGet, kProjectList).
#pragma once

#include "projections/projects/project_queries.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::projections {

class PgProjectQueries final : public ProjectQueries {
 public:
  explicit PgProjectQueries(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  std::optional<Versioned> Project(const std::string& project_id) override;
  Page Projects(const std::string& cursor, int limit) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

}  // namespace docledger::projections
