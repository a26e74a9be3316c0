// The retention pruner on PostgreSQL (operations/retention_*): old final rows go, recent and
// pending ones stay, passes are bounded, a missing table is skipped, and the pruner neither
// waits for a lock nor makes appends or deliveries wait.
#include <atomic>
#include <chrono>
#include <string>

#include <pqxx/pqxx>

#include "infrastructure/metrics.hpp"
#include "operations/retention_pruner.hpp"
#include "operations/retention_worker.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/prometheus_text.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using operations::PruneOptions;
using operations::PruneStatus;
using operations::RetentionTarget;
using std::chrono::hours;

constexpr int kDay = 24;

class Retention : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    conn_ = std::make_unique<pqxx::connection>(db_->url());
  }
  // `count` outbox rows with `status`, final (updated) `age_hours` ago; sequences from `first`.
  void AddDeliveries(int first, int count, const std::string& status, int age_hours) {
    pqxx::nontransaction tx(*conn_);
    tx.exec_params(
        "INSERT INTO alert_deliveries (source_sequence, type, level, key, message, details, raised_at, status, "
        "updated_at) SELECT s, 'job_failed', 'error', 'k', 'm', '{}', now(), $3, now() - $4 * interval '1 hour' "
        "FROM generate_series($1::bigint, $1::bigint + $2 - 1) s",
        first, count, status, age_hours);
  }
  long Count(const std::string& table_and_condition) {
    return Sql("SELECT count(*) FROM " + table_and_condition)[0][0].as<long>();
  }
  operations::PruneOutcome Prune(const RetentionTarget& target, PruneOptions options = {}) {
    return operations::PruneTarget(*conn_, target, options);
  }
  static RetentionTarget Target(const std::string& table, const infrastructure::RetentionConfig& config = {}) {
    for (const auto& target : operations::RetentionTargets(config)) {
      if (target.table == table) return target;
    }
    ADD_FAILURE() << "no target " << table;
    return {};
  }
  // One delivery attempt a day, 1 .. `days` days ago (less an hour: off the boundary).
  void AddSubscriptionAttempts(int days) {
    pqxx::nontransaction tx(*conn_);
    tx.exec_params("INSERT INTO subscription_deliveries (subscription_id, webhook_id, after_sequence, "
                   "through_sequence, event_count, outcome, latency_ms, instance, attempted_at) "
                   "SELECT gen_random_uuid(), 'w', 0, 1, 1, 'delivered', 1, 'i', "
                   "now() - s * interval '1 day' + interval '1 hour' FROM generate_series(1, $1) s", days);
  }
  std::unique_ptr<pqxx::connection> conn_;
};

TEST_F(Retention, DeletesOldFinalAlertDeliveriesAndKeepsRecentAndPendingOnes) {
  int sequence = 1;
  for (const char* status : {"delivered", "throttled", "dead", "expired"}) {
    AddDeliveries(sequence++, 1, status, 31 * kDay);  // old and final: deleted
    AddDeliveries(sequence++, 1, status, 29 * kDay);  // final, not old enough: kept
  }
  AddDeliveries(100, 3, "pending", 90 * kDay);  // not final, however old: kept
  const auto outcome = Prune(Target("alert_deliveries"));
  EXPECT_EQ(outcome.status, PruneStatus::kDone);
  EXPECT_EQ(outcome.deleted, 4u);
  EXPECT_EQ(Count("alert_deliveries WHERE status = 'pending'"), 3);
  EXPECT_EQ(Count("alert_deliveries WHERE status <> 'pending'"), 4);
  EXPECT_EQ(Count("alert_deliveries WHERE status <> 'pending' AND updated_at < now() - interval '30 days'"), 0);
}

TEST_F(Retention, KeepsIdempotencyKeysUntilTheirExpiryAndTheGraceHavePassed) {
  // Expiry: 24 h after started_at (IdempotencyStore::kRetention); grace: 1 day by default.
  Sql("INSERT INTO idempotency_keys (actor, idempotency_key, request_hash, status, started_at) VALUES "
      "('a', 'live', 'h', 200, now() - interval '23 hours'), "
      "('a', 'expired-in-grace', 'h', 200, now() - interval '47 hours'), "
      "('a', 'in-flight', 'h', NULL, now() - interval '12 hours'), "
      "('a', 'gone', 'h', 200, now() - interval '49 hours'), "
      "('a', 'abandoned', 'h', NULL, now() - interval '49 hours')");
  const auto outcome = Prune(Target("idempotency_keys"));
  EXPECT_EQ(outcome.deleted, 2u);
  EXPECT_EQ(Count("idempotency_keys WHERE idempotency_key IN ('live', 'expired-in-grace', 'in-flight')"), 3);
  infrastructure::RetentionConfig no_grace;
  no_grace.idempotency_after_expiry = std::chrono::seconds(0);
  EXPECT_EQ(Prune(Target("idempotency_keys", no_grace)).deleted, 1u) << "expired-in-grace";
  EXPECT_EQ(Count("idempotency_keys"), 2) << "a key is never pruned before it expires";
}

TEST_F(Retention, DeletesSubscriptionAttemptsOlderThanTheirRetention) {
  AddSubscriptionAttempts(10);  // 1 .. 10 days old
  const auto outcome = Prune(Target("subscription_deliveries"));  // 7 days by default
  EXPECT_EQ(outcome.status, PruneStatus::kDone);
  EXPECT_EQ(outcome.deleted, 3u);
  EXPECT_EQ(Count("subscription_deliveries"), 7);
}

TEST_F(Retention, SkipsATableThatDoesNotExist) {
  const RetentionTarget missing{"retention_no_such_table", "attempted_at", "true", hours(1)};
  const auto outcome = Prune(missing);
  EXPECT_EQ(outcome.status, PruneStatus::kMissing);
  EXPECT_EQ(outcome.deleted, 0u);
  // And a whole pass goes on past it to the tables that exist.
  AddDeliveries(1, 2, "delivered", 31 * kDay);
  operations::RetentionWorkerOptions options;
  options.targets = {missing, Target("alert_deliveries")};
  operations::RetentionWorker worker(db_->url(), options);
  const auto pass = worker.RunOnce();
  EXPECT_EQ(pass.deleted, 2u);
  EXPECT_TRUE(pass.complete);
}

TEST_F(Retention, DeletesManyRowsOverSeveralBoundedBatchesAndPasses) {
  AddDeliveries(1, 1000, "delivered", 31 * kDay);
  AddDeliveries(2000, 10, "delivered", 1);
  PruneOptions options;
  options.batch_size = 64;
  options.max_batches = 5;
  const auto first = Prune(Target("alert_deliveries"), options);
  EXPECT_EQ(first.status, PruneStatus::kBounded) << "a pass stops at its bound";
  EXPECT_EQ(first.batches, 5u);
  EXPECT_EQ(first.deleted, 320u);
  std::size_t deleted = first.deleted;
  std::size_t batches = first.batches;
  for (int pass = 0; pass < 10 && deleted < 1000; ++pass) {
    const auto next = Prune(Target("alert_deliveries"), options);
    EXPECT_LE(next.deleted, 5u * 64u);
    deleted += next.deleted;
    batches += next.batches;
  }
  EXPECT_EQ(deleted, 1000u);
  EXPECT_GE(batches, 16u) << "1000 rows in batches of 64";
  EXPECT_EQ(Count("alert_deliveries"), 10);
  EXPECT_EQ(Prune(Target("alert_deliveries"), options).status, PruneStatus::kDone);
}

TEST_F(Retention, GivesUpWithoutErrorWhenALockIsNotGrantedInTime) {
  AddDeliveries(1, 5, "dead", 31 * kDay);
  pqxx::connection holder(db_->url());
  pqxx::work lock(holder);
  lock.exec("LOCK TABLE alert_deliveries IN SHARE MODE");  // as CREATE INDEX would: no writer gets in
  PruneOptions options;
  options.lock_timeout = std::chrono::milliseconds(100);
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = Prune(Target("alert_deliveries"), options);
  EXPECT_EQ(outcome.status, PruneStatus::kGaveUp);
  EXPECT_EQ(outcome.deleted, 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  lock.abort();
  EXPECT_EQ(Prune(Target("alert_deliveries"), options).deleted, 5u) << "the next pass, on the same connection";
}

TEST_F(Retention, SkipsRowsAWorkerHoldsInsteadOfWaiting) {
  AddDeliveries(1, 5, "delivered", 31 * kDay);
  pqxx::connection worker(db_->url());
  pqxx::work claim(worker);
  claim.exec("SELECT 1 FROM alert_deliveries WHERE source_sequence = 3 FOR UPDATE");
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = Prune(Target("alert_deliveries"));
  EXPECT_EQ(outcome.deleted, 4u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  claim.abort();
  EXPECT_EQ(Prune(Target("alert_deliveries")).deleted, 1u) << "taken by the next pass";
}

TEST_F(Retention, AppendsAndDeliveriesDoNotWaitForABatchInProgress) {
  AddDeliveries(1, 50, "delivered", 31 * kDay);
  AddDeliveries(100, 1, "pending", 0);
  // A batch caught before its commit: its row locks and table lock are held.
  pqxx::work batch(*conn_);
  batch.exec_params(operations::DeleteBatchSql(Target("alert_deliveries")), 30.0 * 24 * 3600, 1000);
  pqxx::connection other(db_->url());
  pqxx::work tx(other);
  tx.exec("SET LOCAL lock_timeout = '1s'");  // an error instead of a hang if it had to wait
  tx.exec("INSERT INTO alert_deliveries (source_sequence, type, level, key, message, details, raised_at) "
          "VALUES (200, 'job_failed', 'error', 'k', 'm', '{}', now())");  // the alerts projection's append
  tx.exec("UPDATE alert_deliveries SET status = 'delivered', updated_at = now() WHERE source_sequence = 100");
  EXPECT_NO_THROW(tx.commit());
  batch.commit();
  EXPECT_EQ(Count("alert_deliveries"), 2);
}

TEST_F(Retention, WorkerCountsItsPassesAndStopsWithoutWaitingForTheInterval) {
  AddDeliveries(1, 3, "throttled", 31 * kDay);
  infrastructure::Metrics metrics;
  operations::RetentionWorkerOptions options;
  options.targets = {Target("alert_deliveries")};
  options.interval = std::chrono::minutes(10);
  operations::RetentionWorker worker(db_->url(), options, &metrics);
  worker.Start();  // a first pass at once
  ASSERT_TRUE(WaitUntil([&] { return Count("alert_deliveries") == 0; }));
  const auto started = std::chrono::steady_clock::now();
  worker.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "woken, not waiting 10 minutes";
  const auto text = metrics.Serialize();
  EXPECT_EQ(SeriesValue(text, "docledger_retention_deleted_rows_total", {{"table", "alert_deliveries"}}), 3.0);
  EXPECT_EQ(SeriesValue(text, "docledger_retention_passes_total", {{"result", "done"}}), 1.0);
}

}  // namespace
}  // namespace docledger::testing
