// Reads of the `projects` read model (GET /api/v1/projects...).
#pragma once

#include <optional>
#include <string>

#include "projections/query_types.hpp"

namespace docledger::projections {

class ProjectQueries {
 public:
  virtual ~ProjectQueries() = default;
  virtual std::optional<Versioned> Project(const std::string& project_id) = 0;
  // Oldest first; `cursor` "" is the first page.
  virtual Page Projects(const std::string& cursor, int limit) = 0;
};

}  // namespace docledger::projections
