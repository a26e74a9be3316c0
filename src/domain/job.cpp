#include "domain/job.hpp"

#include "domain/command_rules.hpp"

namespace docledger::domain {
namespace {

const char* StatusName(JobStatus status) {
  switch (status) {
    case JobStatus::kCompleted: return "completed";
    case JobStatus::kFailed: return "failed";
    default: return "running";
  }
}

void RequireRunning(const JobState& state, const std::string& job_id) {
  if (state.status == JobStatus::kNone) throw NotFound("job " + job_id + " not found");
  if (state.status != JobStatus::kRunning) {
    throw Conflict(std::string("job ") + job_id + " is already " + StatusName(state.status));
  }
}

}  // namespace

JobState Evolve(JobState state, const DomainEvent& event) {
  ++state.version;
  if (const auto* e = std::get_if<JobStarted>(&event)) {
    state.status = JobStatus::kRunning;
    state.job_id = e->job_id;
  } else if (std::holds_alternative<JobCompleted>(event)) {
    state.status = JobStatus::kCompleted;
  } else if (std::holds_alternative<JobFailed>(event)) {
    state.status = JobStatus::kFailed;
  }
  return state;
}

std::vector<DomainEvent> Decide(const JobState& state, const StartJob& command) {
  if (state.status != JobStatus::kNone) throw Conflict("job " + command.job_id + " already exists");
  IssueList issues;
  issues.RequireUuid("/job_id", command.job_id);
  if (command.kind != "conversion" && command.kind != "extraction" && command.kind != "embedding" &&
      command.kind != "crawl") {
    issues.Add("/kind", "must be one of conversion, extraction, embedding, crawl");
  }
  if (command.document_id) issues.RequireUuid("/document_id", *command.document_id);
  if (command.project_id) issues.RequireUuid("/project_id", *command.project_id);
  issues.RequireText("/worker", command.worker, 1024, false);
  if (!command.input.is_object() && !command.input.is_null()) issues.Add("/input", "must be a JSON object");
  issues.ThrowIfAny();
  return {JobStarted{command.job_id, command.kind, command.document_id, command.project_id, command.worker,
                     command.input.is_null() ? nlohmann::json::object() : command.input}};
}

std::vector<DomainEvent> Decide(const JobState& state, const CompleteJob& command) {
  RequireRunning(state, command.job_id);
  IssueList issues;
  if (!command.result.is_object() && !command.result.is_null()) issues.Add("/result", "must be a JSON object");
  issues.ThrowIfAny();
  return {JobCompleted{state.job_id, command.result.is_null() ? nlohmann::json::object() : command.result}};
}

std::vector<DomainEvent> Decide(const JobState& state, const FailJob& command) {
  RequireRunning(state, command.job_id);
  IssueList issues;
  issues.RequireText("/error_type", command.error_type, 200);
  issues.RequireText("/message", command.message, 65536, false);
  issues.ThrowIfAny();
  return {JobFailed{state.job_id, command.error_type, command.message}};
}

std::string DescribeJobError(const std::string& error_type, const std::string& message) {
  return message.empty() ? error_type : error_type + ": " + message;
}

}  // namespace docledger::domain
