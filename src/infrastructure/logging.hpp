// Process-wide logging on spdlog: one line per event, JSON lines in production
// (`{"ts":..,"level":..,"msg":..,<fields>}`), "TS LEVEL msg key=value ..." in text form.
// Log at the boundaries only (conventions 15), and never a DSN, an API key or a payload body.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include "infrastructure/log_format.hpp"

namespace docledger::infrastructure {

// Installs the default spdlog logger writing to stderr in `format`. Plain spdlog::info(...)
// calls made elsewhere come out in the same format.
void InitLogging(LogFormat format, spdlog::level::level_enum level = spdlog::level::info);

// The same with a caller-provided sink (tests capture lines with an ostream sink).
void InitLogging(LogFormat format, spdlog::sink_ptr sink,
                 spdlog::level::level_enum level = spdlog::level::info);

// The formatter InitLogging installs, for callers that build their own loggers.
std::unique_ptr<spdlog::formatter> MakeLogFormatter(LogFormat format);

// Logs one event with structured fields, e.g.
//   LogEvent(spdlog::level::info, "request", {{"method", "GET"}, {"status", 200}});
// Adds the current correlation id (see ScopedCorrelationId) unless `fields` has one.
// Fields whose names denote secrets (password, authorization, api_key, dsn, ...) are
// replaced by "***" as a last line of defence.
void LogEvent(spdlog::level::level_enum level, std::string_view event,
              const nlohmann::json& fields = nlohmann::json::object());

// Sets the correlation id that log lines of this thread carry until destruction (the
// router sets it around a handler call). Nests: the previous id is restored.
class ScopedCorrelationId {
 public:
  explicit ScopedCorrelationId(std::string correlation_id);
  ~ScopedCorrelationId();
  ScopedCorrelationId(const ScopedCorrelationId&) = delete;
  ScopedCorrelationId& operator=(const ScopedCorrelationId&) = delete;

 private:
  std::string previous_;
};

// The correlation id of the request this thread is handling ("" if none).
const std::string& CurrentCorrelationId();

}  // namespace docledger::infrastructure
