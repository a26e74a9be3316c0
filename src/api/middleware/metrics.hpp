// Request metrics: the session records every response it sends (also 404/405 from the
// router and 413/431/400 answered before routing) into docledger_http_requests_total
// {route,method,status} and docledger_http_request_duration_seconds{route,method}.
// route is the matched pattern, "unmatched" when none matched: never the raw path, so a
// client cannot create series.
#pragma once

#include "api/middleware/request_summary.hpp"

namespace docledger::infrastructure {
class Metrics;
}

namespace docledger::api {

void RecordRequestMetrics(infrastructure::Metrics& metrics, const RequestSummary& summary);

}  // namespace docledger::api
