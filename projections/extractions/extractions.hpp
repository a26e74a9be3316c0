// extractions: one row per recorded extraction — project, document, entity type, data
// (JSONB), validity and the project's schema revision it was validated against. `valid`
// is true when recorded (invalid data is refused); an extraction whose schema_revision is
// older than its project's was validated before a forced schema change.
//
// It depends on document_views so that a reader joining the two never sees an extraction
// before its document. Extractions have no foreign key to documents: deleting a document
// leaves its extractions (orphans that alerts and `docledger recover` deal with);
// ExtractionOrphaned (appended by recover) sets orphaned_at: the orphan is resolved.
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class Extractions final : public Projection {
 public:
  std::string Name() const override { return "extractions"; }
  std::vector<std::string> EventTypes() const override { return {"ExtractionRecorded", "ExtractionOrphaned", "DocumentErased"}; }
  std::vector<TableSpec> Tables() const override;
  std::vector<std::string> DependsOn() const override { return {"document_views"}; }
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
