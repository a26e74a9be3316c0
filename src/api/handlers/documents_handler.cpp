#include "api/handlers/documents_handler.hpp"

#include "api/handlers/handler_support.hpp"
#include "api/handlers/read_routing.hpp"
#include "domain/text_rules.hpp"
#include "infrastructure/content_encoding.hpp"

namespace docledger::api {
namespace {

// The uploaded bytes, from `content` (text) or `content_base64`; nullopt when neither.
std::optional<std::string> UploadedBytes(BodyReader& reader) {
  auto text = reader.OptionalString("content");
  const auto base64 = reader.OptionalString("content_base64");
  if (text && base64) {
    throw domain::ValidationError("/content_base64", "give either content or content_base64, not both");
  }
  if (base64) {
    auto bytes = infrastructure::DecodeBase64(*base64);
    if (!bytes) throw domain::ValidationError("/content_base64", "is not valid base64 (RFC 4648, padded)");
    return bytes;
  }
  return text;
}

std::optional<std::string> StatusFilter(const RequestContext& context) {
  auto status = context.QueryParam("status");
  if (status && *status != "uploaded" && *status != "converted" && *status != "conversion_failed") {
    throw HttpError::BadRequest("status must be uploaded, converted or conversion_failed");
  }
  return status;
}

Response UploadDocument(ApiServices& services, const RequestContext& context) {
  const auto body = JsonBody(context);
  BodyReader reader(body);
  domain::UploadDocument command;
  command.project_id = reader.RequiredString("project_id");
  command.filename = reader.RequiredString("filename");
  command.content_type = reader.OptionalString("content_type").value_or("application/octet-stream");
  command.source_url = reader.OptionalString("source_url");
  command.metadata = reader.OptionalObject("metadata").value_or(nlohmann::json::object());
  const auto bytes = UploadedBytes(reader);
  const auto sha256 = reader.OptionalString("sha256");
  const auto size = reader.OptionalInteger("size_bytes");
  reader.Finish();
  if (bytes) {
    command.sha256 = infrastructure::Sha256Hex(*bytes);
    command.size_bytes = static_cast<std::int64_t>(bytes->size());
    if (sha256 && *sha256 != command.sha256) {
      throw domain::ValidationError("/sha256", "does not match the SHA-256 of the content (" + command.sha256 + ")");
    }
  } else {
    if (!sha256 || !size) {
      throw domain::ValidationError("/content", "give content or content_base64, or sha256 and size_bytes of a file stored elsewhere");
    }
    command.sha256 = *sha256;
    command.size_bytes = *size;
  }
  auto project = domain::CanonicalUuid(command.project_id);
  if (!project) throw domain::ValidationError("/project_id", "must be a UUID");
  command.project_id = *project;
  // Content first: an event never names content that is not stored (design: a crash in
  // between leaves only an unused row, which the next upload of the same bytes reuses).
  if (bytes) services.contents.Store(command.sha256, *bytes);
  domain::UploadOutcome outcome;
  try {
    outcome = services.commands.Execute(command, CommandContextOf(context));
  } catch (const domain::DocumentErasedError& e) {
    // The bytes just stored may be the erased document's: erasing again removes them
    // (appends nothing; keeps them when another document holds the same bytes).
    if (bytes && services.erase) services.erase(e.document_id(), "upload refused: erased", CommandContextOf(context));
    throw;
  }
  auto json = OutcomeJson(outcome, "document_id");
  json.update({{"project_id", command.project_id}, {"status", "uploaded"}, {"sha256", command.sha256},
               {"size_bytes", command.size_bytes}, {"change", domain::UploadKindName(outcome.kind)},
               {"deduplicated", outcome.kind == domain::UploadKind::kDuplicate}});
  if (outcome.revision > 0) json["revision"] = outcome.revision;
  return VersionedResponse(outcome.created ? http::status::created : http::status::ok, json, outcome.version);
}

Response ListDocuments(ApiServices& services, const RequestContext& context) {
  projections::DocumentFilter filter;
  if (auto project = context.QueryParam("project_id")) {
    auto canonical = domain::CanonicalUuid(*project);
    if (!canonical) throw HttpError::BadRequest("project_id must be a UUID");
    filter.project_id = *canonical;
  }
  filter.status = StatusFilter(context);
  const auto cursor = CursorParam(context);
  const auto limit = LimitParam(context);
  return ServeList(services, context, "document_views", [&](ReadEndpoint& db) {
    return db.reads.documents.Documents(filter, cursor, limit);
  });
}

Response GetDocument(ApiServices& services, const RequestContext& context) {
  const auto id = UuidParam(context, "id", "document");
  return ServeRead(services, context, "document_views", [&](ReadEndpoint& db) {
    // A client that names a version is answered from the version alone when it still holds.
    if (context.request.find(http::field::if_none_match) != context.request.end()) {
      const auto version = db.reads.documents.DocumentVersion(id);
      if (auto not_modified = version ? NotModified(context, EtagOf(*version)) : std::nullopt) {
        return std::move(*not_modified);
      }
    }
    const auto view = db.reads.documents.Document(id);
    if (!view) throw HttpError::NotFound("no such document: " + id);
    return ConditionalGet(context, *view);
  });
}

Response GetDocumentContent(ApiServices& services, const RequestContext& context) {
  const auto id = UuidParam(context, "id", "document");
  return ServeRead(services, context, "document_views", [&](ReadEndpoint& db) {
    const auto content = db.reads.documents.Content(id);
    if (!content) throw HttpError::NotFound("no stored content for document " + id);
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, content->content_type);
    // Uploaded bytes are whatever a crawler found: never rendered in the API's origin.
    response.set(http::field::content_disposition, "attachment");
    response.set("Content-Security-Policy", "sandbox; default-src 'none'");
    response.body() = content->bytes;
    return response;
  });
}

Response DeleteDocument(ApiServices& services, const RequestContext& context) {
  domain::DeleteDocument command{UuidParam(context, "id", "document"), context.QueryParam("reason").value_or("")};
  const auto outcome = services.commands.Execute(command, CommandContextOf(context));
  auto json = OutcomeJson(outcome, "document_id");
  json["deleted"] = true;
  return VersionedResponse(http::status::ok, json, outcome.version);
}

// Erasure (docs/erasure.md): {"reason": "..."} required. Admin only.
Response EraseDocument(ApiServices& services, const RequestContext& context) {
  const auto id = UuidParam(context, "id", "document");
  const auto body = JsonBody(context);
  BodyReader reader(body);
  const auto reason = reader.RequiredString("reason");
  reader.Finish();
  if (!services.erase) throw HttpError::Unavailable("erasure is not available in this process");
  const auto result = services.erase(id, reason, CommandContextOf(context));
  return VersionedResponse(http::status::ok, result, result.value("version", std::int64_t{0}));
}

// The converter's result: {"markdown": ..., "converter": ...} or a failure
// {"error_type": ..., "message": ...}.
Response RecordConversion(ApiServices& services, const RequestContext& context) {
  const auto id = UuidParam(context, "id", "document");
  const auto body = JsonBody(context);
  BodyReader reader(body);
  const auto markdown = reader.OptionalString("markdown");
  const auto converter = reader.OptionalString("converter").value_or("");
  const auto error_type = reader.OptionalString("error_type");
  const auto message = reader.OptionalString("message").value_or("");
  reader.Finish();
  if (markdown.has_value() == error_type.has_value()) {
    throw domain::ValidationError("/markdown", "give markdown (a conversion) or error_type and message (a failure)");
  }
  const auto outcome =
      markdown ? services.commands.Execute(domain::ConvertDocument{id, *markdown, converter},
                                           CommandContextOf(context))
               : services.commands.Execute(domain::FailConversion{id, *error_type, message},
                                           CommandContextOf(context));
  auto json = OutcomeJson(outcome, "document_id");
  json["status"] = markdown ? "converted" : "conversion_failed";
  return VersionedResponse(http::status::ok, json, outcome.version);
}

Response GetSemanticIr(ApiServices& services, const RequestContext& context) {
  const auto id = UuidParam(context, "id", "document");
  auto type = context.QueryParam("type");
  if (type && *type != "formula" && *type != "definition" && *type != "table" &&
      *type != "cross_reference") {
    throw HttpError::BadRequest("type must be formula, definition, table or cross_reference");
  }
  return ServeRead(services, context, "semantic_ir", [&](ReadEndpoint& db) {
    // Position first, then the rows (see ServeList).
    const std::string etag = PageEtag("semantic_ir", db.reads.positions.Position("semantic_ir"));
    if (auto not_modified = NotModified(context, etag)) return std::move(*not_modified);
    const auto items = db.reads.semantic_ir.OfDocument(id, type);
    if (!items) throw HttpError::NotFound("no such document: " + id);
    auto response = JsonResponse(http::status::ok, {{"document_id", id}, {"items", *items}});
    response.set(http::field::etag, etag);
    return response;
  });
}

}  // namespace

void AddDocumentRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::post, "/api/v1/documents", Role::kWrite,
             [&services](const RequestContext& context) { return UploadDocument(services, context); });
  router.Add(http::verb::get, "/api/v1/documents", Role::kRead,
             [&services](const RequestContext& context) { return ListDocuments(services, context); });
  router.Add(http::verb::get, "/api/v1/documents/{id}", Role::kRead,
             [&services](const RequestContext& context) { return GetDocument(services, context); });
  router.Add(http::verb::get, "/api/v1/documents/{id}/content", Role::kRead,
             [&services](const RequestContext& context) { return GetDocumentContent(services, context); });
  router.Add(http::verb::delete_, "/api/v1/documents/{id}", Role::kWrite,
             [&services](const RequestContext& context) { return DeleteDocument(services, context); });
  router.Add(http::verb::post, "/api/v1/documents/{id}/erase", Role::kAdmin,
             [&services](const RequestContext& context) { return EraseDocument(services, context); });
  router.Add(http::verb::post, "/api/v1/documents/{id}/conversion", Role::kWrite,
             [&services](const RequestContext& context) { return RecordConversion(services, context); });
  router.Add(http::verb::get, "/api/v1/documents/{id}/semantic-ir", Role::kRead,
             [&services](const RequestContext& context) { return GetSemanticIr(services, context); });
}

}  // namespace docledger::api
