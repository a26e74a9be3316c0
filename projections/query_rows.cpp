#include "projections/query_rows.hpp"

#include "infrastructure/cursor.hpp"

namespace docledger::projections {

std::optional<Versioned> OneVersioned(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return Versioned{result[0][0].c_str(), result[0][1].as<std::int64_t>()};
}

std::optional<nlohmann::json> OneJson(const pqxx::result& result) {
  if (result.empty() || result[0][0].is_null()) return std::nullopt;
  return nlohmann::json::parse(result[0][0].c_str());
}

Page PageOf(const pqxx::result& result, int limit) {
  Page page;
  for (const auto& row : result) page.items.push_back(nlohmann::json::parse(row[0].c_str()));
  if (static_cast<int>(result.size()) == limit && !result.empty()) {
    const auto& last = result[result.size() - 1];
    page.next_cursor = infrastructure::EncodeCursor(last[1].c_str(), last[2].c_str());
  }
  return page;
}

TimeKey AfterTimeCursor(const std::string& cursor) {
  if (cursor.empty()) return {"-infinity", "00000000-0000-0000-0000-000000000000"};
  auto [time, id] = infrastructure::DecodeTimeCursor(cursor);
  return {std::move(time), std::move(id)};
}

}  // namespace docledger::projections
