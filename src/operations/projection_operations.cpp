#include "operations/projection_operations.hpp"

#include <pqxx/pqxx>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::operations {
namespace {

namespace statements = infrastructure::statements;

// Runs `fn(connection)` on a pooled connection; PostgreSQL errors leave translated.
template <typename Fn>
auto OnConnection(infrastructure::ConnectionPool& pool, Fn&& fn) {
  return infrastructure::Translated([&] {
    auto lease = pool.Acquire();
    return fn(*lease);
  });
}

}  // namespace

nlohmann::json StatusJson(const std::vector<projection_runtime::ProjectionStatus>& statuses) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& status : statuses) out.push_back(projection_runtime::ToJson(status));
  return nlohmann::json{{"projections", out}};
}

std::vector<projection_runtime::ProjectionStatus> PostgresProjectionOperations::Status() {
  return OnConnection(pool_, [&](pqxx::connection& conn) { return projection_runtime::ReadProjectionStatus(conn, names_); });
}

std::map<std::string, std::int64_t> PostgresProjectionOperations::AlertDeliveries() {
  return OnConnection(pool_, [](pqxx::connection& conn) {
    std::map<std::string, std::int64_t> deliveries;
    pqxx::nontransaction tx(conn);
    for (const auto& row : tx.exec_prepared(statements::kDeliveryCounts)) {
      deliveries[row[0].c_str()] = row[1].as<std::int64_t>();
    }
    return deliveries;
  });
}

std::vector<projection_runtime::ParkedEvent> PostgresProjectionOperations::Parked(const std::string& projection) {
  return OnConnection(pool_, [&](pqxx::connection& conn) { return projection_runtime::ReadParked(conn, projection); });
}

std::set<std::string> PostgresProjectionOperations::RequestRetry(const std::string& projection,
                                                                 const std::string& stream, std::int64_t sequence) {
  return OnConnection(pool_, [&](pqxx::connection& conn) {
    return projection_runtime::RequestParkedRetry(conn, projection, stream, sequence);
  });
}

std::optional<projection_runtime::SkippedParked> PostgresProjectionOperations::Skip(const std::string& projection,
                                                                                    std::int64_t sequence) {
  return OnConnection(pool_,
                      [&](pqxx::connection& conn) { return projection_runtime::SkipParked(conn, projection, sequence); });
}

std::int64_t PostgresProjectionOperations::RetriesPending(const std::string& projection) {
  return OnConnection(pool_, [&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return tx.exec_prepared1(statements::kParkedRetryPending, projection)[0].as<std::int64_t>();
  });
}

}  // namespace docledger::operations
