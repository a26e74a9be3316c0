#include "api/handlers/server_routes.hpp"

#include <utility>

#include "api/handlers/console_handler.hpp"
#include "api/handlers/metrics_handler.hpp"
#include "api/handlers/openapi_handler.hpp"
#include "api/handlers/v1_routes.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddServerRoutes(Router& router, HealthOptions health, infrastructure::Metrics& metrics, ApiServices& services,
                     bool console) {
  AddHealthRoutes(router, std::move(health));
  AddMetricsRoute(router, metrics);
  if (console) {
    AddOpenApiRoute(router);
    AddConsoleRoutes(router);
  }
  AddV1Routes(router, services);
}

}  // namespace docledger::api
