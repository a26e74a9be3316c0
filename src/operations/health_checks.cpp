#include "operations/health_checks.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <pqxx/pqxx>
#include <spdlog/common.h>

#include "domain/errors.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/migrations.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/projection_status.hpp"

namespace docledger::operations {
namespace {

namespace statements = infrastructure::statements;
using infrastructure::DescribeError;
using infrastructure::LogEvent;

// The detail goes to the log only: /health is public, and errors may name hosts or SQL.
void LogFailure(const char* check, const std::string& detail) {
  LogEvent(spdlog::level::warn, "health check failed", {{"check", check}, {"detail", detail}});
}

std::string NowUtc() {
  const auto now = std::chrono::system_clock::now();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), millis);
}

// The round trip, timed; false when the connection is broken.
bool Ping(pqxx::connection& conn, HealthSnapshot& snapshot) {
  try {
    const auto started = std::chrono::steady_clock::now();
    pqxx::nontransaction tx(conn);
    tx.exec_prepared(statements::kPing);
    snapshot.database_round_trip_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    snapshot.database = DatabaseState::kOk;
    return true;
  } catch (const std::exception& e) {
    snapshot.database = DatabaseState::kUnreachable;
    snapshot.database_error = DescribeError(e);
    return false;
  }
}

// Runs one check; a failure is recorded under `name` instead of failing the round.
template <typename Fn>
void Check(HealthSnapshot& snapshot, const char* name, Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    LogFailure(name, DescribeError(e));
    snapshot.failed_checks.push_back(name);
  }
}

void CheckPrimary(pqxx::connection& conn, const HealthSources& sources, HealthSnapshot& snapshot) {
  Check(snapshot, "migrations", [&] { snapshot.pending_migrations = sources.migrations.Pending(conn); });
  // Before `docledger migrate` the tables below may not exist: report only the migrations.
  if (!snapshot.pending_migrations || !snapshot.pending_migrations->empty()) return;
  Check(snapshot, "projectors", [&] {
    std::vector<ProjectorHealth> projectors;
    for (const auto& s : projection_runtime::ReadProjectionHealth(conn, sources.projections)) {
      projectors.push_back({s.name, s.checkpoint, s.head, s.lag_events, s.lag_seconds, s.parked, s.lease_holder});
    }
    snapshot.projectors = std::move(projectors);
  });
  Check(snapshot, "alert_deliveries", [&] {
    pqxx::nontransaction tx(conn);
    const auto row = tx.exec_prepared1(statements::kHealthDeliveries,
                                       static_cast<double>(sources.dead_delivery_window.count()));
    snapshot.deliveries = DeliveryHealth{row[0].as<std::int64_t>(), row[1].as<std::int64_t>(),
                                         row[2].as<std::int64_t>()};
  });
}

void CheckReplica(const HealthSources& sources, HealthSnapshot& snapshot) {
  ReplicaHealth replica;
  try {
    auto lease = sources.replica->Acquire(sources.acquire_timeout);
    try {
      pqxx::read_transaction tx(*lease);
      const auto lag = tx.exec_prepared1(statements::kHealthReplicaLag);
      replica.lag_seconds = lag[0].is_null() ? 0 : lag[0].as<double>();
      const auto head = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
      const std::int64_t primary_head = snapshot.projectors && !snapshot.projectors->empty()
                                            ? snapshot.projectors->front().head : head;
      replica.lag_events = std::max<std::int64_t>(0, primary_head - head);
      replica.reachable = true;
    } catch (const std::exception& e) {
      if (infrastructure::IsConnectionLost(e)) lease.Discard();
      throw;
    }
  } catch (const std::exception& e) {
    replica.reachable = false;
    LogFailure("read_replica", DescribeError(e));
  }
  snapshot.replica = replica;
}

}  // namespace

HealthSnapshot GatherHealth(const HealthSources& sources) {
  HealthSnapshot snapshot;
  snapshot.checked_at = NowUtc();
  snapshot.replica_configured = sources.replica != nullptr;
  try {
    // A pooled connection may have died with a database restart: discard it and try once
    // more with a fresh one before reporting the database unreachable (as readiness does).
    for (int attempt = 1; attempt <= 2; ++attempt) {
      auto lease = sources.pool.Acquire(sources.acquire_timeout);
      if (Ping(*lease, snapshot)) {
        CheckPrimary(*lease, sources, snapshot);
        break;
      }
      lease.Discard();
    }
  } catch (const domain::PoolExhausted& e) {
    snapshot.database = DatabaseState::kBusy;
    snapshot.database_error = e.what();
  } catch (const std::exception& e) {
    snapshot.database = DatabaseState::kUnreachable;
    snapshot.database_error = DescribeError(e);
  }
  if (snapshot.database != DatabaseState::kOk) LogFailure("database", snapshot.database_error);
  if (sources.replica != nullptr) CheckReplica(sources, snapshot);
  return snapshot;
}

}  // namespace docledger::operations
