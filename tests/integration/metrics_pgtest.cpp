// Metrics fed from PostgreSQL: the event store's group-commit hook and the cheap
// projection progress read behind the projector gauges.
#include <gtest/gtest.h>

#include <chrono>

#include "infrastructure/metrics.hpp"
#include "projection_runtime/projection_status.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/prometheus_text.hpp"

namespace docledger::testing {
namespace {

class MetricsPgTest : public PgTest {
 protected:
  void HookAppendMetrics() {
    // What `docledger serve` does once it builds its event store.
    store_->OnBatchCommitted([this](const eventstore::AppendBatchCommitted& batch) {
      metrics_.ObserveAppendBatch(batch.events, std::chrono::duration<double>(batch.duration).count(),
                                  batch.written_by_type);
    });
  }
  infrastructure::Metrics metrics_;
};

TEST_F(MetricsPgTest, AppendBatchesCountWrittenEventsPerTypeAndBatchSizes) {
  HookAppendMetrics();
  const auto first = MakeEvent("ProjectCreated", R"({"name":"p"})");
  const auto second = MakeEvent("DocumentUploaded");
  store_->Append(MakeAppend("project-1", domain::ExpectedVersion::Any(), {first, second}));
  store_->Append(MakeAppend("project-2", domain::ExpectedVersion::Any(), 3));
  // The same events again: recognised as already recorded, nothing newly written.
  const auto again = store_->Append(MakeAppend("project-1", domain::ExpectedVersion::Any(), {first, second}));
  ASSERT_TRUE(again.already_recorded);

  const auto text = metrics_.Serialize();
  EXPECT_EQ(SeriesValue(text, "docledger_events_appended_total", {{"event_type", "ProjectCreated"}}), 1.0);
  EXPECT_EQ(SeriesValue(text, "docledger_events_appended_total", {{"event_type", "DocumentUploaded"}}), 4.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_batch_size_count"), 3.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_batch_size_sum"), 7.0);
  EXPECT_EQ(SeriesValue(text, "docledger_append_duration_seconds_count"), 3.0);
  EXPECT_GT(*SeriesValue(text, "docledger_append_duration_seconds_sum"), 0.0);
}

TEST_F(MetricsPgTest, ProjectionProgressReadsCheckpointsLagAndParkedCounts) {
  for (int i = 0; i < 5; ++i) store_->Append(MakeAppend("stream-" + std::to_string(i)));
  const auto head = store_->HeadSequence();
  Sql("INSERT INTO projection_checkpoints (name, last_sequence) VALUES ('alpha', " +
      std::to_string(head - 2) + ")");
  // One parked event of alpha and one held behind it: parked counts the first only.
  Sql("INSERT INTO projection_parked (projection, sequence, event_id, stream_id, error, held_behind) "
      "SELECT 'alpha', sequence, event_id, stream_id, 'Boom: x', NULL FROM events ORDER BY sequence "
      "OFFSET 3 LIMIT 1");
  Sql("INSERT INTO projection_parked (projection, sequence, event_id, stream_id, error, held_behind) "
      "SELECT 'alpha', sequence, event_id, stream_id, 'held', sequence - 1 FROM events ORDER BY sequence "
      "OFFSET 4 LIMIT 1");

  auto lease = pool_->Acquire();
  const auto progress = projection_runtime::ReadProjectionProgress(*lease, {"alpha", "never_ran"});
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0].name, "alpha");
  EXPECT_EQ(progress[0].head, head);
  EXPECT_EQ(progress[0].checkpoint, head - 2);
  EXPECT_EQ(progress[0].lag_events, 2);
  EXPECT_EQ(progress[0].parked, 1);
  EXPECT_EQ(progress[1].name, "never_ran");
  EXPECT_EQ(progress[1].checkpoint, 0);
  EXPECT_EQ(progress[1].lag_events, head);
  EXPECT_EQ(progress[1].parked, 0);

  // The same numbers as the full status (which counts rows) when there are no holes.
  const auto status = projection_runtime::ReadProjectionStatus(*lease, {"alpha"});
  EXPECT_EQ(status[0].lag_events, progress[0].lag_events);
  EXPECT_EQ(status[0].parked, progress[0].parked);
}

TEST_F(MetricsPgTest, PoolCountsLeasedAndIdleConnections) {
  EXPECT_EQ(pool_->Connections().in_use, 0u);
  {
    auto a = pool_->Acquire();
    auto b = pool_->Acquire();
    EXPECT_EQ(pool_->Connections().in_use, 2u);
  }
  const auto counts = pool_->Connections();
  EXPECT_EQ(counts.in_use, 0u);
  EXPECT_EQ(counts.idle, 2u);
}

}  // namespace
}  // namespace docledger::testing
