// The job aggregate: work done by an external worker (conversion, extraction, embedding,
// crawl), started, then completed or failed once.
#pragma once

#include <vector>

#include "domain/commands.hpp"
#include "domain/domain_events.hpp"

namespace docledger::domain {

enum class JobStatus { kNone, kRunning, kCompleted, kFailed };

struct JobState {
  JobStatus status = JobStatus::kNone;
  std::string job_id;
  std::int64_t version = 0;
};

JobState Evolve(JobState state, const DomainEvent& event);

std::vector<DomainEvent> Decide(const JobState& state, const StartJob& command);
std::vector<DomainEvent> Decide(const JobState& state, const CompleteJob& command);
std::vector<DomainEvent> Decide(const JobState& state, const FailJob& command);

// "TypeName: message" (just the type when there is no message), as the read model shows it.
std::string DescribeJobError(const std::string& error_type, const std::string& message);

}  // namespace docledger::domain
