// `replay --verify`: compares what a group's rebuild built with the live read models, table
// by table (count and an order-independent checksum, and the first differing rows), and
// the parked events of each member.
#pragma once

#include <string>
#include <vector>

#include <pqxx/transaction>

#include "projection_runtime/projection_rebuild.hpp"
#include "projection_runtime/rebuild_plan.hpp"

namespace docledger::projection_runtime {

// Fills results[i].comparisons for each member i of the plan, from the shadow `schema`.
// Run in the transaction that holds the live checkpoints' row locks; it only reads (its
// temporary tables go at its end).
void CompareGroup(pqxx::work& tx, const GroupPlan& plan, const std::string& schema,
                  std::vector<RebuildResult>& results);

}  // namespace docledger::projection_runtime
