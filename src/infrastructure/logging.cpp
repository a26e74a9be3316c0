#include "infrastructure/logging.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <iterator>
#include <utility>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace docledger::infrastructure {
namespace {

// A payload starting with this byte was built by LogEvent: the rest is already rendered
// for the active format and carries its own correlation id.
constexpr char kStructuredMarker = '\x1e';

std::atomic<LogFormat> g_format{LogFormat::kText};
thread_local std::string tl_correlation_id;

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
  }
}

void Append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

void AppendTimestamp(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  fmt::format_to(std::back_inserter(dest), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                 tm.tm_sec, static_cast<int>(millis));
}

// JSON string literal; invalid UTF-8 is replaced rather than throwing.
std::string JsonString(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
}

std::string JsonValue(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A text-format value: bare when it is a simple token, JSON-quoted otherwise, so a line
// stays one line and stays splittable on spaces.
std::string TextValue(const nlohmann::json& value) {
  if (!value.is_string()) return JsonValue(value);
  const auto& s = value.get_ref<const std::string&>();
  bool bare = !s.empty();
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '=' || c == '\\') {
      bare = false;
      break;
    }
  }
  return bare ? s : JsonString(s);
}

// Control characters (newlines in exception messages...) would split the line.
std::string EscapeControl(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

bool IsSecretFieldName(std::string_view name) {
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::string_view kExact[] = {
      "authorization", "x-api-key", "api_key", "apikey", "key", "dsn", "database_url",
      "database_read_url", "connection_string", "token", "bearer"};
  for (const auto exact : kExact) {
    if (lower == exact) return true;
  }
  return lower.find("password") != std::string::npos || lower.find("secret") != std::string::npos;
}

class DocledgerFormatter final : public spdlog::formatter {
 public:
  explicit DocledgerFormatter(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    const bool structured = !payload.empty() && payload.front() == kStructuredMarker;
    if (format_ == LogFormat::kJson) {
      Append(dest, R"({"ts":")");
      AppendTimestamp(dest, msg.time);
      Append(dest, R"(","level":")");
      Append(dest, LevelName(msg.level));
      Append(dest, "\",");
      if (structured) {
        Append(dest, payload.substr(1));
      } else {
        Append(dest, "\"msg\":");
        Append(dest, JsonString(payload));
        if (!tl_correlation_id.empty()) {
          Append(dest, ",\"correlation_id\":");
          Append(dest, JsonString(tl_correlation_id));
        }
      }
      Append(dest, "}\n");
      return;
    }
    AppendTimestamp(dest, msg.time);
    Append(dest, " ");
    const auto level = LevelName(msg.level);
    Append(dest, level);
    for (std::size_t i = level.size(); i < 6; ++i) Append(dest, " ");
    if (structured) {
      Append(dest, payload.substr(1));
    } else {
      Append(dest, EscapeControl(payload));
      if (!tl_correlation_id.empty()) {
        Append(dest, " correlation_id=");
        Append(dest, TextValue(tl_correlation_id));
      }
    }
    Append(dest, "\n");
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<DocledgerFormatter>(format_);
  }

 private:
  LogFormat format_;
};

}  // namespace

std::unique_ptr<spdlog::formatter> MakeLogFormatter(LogFormat format) {
  return std::make_unique<DocledgerFormatter>(format);
}

void InitLogging(LogFormat format, spdlog::sink_ptr sink, spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>("docledger", std::move(sink));
  logger->set_formatter(MakeLogFormatter(format));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  g_format.store(format);
  spdlog::set_default_logger(std::move(logger));
}

void InitLogging(LogFormat format, spdlog::level::level_enum level) {
  InitLogging(format, std::make_shared<spdlog::sinks::stderr_sink_mt>(), level);
}

void LogEvent(spdlog::level::level_enum level, std::string_view event,
              const nlohmann::json& fields) {
  auto* logger = spdlog::default_logger_raw();
  if (logger == nullptr || !logger->should_log(level)) return;

  nlohmann::json all = fields.is_object() ? fields : nlohmann::json{{"fields", fields}};
  if (!tl_correlation_id.empty() && !all.contains("correlation_id")) {
    all["correlation_id"] = tl_correlation_id;
  }
  std::string line(1, kStructuredMarker);
  if (g_format.load() == LogFormat::kJson) {
    line += "\"msg\":";
    line += JsonString(event);
    for (const auto& [name, value] : all.items()) {
      line += ',';
      line += JsonString(name);
      line += ':';
      line += IsSecretFieldName(name) ? std::string("\"***\"") : JsonValue(value);
    }
  } else {
    line += EscapeControl(event);
    for (const auto& [name, value] : all.items()) {
      line += ' ';
      line += EscapeControl(name);
      line += '=';
      line += IsSecretFieldName(name) ? std::string("***") : TextValue(value);
    }
  }
  logger->log(level, spdlog::string_view_t(line.data(), line.size()));
}

ScopedCorrelationId::ScopedCorrelationId(std::string correlation_id)
    : previous_(std::exchange(tl_correlation_id, std::move(correlation_id))) {}

ScopedCorrelationId::~ScopedCorrelationId() { tl_correlation_id = std::move(previous_); }

const std::string& CurrentCorrelationId() { return tl_correlation_id; }

}  // namespace docledger::infrastructure
