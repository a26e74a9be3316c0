// `docledger replay`: rebuilds a projection from sequence 0 BESIDE its live tables (in a
// shadow schema, through the same runtime and the same projection code), then swaps the
// rebuilt tables in with one short transaction. Serving processes keep answering reads
// from the live tables during the rebuild; the live projector keeps running and is
// paused only for the swap (both take the projector's checkpoint row lock first, so a
// rebuild and the live projector never write the same tables).
//
// `--verify` builds the same way up to the live checkpoint and compares instead of
// swapping: a checksum per table and the first differing rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "projections/projection.hpp"

namespace docledger::infrastructure {

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
};

// Throws std::runtime_error with a clear message when another rebuild of the same
// projection runs, or a table is referenced by a foreign key (cannot be swapped).
RebuildResult RebuildProjection(const std::string& url,
                                std::shared_ptr<const projections::Projection> projection,
                                const RebuildOptions& options);

}  // namespace docledger::infrastructure
