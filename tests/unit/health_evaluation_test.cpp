// GET /health's verdict: check results + thresholds -> healthy | degraded | unhealthy, with
// the reasons, and the body's shape (operations/health_evaluation.*; pure).
#include "operations/health_evaluation.hpp"

#include <gtest/gtest.h>

namespace docledger::operations {
namespace {

using nlohmann::json;

ProjectorHealth CaughtUp(const std::string& name) { return {name, 100, 100, 0, 0, 0, "serve-1 (local, pid 7)"}; }

// Everything answered and nothing is wrong.
HealthSnapshot AllWell() {
  HealthSnapshot s;
  s.checked_at = "2026-12-05T12:00:00.000Z";
  s.database = DatabaseState::kOk;
  s.database_round_trip_ms = 0.4;
  s.pending_migrations = std::vector<std::string>{};
  s.projectors = std::vector<ProjectorHealth>{CaughtUp("document_views"), CaughtUp("alerts")};
  s.deliveries = DeliveryHealth{3, 1, 0};  // an old dead delivery, outside the window
  return s;
}

HealthThresholds Thresholds() {
  HealthThresholds t;
  t.projector_lag_events = 1000;
  t.projector_lag_seconds = 30;
  t.replica_lag_seconds = 10;
  t.dead_delivery_window_seconds = 3600;
  return t;
}

TEST(HealthEvaluation, EverythingWellIsHealthyWithoutReasons) {
  const auto verdict = EvaluateHealth(AllWell(), Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kHealthy);
  EXPECT_TRUE(verdict.reasons.empty());
}

TEST(HealthEvaluation, UnreachableDatabaseIsUnhealthy) {
  HealthSnapshot s;
  s.database = DatabaseState::kUnreachable;
  s.database_error = "broken_connection: could not connect to 10.0.0.5";
  const auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kUnhealthy);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"database unreachable"}) << "no detail for a public probe";
}

TEST(HealthEvaluation, PendingMigrationsAreUnhealthyAndNamed) {
  auto s = AllWell();
  s.pending_migrations = std::vector<std::string>{"008_x.sql", "009_y.sql"};
  const auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kUnhealthy);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"pending migrations: 008_x.sql, 009_y.sql"});
}

TEST(HealthEvaluation, ParkedEventsDegrade) {
  auto s = AllWell();
  (*s.projectors)[1].parked = 2;
  const auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kDegraded);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"projector alerts: 2 parked events"});
}

TEST(HealthEvaluation, LagPastEitherThresholdDegradesAtTheThresholdDoesNot) {
  auto s = AllWell();
  (*s.projectors)[0].lag_events = 1000;
  (*s.projectors)[0].lag_seconds = 30;
  EXPECT_EQ(EvaluateHealth(s, Thresholds()).status, HealthStatus::kHealthy) << "equal to a threshold is not past it";

  (*s.projectors)[0].lag_events = 1001;
  auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kDegraded);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"projector document_views: 1001 events behind (threshold 1000)"});

  (*s.projectors)[0].lag_events = 5;
  (*s.projectors)[0].lag_seconds = 42.25;
  verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kDegraded);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"projector document_views: 42.2 s behind (threshold 30.0 s)"});
}

TEST(HealthEvaluation, DeadDeliveriesWithinTheWindowDegrade) {
  auto s = AllWell();
  s.deliveries->dead_recent = 1;
  const auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kDegraded);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"alert deliveries: 1 dead in the last 3600 s"});
}

TEST(HealthEvaluation, ReplicaUnreachableOrLaggingDegradesNeverUnhealthy) {
  auto s = AllWell();
  s.replica_configured = true;
  s.replica = ReplicaHealth{true, 2.0, 4};
  EXPECT_EQ(EvaluateHealth(s, Thresholds()).status, HealthStatus::kHealthy);

  s.replica->lag_seconds = 11;
  auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kDegraded);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"read replica: 11.0 s behind (threshold 10.0 s)"});

  s.replica = ReplicaHealth{false, 0, 0};
  verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kDegraded);
  ASSERT_EQ(verdict.reasons, std::vector<std::string>{"read replica unreachable (reads go to the primary)"});
}

TEST(HealthEvaluation, BusyPoolAndFailedChecksDegrade) {
  auto s = AllWell();
  s.database = DatabaseState::kBusy;
  s.projectors.reset();
  s.failed_checks = {"alert_deliveries"};
  const auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kDegraded);
  EXPECT_EQ(verdict.reasons.size(), 2u);
  EXPECT_EQ(verdict.reasons.back(), "check failed: alert_deliveries");
}

TEST(HealthEvaluation, UnhealthyReasonsComeFirstAndTheWorstStatusWins) {
  auto s = AllWell();
  (*s.projectors)[0].parked = 1;
  s.pending_migrations = std::vector<std::string>{"008_x.sql"};
  const auto verdict = EvaluateHealth(s, Thresholds());
  EXPECT_EQ(verdict.status, HealthStatus::kUnhealthy);
  ASSERT_EQ(verdict.reasons.size(), 2u);
  EXPECT_EQ(verdict.reasons[0], "pending migrations: 008_x.sql");
  EXPECT_EQ(verdict.reasons[1], "projector document_views: 1 parked event");
}

TEST(HealthEvaluation, BodyReportsEveryCheckWithItsOwnStatus) {
  auto s = AllWell();
  (*s.projectors)[1].parked = 1;
  (*s.projectors)[1].lease_holder = "";
  const auto verdict = EvaluateHealth(s, Thresholds());
  const auto body = HealthBody(s, verdict, Thresholds(), "1.2.3");
  EXPECT_EQ(body["status"], "degraded");
  EXPECT_EQ(body["service"], "docledger");
  EXPECT_EQ(body["version"], "1.2.3");
  EXPECT_EQ(body["timestamp"], "2026-12-05T12:00:00.000Z");
  EXPECT_EQ(body["reasons"], json::array({"projector alerts: 1 parked event"}));
  const auto& checks = body["checks"];
  EXPECT_EQ(checks["database"], json({{"status", "healthy"}, {"round_trip_ms", 0.4}}));
  EXPECT_EQ(checks["migrations"], json({{"status", "healthy"}, {"pending", json::array()}}));
  EXPECT_EQ(checks["projectors"]["status"], "degraded");
  EXPECT_EQ(checks["projectors"]["lag_events_threshold"], 1000);
  EXPECT_EQ(checks["projectors"]["by_name"]["document_views"],
            json({{"status", "healthy"}, {"checkpoint", 100}, {"head", 100}, {"lag_events", 0}, {"lag_seconds", 0.0},
                  {"parked", 0}, {"lease_held", true}, {"lease_holder", "serve-1 (local, pid 7)"}}));
  EXPECT_EQ(checks["projectors"]["by_name"]["alerts"]["status"], "degraded");
  EXPECT_EQ(checks["projectors"]["by_name"]["alerts"]["lease_held"], false);
  EXPECT_TRUE(checks["projectors"]["by_name"]["alerts"]["lease_holder"].is_null());
  EXPECT_EQ(checks["alert_deliveries"], json({{"status", "healthy"}, {"pending", 3}, {"dead", 1}, {"dead_recent", 0},
                                              {"dead_window_seconds", 3600}}));
  EXPECT_FALSE(checks.contains("read_replica")) << "reported only when configured";
}

TEST(HealthEvaluation, BodyMarksWhatCouldNotBeCheckedUnknown) {
  HealthSnapshot s;
  s.database = DatabaseState::kUnreachable;
  s.database_error = "secret detail";
  s.replica_configured = true;
  const auto body = HealthBody(s, EvaluateHealth(s, Thresholds()), Thresholds(), "1");
  EXPECT_EQ(body["status"], "unhealthy");
  EXPECT_EQ(body["checks"]["database"], json({{"status", "unhealthy"}}));
  EXPECT_EQ(body["checks"]["migrations"]["status"], "unknown");
  EXPECT_EQ(body["checks"]["projectors"]["status"], "unknown");
  EXPECT_EQ(body["checks"]["alert_deliveries"]["status"], "unknown");
  EXPECT_EQ(body["checks"]["read_replica"]["status"], "unknown");
  EXPECT_EQ(body.dump().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace docledger::operations
