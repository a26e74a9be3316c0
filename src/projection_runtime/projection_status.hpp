// What `docledger status` and GET /api/v1/projections report per projector.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/connection>

namespace docledger::projection_runtime {

struct ProjectionStatus {
  std::string name;
  std::int64_t checkpoint = 0;
  std::int64_t head = 0;
  std::int64_t lag_events = 0;   // committed events after the checkpoint (capped at 10,000,000)
  double lag_seconds = 0;        // age of the oldest event not yet applied (0 when caught up)
  std::int64_t parked = 0;       // events that failed
  std::int64_t held = 0;         // events held behind them
  std::string lease_holder;      // application_name of the session holding the lease, or ""
  std::string updated_at;        // last checkpoint change (UTC), or "" if never ran
};

std::vector<ProjectionStatus> ReadProjectionStatus(pqxx::connection& conn,
                                                   const std::vector<std::string>& names);

nlohmann::json ToJson(const ProjectionStatus& status);

// The cheap part of ReadProjectionStatus, for metrics scrapes: name, checkpoint, head,
// parked, and lag_events = head - checkpoint (constant time; sequences are a BIGSERIAL,
// so after a failed insert left a hole this is an upper bound, where ReadProjectionStatus
// counts the rows). Three indexed reads in one read-only transaction.
std::vector<ProjectionStatus> ReadProjectionProgress(pqxx::connection& conn,
                                                     const std::vector<std::string>& names);

// For GET /health: ReadProjectionProgress, plus the age of the oldest event not yet
// applied (lag_seconds) and the lease holder of each projector (indexed reads; no count of
// the lag's rows).
std::vector<ProjectionStatus> ReadProjectionHealth(pqxx::connection& conn, const std::vector<std::string>& names);

struct ParkedEvent {
  std::string projection;
  std::int64_t sequence = 0;
  std::string event_id;
  std::string stream_id;
  std::string error;
  int attempts = 0;
  std::int64_t held_behind = 0;  // 0: this event itself failed
  bool retry_requested = false;
  std::string parked_at;
};

std::vector<ParkedEvent> ReadParked(pqxx::connection& conn, const std::string& projection);
nlohmann::json ToJson(const ParkedEvent& parked);

// Asks the projector's lease holder to apply parked events again (`docledger parked retry`,
// POST /api/v1/projections/{name}/parked/{sequence}/retry): marks every parked or held row
// of `projection` that belongs to `stream` ("" = any) and, when `sequence` > 0, to the
// stream of the event parked at that sequence. The runner holding the lease applies them
// between batches (within its poll interval), in stream order. Returns the streams marked
// (empty: nothing parked matches).
std::set<std::string> RequestParkedRetry(pqxx::connection& conn, const std::string& projection,
                                         const std::string& stream, std::int64_t sequence);

struct SkippedParked {
  std::string stream_id;
  std::int64_t still_held = 0;  // later events of that stream still held behind others
};

// Gives up on the event parked at `sequence` (`docledger parked skip`, POST
// .../parked/{sequence}/skip): deletes its row under the checkpoint row lock, as every
// change of parked rows does. nullopt when nothing of `projection` is parked there. Later
// events of its stream stay held until a retry is requested for the stream.
std::optional<SkippedParked> SkipParked(pqxx::connection& conn, const std::string& projection,
                                        std::int64_t sequence);

}  // namespace docledger::projection_runtime
