#include "domain/extraction.hpp"

#include <algorithm>

#include "domain/command_rules.hpp"

namespace docledger::domain {

ExtractionState Evolve(ExtractionState state, const DomainEvent& event) {
  if (const auto* recorded = std::get_if<ExtractionRecorded>(&event)) {
    state.recorded = true;
    state.extraction_id = recorded->extraction_id;
    state.project_id = recorded->project_id;
    state.document_id = recorded->document_id;
  } else if (std::holds_alternative<ExtractionOrphaned>(event)) {
    state.orphaned = true;
  }
  ++state.version;
  return state;
}

std::vector<DomainEvent> Decide(const ExtractionState& state, const DocumentState& document,
                                const OrphanExtraction& command) {
  if (!state.recorded) throw NotFound("extraction " + command.extraction_id + " not found");
  if (state.orphaned || document.live()) return {};
  return {ExtractionOrphaned{state.extraction_id, state.project_id, state.document_id, command.reason}};
}

ExtractionDecision Decide(const ProjectState& project, const DocumentState& document,
                          const RecordExtraction& command, const SchemaValidator& validator) {
  IssueList issues;
  issues.RequireUuid("/extraction_id", command.extraction_id);
  issues.RequireUuid("/document_id", command.document_id);
  issues.RequireText("/entity_type", command.entity_type, 200);
  issues.ThrowIfAny();
  if (!project.live()) throw NotFound("project " + command.project_id + " not found");
  if (document.status == DocumentStatus::kNone) throw NotFound("document " + command.document_id + " not found");
  if (document.status == DocumentStatus::kDeleted) {
    throw Conflict("document " + command.document_id + " is deleted");
  }
  if (document.project_id != project.project_id) {
    throw Conflict("document " + command.document_id + " belongs to project " + document.project_id);
  }
  if (!project.entity_types.empty() &&
      std::find(project.entity_types.begin(), project.entity_types.end(), command.entity_type) ==
          project.entity_types.end()) {
    std::string known;
    for (const auto& type : project.entity_types) known += (known.empty() ? "" : ", ") + type;
    issues.Add("/entity_type", "\"" + command.entity_type + "\" is not an entity type of the project (" + known + ")");
  }
  for (const auto& issue : validator.Validate(project.json_schema, command.data)) {
    issues.Add("/data" + issue.path, issue.message);
  }
  issues.ThrowIfAny();

  ExtractionDecision decision;
  if (!project.has_extractions) {
    decision.project_event = ProjectExtractionsStarted{project.project_id, command.extraction_id};
  }
  decision.recorded = ExtractionRecorded{command.extraction_id, project.project_id, command.document_id,
                                         command.entity_type,   command.data,       project.schema_revision};
  return decision;
}

}  // namespace docledger::domain
