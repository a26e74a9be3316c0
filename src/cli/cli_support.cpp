#include "cli/cli_support.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <pqxx/pqxx>

#include "cli/commands.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "projections/registry.hpp"

namespace docledger::cli {

std::string DatabaseUrlOrComplain() {
  const char* url = std::getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    std::cerr << "DATABASE_URL: must be set (e.g. postgresql://user@host:5432/db)\n";
    return "";
  }
  return url;
}

std::shared_ptr<const infrastructure::DocumentKeys> DataKeysOrComplain(const infrastructure::MasterKeySource& source,
                                                                       const std::string& url, bool unreachable_ok) {
  try {
    auto keys = std::make_shared<const infrastructure::DocumentKeys>(
        infrastructure::LoadMasterKey(source.text, source.file, source.generate_at));
    std::unique_ptr<pqxx::connection> conn;
    try {
      conn = infrastructure::OpenConnection(url);
    } catch (const std::exception&) {
      if (unreachable_ok) return keys;  // checked by its first use (DocumentKeys::CheckOnce)
      throw;
    }
    pqxx::read_transaction tx(*conn);
    const bool migrated = tx.exec("SELECT to_regclass('document_keys') IS NOT NULL")[0][0].as<bool>();
    if (migrated) keys->CheckMasterKey(tx);  // before migration 010 there is nothing to check
    return keys;
  } catch (const infrastructure::MasterKeyError& e) {
    std::cerr << "master key: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "master key: cannot check it against the database: " << infrastructure::DescribeError(e) << "\n";
  }
  return nullptr;
}

std::shared_ptr<const infrastructure::DocumentKeys> DataKeysOrComplain(const std::string& url) {
  try {
    return DataKeysOrComplain(infrastructure::MasterKeySourceFromEnvironment(), url);
  } catch (const infrastructure::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return nullptr;
  }
}

std::vector<std::string> ProjectionNames() {
  std::vector<std::string> names;
  for (const auto& p : projections::BuiltInProjections()) names.push_back(p->Name());
  return names;
}

std::optional<std::vector<std::shared_ptr<const projections::Projection>>> SelectProjections(
    const std::vector<std::string>& names) {
  const auto all = projections::BuiltInProjections();
  if (names.empty()) return all;
  std::vector<std::shared_ptr<const projections::Projection>> selected;
  for (const auto& name : names) {
    bool found = false;
    for (const auto& p : all) {
      if (p->Name() == name) {
        selected.push_back(p);
        found = true;
      }
    }
    if (!found) {
      std::cerr << "unknown projection '" << name << "'; known:";
      for (const auto& known : ProjectionNames()) std::cerr << " " << known;
      std::cerr << "\n";
      return std::nullopt;
    }
  }
  return selected;
}

std::string InstanceName() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

}  // namespace docledger::cli
