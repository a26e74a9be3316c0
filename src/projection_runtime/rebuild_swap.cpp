#include "projection_runtime/rebuild_swap.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include <pqxx/pqxx>

#include "infrastructure/pg_array.hpp"
#include "projection_runtime/rebuild_sql.hpp"

namespace docledger::projection_runtime {

using infrastructure::ToPgArray;
namespace {

// Owner, privileges and index names of the live tables, kept for the tables that replace
// them (LIKE .. INCLUDING ALL copies none of these).
constexpr const char* kCaptureLiveTables = R"SQL(
CREATE TEMP TABLE docledger_swap ON COMMIT DROP AS
SELECT c.relname::text AS name, c.relowner::regrole::text AS owner, c.relacl AS acl,
       (SELECT coalesce(jsonb_object_agg(split_part(pg_get_indexdef(i.indexrelid), ' ON ', 2), ic.relname), '{}')
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid) AS indexes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relname = ANY($1::text[]))SQL";

// All the tables at once, in one statement, with a bound on the wait: readers queue
// behind the swap for at most this long, and a lock cycle with a reader fails fast and is
// retried instead of hanging. Tables the group references come first (dropping a
// referencing table locks them; their writers, whose cascades reach the group's tables,
// lock in that order too), then the group's, parents first.
void LockTables(pqxx::work& tx, const GroupPlan& plan, const std::string& schema) {
  std::vector<std::string> relations = plan.outside_referenced;
  for (const auto& table : plan.tables) relations.push_back(rebuild_sql::Live(table));
  for (const auto& table : plan.tables) relations.push_back(rebuild_sql::Shadow(schema, table));
  tx.exec(rebuild_sql::kBoundedLockWait);
  if (!relations.empty()) tx.exec(rebuild_sql::LockTables(relations));
}

void RequireSameKeys(const std::vector<std::string>& before, const std::vector<std::string>& after,
                     const GroupPlan& plan) {
  if (after == before) return;
  std::vector<std::string> lost, gained;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(lost));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(gained));
  throw std::runtime_error("the swap of " + Join(plan.names) + " would change foreign keys (before: " +
                           Join(lost, "; ") + "; after: " + Join(gained, "; ") + "); nothing was swapped");
}

}  // namespace

void SwapIn(pqxx::work& tx, const GroupPlan& plan, const std::string& schema,
            const std::vector<RebuildResult>& results) {
  LockTables(tx, plan, schema);
  const auto keys_before = ForeignKeyFingerprint(tx, plan.tables);
  tx.exec_params(kCaptureLiveTables, ToPgArray(plan.tables));
  std::vector<std::string> live;
  for (const auto& table : plan.tables) live.push_back(rebuild_sql::Live(table));
  // One statement: the group's tables reference each other, nothing else does.
  if (!live.empty()) tx.exec(rebuild_sql::DropTables(live));
  for (const auto& table : plan.tables) tx.exec(rebuild_sql::MoveIn(tx, schema, table));
  RequireSameKeys(keys_before, ForeignKeyFingerprint(tx, plan.tables), plan);
  tx.exec_params("DELETE FROM public.projection_parked WHERE projection = ANY($1::text[])", ToPgArray(plan.names));
  tx.exec_params(rebuild_sql::CopyParkedIn(schema), ToPgArray(plan.names));
  for (std::size_t i = 0; i < plan.members.size(); ++i) {
    tx.exec_params("UPDATE public.projection_checkpoints SET last_sequence = $2, updated_at = now() WHERE name = $1",
                   plan.names[i], results[i].checkpoint);
  }
  tx.commit();
}

}  // namespace docledger::projection_runtime
