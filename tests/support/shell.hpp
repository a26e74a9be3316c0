// Running the project's scripts and binaries from a test, and comparing tables by content.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <utility>

#include <pqxx/pqxx>

namespace docledger::testing {

// Runs a shell command; returns its exit code (-1 when it did not exit) and its combined
// standard output and error.
inline std::pair<int, std::string> Shell(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// One fingerprint per table: row count and an md5 over the rows in a fixed order.
inline std::string TableFingerprint(const std::string& url, const std::string& table) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  const auto row = tx.exec("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                           "FROM " + tx.quote_name(table) + " t")[0];
  return table + "=" + row[0].as<std::string>();
}

}  // namespace docledger::testing
