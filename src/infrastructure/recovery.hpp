// `docledger recover` and POST /api/v1/recovery: resolve extractions whose document is
// deleted. Candidates come from the read models (extractions not orphaned whose document
// has no view); each is confirmed by the domain on the event streams (the extraction is
// recorded and not orphaned, its document is not live) and resolved by appending
// ExtractionOrphaned to its stream (the extractions projection then sets orphaned_at).
// A run that resolved something ends with RecoveryCompleted {counts} (which raises the
// recovery_completed alert). A re-run finds nothing: the domain refuses to orphan twice,
// even before the read model has caught up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/command_service.hpp"

namespace docledger::infrastructure {

class ConnectionPool;

struct RecoverySummary {
  bool dry_run = false;
  std::vector<std::string> extraction_ids;  // orphans found (dry run) or resolved
  std::vector<std::string> document_ids;    // their deleted documents, distinct
  std::optional<std::string> run_id;        // the RecoveryCompleted stream's run, when appended

  nlohmann::json ToJson() const;
};

RecoverySummary RunRecovery(ConnectionPool& pool, domain::CommandService& commands, bool dry_run,
                            const domain::CommandContext& context = {});

}  // namespace docledger::infrastructure
