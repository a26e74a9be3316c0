#include "api/handlers/subscriptions_handler.hpp"

#include "api/handlers/handler_support.hpp"
#include "domain/text_rules.hpp"

namespace docledger::api {
namespace {

operations::SubscriptionOperations& OperationsOf(ApiServices& services) {
  if (services.subscriptions == nullptr) {
    throw domain::StoreUnavailable("subscriptions are not available in this process");
  }
  return *services.subscriptions;
}

// "now" (default), "beginning", or a sequence >= 0.
operations::SubscriptionStart StartField(BodyReader& reader) {
  using Kind = operations::SubscriptionStart::Kind;
  const auto value = reader.OptionalValue("start");
  if (!value || *value == "now") return {Kind::kNow, 0};
  if (*value == "beginning") return {Kind::kBeginning, 0};
  if (value->is_number_integer() && value->get<std::int64_t>() >= 0) return {Kind::kAfter, value->get<std::int64_t>()};
  reader.Reject("start", "must be \"now\", \"beginning\" or a sequence >= 0");
  return {Kind::kNow, 0};
}

domain::CreateSubscription CreateCommand(BodyReader& reader) {
  domain::CreateSubscription command;
  command.url = reader.RequiredString("url");
  command.event_types = reader.OptionalStrings("event_types").value_or(std::vector<std::string>{});
  command.stream_prefix = reader.OptionalString("stream_prefix").value_or("");
  command.max_batch = reader.OptionalInteger("max_batch").value_or(100);
  command.description = reader.OptionalString("description").value_or("");
  return command;
}

void AddLifecycleRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::post, "/api/v1/subscriptions", Role::kAdmin, [&services](const RequestContext& context) {
    const auto body = JsonBody(context);
    BodyReader reader(body);
    auto command = CreateCommand(reader);
    const auto start = StartField(reader);
    reader.Finish();
    const auto json = OperationsOf(services).Create(std::move(command), start, CommandContextOf(context));
    return VersionedResponse(http::status::created, json, json["version"].get<std::int64_t>());
  });

  router.Add(http::verb::patch, "/api/v1/subscriptions/{id}", Role::kAdmin, [&services](const RequestContext& context) {
    const auto body = JsonBody(context);
    BodyReader reader(body);
    domain::UpdateSubscription command;
    command.subscription_id = UuidParam(context, "id", "subscription");
    command.url = reader.OptionalString("url");
    command.event_types = reader.OptionalStrings("event_types");
    command.stream_prefix = reader.OptionalString("stream_prefix");
    command.max_batch = reader.OptionalInteger("max_batch");
    command.description = reader.OptionalString("description");
    command.paused = reader.OptionalBool("paused");
    reader.Finish();
    const auto json = OperationsOf(services).Update(command, CommandContextOf(context));
    return VersionedResponse(http::status::ok, json, json["version"].get<std::int64_t>());
  });

  router.Add(http::verb::delete_, "/api/v1/subscriptions/{id}", Role::kAdmin,
             [&services](const RequestContext& context) {
               const auto id = UuidParam(context, "id", "subscription");
               OperationsOf(services).Delete(id, CommandContextOf(context));
               return JsonResponse(http::status::ok, {{"subscription_id", id}, {"deleted", true}});
             });
}

void AddCursorRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::post, "/api/v1/subscriptions/{id}/rewind", Role::kAdmin,
             [&services](const RequestContext& context) {
               const auto body = JsonBody(context);
               BodyReader reader(body);
               domain::RewindSubscription command{UuidParam(context, "id", "subscription"), 0};
               const auto after = reader.OptionalInteger("after");
               if (!after) reader.Reject("after", "is required: the sequence after which delivery goes on");
               command.after = after.value_or(0);
               reader.Finish();
               return JsonResponse(http::status::accepted,
                                   OperationsOf(services).Rewind(command, CommandContextOf(context)));
             });

  router.Add(http::verb::post, "/api/v1/subscriptions/{id}/rotate-secret", Role::kAdmin,
             [&services](const RequestContext& context) {
               const auto id = UuidParam(context, "id", "subscription");
               std::optional<std::chrono::seconds> overlap;
               if (!context.request.body().empty()) {
                 const auto body = JsonBody(context);
                 BodyReader reader(body);
                 const auto seconds = reader.OptionalInteger("overlap_seconds");
                 if (seconds && (*seconds < 0 || *seconds > 30 * 86400)) {
                   reader.Reject("overlap_seconds", "must be between 0 and 2592000 (30 days)");
                 }
                 if (seconds) overlap = std::chrono::seconds(*seconds);
                 reader.Finish();
               }
               return JsonResponse(http::status::ok,
                                   OperationsOf(services).RotateSecret(id, overlap, CommandContextOf(context)));
             });
}

void AddReadRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::get, "/api/v1/subscriptions", Role::kAdmin, [&services](const RequestContext&) {
    return JsonResponse(http::status::ok, OperationsOf(services).List());
  });

  router.Add(http::verb::get, "/api/v1/subscriptions/{id}", Role::kAdmin, [&services](const RequestContext& context) {
    const auto json = OperationsOf(services).Get(UuidParam(context, "id", "subscription"));
    return ConditionalGet(context, json, json["version"].get<std::int64_t>());
  });

  router.Add(http::verb::get, "/api/v1/subscriptions/{id}/deliveries", Role::kAdmin,
             [&services](const RequestContext& context) {
               const auto id = UuidParam(context, "id", "subscription");
               return JsonResponse(http::status::ok, OperationsOf(services).Deliveries(id, LimitParam(context)));
             });
}

}  // namespace

void AddSubscriptionRoutes(Router& router, ApiServices& services) {
  AddLifecycleRoutes(router, services);
  AddCursorRoutes(router, services);
  AddReadRoutes(router, services);
}

}  // namespace docledger::api
