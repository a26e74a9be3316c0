// ParseConfig is pure: every rule of design.md "Configuration" is checked here without
// touching the process environment.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "infrastructure/config.hpp"

namespace docledger::infrastructure {
namespace {

using Env = std::map<std::string, std::string>;

const std::string kLongKeyA(40, 'a');
const std::string kLongKeyB(32, 'b');

Env Minimal() { return {{"DATABASE_URL", "postgresql://docledger@localhost:5432/docledger"}}; }

Env With(Env env, const std::string& name, const std::string& value) {
  env[name] = value;
  return env;
}

Env Production() {
  return With(With(With(With(Minimal(), "DOCLEDGER_ENV", "production"), "DOCLEDGER_API_KEYS", "admin:" + kLongKeyA),
                   "DATABASE_URL", "postgresql://docledger@db.internal:5432/docledger?sslmode=verify-full"),
              "DOCLEDGER_RATE_LIMIT_RPS", "100");
}

Env ProductionWithKey() {
  return With(Production(), "DOCLEDGER_MASTER_KEY", std::string(64, 'a').replace(0, 2, "0f"));
}

// The ConfigError message, or "" when parsing succeeded.
std::string ErrorOf(const Env& env) {
  try {
    ParseConfig(env);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigTest, DefaultsApplyInDevelopment) {
  const Config c = ParseConfig(Minimal());
  EXPECT_EQ(c.environment, Environment::kDevelopment);
  EXPECT_EQ(c.database_url, "postgresql://docledger@localhost:5432/docledger");
  EXPECT_TRUE(c.database_read_url.empty());
  EXPECT_EQ(c.read_wait, std::chrono::milliseconds(500));
  EXPECT_EQ(c.lease_timeout, std::chrono::seconds(10));
  EXPECT_EQ(c.listen_address, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.db_pool_size, 8u);
  EXPECT_EQ(c.log_format, LogFormat::kText);
  EXPECT_EQ(c.max_body_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(c.request_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(c.rate_limit_rps, 0u);
  EXPECT_TRUE(c.alert_webhook_url.empty());
  EXPECT_EQ(c.alert_webhook_format, WebhookFormat::kJson);
  EXPECT_EQ(c.alert_throttle, std::chrono::seconds(300));
  EXPECT_EQ(c.alert_delivery_lease, std::chrono::seconds(60));
  EXPECT_FALSE(c.trust_proxy);
  EXPECT_EQ(c.statement_timeout, std::chrono::milliseconds(25000));
  EXPECT_EQ(c.db_acquire_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c.health.projector_lag_events, 10000);
  EXPECT_EQ(c.health.projector_lag_seconds, std::chrono::seconds(60));
  EXPECT_EQ(c.health.replica_lag_seconds, std::chrono::seconds(30));
  EXPECT_EQ(c.health.dead_delivery_window, std::chrono::seconds(86400));
}

TEST(ConfigTest, TrustProxyIsOnOrOff) {
  for (const char* on : {"on", "true", "ON"}) EXPECT_TRUE(ParseConfig(With(Minimal(), "DOCLEDGER_TRUST_PROXY", on)).trust_proxy) << on;
  for (const char* off : {"off", "false", ""}) EXPECT_FALSE(ParseConfig(With(Minimal(), "DOCLEDGER_TRUST_PROXY", off)).trust_proxy) << off;
  const auto message = ErrorOf(With(Minimal(), "DOCLEDGER_TRUST_PROXY", "yes"));
  EXPECT_EQ(message, "DOCLEDGER_TRUST_PROXY: must be one of on|off|true|false, got \"yes\"");
  EXPECT_NE(ParseConfig(With(Minimal(), "DOCLEDGER_TRUST_PROXY", "on")).Summary().find("trust_proxy=on"), std::string::npos);
}

TEST(ConfigTest, DevelopmentWithoutKeysUsesDefaultAdminKeyAndWarns) {
  const Config c = ParseConfig(Minimal());
  ASSERT_EQ(c.api_keys.size(), 1u);
  EXPECT_EQ(c.api_keys[0].role, Role::kAdmin);
  EXPECT_EQ(c.api_keys[0].key, "dev-admin-key");
  EXPECT_TRUE(c.using_development_key);
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_NE(c.warnings[0].find("DOCLEDGER_API_KEYS"), std::string::npos);
  EXPECT_EQ(c.warnings[0].find("dev-admin-key"), std::string::npos);
}

TEST(ConfigTest, ParsesEveryVariable) {
  Env env = Minimal();
  env["DATABASE_READ_URL"] = "host=replica dbname=docledger";
  env["DOCLEDGER_LISTEN"] = "0.0.0.0:9090";
  env["DOCLEDGER_API_KEYS"] = "read:r-key, write:w-key,admin:a-key";
  env["DOCLEDGER_DB_POOL_SIZE"] = "16";
  env["DOCLEDGER_LOG_FORMAT"] = "json";
  env["DOCLEDGER_MAX_BODY_BYTES"] = "2048";
  env["DOCLEDGER_REQUEST_TIMEOUT_MS"] = "1500";
  env["DOCLEDGER_RATE_LIMIT_RPS"] = "50";
  env["DOCLEDGER_ALERT_WEBHOOK_URL"] = "https://hooks.example.com/services/T/B/secret";
  env["DOCLEDGER_ALERT_WEBHOOK_FORMAT"] = "slack";
  env["DOCLEDGER_ALERT_THROTTLE_S"] = "60";
  env["DOCLEDGER_ALERT_DELIVERY_LEASE_S"] = "15";
  env["DOCLEDGER_READ_WAIT_MS"] = "250";
  env["DOCLEDGER_LEASE_TIMEOUT"] = "30";
  env["DOCLEDGER_STATEMENT_TIMEOUT_MS"] = "0";
  env["DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS"] = "250";
  env["DOCLEDGER_HEALTH_PROJECTOR_LAG_EVENTS"] = "5";
  env["DOCLEDGER_HEALTH_PROJECTOR_LAG_SECONDS"] = "6";
  env["DOCLEDGER_HEALTH_REPLICA_LAG_SECONDS"] = "7";
  env["DOCLEDGER_HEALTH_DEAD_DELIVERY_WINDOW_S"] = "8";
  const Config c = ParseConfig(env);
  EXPECT_EQ(c.statement_timeout, std::chrono::milliseconds(0)) << "0 = no statement timeout";
  EXPECT_EQ(c.db_acquire_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(c.health.projector_lag_events, 5);
  EXPECT_EQ(c.health.projector_lag_seconds, std::chrono::seconds(6));
  EXPECT_EQ(c.health.replica_lag_seconds, std::chrono::seconds(7));
  EXPECT_EQ(c.health.dead_delivery_window, std::chrono::seconds(8));
  EXPECT_EQ(c.read_wait, std::chrono::milliseconds(250));
  EXPECT_EQ(c.lease_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c.database_read_url, "host=replica dbname=docledger");
  EXPECT_EQ(c.listen_address, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 9090);
  ASSERT_EQ(c.api_keys.size(), 3u);
  EXPECT_EQ(c.api_keys[0].role, Role::kRead);
  EXPECT_EQ(c.api_keys[0].key, "r-key");
  EXPECT_EQ(c.api_keys[1].role, Role::kWrite);
  EXPECT_EQ(c.api_keys[1].key, "w-key");
  EXPECT_EQ(c.api_keys[2].role, Role::kAdmin);
  EXPECT_FALSE(c.using_development_key);
  EXPECT_EQ(c.db_pool_size, 16u);
  EXPECT_EQ(c.log_format, LogFormat::kJson);
  EXPECT_EQ(c.max_body_bytes, 2048u);
  EXPECT_EQ(c.request_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.rate_limit_rps, 50u);
  EXPECT_EQ(c.alert_webhook_url, "https://hooks.example.com/services/T/B/secret");
  EXPECT_EQ(c.alert_webhook_format, WebhookFormat::kSlack);
  EXPECT_EQ(c.alert_throttle, std::chrono::seconds(60));
  EXPECT_EQ(c.alert_delivery_lease, std::chrono::seconds(15));
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigTest, EmptyValueCountsAsUnset) {
  const Config c = ParseConfig(With(Minimal(), "DOCLEDGER_DB_POOL_SIZE", ""));
  EXPECT_EQ(c.db_pool_size, 8u);
  EXPECT_NE(ErrorOf(With(Minimal(), "DATABASE_URL", "")).find("DATABASE_URL: must be set"),
            std::string::npos);
}

TEST(ConfigTest, MissingDatabaseUrlIsRejected) {
  EXPECT_EQ(ErrorOf({}).rfind("DATABASE_URL: must be set", 0), 0u) << ErrorOf({});
}

TEST(ConfigTest, ListenAcceptsIpv6InBracketsAndLocalhost) {
  Config c = ParseConfig(With(Minimal(), "DOCLEDGER_LISTEN", "[::1]:8081"));
  EXPECT_EQ(c.listen_address, "::1");
  EXPECT_EQ(c.listen_port, 8081);
  c = ParseConfig(With(Minimal(), "DOCLEDGER_LISTEN", "localhost:0"));
  EXPECT_EQ(c.listen_address, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 0);
}

struct BadValue {
  std::string variable;
  std::string value;
  std::string expected;  // part of the message after "VARIABLE: "
};

class ConfigRejectsBadValue : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigRejectsBadValue, WithOneLineNamingTheVariable) {
  const auto& p = GetParam();
  const std::string message = ErrorOf(With(Minimal(), p.variable, p.value));
  ASSERT_FALSE(message.empty()) << p.variable << "=" << p.value << " was accepted";
  EXPECT_EQ(message.rfind(p.variable + ": ", 0), 0u) << message;
  EXPECT_NE(message.find(p.expected), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    AllVariables, ConfigRejectsBadValue,
    ::testing::Values(
        BadValue{"DOCLEDGER_ENV", "staging", "must be one of development|production, got \"staging\""},
        BadValue{"DATABASE_URL", "mysql://x@y/z", "postgresql://"},
        BadValue{"DATABASE_URL", "just-a-word", "connection"},
        BadValue{"DATABASE_READ_URL", "nonsense", "connection"},
        BadValue{"DOCLEDGER_LISTEN", "8080", "missing port"},
        BadValue{"DOCLEDGER_LISTEN", "127.0.0.1:http", "port must be an integer between 0 and 65535"},
        BadValue{"DOCLEDGER_LISTEN", "127.0.0.1:70000", "port must be"},
        BadValue{"DOCLEDGER_LISTEN", "127.0.0.1:", "port must be"},
        BadValue{"DOCLEDGER_LISTEN", "::1:8080", "IPv6 address must be in brackets"},
        BadValue{"DOCLEDGER_LISTEN", "[::1]8080", "[ADDRESS]:PORT"},
        BadValue{"DOCLEDGER_LISTEN", "example.com:80", "must be an IP address"},
        BadValue{"DOCLEDGER_API_KEYS", "superuser:abc", "entry 1: role must be read, write or admin"},
        BadValue{"DOCLEDGER_API_KEYS", "read-only-key", "entry 1: must be role:key"},
        BadValue{"DOCLEDGER_API_KEYS", "read:a,,write:b", "entry 2: is empty"},
        BadValue{"DOCLEDGER_API_KEYS", "read:", "entry 1 (read): the key is empty"},
        BadValue{"DOCLEDGER_API_KEYS", "read:k y", "printable ASCII"},
        BadValue{"DOCLEDGER_API_KEYS", "read:same,admin:same", "entry 2 (admin): repeats the key"},
        BadValue{"DOCLEDGER_DB_POOL_SIZE", "abc", "must be an integer between 1 and 200, got \"abc\""},
        BadValue{"DOCLEDGER_DB_POOL_SIZE", "0", "between 1 and 200"},
        BadValue{"DOCLEDGER_DB_POOL_SIZE", "201", "between 1 and 200"},
        BadValue{"DOCLEDGER_DB_POOL_SIZE", "-1", "between 1 and 200"},
        BadValue{"DOCLEDGER_DB_POOL_SIZE", " 8", "between 1 and 200"},
        BadValue{"DOCLEDGER_DB_POOL_SIZE", "99999999999999999999999", "between 1 and 200"},
        BadValue{"DOCLEDGER_LOG_FORMAT", "xml", "must be one of json|text"},
        BadValue{"DOCLEDGER_MAX_BODY_BYTES", "10MB", "must be an integer between 1024 and"},
        BadValue{"DOCLEDGER_MAX_BODY_BYTES", "100", "between 1024"},
        BadValue{"DOCLEDGER_REQUEST_TIMEOUT_MS", "1.5", "must be an integer between 100 and"},
        BadValue{"DOCLEDGER_RATE_LIMIT_RPS", "fast", "must be an integer between 0 and"},
        BadValue{"DOCLEDGER_ALERT_WEBHOOK_URL", "ftp://example.com/hook", "http:// or https:// URL"},
        BadValue{"DOCLEDGER_ALERT_WEBHOOK_URL", "https:///path", "with a host"},
        BadValue{"DOCLEDGER_ALERT_WEBHOOK_FORMAT", "teams", "must be one of json|slack"},
        BadValue{"DOCLEDGER_ALERT_THROTTLE_S", "5m", "must be an integer between 0 and"},
        BadValue{"DOCLEDGER_ALERT_DELIVERY_LEASE_S", "5", "must be an integer between 6 and"},
        BadValue{"DOCLEDGER_READ_WAIT_MS", "-1", "must be an integer between 0 and 60000"},
        BadValue{"DOCLEDGER_LEASE_TIMEOUT", "2", "must be an integer between 5 and 3600"},
        BadValue{"DOCLEDGER_LEASE_TIMEOUT", "10s", "must be an integer between 5 and 3600"},
        BadValue{"DOCLEDGER_STATEMENT_TIMEOUT_MS", "25s", "must be an integer between 0 and 3600000"},
        BadValue{"DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS", "5", "must be an integer between 10 and 600000"},
        BadValue{"DOCLEDGER_HEALTH_PROJECTOR_LAG_EVENTS", "0", "must be an integer between 1 and"},
        BadValue{"DOCLEDGER_HEALTH_PROJECTOR_LAG_SECONDS", "1m", "must be an integer between 1 and 604800"},
        BadValue{"DOCLEDGER_HEALTH_REPLICA_LAG_SECONDS", "-3", "must be an integer between 1 and 604800"},
        BadValue{"DOCLEDGER_HEALTH_DEAD_DELIVERY_WINDOW_S", "0", "must be an integer between 1 and"},
        BadValue{"DOCLEDGER_ALERT_DELIVERY_RETENTION", "30d", "must be an integer between 3600 and"},
        BadValue{"DOCLEDGER_ALERT_DELIVERY_RETENTION", "60", "must be an integer between 3600 and"},
        BadValue{"DOCLEDGER_SUBSCRIPTION_DELIVERY_RETENTION", "0", "must be an integer between 3600 and"},
        BadValue{"DOCLEDGER_IDEMPOTENCY_RETENTION", "-1", "must be an integer between 0 and"},
        BadValue{"DOCLEDGER_RETENTION_INTERVAL", "1", "must be an integer between 10 and 86400"}));

TEST(ConfigTest, RetentionDefaultsAndValuesInSeconds) {
  const Config defaults = ParseConfig(Minimal());
  EXPECT_EQ(defaults.retention.alert_deliveries, std::chrono::hours(30 * 24));
  EXPECT_EQ(defaults.retention.subscription_deliveries, std::chrono::hours(7 * 24));
  EXPECT_EQ(defaults.retention.idempotency_after_expiry, std::chrono::hours(24));
  EXPECT_EQ(defaults.retention.interval, std::chrono::minutes(10));
  Env env = Minimal();
  env["DOCLEDGER_ALERT_DELIVERY_RETENTION"] = "7200";
  env["DOCLEDGER_SUBSCRIPTION_DELIVERY_RETENTION"] = "3600";
  env["DOCLEDGER_IDEMPOTENCY_RETENTION"] = "0";
  env["DOCLEDGER_RETENTION_INTERVAL"] = "60";
  const Config c = ParseConfig(env);
  EXPECT_EQ(c.retention.alert_deliveries, std::chrono::seconds(7200));
  EXPECT_EQ(c.retention.subscription_deliveries, std::chrono::seconds(3600));
  EXPECT_EQ(c.retention.idempotency_after_expiry, std::chrono::seconds(0));
  EXPECT_EQ(c.retention.interval, std::chrono::seconds(60));
  EXPECT_NE(c.Summary().find("alert_delivery_retention_s=7200"), std::string::npos) << c.Summary();
  EXPECT_NE(c.Summary().find("retention_interval_s=60"), std::string::npos) << c.Summary();
}

TEST(ConfigTest, SubscriptionDeliverySettings) {
  const Config development = ParseConfig(Minimal());
  EXPECT_FALSE(development.subscriptions.public_addresses_only) << "private targets allowed in development";
  EXPECT_EQ(development.subscriptions.timeout, std::chrono::seconds(10));
  EXPECT_EQ(development.subscriptions.lease, std::chrono::seconds(30));
  EXPECT_EQ(development.subscriptions.max_failures, 10);
  EXPECT_EQ(development.subscriptions.max_body_bytes, 1024u * 1024);
  EXPECT_TRUE(ParseConfig(ProductionWithKey()).subscriptions.public_addresses_only) << "refused in production";
  EXPECT_FALSE(
      ParseConfig(With(ProductionWithKey(), "DOCLEDGER_SUBSCRIPTION_PUBLIC_ONLY", "off")).subscriptions.public_addresses_only);

  Env env = Minimal();
  env["DOCLEDGER_SUBSCRIPTION_TIMEOUT_MS"] = "2000";
  env["DOCLEDGER_SUBSCRIPTION_LEASE_S"] = "3";
  env["DOCLEDGER_SUBSCRIPTION_RETRY_BASE_MS"] = "50";
  env["DOCLEDGER_SUBSCRIPTION_RETRY_MAX_MS"] = "400";
  const Config c = ParseConfig(env);
  EXPECT_EQ(c.subscriptions.lease, std::chrono::seconds(3));
  EXPECT_EQ(c.subscriptions.retry_base, std::chrono::milliseconds(50));
  EXPECT_NE(c.Summary().find("subscription_lease_s=3"), std::string::npos) << c.Summary();

  EXPECT_THROW(ParseConfig(With(env, "DOCLEDGER_SUBSCRIPTION_LEASE_S", "2")), ConfigError)
      << "a lease not longer than the POST timeout";
  EXPECT_THROW(ParseConfig(With(env, "DOCLEDGER_SUBSCRIPTION_RETRY_MAX_MS", "20")), ConfigError);
  EXPECT_THROW(ParseConfig(With(env, "DOCLEDGER_SUBSCRIPTION_PUBLIC_ONLY", "maybe")), ConfigError);
  EXPECT_THROW(ParseConfig(With(env, "DOCLEDGER_SUBSCRIPTION_MAX_BODY_BYTES", "100")), ConfigError);
}

TEST(ConfigTest, WarnsWhenPrunedAlertDeliveriesCouldBeSentAgain) {
  const auto warns = [](const Env& env) {
    const auto warnings = ParseConfig(env).warnings;
    return std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
      return w.find("DOCLEDGER_ALERT_DELIVERY_RETENTION") != std::string::npos;
    });
  };
  const Env webhook = With(Minimal(), "DOCLEDGER_ALERT_WEBHOOK_URL", "https://hooks.internal/alerts");
  EXPECT_FALSE(warns(webhook)) << "1 h max age, 30 d retention";
  EXPECT_TRUE(warns(With(webhook, "DOCLEDGER_ALERT_MAX_AGE_S", "0"))) << "no age limit";
  EXPECT_TRUE(warns(With(webhook, "DOCLEDGER_ALERT_DELIVERY_RETENTION", "3600"))) << "max age = retention";
  EXPECT_FALSE(warns(With(Minimal(), "DOCLEDGER_ALERT_MAX_AGE_S", "0"))) << "no webhook, nothing is sent";
}

TEST(ConfigTest, ProductionRequiresApiKeys) {
  const auto message = ErrorOf(With(Minimal(), "DOCLEDGER_ENV", "production"));
  EXPECT_EQ(message.rfind("DOCLEDGER_API_KEYS: must be set in production", 0), 0u) << message;
}

TEST(ConfigTest, ProductionRejectsShortKeysWithoutEchoingThem) {
  const auto message = ErrorOf(With(ProductionWithKey(), "DOCLEDGER_API_KEYS",
                                    "admin:" + kLongKeyA + ",write:short-secret-key"));
  EXPECT_EQ(message.rfind("DOCLEDGER_API_KEYS: entry 2 (write)", 0), 0u) << message;
  EXPECT_NE(message.find("at least 32 characters"), std::string::npos) << message;
  EXPECT_EQ(message.find("short-secret-key"), std::string::npos) << message;
}

TEST(ConfigTest, ProductionRejectsTheDevelopmentKey) {
  const auto message = ErrorOf(With(ProductionWithKey(), "DOCLEDGER_API_KEYS", "admin:dev-admin-key"));
  EXPECT_NE(message.find("development key is not allowed"), std::string::npos) << message;
}

TEST(ConfigTest, ProductionDefaultsToJsonLogsAndAcceptsLongKeys) {
  const Config c = ParseConfig(With(ProductionWithKey(), "DOCLEDGER_API_KEYS",
                                    "admin:" + kLongKeyA + ",read:" + kLongKeyB));
  EXPECT_TRUE(c.IsProduction());
  EXPECT_EQ(c.log_format, LogFormat::kJson);
  EXPECT_EQ(c.api_keys.size(), 2u);
  EXPECT_FALSE(c.using_development_key);
  EXPECT_EQ(ParseConfig(With(ProductionWithKey(), "DOCLEDGER_LOG_FORMAT", "text")).log_format,
            LogFormat::kText);
}

TEST(ConfigTest, ProductionRefusesDatabaseLinksThatAcceptPlaintext) {
  for (const std::string url :
       {"postgresql://u:hunter2@db.internal/x?sslmode=disable", "postgresql://u@db.internal/x?sslmode=allow",
        "postgresql://u@db.internal/x?sslmode=prefer", "postgresql://u@db.internal/x",
        "host=db.internal dbname=x sslmode=disable", "hostaddr=10.0.0.5 dbname=x"}) {
    SCOPED_TRACE(url);
    const auto message = ErrorOf(With(ProductionWithKey(), "DATABASE_URL", url));
    EXPECT_EQ(message.rfind("DATABASE_URL: sslmode=", 0), 0u) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_EQ(ErrorOf(With(Minimal(), "DATABASE_URL", url)), "") << "development allows it";
  }
  const auto read = ErrorOf(With(ProductionWithKey(), "DATABASE_READ_URL", "postgresql://u@replica/x?sslmode=disable"));
  EXPECT_EQ(read.rfind("DATABASE_READ_URL: sslmode=disable", 0), 0u) << read;
  // TLS required, a Unix socket (no TLS there), PGSSLMODE, or the explicit exception.
  for (const std::string url : {"postgresql://u@db.internal/x?sslmode=require", "host=db.internal sslmode=verify-ca",
                                "postgresql:///x?host=/var/run/postgresql", "dbname=x"}) {
    EXPECT_EQ(ErrorOf(With(ProductionWithKey(), "DATABASE_URL", url)), "") << url;
  }
  EXPECT_EQ(ErrorOf(With(With(ProductionWithKey(), "DATABASE_URL", "postgresql://u@db.internal/x"), "PGSSLMODE", "require")),
            "");
  const auto allowed = ParseConfig(With(With(ProductionWithKey(), "DATABASE_URL", "postgresql://u@db.internal/x?sslmode=disable"),
                                        "DOCLEDGER_DB_ALLOW_PLAINTEXT", "true"));
  ASSERT_EQ(allowed.warnings.size(), 1u);
  EXPECT_NE(allowed.warnings[0].find("sslmode=disable"), std::string::npos);
  EXPECT_NE(ErrorOf(With(Minimal(), "DOCLEDGER_DB_ALLOW_PLAINTEXT", "yes")).find("must be one of"), std::string::npos);
}

TEST(ConfigTest, ErrorsAboutTheDatabaseUrlDoNotEchoIt) {
  const auto message = ErrorOf(With(Minimal(), "DATABASE_URL", "mysql://u:hunter2@db/x"));
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(ConfigTest, UnknownDocledgerVariablesAreReportedAsWarnings) {
  const Config c = ParseConfig(With(With(Minimal(), "DOCLEDGER_LISTN", "0.0.0.0:1"),
                                    "DOCLEDGER_API_KEYS", "admin:k"));
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("DOCLEDGER_LISTN"), std::string::npos);
}

TEST(ConfigTest, KnownVariablesListsEveryDocumentedVariable) {
  const auto known = KnownVariables();
  for (const char* name :
       {"DATABASE_URL", "DATABASE_READ_URL", "DOCLEDGER_ENV", "DOCLEDGER_LISTEN",
        "DOCLEDGER_API_KEYS", "DOCLEDGER_DB_POOL_SIZE", "DOCLEDGER_LOG_FORMAT",
        "DOCLEDGER_MAX_BODY_BYTES", "DOCLEDGER_REQUEST_TIMEOUT_MS", "DOCLEDGER_RATE_LIMIT_RPS",
        "DOCLEDGER_ALERT_WEBHOOK_URL", "DOCLEDGER_ALERT_WEBHOOK_FORMAT",
        "DOCLEDGER_ALERT_THROTTLE_S", "DOCLEDGER_ALERT_DELIVERY_LEASE_S", "DOCLEDGER_DB_ALLOW_PLAINTEXT",
        "DOCLEDGER_READ_WAIT_MS", "DOCLEDGER_LEASE_TIMEOUT", "DOCLEDGER_STATEMENT_TIMEOUT_MS",
        "DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS", "DOCLEDGER_HEALTH_PROJECTOR_LAG_EVENTS",
        "DOCLEDGER_HEALTH_PROJECTOR_LAG_SECONDS", "DOCLEDGER_HEALTH_REPLICA_LAG_SECONDS",
        "DOCLEDGER_HEALTH_DEAD_DELIVERY_WINDOW_S", "DOCLEDGER_TRUST_PROXY", "DOCLEDGER_CACHE_MAX_AGE_S",
        "DOCLEDGER_CORS_ORIGINS", "DOCLEDGER_CONSOLE", "DOCLEDGER_ALERTS_ENABLED", "DOCLEDGER_ALERT_MAX_AGE_S"}) {
    EXPECT_NE(std::find(known.begin(), known.end(), name), known.end()) << name;
  }
}

TEST(ConfigTest, SummaryShowsSettingsButNoSecrets) {
  Env env = ProductionWithKey();
  env["DATABASE_URL"] = "postgresql://app:hunter2@db.internal:5432/docledger?sslmode=require";
  env["DATABASE_READ_URL"] = "host=replica password='s3 cret' dbname=docledger sslmode=verify-full";
  env["DOCLEDGER_ALERT_WEBHOOK_URL"] = "https://hooks.slack.com/services/T0/B0/tok3n";
  env["DOCLEDGER_LISTEN"] = "[::]:8443";
  const std::string summary = ParseConfig(env).Summary();
  EXPECT_EQ(summary.find("hunter2"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("s3 cret"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("tok3n"), std::string::npos) << summary;
  EXPECT_EQ(summary.find(kLongKeyA), std::string::npos) << summary;
  EXPECT_NE(summary.find("env=production"), std::string::npos) << summary;
  EXPECT_NE(summary.find("listen=[::]:8443"), std::string::npos) << summary;
  EXPECT_NE(summary.find("postgresql://app:***@db.internal:5432/docledger?sslmode=require"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("alert_webhook=https://hooks.slack.com "), std::string::npos) << summary;
  EXPECT_NE(summary.find("api_keys=admin:1,write:0,read:0"), std::string::npos) << summary;
  EXPECT_EQ(summary.find('\n'), std::string::npos);
}

TEST(ConfigTest, MaskDsnHidesPasswordsInEveryForm) {
  EXPECT_EQ(MaskDsn("postgresql://u:p@h:5432/d"), "postgresql://u:***@h:5432/d");
  EXPECT_EQ(MaskDsn("postgresql://u@h/d"), "postgresql://u@h/d");
  EXPECT_EQ(MaskDsn("postgres://u:p@ss/w@rd@h/d"), "postgres://u:***@h/d");
  EXPECT_EQ(MaskDsn("postgresql://h/d?user=u&password=p&sslmode=require"),
            "postgresql://h/d?user=u&password=***&sslmode=require");
  EXPECT_EQ(MaskDsn("host=h password=secret dbname=d"), "host=h password=*** dbname=d");
  EXPECT_EQ(MaskDsn("host=h password = 'a b\\' c' dbname=d"), "host=h password = *** dbname=d");
  EXPECT_EQ(MaskDsn("host=h dbname=d"), "host=h dbname=d");
}

TEST(ConfigTest, CachingCorsAndTheConsoleHaveSafeDefaults) {
  const Config dev = ParseConfig(Minimal());
  EXPECT_EQ(dev.cache_max_age, std::chrono::seconds(0));
  EXPECT_TRUE(dev.cors_origins.empty());
  EXPECT_TRUE(dev.console_enabled);
  const Config prod = ParseConfig(ProductionWithKey());
  EXPECT_FALSE(prod.console_enabled);
  EXPECT_TRUE(prod.warnings.empty());
  const Config set = ParseConfig(With(With(With(Minimal(), "DOCLEDGER_CACHE_MAX_AGE_S", "30"), "DOCLEDGER_CORS_ORIGINS",
                                           "https://a.example.com, http://localhost:5173"),
                                      "DOCLEDGER_CONSOLE", "off"));
  EXPECT_EQ(set.cache_max_age, std::chrono::seconds(30));
  EXPECT_EQ(set.cors_origins, (std::vector<std::string>{"https://a.example.com", "http://localhost:5173"}));
  EXPECT_FALSE(set.console_enabled);
  EXPECT_EQ(ParseConfig(With(Minimal(), "DOCLEDGER_CORS_ORIGINS", "*")).cors_origins, std::vector<std::string>{"*"});
  EXPECT_NE(ErrorOf(With(ProductionWithKey(), "DOCLEDGER_CORS_ORIGINS", "*")).find("refused in production"), std::string::npos);
  for (const std::string bad : {"a.example.com", "https://a.example.com/path", "ftp://x", "https://"}) {
    EXPECT_EQ(ErrorOf(With(Minimal(), "DOCLEDGER_CORS_ORIGINS", bad)).rfind("DOCLEDGER_CORS_ORIGINS: ", 0), 0u) << bad;
  }
  EXPECT_NE(ErrorOf(With(Minimal(), "DOCLEDGER_CONSOLE", "maybe")).find("must be one of"), std::string::npos);
  EXPECT_NE(ErrorOf(With(Minimal(), "DOCLEDGER_CACHE_MAX_AGE_S", "-1")).find("between"), std::string::npos);
}

TEST(ConfigTest, AlertDeliveryCanBeTurnedOffAndBoundsItsBacklogAge) {
  const Config c = ParseConfig(Minimal());
  EXPECT_TRUE(c.alerts_enabled);
  EXPECT_EQ(c.alert_max_age, std::chrono::seconds(3600));
  const Config off = ParseConfig(With(With(Minimal(), "DOCLEDGER_ALERTS_ENABLED", "off"), "DOCLEDGER_ALERT_MAX_AGE_S", "0"));
  EXPECT_FALSE(off.alerts_enabled);
  EXPECT_EQ(off.alert_max_age, std::chrono::seconds(0));
  EXPECT_NE(off.Summary().find("alerts_enabled=off alert_max_age_s=0"), std::string::npos) << off.Summary();
  EXPECT_NE(ErrorOf(With(Minimal(), "DOCLEDGER_ALERTS_ENABLED", "later")).find("must be one of"), std::string::npos);
  EXPECT_NE(ErrorOf(With(Minimal(), "DOCLEDGER_ALERT_MAX_AGE_S", "99999999")).find("between"), std::string::npos);
}

TEST(ConfigTest, ProductionRefusesPlaceholderSecretsAndWarnsAboutExposure) {
  const auto key = ErrorOf(With(ProductionWithKey(), "DOCLEDGER_API_KEYS", "admin:changeme-changeme-changeme-changeme"));
  EXPECT_NE(key.find("placeholder"), std::string::npos) << key;
  EXPECT_EQ(key.find("changeme-changeme"), std::string::npos) << "never echo a key: " << key;
  const auto password = ErrorOf(With(ProductionWithKey(), "DATABASE_URL",
                                     "postgresql://u:changeme@db.internal/x?sslmode=verify-full"));
  EXPECT_EQ(password.rfind("DATABASE_URL: the password looks like a placeholder", 0), 0u) << password;
  EXPECT_NE(ErrorOf(With(ProductionWithKey(), "DOCLEDGER_ALERT_WEBHOOK_URL", "https://hooks.example.com/xxxx")).find("placeholder"),
            std::string::npos);
  // Development accepts them (examples in docs work there).
  EXPECT_EQ(ErrorOf(With(Minimal(), "DOCLEDGER_API_KEYS", "admin:changeme")), "");
  Env exposed = With(ProductionWithKey(), "DOCLEDGER_CONSOLE", "on");
  exposed.erase("DOCLEDGER_RATE_LIMIT_RPS");
  const Config c = ParseConfig(exposed);
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("DOCLEDGER_RATE_LIMIT_RPS"), std::string::npos);
  EXPECT_NE(c.warnings[1].find("DOCLEDGER_CONSOLE=on"), std::string::npos);
}

}  // namespace
}  // namespace docledger::infrastructure

namespace docledger::infrastructure {
namespace {

TEST(ConfigTest, MasterKeyIsRequiredInProductionAndCheckedWhenGiven) {
  EXPECT_EQ(ErrorOf(Production()).rfind("DOCLEDGER_MASTER_KEY: a master key is required in production", 0), 0u)
      << ErrorOf(Production());
  const auto both = With(ProductionWithKey(), "DOCLEDGER_MASTER_KEY_FILE", "/etc/docledger/master.key");
  EXPECT_EQ(ErrorOf(both).rfind("DOCLEDGER_MASTER_KEY: set DOCLEDGER_MASTER_KEY or", 0), 0u) << ErrorOf(both);
  const auto short_key = ErrorOf(With(Production(), "DOCLEDGER_MASTER_KEY", "00ff"));
  EXPECT_EQ(short_key.rfind("DOCLEDGER_MASTER_KEY: the master key must be 32 bytes", 0), 0u) << short_key;
  EXPECT_EQ(short_key.find("00ff"), std::string::npos) << "never echoes the key";
  const auto placeholder = ErrorOf(With(Production(), "DOCLEDGER_MASTER_KEY", std::string(64, '0')));
  EXPECT_NE(placeholder.find("placeholder"), std::string::npos) << placeholder;
  const auto file = ParseConfig(With(Production(), "DOCLEDGER_MASTER_KEY_FILE", "/etc/docledger/master.key"));
  EXPECT_EQ(file.master_key.file, "/etc/docledger/master.key");
  EXPECT_NE(file.Summary().find("master_key=file:/etc/docledger/master.key"), std::string::npos);
  const auto given = ParseConfig(ProductionWithKey());
  EXPECT_EQ(given.Summary().find(given.master_key.text), std::string::npos) << "the key is a secret";
}

TEST(ConfigTest, DevelopmentMakesAMasterKeyUnderTheUsersDataFolder) {
  const auto config = ParseConfig(With(Minimal(), "HOME", "/home/ada"));
  EXPECT_EQ(config.master_key.generate_at, "/home/ada/.local/share/docledger/master.key");
  const auto xdg = ParseConfig(With(With(Minimal(), "HOME", "/home/ada"), "XDG_DATA_HOME", "/data"));
  EXPECT_EQ(xdg.master_key.generate_at, "/data/docledger/master.key");
}

}  // namespace
}  // namespace docledger::infrastructure
