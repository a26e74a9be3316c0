// The request log: one structured line per answered request (conventions 15), in the
// format of DOCLEDGER_LOG_FORMAT (infrastructure/logging). The session calls LogRequest
// for every response it sends, so answers given before routing (413, 431, 400) and the
// router's own 404/405 are logged too. Fields:
//   method, path (no query string), route (pattern; null if none matched), status,
//   duration_ms, actor (key name; null if anonymous), correlation_id, bytes_out, remote,
//   scheme, and proxy when remote and scheme came from a trusted proxy's X-Forwarded-*
//   headers (DOCLEDGER_TRUST_PROXY, middleware/forwarded.hpp)
// Level info; warn with "slow":true when the request took longer than kSlowRequest.
// Health probes (/health, /health/...) are not logged: they would drown the rest.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/middleware/request_summary.hpp"

namespace docledger::api {

inline constexpr std::chrono::seconds kSlowRequest{2};

// "/health" and "/health/..." (liveness/readiness probes).
bool IsHealthProbe(std::string_view path);

// The request target without its query string.
std::string PathOf(std::string_view target);

// The fields of the log line (exposed for tests).
nlohmann::json RequestLogFields(const RequestSummary& summary);

// Logs the line, unless `summary` is a health probe.
void LogRequest(const RequestSummary& summary);

}  // namespace docledger::api
