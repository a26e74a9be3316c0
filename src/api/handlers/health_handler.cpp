#include "api/handlers/health_handler.hpp"

#include <memory>

#include <spdlog/common.h>

#include "api/router.hpp"
#include "infrastructure/logging.hpp"

namespace docledger::api {
namespace {

Response Uncached(Response response) {
  response.set(http::field::cache_control, "no-store");
  return response;
}

ReadinessReport RunCheck(const ReadinessCheck& check) {
  if (!check) return {false, "no readiness check configured"};
  try {
    return check();
  } catch (const std::exception& e) {
    infrastructure::LogEvent(spdlog::level::warn, "readiness check failed", {{"detail", e.what()}});
  } catch (...) {
    infrastructure::LogEvent(spdlog::level::warn, "readiness check failed", {{"detail", "unknown"}});
  }
  return {false, "readiness check failed"};
}

}  // namespace

void AddHealthRoutes(Router& router, HealthOptions options) {
  auto shared = std::make_shared<const HealthOptions>(std::move(options));

  router.Add(http::verb::get, "/health", Role::kPublic, [shared](const RequestContext&) {
    nlohmann::json body{{"status", "ok"}, {"version", shared->version}};
    if (shared->replica_state) body["read_replica"] = shared->replica_state();
    return Uncached(JsonResponse(http::status::ok, body));
  });

  router.Add(http::verb::get, "/health/live", Role::kPublic, [](const RequestContext&) {
    return Uncached(JsonResponse(http::status::ok, {{"status", "alive"}}));
  }, Blocking::kNever);

  router.Add(http::verb::get, "/health/ready", Role::kPublic, [shared](const RequestContext&) {
    const ReadinessReport report = RunCheck(shared->readiness);
    if (report.ready) return Uncached(JsonResponse(http::status::ok, {{"status", "ready"}}));
    return Uncached(JsonResponse(http::status::service_unavailable,
                                 {{"status", "not_ready"}, {"reason", report.reason}}));
  });
}

}  // namespace docledger::api
