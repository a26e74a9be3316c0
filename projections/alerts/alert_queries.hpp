// Reads of the `alerts` read model (GET /api/v1/alerts).
#pragma once

#include <optional>
#include <string>

#include "projections/query_types.hpp"

namespace docledger::projections {

struct AlertFilter {
  std::optional<std::string> type;
  std::optional<std::string> since;  // ISO 8601 timestamp: raised at or after
};

class AlertQueries {
 public:
  virtual ~AlertQueries() = default;
  // Newest first, each with its webhook delivery (status, attempts, last_error).
  virtual Page Alerts(const AlertFilter& filter, const std::string& cursor, int limit) = 0;
};

}  // namespace docledger::projections
