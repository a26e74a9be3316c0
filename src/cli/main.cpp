// The `docledger` binary: parses the command line and runs one subcommand.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "infrastructure/config.hpp"
#include "infrastructure/logging.hpp"

namespace {

// `docledger erase` and `docledger keys rotate` (docs/erasure.md).
struct ErasureCommands {
  std::string document;
  std::string reason;
  bool json = false;
  std::string new_key_file;
  CLI::App* erase = nullptr;
  CLI::App* rotate = nullptr;
};

void AddErasureCommands(CLI::App& app, ErasureCommands& c) {
  c.erase = app.add_subcommand("erase", "Erase a document's content for good (docs/erasure.md; appends DocumentErased)");
  c.erase->add_option("document_id", c.document, "The document")->required();
  c.erase->add_option("--reason", c.reason, "Why (recorded in the event)")->required();
  c.erase->add_flag("--json", c.json, "Machine-readable output");
  auto* keys = app.add_subcommand("keys", "The master key that wraps the documents' data keys");
  keys->require_subcommand(1);
  c.rotate = keys->add_subcommand("rotate", "Re-wrap every data key under a new master key (events untouched)");
  c.rotate->add_option("--new-key-file", c.new_key_file, "File with the new master key (64 hex digits or base64)")
      ->required();
}

// `docledger subscriptions ...` (docs/subscriptions.md).
struct SubscriptionsCommands {
  docledger::cli::SubscriptionsArgs args;
  CLI::App* root = nullptr;
  CLI::App* list = nullptr;
  CLI::App* rewind = nullptr;
  CLI::App* pause = nullptr;
  CLI::App* resume = nullptr;
};

void AddSubscriptionsCommands(CLI::App& app, SubscriptionsCommands& c) {
  c.root = app.add_subcommand("subscriptions", "Outbound webhook subscriptions (docs/subscriptions.md)");
  c.root->require_subcommand(1);
  c.root->add_flag("--json", c.args.json, "Machine-readable output");
  c.list = c.root->add_subcommand("list", "Every subscription: status, cursor, lag, target");
  c.rewind = c.root->add_subcommand("rewind", "Deliver again every matching event after a sequence");
  c.rewind->add_option("subscription_id", c.args.subscription_id, "The subscription")->required();
  c.rewind->add_option("--after", c.args.after, "Sequence to re-deliver after (0: from the beginning)")
      ->required()
      ->check(CLI::NonNegativeNumber);
  c.pause = c.root->add_subcommand("pause", "Stop deliveries (the cursor stays)");
  c.pause->add_option("subscription_id", c.args.subscription_id, "The subscription")->required();
  c.resume = c.root->add_subcommand("resume", "Deliver again, from the first undelivered event");
  c.resume->add_option("subscription_id", c.args.subscription_id, "The subscription")->required();
}

const char* SubscriptionsAction(const SubscriptionsCommands& c) {
  if (c.rewind->parsed()) return "rewind";
  if (c.pause->parsed()) return "pause";
  if (c.resume->parsed()) return "resume";
  return "list";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace docledger::cli;
  CLI::App app{"docledger: event-sourced backend for document intelligence pipelines.\n"
               "Configuration comes from the environment (DATABASE_URL, DOCLEDGER_*; see docs/configuration.md)."};
  app.require_subcommand(1);

  auto* serve = app.add_subcommand("serve", "Run the HTTP API and the projectors");

  bool dry_run = false;
  auto* migrate = app.add_subcommand("migrate", "Apply pending SQL migrations");
  migrate->add_flag("--dry-run", dry_run, "List the migrations that would run; change nothing");

  ReplayArgs replay_args;
  bool from_scratch = false;
  auto* replay = app.add_subcommand("replay", "Rebuild projections from sequence 0 beside the live tables, then swap");
  replay->add_option("projections", replay_args.projections, "Projection names");
  replay->add_flag("--all", replay_args.all, "Every projection");
  replay->add_flag("--from-scratch", from_scratch, "Rebuild from sequence 0 (what replay always does)");
  replay->add_flag("--verify", replay_args.verify,
                   "Rebuild beside the live tables and compare (checksums, first differing rows); no swap");
  replay->add_option("--batch-size", replay_args.batch_size, "Events per transaction")->check(CLI::Range(1, 100000));

  bool status_json = false;
  auto* status = app.add_subcommand("status", "Checkpoint, head, lag, parked events and lease holder per projector");
  status->add_flag("--json", status_json, "Machine-readable output");

  ParkedArgs parked_args;
  auto* parked = app.add_subcommand("parked", "Events a projector could not apply");
  parked->require_subcommand(1);
  auto* parked_list = parked->add_subcommand("list", "List parked and held events");
  parked_list->add_option("projection", parked_args.projection, "Only this projection");
  parked_list->add_flag("--json", parked_args.json, "Machine-readable output");
  auto* parked_retry = parked->add_subcommand("retry", "Apply a parked stream again, in order");
  parked_retry->add_option("projection", parked_args.projection, "Projection")->required();
  parked_retry->add_option("--stream", parked_args.stream, "Only this stream");
  parked_retry->add_option("--sequence", parked_args.sequence, "Only the stream of this parked event");
  auto* parked_skip = parked->add_subcommand("skip", "Give up on one parked event (the rest of its stream stays held until retried)");
  parked_skip->add_option("projection", parked_args.projection, "Projection")->required();
  parked_skip->add_option("sequence", parked_args.sequence, "Sequence of the parked event")->required();

  std::vector<std::string> project_names;
  auto* project = app.add_subcommand("project", "Run projectors without the HTTP API (stand-by when another instance holds a lease)");
  project->add_option("projections", project_names, "Projection names (default: all)");

  bool recover_dry_run = false;
  bool recover_json = false;
  auto* recover = app.add_subcommand("recover", "Resolve extractions whose document is deleted (appends events)");
  recover->add_flag("--dry-run", recover_dry_run, "List what would be resolved; append nothing");
  recover->add_flag("--json", recover_json, "Machine-readable output");

  ErasureCommands erasure;
  AddErasureCommands(app, erasure);
  SubscriptionsCommands subscriptions;
  AddSubscriptionsCommands(app, subscriptions);

  CLI11_PARSE(app, argc, argv);
  // Every command logs in one format, structured lines only (serve sets it again from its
  // whole configuration).
  docledger::infrastructure::InitLogging(docledger::infrastructure::LogFormatFromEnvironment());

  if (serve->parsed()) return RunServe();
  if (migrate->parsed()) return RunMigrate(dry_run);
  if (replay->parsed()) return RunReplay(replay_args);
  if (status->parsed()) return RunStatus(status_json);
  if (parked->parsed()) {
    parked_args.action = parked_list->parsed() ? "list" : parked_retry->parsed() ? "retry" : "skip";
    return RunParked(parked_args);
  }
  if (project->parsed()) return RunProject(project_names);
  if (recover->parsed()) return RunRecover(recover_dry_run, recover_json);
  if (erasure.erase->parsed()) return RunErase(erasure.document, erasure.reason, erasure.json);
  if (erasure.rotate->parsed()) return RunKeysRotate(erasure.new_key_file);
  if (subscriptions.root->parsed()) {
    subscriptions.args.action = SubscriptionsAction(subscriptions);
    return RunSubscriptions(subscriptions.args);
  }
  return 2;
}
