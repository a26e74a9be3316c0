#include "api/handlers/metrics_handler.hpp"

#include "api/router.hpp"
#include "infrastructure/metrics.hpp"

namespace docledger::api {

void AddMetricsRoute(Router& router, infrastructure::Metrics& metrics) {
  router.Add(http::verb::get, "/metrics", Role::kPublic, [&metrics](const RequestContext&) {
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, kPrometheusContentType);
    response.set(http::field::cache_control, "no-store");
    response.body() = metrics.Serialize();
    return response;
  });
}

}  // namespace docledger::api
