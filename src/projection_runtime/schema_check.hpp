// Start-up check of the read-model tables: every column a projection writes (its Tables()
// and OutboxTables()) or reads (ReadTables()) exists in the live database. A column that a
// migration did not add is found here, with its name, instead of as events that park one
// by one when the projector first writes it.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "projections/projection.hpp"

namespace docledger::projection_runtime {

// "projection <name>: table <table> has no column <column>" or "... table <table> does not exist".
struct SchemaProblem {
  std::string projection;
  std::string table;
  std::string column;  // empty: the table itself is missing
  std::string Describe() const;
};

class ProjectionSchemaMismatch : public std::runtime_error {
 public:
  explicit ProjectionSchemaMismatch(std::vector<SchemaProblem> problems);
  const std::vector<SchemaProblem>& problems() const { return problems_; }

 private:
  std::vector<SchemaProblem> problems_;
};

// The columns the projections declare that the database (through the connection's
// search_path) lacks; empty when every one is there.
std::vector<SchemaProblem> FindSchemaProblems(pqxx::connection& conn,
                                              const std::vector<std::shared_ptr<const projections::Projection>>& all);

// Throws ProjectionSchemaMismatch naming every missing table and column.
void RequireProjectionSchema(pqxx::connection& conn,
                             const std::vector<std::shared_ptr<const projections::Projection>>& all);

}  // namespace docledger::projection_runtime
