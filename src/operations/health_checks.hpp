// GET /health, the I/O part: gathers the numbers health_evaluation.* judges. On one pooled
// connection of the primary: a round trip (timed), pending migrations, every projector's
// progress (ReadProjectionHealth: checkpoint, head, lag, parked, lease holder) and the
// alert outbox's pending and dead rows; on the replica's pool, when configured, its replay
// delay and head. A few indexed reads; HealthMonitor runs them at most once per second.
// Never throws: what could not be checked is unset in the snapshot, with the reason.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "operations/health_evaluation.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
class MigrationRunner;
}  // namespace docledger::infrastructure

namespace docledger::operations {

struct HealthSources {
  infrastructure::ConnectionPool& pool;
  const infrastructure::MigrationRunner& migrations;
  std::vector<std::string> projections;
  infrastructure::ConnectionPool* replica = nullptr;  // DATABASE_READ_URL's pool, if any
  std::chrono::seconds dead_delivery_window{86400};
  std::chrono::milliseconds acquire_timeout{2000};    // per pool, for one check round
};

HealthSnapshot GatherHealth(const HealthSources& sources);

}  // namespace docledger::operations
