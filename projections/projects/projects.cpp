#include "projections/projects/projects.hpp"

#include "domain/domain_events.hpp"

namespace docledger::projections {
namespace {

Row Versioned(const std::string& project_id, const domain::RecordedEvent& event) {
  return {{"project_id", project_id}, {"version", std::to_string(event.stream_version)}, {"updated_at", event.recorded_at}};
}

}  // namespace

std::vector<TableSpec> Projects::Tables() const {
  return {{"projects",
           {"project_id"},
           {{"project_id", "uuid"},
            {"name", "text"},
            {"description", "text"},
            {"json_schema", "jsonb"},
            {"entity_types", "jsonb"},
            {"schema_revision", "bigint"},
            {"has_extractions", "boolean"},
            {"version", "bigint"},
            {"created_at", "timestamptz"},
            {"updated_at", "timestamptz"}}}};
}

void Projects::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const Handlers handlers{
      [&](const ProjectCreated& created) {
        auto row = Versioned(created.project_id, event);
        row.insert({{"name", created.name},
                    {"description", created.description},
                    {"json_schema", created.json_schema.dump()},
                    {"entity_types", nlohmann::json(created.entity_types).dump()},
                    {"schema_revision", "1"},
                    {"has_extractions", "false"},
                    {"created_at", event.recorded_at}});
        writer.Upsert("projects", std::move(row));
      },
      [&](const ProjectUpdated& updated) {
        auto row = Versioned(updated.project_id, event);
        row["schema_revision"] = std::to_string(updated.schema_revision);
        if (updated.name) row["name"] = *updated.name;
        if (updated.description) row["description"] = *updated.description;
        if (updated.json_schema) row["json_schema"] = updated.json_schema->dump();
        if (updated.entity_types) row["entity_types"] = nlohmann::json(*updated.entity_types).dump();
        writer.Update("projects", std::move(row));
      },
      [&](const ProjectExtractionsStarted& started) {
        auto row = Versioned(started.project_id, event);
        row["has_extractions"] = "true";
        writer.Update("projects", std::move(row));
      },
      [&](const ProjectDeleted& deleted) { writer.Delete("projects", {{"project_id", deleted.project_id}}); },
      Ignore<DocumentUploaded, DocumentConverted, DocumentConversionFailed, DocumentDeleted, ExtractionRecorded,
             JobStarted, JobCompleted, JobFailed, SemanticIRExtracted, ExtractionOrphaned, RecoveryCompleted,
             ProjectionParked, DocumentRevised,
             DocumentMetadataUpdated, DocumentErased>{}, IgnoreSubscriptionEvents{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
