// `docledger serve`: configuration -> logging -> connection pool -> router -> server, then
// wait for SIGTERM/SIGINT and stop gracefully.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <spdlog/common.h>

#include "alerting/alert_delivery_worker.hpp"
#include "api/handlers/health_handler.hpp"
#include "api/handlers/server_routes.hpp"
#include "api/middleware/auth.hpp"
#include "api/middleware/idempotency.hpp"
#include "api/middleware/rate_limit.hpp"
#include "api/read_router.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "cli/cli_support.hpp"
#include "cli/serve_subscriptions.hpp"
#include "cli/commands.hpp"
#include "domain/command_service.hpp"
#include "domain/errors.hpp"
#include "eventstore/event_notifier.hpp"
#include "eventstore/postgres_event_store.hpp"
#include "eventstore/sealing_event_store.hpp"
#include "infrastructure/config.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/content_store.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/idempotency_store.hpp"
#include "infrastructure/json_schema_validator.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/metrics.hpp"
#include "infrastructure/migrations.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/recovery.hpp"
#include "infrastructure/statements.hpp"
#include "operations/document_erasure.hpp"
#include "operations/health_checks.hpp"
#include "operations/health_monitor.hpp"
#include "operations/projection_operations.hpp"
#include "operations/retention_worker.hpp"
#include "projection_runtime/projection_status.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projection_runtime/schema_check.hpp"
#include "projections/read_queries_pg.hpp"
#include "projections/registry.hpp"

#ifndef DOCLEDGER_VERSION
#define DOCLEDGER_VERSION "0.1.0"
#endif

namespace docledger::cli {
namespace {

using infrastructure::LogEvent;

// How long a probe may wait for a pooled connection before reporting "not ready".
constexpr auto kReadinessAcquireTimeout = std::chrono::seconds(2);
// How long GET /health's round of checks waits for a pooled connection (per pool).
constexpr auto kHealthAcquireTimeout = std::chrono::seconds(2);
// Upper bound for letting requests in flight finish on SIGTERM (Kubernetes kills after 30 s).
constexpr auto kMaxShutdownDeadline = std::chrono::milliseconds(20000);
// How long a /metrics scrape may wait for a pooled connection to refresh the projector
// gauges; past it the scrape answers with the previous values (and a warning is logged).
constexpr auto kScrapeAcquireTimeout = std::chrono::milliseconds(250);

// Ready = PostgreSQL answers and every migration built into this binary is applied.
api::ReadinessReport CheckReadiness(infrastructure::ConnectionPool& pool,
                                    const infrastructure::MigrationRunner& migrations) {
  // A pooled connection may have died with a database restart: discard it and try once
  // more with a fresh one before reporting the database unreachable.
  for (int attempt = 1;; ++attempt) {
    try {
      auto lease = pool.Acquire(kReadinessAcquireTimeout);
      try {
        {
          pqxx::nontransaction ping(*lease);
          ping.exec_prepared(infrastructure::statements::kPing);
        }
        const auto pending = migrations.Pending(*lease);
        if (pending.empty()) return {true, ""};
        std::string reason = "pending migrations:";
        for (std::size_t i = 0; i < pending.size(); ++i) {
          reason += (i == 0 ? " " : ", ") + pending[i];
        }
        return {false, reason};
      } catch (const pqxx::broken_connection& e) {
        lease.Discard();
        if (attempt < 2) continue;
        LogEvent(spdlog::level::warn, "readiness: database connection lost",
                 {{"detail", infrastructure::DescribeError(e)}});
        return {false, "database unreachable"};
      }
    } catch (const domain::StoreUnavailable& e) {
      LogEvent(spdlog::level::warn, "readiness: database unreachable", {{"detail", e.what()}});
      return {false, "database unreachable"};
    } catch (const std::exception& e) {
      LogEvent(spdlog::level::warn, "readiness: database check failed",
               {{"detail", infrastructure::DescribeError(e)}});
      return {false, "database check failed"};
    }
  }
}

// The gauges read on each scrape: the pool's connections (in memory) and the projectors'
// checkpoints, lag and parked counts (three cheap indexed reads, ReadProjectionProgress).
void RegisterScrapeCollectors(infrastructure::Metrics& metrics, infrastructure::ConnectionPool& pool,
                              std::vector<std::string> projection_names) {
  metrics.AddCollector([&pool](infrastructure::Metrics& m) {
    const auto counts = pool.Connections();
    m.SetDbPoolConnections(counts.in_use, counts.idle);
  });
  metrics.AddCollector([&pool, names = std::move(projection_names)](infrastructure::Metrics& m) {
    auto lease = pool.Acquire(kScrapeAcquireTimeout);
    try {
      for (const auto& p : projection_runtime::ReadProjectionProgress(*lease, names)) {
        m.SetProjector(p.name, p.checkpoint, p.lag_events, p.parked);
      }
    } catch (const pqxx::broken_connection&) {
      lease.Discard();
      throw;
    }
  });
}

std::string HostForUrl(const std::string& address) {
  return address.find(':') != std::string::npos ? "[" + address + "]" : address;
}


// The configuration, then logging as it says. False (and the reason on stderr) when the
// environment is not a valid configuration.
bool LoadConfigAndLogging(infrastructure::Config& config) {
  try {
    config = infrastructure::LoadConfigFromEnvironment();
  } catch (const infrastructure::ConfigError& e) {
    std::cerr << e.what() << std::endl;
    return false;
  }
  infrastructure::InitLogging(config.log_format);
  LogEvent(spdlog::level::info, "starting docledger",
           {{"version", DOCLEDGER_VERSION}, {"config", config.Summary()}});
  for (const auto& warning : config.warnings) {
    LogEvent(spdlog::level::warn, "configuration warning", {{"warning", warning}});
  }
  return true;
}

// Not fatal when the database is not ready: it may come up after us; /health/ready says 503
// meanwhile. But a reachable, migrated database that lacks a column a projection writes is:
// false, naming it (a projector would otherwise park every event that writes it).
bool DatabaseFitsTheProjections(infrastructure::ConnectionPool& pool, const api::ReadinessReport& initial) {
  if (!initial.ready) {
    LogEvent(spdlog::level::warn, "not ready yet",
             {{"reason", initial.reason},
              {"hint", "/health/ready answers 503 until the database is reachable and "
                       "`docledger migrate` has run"}});
    return true;
  }
  try {
    auto lease = pool.Acquire();
    projection_runtime::RequireProjectionSchema(*lease, projections::BuiltInProjections());
  } catch (const projection_runtime::ProjectionSchemaMismatch& e) {
    LogEvent(spdlog::level::critical, "refusing to start: the read-model tables do not match the projections",
             {{"detail", e.what()}});
    return false;
  }
  return true;
}

// The pools that serve requests: acquisition bounded, every statement bounded by the
// request deadline (connection_pool.hpp says why per connection). Projectors, the alert
// worker, the notifier, replay and migrate open their own connections without it.
infrastructure::ConnectionPoolOptions RequestPoolOptions(const infrastructure::Config& config) {
  return {config.db_acquire_timeout, config.statement_timeout};
}

// Reads from a streaming replica (DATABASE_READ_URL): its own pool, read models and
// (read-only) event store. Connecting is lazy: a replica that is down at start-up costs
// nothing but a fallback to the primary.
struct ReplicaReads {
  std::unique_ptr<infrastructure::ConnectionPool> pool;
  std::unique_ptr<projections::PgReadQueries> reads;
  std::unique_ptr<eventstore::PostgresEventStore> store;
  std::optional<api::ReadEndpoint> endpoint;

  explicit ReplicaReads(const infrastructure::Config& config) {
    if (config.database_read_url.empty()) return;
    pool = std::make_unique<infrastructure::ConnectionPool>(config.database_read_url, config.db_pool_size,
                                                            RequestPoolOptions(config));
    reads = std::make_unique<projections::PgReadQueries>(*pool);
    eventstore::EventStoreOptions options;
    options.max_attempts = 1;  // a failing replica read goes to the primary at once
    store = std::make_unique<eventstore::PostgresEventStore>(*pool, options);
    endpoint.emplace(api::ReadEndpoint{reads->Queries(), *store});
  }
};

operations::HealthSources HealthSourcesFor(const infrastructure::Config& config, infrastructure::ConnectionPool& pool,
                                           const infrastructure::MigrationRunner& migrations,
                                           const ReplicaReads& replica) {
  operations::HealthSources sources{pool, migrations, ProjectionNames()};
  sources.replica = replica.pool.get();
  sources.dead_delivery_window = config.health.dead_delivery_window;
  sources.acquire_timeout = kHealthAcquireTimeout;
  return sources;
}

// GET /health: the cached snapshot (at most one round of checks per second), judged
// against the DOCLEDGER_HEALTH_* thresholds.
std::function<api::HealthReport()> HealthReportOf(operations::HealthMonitor& monitor,
                                                  const infrastructure::Config& config) {
  operations::HealthThresholds thresholds;
  thresholds.projector_lag_events = config.health.projector_lag_events;
  thresholds.projector_lag_seconds = static_cast<double>(config.health.projector_lag_seconds.count());
  thresholds.replica_lag_seconds = static_cast<double>(config.health.replica_lag_seconds.count());
  thresholds.dead_delivery_window_seconds = config.health.dead_delivery_window.count();
  return [&monitor, thresholds] {
    const auto snapshot = monitor.Current();
    const auto verdict = operations::EvaluateHealth(*snapshot, thresholds);
    return api::HealthReport{verdict.status, operations::HealthBody(*snapshot, verdict, thresholds, DOCLEDGER_VERSION)};
  };
}

// GET /health, /health/live, /health/ready. `monitor` and `read_router` must outlive the routes.
api::HealthOptions HealthOptionsFor(const infrastructure::Config& config, api::ReadinessCheck readiness,
                                    operations::HealthMonitor& monitor,
                                    const std::unique_ptr<api::ReadRouter>& read_router) {
  const auto replica_state = [&read_router] { return read_router ? read_router->ReplicaState() : "not_configured"; };
  return {DOCLEDGER_VERSION, std::move(readiness), HealthReportOf(monitor, config), replica_state};
}

// Around every routed handler, outermost first: who is calling (401/403), then how often
// (429, per key). The request log and request metrics are the session's: they also see the
// answers given before routing.
void UseAccessMiddleware(api::Router& router, const infrastructure::Config& config) {
  const auto authenticator = std::make_shared<const api::ApiKeyAuthenticator>(config.api_keys);
  router.Use(api::AuthMiddleware(authenticator));
  // Which browsers' origins may call, and how long clients may keep a read (every answer).
  router.SetResponsePolicy({static_cast<int>(config.cache_max_age.count()), config.cors_origins});
  if (config.rate_limit_rps > 0) {
    router.Use(api::RateLimitMiddleware(api::TokenBucketLimiter::ForRps(config.rate_limit_rps)));
  }
  // The names request logs show as "actor" (fingerprints, not the keys).
  LogEvent(spdlog::level::info, "api keys", {{"names", authenticator->KeyNames()}});
}

api::ServerOptions ServerOptionsFor(const infrastructure::Config& config, infrastructure::Metrics& metrics) {
  api::ServerOptions options;
  options.address = config.listen_address;
  options.port = config.listen_port;
  // Handlers block: on a pooled connection, or waiting for their group-commit batch
  // (which holds no pooled connection). The second kind is what lets one commit carry
  // many appends, so there are far more workers than connections: 64 concurrent
  // appends can share one commit while reads queue on the pool.
  options.worker_threads = static_cast<unsigned>(64 + config.db_pool_size);
  options.max_body_bytes = config.max_body_bytes;
  options.request_timeout = config.request_timeout;
  options.metrics = &metrics;
  options.trust_proxy = config.trust_proxy;
  return options;
}

// SIGINT and SIGTERM: `context.run()` returns when one arrives; `received` says which.
struct StopSignals {
  boost::asio::io_context context;
  boost::asio::signal_set signals{context, SIGINT, SIGTERM};
  int received = 0;
  StopSignals() {
    signals.async_wait([this](const boost::system::error_code& ec, int signal_number) {
      if (!ec) received = signal_number;
    });
  }
};

void ObserveAppends(eventstore::PostgresEventStore& store, infrastructure::Metrics& metrics) {
  store.OnBatchCommitted([&metrics](const eventstore::AppendBatchCommitted& batch) {
    metrics.ObserveAppendBatch(batch.events, std::chrono::duration<double>(batch.duration).count(),
                               batch.written_by_type);
  });
}

// Binds and starts accepting; false (logged) when the address cannot be used.
bool StartServer(api::Server& server, const infrastructure::Config& config) {
  try {
    server.Start();
  } catch (const std::system_error& e) {
    LogEvent(spdlog::level::critical, "cannot start the HTTP server", {{"detail", e.what()}});
    return false;
  }
  LogEvent(spdlog::level::info, "listening",
           {{"url", "http://" + HostForUrl(config.listen_address) + ":" + std::to_string(server.Port())},
            {"address", config.listen_address}, {"port", server.Port()}});
  return true;
}

// Projectors: one runner per built-in projection. Each waits for its lease, so with
// several instances exactly one runs each projector and the others stand by.
std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> StartProjectors(
    const infrastructure::Config& config, eventstore::EventNotifier& notifier,
    std::shared_ptr<const infrastructure::DocumentKeys> keys) {
  std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> projectors;
  projection_runtime::ProjectorOptions options;
  options.instance = InstanceName();
  options.keys = std::move(keys);
  options.lease_timeout = config.lease_timeout;
  for (const auto& projection : projections::BuiltInProjections()) {
    projectors.push_back(
        std::make_unique<projection_runtime::ProjectorRunner>(config.database_url, projection, options, &notifier));
    projectors.back()->Start();
  }
  return projectors;
}

// The alert webhook's outbox worker, in every instance: rows are claimed with
// FOR UPDATE SKIP LOCKED and a lease, so each alert is sent by one of them.
std::unique_ptr<alerting::AlertDeliveryWorker> StartAlertDeliveries(const infrastructure::Config& config,
                                                                    infrastructure::Metrics& metrics) {
  if (config.alert_webhook_url.empty()) return nullptr;
  if (!config.alerts_enabled) {
    LogEvent(spdlog::level::warn, "alert delivery off",
             {{"variable", "DOCLEDGER_ALERTS_ENABLED"}, {"alerts", "recorded; deliveries wait"},
              {"max_age_s", config.alert_max_age.count()}});
    return nullptr;
  }
  alerting::AlertDeliveryOptions options;
  options.max_age = config.alert_max_age;
  options.webhook_url = config.alert_webhook_url;
  options.format = config.alert_webhook_format;
  options.throttle = config.alert_throttle;
  options.lease = config.alert_delivery_lease;
  options.instance = InstanceName();
  auto deliveries = std::make_unique<alerting::AlertDeliveryWorker>(config.database_url, options, &metrics);
  deliveries->Start();
  return deliveries;
}

// Appends are sealed (docs/erasure.md); the command side reads content opened, the API
// (feed, streams, SSE) as stored.
struct SealedStores {
  SealedStores(domain::EventStore& store, infrastructure::ConnectionPool& pool,
               const std::shared_ptr<const infrastructure::DocumentKeys>& keys)
      : commands(store, pool, keys, eventstore::SealedReads::kOpened,
                 infrastructure::DocumentKeys::SealingCache::kReadAndFill),
        api(store, pool, keys, eventstore::SealedReads::kAsStored, infrastructure::DocumentKeys::SealingCache::kFillOnly) {}
  eventstore::SealingEventStore commands;
  eventstore::SealingEventStore api;
};

// POST /api/v1/recovery and POST /api/v1/documents/{id}/erase.
void AddOperatorActions(api::ApiServices& services, infrastructure::ConnectionPool& pool,
                        domain::CommandService& commands) {
  services.recover = [&pool, &commands](bool dry_run, const domain::CommandContext& context) {
    return infrastructure::RunRecovery(pool, commands, dry_run, context).ToJson();
  };
  services.erase = [&pool, &commands](const std::string& id, const std::string& reason,
                                      const domain::CommandContext& context) {
    return operations::EraseDocument(pool, commands, id, reason, context).ToJson();
  };
}

// What runs beside the HTTP server. Projectors and the alert worker start with the
// process; subscription deliveries too, through `subscriptions`.
struct BackgroundWork {
  std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> projectors;
  std::unique_ptr<alerting::AlertDeliveryWorker> deliveries;
  std::unique_ptr<operations::RetentionWorker> retention;
  ServedSubscriptions* subscriptions = nullptr;
};

BackgroundWork StartBackgroundWork(const infrastructure::Config& config, eventstore::EventNotifier& notifier,
                                   std::shared_ptr<const infrastructure::DocumentKeys> keys,
                                   infrastructure::Metrics& metrics, ServedSubscriptions& subscriptions) {
  BackgroundWork work;
  work.projectors = StartProjectors(config, notifier, std::move(keys));
  work.deliveries = StartAlertDeliveries(config, metrics);
  work.retention = operations::StartRetentionWorker(config, &metrics);
  subscriptions.Start();
  work.subscriptions = &subscriptions;
  return work;
}

// Stop in order: the server (requests in flight, up to the deadline), then the alert and
// subscription workers (after the POST in flight, if any; a subscription's lease is
// released), the pruner, then the projectors (at a batch boundary).
void StopInOrder(const infrastructure::Config& config, int signal_number, api::Server& server, BackgroundWork& work) {
  const auto deadline = std::min<std::chrono::milliseconds>(config.request_timeout, kMaxShutdownDeadline);
  LogEvent(spdlog::level::info, "shutting down",
           {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}, {"deadline_ms", deadline.count()}});
  server.Stop(deadline);
  if (work.deliveries) work.deliveries->Stop();
  if (work.subscriptions) work.subscriptions->Stop();
  work.retention.reset();
  for (auto& projector : work.projectors) projector->Stop();
  LogEvent(spdlog::level::info, "stopped");
}

}  // namespace

int RunServe() {
  infrastructure::Config config;
  if (!LoadConfigAndLogging(config)) return 2;

  try {
    // Installed first (before any thread starts), so that a SIGTERM during start-up is not
    // lost: it is acted on as soon as the server is up.
    StopSignals stop;

    infrastructure::ConnectionPool pool(config.database_url, config.db_pool_size, RequestPoolOptions(config));
    const infrastructure::MigrationRunner migrations;
    const auto readiness = [&pool, &migrations] { return CheckReadiness(pool, migrations); };

    if (!DatabaseFitsTheProjections(pool, readiness())) return 2;
    // The master key before anything is read or written: a wrong one stops the start.
    const auto keys = DataKeysOrComplain(config.master_key, config.database_url, /*unreachable_ok=*/true);
    if (!keys) return 2;

    // Declared before the server (which records into it) and after the pool and the
    // projector names its collectors read.
    infrastructure::Metrics metrics;
    const auto projection_names = ProjectionNames();
    RegisterScrapeCollectors(metrics, pool, projection_names);

    projections::PgReadQueries reads(pool);
    infrastructure::ContentStore contents(pool);
    ReplicaReads replica(config);

    api::Router router;
    std::unique_ptr<api::ReadRouter> read_router;  // bound once the event store exists
    UseAccessMiddleware(router, config);

    eventstore::PostgresEventStore store(pool);
    ObserveAppends(store, metrics);
    SealedStores sealed(store, pool, keys);
    const infrastructure::JsonSchemaValidator validator;
    infrastructure::UuidIdSource ids;
    domain::CommandService commands(sealed.commands, validator, ids);
    read_router = std::make_unique<api::ReadRouter>(api::ReadEndpoint{reads.Queries(), store}, replica.endpoint,
                                                    api::ReadRouterOptions{config.read_wait}, &metrics);
    eventstore::EventNotifier notifier(config.database_url);
    operations::PostgresProjectionOperations projection_operations(pool, projection_names);
    api::ApiServices services{commands, reads.Queries(), contents, sealed.api, validator,
                              [&projection_operations] { return operations::StatusJson(projection_operations.Status()); }};
    // Middleware, outermost first: auth and rate limiting must come before idempotency
    // (an Idempotency-Key belongs to the calling API key).
    infrastructure::IdempotencyStore idempotency(pool, 2 * config.request_timeout);
    router.Use(api::IdempotencyMiddleware(idempotency, config.request_timeout));
    services.projection_operations = &projection_operations;
    services.opened_store = &sealed.commands;
    services.known_head = [&notifier] { return notifier.KnownHead(); };
    AddOperatorActions(services, pool, commands);
    services.read_router = read_router.get();
    ServedSubscriptions subscriptions(config, InstanceName(), pool, commands, keys->master(), notifier);
    services.subscriptions = &subscriptions.operations();
    // Every route, public and v1, in one place (api/handlers/server_routes.hpp); the
    // middleware above applies to all of them, whatever the order they are added in.
    operations::HealthMonitor health_monitor(
        [sources = HealthSourcesFor(config, pool, migrations, replica)] { return operations::GatherHealth(sources); });
    api::AddServerRoutes(router, HealthOptionsFor(config, readiness, health_monitor, read_router), metrics, services,
                         config.console_enabled);

    auto work = StartBackgroundWork(config, notifier, keys, metrics, subscriptions);

    api::Server server(ServerOptionsFor(config, metrics), router);
    if (!StartServer(server, config)) return 1;
    stop.context.run();
    StopInOrder(config, stop.received, server, work);
    return 0;
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::critical, "fatal error", {{"detail", e.what()}});
    return 1;
  }
}

}  // namespace docledger::cli
