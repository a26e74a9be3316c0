// Every read model's queries over one PostgreSQL database (the primary's pool, or a
// streaming replica's), bundled as the handlers see them (read_queries.hpp).
#pragma once

#include "projections/alerts/alert_queries_pg.hpp"
#include "projections/document_sources/source_queries_pg.hpp"
#include "projections/document_views/document_view_queries_pg.hpp"
#include "projections/extractions/extraction_queries_pg.hpp"
#include "projections/jobs/job_queries_pg.hpp"
#include "projections/projects/project_queries_pg.hpp"
#include "projections/read_queries.hpp"
#include "projections/semantic_ir/semantic_ir_queries_pg.hpp"

namespace docledger::projections {

// ReadPositions over PostgreSQL (statement kReadPosition).
class PgReadPositions final : public ReadPositions {
 public:
  explicit PgReadPositions(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  std::int64_t Position(const std::string& projection) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

class PgReadQueries {
 public:
  explicit PgReadQueries(infrastructure::ConnectionPool& pool);
  PgReadQueries(const PgReadQueries&) = delete;
  PgReadQueries& operator=(const PgReadQueries&) = delete;

  const ReadQueries& Queries() const { return queries_; }

 private:
  PgProjectQueries projects_;
  PgDocumentViewQueries documents_;
  PgSourceQueries sources_;
  PgSemanticIrQueries semantic_ir_;
  PgExtractionQueries extractions_;
  PgJobQueries jobs_;
  PgAlertQueries alerts_;
  PgReadPositions positions_;
  ReadQueries queries_;
};

}  // namespace docledger::projections
