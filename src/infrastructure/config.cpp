#include "infrastructure/config.hpp"

#include "infrastructure/master_key.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <libpq-fe.h>

#include "domain/text_rules.hpp"

extern char** environ;

namespace docledger::infrastructure {
namespace {

using domain::ParseDigits;
using domain::Trim;

constexpr std::string_view kDatabaseUrl = "DATABASE_URL";
constexpr std::string_view kDatabaseReadUrl = "DATABASE_READ_URL";
constexpr std::string_view kEnv = "DOCLEDGER_ENV";
constexpr std::string_view kListen = "DOCLEDGER_LISTEN";
constexpr std::string_view kApiKeys = "DOCLEDGER_API_KEYS";
constexpr std::string_view kPoolSize = "DOCLEDGER_DB_POOL_SIZE";
constexpr std::string_view kLogFormat = "DOCLEDGER_LOG_FORMAT";
constexpr std::string_view kMaxBody = "DOCLEDGER_MAX_BODY_BYTES";
constexpr std::string_view kTimeout = "DOCLEDGER_REQUEST_TIMEOUT_MS";
constexpr std::string_view kRateLimit = "DOCLEDGER_RATE_LIMIT_RPS";
constexpr std::string_view kWebhookUrl = "DOCLEDGER_ALERT_WEBHOOK_URL";
constexpr std::string_view kWebhookFormat = "DOCLEDGER_ALERT_WEBHOOK_FORMAT";
constexpr std::string_view kThrottle = "DOCLEDGER_ALERT_THROTTLE_S";
constexpr std::string_view kDeliveryLease = "DOCLEDGER_ALERT_DELIVERY_LEASE_S";
constexpr std::string_view kAllowPlaintextDb = "DOCLEDGER_DB_ALLOW_PLAINTEXT";
constexpr std::string_view kReadWait = "DOCLEDGER_READ_WAIT_MS";
constexpr std::string_view kLeaseTimeout = "DOCLEDGER_LEASE_TIMEOUT";
constexpr std::string_view kCacheMaxAge = "DOCLEDGER_CACHE_MAX_AGE_S";
constexpr std::string_view kCorsOrigins = "DOCLEDGER_CORS_ORIGINS";
constexpr std::string_view kConsole = "DOCLEDGER_CONSOLE";
constexpr std::string_view kAlertsEnabled = "DOCLEDGER_ALERTS_ENABLED";
constexpr std::string_view kAlertMaxAge = "DOCLEDGER_ALERT_MAX_AGE_S";
constexpr std::string_view kMasterKey = "DOCLEDGER_MASTER_KEY";
constexpr std::string_view kMasterKeyFile = "DOCLEDGER_MASTER_KEY_FILE";
constexpr std::string_view kTrustProxy = "DOCLEDGER_TRUST_PROXY";
constexpr std::string_view kStatementTimeout = "DOCLEDGER_STATEMENT_TIMEOUT_MS";
constexpr std::string_view kAcquireTimeout = "DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS";
constexpr std::string_view kHealthLagEvents = "DOCLEDGER_HEALTH_PROJECTOR_LAG_EVENTS";
constexpr std::string_view kHealthLagSeconds = "DOCLEDGER_HEALTH_PROJECTOR_LAG_SECONDS";
constexpr std::string_view kHealthReplicaLag = "DOCLEDGER_HEALTH_REPLICA_LAG_SECONDS";
constexpr std::string_view kHealthDeadWindow = "DOCLEDGER_HEALTH_DEAD_DELIVERY_WINDOW_S";
constexpr std::string_view kAlertDeliveryRetention = "DOCLEDGER_ALERT_DELIVERY_RETENTION";
constexpr std::string_view kSubscriptionDeliveryRetention = "DOCLEDGER_SUBSCRIPTION_DELIVERY_RETENTION";
constexpr std::string_view kIdempotencyRetention = "DOCLEDGER_IDEMPOTENCY_RETENTION";
constexpr std::string_view kRetentionInterval = "DOCLEDGER_RETENTION_INTERVAL";
constexpr std::string_view kSubscriptionPublicOnly = "DOCLEDGER_SUBSCRIPTION_PUBLIC_ONLY";
constexpr std::string_view kSubscriptionTimeout = "DOCLEDGER_SUBSCRIPTION_TIMEOUT_MS";
constexpr std::string_view kSubscriptionLease = "DOCLEDGER_SUBSCRIPTION_LEASE_S";
constexpr std::string_view kSubscriptionMaxFailures = "DOCLEDGER_SUBSCRIPTION_MAX_FAILURES";
constexpr std::string_view kSubscriptionMaxFailing = "DOCLEDGER_SUBSCRIPTION_MAX_FAILING_S";
constexpr std::string_view kSubscriptionMaxBody = "DOCLEDGER_SUBSCRIPTION_MAX_BODY_BYTES";
constexpr std::string_view kSubscriptionRetryBase = "DOCLEDGER_SUBSCRIPTION_RETRY_BASE_MS";
constexpr std::string_view kSubscriptionRetryMax = "DOCLEDGER_SUBSCRIPTION_RETRY_MAX_MS";

[[noreturn]] void Fail(std::string_view variable, const std::string& problem) {
  throw ConfigError(fmt::format("{}: {}", variable, problem));
}

// The value as shown in an error message: quoted, control characters escaped, truncated.
// Only used for values that are not secrets.
std::string Quote(std::string_view value) {
  constexpr std::size_t kMaxShown = 64;
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

class Env {
 public:
  explicit Env(const std::map<std::string, std::string>& env) : env_(env) {}

  // nullopt when unset or empty.
  std::optional<std::string> Get(std::string_view name) const {
    const auto it = env_.find(std::string(name));
    if (it == env_.end() || it->second.empty()) return std::nullopt;
    return it->second;
  }

 private:
  const std::map<std::string, std::string>& env_;
};

// A decimal integer in [min, max]; no sign, no spaces, no units.
std::uint64_t ParseInteger(const Env& env, std::string_view name, std::uint64_t fallback,
                           std::uint64_t min, std::uint64_t max) {
  const auto raw = env.Get(name);
  if (!raw) return fallback;
  const std::string& s = *raw;
  const auto value = ParseDigits<std::uint64_t>(s);
  if (!value || *value < min || *value > max) {
    Fail(name, fmt::format("must be an integer between {} and {}, got {}", min, max, Quote(s)));
  }
  return *value;
}

template <typename E>
E ParseChoice(const Env& env, std::string_view name, E fallback,
              std::initializer_list<std::pair<std::string_view, E>> choices) {
  const auto raw = env.Get(name);
  if (!raw) return fallback;
  const std::string value = Lower(Trim(*raw));
  std::string allowed;
  for (const auto& [text, e] : choices) {
    if (value == text) return e;
    if (!allowed.empty()) allowed += '|';
    allowed += text;
  }
  Fail(name, fmt::format("must be one of {}, got {}", allowed, Quote(*raw)));
}

// libpq accepts a URI (postgresql://...) or a key=value connection string. The value is
// never echoed: it may contain a password.
void ValidateDsn(std::string_view name, const std::string& dsn) {
  const auto scheme_end = dsn.find("://");
  if (scheme_end != std::string::npos) {
    const std::string scheme = Lower(std::string_view(dsn).substr(0, scheme_end));
    if (scheme != "postgresql" && scheme != "postgres") {
      Fail(name, fmt::format("must be a postgresql:// or postgres:// URI or a key=value "
                             "connection string, got a {}:// URI",
                             Quote(scheme)));
    }
    return;
  }
  if (dsn.find('=') == std::string::npos) {
    Fail(name, "must be a PostgreSQL connection URI (postgresql://user@host:5432/db) or a "
               "key=value connection string (host=... dbname=...)");
  }
}

// The connection options libpq reads from `dsn` (keyword -> value, only those given), or
// nullopt when libpq cannot parse it. libpq's own message is not passed on: it may quote
// parts of the string, passwords included.
std::optional<std::map<std::string, std::string>> ConnectionOptions(const std::string& dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  if (options == nullptr) return std::nullopt;
  std::map<std::string, std::string> out;
  for (const auto* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) out[option->keyword] = option->val;
  }
  PQconninfoFree(options);
  return out;
}

// libpq's sslmode for `dsn` (else PGSSLMODE, else its default "prefer"); empty when every
// host is a Unix-domain socket, where TLS does not apply.
std::string EffectiveSslMode(const std::map<std::string, std::string>& options, const Env& env) {
  const auto host = options.count("host") ? options.at("host") : env.Get("PGHOST").value_or("");
  const auto address = options.count("hostaddr") ? options.at("hostaddr") : "";
  if (address.empty() && (host.empty() || host.front() == '/')) return "";
  if (options.count("sslmode")) return options.at("sslmode");
  return env.Get("PGSSLMODE").value_or("prefer");
}

// Production: a database connection over TCP must insist on TLS (sslmode require,
// verify-ca or verify-full); disable, allow and prefer all accept a plaintext link
// silently. DOCLEDGER_DB_ALLOW_PLAINTEXT=true is the explicit, logged exception.
void CheckTransportSecurity(std::string_view name, const std::string& dsn, const Env& env, Config& config) {
  const auto options = ConnectionOptions(dsn);
  if (!options) return;  // ValidateDsn's shape check passed; libpq will report the rest at connect
  const auto mode = EffectiveSslMode(*options, env);
  if (mode.empty() || mode == "require" || mode == "verify-ca" || mode == "verify-full") return;
  if (!config.IsProduction()) return;
  if (config.allow_plaintext_db) {
    config.warnings.push_back(fmt::format("{} uses sslmode={} (plaintext allowed by {})", name, mode,
                                          kAllowPlaintextDb));
    return;
  }
  Fail(name, fmt::format("sslmode={} lets the connection run without TLS, refused in production; use "
                         "sslmode=verify-full (or require/verify-ca), or set {}=true for a trusted link",
                         mode, kAllowPlaintextDb));
}

bool IsIpLiteral(const std::string& host, bool v6) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return inet_pton(v6 ? AF_INET6 : AF_INET, host.c_str(), buffer) == 1;
}

void ParseListen(const Env& env, Config& config) {
  const auto raw = env.Get(kListen);
  if (!raw) return;
  const std::string& value = *raw;
  const auto bad = [&](const std::string& why) {
    Fail(kListen, fmt::format("{}; expected HOST:PORT such as 127.0.0.1:8080, 0.0.0.0:8080 or "
                              "[::1]:8080, got {}",
                              why, Quote(value)));
  };
  std::string host;
  std::string port;
  if (StartsWith(value, "[")) {
    const auto close = value.find(']');
    if (close == std::string::npos || close + 1 >= value.size() || value[close + 1] != ':') {
      bad("an IPv6 address must be written [ADDRESS]:PORT");
    }
    host = value.substr(1, close - 1);
    port = value.substr(close + 2);
    if (!IsIpLiteral(host, true)) bad("not an IPv6 address");
  } else {
    const auto colon = value.rfind(':');
    if (colon == std::string::npos) bad("missing port");
    host = value.substr(0, colon);
    port = value.substr(colon + 1);
    if (host.find(':') != std::string::npos) bad("an IPv6 address must be in brackets");
    if (host == "localhost") host = "127.0.0.1";
    if (!IsIpLiteral(host, false)) bad("the host must be an IP address");
  }
  const auto port_number = ParseDigits<unsigned long>(port);
  if (!port_number || *port_number > 65535) bad("the port must be an integer between 0 and 65535");
  config.listen_address = host;
  config.listen_port = static_cast<std::uint16_t>(*port_number);
}

// A value copied from an example and never replaced ("changeme", "your-key-here", "xxxx").
bool LooksLikePlaceholder(std::string_view value) {
  const std::string lower = Lower(value);
  for (const char* marker : {"changeme", "change-me", "change_me", "placeholder", "replace-me", "replace_me",
                             "your-key", "your_key", "example", "xxxx", "todo", "dummy"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

void ParseApiKeys(const Env& env, Config& config) {
  const auto raw = env.Get(kApiKeys);
  if (!raw) {
    if (config.IsProduction()) {
      Fail(kApiKeys, "must be set in production (role:key,... with roles read|write|admin and "
                     "keys of at least 32 characters)");
    }
    config.api_keys.push_back(ApiKey{Role::kAdmin, kDevelopmentApiKey});
    config.using_development_key = true;
    config.warnings.push_back(
        "DOCLEDGER_API_KEYS is not set: using the built-in development admin key "
        "(refused in production); set DOCLEDGER_API_KEYS=role:key,... to choose your own");
    return;
  }
  // Error messages name an entry by its position and role, never by its key.
  std::set<std::string> seen;
  std::size_t position = 0;
  std::string_view rest = *raw;
  while (true) {
    ++position;
    const auto comma = rest.find(',');
    const std::string_view entry = Trim(rest.substr(0, comma));
    std::string role_text;  // known once parsed: "entry 2 (write): ..."
    const auto entry_fail = [&](const std::string& problem) {
      Fail(kApiKeys, role_text.empty() ? fmt::format("entry {}: {}", position, problem)
                                       : fmt::format("entry {} ({}): {}", position, role_text,
                                                     problem));
    };
    if (entry.empty()) entry_fail("is empty (expected role:key)");
    const auto colon = entry.find(':');
    if (colon == std::string_view::npos) {
      entry_fail("must be role:key with role read|write|admin (no ':' found)");
    }
    const std::string role_name = Lower(Trim(entry.substr(0, colon)));
    const std::string_view key = entry.substr(colon + 1);
    Role role = Role::kRead;
    if (role_name == "read") {
      role = Role::kRead;
    } else if (role_name == "write") {
      role = Role::kWrite;
    } else if (role_name == "admin") {
      role = Role::kAdmin;
    } else {
      entry_fail(fmt::format("role must be read, write or admin, got {}", Quote(role_name)));
    }
    role_text = role_name;
    if (key.empty()) entry_fail("the key is empty");
    for (const char c : key) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7f) {
        entry_fail("the key may contain only printable ASCII without spaces");
      }
    }
    if (config.IsProduction()) {
      if (key == kDevelopmentApiKey) {
        entry_fail("the development key is not allowed in production");
      }
      if (LooksLikePlaceholder(key)) {
        entry_fail("the key looks like a placeholder (changeme, example, xxxx...), refused in production");
      }
      if (key.size() < kMinProductionKeyLength) {
        entry_fail(fmt::format("the key must be at least {} characters in production, got {}",
                               kMinProductionKeyLength, key.size()));
      }
    }
    if (!seen.insert(std::string(key)).second) {
      entry_fail("repeats the key of an earlier entry");
    }
    config.api_keys.push_back(ApiKey{role, std::string(key)});
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
}

void ParseWebhook(const Env& env, Config& config) {
  const auto raw = env.Get(kWebhookUrl);
  if (raw) {
    // Webhook URLs often embed a token (Slack): never echo the value.
    const std::string lower = Lower(*raw);
    std::size_t host_start = 0;
    if (StartsWith(lower, "https://")) {
      host_start = 8;
    } else if (StartsWith(lower, "http://")) {
      host_start = 7;
    } else {
      Fail(kWebhookUrl, "must be an http:// or https:// URL");
    }
    const std::string& url = *raw;
    const auto host_end = url.find_first_of("/?#", host_start);
    const std::string authority = url.substr(host_start, host_end - host_start);
    if (authority.empty() || authority.front() == ':' || authority.find('@') == 0) {
      Fail(kWebhookUrl, "must be an http:// or https:// URL with a host");
    }
    for (const char c : url) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7f) Fail(kWebhookUrl, "must not contain spaces or control characters");
    }
    config.alert_webhook_url = url;
  }
  config.alert_webhook_format = ParseChoice(env, kWebhookFormat, WebhookFormat::kJson,
                                            {{"json", WebhookFormat::kJson},
                                             {"slack", WebhookFormat::kSlack}});
  config.alerts_enabled =
      ParseChoice(env, kAlertsEnabled, true, {{"on", true}, {"off", false}, {"true", true}, {"false", false}});
  config.alert_max_age = std::chrono::seconds(ParseInteger(env, kAlertMaxAge, 3600, 0, 30 * 24 * 3600));
}

// DOCLEDGER_CORS_ORIGINS: a comma-separated list of origins (scheme://host[:port], no
// path), or "*" (any origin; refused in production).
std::vector<std::string> ParseCorsOrigins(const Env& env, const Config& config) {
  std::vector<std::string> origins;
  const auto raw = env.Get(kCorsOrigins);
  if (!raw) return origins;
  std::string_view rest = *raw;
  while (true) {
    const auto comma = rest.find(',');
    const std::string origin(Trim(rest.substr(0, comma)));
    if (origin == "*") {
      if (config.IsProduction()) Fail(kCorsOrigins, "\"*\" (any origin) is refused in production; list the origins");
    } else {
      const auto scheme_end = origin.find("://");
      const bool web = StartsWith(origin, "https://") || StartsWith(origin, "http://");
      if (!web || scheme_end + 3 >= origin.size() || origin.find('/', scheme_end + 3) != std::string::npos) {
        Fail(kCorsOrigins, fmt::format("each entry must be an origin such as https://app.example.com (scheme "
                                       "and host, no path) or *, got {}", Quote(origin)));
      }
    }
    origins.push_back(origin);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return origins;
}

// What the HTTP layer exposes beyond the API: cache lifetime of reads, CORS, the console
// and /openapi.json (on by default in development; in production only when asked for).
void ParseExposure(const Env& env, Config& config) {
  config.cache_max_age = std::chrono::seconds(ParseInteger(env, kCacheMaxAge, 0, 0, 86400));
  config.cors_origins = ParseCorsOrigins(env, config);
  config.console_enabled = ParseChoice(env, kConsole, !config.IsProduction(), {{"on", true}, {"off", false}});
  if (!config.IsProduction()) return;
  if (config.rate_limit_rps == 0) {
    config.warnings.push_back("DOCLEDGER_RATE_LIMIT_RPS is not set: no rate limiting in production");
  }
  if (config.console_enabled) {
    config.warnings.push_back("DOCLEDGER_CONSOLE=on: the console and /openapi.json are served in production");
  }
  if (!config.alert_webhook_url.empty() && LooksLikePlaceholder(config.alert_webhook_url)) {
    Fail(kWebhookUrl, "looks like a placeholder (example, changeme, xxxx...), refused in production");
  }
  // The password is what masking removes: a placeholder only there is a placeholder password.
  if (LooksLikePlaceholder(config.database_url) && !LooksLikePlaceholder(MaskDsn(config.database_url))) {
    Fail(kDatabaseUrl, "the password looks like a placeholder (changeme, example, xxxx...), refused in production");
  }
}

// scheme://host[:port] of a URL, for logs.
std::string UrlOrigin(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "(set)";
  const auto host_end = url.find_first_of("/?#", scheme_end + 3);
  std::string origin = url.substr(0, host_end);
  // Drop userinfo if any.
  const auto at = origin.find('@', scheme_end + 3);
  if (at != std::string::npos) origin = origin.substr(0, scheme_end + 3) + origin.substr(at + 1);
  return origin;
}

// Replaces the value of every `password` keyword in a key=value connection string.
std::string MaskKeywordPassword(const std::string& dsn) {
  std::string out;
  std::size_t i = 0;
  while (i < dsn.size()) {
    // Read a keyword.
    while (i < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[i]))) out += dsn[i++];
    const std::size_t key_start = i;
    while (i < dsn.size() && dsn[i] != '=' && !std::isspace(static_cast<unsigned char>(dsn[i]))) {
      ++i;
    }
    const std::string key = dsn.substr(key_start, i - key_start);
    out += key;
    while (i < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[i]))) out += dsn[i++];
    if (i >= dsn.size() || dsn[i] != '=') continue;
    out += dsn[i++];
    while (i < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[i]))) out += dsn[i++];
    // Read the value: quoted with backslash escapes, or up to whitespace.
    std::string value;
    if (i < dsn.size() && dsn[i] == '\'') {
      value += dsn[i++];
      while (i < dsn.size() && dsn[i] != '\'') {
        if (dsn[i] == '\\' && i + 1 < dsn.size()) value += dsn[i++];
        value += dsn[i++];
      }
      if (i < dsn.size()) value += dsn[i++];
    } else {
      while (i < dsn.size() && !std::isspace(static_cast<unsigned char>(dsn[i]))) {
        if (dsn[i] == '\\' && i + 1 < dsn.size()) value += dsn[i++];
        value += dsn[i++];
      }
    }
    out += Lower(key) == "password" ? "***" : value;
  }
  return out;
}

}  // namespace

std::string MaskDsn(const std::string& dsn) {
  const auto scheme_end = dsn.find("://");
  if (scheme_end == std::string::npos) return MaskKeywordPassword(dsn);

  const std::size_t rest_start = scheme_end + 3;
  const auto query_start = dsn.find('?', rest_start);
  std::string head = dsn.substr(0, query_start);
  std::string query = query_start == std::string::npos ? "" : dsn.substr(query_start);

  // userinfo ends at the last '@' before the query (a raw '@' or '/' in a password is a
  // malformed URI, but must not leak either).
  const auto at = head.rfind('@');
  if (at != std::string::npos && at >= rest_start) {
    const auto colon = head.find(':', rest_start);
    if (colon != std::string::npos && colon < at) {
      head = head.substr(0, colon + 1) + "***" + head.substr(at);
    }
  }
  // ?...&password=...&...
  std::string masked_query;
  std::size_t i = 0;
  while (i < query.size()) {
    const char sep = query[i];  // '?' or '&'
    auto next = query.find('&', i + 1);
    if (next == std::string::npos) next = query.size();
    const std::string param = query.substr(i + 1, next - i - 1);
    const auto eq = param.find('=');
    masked_query += sep;
    if (eq != std::string::npos && Lower(param.substr(0, eq)) == "password") {
      masked_query += param.substr(0, eq + 1) + "***";
    } else {
      masked_query += param;
    }
    i = next;
  }
  return head + masked_query;
}

const char* ToString(Environment environment) {
  return environment == Environment::kProduction ? "production" : "development";
}
const char* ToString(LogFormat format) { return format == LogFormat::kJson ? "json" : "text"; }
const char* ToString(WebhookFormat format) {
  return format == WebhookFormat::kSlack ? "slack" : "json";
}
const char* ToString(Role role) {
  switch (role) {
    case Role::kRead: return "read";
    case Role::kWrite: return "write";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

std::vector<std::string> KnownVariables() {
  return {std::string(kDatabaseUrl), std::string(kDatabaseReadUrl), std::string(kEnv),
          std::string(kListen),      std::string(kApiKeys),         std::string(kPoolSize),
          std::string(kLogFormat),   std::string(kMaxBody),         std::string(kTimeout),
          std::string(kRateLimit),   std::string(kWebhookUrl),      std::string(kWebhookFormat),
          std::string(kThrottle),    std::string(kDeliveryLease),  std::string(kAllowPlaintextDb),
          std::string(kReadWait),    std::string(kLeaseTimeout),    std::string(kStatementTimeout),
          std::string(kAcquireTimeout), std::string(kHealthLagEvents), std::string(kHealthLagSeconds),
          std::string(kHealthReplicaLag), std::string(kHealthDeadWindow), std::string(kCacheMaxAge),
          std::string(kCorsOrigins), std::string(kConsole),         std::string(kTrustProxy),
          std::string(kAlertsEnabled), std::string(kAlertMaxAge), std::string(kMasterKey),
          std::string(kMasterKeyFile), std::string(kAlertDeliveryRetention),
          std::string(kSubscriptionDeliveryRetention), std::string(kIdempotencyRetention),
          std::string(kRetentionInterval), std::string(kSubscriptionPublicOnly),
          std::string(kSubscriptionTimeout), std::string(kSubscriptionLease),
          std::string(kSubscriptionMaxFailures), std::string(kSubscriptionMaxFailing),
          std::string(kSubscriptionMaxBody), std::string(kSubscriptionRetryBase),
          std::string(kSubscriptionRetryMax)};
}

namespace {

Environment ParseEnvironment(const Env& env) {
  return ParseChoice(env, kEnv, Environment::kDevelopment,
                     {{"development", Environment::kDevelopment}, {"production", Environment::kProduction}});
}

LogFormat ParseLogFormat(const Env& env, Environment environment) {
  return ParseChoice(env, kLogFormat, environment == Environment::kProduction ? LogFormat::kJson : LogFormat::kText,
                     {{"json", LogFormat::kJson}, {"text", LogFormat::kText}});
}

std::map<std::string, std::string> EnvironmentVariables() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

// The request deadline on the database (statement_timeout of the request pools), the bound
// on waiting for a pooled connection, and the thresholds of GET /health.
void ParseDeadlinesAndHealth(const Env& env, Config& config) {
  config.statement_timeout =
      std::chrono::milliseconds(ParseInteger(env, kStatementTimeout, 25000, 0, 3'600'000));  // 0 = none
  config.db_acquire_timeout = std::chrono::milliseconds(ParseInteger(env, kAcquireTimeout, 5000, 10, 600'000));
  config.health.projector_lag_events =
      static_cast<std::int64_t>(ParseInteger(env, kHealthLagEvents, 10000, 1, 1'000'000'000));
  config.health.projector_lag_seconds =
      std::chrono::seconds(ParseInteger(env, kHealthLagSeconds, 60, 1, 7 * 24 * 3600));
  config.health.replica_lag_seconds = std::chrono::seconds(ParseInteger(env, kHealthReplicaLag, 30, 1, 7 * 24 * 3600));
  config.health.dead_delivery_window =
      std::chrono::seconds(ParseInteger(env, kHealthDeadWindow, 86400, 1, 365 * 24 * 3600));
}

// How long final rows are kept before the retention pruner deletes them, in seconds, and
// how often it runs (docs/configuration.md "Retention").
void ParseRetention(const Env& env, Config& config) {
  constexpr std::uint64_t kDay = 24 * 3600;
  auto& retention = config.retention;
  retention.alert_deliveries =
      std::chrono::seconds(ParseInteger(env, kAlertDeliveryRetention, 30 * kDay, 3600, 3650 * kDay));
  retention.subscription_deliveries =
      std::chrono::seconds(ParseInteger(env, kSubscriptionDeliveryRetention, 7 * kDay, 3600, 3650 * kDay));
  retention.idempotency_after_expiry =
      std::chrono::seconds(ParseInteger(env, kIdempotencyRetention, kDay, 0, 3650 * kDay));
  retention.interval = std::chrono::seconds(ParseInteger(env, kRetentionInterval, 600, 10, kDay));
  // A replay of the alerts projection re-inserts a pruned delivery as pending; only the
  // alert's age keeps it from being sent again.
  const bool stale_alerts_sent =
      config.alert_max_age.count() == 0 || config.alert_max_age >= retention.alert_deliveries;
  if (!config.alert_webhook_url.empty() && stale_alerts_sent) {
    config.warnings.push_back(fmt::format(
        "{}={} is not shorter than {}={}: a replay of the alerts projection would send pruned deliveries again",
        kAlertMaxAge, config.alert_max_age.count(), kAlertDeliveryRetention, retention.alert_deliveries.count()));
  }
}

// Outbound subscriptions' delivery (docs/subscriptions.md).
void ParseSubscriptions(const Env& env, Config& config) {
  auto& subscriptions = config.subscriptions;
  subscriptions.public_addresses_only =
      ParseChoice(env, kSubscriptionPublicOnly, config.IsProduction(), {{"on", true}, {"off", false}});
  subscriptions.timeout = std::chrono::milliseconds(ParseInteger(env, kSubscriptionTimeout, 10000, 100, 300000));
  subscriptions.lease = std::chrono::seconds(ParseInteger(env, kSubscriptionLease, 30, 2, 3600));
  // The lease must outlast one POST, or a slow delivery could be taken over while in flight.
  if (subscriptions.lease <= subscriptions.timeout) {
    Fail(kSubscriptionLease, fmt::format("must be longer than {} ({} ms)", kSubscriptionTimeout,
                                         subscriptions.timeout.count()));
  }
  subscriptions.max_failures = static_cast<int>(ParseInteger(env, kSubscriptionMaxFailures, 10, 1, 1000000));
  subscriptions.max_failing_time =
      std::chrono::seconds(ParseInteger(env, kSubscriptionMaxFailing, 3600, 1, 30 * 24 * 3600));
  subscriptions.max_body_bytes =
      ParseInteger(env, kSubscriptionMaxBody, 1024 * 1024, 4096, std::uint64_t{256} * 1024 * 1024);
  subscriptions.retry_base = std::chrono::milliseconds(ParseInteger(env, kSubscriptionRetryBase, 1000, 10, 600000));
  subscriptions.retry_max = std::chrono::milliseconds(ParseInteger(env, kSubscriptionRetryMax, 300000, 10, 86400000));
  if (subscriptions.retry_max < subscriptions.retry_base) {
    Fail(kSubscriptionRetryMax, fmt::format("must not be below {}", kSubscriptionRetryBase));
  }
}

// The master key: given (checked here, so a malformed key stops the start), in a file (read
// at start-up), or in development a key of this user's made on first use.
MasterKeySource ParseMasterKey(const Env& env, Environment environment) {
  MasterKeySource source;
  const auto text = env.Get(kMasterKey);
  const auto file = env.Get(kMasterKeyFile);
  if (text && file) Fail(kMasterKey, "set DOCLEDGER_MASTER_KEY or DOCLEDGER_MASTER_KEY_FILE, not both");
  if (text) {
    try {
      MasterKey::FromText(*text);
    } catch (const MasterKeyError& e) {
      Fail(kMasterKey, e.what());
    }
    source.text = *text;
  } else if (file) {
    source.file = *file;
  } else if (environment == Environment::kProduction) {
    Fail(kMasterKey, "a master key is required in production: set DOCLEDGER_MASTER_KEY or DOCLEDGER_MASTER_KEY_FILE "
                     "(32 bytes, e.g. `openssl rand -hex 32`; docs/erasure.md)");
  } else {
    const auto data_home = env.Get("XDG_DATA_HOME");
    const auto home = env.Get("HOME");
    source.generate_at = (data_home ? *data_home : (home ? *home : std::string(".")) + "/.local/share") +
                         "/docledger/master.key";
  }
  return source;
}

}  // namespace

std::string MasterKeySource::Describe() const {
  if (!text.empty()) return "environment";
  if (!file.empty()) return "file:" + file;
  return "generated:" + generate_at;
}

MasterKeySource MasterKeySourceFromEnvironment() {
  const auto variables = EnvironmentVariables();
  const Env env(variables);
  return ParseMasterKey(env, ParseEnvironment(env));
}

Config ParseConfig(const std::map<std::string, std::string>& variables) {
  const Env env(variables);
  Config config;

  config.environment = ParseEnvironment(env);

  const auto url = env.Get(kDatabaseUrl);
  if (!url) Fail(kDatabaseUrl, "must be set (e.g. postgresql://user:password@host:5432/db)");
  ValidateDsn(kDatabaseUrl, *url);
  config.database_url = *url;
  if (const auto read_url = env.Get(kDatabaseReadUrl)) {
    ValidateDsn(kDatabaseReadUrl, *read_url);
    config.database_read_url = *read_url;
  }

  ParseListen(env, config);
  ParseApiKeys(env, config);

  config.db_pool_size = ParseInteger(env, kPoolSize, 8, 1, 200);
  config.log_format = ParseLogFormat(env, config.environment);
  config.max_body_bytes = ParseInteger(env, kMaxBody, 10 * 1024 * 1024, 1024,
                                       std::uint64_t{1} << 30);  // 1 KiB .. 1 GiB
  config.request_timeout = std::chrono::milliseconds(
      ParseInteger(env, kTimeout, 30000, 100, 3'600'000));  // 100 ms .. 1 h
  config.rate_limit_rps =
      static_cast<std::uint32_t>(ParseInteger(env, kRateLimit, 0, 0, 1'000'000));
  ParseWebhook(env, config);
  config.alert_throttle =
      std::chrono::seconds(ParseInteger(env, kThrottle, 300, 0, 7 * 24 * 3600));
  // Must outlast one POST (5 s timeout), or a slow delivery could be claimed twice at once.
  config.alert_delivery_lease = std::chrono::seconds(ParseInteger(env, kDeliveryLease, 60, 6, 24 * 3600));
  config.allow_plaintext_db = ParseChoice(env, kAllowPlaintextDb, false, {{"true", true}, {"false", false}});
  config.read_wait = std::chrono::milliseconds(ParseInteger(env, kReadWait, 500, 0, 60000));
  config.lease_timeout = std::chrono::seconds(ParseInteger(env, kLeaseTimeout, 10, 5, 3600));
  ParseExposure(env, config);
  config.trust_proxy =
      ParseChoice(env, kTrustProxy, false, {{"on", true}, {"off", false}, {"true", true}, {"false", false}});
  ParseDeadlinesAndHealth(env, config);
  ParseRetention(env, config);
  ParseSubscriptions(env, config);
  config.master_key = ParseMasterKey(env, config.environment);
  CheckTransportSecurity(kDatabaseUrl, config.database_url, env, config);
  if (!config.database_read_url.empty()) {
    CheckTransportSecurity(kDatabaseReadUrl, config.database_read_url, env, config);
  }

  // Typos in optional variables would otherwise silently fall back to defaults.
  const auto known = KnownVariables();
  for (const auto& [name, value] : variables) {
    if (StartsWith(name, "DOCLEDGER_") &&
        std::find(known.begin(), known.end(), name) == known.end()) {
      config.warnings.push_back(fmt::format("unknown variable {} is ignored", name));
    }
  }
  return config;
}

Config LoadConfigFromEnvironment() { return ParseConfig(EnvironmentVariables()); }

LogFormat LogFormatFromEnvironment() {
  const auto variables = EnvironmentVariables();
  const Env env(variables);
  try {
    return ParseLogFormat(env, ParseEnvironment(env));
  } catch (const ConfigError&) {
    return LogFormat::kText;  // `serve` reports the invalid value
  }
}

std::string Config::Summary() const {
  std::size_t per_role[4] = {0, 0, 0, 0};
  for (const auto& key : api_keys) ++per_role[static_cast<int>(key.role)];
  const bool v6 = listen_address.find(':') != std::string::npos;
  return fmt::format(
      "env={} listen={}{}{}:{} database={} read_database={} db_pool_size={} log_format={} "
      "api_keys=admin:{},write:{},read:{}{} max_body_bytes={} request_timeout_ms={} "
      "rate_limit_rps={} alert_webhook={} alert_webhook_format={} alert_throttle_s={} "
      "alert_delivery_lease_s={} read_wait_ms={} lease_timeout_s={} statement_timeout_ms={} "
      "db_acquire_timeout_ms={} health_projector_lag_events={} health_projector_lag_s={} "
      "health_replica_lag_s={} health_dead_delivery_window_s={} cache_max_age_s={} cors_origins={} "
      "console={} trust_proxy={} alerts_enabled={} alert_max_age_s={} master_key={} "
      "alert_delivery_retention_s={} subscription_delivery_retention_s={} idempotency_retention_s={} "
      "retention_interval_s={} subscription_public_only={} subscription_timeout_ms={} subscription_lease_s={} "
      "subscription_max_failures={} subscription_max_failing_s={} subscription_max_body_bytes={} "
      "subscription_retry_ms={}..{}",
      ToString(environment), v6 ? "[" : "", listen_address, v6 ? "]" : "", listen_port,
      MaskDsn(database_url), database_read_url.empty() ? "(primary)" : MaskDsn(database_read_url),
      db_pool_size, ToString(log_format), per_role[3], per_role[2], per_role[1],
      using_development_key ? "(development default)" : "", max_body_bytes,
      request_timeout.count(), rate_limit_rps == 0 ? std::string("off") : std::to_string(rate_limit_rps),
      alert_webhook_url.empty() ? std::string("off") : UrlOrigin(alert_webhook_url),
      ToString(alert_webhook_format), alert_throttle.count(), alert_delivery_lease.count(), read_wait.count(),
      lease_timeout.count(), statement_timeout.count(), db_acquire_timeout.count(), health.projector_lag_events,
      health.projector_lag_seconds.count(), health.replica_lag_seconds.count(), health.dead_delivery_window.count(),
      cache_max_age.count(), cors_origins.empty() ? std::string("off") : fmt::format("{}", fmt::join(cors_origins, ",")),
      console_enabled ? "on" : "off", trust_proxy ? "on" : "off", alerts_enabled ? "on" : "off", alert_max_age.count(),
      master_key.Describe(), retention.alert_deliveries.count(),
      retention.subscription_deliveries.count(),
      retention.idempotency_after_expiry.count(), retention.interval.count(),
      subscriptions.public_addresses_only ? "on" : "off", subscriptions.timeout.count(), subscriptions.lease.count(),
      subscriptions.max_failures, subscriptions.max_failing_time.count(), subscriptions.max_body_bytes,
      subscriptions.retry_base.count(), subscriptions.retry_max.count());
}

}  // namespace docledger::infrastructure
