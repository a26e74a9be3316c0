// The schema a group is rebuilt in, beside the live tables: created with the group's
// tables (LIKE .. INCLUDING ALL), their foreign keys (into the group: at the shadow tables;
// out of it: at the live ones) and its own checkpoint and parked rows; dropped by its
// destructor, whatever happened: after a swap it holds only that bookkeeping, and a rebuild
// that fails, or is abandoned by an exception, leaves nothing behind either.
#pragma once

#include <string>

#include <pqxx/connection>

#include "projection_runtime/rebuild_plan.hpp"

namespace docledger::projection_runtime {

// docledger_rebuild_<projection>, a valid unquoted identifier of at most 63 bytes.
std::string ShadowSchemaFor(const std::string& projection);

class ShadowSchema {
 public:
  // Creates the schema, named after the group's first member, in one transaction (a
  // failure leaves nothing). A row per member in its checkpoints makes the runtime read
  // a member's dependencies inside the group from here, and those outside from public
  // (kDependencyCheckpoint).
  ShadowSchema(pqxx::connection& conn, const GroupPlan& plan);
  // Drops the schema; a failure is logged (the next rebuild of the group drops it).
  ~ShadowSchema();
  ShadowSchema(const ShadowSchema&) = delete;
  ShadowSchema& operator=(const ShadowSchema&) = delete;

  const std::string& name() const { return name_; }

  // Drops the shadow schemas a rebuild of the group's members left when it died. Call
  // while holding the members' rebuild leases: they are then nobody else's.
  static void DropLeftovers(pqxx::connection& conn, const RebuildGroup& group);

 private:
  pqxx::connection& conn_;
  std::string name_;
};

}  // namespace docledger::projection_runtime
