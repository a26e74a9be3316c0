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

// Throws ValidationError (with the validator's messages, paths under "/data"), NotFound
// (project or document) or Conflict (document of another project, or deleted).
ExtractionDecision Decide(const ProjectState& project, const DocumentState& document,
                          const RecordExtraction& command, const SchemaValidator& validator);

}  // namespace docledger::domain
