// What every PostgreSQL read-model query shares: a pooled connection for one statement
// (connection trouble becomes domain::StoreUnavailable, HTTP 503, through pg_errors), and
// the shapes its rows come back in (the JSON is built by PostgreSQL).
#pragma once

#include <optional>

#include <pqxx/pqxx>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "projections/query_types.hpp"

namespace docledger::projections {

// Runs `query(pqxx::nontransaction&)` on a pooled connection.
template <typename Query>
auto WithConnection(infrastructure::ConnectionPool& pool, Query query) {
  return infrastructure::Translated([&] {
    auto lease = pool.Acquire();
    pqxx::nontransaction tx(*lease);
    return query(tx);
  });
}

// A row of (json, version), if any.
std::optional<Versioned> OneVersioned(const pqxx::result& result);
// A row of (json), if any and not NULL.
std::optional<nlohmann::json> OneJson(const pqxx::result& result);
// Rows of (json, cursor key, id): a page, with a cursor when the page is full.
Page PageOf(const pqxx::result& result, int limit);

// The (time, id) a page by created_at starts after: the first page for cursor "".
struct TimeKey {
  std::string time;
  std::string id;
};
TimeKey AfterTimeCursor(const std::string& cursor);

}  // namespace docledger::projections
