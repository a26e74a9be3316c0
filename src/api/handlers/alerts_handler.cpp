#include "api/handlers/alerts_handler.hpp"

#include <algorithm>
#include <array>

#include "api/handlers/handler_support.hpp"
#include "api/handlers/read_routing.hpp"
#include "infrastructure/cursor.hpp"

namespace docledger::api {
namespace {

constexpr std::array<const char*, 6> kAlertTypes = {"job_failed",         "embedding_failure", "orphaned_extractions",
                                                    "recovery_completed", "projection_parked", "subscription_failing"};

std::optional<std::string> TypeFilter(const RequestContext& context) {
  auto type = context.QueryParam("type");
  if (type && std::none_of(kAlertTypes.begin(), kAlertTypes.end(), [&](const char* t) { return *type == t; })) {
    throw HttpError::BadRequest(
        "type must be job_failed, embedding_failure, orphaned_extractions, recovery_completed, projection_parked or "
        "subscription_failing");
  }
  return type;
}

// An ISO 8601 date or timestamp, checked here so that PostgreSQL only sees ones it reads.
std::optional<std::string> SinceFilter(const RequestContext& context) {
  auto since = context.QueryParam("since");
  if (since && !infrastructure::IsTimestamp(*since)) {
    throw HttpError::BadRequest("since must be an ISO 8601 timestamp, e.g. 2026-11-24T10:00:00Z");
  }
  return since;
}

}  // namespace

void AddAlertRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::get, "/api/v1/alerts", Role::kRead, [&services](const RequestContext& context) {
    const projections::AlertFilter filter{TypeFilter(context), SinceFilter(context)};
    const auto cursor = CursorParam(context);
    const auto limit = LimitParam(context);
    return ServeList(services, context, "alerts",
                     [&](ReadEndpoint& db) { return db.reads.alerts.Alerts(filter, cursor, limit); });
  });

  router.Add(http::verb::post, "/api/v1/recovery", Role::kAdmin, [&services](const RequestContext& context) {
    const auto dry_run = context.QueryParam("dry_run");
    if (dry_run && *dry_run != "true" && *dry_run != "false") {
      throw HttpError::BadRequest("dry_run must be true or false");
    }
    if (!services.recover) throw domain::StoreUnavailable("recovery is not available in this process");
    return JsonResponse(http::status::ok, services.recover(dry_run && *dry_run == "true", CommandContextOf(context)));
  });
}

}  // namespace docledger::api
