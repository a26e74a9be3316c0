// `docledger recover [--dry-run] [--json]`: resolve extractions whose document is deleted
// (infrastructure/recovery.*) and print what was done.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/cli_support.hpp"
#include "cli/operator_commands.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/recovery.hpp"

namespace docledger::cli {

int RunRecover(bool dry_run, bool json) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  try {
    const auto keys = DataKeysOrComplain(url);
    if (!keys) return 2;
    OperatorCommands side(url, keys);
    domain::CommandContext context;
    context.actor = "docledger-recover";
    const auto summary = infrastructure::RunRecovery(side.pool, side.commands, dry_run, context);
    if (json) {
      std::cout << summary.ToJson().dump(2) << "\n";
      return 0;
    }
    const auto count = summary.extraction_ids.size();
    for (const auto& id : summary.extraction_ids) {
      std::cout << (dry_run ? "would resolve" : "resolved") << " orphaned extraction " << id << "\n";
    }
    if (count == 0) {
      std::cout << "recover: no orphaned extractions found\n";
    } else if (dry_run) {
      std::cout << "recover: " << count << " orphaned extraction(s) of " << summary.document_ids.size()
                << " deleted document(s) found; nothing changed (--dry-run)\n";
    } else {
      std::cout << "recover: " << count << " orphaned extraction(s) of " << summary.document_ids.size()
                << " deleted document(s) resolved (ExtractionOrphaned appended; RecoveryCompleted in stream recovery-"
                << *summary.run_id << ")\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "recover: " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
}

}  // namespace docledger::cli
