// document_views: one row per live document — status (uploaded | converted |
// conversion_failed), the current revision's file facts and its number, metadata,
// converted length, the conversion it shows, timestamps and the stream version. A new
// revision (DocumentRevised) clears the conversion it showed. Deleting the document deletes the row (and, through
// the foreign keys, its semantic IR).
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class DocumentViews final : public Projection {
 public:
  std::string Name() const override { return "document_views"; }
  std::vector<std::string> EventTypes() const override;
  std::vector<TableSpec> Tables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
