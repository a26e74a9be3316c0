#include "projections/extractions/extractions.hpp"

#include "domain/domain_events.hpp"

namespace docledger::projections {

std::vector<TableSpec> Extractions::Tables() const {
  return {{"extractions",
           {"extraction_id"},
           {{"extraction_id", "uuid"},
            {"project_id", "uuid"},
            {"document_id", "uuid"},
            {"entity_type", "text"},
            {"data", "jsonb"},
            {"valid", "boolean"},
            {"schema_revision", "bigint"},
            {"sequence", "bigint"},
            {"created_at", "timestamptz"},
            {"orphaned_at", "timestamptz"}}}};
}

void Extractions::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const Handlers handlers{
      [&](const ExtractionOrphaned& orphaned) {
        writer.Update("extractions", {{"extraction_id", orphaned.extraction_id}, {"orphaned_at", event.recorded_at}});
      },
      [&](const ExtractionRecorded& recorded) {
        // Content of an erased document (appended around its erasure, or replayed after
        // it): no row, live or in a replay; DocumentErased drops the earlier ones.
        if (event.content_erased) return;
        writer.Upsert("extractions", {{"extraction_id", recorded.extraction_id},
                                      {"project_id", recorded.project_id},
                                      {"document_id", recorded.document_id},
                                      {"entity_type", recorded.entity_type},
                                      {"data", recorded.data.dump()},
                                      {"valid", "true"},
                                      {"schema_revision", std::to_string(recorded.schema_revision)},
                                      {"sequence", std::to_string(event.sequence)},
                                      {"created_at", event.recorded_at},
                                      {"orphaned_at", std::nullopt}});
      },
      // An erased document's extracted data is its content: the rows go.
      [&](const DocumentErased& erased) { writer.DeleteWhere("extractions", {{"document_id", erased.document_id}}); },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, DocumentUploaded,
             DocumentConverted, DocumentConversionFailed, DocumentDeleted, JobStarted, JobCompleted, JobFailed,
             SemanticIRExtracted, RecoveryCompleted, ProjectionParked, DocumentRevised,
             DocumentMetadataUpdated>{}, IgnoreSubscriptionEvents{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
