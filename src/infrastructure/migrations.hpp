// The migrations runner: applies sql/NNN_name.sql in order, each in its own transaction,
// recorded in schema_migrations(version, name, checksum, applied_at). The files are built
// into the binary (embedded_migrations.cpp, generated from sql/ by Meson).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

namespace docledger::infrastructure {

struct Migration {
  int version = 0;       // NNN
  std::string name;      // file name, e.g. "001_event_store.sql"
  std::string sql;       // file content
};

// The migrations built into this binary, ordered by version.
const std::vector<Migration>& EmbeddedMigrations();

// Parses "NNN_description.sql" into its version; nullopt for any other name. Pure.
std::optional<int> MigrationVersionOf(const std::string& file_name);

enum class MigrationState { kApplied, kPending, kChanged };

struct MigrationStatus {
  Migration migration;
  MigrationState state = MigrationState::kPending;
  std::string applied_at;  // empty when pending
};

// Refusal to run because an applied file's content changed since it was applied.
class MigrationChecksumMismatch : public std::runtime_error {
 public:
  explicit MigrationChecksumMismatch(const std::string& file)
      : std::runtime_error("migration " + file +
                           " was changed after it was applied (checksum differs); refusing to "
                           "migrate. Restore the original file, or add a new migration instead "
                           "(see docs/migrations.md)"),
        file_(file) {}
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

class MigrationRunner {
 public:
  explicit MigrationRunner(std::vector<Migration> migrations = EmbeddedMigrations());

  // State of every known migration. Does not take the lock; creates nothing.
  std::vector<MigrationStatus> Status(pqxx::connection& conn) const;

  // Names of migrations not yet applied (empty = up to date). Used by /health/ready.
  std::vector<std::string> Pending(pqxx::connection& conn) const;

  // Applies every pending migration in order under a session advisory lock (so two runs
  // started at once are safe: the second waits, then finds nothing to do). Returns the
  // names applied. Throws MigrationChecksumMismatch before applying anything when an
  // applied file changed. With dry_run, applies nothing and returns what would run.
  std::vector<std::string> Migrate(pqxx::connection& conn, bool dry_run = false,
                                   const std::function<void(const std::string&)>& on_applied = {}) const;

 private:
  std::vector<Migration> migrations_;
};

}  // namespace docledger::infrastructure
