// The benchmarks' own database: dropped and created again on the server of an admin URL,
// then migrated. Header-only; benchmarks are single binaries.
#pragma once

#include <string>

#include <pqxx/pqxx>

#include "infrastructure/migrations.hpp"

namespace docledger::bench {

// postgresql://user@host:port/dbname?params -> same with /<database>; key=value DSNs get
// a dbname=... appended (libpq: the last one wins).
inline std::string UrlFor(const std::string& url, const std::string& database) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + database;
  const auto query = url.find('?', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  const auto host_end = (slash != std::string::npos && (query == std::string::npos || slash < query))
                            ? slash
                            : (query == std::string::npos ? url.size() : query);
  return url.substr(0, host_end) + "/" + database + rest;
}

inline void RunAdmin(const std::string& admin_url, const std::string& sql) {
  pqxx::connection conn(admin_url);
  pqxx::nontransaction tx(conn);
  tx.exec(sql);
}

// Drops and creates `database`, applies every migration; returns its URL.
inline std::string RecreateMigratedDatabase(const std::string& admin_url, const std::string& database) {
  RunAdmin(admin_url, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  RunAdmin(admin_url, "CREATE DATABASE " + database);
  const auto url = UrlFor(admin_url, database);
  pqxx::connection conn(url);
  infrastructure::MigrationRunner().Migrate(conn);
  return url;
}

}  // namespace docledger::bench
