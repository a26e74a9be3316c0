// The test cluster's streaming replica (scripts/pg-local replica-start; `scripts/dev test`
// exports its URL as DOCLEDGER_TEST_REPLICA_URL and the command that stops and starts it as
// DOCLEDGER_TEST_REPLICA_CTL). A physical replica copies every database of the cluster, so
// each test's fresh database appears on it too, once the WAL has carried it over.
#pragma once

#include <string>

#include <pqxx/pqxx>

#include "tests/support/wait.hpp"

namespace docledger::testing {

// `url` (a postgresql:// URI) with its database replaced by `database`.
inline std::string WithDatabase(const std::string& url, const std::string& database) {
  const auto host = url.find("://");
  const auto slash = url.find('/', host == std::string::npos ? 0 : host + 3);
  const auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

// Waits until the database at `replica_url` exists on the replica and is migrated (its
// projection_checkpoints table is there).
inline bool WaitForDatabaseOnReplica(const std::string& replica_url) {
  return WaitUntil([&] {
    try {
      pqxx::connection connection(replica_url);
      pqxx::nontransaction tx(connection);
      return tx.exec("SELECT to_regclass('public.projection_checkpoints') IS NOT NULL")[0][0].as<bool>();
    } catch (const std::exception&) {
      return false;
    }
  });
}

}  // namespace docledger::testing
