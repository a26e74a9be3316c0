// `docledger replay`: rebuilds projections from sequence 0 BESIDE their live tables (in a
// shadow schema, through the same runtime and the same projection code), then swaps the
// rebuilt tables in with one short transaction. Serving processes keep answering reads
// from the live tables during the rebuild; the live projectors keep running and are
// paused only for the swap (both take the projector's checkpoint row lock first, so a
// rebuild and the live projector never write the same tables).
//
// Foreign keys between read models (found in the catalog of the live tables, tables
// mapped to projections by Projection::Tables()):
//
//   child   a projection whose tables REFERENCE another projection's tables is rebuilt
//           with the same constraints on its shadow tables, pointing at the live parent;
//           the rebuilt tables carry them into public at the swap. It never runs ahead
//           of its live dependency (the rebuild's target is capped by its checkpoint).
//   parent  a projection whose tables ARE REFERENCED is rebuilt as one GROUP with every
//           projection that references its tables, transitively: parents first, all in
//           one shadow schema and up to one target sequence, the children's constraints
//           pointing at the shadow parents, and children reading the shadow parents
//           through Find (the shadow schema comes first in the runners' search_path).
//           One transaction swaps the whole group in; the constraints move with the
//           tables and so point at the swapped-in parents; the transaction checks that
//           every constraint is back with its definition before it commits.
//
// The swap locks the group's tables and, for its few milliseconds, the live tables they
// reference (dropping the old tables' keys takes their lock), under lock_timeout, retried.
// The shadow runners' final catch-up runs before any table is locked: a child rebuilt
// alone reads its live parent then, and the parent's writer must not be waiting on us.
//
// `--verify` builds the same way up to the live checkpoints and compares instead of
// swapping: a checksum per table of the group and the first differing rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "infrastructure/document_keys.hpp"
#include "projections/projection.hpp"

namespace docledger::projection_runtime {

// The refusal to start a rebuild while another rebuild of the same projection holds its
// rebuild lease (in this process or any other). Nothing was changed; retry once the other
// has finished. A std::runtime_error, so callers that catch those still do.
class RebuildAlreadyRunning : public std::runtime_error {
 public:
  explicit RebuildAlreadyRunning(std::string projection)
      : std::runtime_error("a rebuild of projection " + projection + " is already running"),
        projection_(std::move(projection)) {}
  const std::string& projection() const { return projection_; }

 private:
  std::string projection_;
};

struct RebuildProgress {
  std::string projection;
  std::int64_t checkpoint = 0;  // sequence reached
  std::int64_t target = 0;      // sequence to reach
  std::uint64_t events = 0;     // events applied so far
  double seconds = 0;
};

struct TableComparison {
  std::string table;
  std::int64_t live_rows = 0;
  std::int64_t rebuilt_rows = 0;
  std::string live_checksum;
  std::string rebuilt_checksum;
  std::vector<std::string> only_live;     // first differing rows, as row text
  std::vector<std::string> only_rebuilt;
  bool identical() const { return live_checksum == rebuilt_checksum; }
};

struct RebuildResult {
  std::string projection;
  std::int64_t checkpoint = 0;
  std::uint64_t events = 0;
  double seconds = 0;
  bool swapped = false;
  std::vector<TableComparison> comparisons;  // --verify only
  bool identical() const {
    for (const auto& c : comparisons) {
      if (!c.identical()) return false;
    }
    return true;
  }
  double EventsPerSecond() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
};

struct RebuildOptions {
  bool verify_only = false;
  std::size_t batch_size = 5000;
  std::string instance = "docledger-replay";
  std::function<void(const RebuildProgress&)> on_progress;  // called after each batch
  // Open sealed payloads (docs/erasure.md); nullptr: payloads as stored.
  std::shared_ptr<const infrastructure::DocumentKeys> keys;
};

// A foreign key of a live table, as the catalog describes it.
struct ForeignKey {
  std::string name;              // constraint name
  std::string table;             // referencing table (public)
  std::string referenced_table;  // the referenced table's name (public when it is a projection's)
  std::string definition;        // pg_get_constraintdef
};

// Projections rebuilt and swapped together: the ones asked for and every projection
// whose tables reference theirs by foreign key, transitively.
struct RebuildGroup {
  std::vector<std::shared_ptr<const projections::Projection>> projections;  // parents first
  std::vector<std::string> requested;  // the members asked for
  // One line per member that was not asked for, saying why it is in the group, e.g.
  // "semantic_ir (its table semantic_ir references document_views: semantic_ir_document_id_fkey)".
  std::vector<std::string> added;
  std::vector<std::string> Names() const;
};

using ProjectionList = std::vector<std::shared_ptr<const projections::Projection>>;

// Groups `requested` for rebuilding. `known` is every projection of the deployment (it
// decides who owns which table); FKs are read from the live tables' catalog. Overlapping
// groups are merged, so each projection is rebuilt once; groups come in dependency order
// (a group whose members others depend on first). Reactors have no tables and are
// returned alone. Throws std::runtime_error when a table of a requested projection is
// referenced by a table no known projection owns (it could not be swapped), or on a
// cycle of references between projections.
std::vector<RebuildGroup> PlanRebuilds(const std::string& url, const ProjectionList& requested,
                                       const ProjectionList& known);

// Rebuilds (or with verify_only, compares) one group: one result per member, in the
// group's order. Throws RebuildAlreadyRunning when another rebuild of one of the members
// runs, and std::runtime_error with a clear message when a member is a reactor or the
// group is not closed under references (a table outside the group references one of its
// tables).
std::vector<RebuildResult> RebuildProjectionGroup(const std::string& url, const RebuildGroup& group,
                                                  const RebuildOptions& options);

// One projection whose tables no other projection references (it may reference others'):
// the group of just this projection.
RebuildResult RebuildProjection(const std::string& url, std::shared_ptr<const projections::Projection> projection,
                                const RebuildOptions& options);

}  // namespace docledger::projection_runtime
