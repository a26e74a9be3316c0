#include "projection_runtime/rebuild_plan.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>

#include <pqxx/pqxx>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/rebuild_sql.hpp"

namespace docledger::projection_runtime {

using infrastructure::OpenConnection;
using infrastructure::ToPgArray;
using projections::Projection;
namespace statements = infrastructure::statements;
namespace {

using Edges = std::set<std::pair<std::size_t, std::size_t>>;  // parent index -> child index

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

std::string Describe(const ForeignKey& key) {
  return "its table " + key.table + " references " + key.referenced_table + ": " + key.name;
}

// The keys between the projections of `all`: edges parent -> child, and for each parent
// the keys into its tables.
struct KeyGraph {
  Edges edges;
  std::map<std::size_t, std::vector<const CatalogKey*>> referenced_by;
};

KeyGraph GraphOf(const std::vector<CatalogKey>& keys, const std::map<std::string, std::size_t>& owners) {
  KeyGraph graph;
  for (const auto& key : keys) {
    if (key.referenced_schema != "public" || !owners.count(key.referenced_table)) continue;
    const auto parent = owners.at(key.referenced_table);
    graph.referenced_by[parent].push_back(&key);
    if (key.schema == "public" && owners.count(key.table) && owners.at(key.table) != parent) {
      graph.edges.emplace(parent, owners.at(key.table));
    }
  }
  return graph;
}

// The members of the groups (indexes into `all`) found from `requested`, the group of each
// (a union-find forest: group_of[i] leads to the group's root) and why a member that was
// not asked for is in.
struct Grouping {
  std::set<std::size_t> members;
  std::vector<std::size_t> group_of;
  std::map<std::size_t, std::string> reasons;
  std::size_t Root(std::size_t i) const {
    while (group_of[i] != i) i = group_of[i];
    return i;
  }
};

// Each requested projection and, transitively, every projection referencing its
// tables; groups that share a projection are merged.
Grouping GroupMembers(const ProjectionList& requested, const ProjectionList& all, KeyGraph& graph,
                      const std::map<std::string, std::size_t>& owners) {
  Grouping grouping;
  grouping.group_of.resize(all.size());
  std::iota(grouping.group_of.begin(), grouping.group_of.end(), 0);
  for (const auto& p : requested) {
    std::size_t start = 0;
    while (all[start]->Name() != p->Name()) ++start;
    std::vector<std::size_t> todo{start};
    grouping.members.insert(start);
    while (!todo.empty()) {
      const auto parent = todo.back();
      todo.pop_back();
      for (const auto* key : graph.referenced_by[parent]) {
        if (key->schema != "public" || !owners.count(key->table)) {
          throw std::runtime_error("table " + key->schema + "." + key->table + " references " + key->referenced_table +
                                   " of projection " + all[parent]->Name() + " (foreign key " + key->name +
                                   ") but belongs to no projection; " + all[parent]->Name() +
                                   " cannot be rebuilt and swapped while it does");
        }
        const auto child = owners.at(key->table);
        if (child == parent) continue;
        if (!grouping.reasons.count(child)) grouping.reasons[child] = Describe(*key);
        grouping.group_of[grouping.Root(child)] = grouping.Root(parent);
        if (grouping.members.insert(child).second) todo.push_back(child);
      }
    }
  }
  return grouping;
}

}  // namespace

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

std::vector<std::string> ForeignKeyFingerprint(pqxx::transaction_base& tx, const std::vector<std::string>& tables) {
  std::vector<std::string> lines;
  for (const auto& key : ForeignKeysTouching(tx, tables)) {
    lines.push_back(key.schema + "." + key.table + "." + key.name + ": " + key.definition);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::unique_ptr<pqxx::connection> OpenRebuildConnection(const std::string& url) {
  auto conn = OpenConnection(url);
  conn->set_variable("search_path", "public");
  return conn;
}

std::map<std::string, std::size_t> TableOwners(const ProjectionList& projections) {
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

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : separator) + item;
  return joined;
}

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
  auto graph = GraphOf(keys, owners);
  auto grouping = GroupMembers(requested, all, graph, owners);
  std::set<std::string> requested_names;
  for (const auto& p : requested) requested_names.insert(p->Name());

  const auto order = ParentsFirst(all, graph.edges);
  std::map<std::size_t, RebuildGroup> by_root;
  std::vector<std::size_t> roots_in_order;
  for (const auto i : order) {
    if (!grouping.members.count(i)) continue;
    const auto r = grouping.Root(i);
    if (!by_root.count(r)) roots_in_order.push_back(r);
    auto& group = by_root[r];
    group.projections.push_back(all[i]);
    if (requested_names.count(all[i]->Name())) {
      group.requested.push_back(all[i]->Name());
    } else {
      group.added.push_back(all[i]->Name() + " (" + grouping.reasons[i] + ")");
    }
  }
  std::vector<RebuildGroup> groups;
  for (const auto r : roots_in_order) groups.push_back(std::move(by_root[r]));
  return groups;
}

bool GroupPlan::ReferencesInside(const CatalogKey& key) const {
  return key.referenced_schema == "public" && owners.count(key.referenced_table);
}

GroupPlan PlanGroup(pqxx::connection& conn, const RebuildGroup& group, std::map<std::string, std::size_t> owners) {
  GroupPlan plan;
  plan.owners = std::move(owners);
  {
    pqxx::read_transaction tx(conn);
    std::vector<std::string> tables;
    for (const auto& [table, owner] : plan.owners) tables.push_back(table);
    plan.keys = ForeignKeysTouching(tx, tables);
  }
  Edges edges;
  for (const auto& key : plan.keys) {
    const bool referencing_inside = key.schema == "public" && plan.owners.count(key.table);
    if (!referencing_inside) {
      throw std::runtime_error("table " + key.schema + "." + key.table + " references " + key.referenced_table +
                               " (foreign key " + key.name + ") but is not rebuilt with it: rebuild the projection "
                               "owning it in the same group (docledger replay does)");
    }
    if (plan.ReferencesInside(key)) {
      if (plan.owners.at(key.referenced_table) != plan.owners.at(key.table)) {
        edges.emplace(plan.owners.at(key.referenced_table), plan.owners.at(key.table));
      }
    } else {
      const auto name = rebuild_sql::Shadow(key.referenced_schema, key.referenced_table);
      auto& outside = plan.outside_referenced;
      if (std::find(outside.begin(), outside.end(), name) == outside.end()) outside.push_back(name);
    }
  }
  for (const auto i : ParentsFirst(group.projections, edges)) plan.members.push_back(group.projections[i]);
  for (const auto& p : plan.members) {
    plan.names.push_back(p->Name());
    for (const auto& table : p->Tables()) plan.tables.push_back(table.name);
  }
  plan.sorted_names = plan.names;
  std::sort(plan.sorted_names.begin(), plan.sorted_names.end());
  auto& outside = plan.outside_dependencies;
  for (const auto& p : plan.members) {
    for (const auto& dependency : p->DependsOn()) {
      if (std::find(plan.names.begin(), plan.names.end(), dependency) == plan.names.end() &&
          std::find(outside.begin(), outside.end(), dependency) == outside.end()) {
        outside.push_back(dependency);
      }
    }
  }
  return plan;
}

std::vector<std::int64_t> GroupPlan::Targets(pqxx::transaction_base& tx,
                                             const std::map<std::string, std::int64_t>& live,
                                             bool verify_only) const {
  std::vector<std::int64_t> wanted(members.size());
  std::int64_t group_target = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
  std::map<std::string, std::int64_t> outside;
  for (const auto& dependency : outside_dependencies) {
    outside[dependency] = tx.exec_prepared1(statements::kDependencyCheckpoint, dependency)[0].as<std::int64_t>();
    group_target = std::min(group_target, outside[dependency]);
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    wanted[i] = verify_only ? live.at(names[i]) : group_target;
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
}

}  // namespace docledger::projection_runtime
