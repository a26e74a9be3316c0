#include "operations/retention_policy.hpp"

#include <fmt/format.h>

#include "infrastructure/idempotency_store.hpp"

namespace docledger::operations {

std::vector<RetentionTarget> RetentionTargets(const infrastructure::RetentionConfig& config) {
  // updated_at is when an outbox row became final (the worker sets it with the status).
  // A replay of the alerts projection re-inserts a pruned row as pending: it is marked
  // expired, not sent, as long as DOCLEDGER_ALERT_MAX_AGE_S is shorter than the retention
  // (config.cpp warns otherwise).
  RetentionTarget alerts{"alert_deliveries", "updated_at",
                         "status IN ('delivered', 'throttled', 'dead', 'expired')", config.alert_deliveries};
  // A key replays its response for IdempotencyStore::kRetention after its first use
  // (started_at; a takeover restarts it); only past that, and a grace period, is it deleted.
  RetentionTarget idempotency{"idempotency_keys", "started_at", "true",
                              infrastructure::IdempotencyStore::kRetention + config.idempotency_after_expiry};
  RetentionTarget subscriptions{"subscription_deliveries", "attempted_at", "true", config.subscription_deliveries};
  return {std::move(alerts), std::move(idempotency), std::move(subscriptions)};
}

std::string DeleteBatchSql(const RetentionTarget& target) {
  // ctid: the batch's rows, whatever the table's key. SKIP LOCKED: a row a worker holds is
  // left for a later pass; FOR UPDATE re-checks the predicate on a row updated meanwhile.
  return fmt::format(
      "DELETE FROM {0} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {0} "
      "WHERE {1} < now() - make_interval(secs => $1::float8) AND ({2}) "
      "LIMIT $2 FOR UPDATE SKIP LOCKED))",
      target.table, target.age_column, target.final_rows);
}

}  // namespace docledger::operations
