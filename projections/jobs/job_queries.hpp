// Reads of the `jobs` read model (GET /api/v1/jobs/{id}).
#pragma once

#include <optional>
#include <string>

#include "projections/query_types.hpp"

namespace docledger::projections {

class JobQueries {
 public:
  virtual ~JobQueries() = default;
  virtual std::optional<Versioned> Job(const std::string& job_id) = 0;
};

}  // namespace docledger::projections
