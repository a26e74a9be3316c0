// What the retention pruner deletes (operations/retention_policy.*): pure, no database.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "infrastructure/idempotency_store.hpp"
#include "operations/retention_policy.hpp"

namespace docledger::operations {
namespace {

RetentionTarget TargetOf(const std::string& table, const infrastructure::RetentionConfig& config = {}) {
  const auto targets = RetentionTargets(config);
  const auto it = std::find_if(targets.begin(), targets.end(), [&](const auto& t) { return t.table == table; });
  EXPECT_NE(it, targets.end()) << table;
  return it == targets.end() ? RetentionTarget{} : *it;
}

TEST(RetentionPolicy, AlertDeliveriesAreFinalInEveryStatusButPending) {
  const auto target = TargetOf("alert_deliveries");
  for (const char* status : {"'delivered'", "'throttled'", "'dead'", "'expired'"}) {
    EXPECT_NE(target.final_rows.find(status), std::string::npos) << status;
  }
  EXPECT_EQ(target.final_rows.find("pending"), std::string::npos);
  EXPECT_EQ(target.age_column, "updated_at");
  EXPECT_EQ(target.keep, std::chrono::hours(30 * 24));
}

TEST(RetentionPolicy, IdempotencyKeysAreKeptTheirExpiryAndThenTheGrace) {
  infrastructure::RetentionConfig config;
  config.idempotency_after_expiry = std::chrono::hours(6);
  const auto target = TargetOf("idempotency_keys", config);
  EXPECT_EQ(target.keep, infrastructure::IdempotencyStore::kRetention + std::chrono::hours(6));
  EXPECT_EQ(target.age_column, "started_at");
  config.idempotency_after_expiry = std::chrono::seconds(0);
  EXPECT_EQ(TargetOf("idempotency_keys", config).keep, infrastructure::IdempotencyStore::kRetention)
      << "never before the key expires";
}

TEST(RetentionPolicy, SubscriptionAttemptsAgeByAttemptTime) {
  infrastructure::RetentionConfig config;
  config.subscription_deliveries = std::chrono::hours(3);
  const auto target = TargetOf("subscription_deliveries", config);
  EXPECT_EQ(target.age_column, "attempted_at");
  EXPECT_EQ(target.keep, std::chrono::hours(3));
}

TEST(RetentionPolicy, DeleteBatchSqlDeletesOneBoundedBatchOfOldFinalRowsSkippingLockedOnes) {
  const RetentionTarget target{"t", "finished_at", "state = 'x'", std::chrono::seconds(5)};
  const auto sql = DeleteBatchSql(target);
  EXPECT_EQ(sql,
            "DELETE FROM t WHERE ctid = ANY(ARRAY(SELECT ctid FROM t "
            "WHERE finished_at < now() - make_interval(secs => $1::float8) AND (state = 'x') "
            "LIMIT $2 FOR UPDATE SKIP LOCKED))");
}

}  // namespace
}  // namespace docledger::operations
