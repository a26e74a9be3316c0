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
  const auto decoded = domain::Decode(event);
  if (const auto* orphaned = std::get_if<domain::ExtractionOrphaned>(&decoded)) {
    writer.Update("extractions", {{"extraction_id", orphaned->extraction_id}, {"orphaned_at", event.recorded_at}});
    return;
  }
  const auto* recorded = std::get_if<domain::ExtractionRecorded>(&decoded);
  if (!recorded) return;
  writer.Upsert("extractions", {{"extraction_id", recorded->extraction_id},
                                {"project_id", recorded->project_id},
                                {"document_id", recorded->document_id},
                                {"entity_type", recorded->entity_type},
                                {"data", recorded->data.dump()},
                                {"valid", "true"},
                                {"schema_revision", std::to_string(recorded->schema_revision)},
                                {"sequence", std::to_string(event.sequence)},
                                {"created_at", event.recorded_at},
                                {"orphaned_at", std::nullopt}});
}

}  // namespace docledger::projections
