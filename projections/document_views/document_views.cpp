#include "projections/document_views/document_views.hpp"

#include "domain/domain_events.hpp"

namespace docledger::projections {
namespace {

Row Versioned(const std::string& document_id, const domain::RecordedEvent& event) {
  return {{"document_id", document_id},
          {"version", std::to_string(event.stream_version)},
          {"last_sequence", std::to_string(event.sequence)},
          {"updated_at", event.recorded_at}};
}

// The new revision's file facts; its conversion (and with it the semantic IR shown) is
// superseded: the view is "uploaded" again until the new bytes are converted.
Row RevisedRow(const domain::DocumentRevised& r, const domain::RecordedEvent& event) {
  auto row = Versioned(r.document_id, event);
  row.insert({{"status", "uploaded"},
              {"filename", r.filename},
              {"content_type", r.content_type},
              {"sha256", r.sha256},
              {"size_bytes", std::to_string(r.size_bytes)},
              {"metadata", r.metadata.dump()},
              {"revision", std::to_string(r.revision)},
              {"converted_length", std::nullopt},
              {"converter", std::nullopt},
              {"conversion_event_id", std::nullopt},
              {"conversion_error_type", std::nullopt},
              {"conversion_error", std::nullopt},
              {"converted_at", std::nullopt}});
  return row;
}

// What is left of an erased document: its facts, none of its content. Every field that came
// from sealed content gets one fixed value, whatever the view held before (the content live,
// or the empty values a replay reads once the key is gone), so live and replay agree.
Row ErasedRow(const domain::DocumentErased& e, const domain::RecordedEvent& event) {
  auto row = Versioned(e.document_id, event);
  row.insert({{"filename", ""},
              {"metadata", "{}"},
              {"source_url", std::nullopt},
              {"converted_length", std::nullopt},
              {"conversion_error", std::nullopt},
              {"erased_at", event.recorded_at}});
  return row;
}

}  // namespace

std::vector<std::string> DocumentViews::EventTypes() const {
  return {"DocumentUploaded", "DocumentConverted", "DocumentConversionFailed", "DocumentDeleted", "DocumentRevised",
          "DocumentMetadataUpdated", "DocumentErased"};
}

std::vector<TableSpec> DocumentViews::Tables() const {
  return {{"document_views",
           {"document_id"},
           {{"document_id", "uuid"},
            {"project_id", "uuid"},
            {"status", "text"},
            {"filename", "text"},
            {"content_type", "text"},
            {"sha256", "text"},
            {"size_bytes", "bigint"},
            {"source_url", "text"},
            {"metadata", "jsonb"},
            {"converted_length", "bigint"},
            {"converter", "text"},
            {"conversion_event_id", "uuid"},
            {"conversion_error_type", "text"},
            {"conversion_error", "text"},
            {"version", "bigint"},
            {"last_sequence", "bigint"},
            {"created_at", "timestamptz"},
            {"updated_at", "timestamptz"},
            {"converted_at", "timestamptz"},
            {"revision", "bigint"},
            {"erased_at", "timestamptz"}}}};
}

void DocumentViews::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const Handlers handlers{
      [&](const DocumentUploaded& e) {
        auto row = Versioned(e.document_id, event);
        row.insert({{"project_id", e.project_id},
                    {"status", "uploaded"},
                    {"filename", e.filename},
                    {"content_type", e.content_type},
                    {"sha256", e.sha256},
                    {"size_bytes", std::to_string(e.size_bytes)},
                    {"source_url", e.source_url},
                    {"metadata", e.metadata.dump()},
                    {"converted_length", std::nullopt},
                    {"converter", std::nullopt},
                    {"conversion_event_id", std::nullopt},
                    {"conversion_error_type", std::nullopt},
                    {"conversion_error", std::nullopt},
                    {"created_at", event.recorded_at},
                    {"converted_at", std::nullopt},
                    {"revision", "1"},
                    {"erased_at", std::nullopt}});
        writer.Upsert("document_views", std::move(row));
      },
      [&](const DocumentRevised& r) { writer.Update("document_views", RevisedRow(r, event)); },
      [&](const DocumentMetadataUpdated& m) {
        auto row = Versioned(m.document_id, event);
        row.insert({{"filename", m.filename}, {"content_type", m.content_type}, {"metadata", m.metadata.dump()}});
        writer.Update("document_views", std::move(row));
      },
      [&](const DocumentConverted& c) {
        auto row = Versioned(c.document_id, event);
        row.insert({{"status", "converted"},
                    {"converted_length", std::to_string(c.markdown.size())},
                    {"converter", c.converter},
                    {"conversion_event_id", event.event_id},
                    {"conversion_error_type", std::nullopt},
                    {"conversion_error", std::nullopt},
                    {"converted_at", event.recorded_at}});
        writer.Update("document_views", std::move(row));
      },
      [&](const DocumentConversionFailed& f) {
        auto row = Versioned(f.document_id, event);
        // conversion_event_id stays: it names the last successful conversion, whose semantic
        // IR the document keeps.
        row.insert({{"status", "conversion_failed"},
                    {"conversion_error_type", f.error_type},
                    {"conversion_error", f.message.empty() ? f.error_type : f.error_type + ": " + f.message}});
        writer.Update("document_views", std::move(row));
      },
      [&](const DocumentDeleted& d) { writer.Delete("document_views", {{"document_id", d.document_id}}); },
      [&](const DocumentErased& e) { writer.Update("document_views", ErasedRow(e, event)); },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, ExtractionRecorded, JobStarted,
             JobCompleted, JobFailed, SemanticIRExtracted, ExtractionOrphaned, RecoveryCompleted, ProjectionParked>{}, IgnoreSubscriptionEvents{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
