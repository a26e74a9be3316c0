#include "domain/project.hpp"

#include <set>

#include "domain/command_rules.hpp"

namespace docledger::domain {
namespace {

void CheckEntityTypes(IssueList& issues, const std::vector<std::string>& types) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const auto path = "/entity_types/" + std::to_string(i);
    issues.RequireText(path, types[i], 200);
    if (!seen.insert(types[i]).second) issues.Add(path, "\"" + types[i] + "\" is listed twice");
  }
  if (types.size() > 1000) issues.Add("/entity_types", "must list at most 1000 types");
}

void CheckSchema(IssueList& issues, const nlohmann::json& schema, const SchemaValidator& validator) {
  if (!schema.is_object()) {
    issues.Add("/json_schema", "must be a JSON Schema object");
    return;
  }
  for (const auto& issue : validator.CheckSchema(schema)) issues.Add("/json_schema" + issue.path, issue.message);
}

}  // namespace

ProjectState Evolve(ProjectState state, const DomainEvent& event) {
  ++state.version;
  if (const auto* e = std::get_if<ProjectCreated>(&event)) {
    state.exists = true;
    state.deleted = false;
    state.project_id = e->project_id;
    state.name = e->name;
    state.description = e->description;
    state.json_schema = e->json_schema;
    state.entity_types = e->entity_types;
    state.schema_revision = 1;
  } else if (const auto* u = std::get_if<ProjectUpdated>(&event)) {
    if (u->name) state.name = *u->name;
    if (u->description) state.description = *u->description;
    if (u->json_schema) state.json_schema = *u->json_schema;
    if (u->entity_types) state.entity_types = *u->entity_types;
    state.schema_revision = u->schema_revision;
  } else if (std::holds_alternative<ProjectDeleted>(event)) {
    state.deleted = true;
  } else if (std::holds_alternative<ProjectExtractionsStarted>(event)) {
    state.has_extractions = true;
  }
  return state;
}

std::vector<DomainEvent> Decide(const ProjectState& state, const CreateProject& command,
                                const SchemaValidator& validator) {
  if (state.exists) throw Conflict("project " + command.project_id + " already exists");
  IssueList issues;
  issues.RequireUuid("/project_id", command.project_id);
  issues.RequireText("/name", command.name, 200);
  issues.RequireText("/description", command.description, 1024, false);
  CheckSchema(issues, command.json_schema, validator);
  CheckEntityTypes(issues, command.entity_types);
  issues.ThrowIfAny();
  return {ProjectCreated{command.project_id, command.name, command.description, command.json_schema,
                         command.entity_types}};
}

std::vector<DomainEvent> Decide(const ProjectState& state, const UpdateProject& command,
                                const SchemaValidator& validator) {
  if (!state.live()) throw NotFound("project " + command.project_id + " not found");
  IssueList issues;
  if (command.name) issues.RequireText("/name", *command.name, 200);
  if (command.description) issues.RequireText("/description", *command.description, 1024, false);
  if (command.json_schema) CheckSchema(issues, *command.json_schema, validator);
  if (command.entity_types) CheckEntityTypes(issues, *command.entity_types);
  issues.ThrowIfAny();

  ProjectUpdated event;
  event.project_id = state.project_id;
  if (command.name && *command.name != state.name) event.name = command.name;
  if (command.description && *command.description != state.description) event.description = command.description;
  if (command.json_schema && *command.json_schema != state.json_schema) event.json_schema = command.json_schema;
  if (command.entity_types && *command.entity_types != state.entity_types) event.entity_types = command.entity_types;
  const bool schema_change = event.json_schema || event.entity_types;
  if (!schema_change && !event.name && !event.description) return {};
  if (schema_change && state.has_extractions) {
    if (!command.force) {
      throw Conflict("project " + state.project_id +
                     " has extractions: its json_schema and entity_types change only with force=true");
    }
    event.forced = true;
  }
  event.schema_revision = state.schema_revision + (schema_change ? 1 : 0);
  return {event};
}

std::vector<DomainEvent> Decide(const ProjectState& state, const DeleteProject& command) {
  if (!state.live()) throw NotFound("project " + command.project_id + " not found");
  return {ProjectDeleted{state.project_id}};
}

}  // namespace docledger::domain
