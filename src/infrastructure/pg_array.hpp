// PostgreSQL array literals for array parameters ($1::text[] etc.). libpqxx 6.4 has no
// array parameter conversion, so the batch insert path builds the literal text itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace docledger::infrastructure {

// {"a","b\"c"} — every element quoted, backslash and double quote escaped. Pure.
std::string ToPgArray(const std::vector<std::string>& elements);
std::string ToPgArray(const std::vector<std::int64_t>& elements);
std::string ToPgArray(const std::vector<int>& elements);
// nullopt elements become NULL.
std::string ToPgArray(const std::vector<std::optional<std::string>>& elements);
std::string ToPgArray(const std::vector<bool>& elements);

// "name" with embedded double quotes doubled: for identifiers that come from code (table
// and schema names), never for values, which are always parameters.
std::string QuoteIdentifier(const std::string& identifier);

}  // namespace docledger::infrastructure
