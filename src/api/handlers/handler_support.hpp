// What the resource handlers share: reading a JSON body into typed fields with every
// problem reported at once (422 with paths), ids in paths, pagination parameters, ETags
// (the aggregate's stream version) with If-None-Match / If-Match, and the command context
// (actor, correlation id, If-Match) handed to the domain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/router.hpp"
#include "domain/command_service.hpp"
#include "domain/errors.hpp"
#include "domain/json_kind.hpp"
#include "projections/query_types.hpp"

namespace docledger::api {

// The request body as a JSON object: 415 unless Content-Type is application/json (or
// absent with an empty body... which is then 400), 400 for malformed JSON or nesting
// deeper than 64 levels, 422 when it is not an object.
nlohmann::json JsonBody(const RequestContext& context);

// A client's field name as a JSON Pointer token for an error path: `~` and `/` escaped,
// cut at 64 bytes (on a UTF-8 character boundary, marked with "...") so that an error
// never echoes a huge name back.
std::string FieldToken(std::string_view name);

// Appends "is not a known field" for each key of `object` that `known` rejects, at most 20
// of them (then one issue counting the rest).
template <typename Known>
void ReportUnknownFields(const nlohmann::json& object, const std::string& path, Known known,
                         std::vector<domain::ValidationIssue>& issues) {
  std::size_t unknown = 0;
  for (const auto& [key, value] : object.items()) {
    if (known(key)) continue;
    if (++unknown <= 20) issues.push_back({path + "/" + FieldToken(key), "is not a known field"});
  }
  if (unknown > 20) issues.push_back({path, std::to_string(unknown - 20) + " more fields are not known"});
}

// Typed access to the fields of a JSON object. Problems are collected and thrown together
// by Finish() as one 422 with a path per field; unknown fields are problems too.
class BodyReader {
 public:
  explicit BodyReader(const nlohmann::json& body) : body_(body) {}
  std::string RequiredString(const std::string& name);
  std::optional<std::string> OptionalString(const std::string& name);
  std::optional<std::int64_t> OptionalInteger(const std::string& name);
  std::optional<bool> OptionalBool(const std::string& name);
  // Any JSON value (present), e.g. extraction data.
  nlohmann::json RequiredValue(const std::string& name);
  // Any JSON value but null, when present (the caller checks its kind).
  std::optional<nlohmann::json> OptionalValue(const std::string& name);
  // Adds a problem with the field (a value of the right kind but not allowed).
  void Reject(const std::string& name, std::string message) { Problem(name, std::move(message)); }
  std::optional<nlohmann::json> OptionalObject(const std::string& name);
  std::optional<nlohmann::json> OptionalArray(const std::string& name);
  std::optional<std::vector<std::string>> OptionalStrings(const std::string& name);
  // Throws domain::ValidationError (422) if any field was wrong or unknown.
  void Finish();

 private:
  const nlohmann::json* Field(const std::string& name);
  // The field when present, not null and of `kind`; a problem when of another kind.
  const nlohmann::json* Typed(const std::string& name, domain::JsonKind kind);
  void Problem(const std::string& name, std::string message) { issues_.push_back({"/" + name, std::move(message)}); }

  const nlohmann::json& body_;
  std::vector<std::string> seen_;
  std::vector<domain::ValidationIssue> issues_;
};

// The {name} path parameter as a canonical UUID; 404 "no such <what>" when it is not one
// (nothing with that id can exist).
std::string UuidParam(const RequestContext& context, const std::string& name, const std::string& what);

// ?limit= (default 50, 1..500) and ?cursor= ; 400 when malformed.
int LimitParam(const RequestContext& context);
std::string CursorParam(const RequestContext& context);

// The ETag of a resource at `version`: "<version>".
std::string EtagOf(std::int64_t version);
// 201/200 with the body and ETag: "<version>".
Response VersionedResponse(http::status status, const nlohmann::json& body, std::int64_t version);
// A read: 304 when If-None-Match names the current version, else 200 with the ETag.
Response ConditionalGet(const RequestContext& context, const nlohmann::json& body, std::int64_t version);
// The same for a resource that is JSON text already (a read model's row, as PostgreSQL
// built it): sent as it is.
Response ConditionalGet(const RequestContext& context, const projections::Versioned& resource);

// If-Match: "<version>" (also W/"<version>" or a bare number); nullopt when absent or "*".
// 400 when it is something else.
std::optional<std::int64_t> IfMatchVersion(const RequestContext& context);

// The request's Idempotency-Key on a POST ("" otherwise); ids derive from it (see
// domain::CommandContext::request_key).
std::string IdempotencyKeyOf(const RequestContext& context);

// Actor, correlation id, If-Match and Idempotency-Key for the command service.
domain::CommandContext CommandContextOf(const RequestContext& context);

// 304 with `etag` when If-None-Match names it (or is "*"); nullopt otherwise.
std::optional<Response> NotModified(const RequestContext& context, const std::string& etag);
// A page of a list: {"items": [...], "next_cursor": "..." | null}.
Response PageResponse(const projections::Page& page);
// The ETag of a list page read at `position` of `projection` ("" = the log's head):
// W/"<projection>-<position>". A read model's rows and its checkpoint commit together, so
// the same position means the same rows; the query string is part of the URL a client
// caches under.
std::string PageEtag(const std::string& projection, std::int64_t position);

// The outcome of a command as the API answers it.
nlohmann::json OutcomeJson(const domain::CommandOutcome& outcome, const std::string& id_field);

}  // namespace docledger::api
