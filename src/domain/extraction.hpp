// Recording an extraction: the data must validate against the project's JSON Schema, the
// entity type must be one of the project's, and the document must exist in that project.
#pragma once

#include <optional>

#include "domain/commands.hpp"
#include "domain/document.hpp"
#include "domain/domain_events.hpp"
#include "domain/project.hpp"
#include "domain/schema_validator.hpp"

namespace docledger::domain {

struct ExtractionDecision {
  // ProjectExtractionsStarted for the project's first extraction, appended to the
  // project's stream at the version the data was validated against.
  std::optional<DomainEvent> project_event;
  ExtractionRecorded recorded;
};

struct ExtractionState {
  bool recorded = false;
  bool orphaned = false;
  std::string extraction_id;
  std::string project_id;
  std::string document_id;
  std::int64_t version = 0;
};

ExtractionState Evolve(ExtractionState state, const DomainEvent& event);

// ExtractionOrphaned when the extraction is recorded, not orphaned yet, and its document
// is not live (deleted, or never existed); nothing otherwise (so a re-run is a no-op).
// NotFound when the extraction does not exist.
std::vector<DomainEvent> Decide(const ExtractionState& state, const DocumentState& document,
                                const OrphanExtraction& command);

// Throws ValidationError (with the validator's messages, paths under "/data"), NotFound
// (project or document) or Conflict (document of another project, or deleted).
ExtractionDecision Decide(const ProjectState& project, const DocumentState& document,
                          const RecordExtraction& command, const SchemaValidator& validator);

}  // namespace docledger::domain
