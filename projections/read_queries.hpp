// Every read model's query interface, as the HTTP handlers see one database (the primary
// or a streaming replica: api/read_router.*). Implemented over PostgreSQL by
// read_queries_pg.* (each read model's in its own folder).
#pragma once

#include <cstdint>
#include <string>

#include "projections/alerts/alert_queries.hpp"
#include "projections/document_sources/source_queries.hpp"
#include "projections/document_views/document_view_queries.hpp"
#include "projections/extractions/extraction_queries.hpp"
#include "projections/jobs/job_queries.hpp"
#include "projections/projects/project_queries.hpp"
#include "projections/semantic_ir/semantic_ir_queries.hpp"

namespace docledger::projections {

// How far a database has got: the checkpoint of `projection`, or the head of the log
// (highest committed sequence) when `projection` is "". 0 when nothing yet.
class ReadPositions {
 public:
  virtual ~ReadPositions() = default;
  virtual std::int64_t Position(const std::string& projection) = 0;
};

struct ReadQueries {
  ProjectQueries& projects;
  DocumentViewQueries& documents;
  SourceQueries& sources;
  SemanticIrQueries& semantic_ir;
  ExtractionQueries& extractions;
  JobQueries& jobs;
  AlertQueries& alerts;
  ReadPositions& positions;
};

}  // namespace docledger::projections
