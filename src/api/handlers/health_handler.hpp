// GET /health, /health/live, /health/ready (no auth). Readiness is a function so that the
// handler is testable without a database; `docledger serve` passes one that pings
// PostgreSQL and checks for pending migrations.
#pragma once

#include <functional>
#include <string>

namespace docledger::api {

class Router;

struct ReadinessReport {
  bool ready = false;
  std::string reason;  // why not ready, e.g. "pending migrations: 002_x.sql"; no secrets
};

using ReadinessCheck = std::function<ReadinessReport()>;

struct HealthOptions {
  std::string version;       // reported by GET /health
  ReadinessCheck readiness;  // called on every GET /health/ready; may block briefly
  // The read replica as GET /health reports it ("ok", "unavailable", "not_configured");
  // unset: not reported. Never part of readiness: reads fall back to the primary.
  std::function<std::string()> replica_state = nullptr;
};

// GET /health        200 {"status":"ok","version":...}
// GET /health/live   200 {"status":"alive"} while the process serves requests
// GET /health/ready  200 {"status":"ready"}, or 503 {"status":"not_ready","reason":...}
//                    (also 503 when the check itself throws)
void AddHealthRoutes(Router& router, HealthOptions options);

}  // namespace docledger::api
