// What the retention pruner deletes, as data (pure: no I/O, no clock). Each target is a
// table whose rows stop changing once they are final, the column that dates a row, and how
// long a final row is kept after that date. The pruner (retention_pruner.*) runs the
// statement DeleteBatchSql gives, batch by batch.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "infrastructure/config.hpp"

namespace docledger::operations {

struct RetentionTarget {
  std::string table;       // also the `table` label of the metrics and the log field
  std::string age_column;  // TIMESTAMPTZ: a row is old once it is more than `keep` in the past
  std::string final_rows;  // SQL predicate over the row: no other row is ever deleted
  std::chrono::seconds keep{0};
};

// The alert webhook outbox (final: delivered, throttled, dead, expired; never pending),
// Idempotency-Key records (kept `idempotency_after_expiry` past their 24 h expiry) and the
// history of subscription delivery attempts (every attempt is final).
std::vector<RetentionTarget> RetentionTargets(const infrastructure::RetentionConfig& config);

// The statement deleting one batch of old final rows of `target`: $1 = keep in seconds,
// $2 = batch size. Rows another transaction has locked are skipped, never waited for.
// Composes the target's identifiers and predicate, which the code chooses (no values).
std::string DeleteBatchSql(const RetentionTarget& target);

}  // namespace docledger::operations
