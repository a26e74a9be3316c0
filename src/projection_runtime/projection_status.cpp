#include "projection_runtime/projection_status.hpp"

#include <algorithm>
#include <map>

#include <pqxx/pqxx>

#include "infrastructure/statements.hpp"
#include "projection_runtime/projector_runner.hpp"

namespace docledger::projection_runtime {

namespace statements = infrastructure::statements;

std::vector<ProjectionStatus> ReadProjectionStatus(pqxx::connection& conn, const std::vector<std::string>& names) {
  std::vector<ProjectionStatus> out;
  pqxx::read_transaction tx(conn);
  const auto head = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
  for (const auto& name : names) {
    ProjectionStatus s;
    s.name = name;
    s.head = head;
    const auto cp = tx.exec_prepared(statements::kStatusCheckpoint, name);
    if (!cp.empty()) {
      s.checkpoint = cp[0][0].as<std::int64_t>();
      s.updated_at = cp[0][1].c_str();
    }
    s.lag_events = tx.exec_prepared1(statements::kStatusLagEvents, s.checkpoint)[0].as<std::int64_t>();
    const auto oldest = tx.exec_prepared(statements::kStatusOldestPending, s.checkpoint);
    if (!oldest.empty()) s.lag_seconds = std::max(0.0, oldest[0][0].as<double>());
    const auto parked = tx.exec_prepared1(statements::kStatusParkedHeld, name);
    s.parked = parked[0].as<std::int64_t>();
    s.held = parked[1].as<std::int64_t>();
    const auto holder = tx.exec_prepared(statements::kStatusLeaseHolder, kProjectorLeaseClass, name);
    if (!holder.empty()) s.lease_holder = holder[0][0].c_str();
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ProjectionStatus> ReadProjectionProgress(pqxx::connection& conn,
                                                     const std::vector<std::string>& names) {
  pqxx::read_transaction tx(conn);
  const auto head = tx.exec_prepared1(statements::kHeadSequence)[0].as<std::int64_t>();
  std::map<std::string, std::int64_t, std::less<>> checkpoints;
  for (const auto& row : tx.exec_prepared(statements::kCheckpointsAll)) {
    checkpoints[row[0].c_str()] = row[1].as<std::int64_t>();
  }
  std::map<std::string, std::int64_t, std::less<>> parked;
  for (const auto& row : tx.exec_prepared(statements::kParkedCounts)) {
    parked[row[0].c_str()] = row[1].as<std::int64_t>();
  }
  std::vector<ProjectionStatus> out;
  out.reserve(names.size());
  for (const auto& name : names) {
    ProjectionStatus s;
    s.name = name;
    s.head = head;
    if (const auto it = checkpoints.find(name); it != checkpoints.end()) s.checkpoint = it->second;
    if (const auto it = parked.find(name); it != parked.end()) s.parked = it->second;
    s.lag_events = std::max<std::int64_t>(0, head - s.checkpoint);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ProjectionStatus> ReadProjectionHealth(pqxx::connection& conn, const std::vector<std::string>& names) {
  auto out = ReadProjectionProgress(conn, names);
  pqxx::read_transaction tx(conn);
  for (auto& s : out) {
    const auto oldest = tx.exec_prepared(statements::kStatusOldestPending, s.checkpoint);
    if (!oldest.empty()) s.lag_seconds = std::max(0.0, oldest[0][0].as<double>());
    const auto holder = tx.exec_prepared(statements::kStatusLeaseHolder, kProjectorLeaseClass, s.name);
    if (!holder.empty()) s.lease_holder = holder[0][0].c_str();
  }
  return out;
}

nlohmann::json ToJson(const ProjectionStatus& s) {
  return {{"name", s.name},
          {"checkpoint", s.checkpoint},
          {"head", s.head},
          {"lag_events", s.lag_events},
          {"lag_seconds", s.lag_seconds},
          {"parked", s.parked},
          {"held", s.held},
          {"lease_holder", s.lease_holder.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.lease_holder)},
          {"updated_at", s.updated_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.updated_at)}};
}

std::vector<ParkedEvent> ReadParked(pqxx::connection& conn, const std::string& projection) {
  std::vector<ParkedEvent> out;
  pqxx::read_transaction tx(conn);
  for (const auto& row : tx.exec_prepared(statements::kParkedList, projection.empty() ? nullptr : projection.c_str())) {
    ParkedEvent p;
    p.projection = row[0].c_str();
    p.sequence = row[1].as<std::int64_t>();
    p.event_id = row[2].c_str();
    p.stream_id = row[3].c_str();
    p.error = row[4].c_str();
    p.attempts = row[5].as<int>();
    p.held_behind = row[6].as<std::int64_t>();
    p.retry_requested = row[7].as<bool>();
    p.parked_at = row[8].c_str();
    out.push_back(std::move(p));
  }
  return out;
}

nlohmann::json ToJson(const ParkedEvent& p) {
  return {{"projection", p.projection}, {"sequence", p.sequence},     {"event_id", p.event_id},
          {"stream_id", p.stream_id},   {"error", p.error},           {"attempts", p.attempts},
          {"held_behind", p.held_behind == 0 ? nlohmann::json(nullptr) : nlohmann::json(p.held_behind)},
          {"retry_requested", p.retry_requested}, {"parked_at", p.parked_at}};
}

std::set<std::string> RequestParkedRetry(pqxx::connection& conn, const std::string& projection,
                                         const std::string& stream, std::int64_t sequence) {
  std::set<std::string> streams;
  const auto sequence_text = std::to_string(sequence);
  pqxx::work tx(conn);
  const auto rows = tx.exec_prepared(statements::kParkedRequestRetry, projection, stream.empty() ? nullptr : stream.c_str(), sequence > 0 ? sequence_text.c_str() : nullptr);
  for (const auto& row : rows) streams.insert(row[0].c_str());
  tx.commit();
  return streams;
}

std::optional<SkippedParked> SkipParked(pqxx::connection& conn, const std::string& projection,
                                        std::int64_t sequence) {
  pqxx::work tx(conn);
  // The projector's checkpoint row lock first, as every change of parked rows takes it.
  tx.exec_prepared(statements::kCheckpointLock, projection);
  const auto rows = tx.exec_prepared(statements::kParkedSkip, projection, sequence);
  if (rows.empty()) return std::nullopt;
  SkippedParked skipped;
  skipped.stream_id = rows[0][0].c_str();
  skipped.still_held = tx.exec_prepared1(statements::kParkedCountOfStream, projection, skipped.stream_id)[0]
                           .as<std::int64_t>();
  tx.commit();
  return skipped;
}

}  // namespace docledger::projection_runtime
