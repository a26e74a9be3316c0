// What clients ask the pipeline to do. Plain values; ids are canonical UUIDs chosen by the
// caller (the application service) before deciding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace docledger::domain {

struct CreateProject {
  std::string project_id;
  std::string name;
  std::string description;
  nlohmann::json json_schema = nlohmann::json::object();
  std::vector<std::string> entity_types;
};

// Unset fields stay as they are.
struct UpdateProject {
  std::string project_id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<nlohmann::json> json_schema;
  std::optional<std::vector<std::string>> entity_types;
  bool force = false;  // ?force=true: allow a schema change while extractions exist
};

struct DeleteProject {
  std::string project_id;
};

struct UploadDocument {
  std::string document_id;
  std::string project_id;
  std::string filename;
  std::string content_type;
  std::string sha256;
  std::int64_t size_bytes = 0;
  std::optional<std::string> source_url;
  nlohmann::json metadata = nlohmann::json::object();
};

struct ConvertDocument {
  std::string document_id;
  std::string markdown;
  std::string converter;
};

struct FailConversion {
  std::string document_id;
  std::string error_type;
  std::string message;
};

struct DeleteDocument {
  std::string document_id;
  std::string reason;
};

// Erase a document's content for good (docs/erasure.md). `unshredded_events` is counted by
// the caller (events of the document written before sealing), `erased_by` is the actor.
struct EraseDocument {
  std::string document_id;
  std::string reason;
  std::string erased_by;
  std::int64_t unshredded_events = 0;
};

struct RecordExtraction {
  std::string extraction_id;
  std::string project_id;
  std::string document_id;
  std::string entity_type;
  nlohmann::json data;
};

struct StartJob {
  std::string job_id;
  std::string kind;
  std::optional<std::string> document_id;
  std::optional<std::string> project_id;
  std::string worker;
  nlohmann::json input = nlohmann::json::object();
};

struct CompleteJob {
  std::string job_id;
  nlohmann::json result = nlohmann::json::object();
};

struct FailJob {
  std::string job_id;
  std::string error_type;
  std::string message;
};

// `docledger recover`: resolve an extraction whose document is deleted.
struct OrphanExtraction {
  std::string extraction_id;
  std::string reason;
};

// The end of a recovery run that resolved something.
struct CompleteRecovery {
  std::string run_id;  // empty = assigned
  std::int64_t orphaned_extractions = 0;
  std::int64_t documents = 0;
};

// Outbound subscriptions (subscription.hpp). `start_after` is resolved by the caller
// ("now" = the head of the log when the request came).
struct CreateSubscription {
  std::string subscription_id;  // empty = assigned
  std::string url;
  std::vector<std::string> event_types;
  std::string stream_prefix;
  std::int64_t start_after = 0;
  std::int64_t max_batch = 100;
  std::string description;
};

// Unset fields stay as they are; `paused` true pauses, false resumes (also a failing one).
struct UpdateSubscription {
  std::string subscription_id;
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> stream_prefix;
  std::optional<std::int64_t> max_batch;
  std::optional<std::string> description;
  std::optional<bool> paused;
};

struct RewindSubscription {
  std::string subscription_id;
  std::int64_t after = 0;
};

struct MarkSubscriptionFailing {
  std::string subscription_id;
  std::int64_t failures = 0;
  std::int64_t cursor = 0;
  std::string last_error;
};

struct RotateSubscriptionSecret {
  std::string subscription_id;
  std::int64_t secret_version = 0;    // the new secret's (already stored) version
  std::string previous_valid_until;   // RFC 3339
};

struct DeleteSubscription {
  std::string subscription_id;
};

}  // namespace docledger::domain
