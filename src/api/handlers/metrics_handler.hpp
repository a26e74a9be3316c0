// GET /metrics: the Prometheus text exposition (version 0.0.4) of the process's metrics.
//
// Public (Role::kPublic, no key), like /health: Prometheus scrapers rarely carry
// credentials, and the metrics hold no payloads, keys or ids, only counts per route
// pattern, event type and projection. Keep the port off the public internet (or filter
// /metrics at the load balancer) if those counts are sensitive for you.
#pragma once

namespace docledger::infrastructure {
class Metrics;
}

namespace docledger::api {

class Router;

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// `metrics` must outlive the router.
void AddMetricsRoute(Router& router, infrastructure::Metrics& metrics);

}  // namespace docledger::api
