// GET /health, /health/live, /health/ready (no auth). Readiness and the health report are
// functions so that the handler is testable without a database; `docledger serve` passes a
// readiness check that pings PostgreSQL and checks for pending migrations, and a report
// computed from operations::HealthMonitor (the checks run at most once per second).
#pragma once

#include <functional>
#include <string>

#include "operations/health_evaluation.hpp"

namespace docledger::api {

class Router;

struct ReadinessReport {
  bool ready = false;
  std::string reason;  // why not ready, e.g. "pending migrations: 002_x.sql"; no secrets
};

using ReadinessCheck = std::function<ReadinessReport()>;

// What GET /health shows: the verdict and the body (operations::HealthBody).
struct HealthReport {
  operations::HealthStatus status = operations::HealthStatus::kHealthy;
  nlohmann::json body;
};

struct HealthOptions {
  std::string version;       // reported by GET /health
  ReadinessCheck readiness;  // called on every GET /health/ready; may block briefly
  // GET /health's report; may block briefly. Unset: {"status":"healthy","version",...}
  // with no checks (a router without a database, in tests).
  std::function<HealthReport()> health = nullptr;
  // The read replica as the read router last saw it ("ok", "unavailable",
  // "not_configured"), reported as "read_replica"; unset: not reported.
  std::function<std::string()> replica_state = nullptr;
};

// GET /health        200 {"status":"healthy"|"degraded",...}, 503 {"status":"unhealthy",...}
//                    (also 503 when the report itself throws); docs/deploy.md "Health probes"
// GET /health/live   200 {"status":"alive"} while the process serves requests
// GET /health/ready  200 {"status":"ready"}, or 503 {"status":"not_ready","reason":...}
//                    (also 503 when the check itself throws)
void AddHealthRoutes(Router& router, HealthOptions options);

}  // namespace docledger::api
