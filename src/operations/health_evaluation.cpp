#include "operations/health_evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace docledger::operations {
namespace {

// One check's verdict: its status and why.
struct CheckResult {
  HealthStatus status = HealthStatus::kHealthy;
  std::vector<std::string> reasons;

  void Add(HealthStatus at_least, std::string reason) {
    status = std::max(status, at_least);
    reasons.push_back(std::move(reason));
  }
};

CheckResult DatabaseCheck(const HealthSnapshot& s) {
  CheckResult result;
  if (s.database == DatabaseState::kUnreachable) {
    result.Add(HealthStatus::kUnhealthy, "database unreachable");
  } else if (s.database == DatabaseState::kBusy) {
    result.Add(HealthStatus::kDegraded, "database: no pooled connection free for the health check");
  }
  return result;
}

CheckResult MigrationsCheck(const HealthSnapshot& s) {
  CheckResult result;
  if (s.pending_migrations && !s.pending_migrations->empty()) {
    std::string names;
    for (const auto& name : *s.pending_migrations) names += (names.empty() ? "" : ", ") + name;
    result.Add(HealthStatus::kUnhealthy, "pending migrations: " + names);
  }
  return result;
}

std::string Seconds(double seconds) { return fmt::format("{:.1f} s", seconds); }

CheckResult ProjectorCheck(const ProjectorHealth& p, const HealthThresholds& t) {
  CheckResult result;
  if (p.parked > 0) {
    result.Add(HealthStatus::kDegraded, fmt::format("projector {}: {} parked event{}", p.name, p.parked,
                                                    p.parked == 1 ? "" : "s"));
  }
  if (p.lag_events > t.projector_lag_events) {
    result.Add(HealthStatus::kDegraded, fmt::format("projector {}: {} events behind (threshold {})", p.name,
                                                    p.lag_events, t.projector_lag_events));
  }
  if (p.lag_seconds > t.projector_lag_seconds) {
    result.Add(HealthStatus::kDegraded, fmt::format("projector {}: {} behind (threshold {})", p.name,
                                                    Seconds(p.lag_seconds), Seconds(t.projector_lag_seconds)));
  }
  return result;
}

CheckResult DeliveriesCheck(const HealthSnapshot& s, const HealthThresholds& t) {
  CheckResult result;
  if (s.deliveries && s.deliveries->dead_recent > 0) {
    result.Add(HealthStatus::kDegraded, fmt::format("alert deliveries: {} dead in the last {} s",
                                                    s.deliveries->dead_recent, t.dead_delivery_window_seconds));
  }
  return result;
}

CheckResult ReplicaCheck(const HealthSnapshot& s, const HealthThresholds& t) {
  CheckResult result;
  if (!s.replica) return result;
  if (!s.replica->reachable) {
    result.Add(HealthStatus::kDegraded, "read replica unreachable (reads go to the primary)");
  } else if (s.replica->lag_seconds > t.replica_lag_seconds) {
    result.Add(HealthStatus::kDegraded, fmt::format("read replica: {} behind (threshold {})",
                                                    Seconds(s.replica->lag_seconds), Seconds(t.replica_lag_seconds)));
  }
  return result;
}

void Merge(HealthVerdict& verdict, const CheckResult& check) {
  verdict.status = std::max(verdict.status, check.status);
  verdict.reasons.insert(verdict.reasons.end(), check.reasons.begin(), check.reasons.end());
}

nlohmann::json StatusOf(const CheckResult& check) { return ToString(check.status); }

nlohmann::json ProjectorsJson(const HealthSnapshot& s, const HealthThresholds& t) {
  if (!s.projectors) return {{"status", "unknown"}};
  CheckResult all;
  nlohmann::json by_name = nlohmann::json::object();
  for (const auto& p : *s.projectors) {
    const auto check = ProjectorCheck(p, t);
    all.status = std::max(all.status, check.status);
    by_name[p.name] = {{"status", StatusOf(check)},
                   {"checkpoint", p.checkpoint},
                   {"head", p.head},
                   {"lag_events", p.lag_events},
                   {"lag_seconds", std::round(p.lag_seconds * 1000) / 1000},
                   {"parked", p.parked},
                   {"lease_held", !p.lease_holder.empty()},
                   {"lease_holder", p.lease_holder.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.lease_holder)}};
  }
  return {{"status", StatusOf(all)},
          {"lag_events_threshold", t.projector_lag_events},
          {"lag_seconds_threshold", t.projector_lag_seconds},
          {"by_name", by_name}};
}

nlohmann::json DeliveriesJson(const HealthSnapshot& s, const HealthThresholds& t) {
  if (!s.deliveries) return {{"status", "unknown"}};
  return {{"status", StatusOf(DeliveriesCheck(s, t))},
          {"pending", s.deliveries->pending},
          {"dead", s.deliveries->dead},
          {"dead_recent", s.deliveries->dead_recent},
          {"dead_window_seconds", t.dead_delivery_window_seconds}};
}

nlohmann::json ReplicaJson(const HealthSnapshot& s, const HealthThresholds& t) {
  if (!s.replica) return {{"status", "unknown"}};
  nlohmann::json out{{"status", StatusOf(ReplicaCheck(s, t))},
                     {"reachable", s.replica->reachable},
                     {"lag_seconds_threshold", t.replica_lag_seconds}};
  if (s.replica->reachable) {
    out["lag_seconds"] = std::round(s.replica->lag_seconds * 1000) / 1000;
    out["lag_events"] = s.replica->lag_events;
  }
  return out;
}

}  // namespace

const char* ToString(HealthStatus status) {
  switch (status) {
    case HealthStatus::kHealthy:
      return "healthy";
    case HealthStatus::kDegraded:
      return "degraded";
    case HealthStatus::kUnhealthy:
      return "unhealthy";
  }
  return "unhealthy";
}

HealthVerdict EvaluateHealth(const HealthSnapshot& snapshot, const HealthThresholds& thresholds) {
  HealthVerdict verdict;
  Merge(verdict, DatabaseCheck(snapshot));
  Merge(verdict, MigrationsCheck(snapshot));
  if (snapshot.projectors) {
    for (const auto& projector : *snapshot.projectors) Merge(verdict, ProjectorCheck(projector, thresholds));
  }
  Merge(verdict, DeliveriesCheck(snapshot, thresholds));
  Merge(verdict, ReplicaCheck(snapshot, thresholds));
  CheckResult failed;
  for (const auto& check : snapshot.failed_checks) failed.Add(HealthStatus::kDegraded, "check failed: " + check);
  Merge(verdict, failed);
  // Most severe first (stable: the order of the checks within a severity).
  std::stable_partition(verdict.reasons.begin(), verdict.reasons.end(), [](const std::string& reason) {
    return reason.rfind("database unreachable", 0) == 0 || reason.rfind("pending migrations", 0) == 0;
  });
  return verdict;
}

nlohmann::json HealthBody(const HealthSnapshot& s, const HealthVerdict& verdict, const HealthThresholds& t,
                          const std::string& version) {
  nlohmann::json database{{"status", StatusOf(DatabaseCheck(s))}};
  if (s.database == DatabaseState::kOk) database["round_trip_ms"] = std::round(s.database_round_trip_ms * 1000) / 1000;
  nlohmann::json migrations{{"status", s.pending_migrations ? StatusOf(MigrationsCheck(s)) : nlohmann::json("unknown")}};
  if (s.pending_migrations) migrations["pending"] = *s.pending_migrations;
  nlohmann::json checks{{"database", database},
                        {"migrations", migrations},
                        {"projectors", ProjectorsJson(s, t)},
                        {"alert_deliveries", DeliveriesJson(s, t)}};
  if (s.replica_configured) checks["read_replica"] = ReplicaJson(s, t);
  return {{"status", ToString(verdict.status)},
          {"reasons", verdict.reasons},
          {"timestamp", s.checked_at},
          {"service", "docledger"},
          {"version", version},
          {"checks", checks}};
}

}  // namespace docledger::operations
