// The swap: a group's rebuilt tables replace the live ones in one short transaction, with
// the live tables' owner, privileges and index names, every foreign key back with its
// definition, and the group's parked events and checkpoints taken from the rebuild.
#pragma once

#include <string>
#include <vector>

#include <pqxx/transaction>

#include "projection_runtime/projection_rebuild.hpp"
#include "projection_runtime/rebuild_plan.hpp"

namespace docledger::projection_runtime {

// Swaps the tables of `schema` in and commits. Run in the transaction that holds the
// group's checkpoint row locks (so the live projectors are paused), after the shadow
// runners reached results[i].checkpoint. Throws, and changes nothing, when it cannot take
// its table locks in time (rebuild_sql::IsLockFailure: retry) or when the foreign keys
// would not come back as they were.
void SwapIn(pqxx::work& tx, const GroupPlan& plan, const std::string& schema,
            const std::vector<RebuildResult>& results);

}  // namespace docledger::projection_runtime
