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

HealthReport RunHealth(const HealthOptions& options) {
  if (!options.health) {
    return {operations::HealthStatus::kHealthy,
            {{"status", "healthy"}, {"service", "docledger"}, {"version", options.version},
             {"reasons", nlohmann::json::array()}, {"checks", nlohmann::json::object()}}};
  }
  try {
    return options.health();
  } catch (const std::exception& e) {
    infrastructure::LogEvent(spdlog::level::warn, "health report failed", {{"detail", e.what()}});
  } catch (...) {
    infrastructure::LogEvent(spdlog::level::warn, "health report failed", {{"detail", "unknown"}});
  }
  return {operations::HealthStatus::kUnhealthy,
          {{"status", "unhealthy"}, {"service", "docledger"}, {"version", options.version},
           {"reasons", nlohmann::json::array({"health report failed"})}, {"checks", nlohmann::json::object()}}};
}

}  // namespace

void AddHealthRoutes(Router& router, HealthOptions options) {
  auto shared = std::make_shared<const HealthOptions>(std::move(options));

  router.Add(http::verb::get, "/health", Role::kPublic, [shared](const RequestContext&) {
    HealthReport report = RunHealth(*shared);
    if (shared->replica_state) report.body["read_replica"] = shared->replica_state();
    const bool unhealthy = report.status == operations::HealthStatus::kUnhealthy;
    return Uncached(JsonResponse(unhealthy ? http::status::service_unavailable : http::status::ok, report.body));
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
