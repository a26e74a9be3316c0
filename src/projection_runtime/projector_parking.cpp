#include "projection_runtime/projector_parking.hpp"

#include <string_view>
#include <vector>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "domain/domain_events.hpp"
#include "domain/text_rules.hpp"
#include "eventstore/append_arrays.hpp"
#include "eventstore/event_rows.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_errors.hpp"
#include "infrastructure/statements.hpp"
#include "projection_runtime/projector_errors.hpp"

namespace docledger::projection_runtime {

using infrastructure::DescribeError;
using infrastructure::LogEvent;
namespace statements = infrastructure::statements;

namespace {

// At most `max` bytes of `text`, valid UTF-8 (invalid bytes become '?'): an error message
// may quote a payload, and the event's JSON must be valid.
std::string Utf8Prefix(const std::string& text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = domain::Utf8SequenceLength(std::string_view(text).substr(i));
    const bool valid = length > 0;
    const std::size_t take = valid ? length : 1;
    if (out.size() + take > max) break;
    if (valid) {
      out.append(text, i, length);
    } else {
      out += '?';
    }
    i += take;
  }
  return out;
}

// Parking appends a ProjectionParked event in the parking transaction, so the alert
// (projection_parked) comes from the log like every other alert and a rebuild of the
// alerts projection raises it again with the same id. The event id is derived from the
// projection and the parked event: parking the same event again (a rebuild's shadow
// runner, a retry that fails again) appends nothing. An event that is itself a
// ProjectionParked is parked silently (no alert about an alert), so a projection that
// cannot read ProjectionParked events cannot feed itself forever.
void AppendProjectionParked(pqxx::transaction_base& tx, const std::string& projection,
                            const domain::RecordedEvent& event, const std::string& error) {
  if (event.event_type == "ProjectionParked") return;
  const auto event_id = infrastructure::DeterministicUuid("docledger/parked/" + projection + "/" + event.event_id);
  {
    // An id already in the log (same or different error text): already reported.
    const auto existing = tx.exec_prepared(statements::kEventExists, event_id);
    if (!existing.empty()) return;
  }
  domain::AppendRequest request{domain::ProjectionStream(projection), domain::ExpectedVersion::Any(), {}};
  request.events.push_back(domain::Encode(
      domain::ProjectionParked{projection, event.sequence, event.event_id, event.stream_id, Utf8Prefix(error, 2000)},
      event_id, nlohmann::json{{"actor", "projector-runtime"}, {"causation_id", event.event_id}}));
  eventstore::AppendArrays arrays;
  arrays.Add(0, request);
  arrays.ExecuteOne(tx, request);
}

// The alert must not stop the parking: a failure here is logged, and the event is parked.
void ReportParked(pqxx::dbtransaction& tx, const std::string& projection, const domain::RecordedEvent& event,
                  const std::string& error) {
  try {
    pqxx::subtransaction report(tx, "projection_parked");
    AppendProjectionParked(report, projection, event, error);
    report.commit();
  } catch (const std::exception& e) {
    if (!IsPermanent(e)) throw;
    LogEvent(spdlog::level::err, "projector cannot append ProjectionParked (no projection_parked alert)",
             {{"projection", projection}, {"sequence", event.sequence}, {"error", DescribeError(e)}});
  }
}

// The streams with retry requested, after requesting it for those a dependency cleared.
std::vector<std::string> RetryRequestedStreams(pqxx::connection& conn, const PreparedProjection& projection) {
  std::vector<std::string> streams;
  pqxx::nontransaction tx(conn);
  if (!projection.dependencies_array.empty()) {
    tx.exec_prepared(statements::kReleaseDependencyHolds, projection.name, projection.dependencies_array);
  }
  for (const auto& row : tx.exec_prepared(statements::kRetryRequestedStreams, projection.name)) {
    streams.emplace_back(row[0].c_str());
  }
  return streams;
}

// Applies the parked events of `stream`, oldest first, until none is left or one fails
// again. Adds the events applied to `applied`; true when the stream is clear.
bool RetryStream(pqxx::connection& conn, const PreparedProjection& projection, const std::string& stream,
                 std::size_t& applied) {
  for (;;) {
    // One parked event per transaction, the oldest of the stream, claimed under the
    // checkpoint row lock by deleting its row: a concurrent skip or rebuild swap either
    // happened before (nothing to claim) or waits for this transaction.
    pqxx::work tx(conn);
    tx.exec_prepared1(statements::kCheckpointLock, projection.name);
    const auto next = tx.exec_prepared(statements::kParkedOfStream, projection.name, stream);
    if (next.empty()) return true;
    const auto sequence = next[0][0].as<std::int64_t>();
    std::vector<domain::RecordedEvent> events{
        eventstore::ToRecordedEvent(tx.exec_prepared1(statements::kEventBySequence, sequence))};
    OpenPayloads(tx, projection, events);
    const auto& event = events.front();
    try {
      pqxx::subtransaction attempt(tx, "retry");
      EventApplier applier(attempt, projection);
      applier.Apply(event);
      applier.Finish();
      attempt.commit();
    } catch (const std::exception& e) {
      if (!IsPermanent(e)) throw;
      tx.exec_prepared(statements::kParkedFailedAgain, projection.name, sequence, stream, DescribeError(e));
      tx.commit();
      LogEvent(spdlog::level::err, "projector parked event failed again",
               {{"projection", projection.name}, {"sequence", sequence}, {"error", DescribeError(e)}});
      return false;
    }
    tx.exec_prepared(statements::kParkedDelete, projection.name, sequence);
    tx.commit();
    ++applied;
  }
}

}  // namespace

HeldStreams LoadHeldStreams(pqxx::transaction_base& tx, const PreparedProjection& projection) {
  HeldStreams held;
  for (const auto& row : tx.exec_prepared(statements::kParkedStreams, projection.name)) {
    held[row[0].c_str()] = row[1].as<std::int64_t>();
  }
  if (!projection.dependencies_array.empty()) {
    for (const auto& row : tx.exec_prepared(statements::kDependencyParkedStreams, projection.dependencies_array)) {
      held.emplace(row[0].c_str(), row[1].as<std::int64_t>());
    }
  }
  return held;
}

void HoldBehind(pqxx::transaction_base& tx, const std::string& projection, const domain::RecordedEvent& event,
                std::int64_t first_parked) {
  tx.exec_prepared(statements::kParkEvent, projection, event.sequence, event.event_id, event.stream_id,
                   "held behind parked event " + std::to_string(first_parked), 0, first_parked);
}

void Park(pqxx::connection& conn, const PreparedProjection& projection, const domain::RecordedEvent& event,
          const std::string& error, std::int64_t expected, ProgressTracker& progress) {
  pqxx::work tx(conn);
  const auto current = tx.exec_prepared1(statements::kCheckpointLock, projection.name)[0].as<std::int64_t>();
  if (current != expected) throw CheckpointMoved("checkpoint moved while parking");
  tx.exec_prepared(statements::kParkEvent, projection.name, event.sequence, event.event_id, event.stream_id, error,
                   1, nullptr);
  if (projection.external_effects) ReportParked(tx, projection.name, event, error);
  tx.exec_prepared(statements::kCheckpointAdvance, projection.name, event.sequence, expected);
  tx.commit();
  progress.Parked(event.sequence);
  LogEvent(spdlog::level::err, "projector parked an event; later events of its stream are held behind it",
           {{"projection", projection.name}, {"event_id", event.event_id}, {"sequence", event.sequence},
            {"stream_id", event.stream_id}, {"error", error}});
}

std::size_t RetryRequestedParked(pqxx::connection& conn, const PreparedProjection& projection) {
  std::size_t applied = 0;
  for (const auto& stream : RetryRequestedStreams(conn, projection)) {
    if (RetryStream(conn, projection, stream, applied)) {
      LogEvent(spdlog::level::info, "projector stream un-parked", {{"projection", projection.name}, {"stream_id", stream}});
    }
  }
  return applied;
}

}  // namespace docledger::projection_runtime
