#include "infrastructure/recovery.hpp"

#include <algorithm>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::infrastructure {

nlohmann::json RecoverySummary::ToJson() const {
  return {{"dry_run", dry_run},
          {"orphaned_extractions", extraction_ids.size()},
          {"documents", document_ids.size()},
          {"extraction_ids", extraction_ids},
          {"document_ids", document_ids},
          {"run_id", run_id ? nlohmann::json(*run_id) : nlohmann::json(nullptr)}};
}

RecoverySummary RunRecovery(ConnectionPool& pool, domain::CommandService& commands, bool dry_run,
                            const domain::CommandContext& context) {
  std::vector<std::pair<std::string, std::string>> candidates;  // extraction, document
  {
    auto lease = pool.Acquire();
    pqxx::nontransaction tx(*lease);
    for (const auto& row : tx.exec_prepared(statements::kOrphanCandidates)) {
      candidates.emplace_back(row[0].c_str(), row[1].c_str());
    }
  }
  RecoverySummary summary;
  summary.dry_run = dry_run;
  for (const auto& [extraction, document] : candidates) {
    bool orphan = false;
    if (dry_run) {
      orphan = commands.WouldOrphan(extraction);
    } else {
      orphan = !commands.Execute(domain::OrphanExtraction{extraction, "document deleted"}, context).events.empty();
    }
    if (!orphan) continue;
    summary.extraction_ids.push_back(extraction);
    if (std::find(summary.document_ids.begin(), summary.document_ids.end(), document) == summary.document_ids.end()) {
      summary.document_ids.push_back(document);
    }
  }
  if (!dry_run && !summary.extraction_ids.empty()) {
    const auto outcome = commands.Execute(
        domain::CompleteRecovery{"", static_cast<std::int64_t>(summary.extraction_ids.size()),
                                 static_cast<std::int64_t>(summary.document_ids.size())},
        context);
    summary.run_id = outcome.id;
    LogEvent(spdlog::level::info, "recovery resolved orphaned extractions of deleted documents",
             {{"run_id", outcome.id}, {"extractions", summary.extraction_ids.size()},
              {"documents", summary.document_ids.size()}});
  }
  return summary;
}

}  // namespace docledger::infrastructure
