#include "projection_runtime/rebuild_verify.hpp"

#include <tuple>

#include <pqxx/pqxx>

#include "projection_runtime/rebuild_sql.hpp"

namespace docledger::projection_runtime {
namespace {

// The row set of a table, order-independent: count and md5 over the sorted row texts.
std::pair<std::int64_t, std::string> Checksum(pqxx::work& tx, const std::string& relation) {
  const auto row = tx.exec1(rebuild_sql::Checksum(relation));
  return {row[0].as<std::int64_t>(), row[1].c_str()};
}

std::vector<std::string> Difference(pqxx::work& tx, const std::string& left, const std::string& right) {
  std::vector<std::string> rows;
  for (const auto& row : tx.exec(rebuild_sql::Difference(left, right))) rows.emplace_back(row[0].c_str());
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

}  // namespace

void CompareGroup(pqxx::work& tx, const GroupPlan& plan, const std::string& schema,
                  std::vector<RebuildResult>& results) {
  for (std::size_t i = 0; i < plan.members.size(); ++i) {
    auto& comparisons = results[i].comparisons;
    for (const auto& table : plan.members[i]->Tables()) {
      comparisons.push_back(
          Compare(tx, table.name, rebuild_sql::Live(table.name), rebuild_sql::Shadow(schema, table.name)));
    }
    const auto suffix = std::to_string(i);
    tx.exec_params(rebuild_sql::SnapshotParked("live_parked_" + suffix, "public.projection_parked"), plan.names[i]);
    tx.exec_params(rebuild_sql::SnapshotParked("rebuilt_parked_" + suffix,
                                               rebuild_sql::Shadow(schema, "projection_parked")),
                   plan.names[i]);
    comparisons.push_back(
        Compare(tx, "projection_parked", "pg_temp.live_parked_" + suffix, "pg_temp.rebuilt_parked_" + suffix));
  }
}

}  // namespace docledger::projection_runtime
