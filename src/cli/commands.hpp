// The subcommands of the `docledger` binary. main.cpp parses the command line (CLI11) and
// calls one of these; each returns the process exit code.
#pragma once

namespace docledger::cli {

// `docledger serve`: validates the configuration (environment), checks that migrations
// are applied, starts the HTTP server (and, later, the projectors) until SIGTERM/SIGINT.
int RunServe();

// `docledger migrate [--dry-run]`: applies (or lists) pending migrations.
int RunMigrate(bool dry_run);

}  // namespace docledger::cli
