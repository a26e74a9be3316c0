// The process configuration: environment variables, validated once at start-up
// (design.md "Configuration"). ParseConfig is pure so every rule is unit-testable; a bad
// value is a ConfigError whose message is one line naming the variable and the problem.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "infrastructure/log_format.hpp"

namespace docledger::infrastructure {

enum class Environment { kDevelopment, kProduction };
enum class WebhookFormat { kJson, kSlack };

// Roles are ordered: read < write < admin.
enum class Role { kRead = 1, kWrite = 2, kAdmin = 3 };

struct ApiKey {
  Role role = Role::kRead;
  std::string key;
};

// The key used in development when DOCLEDGER_API_KEYS is not set (role admin). It is
// documented, hence not a secret, and refused in production.
inline constexpr const char* kDevelopmentApiKey = "dev-admin-key";

// Minimum key length in production.
inline constexpr std::size_t kMinProductionKeyLength = 32;

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// GET /health: past these a check makes the service `degraded` (docs/deploy.md "Health").
struct HealthThresholdsConfig {
  std::int64_t projector_lag_events = 10000;               // DOCLEDGER_HEALTH_PROJECTOR_LAG_EVENTS
  std::chrono::seconds projector_lag_seconds{60};           // DOCLEDGER_HEALTH_PROJECTOR_LAG_SECONDS
  std::chrono::seconds replica_lag_seconds{30};             // DOCLEDGER_HEALTH_REPLICA_LAG_SECONDS
  std::chrono::seconds dead_delivery_window{86400};         // DOCLEDGER_HEALTH_DEAD_DELIVERY_WINDOW_S
};

// Retention pruning (operations/retention_*; docs/configuration.md "Retention"): how long
// rows that no longer change are kept before the pruner deletes them.
struct RetentionConfig {
  std::chrono::seconds alert_deliveries{30 * 24 * 3600};        // DOCLEDGER_ALERT_DELIVERY_RETENTION
  std::chrono::seconds subscription_deliveries{7 * 24 * 3600};  // DOCLEDGER_SUBSCRIPTION_DELIVERY_RETENTION
  // DOCLEDGER_IDEMPOTENCY_RETENTION: kept this long after they expire (IdempotencyStore::kRetention).
  std::chrono::seconds idempotency_after_expiry{24 * 3600};
  std::chrono::seconds interval{600};  // DOCLEDGER_RETENTION_INTERVAL: one pass per interval
};

// Outbound subscriptions' delivery (docs/subscriptions.md).
struct SubscriptionsConfig {
  // DOCLEDGER_SUBSCRIPTION_PUBLIC_ONLY=on|off: refuse loopback, private and link-local
  // targets (SSRF); on by default in production, off in development.
  bool public_addresses_only = false;
  std::chrono::milliseconds timeout{10000};      // DOCLEDGER_SUBSCRIPTION_TIMEOUT_MS: one POST
  std::chrono::seconds lease{30};                // DOCLEDGER_SUBSCRIPTION_LEASE_S: > the timeout
  int max_failures = 10;                         // DOCLEDGER_SUBSCRIPTION_MAX_FAILURES
  std::chrono::seconds max_failing_time{3600};   // DOCLEDGER_SUBSCRIPTION_MAX_FAILING_S
  std::size_t max_body_bytes = 1024 * 1024;      // DOCLEDGER_SUBSCRIPTION_MAX_BODY_BYTES
  std::chrono::milliseconds retry_base{1000};    // DOCLEDGER_SUBSCRIPTION_RETRY_BASE_MS
  std::chrono::milliseconds retry_max{300000};   // DOCLEDGER_SUBSCRIPTION_RETRY_MAX_MS
};

// Where the master key comes from (docs/erasure.md): exactly one of the three is set.
struct MasterKeySource {
  std::string text;         // DOCLEDGER_MASTER_KEY (secret: never logged)
  std::string file;         // DOCLEDGER_MASTER_KEY_FILE
  std::string generate_at;  // development without either: this file, made on first use

  std::string Describe() const;  // "environment", "file:<path>" or "generated:<path>"
};

struct Config {
  std::string database_url;       // DATABASE_URL (required)
  std::string database_read_url;  // DATABASE_READ_URL (empty = reads go to database_url)
  Environment environment = Environment::kDevelopment;
  std::string listen_address = "127.0.0.1";  // IP literal, without IPv6 brackets
  std::uint16_t listen_port = 8080;
  std::vector<ApiKey> api_keys;
  bool using_development_key = false;  // DOCLEDGER_API_KEYS was unset in development
  std::size_t db_pool_size = 8;
  LogFormat log_format = LogFormat::kText;
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::chrono::milliseconds request_timeout{30000};
  std::uint32_t rate_limit_rps = 0;  // 0 = off
  std::string alert_webhook_url;     // empty = no webhook
  WebhookFormat alert_webhook_format = WebhookFormat::kJson;
  std::chrono::seconds alert_throttle{300};
  // DOCLEDGER_ALERTS_ENABLED: off stops webhook delivery (alerts are still recorded and
  // their deliveries wait); DOCLEDGER_ALERT_MAX_AGE_S: older alerts expire instead of being
  // sent once delivery runs again (0 = no limit).
  bool alerts_enabled = true;
  std::chrono::seconds alert_max_age{3600};
  std::chrono::seconds alert_delivery_lease{60};  // a claimed delivery is kept from other workers this long
  // DOCLEDGER_READ_WAIT_MS: how long a read with min_sequence waits for the replica (then
  // for the primary's projections) to reach that sequence.
  std::chrono::milliseconds read_wait{500};
  // DOCLEDGER_LEASE_TIMEOUT: bound on projector failover when a lease holder vanishes.
  std::chrono::seconds lease_timeout{10};
  bool allow_plaintext_db = false;  // DOCLEDGER_DB_ALLOW_PLAINTEXT: production may skip TLS to PostgreSQL
  // DOCLEDGER_CACHE_MAX_AGE_S: Cache-Control max-age of reads with an ETag (0: revalidate).
  std::chrono::seconds cache_max_age{0};
  // DOCLEDGER_CORS_ORIGINS: origins allowed to call from a browser; empty = CORS off.
  std::vector<std::string> cors_origins;
  // DOCLEDGER_CONSOLE=on|off: serve /console and /openapi.json (default on in development,
  // off in production).
  bool console_enabled = true;
  // DOCLEDGER_TRUST_PROXY: the request log takes the client's address and scheme from
  // X-Forwarded-For / X-Forwarded-Proto (set it only behind a proxy that overwrites them).
  bool trust_proxy = false;
  // DOCLEDGER_STATEMENT_TIMEOUT_MS: statement_timeout of the connections that serve requests
  // (0 = none); a statement past it is cancelled and the request answered 503.
  std::chrono::milliseconds statement_timeout{25000};
  // DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS: how long a request waits for a pooled connection.
  std::chrono::milliseconds db_acquire_timeout{5000};
  HealthThresholdsConfig health;
  RetentionConfig retention;
  SubscriptionsConfig subscriptions;
  // DOCLEDGER_MASTER_KEY / DOCLEDGER_MASTER_KEY_FILE: required in production.
  MasterKeySource master_key;

  // Non-fatal findings for the start-up log (default key in use, unknown DOCLEDGER_*
  // variables that look like typos). Never contain secrets.
  std::vector<std::string> warnings;

  bool IsProduction() const { return environment == Environment::kProduction; }

  // One line of "name=value" pairs for the start-up log: no API keys (only how many per
  // role), DSN passwords masked, the webhook shown as scheme://host only.
  std::string Summary() const;
};

// Pure: reads only `env`. Throws ConfigError on the first invalid value. Empty values count
// as unset.
Config ParseConfig(const std::map<std::string, std::string>& env);

// ParseConfig over the process environment (`environ`).
Config LoadConfigFromEnvironment();

// The log format as ParseConfig reads it (DOCLEDGER_LOG_FORMAT, JSON by default in
// production), for the operator commands, which read no other setting; text when
// DOCLEDGER_ENV or DOCLEDGER_LOG_FORMAT is invalid.
LogFormat LogFormatFromEnvironment();

// The master key's source as ParseConfig reads it, for the operator commands (replay,
// erase, keys, project, parked). Throws ConfigError.
MasterKeySource MasterKeySourceFromEnvironment();

// Every variable ParseConfig reads, in documentation order.
std::vector<std::string> KnownVariables();

// The DSN with any password replaced by "***" (URI userinfo, `password=` in the URI query,
// or a `password=` keyword of a key/value connection string).
std::string MaskDsn(const std::string& dsn);

const char* ToString(Environment environment);
const char* ToString(LogFormat format);
const char* ToString(WebhookFormat format);
const char* ToString(Role role);

}  // namespace docledger::infrastructure
