#include "api/handlers/projections_handler.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "api/handlers/handler_support.hpp"
#include "api/handlers/streams_handler.hpp"
#include "domain/text_rules.hpp"
#include "projection_runtime/projection_status.hpp"
#include "projections/registry.hpp"

namespace docledger::api {
namespace {

// The {name} of a built-in projector, or 404.
std::string ProjectionParam(const RequestContext& context) {
  const auto& name = context.Param("name");
  for (const auto& projection : projections::BuiltInProjections()) {
    if (projection->Name() == name) return name;
  }
  throw HttpError::NotFound("no such projection: " + name);
}

// The {sequence} of a parked event: a positive integer, or 404 (no event can be there).
std::int64_t SequenceParam(const RequestContext& context) {
  const auto& text = context.Param("sequence");
  const auto value = domain::ParseDigits<std::int64_t>(text, 18).value_or(0);
  if (value <= 0) throw HttpError::NotFound("no parked event at " + text + ": sequences are positive integers");
  return value;
}

operations::ProjectionOperations& OperationsOf(ApiServices& services) {
  if (services.projection_operations == nullptr) {
    throw domain::StoreUnavailable("parked events are not available in this process");
  }
  return *services.projection_operations;
}

}  // namespace

void AddProjectionRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::get, "/api/v1/projections", Role::kRead, [&services](const RequestContext&) {
    return JsonResponse(http::status::ok, services.projection_status());
  });

  router.Add(http::verb::get, "/api/v1/projections/{name}/parked", Role::kAdmin,
             [&services](const RequestContext& context) {
               const auto name = ProjectionParam(context);
               const auto parked = OperationsOf(services).Parked(name);
               auto& log = services.opened_store != nullptr ? *services.opened_store : services.store;
               auto out = nlohmann::json::array();
               for (const auto& p : parked) {
                 auto entry = projection_runtime::ToJson(p);
                 entry["event"] = nullptr;
                 for (const auto& event : log.ReadAll(p.sequence - 1, 1)) {
                   if (event.sequence == p.sequence) entry["event"] = EventJson(event);
                 }
                 out.push_back(std::move(entry));
               }
               return JsonResponse(http::status::ok, {{"projection", name}, {"parked", out}});
             });

  router.Add(http::verb::post, "/api/v1/projections/{name}/parked/{sequence}/retry", Role::kAdmin,
             [&services](const RequestContext& context) {
               const auto name = ProjectionParam(context);
               const auto sequence = SequenceParam(context);
               const auto streams = OperationsOf(services).RequestRetry(name, "", sequence);
               if (streams.empty()) {
                 throw HttpError::NotFound("no parked event at sequence " + std::to_string(sequence) + " for " + name);
               }
               return JsonResponse(http::status::accepted, {{"projection", name},
                                                            {"sequence", sequence},
                                                            {"retry_requested", true},
                                                            {"streams", streams}});
             });

  router.Add(http::verb::post, "/api/v1/projections/{name}/parked/{sequence}/skip", Role::kAdmin,
             [&services](const RequestContext& context) {
               const auto name = ProjectionParam(context);
               const auto sequence = SequenceParam(context);
               const auto skipped = OperationsOf(services).Skip(name, sequence);
               if (!skipped) {
                 throw HttpError::NotFound("no parked event at sequence " + std::to_string(sequence) + " for " + name);
               }
               return JsonResponse(http::status::ok, {{"projection", name},
                                                      {"sequence", sequence},
                                                      {"skipped", true},
                                                      {"stream_id", skipped->stream_id},
                                                      {"still_held", skipped->still_held}});
             });
}

}  // namespace docledger::api
