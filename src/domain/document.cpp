#include "domain/document.hpp"

#include "domain/command_rules.hpp"
#include "domain/text_rules.hpp"

namespace docledger::domain {
namespace {

// Conversion results need a document that exists and is not deleted.
void RequireConvertible(const DocumentState& state, const std::string& document_id) {
  if (state.status == DocumentStatus::kNone) throw NotFound("document " + document_id + " not found");
  if (state.erased) throw DocumentErasedError(document_id);
  if (state.status == DocumentStatus::kDeleted) {
    throw Conflict("document " + document_id + " is deleted; a conversion result cannot be recorded");
  }
}

}  // namespace

DocumentState Evolve(DocumentState state, const DomainEvent& event) {
  ++state.version;
  if (const auto* e = std::get_if<DocumentUploaded>(&event)) {
    state.status = DocumentStatus::kUploaded;
    state.document_id = e->document_id;
    state.project_id = e->project_id;
    state.filename = e->filename;
    state.content_type = e->content_type;
    state.sha256 = e->sha256;
    state.size_bytes = e->size_bytes;
    state.source_url = e->source_url;
    state.metadata = e->metadata;
    state.revision = 1;
  } else if (const auto* r = std::get_if<DocumentRevised>(&event)) {
    state.status = DocumentStatus::kUploaded;
    state.filename = r->filename;
    state.content_type = r->content_type;
    state.sha256 = r->sha256;
    state.size_bytes = r->size_bytes;
    state.metadata = r->metadata;
    state.revision = r->revision;
  } else if (const auto* m = std::get_if<DocumentMetadataUpdated>(&event)) {
    state.filename = m->filename;
    state.content_type = m->content_type;
    state.metadata = m->metadata;
  } else if (std::holds_alternative<DocumentConverted>(event)) {
    state.status = DocumentStatus::kConverted;
  } else if (std::holds_alternative<DocumentConversionFailed>(event)) {
    state.status = DocumentStatus::kConversionFailed;
  } else if (std::holds_alternative<DocumentDeleted>(event)) {
    state.status = DocumentStatus::kDeleted;
  } else if (std::holds_alternative<domain::DocumentErased>(event)) {
    state.erased = true;
  }
  return state;
}

UploadKind ClassifyUpload(const DocumentState& state, const UploadDocument& command) {
  if (state.erased) throw DocumentErasedError(command.document_id);
  if (!state.live()) return UploadKind::kCreate;
  const bool same_source = state.project_id == command.project_id && state.source_url == command.source_url;
  if (!same_source) throw Conflict("document " + command.document_id + " already exists with other content");
  if (state.sha256 != command.sha256) {
    if (!command.source_url) throw Conflict("document " + command.document_id + " already exists with other content");
    return UploadKind::kRevise;
  }
  if (!command.source_url) return UploadKind::kDuplicate;  // no source: the description is not compared
  const auto metadata = command.metadata.is_null() ? nlohmann::json::object() : command.metadata;
  if (state.filename != command.filename || state.content_type != command.content_type || state.metadata != metadata) {
    return UploadKind::kUpdateMetadata;
  }
  return UploadKind::kDuplicate;
}

const char* UploadKindName(UploadKind kind) {
  switch (kind) {
    case UploadKind::kCreate: return "created";
    case UploadKind::kRevise: return "revised";
    case UploadKind::kUpdateMetadata: return "metadata_updated";
    case UploadKind::kDuplicate: return "deduplicated";
  }
  return "deduplicated";
}

std::vector<DomainEvent> Decide(const DocumentState& state, const ProjectState& project,
                                const UploadDocument& command) {
  IssueList issues;
  issues.RequireUuid("/document_id", command.document_id);
  issues.RequireUuid("/project_id", command.project_id);
  issues.RequireText("/filename", command.filename, 1024);
  issues.RequireText("/content_type", command.content_type, 200);
  issues.RequireSha256("/sha256", command.sha256);
  if (command.size_bytes < 0) issues.Add("/size_bytes", "must not be negative");
  if (command.source_url) issues.RequireText("/source_url", *command.source_url, 2048);
  if (!command.metadata.is_object() && !command.metadata.is_null()) issues.Add("/metadata", "must be a JSON object");
  issues.ThrowIfAny();
  if (!project.live()) throw NotFound("project " + command.project_id + " not found");

  const auto metadata = command.metadata.is_null() ? nlohmann::json::object() : command.metadata;
  switch (ClassifyUpload(state, command)) {
    case UploadKind::kCreate:
      return {DocumentUploaded{command.document_id, command.project_id, command.filename, command.content_type,
                               command.sha256, command.size_bytes, command.source_url, metadata}};
    case UploadKind::kRevise:
      return {DocumentRevised{state.document_id, state.project_id, command.filename, command.content_type,
                              command.sha256, command.size_bytes, *command.source_url, metadata, state.revision + 1}};
    case UploadKind::kUpdateMetadata:
      return {DocumentMetadataUpdated{state.document_id, command.filename, command.content_type, metadata}};
    case UploadKind::kDuplicate:
      break;
  }
  return {};  // the same upload again: the existing document answers
}

std::vector<DomainEvent> Decide(const DocumentState& state, const ConvertDocument& command) {
  RequireConvertible(state, command.document_id);
  IssueList issues;
  issues.RequireText("/converter", command.converter, 1024, false);
  if (!IsValidUtf8(command.markdown)) issues.Add("/markdown", "must be valid UTF-8");
  issues.ThrowIfAny();
  return {DocumentConverted{state.document_id, command.markdown, command.converter}};
}

std::vector<DomainEvent> Decide(const DocumentState& state, const FailConversion& command) {
  RequireConvertible(state, command.document_id);
  IssueList issues;
  issues.RequireText("/error_type", command.error_type, 200);
  issues.RequireText("/message", command.message, 65536, false);
  issues.ThrowIfAny();
  return {DocumentConversionFailed{state.document_id, command.error_type, command.message}};
}

std::vector<DomainEvent> Decide(const DocumentState& state, const DeleteDocument& command) {
  if (state.erased) throw DocumentErasedError(command.document_id);
  if (!state.live()) throw NotFound("document " + command.document_id + " not found");
  IssueList issues;
  issues.RequireText("/reason", command.reason, 1024, false);
  issues.ThrowIfAny();
  return {DocumentDeleted{state.document_id, command.reason}};
}

std::vector<DomainEvent> Decide(const DocumentState& state, const EraseDocument& command) {
  if (state.status == DocumentStatus::kNone) throw NotFound("document " + command.document_id + " not found");
  IssueList issues;
  issues.RequireText("/reason", command.reason, 1024);
  issues.ThrowIfAny();
  if (state.erased) return {};
  return {domain::DocumentErased{state.document_id, command.reason, command.erased_by, command.unshredded_events}};
}

}  // namespace docledger::domain
