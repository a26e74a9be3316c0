#include "api/handlers/handler_support.hpp"

#include <set>

#include <boost/beast/core/string.hpp>

#include "domain/json_kind.hpp"
#include "domain/text_rules.hpp"

namespace docledger::api {
namespace {

constexpr int kMaxJsonDepth = 64;

const char* TypeName(const nlohmann::json& value) { return value.type_name(); }

}  // namespace

nlohmann::json JsonBody(const RequestContext& context) {
  const auto& request = context.request;
  const auto type = request.find(http::field::content_type);
  if (type != request.end()) {
    const std::string_view value(type->value().data(), type->value().size());
    // Media types are case-insensitive, optional whitespace may precede parameters.
    const std::string_view media = domain::TrimSpaceTab(value.substr(0, value.find(';')));
    if (!boost::beast::iequals(media, "application/json")) {
      throw HttpError::UnsupportedMediaType("the body must be JSON (Content-Type: application/json), not " +
                                            std::string(media));
    }
  }
  if (request.body().empty()) throw HttpError::BadRequest("a JSON body is required");
  nlohmann::json body;
  // The keys of each object being parsed, innermost last: a repeated key is refused rather
  // than silently keeping one of the values (another parser might keep the other).
  std::vector<std::set<std::string>> keys;
  try {
    body = nlohmann::json::parse(
        request.body(), [&keys](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
          using Event = nlohmann::json::parse_event_t;
          if (depth > kMaxJsonDepth) {
            throw HttpError::BadRequest("the JSON body nests deeper than " + std::to_string(kMaxJsonDepth) +
                                        " levels");
          }
          if (event == Event::object_start) {
            keys.emplace_back();
          } else if (event == Event::object_end) {
            if (!keys.empty()) keys.pop_back();
          } else if (event == Event::key && !keys.empty()) {
            const auto& key = parsed.get_ref<const std::string&>();
            if (!keys.back().insert(key).second) {
              throw HttpError::BadRequest("the JSON body repeats the key \"" +
                                          (key.size() <= 64 ? key : key.substr(0, 64) + "...") + "\" in one object");
            }
          }
          return true;
        });
  } catch (const nlohmann::json::parse_error& error) {
    throw HttpError::MalformedJson("request body is not valid JSON (error at byte " + std::to_string(error.byte) + ")");
  } catch (const nlohmann::json::out_of_range&) {
    // e.g. 1e400: nlohmann refuses a number beyond the range of a double with out_of_range
    // (not parse_error), which would otherwise end as a 500.
    throw HttpError::BadRequest("a number in the JSON body is outside the range of a double (about 1.8e308)");
  }
  if (!body.is_object()) throw domain::ValidationError("", "the body must be a JSON object");
  return body;
}

const nlohmann::json* BodyReader::Field(const std::string& name) {
  seen_.push_back(name);
  return domain::PresentMember(body_, name);
}

const nlohmann::json* BodyReader::Typed(const std::string& name, domain::JsonKind kind) {
  const auto* value = Field(name);
  if (value == nullptr || domain::IsKind(*value, kind)) return value;
  Problem(name, std::string("must be ") + domain::KindWord(kind) + ", not " + TypeName(*value));
  return nullptr;
}

std::string BodyReader::RequiredString(const std::string& name) {
  if (const auto* value = Typed(name, domain::JsonKind::kString)) return value->get<std::string>();
  if (domain::PresentMember(body_, name) == nullptr) Problem(name, "is required");
  return {};
}

std::optional<std::string> BodyReader::OptionalString(const std::string& name) {
  const auto* value = Typed(name, domain::JsonKind::kString);
  return value ? std::optional(value->get<std::string>()) : std::nullopt;
}

std::optional<std::int64_t> BodyReader::OptionalInteger(const std::string& name) {
  const auto* value = Typed(name, domain::JsonKind::kInteger);
  return value ? std::optional(value->get<std::int64_t>()) : std::nullopt;
}

std::optional<bool> BodyReader::OptionalBool(const std::string& name) {
  const auto* value = Typed(name, domain::JsonKind::kBoolean);
  return value ? std::optional(value->get<bool>()) : std::nullopt;
}

nlohmann::json BodyReader::RequiredValue(const std::string& name) {
  const auto* value = Field(name);
  if (value == nullptr) {
    Problem(name, "is required");
    return nullptr;
  }
  return *value;
}

std::optional<nlohmann::json> BodyReader::OptionalValue(const std::string& name) {
  const auto* value = Field(name);
  return value ? std::optional(*value) : std::nullopt;
}

std::optional<nlohmann::json> BodyReader::OptionalObject(const std::string& name) {
  const auto* value = Typed(name, domain::JsonKind::kObject);
  return value ? std::optional(*value) : std::nullopt;
}

std::optional<nlohmann::json> BodyReader::OptionalArray(const std::string& name) {
  const auto* value = Typed(name, domain::JsonKind::kArray);
  return value ? std::optional(*value) : std::nullopt;
}

std::optional<std::vector<std::string>> BodyReader::OptionalStrings(const std::string& name) {
  const auto array = OptionalArray(name);
  if (!array) return std::nullopt;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (!(*array)[i].is_string()) {
      Problem(name + "/" + std::to_string(i), "must be a string");
      continue;
    }
    out.push_back((*array)[i].get<std::string>());
  }
  return out;
}

std::string FieldToken(std::string_view name) {
  constexpr std::size_t kMaxBytes = 64;
  if (name.size() <= kMaxBytes) return domain::EscapeJsonPointerToken(name);
  // Cut before the character that crosses the limit: a character starts at a byte that is
  // not a continuation byte (10xxxxxx).
  std::size_t cut = kMaxBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return domain::EscapeJsonPointerToken(name.substr(0, cut)) + "...";
}

void BodyReader::Finish() {
  ReportUnknownFields(body_, "", [this](const std::string& key) {
    return std::find(seen_.begin(), seen_.end(), key) != seen_.end();
  }, issues_);
  if (!issues_.empty()) throw domain::ValidationError(issues_);
}

std::string UuidParam(const RequestContext& context, const std::string& name, const std::string& what) {
  auto id = domain::CanonicalUuid(context.Param(name));
  if (!id) throw HttpError::NotFound("no such " + what + ": ids are UUIDs");
  return *id;
}

int LimitParam(const RequestContext& context) {
  const auto text = context.QueryParam("limit");
  if (!text) return 50;
  const auto limit = domain::ParseDigits<int>(*text, 4);
  if (!limit || *limit < 1 || *limit > 500) throw HttpError::BadRequest("limit must be an integer from 1 to 500");
  return *limit;
}

std::string CursorParam(const RequestContext& context) { return context.QueryParam("cursor").value_or(""); }

std::string EtagOf(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

Response VersionedResponse(http::status status, const nlohmann::json& body, std::int64_t version) {
  auto response = JsonResponse(status, body);
  response.set(http::field::etag, EtagOf(version));
  return response;
}

std::optional<Response> NotModified(const RequestContext& context, const std::string& etag) {
  const auto match = context.request.find(http::field::if_none_match);
  if (match == context.request.end()) return std::nullopt;
  const std::string_view value(match->value().data(), match->value().size());
  if (value != "*" && value.find(etag) == std::string_view::npos) return std::nullopt;
  Response response{http::status::not_modified, 11};
  response.set(http::field::etag, etag);
  return response;
}

namespace {

std::optional<Response> NotModified(const RequestContext& context, std::int64_t version) {
  return NotModified(context, EtagOf(version));
}

}  // namespace

Response ConditionalGet(const RequestContext& context, const nlohmann::json& body, std::int64_t version) {
  if (auto not_modified = NotModified(context, version)) return std::move(*not_modified);
  return VersionedResponse(http::status::ok, body, version);
}

Response ConditionalGet(const RequestContext& context, const projections::Versioned& resource) {
  if (auto not_modified = NotModified(context, resource.version)) return std::move(*not_modified);
  auto response = JsonTextResponse(http::status::ok, resource.json);
  response.set(http::field::etag, EtagOf(resource.version));
  return response;
}

std::optional<std::int64_t> IfMatchVersion(const RequestContext& context) {
  const auto header = context.request.find(http::field::if_match);
  if (header == context.request.end()) return std::nullopt;
  std::string value(header->value().data(), header->value().size());
  if (value == "*") return std::nullopt;
  if (value.rfind("W/", 0) == 0) value.erase(0, 2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  const auto version = domain::ParseDigits<std::int64_t>(value, 18);
  if (!version) throw HttpError::BadRequest("If-Match must be an ETag of this API: \"<version>\"");
  return *version;
}

domain::CommandContext CommandContextOf(const RequestContext& context) {
  return {context.actor, context.correlation_id, "", IfMatchVersion(context), IdempotencyKeyOf(context)};
}

std::string IdempotencyKeyOf(const RequestContext& context) {
  if (context.request.method() != http::verb::post) return "";  // the middleware honours keys on POST only
  const auto header = context.request.find("Idempotency-Key");
  return header == context.request.end() ? "" : std::string(header->value().data(), header->value().size());
}

std::string PageEtag(const std::string& projection, std::int64_t position) {
  return "W/\"" + (projection.empty() ? std::string("log") : projection) + "-" + std::to_string(position) + "\"";
}

Response PageResponse(const projections::Page& page) {
  nlohmann::json body = {{"items", page.items}};
  body["next_cursor"] = page.next_cursor ? nlohmann::json(*page.next_cursor) : nlohmann::json(nullptr);
  return JsonResponse(http::status::ok, body);
}

nlohmann::json OutcomeJson(const domain::CommandOutcome& outcome, const std::string& id_field) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& position : outcome.events) {
    events.push_back({{"event_id", position.event_id},
                      {"stream_version", position.stream_version},
                      {"sequence", position.sequence}});
  }
  return {{id_field, outcome.id}, {"version", outcome.version}, {"events", events}};
}

}  // namespace docledger::api
