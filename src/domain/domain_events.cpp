#include "domain/domain_events.hpp"

#include "domain/event_catalog.hpp"

namespace docledger::domain {
namespace {

using nlohmann::json;

// Typed field readers: a missing or mistyped field is a DecodeError naming the field.
const json& Field(const json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end()) throw DecodeError(std::string("payload lacks \"") + name + "\"");
  return *it;
}

std::string String(const json& payload, const char* name) {
  const auto& value = Field(payload, name);
  if (!value.is_string()) throw DecodeError(std::string("\"") + name + "\" is not a string");
  return value.get<std::string>();
}

std::string StringOr(const json& payload, const char* name, std::string fallback = "") {
  auto it = payload.find(name);
  if (it == payload.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw DecodeError(std::string("\"") + name + "\" is not a string");
  return it->get<std::string>();
}

std::optional<std::string> OptionalString(const json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw DecodeError(std::string("\"") + name + "\" is not a string");
  return it->get<std::string>();
}

std::int64_t Integer(const json& payload, const char* name) {
  const auto& value = Field(payload, name);
  if (!value.is_number_integer()) throw DecodeError(std::string("\"") + name + "\" is not an integer");
  return value.get<std::int64_t>();
}

json Object(const json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end() || it->is_null()) return json::object();
  if (!it->is_object()) throw DecodeError(std::string("\"") + name + "\" is not an object");
  return *it;
}

std::vector<std::string> Strings(const json& value, const char* name) {
  if (!value.is_array()) throw DecodeError(std::string("\"") + name + "\" is not an array");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) throw DecodeError(std::string("\"") + name + "\" holds a non-string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

void PutOptional(json& payload, const char* name, const std::optional<std::string>& value) {
  payload[name] = value ? json(*value) : json(nullptr);
}

struct Encoder {
  json operator()(const ProjectCreated& e) const {
    return {{"project_id", e.project_id}, {"name", e.name}, {"description", e.description},
            {"json_schema", e.json_schema}, {"entity_types", e.entity_types}};
  }
  json operator()(const ProjectUpdated& e) const {
    json payload = {{"project_id", e.project_id}, {"schema_revision", e.schema_revision}, {"forced", e.forced}};
    if (e.name) payload["name"] = *e.name;
    if (e.description) payload["description"] = *e.description;
    if (e.json_schema) payload["json_schema"] = *e.json_schema;
    if (e.entity_types) payload["entity_types"] = *e.entity_types;
    return payload;
  }
  json operator()(const ProjectDeleted& e) const { return {{"project_id", e.project_id}}; }
  json operator()(const ProjectExtractionsStarted& e) const {
    return {{"project_id", e.project_id}, {"extraction_id", e.extraction_id}};
  }
  json operator()(const DocumentUploaded& e) const {
    json payload = {{"document_id", e.document_id}, {"project_id", e.project_id}, {"filename", e.filename},
                    {"content_type", e.content_type}, {"sha256", e.sha256}, {"size_bytes", e.size_bytes},
                    {"metadata", e.metadata}};
    PutOptional(payload, "source_url", e.source_url);
    return payload;
  }
  json operator()(const DocumentConverted& e) const {
    return {{"document_id", e.document_id}, {"markdown", e.markdown}, {"converter", e.converter}};
  }
  json operator()(const DocumentConversionFailed& e) const {
    return {{"document_id", e.document_id}, {"error_type", e.error_type}, {"message", e.message}};
  }
  json operator()(const DocumentDeleted& e) const {
    return {{"document_id", e.document_id}, {"reason", e.reason}};
  }
  json operator()(const ExtractionRecorded& e) const {
    return {{"extraction_id", e.extraction_id}, {"project_id", e.project_id}, {"document_id", e.document_id},
            {"entity_type", e.entity_type},     {"data", e.data},             {"schema_revision", e.schema_revision}};
  }
  json operator()(const JobStarted& e) const {
    json payload = {{"job_id", e.job_id}, {"kind", e.kind}, {"worker", e.worker}, {"input", e.input}};
    PutOptional(payload, "document_id", e.document_id);
    PutOptional(payload, "project_id", e.project_id);
    return payload;
  }
  json operator()(const JobCompleted& e) const { return {{"job_id", e.job_id}, {"result", e.result}}; }
  json operator()(const JobFailed& e) const {
    return {{"job_id", e.job_id}, {"error_type", e.error_type}, {"message", e.message}};
  }
  json operator()(const SemanticIRExtracted& e) const {
    json items = json::array();
    for (const auto& item : e.items) items.push_back(ToJson(item));
    return {{"document_id", e.document_id}, {"source_event_id", e.source_event_id}, {"items", std::move(items)}};
  }
  json operator()(const ExtractionOrphaned& e) const {
    return {{"extraction_id", e.extraction_id}, {"project_id", e.project_id}, {"document_id", e.document_id},
            {"reason", e.reason}};
  }
  json operator()(const RecoveryCompleted& e) const {
    return {{"run_id", e.run_id}, {"orphaned_extractions", e.orphaned_extractions}, {"documents", e.documents}};
  }
  json operator()(const ProjectionParked& e) const {
    return {{"projection", e.projection}, {"sequence", e.sequence}, {"event_id", e.event_id},
            {"stream_id", e.stream_id},   {"error", e.error}};
  }
};

struct TypeNamer {
  const char* operator()(const ProjectCreated&) const { return "ProjectCreated"; }
  const char* operator()(const ProjectUpdated&) const { return "ProjectUpdated"; }
  const char* operator()(const ProjectDeleted&) const { return "ProjectDeleted"; }
  const char* operator()(const ProjectExtractionsStarted&) const { return "ProjectExtractionsStarted"; }
  const char* operator()(const DocumentUploaded&) const { return "DocumentUploaded"; }
  const char* operator()(const DocumentConverted&) const { return "DocumentConverted"; }
  const char* operator()(const DocumentConversionFailed&) const { return "DocumentConversionFailed"; }
  const char* operator()(const DocumentDeleted&) const { return "DocumentDeleted"; }
  const char* operator()(const ExtractionRecorded&) const { return "ExtractionRecorded"; }
  const char* operator()(const JobStarted&) const { return "JobStarted"; }
  const char* operator()(const JobCompleted&) const { return "JobCompleted"; }
  const char* operator()(const JobFailed&) const { return "JobFailed"; }
  const char* operator()(const SemanticIRExtracted&) const { return "SemanticIRExtracted"; }
  const char* operator()(const ExtractionOrphaned&) const { return "ExtractionOrphaned"; }
  const char* operator()(const RecoveryCompleted&) const { return "RecoveryCompleted"; }
  const char* operator()(const ProjectionParked&) const { return "ProjectionParked"; }
};

DomainEvent DecodeCurrent(const std::string& type, const json& p) {
  if (!p.is_object()) throw DecodeError("payload is not a JSON object");
  if (type == "ProjectCreated") {
    return ProjectCreated{String(p, "project_id"), String(p, "name"), StringOr(p, "description"),
                          Object(p, "json_schema"), Strings(Field(p, "entity_types"), "entity_types")};
  }
  if (type == "ProjectUpdated") {
    ProjectUpdated e;
    e.project_id = String(p, "project_id");
    e.name = OptionalString(p, "name");
    e.description = OptionalString(p, "description");
    if (p.contains("json_schema")) e.json_schema = Object(p, "json_schema");
    if (p.contains("entity_types")) e.entity_types = Strings(p.at("entity_types"), "entity_types");
    e.schema_revision = Integer(p, "schema_revision");
    auto forced = p.find("forced");
    e.forced = forced != p.end() && forced->is_boolean() && forced->get<bool>();
    return e;
  }
  if (type == "ProjectDeleted") return ProjectDeleted{String(p, "project_id")};
  if (type == "ProjectExtractionsStarted") {
    return ProjectExtractionsStarted{String(p, "project_id"), String(p, "extraction_id")};
  }
  if (type == "DocumentUploaded") {
    return DocumentUploaded{String(p, "document_id"),  String(p, "project_id"), String(p, "filename"),
                            String(p, "content_type"), String(p, "sha256"),     Integer(p, "size_bytes"),
                            OptionalString(p, "source_url"), Object(p, "metadata")};
  }
  if (type == "DocumentConverted") {
    return DocumentConverted{String(p, "document_id"), String(p, "markdown"), StringOr(p, "converter")};
  }
  if (type == "DocumentConversionFailed") {
    return DocumentConversionFailed{String(p, "document_id"), String(p, "error_type"), StringOr(p, "message")};
  }
  if (type == "DocumentDeleted") return DocumentDeleted{String(p, "document_id"), StringOr(p, "reason")};
  if (type == "ExtractionRecorded") {
    return ExtractionRecorded{String(p, "extraction_id"), String(p, "project_id"), String(p, "document_id"),
                              String(p, "entity_type"),   Field(p, "data"),         Integer(p, "schema_revision")};
  }
  if (type == "JobStarted") {
    return JobStarted{String(p, "job_id"), String(p, "kind"), OptionalString(p, "document_id"),
                      OptionalString(p, "project_id"), StringOr(p, "worker"), Object(p, "input")};
  }
  if (type == "JobCompleted") return JobCompleted{String(p, "job_id"), Object(p, "result")};
  if (type == "JobFailed") return JobFailed{String(p, "job_id"), String(p, "error_type"), StringOr(p, "message")};
  if (type == "SemanticIRExtracted") {
    SemanticIRExtracted e{String(p, "document_id"), String(p, "source_event_id"), {}};
    const auto& items = Field(p, "items");
    if (!items.is_array()) throw DecodeError("\"items\" is not an array");
    e.items.reserve(items.size());
    try {
      for (const auto& item : items) e.items.push_back(SemanticItemFromJson(item));
    } catch (const json::exception& error) {
      throw DecodeError(std::string("an item does not fit: ") + error.what());
    }
    return e;
  }
  if (type == "ExtractionOrphaned") {
    return ExtractionOrphaned{String(p, "extraction_id"), String(p, "project_id"), String(p, "document_id"),
                              StringOr(p, "reason")};
  }
  if (type == "RecoveryCompleted") {
    return RecoveryCompleted{String(p, "run_id"), Integer(p, "orphaned_extractions"), Integer(p, "documents")};
  }
  if (type == "ProjectionParked") {
    return ProjectionParked{String(p, "projection"), Integer(p, "sequence"), String(p, "event_id"),
                            String(p, "stream_id"), StringOr(p, "error")};
  }
  throw DecodeError("unknown event type \"" + type + "\"");
}

}  // namespace

std::string EventTypeOf(const DomainEvent& event) { return std::visit(TypeNamer{}, event); }

NewEvent Encode(const DomainEvent& event, std::string event_id, const nlohmann::json& metadata) {
  NewEvent out;
  out.event_id = std::move(event_id);
  out.event_type = EventTypeOf(event);
  out.schema_version = FindEventType(out.event_type)->current_version;
  out.payload = std::visit(Encoder{}, event).dump();
  out.metadata = metadata.dump();
  return out;
}

DomainEvent Decode(const std::string& event_type, int schema_version, const nlohmann::json& payload) {
  return DecodeCurrent(event_type, UpcastPayload(event_type, schema_version, payload));
}

DomainEvent Decode(const RecordedEvent& event) {
  json payload;
  try {
    payload = json::parse(event.payload);
  } catch (const json::exception& error) {
    throw DecodeError(std::string("payload is not JSON: ") + error.what());
  }
  return Decode(event.event_type, event.schema_version, payload);
}

bool IsDomainEventType(const std::string& event_type) { return FindEventType(event_type) != nullptr; }

std::string ProjectStream(const std::string& project_id) { return "project-" + project_id; }
std::string DocumentStream(const std::string& document_id) { return "document-" + document_id; }
std::string JobStream(const std::string& job_id) { return "job-" + job_id; }
std::string ExtractionStream(const std::string& extraction_id) { return "extraction-" + extraction_id; }
std::string SemanticIrStream(const std::string& document_id) { return "semantic-ir-" + document_id; }
std::string RecoveryStream(const std::string& run_id) { return "recovery-" + run_id; }
std::string ProjectionStream(const std::string& projection) { return "projection-" + projection; }

}  // namespace docledger::domain
