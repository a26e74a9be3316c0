#include "projections/document_sources/document_sources.hpp"

#include "domain/domain_events.hpp"

namespace docledger::projections {

std::vector<std::string> DocumentSources::EventTypes() const {
  return {"DocumentUploaded", "DocumentRevised", "DocumentMetadataUpdated", "DocumentDeleted", "DocumentErased"};
}

std::vector<TableSpec> DocumentSources::Tables() const {
  return {{"document_sources",
           {"document_id"},
           {{"document_id", "uuid"},
            {"project_id", "uuid"},
            {"source_url", "text"},
            {"sha256", "text"},
            {"revisions", "bigint"},
            {"first_crawled_at", "timestamptz"},
            {"last_crawled_at", "timestamptz"}}}};
}

void DocumentSources::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const Handlers handlers{
      [&](const DocumentUploaded& e) {
        if (!e.source_url) return;  // not crawled: no source
        writer.Upsert("document_sources", {{"document_id", e.document_id},
                                           {"project_id", e.project_id},
                                           {"source_url", e.source_url},
                                           {"sha256", e.sha256},
                                           {"revisions", "1"},
                                           {"first_crawled_at", event.recorded_at},
                                           {"last_crawled_at", event.recorded_at}});
      },
      [&](const DocumentRevised& r) {
        writer.Update("document_sources", {{"document_id", r.document_id},
                                           {"sha256", r.sha256},
                                           {"revisions", std::to_string(r.revision)},
                                           {"last_crawled_at", event.recorded_at}});
      },
      [&](const DocumentMetadataUpdated& m) {
        writer.Update("document_sources", {{"document_id", m.document_id},
                                           {"last_crawled_at", event.recorded_at}});
      },
      [&](const DocumentDeleted& d) { writer.Delete("document_sources", {{"document_id", d.document_id}}); },
      // The source URL is the document's content too: the row goes.
      [&](const DocumentErased& e) { writer.Delete("document_sources", {{"document_id", e.document_id}}); },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, DocumentConverted,
             DocumentConversionFailed, ExtractionRecorded, JobStarted, JobCompleted, JobFailed, SemanticIRExtracted,
             ExtractionOrphaned, RecoveryCompleted, ProjectionParked>{}, IgnoreSubscriptionEvents{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
