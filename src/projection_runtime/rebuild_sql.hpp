// The rebuild's SQL that names schemas and tables: the only statements of the rebuild
// whose text is composed. Every name comes from the projections' code or the catalog and
// is quoted with QuoteIdentifier (or tx.quote for a name the statement prints); no value
// ever is. One file, so that review (and tests/unit/sql_safety_test.cpp) covers all of it.
#pragma once

#include <string>
#include <vector>

#include <pqxx/except>
#include <pqxx/transaction_base>

#include "projection_runtime/projection_rebuild.hpp"

namespace docledger::projection_runtime::rebuild_sql {

std::string Live(const std::string& table);                               // public."table"
std::string Shadow(const std::string& schema, const std::string& table);  // "schema"."table"

// The shadow schema's DDL.
std::string CreateSchema(const std::string& schema);
std::string DropSchema(const std::string& schema);
std::string CreateLikeLive(const std::string& schema, const std::string& table);  // LIKE .. INCLUDING ALL
std::string AddForeignKey(const std::string& schema, const ForeignKey& key, const std::string& definition);
// The key's definition with its referenced table (`referenced_text`, as the definition
// prints it) replaced by the shadow one.
std::string RetargetedDefinition(const ForeignKey& key, const std::string& referenced_text,
                                 const std::string& schema);
std::string InsertShadowCheckpoint(const std::string& schema);  // $1 = projection name

// Verify: the row set of a relation (count, md5), the first rows of left not in right, and
// a temporary copy `name` of the parked events of projection $1 in `parked` (a relation).
std::string Checksum(const std::string& relation);
std::string Difference(const std::string& left, const std::string& right);
std::string SnapshotParked(const std::string& name, const std::string& parked);

// Swap.
std::string LockTables(const std::vector<std::string>& relations);  // ACCESS EXCLUSIVE
std::string DropTables(const std::vector<std::string>& relations);
std::string MoveIn(pqxx::transaction_base& tx, const std::string& schema, const std::string& table);
std::string CopyParkedIn(const std::string& schema);  // $1 = the group's names (text[])

// The rebuild's locking statements run under lock_timeout: lock_timeout (55P03) or a
// deadlock (40P01) means nothing was done, and trying again can succeed.
bool IsLockFailure(const pqxx::sql_error& e);

// Run first in a transaction that takes the live tables' locks (drop, swap): waits for a
// lock at most this long, and the caller retries (IsLockFailure).
inline constexpr const char* kBoundedLockWait = "SET LOCAL lock_timeout = '5s'";

}  // namespace docledger::projection_runtime::rebuild_sql
