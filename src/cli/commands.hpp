// The subcommands of the `docledger` binary. main.cpp parses the command line (CLI11) and
// calls one of these; each returns the process exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace docledger::cli {

// `docledger serve`: validates the configuration (environment), checks that migrations
// are applied, starts the HTTP server and the projectors until SIGTERM/SIGINT.
int RunServe();

// `docledger migrate [--dry-run]`: applies (or lists) pending migrations.
int RunMigrate(bool dry_run);

struct ReplayArgs {
  std::vector<std::string> projections;
  bool all = false;
  bool verify = false;
  std::size_t batch_size = 5000;
};
// `docledger replay <projection>... | --all [--from-scratch] [--verify]`.
int RunReplay(const ReplayArgs& args);

// `docledger status [--json]`.
int RunStatus(bool json);

struct ParkedArgs {
  std::string action;      // list | retry | skip
  std::string projection;  // empty = all (list only)
  std::string stream;      // retry: only this stream
  std::int64_t sequence = 0;  // retry: the stream of this event; skip: this event
  bool json = false;
};
// `docledger parked list|retry|skip`.
int RunParked(const ParkedArgs& args);

// `docledger project [projection...]`: runs projectors (no HTTP) until SIGTERM/SIGINT.
int RunProject(const std::vector<std::string>& projections);

// `docledger recover [--dry-run] [--json]`: resolves extractions whose document is deleted.
int RunRecover(bool dry_run, bool json);

// `docledger erase DOCUMENT_ID --reason TEXT [--json]` (operations/document_erasure.hpp).
// Exit 0 erased (or erased before), 3 no such document, 2 bad arguments or key, 1 failure.
int RunErase(const std::string& document_id, const std::string& reason, bool json);

// `docledger keys rotate --new-key-file FILE`: the current master key (DOCLEDGER_MASTER_KEY
// or _FILE) unwraps, the new one wraps; one transaction.
int RunKeysRotate(const std::string& new_key_file);

struct SubscriptionsArgs {
  std::string action;  // list | rewind | pause | resume
  std::string subscription_id;
  std::int64_t after = 0;  // rewind: re-deliver the events after this sequence
  bool json = false;
};
// `docledger subscriptions list|rewind ID --after N|pause ID|resume ID [--json]`
// (docs/subscriptions.md). Exit 0 done, 3 no such subscription, 2 bad arguments, 1 failure.
int RunSubscriptions(const SubscriptionsArgs& args);

// Shared by the commands: DATABASE_URL or a one-line error (returns empty).
std::string DatabaseUrlOrComplain();

}  // namespace docledger::cli
