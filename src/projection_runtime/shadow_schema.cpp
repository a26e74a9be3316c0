#include "projection_runtime/shadow_schema.hpp"

#include <pqxx/pqxx>
#include <spdlog/common.h>

#include "infrastructure/logging.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/rebuild_sql.hpp"

namespace docledger::projection_runtime {

namespace statements = infrastructure::statements;
namespace {

// Drops a shadow schema. Dropping a shadow table whose key references a live table takes
// that table's lock for a moment (its referential triggers go): bounded and retried.
void DropSchema(pqxx::connection& conn, const std::string& schema) {
  for (int attempt = 1;; ++attempt) {
    try {
      pqxx::work tx(conn);
      tx.exec(rebuild_sql::kBoundedLockWait);
      tx.exec(rebuild_sql::DropSchema(schema));
      tx.commit();
      return;
    } catch (const pqxx::sql_error& e) {
      if (!rebuild_sql::IsLockFailure(e) || attempt >= 5) throw;
      infrastructure::LogEvent(spdlog::level::warn, "replay: dropping the rebuild schema could not take its locks; retrying",
               {{"schema", schema}, {"attempt", attempt}, {"detail", e.what()}});
    }
  }
}

}  // namespace

std::string ShadowSchemaFor(const std::string& projection) {
  std::string schema = "docledger_rebuild_";
  for (char c : projection) {
    schema.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
  }
  return schema.substr(0, 63);
}

ShadowSchema::ShadowSchema(pqxx::connection& conn, const GroupPlan& plan)
    : conn_(conn), name_(ShadowSchemaFor(plan.members.front()->Name())) {
  // Identifiers come from the projections' code.
  pqxx::work tx(conn_);
  tx.exec(rebuild_sql::CreateSchema(name_));
  for (const auto& table : plan.tables) tx.exec(rebuild_sql::CreateLikeLive(name_, table));
  for (const auto& key : plan.keys) {
    tx.exec(rebuild_sql::AddForeignKey(name_, key,
                                       plan.ReferencesInside(key)
                                           ? rebuild_sql::RetargetedDefinition(key, key.referenced_text, name_)
                                           : key.definition));
  }
  for (const char* bookkeeping : {"projection_checkpoints", "projection_parked"}) {
    tx.exec(rebuild_sql::CreateLikeLive(name_, bookkeeping));
  }
  for (const auto& name : plan.names) {
    tx.exec_params(rebuild_sql::InsertShadowCheckpoint(name_), name);
    tx.exec_prepared(statements::kCheckpointEnsure, name);  // the live row, for the swap lock
  }
  tx.commit();
}

ShadowSchema::~ShadowSchema() {
  try {
    DropSchema(conn_, name_);
  } catch (const std::exception& e) {
    infrastructure::LogEvent(spdlog::level::warn, "replay: could not drop the rebuild schema; the next rebuild drops it",
             {{"schema", name_}, {"detail", e.what()}});
  }
}

void ShadowSchema::DropLeftovers(pqxx::connection& conn, const RebuildGroup& group) {
  for (const auto& p : group.projections) DropSchema(conn, ShadowSchemaFor(p->Name()));
}

}  // namespace docledger::projection_runtime
