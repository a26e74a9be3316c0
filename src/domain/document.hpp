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
  std::string sha256;
  std::optional<std::string> source_url;
  std::int64_t version = 0;

  bool live() const { return status != DocumentStatus::kNone && status != DocumentStatus::kDeleted; }
};

DocumentState Evolve(DocumentState state, const DomainEvent& event);

// Upload: no events when the same project + source_url + sha256 is already uploaded
// (the caller answers with the existing document). A deleted document's stream can be
// uploaded again (it starts over as "uploaded").
std::vector<DomainEvent> Decide(const DocumentState& state, const ProjectState& project,
                                const UploadDocument& command);
std::vector<DomainEvent> Decide(const DocumentState& state, const ConvertDocument& command);
std::vector<DomainEvent> Decide(const DocumentState& state, const FailConversion& command);
std::vector<DomainEvent> Decide(const DocumentState& state, const DeleteDocument& command);

}  // namespace docledger::domain
