#include "api/middleware/request_log.hpp"

#include <cmath>

#include <spdlog/common.h>

#include "infrastructure/logging.hpp"

namespace docledger::api {
namespace {

nlohmann::json OrNull(const std::string& value) {
  return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
}

}  // namespace

bool IsHealthProbe(std::string_view path) {
  return path == "/health" || path.substr(0, 8) == "/health/";
}

std::string PathOf(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

nlohmann::json RequestLogFields(const RequestSummary& summary) {
  const double duration_ms =
      std::round(std::chrono::duration<double, std::milli>(summary.duration).count() * 10.0) / 10.0;
  // "actor", never "key": the logger masks fields named like secrets, and the name of a
  // key (role-fingerprint) is not one.
  nlohmann::json fields{{"method", OrNull(summary.method)},
                        {"path", OrNull(summary.path)},
                        {"route", OrNull(summary.route)},
                        {"status", summary.status},
                        {"duration_ms", duration_ms},
                        {"actor", OrNull(summary.actor)},
                        {"correlation_id", summary.correlation_id},
                        {"bytes_out", summary.bytes_out}};
  if (!summary.remote.empty()) fields["remote"] = summary.remote;
  if (!summary.proxy.empty()) fields["proxy"] = summary.proxy;
  fields["scheme"] = summary.scheme;
  if (summary.duration > kSlowRequest) fields["slow"] = true;
  return fields;
}

void LogRequest(const RequestSummary& summary) {
  if (IsHealthProbe(summary.path)) return;
  infrastructure::LogEvent(summary.duration > kSlowRequest ? spdlog::level::warn : spdlog::level::info,
                           "request", RequestLogFields(summary));
}

}  // namespace docledger::api
