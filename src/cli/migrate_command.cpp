// `docledger migrate [--dry-run]`.
#include <cstdlib>
#include <iostream>

#include <pqxx/connection>

#include "cli/commands.hpp"
#include "infrastructure/migrations.hpp"
#include "infrastructure/pg_errors.hpp"

namespace docledger::cli {

int RunMigrate(bool dry_run) {
  const char* url = std::getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    std::cerr << "DATABASE_URL: must be set (e.g. postgresql://user@host:5432/db)\n";
    return 2;
  }
  try {
    pqxx::connection conn(url);
    infrastructure::MigrationRunner runner;
    const auto names = runner.Migrate(conn, dry_run, [](const std::string& name) {
      std::cout << "applied " << name << std::endl;
    });
    if (names.empty()) {
      std::cout << "migrations: up to date (" << infrastructure::EmbeddedMigrations().size()
                << " applied)" << std::endl;
    } else if (dry_run) {
      for (const auto& name : names) std::cout << "would apply " << name << "\n";
      std::cout << names.size() << " pending migration(s); nothing applied (--dry-run)" << std::endl;
    } else {
      std::cout << names.size() << " migration(s) applied" << std::endl;
    }
    return 0;
  } catch (const infrastructure::MigrationChecksumMismatch& e) {
    std::cerr << "migrate: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "migrate: " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
}

}  // namespace docledger::cli
