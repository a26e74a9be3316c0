#include "projections/jobs/jobs.hpp"

#include "domain/domain_events.hpp"
#include "domain/job.hpp"

namespace docledger::projections {
namespace {

Row Finished(const std::string& job_id, const char* status, const domain::RecordedEvent& event) {
  return {{"job_id", job_id},
          {"status", status},
          {"version", std::to_string(event.stream_version)},
          {"finished_at", event.recorded_at},
          {"updated_at", event.recorded_at}};
}

}  // namespace

std::vector<TableSpec> Jobs::Tables() const {
  return {{"jobs",
           {"job_id"},
           {{"job_id", "uuid"},
            {"kind", "text"},
            {"status", "text"},
            {"document_id", "uuid"},
            {"project_id", "uuid"},
            {"worker", "text"},
            {"input", "jsonb"},
            {"result", "jsonb"},
            {"error_type", "text"},
            {"error", "text"},
            {"version", "bigint"},
            {"started_at", "timestamptz"},
            {"finished_at", "timestamptz"},
            {"updated_at", "timestamptz"}}}};
}

void Jobs::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const Handlers handlers{
      [&](const JobStarted& started) {
        writer.Upsert("jobs", {{"job_id", started.job_id},
                               {"kind", started.kind},
                               {"status", "running"},
                               {"document_id", started.document_id},
                               {"project_id", started.project_id},
                               {"worker", started.worker},
                               {"input", started.input.dump()},
                               {"result", std::nullopt},
                               {"error_type", std::nullopt},
                               {"error", std::nullopt},
                               {"version", std::to_string(event.stream_version)},
                               {"started_at", event.recorded_at},
                               {"finished_at", std::nullopt},
                               {"updated_at", event.recorded_at}});
      },
      [&](const JobCompleted& completed) {
        auto row = Finished(completed.job_id, "completed", event);
        row["result"] = completed.result.dump();
        writer.Update("jobs", std::move(row));
      },
      [&](const JobFailed& failed) {
        auto row = Finished(failed.job_id, "failed", event);
        row["error_type"] = failed.error_type;
        row["error"] = DescribeJobError(failed.error_type, failed.message);
        writer.Update("jobs", std::move(row));
      },
      // The inputs of the erased document's jobs named its content (sealed in the log).
      [&](const DocumentErased& erased) {
        writer.UpdateWhere("jobs", {{"document_id", erased.document_id}}, {{"input", "{}"}});
      },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, DocumentUploaded,
             DocumentConverted, DocumentConversionFailed, DocumentDeleted, ExtractionRecorded, SemanticIRExtracted,
             ExtractionOrphaned, RecoveryCompleted, ProjectionParked, DocumentRevised,
             DocumentMetadataUpdated>{}, IgnoreSubscriptionEvents{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
