// Reads of the `document_sources` read model (GET /api/v1/projects/{id}/sources).
#pragma once

#include <string>

#include "projections/query_types.hpp"

namespace docledger::projections {

class SourceQueries {
 public:
  virtual ~SourceQueries() = default;
  // One project's crawled sources, first crawled first; `cursor` "" is the first page.
  virtual Page Sources(const std::string& project_id, const std::string& cursor, int limit) = 0;
};

}  // namespace docledger::projections
