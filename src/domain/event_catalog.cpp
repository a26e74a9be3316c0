#include "domain/event_catalog.hpp"

#include "domain/domain_events.hpp"

namespace docledger::domain {
namespace {

using nlohmann::json;

// Shared pieces of the payload schemas.
const char* const kUuid = R"({"type":"string","pattern":"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"})";
const char* const kText = R"({"type":"string","maxLength":1024})";
const char* const kName = R"({"type":"string","minLength":1,"maxLength":200})";
const char* const kSha256 = R"({"type":"string","pattern":"^[0-9a-f]{64}$"})";

json Schema(std::initializer_list<std::pair<const char*, json>> properties,
            std::initializer_list<const char*> required) {
  json props = json::object();
  for (const auto& [name, schema] : properties) props[name] = schema;
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"type", "object"},
          {"properties", props},
          {"required", json(std::vector<std::string>(required.begin(), required.end()))},
          {"additionalProperties", false}};
}

json P(const char* text) { return json::parse(text); }

json Nullable(const char* text) { return {{"anyOf", {P(text), {{"type", "null"}}}}}; }

std::vector<EventTypeInfo> BuildCatalog() {
  const json strings = {{"type", "array"}, {"items", P(kName)}, {"maxItems", 1000}, {"uniqueItems", true}};
  const json object = {{"type", "object"}};
  const json item = P(R"({"type":"object","required":["ir_type"],"properties":{
      "ir_type":{"enum":["formula","definition","table","cross_reference"]},
      "name":{"type":"string"},"expression":{"type":"string"},"variables":{"type":"array","items":{"type":"string"}},
      "term":{"type":"string"},"definition":{"type":"string"},"context":{"type":"string"},
      "row_count":{"type":"integer","minimum":0},"column_count":{"type":"integer","minimum":0},
      "target":{"type":"string"},"reference_type":{"type":"string"},"location":{"type":"string"},
      "metadata":{"type":"object"}}})");

  std::vector<EventTypeInfo> catalog;
  catalog.push_back({"ProjectCreated", 1, "A project with its JSON Schema and entity types.",
                     {{1, Schema({{"project_id", P(kUuid)}, {"name", P(kName)}, {"description", P(kText)},
                                  {"json_schema", object}, {"entity_types", strings}},
                                 {"project_id", "name", "json_schema", "entity_types"})}}});
  catalog.push_back({"ProjectUpdated", 1, "Changed fields of a project; forced when extractions existed.",
                     {{1, Schema({{"project_id", P(kUuid)}, {"name", P(kName)}, {"description", P(kText)},
                                  {"json_schema", object}, {"entity_types", strings},
                                  {"schema_revision", {{"type", "integer"}, {"minimum", 1}}},
                                  {"forced", {{"type", "boolean"}}}},
                                 {"project_id", "schema_revision"})}}});
  catalog.push_back({"ProjectDeleted", 1, "A project was deleted.",
                     {{1, Schema({{"project_id", P(kUuid)}}, {"project_id"})}}});
  catalog.push_back({"ProjectExtractionsStarted", 1,
                     "The project's first extraction: its schema changes need force from now on.",
                     {{1, Schema({{"project_id", P(kUuid)}, {"extraction_id", P(kUuid)}},
                                 {"project_id", "extraction_id"})}}});
  const auto uploaded = [&](bool v1) {
    json properties = {{"document_id", P(kUuid)},  {"project_id", P(kUuid)},
                       {"filename", P(kText)},     {"content_type", P(kName)},
                       {"size_bytes", {{"type", "integer"}, {"minimum", 0}}},
                       {"source_url", Nullable(R"({"type":"string","maxLength":2048})")},
                       {"metadata", object}};
    std::vector<std::string> required = {"document_id", "project_id", "filename", "content_type", "size_bytes"};
    if (v1) {
      properties["content_hash"] = P(R"({"type":"string","pattern":"^sha256:[0-9a-f]{64}$"})");
      required.push_back("content_hash");
    } else {
      properties["sha256"] = P(kSha256);
      required.push_back("sha256");
    }
    return json{{"$schema", "http://json-schema.org/draft-07/schema#"}, {"type", "object"},
                {"properties", properties}, {"required", required}, {"additionalProperties", false}};
  };
  catalog.push_back({"DocumentUploaded", 2,
                     "A document's original file was registered (v1 carried \"content_hash\": \"sha256:<hex>\").",
                     {{1, uploaded(true)}, {2, uploaded(false)}}});
  catalog.push_back({"DocumentConverted", 1, "The document's Markdown conversion.",
                     {{1, Schema({{"document_id", P(kUuid)}, {"markdown", {{"type", "string"}}},
                                  {"converter", P(kText)}},
                                 {"document_id", "markdown"})}}});
  catalog.push_back({"DocumentConversionFailed", 1, "A conversion attempt failed.",
                     {{1, Schema({{"document_id", P(kUuid)}, {"error_type", P(kName)}, {"message", {{"type", "string"}}}},
                                 {"document_id", "error_type"})}}});
  catalog.push_back({"DocumentDeleted", 1, "The document was deleted (its semantic IR goes with it).",
                     {{1, Schema({{"document_id", P(kUuid)}, {"reason", P(kText)}}, {"document_id"})}}});
  catalog.push_back({"ExtractionRecorded", 1, "Entity data extracted from a document, valid against its project's schema.",
                     {{1, Schema({{"extraction_id", P(kUuid)}, {"project_id", P(kUuid)}, {"document_id", P(kUuid)},
                                  {"entity_type", P(kName)}, {"data", json::object()},
                                  {"schema_revision", {{"type", "integer"}, {"minimum", 1}}}},
                                 {"extraction_id", "project_id", "document_id", "entity_type", "data", "schema_revision"})}}});
  catalog.push_back({"JobStarted", 1, "An external worker started a job.",
                     {{1, Schema({{"job_id", P(kUuid)},
                                  {"kind", {{"enum", {"conversion", "extraction", "embedding", "crawl"}}}},
                                  {"document_id", Nullable(kUuid)}, {"project_id", Nullable(kUuid)},
                                  {"worker", P(kText)}, {"input", object}},
                                 {"job_id", "kind"})}}});
  catalog.push_back({"JobCompleted", 1, "A job finished.",
                     {{1, Schema({{"job_id", P(kUuid)}, {"result", object}}, {"job_id"})}}});
  catalog.push_back({"JobFailed", 1, "A job failed with an error type and message.",
                     {{1, Schema({{"job_id", P(kUuid)}, {"error_type", P(kName)}, {"message", {{"type", "string"}}}},
                                 {"job_id", "error_type"})}}});
  catalog.push_back({"SemanticIRExtracted", 1, "The semantic analyzer's items for one conversion of a document.",
                     {{1, Schema({{"document_id", P(kUuid)}, {"source_event_id", P(kUuid)},
                                  {"items", {{"type", "array"}, {"items", item}}}},
                                 {"document_id", "source_event_id", "items"})}}});
  catalog.push_back({"ExtractionOrphaned", 1,
                     "`docledger recover` resolved an extraction whose document is deleted (kept, marked orphaned).",
                     {{1, Schema({{"extraction_id", P(kUuid)}, {"project_id", P(kUuid)}, {"document_id", P(kUuid)},
                                  {"reason", P(kText)}},
                                 {"extraction_id", "project_id", "document_id"})}}});
  catalog.push_back({"RecoveryCompleted", 1, "A `docledger recover` run that resolved orphans, with its counts.",
                     {{1, Schema({{"run_id", P(kUuid)},
                                  {"orphaned_extractions", {{"type", "integer"}, {"minimum", 0}}},
                                  {"documents", {{"type", "integer"}, {"minimum", 0}}}},
                                 {"run_id", "orphaned_extractions", "documents"})}}});
  catalog.push_back({"ProjectionParked", 1, "The projector runtime parked a poison event of a projection.",
                     {{1, Schema({{"projection", P(kName)}, {"sequence", {{"type", "integer"}, {"minimum", 1}}},
                                  {"event_id", P(kUuid)}, {"stream_id", {{"type", "string"}}},
                                  {"error", {{"type", "string"}}}},
                                 {"projection", "sequence", "event_id", "stream_id", "error"})}}});
  return catalog;
}

// DocumentUploaded v1 -> v2: "content_hash": "sha256:<hex>" became "sha256": "<hex>".
json UpcastDocumentUploadedV1(json payload) {
  if (!payload.is_object()) return payload;
  auto hash = payload.find("content_hash");
  if (hash != payload.end() && hash->is_string()) {
    std::string text = hash->get<std::string>();
    if (text.rfind("sha256:", 0) == 0) text.erase(0, 7);
    payload["sha256"] = text;
    payload.erase("content_hash");
  }
  return payload;
}

}  // namespace

const std::vector<EventTypeInfo>& EventCatalog() {
  static const std::vector<EventTypeInfo> catalog = BuildCatalog();
  return catalog;
}

const EventTypeInfo* FindEventType(std::string_view type) {
  for (const auto& info : EventCatalog()) {
    if (info.type == type) return &info;
  }
  return nullptr;
}

nlohmann::json UpcastPayload(const std::string& type, int from_version, nlohmann::json payload) {
  const auto* info = FindEventType(type);
  if (!info) throw DecodeError("unknown event type \"" + type + "\"");
  if (from_version < 1 || from_version > info->current_version) {
    throw DecodeError(type + " has no schema version " + std::to_string(from_version) + " (current is " +
                      std::to_string(info->current_version) + ")");
  }
  if (type == "DocumentUploaded" && from_version == 1) payload = UpcastDocumentUploadedV1(std::move(payload));
  return payload;
}

std::vector<ValidationIssue> CheckEvent(const SchemaValidator& validator, const std::string& type,
                                        int schema_version, const nlohmann::json& payload, const std::string& path) {
  const auto* info = FindEventType(type);
  if (!info) {
    std::string known;
    for (const auto& entry : EventCatalog()) known += (known.empty() ? "" : ", ") + entry.type;
    return {{path + "/event_type", "unknown event type \"" + type + "\"; known types: " + known}};
  }
  for (const auto& version : info->versions) {
    if (version.version != schema_version) continue;
    auto issues = validator.Validate(version.schema, payload);
    for (auto& issue : issues) issue.path = path + "/payload" + issue.path;
    return issues;
  }
  return {{path + "/schema_version", type + " has no schema version " + std::to_string(schema_version) +
                                         " (current is " + std::to_string(info->current_version) + ")"}};
}

}  // namespace docledger::domain
