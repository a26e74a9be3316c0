#include "projection_runtime/projection_rebuild.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/projector_runner.hpp"

namespace docledger::projection_runtime {

using infrastructure::OpenConnection;
using infrastructure::QuoteIdentifier;
using infrastructure::ToPgArray;
namespace statements = infrastructure::statements;
namespace {

using projections::Projection;

std::string ShadowSchemaFor(const std::string& projection) {
  std::string schema = "docledger_rebuild_";
  for (char c : projection) {
    schema.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
  }
  return schema.substr(0, 63);
}

std::string Live(const std::string& table) { return "public." + QuoteIdentifier(table); }
std::string Shadow(const std::string& schema, const std::string& table) {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
}

std::string Join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : separator) + item;
  return joined;
}

bool IsLockFailure(const pqxx::sql_error& e) {
  // lock_timeout (55P03) or a deadlock (40P01): nothing was done; trying again can succeed.
  return e.sqlstate() == "55P03" || e.sqlstate() == "40P01";
}

// The rebuild's own connection. A fixed search_path makes the catalog print the names
// of public tables unqualified, the same way before and after a swap.
std::unique_ptr<pqxx::connection> OpenRebuildConnection(const std::string& url) {
  auto conn = OpenConnection(url);
  conn->set_variable("search_path", "public");
  return conn;
}

// A foreign key as the catalog has it, with what the rebuild needs to re-point it.
struct CatalogKey : ForeignKey {
  std::string schema;             // of the referencing table
  std::string referenced_schema;
  std::string referenced_text;    // the referenced table as the definition prints it
};

// Every foreign key whose referencing or referenced table is one of `tables` (public).
std::vector<CatalogKey> ForeignKeysTouching(pqxx::transaction_base& tx, const std::vector<std::string>& tables) {
  std::vector<CatalogKey> keys;
  const auto rows = tx.exec_params(
      "SELECT c.conname, rn.nspname, rc.relname, fn.nspname, fc.relname, pg_get_constraintdef(c.oid), "
      "       c.confrelid::regclass::text "
      "  FROM pg_constraint c "
      "  JOIN pg_class rc ON rc.oid = c.conrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
      "  JOIN pg_class fc ON fc.oid = c.confrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace "
      " WHERE c.contype = 'f' AND ((rn.nspname = 'public' AND rc.relname = ANY($1::text[])) "
      "    OR (fn.nspname = 'public' AND fc.relname = ANY($1::text[]))) "
      " ORDER BY rn.nspname, rc.relname, c.conname",
      ToPgArray(tables));
  for (const auto& row : rows) {
    CatalogKey key;
    key.name = row[0].c_str();
    key.schema = row[1].c_str();
    key.table = row[2].c_str();
    key.referenced_schema = row[3].c_str();
    key.referenced_table = row[4].c_str();
    key.definition = row[5].c_str();
    key.referenced_text = row[6].c_str();
    keys.push_back(std::move(key));
  }
  return keys;
}

// "table.constraint: definition" of every key touching `tables`, sorted: what the swap
// must leave exactly as it found it.
std::vector<std::string> ForeignKeyFingerprint(pqxx::transaction_base& tx, const std::vector<std::string>& tables) {
  std::vector<std::string> lines;
  for (const auto& key : ForeignKeysTouching(tx, tables)) {
    lines.push_back(key.schema + "." + key.table + "." + key.name + ": " + key.definition);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The key's definition with its referenced table replaced by the shadow one.
std::string RetargetedDefinition(const CatalogKey& key, const std::string& schema) {
  const std::string needle = " REFERENCES " + key.referenced_text + "(";
  const auto at = key.definition.find(needle);
  if (at == std::string::npos || key.definition.find(needle, at + 1) != std::string::npos) {
    throw std::runtime_error("cannot re-point foreign key " + key.name + " of " + key.table + " (" + key.definition +
                             ") at the rebuilt " + key.referenced_table);
  }
  return key.definition.substr(0, at) + " REFERENCES " + Shadow(schema, key.referenced_table) + "(" +
         key.definition.substr(at + needle.size());
}

// Drops a shadow schema. Dropping a shadow table whose key references a live table takes
// that table's lock for a moment (its referential triggers go): bounded and retried.
void DropSchema(pqxx::connection& conn, const std::string& schema) {
  for (int attempt = 1;; ++attempt) {
    try {
      pqxx::work tx(conn);
      tx.exec("SET LOCAL lock_timeout = '5s'");
      tx.exec("DROP SCHEMA IF EXISTS " + QuoteIdentifier(schema) + " CASCADE");
      tx.commit();
      return;
    } catch (const pqxx::sql_error& e) {
      if (!IsLockFailure(e) || attempt >= 5) throw;
      infrastructure::LogEvent(spdlog::level::warn, "replay: dropping a schema could not take its locks; retrying",
                               {{"schema", schema}, {"attempt", attempt}, {"error", e.what()}});
    }
  }
}

// The row set of a table, order-independent: count and md5 over the sorted row texts.
std::pair<std::int64_t, std::string> Checksum(pqxx::work& tx, const std::string& relation) {
  // md5 over the sorted md5s of the rows: 33 bytes per row to aggregate, whatever the rows.
  const auto row = tx.exec1("SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(x::text) AS h FROM " +
                            relation + " AS x) AS hashed");
  return {row[0].as<std::int64_t>(), row[1].c_str()};
}

std::vector<std::string> Difference(pqxx::work& tx, const std::string& left, const std::string& right) {
  std::vector<std::string> rows;
  for (const auto& row : tx.exec("SELECT d::text FROM (SELECT * FROM " + left + " EXCEPT ALL SELECT * FROM " +
                                 right + ") AS d ORDER BY 1 LIMIT 5")) {
    rows.emplace_back(row[0].c_str());
  }
  return rows;
}

TableComparison Compare(pqxx::work& tx, const std::string& label, const std::string& live,
                        const std::string& rebuilt) {
  TableComparison c;
  c.table = label;
  std::tie(c.live_rows, c.live_checksum) = Checksum(tx, live);
  std::tie(c.rebuilt_rows, c.rebuilt_checksum) = Checksum(tx, rebuilt);
  if (!c.identical()) {
    c.only_live = Difference(tx, live, rebuilt);
    c.only_rebuilt = Difference(tx, rebuilt, live);
  }
  return c;
}

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

// Moves <schema>.<table> into public (the live table is already dropped) and gives it the
// captured owner, privileges and index names (matched by definition). Its foreign keys
// move with it: those to other tables of the group point at them wherever they are, so
// at the end of the swap at the swapped-in tables.
std::string MoveInSql(pqxx::transaction_base& tx, const std::string& schema, const std::string& table) {
  return R"SQL(
DO $swap$
DECLARE
  live constant text := )SQL" + tx.quote(Live(table)) + R"SQL(;
  meta record;
  grant_row record;
  index_row record;
  old_name text;
BEGIN
  SELECT * INTO STRICT meta FROM pg_temp.docledger_swap WHERE name = )SQL" + tx.quote(table) + R"SQL(;
  EXECUTE format('ALTER TABLE %s SET SCHEMA public', )SQL" + tx.quote(Shadow(schema, table)) + R"SQL();
  IF meta.owner <> current_user::regrole::text THEN
    EXECUTE format('ALTER TABLE %s OWNER TO %s', live, meta.owner);
  END IF;
  FOR grant_row IN SELECT * FROM aclexplode(meta.acl) WHERE meta.acl IS NOT NULL LOOP
    EXECUTE format('GRANT %s ON %s TO %s%s', grant_row.privilege_type, live,
                   CASE WHEN grant_row.grantee = 0 THEN 'PUBLIC' ELSE grant_row.grantee::regrole::text END,
                   CASE WHEN grant_row.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
  FOR index_row IN
    SELECT ic.relname AS name, split_part(pg_get_indexdef(i.indexrelid), ' ON ', 2) AS def
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = live::regclass
  LOOP
    old_name := meta.indexes ->> index_row.def;
    IF old_name IS NOT NULL AND old_name <> index_row.name THEN
      EXECUTE format('ALTER INDEX public.%I RENAME TO %I', index_row.name, old_name);
    END IF;
  END LOOP;
END $swap$)SQL";
}

// Indexes of `projections` in an order where every projection comes after the ones it
// depends on (DependsOn) and the ones whose tables its tables reference (`edges`:
// parent index -> child index). Stable: ties keep the given order.
std::vector<std::size_t> ParentsFirst(const std::vector<std::shared_ptr<const Projection>>& projections,
                                      std::set<std::pair<std::size_t, std::size_t>> edges) {
  const auto n = projections.size();
  for (std::size_t child = 0; child < n; ++child) {
    for (const auto& dependency : projections[child]->DependsOn()) {
      for (std::size_t parent = 0; parent < n; ++parent) {
        if (parent != child && projections[parent]->Name() == dependency) edges.emplace(parent, child);
      }
    }
  }
  std::vector<std::size_t> incoming(n, 0);
  for (const auto& [parent, child] : edges) ++incoming[child];
  std::vector<std::size_t> order;
  std::vector<bool> placed(n, false);
  while (order.size() < n) {
    std::size_t next = n;
    for (std::size_t i = 0; i < n && next == n; ++i) {
      if (!placed[i] && incoming[i] == 0) next = i;
    }
    if (next == n) {
      std::string cycle;
      for (std::size_t i = 0; i < n; ++i) {
        if (!placed[i]) cycle += (cycle.empty() ? "" : ", ") + projections[i]->Name();
      }
      throw std::runtime_error("projections " + cycle +
                               " depend on or reference each other in a cycle; they cannot be rebuilt in order");
    }
    placed[next] = true;
    order.push_back(next);
    for (const auto& [parent, child] : edges) {
      if (parent == next) --incoming[child];
    }
  }
  return order;
}

// Table name -> index of the projection owning it.
std::map<std::string, std::size_t> TableOwners(const std::vector<std::shared_ptr<const Projection>>& projections) {
  std::map<std::string, std::size_t> owners;
  for (std::size_t i = 0; i < projections.size(); ++i) {
    for (const auto& table : projections[i]->Tables()) {
      const auto [it, inserted] = owners.emplace(table.name, i);
      if (!inserted && it->second != i) {
        throw std::runtime_error("table " + table.name + " is claimed by projections " +
                                 projections[it->second]->Name() + " and " + projections[i]->Name());
      }
    }
  }
  return owners;
}

std::string Describe(const ForeignKey& key) {
  return "its table " + key.table + " references " + key.referenced_table + ": " + key.name;
}

}  // namespace

std::vector<std::string> RebuildGroup::Names() const {
  std::vector<std::string> names;
  for (const auto& p : projections) names.push_back(p->Name());
  return names;
}

std::vector<RebuildGroup> PlanRebuilds(const std::string& url, const ProjectionList& requested,
                                       const ProjectionList& known) {
  ProjectionList all = known;
  for (const auto& p : requested) {
    if (std::none_of(all.begin(), all.end(), [&](const auto& k) { return k->Name() == p->Name(); })) all.push_back(p);
  }
  const auto owners = TableOwners(all);
  std::vector<std::string> tables;
  for (const auto& [table, owner] : owners) tables.push_back(table);

  std::vector<CatalogKey> keys;
  {
    auto conn = OpenRebuildConnection(url);
    pqxx::read_transaction tx(*conn);
    keys = ForeignKeysTouching(tx, tables);
  }
  // Edges parent -> child between projections, and the keys that make them.
  std::set<std::pair<std::size_t, std::size_t>> edges;
  std::map<std::size_t, std::vector<const CatalogKey*>> referenced_by;  // parent -> keys into its tables
  for (const auto& key : keys) {
    if (key.referenced_schema != "public" || !owners.count(key.referenced_table)) continue;
    const auto parent = owners.at(key.referenced_table);
    referenced_by[parent].push_back(&key);
    if (key.schema == "public" && owners.count(key.table) && owners.at(key.table) != parent) {
      edges.emplace(parent, owners.at(key.table));
    }
  }

  // Each requested projection and, transitively, every projection referencing its
  // tables; groups that share a projection are merged.
  std::vector<std::size_t> group_of(all.size());
  std::iota(group_of.begin(), group_of.end(), 0);
  const auto root = [&](std::size_t i) {
    while (group_of[i] != i) i = group_of[i];
    return i;
  };
  std::set<std::size_t> members;
  std::set<std::string> requested_names;
  std::map<std::size_t, std::string> reasons;
  for (const auto& p : requested) {
    requested_names.insert(p->Name());
    std::size_t start = 0;
    while (all[start]->Name() != p->Name()) ++start;
    std::vector<std::size_t> todo{start};
    members.insert(start);
    while (!todo.empty()) {
      const auto parent = todo.back();
      todo.pop_back();
      for (const auto* key : referenced_by[parent]) {
        if (key->schema != "public" || !owners.count(key->table)) {
          throw std::runtime_error("table " + key->schema + "." + key->table + " references " + key->referenced_table +
                                   " of projection " + all[parent]->Name() + " (foreign key " + key->name +
                                   ") but belongs to no projection; " + all[parent]->Name() +
                                   " cannot be rebuilt and swapped while it does");
        }
        const auto child = owners.at(key->table);
        if (child == parent) continue;
        if (!reasons.count(child)) reasons[child] = Describe(*key);
        group_of[root(child)] = root(parent);
        if (members.insert(child).second) todo.push_back(child);
      }
    }
  }

  const auto order = ParentsFirst(all, edges);
  std::map<std::size_t, RebuildGroup> by_root;
  std::vector<std::size_t> roots_in_order;
  for (const auto i : order) {
    if (!members.count(i)) continue;
    const auto r = root(i);
    if (!by_root.count(r)) roots_in_order.push_back(r);
    auto& group = by_root[r];
    group.projections.push_back(all[i]);
    if (requested_names.count(all[i]->Name())) {
      group.requested.push_back(all[i]->Name());
    } else {
      group.added.push_back(all[i]->Name() + " (" + reasons[i] + ")");
    }
  }
  std::vector<RebuildGroup> groups;
  for (const auto r : roots_in_order) groups.push_back(std::move(by_root[r]));
  return groups;
}

std::vector<RebuildResult> RebuildProjectionGroup(const std::string& url, const RebuildGroup& group,
                                                  const RebuildOptions& options) {
  if (group.projections.empty()) return {};
  for (const auto& p : group.projections) {
    if (dynamic_cast<const projections::Reactor*>(p.get()) != nullptr) {
      throw std::runtime_error(p->Name() + " is a reactor: its effects are events in the log, which a replay would "
                               "only append again as no-ops; there is nothing to rebuild");
    }
  }
  const auto started = std::chrono::steady_clock::now();
  const auto owners = TableOwners(group.projections);
  auto owned_conn = OpenRebuildConnection(url);
  pqxx::connection& conn = *owned_conn;

  // One rebuild per projection at a time, whatever group it is rebuilt in: the lease of
  // every member, held by this session until it ends.
  {
    pqxx::nontransaction tx(conn);
    for (const auto& p : group.projections) {
      if (!tx.exec_prepared1(statements::kLeaseTry, kRebuildLeaseClass, p->Name())[0].as<bool>()) {
        throw RebuildAlreadyRunning(p->Name());
      }
    }
  }
  // Shadow schemas left by a rebuild that died: holding the leases, they are ours to drop
  // (a crashed rebuild of a child would otherwise leave keys into our tables).
  for (const auto& p : group.projections) DropSchema(conn, ShadowSchemaFor(p->Name()));

  std::vector<CatalogKey> keys;
  {
    pqxx::read_transaction tx(conn);
    std::vector<std::string> tables;
    for (const auto& [table, owner] : owners) tables.push_back(table);
    keys = ForeignKeysTouching(tx, tables);
  }
  std::set<std::pair<std::size_t, std::size_t>> edges;
  std::vector<std::string> outside_referenced;  // live tables outside the group that the group references
  for (const auto& key : keys) {
    const bool referencing_inside = key.schema == "public" && owners.count(key.table);
    const bool referenced_inside = key.referenced_schema == "public" && owners.count(key.referenced_table);
    if (!referencing_inside) {
      throw std::runtime_error("table " + key.schema + "." + key.table + " references " + key.referenced_table +
                               " (foreign key " + key.name + ") but is not rebuilt with it: rebuild the projection "
                               "owning it in the same group (docledger replay does)");
    }
    if (referenced_inside) {
      if (owners.at(key.referenced_table) != owners.at(key.table)) {
        edges.emplace(owners.at(key.referenced_table), owners.at(key.table));
      }
    } else {
      const auto name = QuoteIdentifier(key.referenced_schema) + "." + QuoteIdentifier(key.referenced_table);
      if (std::find(outside_referenced.begin(), outside_referenced.end(), name) == outside_referenced.end()) {
        outside_referenced.push_back(name);
      }
    }
  }
  std::vector<std::shared_ptr<const Projection>> members;
  for (const auto i : ParentsFirst(group.projections, edges)) members.push_back(group.projections[i]);
  std::vector<std::string> names, tables;
  for (const auto& p : members) {
    names.push_back(p->Name());
    for (const auto& table : p->Tables()) tables.push_back(table.name);
  }
  std::vector<std::string> sorted_names = names;
  std::sort(sorted_names.begin(), sorted_names.end());
  // Dependencies outside the group: the rebuild never runs ahead of their live checkpoints.
  std::vector<std::string> outside_dependencies;
  for (const auto& p : members) {
    for (const auto& dependency : p->DependsOn()) {
      if (std::find(names.begin(), names.end(), dependency) == names.end() &&
          std::find(outside_dependencies.begin(), outside_dependencies.end(), dependency) ==
              outside_dependencies.end()) {
        outside_dependencies.push_back(dependency);
      }
    }
  }
  if (members.size() > 1) {
    infrastructure::LogEvent(spdlog::level::info, "replay: rebuilding together (foreign keys between their tables)",
                             {{"projections", names}});
  }
  for (const auto& added : group.added) {
    infrastructure::LogEvent(spdlog::level::info, "replay also rebuilds", {{"requested", group.requested}, {"added", added}});
  }

  const auto schema = ShadowSchemaFor(members.front()->Name());
  {
    // The shadow schema: the group's tables (LIKE .. INCLUDING ALL), their foreign keys
    // (into the group: at the shadow tables; out of it: at the live ones), and its own
    // checkpoint and parked rows. A row per member in its checkpoints makes the runtime
    // read a member's dependencies inside the group from here, and those outside from
    // public (kDependencyCheckpoint). Identifiers come from the projections' code.
    pqxx::work tx(conn);
    tx.exec("CREATE SCHEMA " + QuoteIdentifier(schema));
    for (const auto& table : tables) {
      tx.exec("CREATE TABLE " + Shadow(schema, table) + " (LIKE " + Live(table) + " INCLUDING ALL)");
    }
    for (const auto& key : keys) {
      const bool referenced_inside = key.referenced_schema == "public" && owners.count(key.referenced_table);
      tx.exec("ALTER TABLE " + Shadow(schema, key.table) + " ADD CONSTRAINT " + QuoteIdentifier(key.name) + " " +
              (referenced_inside ? RetargetedDefinition(key, schema) : key.definition));
    }
    for (const char* bookkeeping : {"projection_checkpoints", "projection_parked"}) {
      tx.exec("CREATE TABLE " + Shadow(schema, bookkeeping) + " (LIKE " + Live(bookkeeping) + " INCLUDING ALL)");
    }
    for (const auto& name : names) {
      tx.exec_params("INSERT INTO " + Shadow(schema, "projection_checkpoints") + " (name) VALUES ($1)", name);
      tx.exec_prepared(statements::kCheckpointEnsure, name);  // the live row, for the swap lock
    }
    tx.commit();
  }
  struct DropShadow {
    pqxx::connection& conn;
    std::string schema;
    ~DropShadow() {
      try {
        DropSchema(conn, schema);
      } catch (const std::exception& e) {
        infrastructure::LogEvent(spdlog::level::warn, "could not drop the rebuild schema; the next rebuild drops it",
                                 {{"schema", schema}, {"error", e.what()}});
      }
    }
  } drop_shadow{conn, schema};

  // One shadow runner per member, all on the shadow schema, run parents first.
  std::vector<std::unique_ptr<ProjectorRunner>> runners;
  std::vector<std::int64_t> targets(members.size(), 0);
  const auto report = [&](std::size_t i, std::int64_t checkpoint) {
    if (!options.on_progress) return;
    RebuildProgress progress;
    progress.projection = names[i];
    progress.checkpoint = checkpoint;
    progress.target = targets[i];
    progress.events = runners[i]->Progress().events_applied;
    progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    options.on_progress(progress);
  };
  for (std::size_t i = 0; i < members.size(); ++i) {
    ProjectorOptions runner_options;
    runner_options.batch_size = options.batch_size;
    runner_options.instance = options.instance;
    runner_options.schema = schema;
    runner_options.take_lease = false;
    runner_options.external_effects = !options.verify_only;
    runners.push_back(std::make_unique<ProjectorRunner>(url, members[i], runner_options));
    runners.back()->OnBatch([&report, i](std::int64_t checkpoint, std::size_t) { report(i, checkpoint); });
  }

  // Where each member must get to. Swap: the head, but never past a live dependency
  // outside the group; one target for the whole group. Verify: each member's live
  // checkpoint. `live` holds the live checkpoints (read under their row locks during
  // the swap transaction).
  const auto compute_targets = [&](pqxx::transaction_base& tx, const std::map<std::string, std::int64_t>& live) {
    std::vector<std::int64_t> wanted(members.size());
    std::int64_t group_target = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
    std::map<std::string, std::int64_t> outside;
    for (const auto& dependency : outside_dependencies) {
      outside[dependency] = tx.exec_prepared1(statements::kDependencyCheckpoint, dependency)[0].as<std::int64_t>();
      group_target = std::min(group_target, outside[dependency]);
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
      wanted[i] = options.verify_only ? live.at(names[i]) : group_target;
      // A runner never passes its dependencies: what they reach (here or live) bounds it.
      std::int64_t reachable = wanted[i];
      for (const auto& dependency : members[i]->DependsOn()) {
        const auto inside = std::find(names.begin(), names.end(), dependency);
        reachable = std::min(reachable, inside != names.end() ? wanted[inside - names.begin()] : outside[dependency]);
      }
      if (reachable < wanted[i]) {
        throw std::runtime_error("cannot verify " + names[i] + " at its live checkpoint " + std::to_string(wanted[i]) +
                                 ": its dependencies are only at " + std::to_string(reachable));
      }
    }
    return wanted;
  };
  const auto catch_up = [&](const std::vector<std::int64_t>& wanted) {
    for (std::size_t i = 0; i < members.size(); ++i) {
      targets[i] = wanted[i];
      runners[i]->CatchUp(wanted[i]);
    }
  };
  {
    pqxx::read_transaction tx(conn);
    std::map<std::string, std::int64_t> live;
    for (const auto& name : names) {
      live[name] = tx.exec_prepared1(statements::kCheckpointRead, name)[0].as<std::int64_t>();
    }
    targets = compute_targets(tx, live);
  }
  catch_up(targets);

  std::vector<RebuildResult> results(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) results[i].projection = names[i];
  for (int attempt = 1;; ++attempt) {
    try {
      // Pause the group's live projectors at a batch boundary: each takes its row lock
      // first in every batch (taken here in name order, so two rebuilds cannot deadlock
      // on them). Then catch up the little that arrived meanwhile, and swap or compare.
      pqxx::work tx(conn);
      std::map<std::string, std::int64_t> live;
      for (const auto& name : sorted_names) {
        live[name] = tx.exec_prepared1(statements::kCheckpointLock, name)[0].as<std::int64_t>();
      }
      // No table is locked yet: the shadow runners read live tables (a parent outside the
      // group, through Find and their keys) and must not wait for this transaction.
      catch_up(compute_targets(tx, live));
      for (std::size_t i = 0; i < members.size(); ++i) {
        results[i].checkpoint = runners[i]->Checkpoint();
        if (results[i].checkpoint != targets[i]) {
          throw std::runtime_error("the rebuild of " + names[i] + " stopped at sequence " +
                                   std::to_string(results[i].checkpoint) + " instead of " +
                                   std::to_string(targets[i]) + "; nothing was swapped");
        }
      }
      if (options.verify_only) {
        for (std::size_t i = 0; i < members.size(); ++i) {
          auto& comparisons = results[i].comparisons;
          for (const auto& table : members[i]->Tables()) {
            comparisons.push_back(Compare(tx, table.name, Live(table.name), Shadow(schema, table.name)));
          }
          const auto suffix = std::to_string(i);
          const char* kParkedSelect =
              " ON COMMIT DROP AS SELECT sequence, event_id, stream_id, held_behind IS NULL AS failed FROM ";
          tx.exec_params("CREATE TEMP TABLE live_parked_" + suffix + kParkedSelect +
                             "public.projection_parked WHERE projection = $1",
                         names[i]);
          tx.exec_params("CREATE TEMP TABLE rebuilt_parked_" + suffix + kParkedSelect +
                             Shadow(schema, "projection_parked") + " WHERE projection = $1",
                         names[i]);
          comparisons.push_back(Compare(tx, "projection_parked", "pg_temp.live_parked_" + suffix,
                                        "pg_temp.rebuilt_parked_" + suffix));
        }
        // Nothing to commit: the transaction only read; rolling back releases the rows.
      } else {
        // All the tables at once, in one statement, with a bound on the wait: readers
        // queue behind the swap for at most this long, and a lock cycle with a reader
        // fails fast and is retried instead of hanging. Tables the group references
        // come first (dropping a referencing table locks them; their writers, whose
        // cascades reach the group's tables, lock in that order too), then the group's,
        // parents first.
        std::string lock_list;
        const auto add = [&](const std::string& relation) {
          lock_list += (lock_list.empty() ? "" : ", ") + relation;
        };
        for (const auto& relation : outside_referenced) add(relation);
        for (const auto& table : tables) add(Live(table));
        for (const auto& table : tables) add(Shadow(schema, table));
        tx.exec("SET LOCAL lock_timeout = '5s'");
        if (!lock_list.empty()) tx.exec("LOCK TABLE " + lock_list + " IN ACCESS EXCLUSIVE MODE");

        const auto keys_before = ForeignKeyFingerprint(tx, tables);
        tx.exec_params(kCaptureLiveTables, ToPgArray(tables));
        std::string drop_list;
        for (const auto& table : tables) drop_list += (drop_list.empty() ? "" : ", ") + Live(table);
        // One statement: the group's tables reference each other, nothing else does.
        if (!drop_list.empty()) tx.exec("DROP TABLE " + drop_list);
        for (const auto& table : tables) tx.exec(MoveInSql(tx, schema, table));
        const auto keys_after = ForeignKeyFingerprint(tx, tables);
        if (keys_after != keys_before) {
          std::vector<std::string> lost, gained;
          std::set_difference(keys_before.begin(), keys_before.end(), keys_after.begin(), keys_after.end(),
                              std::back_inserter(lost));
          std::set_difference(keys_after.begin(), keys_after.end(), keys_before.begin(), keys_before.end(),
                              std::back_inserter(gained));
          throw std::runtime_error("the swap of " + Join(names) + " would change foreign keys (before: " +
                                   Join(lost, "; ") + "; after: " + Join(gained, "; ") + "); nothing was swapped");
        }
        tx.exec_params("DELETE FROM public.projection_parked WHERE projection = ANY($1::text[])", ToPgArray(names));
        tx.exec_params("INSERT INTO public.projection_parked SELECT * FROM " + Shadow(schema, "projection_parked") +
                           " WHERE projection = ANY($1::text[])",
                       ToPgArray(names));
        for (std::size_t i = 0; i < members.size(); ++i) {
          tx.exec_params(
              "UPDATE public.projection_checkpoints SET last_sequence = $2, updated_at = now() WHERE name = $1",
              names[i], results[i].checkpoint);
        }
        tx.commit();
        for (auto& result : results) result.swapped = true;
      }
      break;
    } catch (const pqxx::sql_error& e) {
      // The shadow tables are intact; try the swap again.
      if (!IsLockFailure(e) || attempt >= 5) throw;
      for (auto& result : results) result.comparisons.clear();
      infrastructure::LogEvent(spdlog::level::warn, "replay: swap could not take its locks; retrying",
                               {{"projections", names}, {"attempt", attempt}, {"error", e.what()}});
    }
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (std::size_t i = 0; i < members.size(); ++i) {
    runners[i]->Stop();
    results[i].events = runners[i]->Progress().events_applied;
    results[i].seconds = seconds;
    report(i, results[i].checkpoint);
  }
  return results;
}

RebuildResult RebuildProjection(const std::string& url, std::shared_ptr<const projections::Projection> projection,
                                const RebuildOptions& options) {
  RebuildGroup group;
  group.requested.push_back(projection->Name());
  group.projections.push_back(std::move(projection));
  return RebuildProjectionGroup(url, group, options).front();
}

}  // namespace docledger::projection_runtime
