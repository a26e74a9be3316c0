// The project aggregate: state from its stream's events, and the decisions on it.
#pragma once

#include <vector>

#include "domain/commands.hpp"
#include "domain/domain_events.hpp"
#include "domain/schema_validator.hpp"

namespace docledger::domain {

struct ProjectState {
  bool exists = false;
  bool deleted = false;
  std::string project_id;
  std::string name;
  std::string description;
  nlohmann::json json_schema = nlohmann::json::object();
  std::vector<std::string> entity_types;
  std::int64_t schema_revision = 0;
  bool has_extractions = false;
  std::int64_t version = 0;  // stream version the state was built from

  bool live() const { return exists && !deleted; }
};

ProjectState Evolve(ProjectState state, const DomainEvent& event);

// Throw ValidationError (bad input), NotFound or Conflict; otherwise the events to append
// (none when nothing changes).
std::vector<DomainEvent> Decide(const ProjectState& state, const CreateProject& command,
                                const SchemaValidator& validator);
std::vector<DomainEvent> Decide(const ProjectState& state, const UpdateProject& command,
                                const SchemaValidator& validator);
std::vector<DomainEvent> Decide(const ProjectState& state, const DeleteProject& command);

}  // namespace docledger::domain
