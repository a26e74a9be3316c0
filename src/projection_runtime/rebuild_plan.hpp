// What a rebuild rebuilds, and in which order: the foreign keys between read models (read
// from the live catalog), the groups they force (PlanRebuilds), one group's members
// parents first with their tables and keys (PlanGroup), and the sequence each member's
// shadow runner must reach (GroupPlan::Targets).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "projection_runtime/projection_rebuild.hpp"

namespace docledger::projection_runtime {

// A foreign key as the catalog has it, with what the rebuild needs to re-point it.
struct CatalogKey : ForeignKey {
  std::string schema;             // of the referencing table
  std::string referenced_schema;
  std::string referenced_text;    // the referenced table as the definition prints it
};

// Every foreign key whose referencing or referenced table is one of `tables` (public).
std::vector<CatalogKey> ForeignKeysTouching(pqxx::transaction_base& tx, const std::vector<std::string>& tables);

// "table.constraint: definition" of every key touching `tables`, sorted: what the swap
// must leave exactly as it found it.
std::vector<std::string> ForeignKeyFingerprint(pqxx::transaction_base& tx, const std::vector<std::string>& tables);

// The rebuild's own connection. A fixed search_path makes the catalog print the names
// of public tables unqualified, the same way before and after a swap.
std::unique_ptr<pqxx::connection> OpenRebuildConnection(const std::string& url);

// Table name -> index of the projection owning it.
std::map<std::string, std::size_t> TableOwners(const ProjectionList& projections);

std::string Join(const std::vector<std::string>& items, const std::string& separator = ", ");

// One group, ready to be rebuilt.
struct GroupPlan {
  ProjectionList members;                 // parents first
  std::vector<std::string> names;         // the members' names, in that order
  std::vector<std::string> sorted_names;  // the order their checkpoint rows are locked in
  std::vector<std::string> tables;        // the members' tables, parents first
  std::map<std::string, std::size_t> owners;  // table -> index of its owner in the group
  std::vector<CatalogKey> keys;           // every key touching the tables
  // Live tables outside the group that the group references (quoted relations).
  std::vector<std::string> outside_referenced;
  // Dependencies outside the group: the rebuild never runs ahead of their live checkpoints.
  std::vector<std::string> outside_dependencies;

  // Whether the key references a table of the group (else a live table outside it).
  bool ReferencesInside(const CatalogKey& key) const;
  // Where each member must get to. Swap: the head, but never past a live dependency
  // outside the group; one target for the whole group. Verify: each member's live
  // checkpoint. `live` holds the live checkpoints (read under their row locks during
  // the swap transaction).
  std::vector<std::int64_t> Targets(pqxx::transaction_base& tx, const std::map<std::string, std::int64_t>& live,
                                    bool verify_only) const;
};

// Reads the keys touching the group's tables (`owners`: TableOwners of the group) and
// orders the members. Throws when a table outside the group references one of its tables.
GroupPlan PlanGroup(pqxx::connection& conn, const RebuildGroup& group, std::map<std::string, std::size_t> owners);

}  // namespace docledger::projection_runtime
