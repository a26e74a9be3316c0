// DocumentViewQueries over PostgreSQL (statements kDocumentGet, kDocumentVersion, kDocumentList,
// kContentOfDocument).
#pragma once

#include "projections/document_views/document_view_queries.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::projections {

class PgDocumentViewQueries final : public DocumentViewQueries {
 public:
  explicit PgDocumentViewQueries(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  std::optional<Versioned> Document(const std::string& document_id) override;
  std::optional<std::int64_t> DocumentVersion(const std::string& document_id) override;
  Page Documents(const DocumentFilter& filter, const std::string& cursor, int limit) override;
  std::optional<StoredContent> Content(const std::string& document_id) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

}  // namespace docledger::projections
