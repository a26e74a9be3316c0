#include "projections/document_views/document_view_queries_pg.hpp"

#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

namespace statements = infrastructure::statements;

std::optional<Versioned> PgDocumentViewQueries::Document(const std::string& document_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return OneVersioned(tx.exec_prepared(statements::kDocumentGet, document_id));
  });
}

std::optional<std::int64_t> PgDocumentViewQueries::DocumentVersion(const std::string& document_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) -> std::optional<std::int64_t> {
    const auto rows = tx.exec_prepared(statements::kDocumentVersion, document_id);
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::int64_t>();
  });
}

Page PgDocumentViewQueries::Documents(const DocumentFilter& filter, const std::string& cursor, int limit) {
  const auto after = AfterTimeCursor(cursor);
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    const char* project = filter.project_id ? filter.project_id->c_str() : nullptr;
    const char* status = filter.status ? filter.status->c_str() : nullptr;
    return PageOf(tx.exec_prepared(statements::kDocumentList, project, status, after.time, after.id, limit), limit);
  });
}

std::optional<StoredContent> PgDocumentViewQueries::Content(const std::string& document_id) {
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) -> std::optional<StoredContent> {
    const auto result = tx.exec_prepared(statements::kContentOfDocument, document_id);
    if (result.empty()) return std::nullopt;
    return StoredContent{pqxx::binarystring(result[0][0]).str(), result[0][1].c_str()};
  });
}

}  // namespace docledger::projections
