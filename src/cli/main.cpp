// The `docledger` binary: parses the command line and runs one subcommand.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"docledger: event-sourced backend for document intelligence pipelines"};
  app.require_subcommand(1);

  auto* serve = app.add_subcommand("serve", "Run the HTTP API (configuration from the environment)");

  bool dry_run = false;
  auto* migrate = app.add_subcommand("migrate", "Apply pending SQL migrations (DATABASE_URL)");
  migrate->add_flag("--dry-run", dry_run, "List the migrations that would run; change nothing");

  CLI11_PARSE(app, argc, argv);

  if (serve->parsed()) return docledger::cli::RunServe();
  if (migrate->parsed()) return docledger::cli::RunMigrate(dry_run);
  return 2;
}
