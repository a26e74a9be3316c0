// document_sources: one row per document that has a source_url (the crawled sources of a
// project) — its current sha256, how many revisions it has had, when it was first crawled
// and when a crawl last changed it (a revision or a metadata update; a crawl of the same
// bytes and description appends nothing and so moves nothing). Deleting the document
// deletes the row; a later crawl of the source starts it over.
//
// A source is one document since sources have revisions. Logs written before then may
// hold several documents for one source_url (one per content): each keeps its row.
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class DocumentSources final : public Projection {
 public:
  std::string Name() const override { return "document_sources"; }
  std::vector<std::string> EventTypes() const override;
  std::vector<TableSpec> Tables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
