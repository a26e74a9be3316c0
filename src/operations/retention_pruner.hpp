// The retention pruner's database side: deletes the old final rows of one target
// (retention_policy.*) in small batches, each its own short transaction with a short
// lock_timeout and statement_timeout, so that it never holds up appends or deliveries: a
// batch that would wait for a lock gives up, and the rest waits for the next pass. A pass
// over a target stops after `max_batches`, so its work is bounded too.
//
// Its statements come from the policy (DeleteBatchSql), not from infrastructure/statements:
// they run on the pruner's own connection with exec_params.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include <pqxx/connection>

#include "operations/retention_policy.hpp"

namespace docledger::operations {

struct PruneOptions {
  std::size_t batch_size = 500;
  std::size_t max_batches = 200;  // per target and pass: at most 100,000 rows by default
  std::chrono::milliseconds lock_timeout{200};
  std::chrono::milliseconds statement_timeout{10000};
};

enum class PruneStatus {
  kDone,          // no old final row left (as of the last batch)
  kMissing,       // the table does not exist (not migrated yet): skipped
  kBounded,       // stopped after max_batches (or asked to stop); more may be left
  kGaveUp,        // a batch waited too long for a lock or ran past statement_timeout
};

struct PruneOutcome {
  PruneStatus status = PruneStatus::kDone;
  std::size_t deleted = 0;
  std::size_t batches = 0;  // committed
};

const char* ToString(PruneStatus status);

// One target's pass. Throws on database errors other than a lock or statement timeout.
// Checks `stop` (if given) between batches.
PruneOutcome PruneTarget(pqxx::connection& conn, const RetentionTarget& target, const PruneOptions& options,
                         const std::atomic<bool>* stop = nullptr);

}  // namespace docledger::operations
