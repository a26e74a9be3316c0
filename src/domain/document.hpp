// The document aggregate: state from its stream's events, and the decisions on it.
#pragma once

#include <vector>

#include "domain/commands.hpp"
#include "domain/domain_events.hpp"
#include "domain/project.hpp"

namespace docledger::domain {

enum class DocumentStatus { kNone, kUploaded, kConverted, kConversionFailed, kDeleted };

struct DocumentState {
  DocumentStatus status = DocumentStatus::kNone;
  std::string document_id;
  std::string project_id;
  std::string filename;
  std::string content_type;
  std::string sha256;  // of the current revision
  std::int64_t size_bytes = 0;
  std::optional<std::string> source_url;
  nlohmann::json metadata = nlohmann::json::object();
  std::int64_t revision = 0;  // 1 at upload, +1 per DocumentRevised
  std::int64_t version = 0;
  bool erased = false;  // DocumentErased: no command may add content any more

  bool live() const { return status != DocumentStatus::kNone && status != DocumentStatus::kDeleted && !erased; }
};

DocumentState Evolve(DocumentState state, const DomainEvent& event);

// What an upload is to the document it names (pure; the first step of Decide):
// - kCreate: no live document yet (or a deleted one: its stream starts over);
// - kRevise: a live document of the same source_url with other bytes (a re-crawl whose
//   content changed): DocumentRevised, the next revision;
// - kUpdateMetadata: the same source and bytes with another filename, content type or
//   metadata: DocumentMetadataUpdated;
// - kDuplicate: the same source, bytes and description: nothing to append.
// An upload without a source_url is kCreate or kDuplicate (the same project and bytes),
// as before sources had revisions; anything else for a live document is a Conflict.
enum class UploadKind { kCreate, kRevise, kUpdateMetadata, kDuplicate };
UploadKind ClassifyUpload(const DocumentState& state, const UploadDocument& command);
const char* UploadKindName(UploadKind kind);  // "created", "revised", "metadata_updated", "deduplicated"

// Upload: the events of ClassifyUpload's answer (none for a duplicate: the caller answers
// with the existing document), after the command's fields and the project are checked.
std::vector<DomainEvent> Decide(const DocumentState& state, const ProjectState& project,
                                const UploadDocument& command);
std::vector<DomainEvent> Decide(const DocumentState& state, const ConvertDocument& command);
std::vector<DomainEvent> Decide(const DocumentState& state, const FailConversion& command);
std::vector<DomainEvent> Decide(const DocumentState& state, const DeleteDocument& command);
// Erase: any document that was ever uploaded, deleted ones too (their content is still in
// the log); none when it is erased already.
std::vector<DomainEvent> Decide(const DocumentState& state, const EraseDocument& command);

}  // namespace docledger::domain
