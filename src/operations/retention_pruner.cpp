#include "operations/retention_pruner.hpp"

#include <pqxx/pqxx>

#include "infrastructure/pg_errors.hpp"

namespace docledger::operations {
namespace {

bool TableExists(pqxx::connection& conn, const std::string& table) {
  pqxx::nontransaction tx(conn);
  return tx.exec_params("SELECT to_regclass($1) IS NOT NULL", table)[0][0].as<bool>();
}

std::string Milliseconds(std::chrono::milliseconds duration) { return std::to_string(duration.count()) + "ms"; }

// One batch in its own transaction; the rows it deleted.
std::size_t DeleteBatch(pqxx::connection& conn, const std::string& sql, const RetentionTarget& target,
                        const PruneOptions& options) {
  pqxx::work tx(conn);
  // Local to this transaction: the connection keeps no setting between batches.
  tx.exec_params("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
                 Milliseconds(options.lock_timeout), Milliseconds(options.statement_timeout));
  const auto result = tx.exec_params(sql, static_cast<double>(target.keep.count()), options.batch_size);
  tx.commit();
  return result.affected_rows();
}

}  // namespace

const char* ToString(PruneStatus status) {
  switch (status) {
    case PruneStatus::kDone: return "done";
    case PruneStatus::kMissing: return "missing";
    case PruneStatus::kBounded: return "bounded";
    case PruneStatus::kGaveUp: return "gave_up";
  }
  return "unknown";
}

PruneOutcome PruneTarget(pqxx::connection& conn, const RetentionTarget& target, const PruneOptions& options,
                         const std::atomic<bool>* stop) {
  PruneOutcome outcome;
  if (!TableExists(conn, target.table)) return {PruneStatus::kMissing, 0, 0};
  const auto sql = DeleteBatchSql(target);
  while (outcome.batches < options.max_batches) {
    if (stop != nullptr && stop->load()) break;
    std::size_t deleted = 0;
    try {
      deleted = DeleteBatch(conn, sql, target, options);
    } catch (const pqxx::sql_error& e) {
      if (!infrastructure::IsLockNotAvailable(e) && !infrastructure::IsQueryCanceled(e)) throw;
      outcome.status = PruneStatus::kGaveUp;
      return outcome;
    }
    ++outcome.batches;
    outcome.deleted += deleted;
    if (deleted < options.batch_size) return outcome;  // kDone: nothing more is old enough
  }
  outcome.status = PruneStatus::kBounded;
  return outcome;
}

}  // namespace docledger::operations
