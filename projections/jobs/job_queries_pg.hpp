// JobQueries over PostgreSQL (statement kJobGet).
#pragma once

#include "projections/jobs/job_queries.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::projections {

class PgJobQueries final : public JobQueries {
 public:
  explicit PgJobQueries(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  std::optional<Versioned> Job(const std::string& job_id) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

}  // namespace docledger::projections
