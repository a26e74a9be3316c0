// What read-model queries answer: one resource with its stream version, or one page of a
// keyset-paginated list. Rows are JSON objects with their table's column names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace docledger::projections {

struct Page {
  nlohmann::json items = nlohmann::json::array();
  std::optional<std::string> next_cursor;  // absent on the last page
};

struct Versioned {
  // The resource as JSON text, as PostgreSQL built it: sent as it is, never parsed again.
  std::string json;
  std::int64_t version = 0;  // the aggregate's stream version (the ETag)
};

}  // namespace docledger::projections
