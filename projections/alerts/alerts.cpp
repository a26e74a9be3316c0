#include "projections/alerts/alerts.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "domain/domain_events.hpp"
#include "domain/job.hpp"
#include "projections/jobs/jobs.hpp"

namespace docledger::projections {
namespace {

using nlohmann::json;

std::vector<Column> AlertColumns() {
  return {{"source_sequence", "bigint"}, {"type", "text"},    {"level", "text"},        {"key", "text"},
          {"message", "text"},           {"details", "jsonb"}, {"raised_at", "timestamptz"}};
}

void Raise(RowWriter& writer, const domain::RecordedEvent& event, const std::string& type, const std::string& level,
           const std::string& key, const std::string& message, const json& details) {
  Row row{{"source_sequence", std::to_string(event.sequence)},
          {"type", type},
          {"level", level},
          {"key", key},
          {"message", message},
          {"details", details.dump()},
          {"raised_at", event.recorded_at}};
  writer.Upsert("alerts", row);
  writer.InsertIfAbsent("alert_deliveries", std::move(row));
}

json Ids(const std::optional<Row>& row) {
  if (!row) return json::array();
  const auto it = row->find("extraction_ids");
  if (it == row->end() || !it->second) return json::array();
  auto ids = json::parse(*it->second);
  return ids.is_array() ? ids : json::array();
}

void FailedJob(const domain::JobFailed& failed, const domain::RecordedEvent& event, RowWriter& writer) {
  const auto job = writer.Find("jobs", {{"job_id", failed.job_id}});
  const auto field = [&](const char* name) -> json {
    if (!job) return nullptr;
    const auto it = job->find(name);
    return it == job->end() || !it->second ? json(nullptr) : json(*it->second);
  };
  const std::string kind = job && job->count("kind") && job->at("kind") ? *job->at("kind") : "unknown";
  const auto error = domain::DescribeJobError(failed.error_type, failed.message);
  const json details = {{"job_id", failed.job_id},          {"kind", kind},
                        {"error_type", failed.error_type},  {"message", failed.message},
                        {"document_id", field("document_id")}, {"project_id", field("project_id")},
                        {"worker", field("worker")}};
  if (kind == "embedding") {
    Raise(writer, event, "embedding_failure", "error", failed.error_type,
          "embedding job " + failed.job_id + " failed: " + error, details);
  } else {
    Raise(writer, event, "job_failed", "error", kind + "/" + failed.error_type,
          kind + " job " + failed.job_id + " failed: " + error, details);
  }
}

}  // namespace

std::vector<std::string> Alerts::EventTypes() const {
  return {"JobFailed",          "DocumentDeleted",   "ExtractionRecorded",
          "ExtractionOrphaned", "RecoveryCompleted", "ProjectionParked", "SubscriptionFailing"};
}

std::vector<TableSpec> Alerts::Tables() const {
  return {{"alerts", {"source_sequence"}, AlertColumns()},
          {"alert_document_extractions",
           {"document_id"},
           {{"document_id", "uuid"}, {"project_id", "uuid"}, {"extraction_ids", "jsonb"}}}};
}

std::vector<TableSpec> Alerts::OutboxTables() const { return {{"alert_deliveries", {"source_sequence"}, AlertColumns()}}; }

std::vector<TableSpec> Alerts::ReadTables() const { return Jobs().Tables(); }

void Alerts::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const Handlers handlers{
      [&](const JobFailed& failed) { FailedJob(failed, event, writer); },
      [&](const ExtractionRecorded& recorded) {
        auto ids = Ids(writer.Find("alert_document_extractions", {{"document_id", recorded.document_id}}));
        if (std::find(ids.begin(), ids.end(), json(recorded.extraction_id)) == ids.end()) {
          ids.push_back(recorded.extraction_id);
        }
        writer.Upsert("alert_document_extractions", {{"document_id", recorded.document_id},
                                                     {"project_id", recorded.project_id},
                                                     {"extraction_ids", ids.dump()}});
      },
      [&](const ExtractionOrphaned& orphaned) {
        const auto row = writer.Find("alert_document_extractions", {{"document_id", orphaned.document_id}});
        if (!row) return;
        auto ids = Ids(row);
        ids.erase(std::remove(ids.begin(), ids.end(), json(orphaned.extraction_id)), ids.end());
        if (ids.empty()) {
          writer.Delete("alert_document_extractions", {{"document_id", orphaned.document_id}});
        } else {
          writer.Update("alert_document_extractions",
                        {{"document_id", orphaned.document_id}, {"extraction_ids", ids.dump()}});
        }
      },
      [&](const DocumentDeleted& deleted) {
        const auto row = writer.Find("alert_document_extractions", {{"document_id", deleted.document_id}});
        const auto ids = Ids(row);
        if (ids.empty()) return;
        const std::string project = row->at("project_id").value_or("");
        writer.Delete("alert_document_extractions", {{"document_id", deleted.document_id}});
        Raise(writer, event, "orphaned_extractions", "warning", project,
              "document " + deleted.document_id + " was deleted while " + std::to_string(ids.size()) +
                  " extraction(s) point at it; `docledger recover` resolves them",
              {{"document_id", deleted.document_id},
               {"project_id", project},
               {"extraction_ids", ids},
               {"count", ids.size()},
               {"reason", deleted.reason}});
      },
      [&](const RecoveryCompleted& recovery) {
        Raise(writer, event, "recovery_completed", "info", "recovery",
              "recovery resolved " + std::to_string(recovery.orphaned_extractions) + " orphaned extraction(s) of " +
                  std::to_string(recovery.documents) + " deleted document(s)",
              {{"run_id", recovery.run_id},
               {"orphaned_extractions", recovery.orphaned_extractions},
               {"documents", recovery.documents}});
      },
      [&](const ProjectionParked& parked) {
        Raise(writer, event, "projection_parked", "error", parked.projection,
              "projector " + parked.projection + " parked event " + std::to_string(parked.sequence) + " of stream '" +
                  parked.stream_id + "': " + parked.error,
              {{"projection", parked.projection},
               {"sequence", parked.sequence},
               {"event_id", parked.event_id},
               {"stream_id", parked.stream_id},
               {"error", parked.error}});
      },
      [&](const SubscriptionFailing& failing) {
        Raise(writer, event, "subscription_failing", "error", failing.subscription_id,
              "subscription " + failing.subscription_id + " stopped delivering after " +
                  std::to_string(failing.failures) + " failed attempt(s): " + failing.last_error,
              {{"subscription_id", failing.subscription_id},
               {"failures", failing.failures},
               {"cursor", failing.cursor},
               {"last_error", failing.last_error}});
      },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, DocumentUploaded,
             DocumentConverted, DocumentConversionFailed, JobStarted, JobCompleted, SemanticIRExtracted, DocumentRevised,
             DocumentMetadataUpdated, DocumentErased, SubscriptionCreated, SubscriptionUpdated, SubscriptionPaused,
             SubscriptionResumed, SubscriptionRewound, SubscriptionSecretRotated, SubscriptionDeleted>{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
