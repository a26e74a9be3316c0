#include "api/handlers/streams_handler.hpp"


#include "api/handlers/handler_support.hpp"
#include "api/handlers/read_routing.hpp"
#include "domain/event_catalog.hpp"
#include "domain/event_validation.hpp"
#include "domain/text_rules.hpp"
#include "infrastructure/id_generator.hpp"

namespace docledger::api {
namespace {

std::int64_t IntegerParam(const RequestContext& context, const std::string& name, std::int64_t fallback,
                          std::int64_t min, std::int64_t max) {
  const auto text = context.QueryParam(name);
  if (!text) return fallback;
  const auto value = domain::ParseDigits<std::int64_t>(*text, 18).value_or(min - 1);
  if (value < min || value > max) {
    throw HttpError::BadRequest(name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

// Could a stream have this id? The append rules (domain/event_validation): 1 to 256 bytes
// of UTF-8 without control characters. Anything else is not looked up: PostgreSQL refuses
// invalid UTF-8 (an error, not "no rows") and libpq would cut the id at a NUL byte.
bool IsPossibleStreamId(const std::string& stream) {
  if (stream.empty() || stream.size() > domain::AppendLimits{}.max_stream_id_bytes) return false;
  if (!domain::IsValidUtf8(stream)) return false;
  return std::none_of(stream.begin(), stream.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

domain::ExpectedVersion ExpectedVersionOf(const nlohmann::json& body, const RequestContext& context) {
  const auto if_match = IfMatchVersion(context);
  const auto field = body.find("expected_version");
  std::optional<domain::ExpectedVersion> from_body;
  if (field != body.end() && !field->is_null()) {
    if (field->is_number_integer()) {
      from_body = domain::ExpectedVersion::Parse(std::to_string(field->get<std::int64_t>()));
    } else if (field->is_string()) {
      from_body = domain::ExpectedVersion::Parse(field->get<std::string>());
    }
    if (!from_body) {
      throw domain::ValidationError("/expected_version", "must be \"any\", \"no_stream\" or a version >= 0");
    }
  }
  if (if_match) {
    if (from_body && *from_body != domain::ExpectedVersion::Exact(*if_match)) {
      throw HttpError::BadRequest("If-Match and expected_version disagree");
    }
    return domain::ExpectedVersion::Exact(*if_match);
  }
  return from_body.value_or(domain::ExpectedVersion::Any());
}

std::vector<domain::NewEvent> EventsOf(const nlohmann::json& body, const RequestContext& context,
                                       const domain::SchemaValidator& validator) {
  const auto events = body.find("events");
  if (events == body.end() || !events->is_array() || events->empty()) {
    throw domain::ValidationError("/events", "must be a non-empty array of events");
  }
  std::vector<domain::ValidationIssue> issues;
  ReportUnknownFields(body, "", [](const std::string& key) { return key == "events" || key == "expected_version"; },
                      issues);
  std::vector<domain::NewEvent> out;
  for (std::size_t i = 0; i < events->size(); ++i) {
    const auto& event = (*events)[i];
    const auto path = "/events/" + std::to_string(i);
    if (!event.is_object()) {
      issues.push_back({path, "must be an object"});
      continue;
    }
    domain::NewEvent next;
    const auto type = event.find("event_type");
    if (type == event.end() || !type->is_string()) {
      issues.push_back({path + "/event_type", "is required (a string)"});
      continue;
    }
    next.event_type = type->get<std::string>();
    const auto* info = domain::FindEventType(next.event_type);
    next.schema_version = info ? info->current_version : 1;
    if (auto version = event.find("schema_version"); version != event.end()) {
      if (!version->is_number_integer() || version->get<std::int64_t>() < 1 || version->get<std::int64_t>() > 1000) {
        issues.push_back({path + "/schema_version", "must be a positive integer"});
        continue;
      }
      next.schema_version = version->get<int>();
    }
    if (auto id = event.find("event_id"); id != event.end() && !id->is_null()) {
      if (!id->is_string()) {
        issues.push_back({path + "/event_id", "must be a UUID string"});
        continue;
      }
      next.event_id = id->get<std::string>();
    } else if (const auto command = CommandContextOf(context); !command.request_key.empty()) {
      // Derived from the request: executed again after a crash, it re-appends the same
      // ids, which the store answers with the recorded positions.
      next.event_id =
          infrastructure::DeterministicUuid(domain::RequestEventName(command, context.Param("stream_id"), i));
    }
    const auto payload = event.find("payload");
    if (payload == event.end() || !payload->is_object()) {
      issues.push_back({path + "/payload", "is required (an object)"});
      continue;
    }
    nlohmann::json metadata = nlohmann::json::object();
    if (auto given = event.find("metadata"); given != event.end() && !given->is_null()) {
      if (!given->is_object()) {
        issues.push_back({path + "/metadata", "must be an object"});
        continue;
      }
      metadata = *given;
    }
    ReportUnknownFields(event, path, [](const std::string& key) {
      return key == "event_type" || key == "schema_version" || key == "event_id" || key == "payload" || key == "metadata";
    }, issues);
    // The server's word on who and which request, whatever the client sent.
    metadata["actor"] = context.actor;
    metadata["correlation_id"] = context.correlation_id;
    for (auto& issue : domain::CheckEvent(validator, next.event_type, next.schema_version, *payload, path)) {
      issues.push_back(std::move(issue));
    }
    next.payload = payload->dump();
    next.metadata = metadata.dump();
    out.push_back(std::move(next));
  }
  if (!issues.empty()) throw domain::ValidationError(issues);
  return out;
}

// DocumentErased destroys a document's data key (docs/erasure.md): only the erase route
// (admin, with its checks and clean-up) appends it.
void RefuseErasures(const domain::AppendRequest& request) {
  for (std::size_t i = 0; i < request.events.size(); ++i) {
    if (request.events[i].event_type == "DocumentErased") {
      throw domain::ValidationError("/events/" + std::to_string(i) + "/event_type",
                                    "DocumentErased is appended by POST /api/v1/documents/{id}/erase only");
    }
  }
}

}  // namespace

nlohmann::json EventJson(const domain::RecordedEvent& event) {
  return {{"sequence", event.sequence},
          {"event_id", event.event_id},
          {"stream_id", event.stream_id},
          {"stream_version", event.stream_version},
          {"event_type", event.event_type},
          {"schema_version", event.schema_version},
          {"payload", nlohmann::json::parse(event.payload)},
          {"metadata", nlohmann::json::parse(event.metadata)},
          {"recorded_at", event.recorded_at}};
}

void AddStreamRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::get, "/api/v1/streams/{stream_id}/events", Role::kRead,
             [&services](const RequestContext& context) {
               const auto& stream = context.Param("stream_id");
               if (!IsPossibleStreamId(stream)) {
                 throw HttpError::NotFound("no such stream: stream ids are 1 to 256 bytes of UTF-8 without control characters");
               }
               const auto from = IntegerParam(context, "from", 1, 1, INT64_MAX / 2);
               const auto limit = IntegerParam(context, "limit", 100, 1, 1000);
               return ServeRead(services, context, "", [&](ReadEndpoint& db) {
                 const auto version = db.store.StreamVersion(stream);
                 if (version == 0) throw HttpError::NotFound("no such stream: " + stream);
                 auto events = nlohmann::json::array();
                 for (const auto& event : db.store.ReadStream(stream, from, static_cast<std::size_t>(limit))) {
                   events.push_back(EventJson(event));
                 }
                 return ConditionalGet(context, {{"stream_id", stream}, {"version", version}, {"events", events}},
                                       version);
               });
             });

  router.Add(http::verb::post, "/api/v1/streams/{stream_id}/events", Role::kWrite,
             [&services](const RequestContext& context) {
               const auto body = JsonBody(context);
               domain::AppendRequest request{context.Param("stream_id"), ExpectedVersionOf(body, context),
                                             EventsOf(body, context, services.validator)};
               RefuseErasures(request);
               const auto result = services.store.Append(request);
               auto positions = nlohmann::json::array();
               for (const auto& position : result.positions) {
                 positions.push_back({{"event_id", position.event_id},
                                      {"stream_version", position.stream_version},
                                      {"sequence", position.sequence}});
               }
               return VersionedResponse(result.already_recorded ? http::status::ok : http::status::created,
                                        {{"stream_id", result.stream_id},
                                         {"stream_version", result.stream_version},
                                         {"events", positions},
                                         {"already_recorded", result.already_recorded}},
                                        result.stream_version);
             });

  router.Add(http::verb::get, "/api/v1/events", Role::kAdmin, [&services](const RequestContext& context) {
    const auto after = IntegerParam(context, "after", 0, 0, INT64_MAX / 2);
    const auto limit = IntegerParam(context, "limit", 100, 1, 1000);
    return ServeRead(services, context, "", [&](ReadEndpoint& db) {
      auto events = nlohmann::json::array();
      std::int64_t last = after;
      for (const auto& event : db.store.ReadAll(after, static_cast<std::size_t>(limit))) {
        events.push_back(EventJson(event));
        last = event.sequence;
      }
      return JsonResponse(http::status::ok, {{"events", events}, {"last_sequence", last}});
    });
  });
}

}  // namespace docledger::api
