#include "projections/semantic_ir/semantic_ir.hpp"

#include <spdlog/common.h>

#include "domain/domain_events.hpp"
#include "infrastructure/logging.hpp"
#include "projections/document_views/document_views.hpp"

namespace docledger::projections {
namespace {

Value Text(const std::string& text) { return text.empty() ? Value{} : Value{text}; }

Row ItemRow(const domain::SemanticIRExtracted& extracted, std::size_t ordinal, const domain::SemanticItem& item,
            const domain::RecordedEvent& event) {
  const bool table = item.type == domain::IrType::kTable;
  return {{"document_id", extracted.document_id},
          {"ordinal", std::to_string(ordinal)},
          {"source_event_id", extracted.source_event_id},
          {"ir_type", std::string(domain::IrTypeName(item.type))},
          {"name", Text(item.name)},
          {"expression", Text(item.expression)},
          {"variables", item.type == domain::IrType::kFormula ? Value{nlohmann::json(item.variables).dump()} : Value{}},
          {"definition", Text(item.definition)},
          {"term", Text(item.term)},
          {"context", Text(item.context)},
          {"table_data", table ? Value{item.table_data.dump()} : Value{}},
          {"row_count", table ? Value{std::to_string(item.row_count)} : Value{}},
          {"column_count", table ? Value{std::to_string(item.column_count)} : Value{}},
          {"target", Text(item.target)},
          {"reference_type", Text(item.reference_type)},
          {"location", Text(item.location)},
          {"metadata", item.metadata.dump()},
          {"created_at", event.recorded_at}};
}

// The document's items as this event says, unless the document's view no longer shows the
// conversion they came from.
void Replace(const domain::SemanticIRExtracted& extracted, const domain::RecordedEvent& event, RowWriter& writer) {
  const auto view = writer.Find("document_views", {{"document_id", extracted.document_id}});
  if (!view) {
    infrastructure::LogEvent(spdlog::level::info, "semantic_ir: document no longer exists; items skipped",
                             {{"document_id", extracted.document_id}, {"event_id", event.event_id}});
    return;
  }
  const auto shown = view->find("conversion_event_id");
  if (shown == view->end() || shown->second != extracted.source_event_id) {
    infrastructure::LogEvent(spdlog::level::info, "semantic_ir: items computed from a superseded conversion; skipped",
                             {{"event_id", event.event_id},
                              {"source_event_id", extracted.source_event_id},
                              {"document_id", extracted.document_id},
                              {"shown_conversion", shown != view->end() && shown->second ? *shown->second : "none"}});
    return;
  }
  const auto source = writer.Find("semantic_ir_sources", {{"document_id", extracted.document_id}});
  const std::size_t previous = source ? std::stoull(source->at("item_count").value_or("0")) : 0;
  for (std::size_t ordinal = extracted.items.size(); ordinal < previous; ++ordinal) {
    writer.Delete("semantic_ir", {{"document_id", extracted.document_id}, {"ordinal", std::to_string(ordinal)}});
  }
  for (std::size_t ordinal = 0; ordinal < extracted.items.size(); ++ordinal) {
    writer.Upsert("semantic_ir", ItemRow(extracted, ordinal, extracted.items[ordinal], event));
  }
  writer.Upsert("semantic_ir_sources", {{"document_id", extracted.document_id},
                                        {"source_event_id", extracted.source_event_id},
                                        {"item_count", std::to_string(extracted.items.size())},
                                        {"extracted_at", event.recorded_at}});
}

// A new revision of the document supersedes its conversion: the items computed from it go.
void Clear(const std::string& document_id, RowWriter& writer) {
  const auto source = writer.Find("semantic_ir_sources", {{"document_id", document_id}});
  if (!source) return;
  const std::size_t previous = std::stoull(source->at("item_count").value_or("0"));
  for (std::size_t ordinal = 0; ordinal < previous; ++ordinal) {
    writer.Delete("semantic_ir", {{"document_id", document_id}, {"ordinal", std::to_string(ordinal)}});
  }
  writer.Delete("semantic_ir_sources", {{"document_id", document_id}});
}

}  // namespace

std::vector<TableSpec> SemanticIr::Tables() const {
  return {{"semantic_ir_sources",
           {"document_id"},
           {{"document_id", "uuid"}, {"source_event_id", "uuid"}, {"item_count", "bigint"}, {"extracted_at", "timestamptz"}}},
          {"semantic_ir",
           {"document_id", "ordinal"},
           {{"document_id", "uuid"},
            {"ordinal", "integer"},
            {"source_event_id", "uuid"},
            {"ir_type", "text"},
            {"name", "text"},
            {"expression", "text"},
            {"variables", "jsonb"},
            {"definition", "text"},
            {"term", "text"},
            {"context", "text"},
            {"table_data", "jsonb"},
            {"row_count", "integer"},
            {"column_count", "integer"},
            {"target", "text"},
            {"reference_type", "text"},
            {"location", "text"},
            {"metadata", "jsonb"},
            {"created_at", "timestamptz"}}}};
}

std::vector<TableSpec> SemanticIr::ReadTables() const { return DocumentViews().Tables(); }

void SemanticIr::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const Handlers handlers{
      [&](const SemanticIRExtracted& extracted) {
        // An erased document's items: none, live or in a replay (DocumentErased clears them).
        if (!event.content_erased) Replace(extracted, event, writer);
      },
      [&](const DocumentRevised& revised) { Clear(revised.document_id, writer); },
      [&](const DocumentErased& erased) { Clear(erased.document_id, writer); },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, DocumentUploaded,
             DocumentConverted, DocumentConversionFailed, DocumentDeleted, ExtractionRecorded, JobStarted,
             JobCompleted, JobFailed, ExtractionOrphaned, RecoveryCompleted, ProjectionParked,
             DocumentMetadataUpdated>{}, IgnoreSubscriptionEvents{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
