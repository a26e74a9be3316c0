// The events of the document-intelligence pipeline, as plain values: one struct per event
// type, one variant for all. Encode turns one into the NewEvent the store appends (type,
// schema_version, payload); Decode reads a recorded event back, upcasting old schema
// versions first (event_catalog.hpp), and throws DecodeError when the payload does not fit.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/event.hpp"
#include "domain/semantic_ir.hpp"

namespace docledger::domain {

struct ProjectCreated {
  std::string project_id;
  std::string name;
  std::string description;
  nlohmann::json json_schema = nlohmann::json::object();
  std::vector<std::string> entity_types;
};

// Only the fields that changed are set. schema_revision is the revision after the event
// (it counts changes of json_schema or entity_types; 1 at creation).
struct ProjectUpdated {
  std::string project_id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<nlohmann::json> json_schema;
  std::optional<std::vector<std::string>> entity_types;
  std::int64_t schema_revision = 1;
  bool forced = false;  // a schema change made while extractions existed (?force=true)
};

struct ProjectDeleted {
  std::string project_id;
};

// The project's first extraction. From here on its schema and entity types change only
// when forced. Appended to the project's stream with the version the extraction was
// validated against, so a concurrent schema change and a first extraction cannot both win.
struct ProjectExtractionsStarted {
  std::string project_id;
  std::string extraction_id;
};

struct DocumentUploaded {
  std::string document_id;
  std::string project_id;
  std::string filename;
  std::string content_type;
  std::string sha256;  // lower-case hex of the original file
  std::int64_t size_bytes = 0;
  std::optional<std::string> source_url;
  nlohmann::json metadata = nlohmann::json::object();
};

struct DocumentConverted {
  std::string document_id;
  std::string markdown;
  std::string converter;  // which worker/tool converted it ("" when not said)
};

struct DocumentConversionFailed {
  std::string document_id;
  std::string error_type;
  std::string message;
};

struct DocumentDeleted {
  std::string document_id;
  std::string reason;
};

struct ExtractionRecorded {
  std::string extraction_id;
  std::string project_id;
  std::string document_id;
  std::string entity_type;
  nlohmann::json data;
  std::int64_t schema_revision = 1;  // the project's schema revision the data validated against
};

struct JobStarted {
  std::string job_id;
  std::string kind;  // conversion | extraction | embedding | crawl
  std::optional<std::string> document_id;
  std::optional<std::string> project_id;
  std::string worker;
  nlohmann::json input = nlohmann::json::object();
};

struct JobCompleted {
  std::string job_id;
  nlohmann::json result = nlohmann::json::object();
};

struct JobFailed {
  std::string job_id;
  std::string error_type;
  std::string message;
};

// Appended by the semantic analyzer reactor for each DocumentConverted (stream
// "semantic-ir-<document_id>"); replaces the document's earlier items.
struct SemanticIRExtracted {
  std::string document_id;
  std::string source_event_id;  // the DocumentConverted it was computed from
  std::vector<SemanticItem> items;
};

// Appended by `docledger recover` (stream "extraction-<id>") for an extraction whose
// document is deleted: the extraction is resolved (kept, marked orphaned).
struct ExtractionOrphaned {
  std::string extraction_id;
  std::string project_id;
  std::string document_id;
  std::string reason;
};

// One run of `docledger recover` that resolved something (stream "recovery-<run id>").
struct RecoveryCompleted {
  std::string run_id;
  std::int64_t orphaned_extractions = 0;  // extractions marked orphaned by this run
  std::int64_t documents = 0;             // distinct deleted documents they pointed at
};

// Appended by the projector runtime when it parks a poison event (stream
// "projection-<projection>"), in the parking transaction, with an id derived from the
// projection and the parked event: the alerts projection raises projection_parked from it.
struct ProjectionParked {
  std::string projection;
  std::int64_t sequence = 0;  // of the parked event
  std::string event_id;       // of the parked event
  std::string stream_id;      // of the parked event
  std::string error;          // "TypeName: message"
};

using DomainEvent =
    std::variant<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted,
                 DocumentUploaded, DocumentConverted, DocumentConversionFailed, DocumentDeleted,
                 ExtractionRecorded, JobStarted, JobCompleted, JobFailed, SemanticIRExtracted,
                 ExtractionOrphaned, RecoveryCompleted, ProjectionParked>;

// A recorded event whose payload does not fit its type (or whose type is not ours).
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Type name as stored in events.event_type, e.g. "DocumentUploaded".
std::string EventTypeOf(const DomainEvent& event);

// The event as the store appends it, at the current schema version. `event_id` may be ""
// (the store assigns one); `metadata` is a JSON object.
NewEvent Encode(const DomainEvent& event, std::string event_id = "",
                const nlohmann::json& metadata = nlohmann::json::object());

// A recorded event as a value, upcast to the current schema version first.
DomainEvent Decode(const RecordedEvent& event);
DomainEvent Decode(const std::string& event_type, int schema_version, const nlohmann::json& payload);

// Whether the log's event type is one of the domain's (Decode can read it).
bool IsDomainEventType(const std::string& event_type);

// Streams: "project-<id>", "document-<id>", "job-<id>", "extraction-<id>",
// "semantic-ir-<document id>", "recovery-<run id>", "projection-<name>".
std::string ProjectStream(const std::string& project_id);
std::string DocumentStream(const std::string& document_id);
std::string JobStream(const std::string& job_id);
std::string ExtractionStream(const std::string& extraction_id);
std::string SemanticIrStream(const std::string& document_id);
std::string RecoveryStream(const std::string& run_id);
std::string ProjectionStream(const std::string& projection);

}  // namespace docledger::domain
