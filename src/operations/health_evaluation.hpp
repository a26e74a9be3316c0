// GET /health, the pure part: what the checks found (HealthSnapshot, gathered by
// health_checks.*) and the thresholds (DOCLEDGER_HEALTH_*) -> one status with its reasons,
// and the response body. No I/O, no clock: every input is a parameter.
//
//   unhealthy (503)  the database is unreachable, or migrations are pending
//   degraded  (200)  a projector has parked events or lags past a threshold, an alert
//                    delivery went dead within the window, the pool had no free connection
//                    for the check, a check failed, or the read replica is unreachable or
//                    lags past its threshold
//   healthy   (200)  none of the above
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace docledger::operations {

enum class HealthStatus { kHealthy, kDegraded, kUnhealthy };
const char* ToString(HealthStatus status);

enum class DatabaseState {
  kOk,
  kUnreachable,  // no connection, or the round trip failed
  kBusy,         // the pool had no free connection within the check's wait
};

struct ProjectorHealth {
  std::string name;
  std::int64_t checkpoint = 0;
  std::int64_t head = 0;
  std::int64_t lag_events = 0;  // head - checkpoint
  double lag_seconds = 0;       // age of the oldest event not yet applied (0 when caught up)
  std::int64_t parked = 0;      // events that failed (not those held behind them)
  std::string lease_holder;     // the session holding the projector's lease, "" = nobody
};

struct DeliveryHealth {
  std::int64_t pending = 0;
  std::int64_t dead = 0;         // all time
  std::int64_t dead_recent = 0;  // went dead within the window
};

struct ReplicaHealth {
  bool reachable = false;
  double lag_seconds = 0;       // replay delay (0 when it has replayed all it received)
  std::int64_t lag_events = 0;  // the primary's head sequence minus the replica's
};

struct HealthSnapshot {
  std::string checked_at;  // when the checks ran (UTC, RFC 3339)
  DatabaseState database = DatabaseState::kUnreachable;
  double database_round_trip_ms = 0;
  std::string database_error;  // for the log (GatherHealth logs it), never in the body
  // Unset: not known (the database could not be asked). Empty: none pending.
  std::optional<std::vector<std::string>> pending_migrations;
  std::optional<std::vector<ProjectorHealth>> projectors;
  std::optional<DeliveryHealth> deliveries;
  bool replica_configured = false;
  std::optional<ReplicaHealth> replica;  // when configured and checked
  std::vector<std::string> failed_checks;  // names of checks that failed ("projectors"; detail logged)
};

struct HealthThresholds {
  std::int64_t projector_lag_events = 10000;
  double projector_lag_seconds = 60;
  double replica_lag_seconds = 30;
  std::int64_t dead_delivery_window_seconds = 86400;  // only named in the reason and the body
};

struct HealthVerdict {
  HealthStatus status = HealthStatus::kHealthy;
  std::vector<std::string> reasons;  // why not healthy, most severe first; empty when healthy
};

HealthVerdict EvaluateHealth(const HealthSnapshot& snapshot, const HealthThresholds& thresholds);

// The body of GET /health: status, reasons, timestamp, service, version, checks.
nlohmann::json HealthBody(const HealthSnapshot& snapshot, const HealthVerdict& verdict,
                          const HealthThresholds& thresholds, const std::string& version);

}  // namespace docledger::operations
