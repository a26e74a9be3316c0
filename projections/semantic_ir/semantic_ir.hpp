// semantic_ir: the items of each document's current semantic IR (ADR-014 columns), keyed
// by (document_id, ordinal) with a stable `id`; semantic_ir_sources remembers which
// extraction each document shows. Both reference document_views ON DELETE CASCADE.
//
// A SemanticIRExtracted is applied only when the document's view shows the very
// conversion it was computed from (document_views.conversion_event_id); otherwise it is
// stale (the document was deleted, uploaded again or converted again meanwhile) and is
// skipped with a log line. The outcome therefore depends only on the log, not on how far
// document_views had got when this projector ran: replay builds the same rows. A
// DocumentRevised (new bytes from the document's source) clears the document's items: the
// conversion they came from is superseded, and the new revision's analysis replaces them.
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class SemanticIr final : public Projection {
 public:
  std::string Name() const override { return "semantic_ir"; }
  std::vector<std::string> EventTypes() const override { return {"SemanticIRExtracted", "DocumentRevised", "DocumentErased"}; }
  std::vector<TableSpec> Tables() const override;
  std::vector<std::string> DependsOn() const override { return {"document_views"}; }
  std::vector<TableSpec> ReadTables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
