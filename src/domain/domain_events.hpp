// The events of the document-intelligence pipeline, as plain values: one struct per event
// type, one variant for all. Encode turns one into the NewEvent the store appends (type,
// schema_version, payload); Decode reads a recorded event back, upcasting old schema
// versions first (event_catalog.hpp), and throws DecodeError when the payload does not fit.
// Dispatch over a decoded event with std::visit and the overload sets of event_visit.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/event.hpp"
#include "domain/event_declaration.hpp"
#include "domain/event_visit.hpp"
#include "domain/semantic_ir.hpp"

namespace docledger::domain {

// Each event is declared once, here: its members, its type name and schema version
// (kType), its JSON mapping and schema (kFields) and, when its schema changed, its older
// versions (event_declaration.hpp says how to read them). DomainEvent below is the one list
// of types: decoding, encoding, the type names and the catalogue (event_catalog.hpp) are
// made from it. Keys are written in the JSON's own (alphabetical) order.

struct ProjectCreated {
  static constexpr EventTypeDecl kType{"ProjectCreated", 1, "A project with its JSON Schema and entity types."};
  std::string project_id;
  std::string name;
  std::string description;
  nlohmann::json json_schema = nlohmann::json::object();
  std::vector<std::string> entity_types;
  static constexpr auto kFields = std::tuple{
      Required("project_id", &ProjectCreated::project_id, schema::kUuid),
      Required("name", &ProjectCreated::name, schema::kName),
      Optional("description", &ProjectCreated::description, schema::kText),
      Expected("json_schema", &ProjectCreated::json_schema, schema::kObject),
      Required("entity_types", &ProjectCreated::entity_types, schema::kNames)};
};

// Only the fields that changed are set. schema_revision is the revision after the event
// (it counts changes of json_schema or entity_types; 1 at creation).
struct ProjectUpdated {
  static constexpr EventTypeDecl kType{"ProjectUpdated", 1,
                                       "Changed fields of a project; forced when extractions existed."};
  std::string project_id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<nlohmann::json> json_schema;
  std::optional<std::vector<std::string>> entity_types;
  std::int64_t schema_revision = 1;
  bool forced = false;  // a schema change made while extractions existed (?force=true)
  static constexpr auto kFields = std::tuple{
      Required("project_id", &ProjectUpdated::project_id, schema::kUuid),
      Optional("name", &ProjectUpdated::name, schema::kName),
      Optional("description", &ProjectUpdated::description, schema::kText),
      Optional("json_schema", &ProjectUpdated::json_schema, schema::kObject),
      Optional("entity_types", &ProjectUpdated::entity_types, schema::kNames),
      Required("schema_revision", &ProjectUpdated::schema_revision, schema::kPositive),
      Optional("forced", &ProjectUpdated::forced, schema::kBoolean)};
};

struct ProjectDeleted {
  static constexpr EventTypeDecl kType{"ProjectDeleted", 1, "A project was deleted."};
  std::string project_id;
  static constexpr auto kFields = std::tuple{Required("project_id", &ProjectDeleted::project_id, schema::kUuid)};
};

// The project's first extraction. From here on its schema and entity types change only
// when forced. Appended to the project's stream with the version the extraction was
// validated against, so a concurrent schema change and a first extraction cannot both win.
struct ProjectExtractionsStarted {
  static constexpr EventTypeDecl kType{"ProjectExtractionsStarted", 1,
                                       "The project's first extraction: its schema changes need force from now on."};
  std::string project_id;
  std::string extraction_id;
  static constexpr auto kFields = std::tuple{
      Required("project_id", &ProjectExtractionsStarted::project_id, schema::kUuid),
      Required("extraction_id", &ProjectExtractionsStarted::extraction_id, schema::kUuid)};
};

struct DocumentUploaded {
  static constexpr EventTypeDecl kType{
      "DocumentUploaded", 2, "A document's original file was registered (v1 carried \"content_hash\": \"sha256:<hex>\")."};
  std::string document_id;
  std::string project_id;
  std::string filename;
  std::string content_type;
  std::string sha256;  // lower-case hex of the original file
  std::int64_t size_bytes = 0;
  std::optional<std::string> source_url;
  nlohmann::json metadata = nlohmann::json::object();
  static constexpr auto kFields = std::tuple{
      Required("document_id", &DocumentUploaded::document_id, schema::kUuid),
      Required("project_id", &DocumentUploaded::project_id, schema::kUuid),
      Required("filename", &DocumentUploaded::filename, schema::kText),
      Required("content_type", &DocumentUploaded::content_type, schema::kName),
      Required("sha256", &DocumentUploaded::sha256, schema::kSha256),
      Required("size_bytes", &DocumentUploaded::size_bytes, schema::kCount),
      Nullable("source_url", &DocumentUploaded::source_url, R"({"type":"string","maxLength":2048})"),
      Optional("metadata", &DocumentUploaded::metadata, schema::kObject)};

  // Version 1 carried "content_hash": "sha256:<hex>" where version 2 has "sha256": "<hex>".
  static nlohmann::json SchemaV1(nlohmann::json schema) {
    schema["properties"].erase("sha256");
    schema["properties"]["content_hash"] = nlohmann::json::parse(R"({"type":"string","pattern":"^sha256:[0-9a-f]{64}$"})");
    nlohmann::json required = nlohmann::json::array();
    for (const auto& key : schema["required"]) {
      if (key != "sha256") required.push_back(key);
    }
    required.push_back("content_hash");
    schema["required"] = std::move(required);
    return schema;
  }
  static nlohmann::json UpcastV1(nlohmann::json payload) {
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
  static constexpr OlderVersion kOlderVersions[] = {{1, &SchemaV1, &UpcastV1}};
};

struct DocumentConverted {
  static constexpr EventTypeDecl kType{"DocumentConverted", 1, "The document's Markdown conversion."};
  std::string document_id;
  std::string markdown;
  std::string converter;  // which worker/tool converted it ("" when not said)
  static constexpr auto kFields = std::tuple{
      Required("document_id", &DocumentConverted::document_id, schema::kUuid),
      Required("markdown", &DocumentConverted::markdown, schema::kString),
      Optional("converter", &DocumentConverted::converter, schema::kText)};
};

struct DocumentConversionFailed {
  static constexpr EventTypeDecl kType{"DocumentConversionFailed", 1, "A conversion attempt failed."};
  std::string document_id;
  std::string error_type;
  std::string message;
  static constexpr auto kFields = std::tuple{
      Required("document_id", &DocumentConversionFailed::document_id, schema::kUuid),
      Required("error_type", &DocumentConversionFailed::error_type, schema::kName),
      Optional("message", &DocumentConversionFailed::message, schema::kString)};
};

struct DocumentDeleted {
  static constexpr EventTypeDecl kType{"DocumentDeleted", 1, "The document was deleted (its semantic IR goes with it)."};
  std::string document_id;
  std::string reason;
  static constexpr auto kFields = std::tuple{Required("document_id", &DocumentDeleted::document_id, schema::kUuid),
                                             Optional("reason", &DocumentDeleted::reason, schema::kText)};
};

struct ExtractionRecorded {
  static constexpr EventTypeDecl kType{"ExtractionRecorded", 1,
                                       "Entity data extracted from a document, valid against its project's schema."};
  std::string extraction_id;
  std::string project_id;
  std::string document_id;
  std::string entity_type;
  nlohmann::json data;
  std::int64_t schema_revision = 1;  // the project's schema revision the data validated against
  static constexpr auto kFields = std::tuple{
      Required("extraction_id", &ExtractionRecorded::extraction_id, schema::kUuid),
      Required("project_id", &ExtractionRecorded::project_id, schema::kUuid),
      Required("document_id", &ExtractionRecorded::document_id, schema::kUuid),
      Required("entity_type", &ExtractionRecorded::entity_type, schema::kName),
      Required("data", &ExtractionRecorded::data, schema::kAny),
      Required("schema_revision", &ExtractionRecorded::schema_revision, schema::kPositive)};
};

struct JobStarted {
  static constexpr EventTypeDecl kType{"JobStarted", 1, "An external worker started a job."};
  std::string job_id;
  std::string kind;  // conversion | extraction | embedding | crawl
  std::optional<std::string> document_id;
  std::optional<std::string> project_id;
  std::string worker;
  nlohmann::json input = nlohmann::json::object();
  static constexpr auto kFields = std::tuple{
      Required("job_id", &JobStarted::job_id, schema::kUuid),
      Required("kind", &JobStarted::kind, R"({"enum":["conversion","extraction","embedding","crawl"]})"),
      Nullable("document_id", &JobStarted::document_id, schema::kUuid),
      Nullable("project_id", &JobStarted::project_id, schema::kUuid),
      Optional("worker", &JobStarted::worker, schema::kText),
      Optional("input", &JobStarted::input, schema::kObject)};
};

struct JobCompleted {
  static constexpr EventTypeDecl kType{"JobCompleted", 1, "A job finished."};
  std::string job_id;
  nlohmann::json result = nlohmann::json::object();
  static constexpr auto kFields = std::tuple{Required("job_id", &JobCompleted::job_id, schema::kUuid),
                                             Optional("result", &JobCompleted::result, schema::kObject)};
};

struct JobFailed {
  static constexpr EventTypeDecl kType{"JobFailed", 1, "A job failed with an error type and message."};
  std::string job_id;
  std::string error_type;
  std::string message;
  static constexpr auto kFields = std::tuple{Required("job_id", &JobFailed::job_id, schema::kUuid),
                                             Required("error_type", &JobFailed::error_type, schema::kName),
                                             Optional("message", &JobFailed::message, schema::kString)};
};

// Appended by the semantic analyzer reactor for each DocumentConverted (stream
// "semantic-ir-<document_id>"); replaces the document's earlier items.
struct SemanticIRExtracted {
  static constexpr EventTypeDecl kType{"SemanticIRExtracted", 1,
                                       "The semantic analyzer's items for one conversion of a document."};
  std::string document_id;
  std::string source_event_id;  // the DocumentConverted it was computed from
  std::vector<SemanticItem> items;
  static constexpr auto kFields = std::tuple{
      Required("document_id", &SemanticIRExtracted::document_id, schema::kUuid),
      Required("source_event_id", &SemanticIRExtracted::source_event_id, schema::kUuid),
      Required("items", &SemanticIRExtracted::items, R"({"type":"array","items":{"type":"object","required":["ir_type"],
        "properties":{"ir_type":{"enum":["formula","definition","table","cross_reference"]},
        "name":{"type":"string"},"expression":{"type":"string"},"variables":{"type":"array","items":{"type":"string"}},
        "term":{"type":"string"},"definition":{"type":"string"},"context":{"type":"string"},
        "row_count":{"type":"integer","minimum":0},"column_count":{"type":"integer","minimum":0},
        "target":{"type":"string"},"reference_type":{"type":"string"},"location":{"type":"string"},
        "metadata":{"type":"object"}}}})")};
};

// Appended by `docledger recover` (stream "extraction-<id>") for an extraction whose
// document is deleted: the extraction is resolved (kept, marked orphaned).
struct ExtractionOrphaned {
  static constexpr EventTypeDecl kType{
      "ExtractionOrphaned", 1,
      "`docledger recover` resolved an extraction whose document is deleted (kept, marked orphaned)."};
  std::string extraction_id;
  std::string project_id;
  std::string document_id;
  std::string reason;
  static constexpr auto kFields = std::tuple{
      Required("extraction_id", &ExtractionOrphaned::extraction_id, schema::kUuid),
      Required("project_id", &ExtractionOrphaned::project_id, schema::kUuid),
      Required("document_id", &ExtractionOrphaned::document_id, schema::kUuid),
      Optional("reason", &ExtractionOrphaned::reason, schema::kText)};
};

// One run of `docledger recover` that resolved something (stream "recovery-<run id>").
struct RecoveryCompleted {
  static constexpr EventTypeDecl kType{"RecoveryCompleted", 1,
                                       "A `docledger recover` run that resolved orphans, with its counts."};
  std::string run_id;
  std::int64_t orphaned_extractions = 0;  // extractions marked orphaned by this run
  std::int64_t documents = 0;             // distinct deleted documents they pointed at
  static constexpr auto kFields = std::tuple{
      Required("run_id", &RecoveryCompleted::run_id, schema::kUuid),
      Required("orphaned_extractions", &RecoveryCompleted::orphaned_extractions, schema::kCount),
      Required("documents", &RecoveryCompleted::documents, schema::kCount)};
};

// Appended by the projector runtime when it parks a poison event (stream
// "projection-<projection>"), in the parking transaction, with an id derived from the
// projection and the parked event: the alerts projection raises projection_parked from it.
struct ProjectionParked {
  static constexpr EventTypeDecl kType{"ProjectionParked", 1,
                                       "The projector runtime parked a poison event of a projection."};
  std::string projection;
  std::int64_t sequence = 0;  // of the parked event
  std::string event_id;       // of the parked event
  std::string stream_id;      // of the parked event
  std::string error;          // "TypeName: message"
  static constexpr auto kFields = std::tuple{Required("projection", &ProjectionParked::projection, schema::kName),
                                             Required("sequence", &ProjectionParked::sequence, schema::kPositive),
                                             Required("event_id", &ProjectionParked::event_id, schema::kUuid),
                                             Required("stream_id", &ProjectionParked::stream_id, schema::kString),
                                             Expected("error", &ProjectionParked::error, schema::kString)};
};

// New bytes crawled from a document's source_url (the document's stream, id derived from
// project + source_url): the document's current revision. Its earlier conversion and
// semantic IR are superseded; the view shows it as uploaded again, to be converted.
struct DocumentRevised {
  static constexpr EventTypeDecl kType{
      "DocumentRevised", 1, "New bytes crawled from a document's source: its current revision (conversion superseded)."};
  std::string document_id;
  std::string project_id;
  std::string filename;
  std::string content_type;
  std::string sha256;  // lower-case hex of the new revision's file
  std::int64_t size_bytes = 0;
  std::string source_url;
  nlohmann::json metadata = nlohmann::json::object();
  std::int64_t revision = 2;  // the document's revision after the event (its upload was 1)
  static constexpr auto kFields = std::tuple{
      Required("document_id", &DocumentRevised::document_id, schema::kUuid),
      Required("project_id", &DocumentRevised::project_id, schema::kUuid),
      Required("filename", &DocumentRevised::filename, schema::kText),
      Required("content_type", &DocumentRevised::content_type, schema::kName),
      Required("sha256", &DocumentRevised::sha256, schema::kSha256),
      Required("size_bytes", &DocumentRevised::size_bytes, schema::kCount),
      Required("source_url", &DocumentRevised::source_url, R"({"type":"string","maxLength":2048})"),
      Required("metadata", &DocumentRevised::metadata, schema::kObject),
      Required("revision", &DocumentRevised::revision, R"({"type":"integer","minimum":2})")};
};

// The same bytes crawled again from a document's source_url with another filename,
// content type or metadata: the document's description as the crawl gave it.
struct DocumentMetadataUpdated {
  static constexpr EventTypeDecl kType{
      "DocumentMetadataUpdated", 1, "The same bytes crawled again with another filename, content type or metadata."};
  std::string document_id;
  std::string filename;
  std::string content_type;
  nlohmann::json metadata = nlohmann::json::object();
  static constexpr auto kFields = std::tuple{
      Required("document_id", &DocumentMetadataUpdated::document_id, schema::kUuid),
      Required("filename", &DocumentMetadataUpdated::filename, schema::kText),
      Required("content_type", &DocumentMetadataUpdated::content_type, schema::kName),
      Required("metadata", &DocumentMetadataUpdated::metadata, schema::kObject)};
};

// The document's content was erased for good (docs/erasure.md): its data key was destroyed
// in the transaction that appended this event, so the sealed fields of its events can never
// be read again; its stored bytes and read-model content are removed. Carries no content.
struct DocumentErased {
  static constexpr EventTypeDecl kType{
      "DocumentErased", 1, "A document's content was erased for good (its data key destroyed); who, why, what was left."};
  std::string document_id;
  std::string reason;
  std::string erased_by;              // the API key name or operator that asked
  std::int64_t unshredded_events = 0;  // its events written before sealing: their content stays in the log
  static constexpr auto kFields = std::tuple{
      Required("document_id", &DocumentErased::document_id, schema::kUuid),
      Required("reason", &DocumentErased::reason, schema::kText),
      Optional("erased_by", &DocumentErased::erased_by, schema::kText),
      Required("unshredded_events", &DocumentErased::unshredded_events, schema::kCount)};
};

// Outbound subscriptions (docs/subscriptions.md), stream "subscription-<id>": a cursor over
// the log whose events are POSTed, signed, to `url`. Their configuration is these events;
// the delivery cursor is the delivery worker's own state (subscription_cursors), not an event.
struct SubscriptionCreated {
  static constexpr EventTypeDecl kType{"SubscriptionCreated", 1,
                                       "An outbound subscription: where to POST which events, from which sequence."};
  std::string subscription_id;
  std::string url;
  std::vector<std::string> event_types;  // empty: all
  std::string stream_prefix;             // empty: all streams
  std::int64_t start_after = 0;          // delivery starts after this sequence
  std::int64_t max_batch = 100;
  std::string description;
  static constexpr auto kFields = std::tuple{
      Required("subscription_id", &SubscriptionCreated::subscription_id, schema::kUuid),
      Required("url", &SubscriptionCreated::url, schema::kText),
      Expected("event_types", &SubscriptionCreated::event_types, schema::kNames),
      Optional("stream_prefix", &SubscriptionCreated::stream_prefix, schema::kText),
      Required("start_after", &SubscriptionCreated::start_after, schema::kCount),
      Required("max_batch", &SubscriptionCreated::max_batch, schema::kPositive),
      Optional("description", &SubscriptionCreated::description, schema::kText)};
};

// Only the fields that changed are set.
struct SubscriptionUpdated {
  static constexpr EventTypeDecl kType{"SubscriptionUpdated", 1, "Changed target or filters of a subscription."};
  std::string subscription_id;
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> stream_prefix;
  std::optional<std::int64_t> max_batch;
  std::optional<std::string> description;
  static constexpr auto kFields = std::tuple{
      Required("subscription_id", &SubscriptionUpdated::subscription_id, schema::kUuid),
      Optional("url", &SubscriptionUpdated::url, schema::kText),
      Optional("event_types", &SubscriptionUpdated::event_types, schema::kNames),
      Optional("stream_prefix", &SubscriptionUpdated::stream_prefix, schema::kText),
      Optional("max_batch", &SubscriptionUpdated::max_batch, schema::kPositive),
      Optional("description", &SubscriptionUpdated::description, schema::kText)};
};

struct SubscriptionPaused {
  static constexpr EventTypeDecl kType{"SubscriptionPaused", 1, "Deliveries of a subscription were paused."};
  std::string subscription_id;
  std::string reason;
  static constexpr auto kFields =
      std::tuple{Required("subscription_id", &SubscriptionPaused::subscription_id, schema::kUuid),
                 Optional("reason", &SubscriptionPaused::reason, schema::kText)};
};

// Deliveries start again from the first undelivered event (failures forgotten).
struct SubscriptionResumed {
  static constexpr EventTypeDecl kType{"SubscriptionResumed", 1,
                                       "A paused or failing subscription delivers again, from its cursor."};
  std::string subscription_id;
  static constexpr auto kFields =
      std::tuple{Required("subscription_id", &SubscriptionResumed::subscription_id, schema::kUuid)};
};

// Appended by the delivery worker when deliveries kept failing: deliveries stop until a
// resume; the alerts projection raises subscription_failing.
struct SubscriptionFailing {
  static constexpr EventTypeDecl kType{"SubscriptionFailing", 1,
                                       "Deliveries of a subscription kept failing; they stop until resumed."};
  std::string subscription_id;
  std::int64_t failures = 0;         // consecutive failed attempts
  std::int64_t cursor = 0;           // the last delivered sequence
  std::string last_error;
  static constexpr auto kFields =
      std::tuple{Required("subscription_id", &SubscriptionFailing::subscription_id, schema::kUuid),
                 Required("failures", &SubscriptionFailing::failures, schema::kCount),
                 Required("cursor", &SubscriptionFailing::cursor, schema::kCount),
                 Expected("last_error", &SubscriptionFailing::last_error, schema::kString)};
};

// The cursor goes back (or forward) to `after`: events after it are delivered (again).
struct SubscriptionRewound {
  static constexpr EventTypeDecl kType{"SubscriptionRewound", 1,
                                       "A subscription's cursor was moved: delivery goes on after `after`."};
  std::string subscription_id;
  std::int64_t after = 0;
  static constexpr auto kFields =
      std::tuple{Required("subscription_id", &SubscriptionRewound::subscription_id, schema::kUuid),
                 Required("after", &SubscriptionRewound::after, schema::kCount)};
};

// A new signing secret (the secret itself is never in the log); the previous one keeps
// signing too until `previous_valid_until`.
struct SubscriptionSecretRotated {
  static constexpr EventTypeDecl kType{"SubscriptionSecretRotated", 1,
                                       "A subscription got a new signing secret; the old one signs too for a while."};
  std::string subscription_id;
  std::int64_t secret_version = 1;
  std::string previous_valid_until;  // RFC 3339
  static constexpr auto kFields = std::tuple{
      Required("subscription_id", &SubscriptionSecretRotated::subscription_id, schema::kUuid),
      Required("secret_version", &SubscriptionSecretRotated::secret_version, schema::kPositive),
      Required("previous_valid_until", &SubscriptionSecretRotated::previous_valid_until, schema::kString)};
};

struct SubscriptionDeleted {
  static constexpr EventTypeDecl kType{"SubscriptionDeleted", 1, "A subscription was deleted; deliveries stop."};
  std::string subscription_id;
  static constexpr auto kFields =
      std::tuple{Required("subscription_id", &SubscriptionDeleted::subscription_id, schema::kUuid)};
};

// The one list of event types, in catalogue order. A new type added here must be declared
// as above, and every std::visit over DomainEvent (projections, reactors) then fails to
// compile until it handles or ignores the new type (event_visit.hpp).
using DomainEvent =
    std::variant<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted,
                 DocumentUploaded, DocumentConverted, DocumentConversionFailed, DocumentDeleted,
                 ExtractionRecorded, JobStarted, JobCompleted, JobFailed, SemanticIRExtracted,
                 ExtractionOrphaned, RecoveryCompleted, ProjectionParked, DocumentRevised,
                 DocumentMetadataUpdated, DocumentErased, SubscriptionCreated, SubscriptionUpdated,
                 SubscriptionPaused, SubscriptionResumed, SubscriptionFailing, SubscriptionRewound,
                 SubscriptionSecretRotated, SubscriptionDeleted>;

// For the visits that have nothing to do with subscriptions.
using IgnoreSubscriptionEvents =
    Ignore<SubscriptionCreated, SubscriptionUpdated, SubscriptionPaused, SubscriptionResumed, SubscriptionFailing,
           SubscriptionRewound, SubscriptionSecretRotated, SubscriptionDeleted>;

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
// "semantic-ir-<document id>", "recovery-<run id>", "projection-<name>",
// "subscription-<id>".
std::string ProjectStream(const std::string& project_id);
std::string DocumentStream(const std::string& document_id);
std::string JobStream(const std::string& job_id);
std::string ExtractionStream(const std::string& extraction_id);
std::string SemanticIrStream(const std::string& document_id);
std::string RecoveryStream(const std::string& run_id);
std::string ProjectionStream(const std::string& projection);
std::string SubscriptionStream(const std::string& subscription_id);

}  // namespace docledger::domain
