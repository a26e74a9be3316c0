#include "infrastructure/statements.hpp"

namespace docledger::infrastructure::statements {

namespace {
constexpr const char* kEventColumns =
    "sequence, event_id::text, stream_id, stream_version, event_type, schema_version, "
    "payload::text, metadata::text, recorded_at";  // connections run in UTC (PrepareAll)
}

void PrepareAll(pqxx::connection& conn) {
  // Every docledger session runs in UTC, so timestamps read as text are "...+00".
  conn.set_variable("TimeZone", "'UTC'");
  conn.prepare(kAppendBatch,
               "SELECT request, outcome, event_id::text, stream_version, sequence, actual_version "
               "FROM docledger_append($1::int[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], "
               "$6::int[], $7::jsonb[], $8::jsonb[])");
  conn.prepare(kAppendOne,
               "SELECT request, outcome, event_id::text, stream_version, sequence, actual_version "
               "FROM docledger_append_one($1, $2, $3::uuid[], $4::text[], $5::int[], $6::jsonb[], "
               "$7::jsonb[])");
  conn.prepare(kReadStream, std::string("SELECT ") + kEventColumns +
                                " FROM events WHERE stream_id = $1 AND stream_version >= $2 "
                                "ORDER BY stream_version LIMIT $3");
  conn.prepare(kReadAll, std::string("SELECT ") + kEventColumns +
                             " FROM events WHERE sequence > $1 ORDER BY sequence LIMIT $2");
  conn.prepare(kStreamVersion,
               "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1");
  conn.prepare(kHeadSequence, "SELECT coalesce(max(sequence), 0) FROM events");

  conn.prepare(kCheckpointEnsure,
               "INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING");
  conn.prepare(kCheckpointRead, "SELECT last_sequence FROM projection_checkpoints WHERE name = $1");
  // Taken first in every batch transaction: serialises runners and a rebuild's swap on
  // this row before any table is touched (no lock-order deadlocks).
  conn.prepare(kCheckpointLock,
               "SELECT last_sequence FROM projection_checkpoints WHERE name = $1 FOR UPDATE");
  // Compare-and-swap: advances only from the expected previous value.
  conn.prepare(kCheckpointAdvance,
               "UPDATE projection_checkpoints SET last_sequence = $2, updated_at = now() "
               "WHERE name = $1 AND last_sequence = $3");
  conn.prepare(kDependencyCheckpoint,
               "SELECT coalesce((SELECT last_sequence FROM projection_checkpoints WHERE name = $1), "
               "(SELECT last_sequence FROM public.projection_checkpoints WHERE name = $1), 0)");
  conn.prepare(kReadRange, std::string("SELECT ") + kEventColumns +
                               " FROM events WHERE sequence > $1 AND sequence <= $2 "
                               "AND ($3::text[] IS NULL OR event_type = ANY($3::text[])) "
                               "ORDER BY sequence LIMIT $4");
  conn.prepare(kEventBySequence, std::string("SELECT ") + kEventColumns +
                                     " FROM events WHERE sequence = $1");
  conn.prepare(kParkEvent,
               "INSERT INTO projection_parked (projection, sequence, event_id, stream_id, error, "
               "attempts, held_behind) VALUES ($1, $2, $3::uuid, $4, $5, $6, $7) "
               "ON CONFLICT (projection, sequence) DO NOTHING");
  conn.prepare(kParkedStreams,
               "SELECT stream_id, min(sequence) FROM projection_parked WHERE projection = $1 "
               "GROUP BY stream_id");
  // Streams a dependency has parked: the dependent holds them too, so that it never
  // builds rows from a parent the dependency has not (yet) applied.
  conn.prepare(kDependencyParkedStreams,
               "SELECT stream_id, min(sequence) FROM projection_parked "
               "WHERE projection = ANY($1::text[]) GROUP BY stream_id");
  // The dependency cleared a stream (parked retry): the events the dependent held only
  // because of it are retried, in order, by the dependent's runner.
  conn.prepare(kReleaseDependencyHolds,
               "UPDATE projection_parked p SET retry_requested = true "
               "WHERE p.projection = $1 AND NOT p.retry_requested "
               "AND NOT EXISTS (SELECT 1 FROM projection_parked o WHERE o.projection = $1 "
               "                AND o.stream_id = p.stream_id AND o.held_behind IS NULL) "
               "AND NOT EXISTS (SELECT 1 FROM projection_parked d WHERE d.projection = ANY($2::text[]) "
               "                AND d.stream_id = p.stream_id)");
  conn.prepare(kRetryRequestedStreams,
               "SELECT DISTINCT stream_id FROM projection_parked "
               "WHERE projection = $1 AND retry_requested");
  conn.prepare(kParkedOfStream,
               "SELECT sequence, attempts FROM projection_parked WHERE projection = $1 AND stream_id = $2 "
               "ORDER BY sequence");
  conn.prepare(kParkedDelete, "DELETE FROM projection_parked WHERE projection = $1 AND sequence = $2");
  // The retried event failed again: it becomes the stream's head failure and the rest of
  // the stream stays held behind it.
  conn.prepare(kParkedFailedAgain,
               "UPDATE projection_parked SET retry_requested = false, "
               "attempts = attempts + CASE WHEN sequence = $2::bigint THEN 1 ELSE 0 END, "
               "error = CASE WHEN sequence = $2::bigint THEN $4::text "
               "ELSE 'held behind parked event ' || $2::bigint::text END, "
               "held_behind = CASE WHEN sequence = $2::bigint THEN NULL ELSE $2::bigint END "
               "WHERE projection = $1 AND stream_id = $3");
  // One session-level advisory lock per projector name (two-int form: class, name hash).
  conn.prepare(kLeaseTry, "SELECT pg_try_advisory_lock($1::int, hashtext($2))");
  conn.prepare(kLeaseRelease, "SELECT pg_advisory_unlock($1::int, hashtext($2))");
  conn.prepare(kCheckpointsAll, "SELECT name, last_sequence FROM projection_checkpoints");
  conn.prepare(kParkedCounts,
               "SELECT projection, count(*) FROM projection_parked WHERE held_behind IS NULL "
               "GROUP BY projection");
}

}  // namespace docledger::infrastructure::statements
