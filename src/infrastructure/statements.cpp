#include "infrastructure/statements.hpp"

namespace docledger::infrastructure::statements {

namespace {
constexpr const char* kEventColumns =
    "sequence, event_id::text, stream_id, stream_version, event_type, schema_version, "
    "payload::text, metadata::text, recorded_at";  // connections run in UTC (PrepareAll)

// The event store (eventstore/postgres_event_store.cpp).
void PrepareEventStore(pqxx::connection& conn) {
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
  conn.prepare(kPing, "SELECT 1");
  conn.prepare(kAsyncCommit, "SELECT set_config('synchronous_commit', 'off', true)");
  conn.prepare(kSetStatementTimeout, "SELECT set_config('statement_timeout', $1, false)");
}

// The projector runtime: checkpoints, ranges of the log, leases and the lease session
// (projection_runtime/projector_lease.cpp, projector_range.cpp, projector_batch.cpp).
void PrepareProjectorRuntime(pqxx::connection& conn) {
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
  // A rebuild's shadow schema has a checkpoint row for each projection rebuilt in it: a
  // dependency rebuilt alongside is read from there, any other from public (live).
  conn.prepare(kDependencyCheckpoint,
               "SELECT coalesce((SELECT last_sequence FROM projection_checkpoints WHERE name = $1), "
               "(SELECT last_sequence FROM public.projection_checkpoints WHERE name = $1), 0)");
  conn.prepare(kReadRange, std::string("SELECT ") + kEventColumns +
                               " FROM events WHERE sequence > $1 AND sequence <= $2 "
                               "AND ($3::text[] IS NULL OR event_type = ANY($3::text[])) "
                               "ORDER BY sequence LIMIT $4");
  conn.prepare(kEventBySequence, std::string("SELECT ") + kEventColumns +
                                     " FROM events WHERE sequence = $1");
  conn.prepare(kEventExists, "SELECT 1 FROM events WHERE event_id = $1::uuid");
  // One session-level advisory lock per projector name (two-int form: class, name hash).
  conn.prepare(kLeaseTry, "SELECT pg_try_advisory_lock($1::int, hashtext($2))");
  conn.prepare(kLeaseRelease, "SELECT pg_advisory_unlock($1::int, hashtext($2))");
  // Server-side TCP keepalive of a lease session (DOCLEDGER_LEASE_TIMEOUT): a holder that
  // vanished without closing its connection loses its session, and so its lease, in time.
  conn.prepare(kLeaseKeepalive,
               "SELECT set_config('tcp_keepalives_idle', $1, false), "
               "set_config('tcp_keepalives_interval', $2, false), "
               "set_config('tcp_keepalives_count', $3, false), set_config('tcp_user_timeout', $4, false)");
  // The session's application_name: shows the lease holder (instance/projection) in pg_stat_activity.
  conn.prepare(kSessionApplicationName, "SELECT set_config('application_name', $1, false)");
}

// Parked and held events of a projector (projection_runtime/projector_parking.cpp).
void PrepareParking(pqxx::connection& conn) {
  conn.prepare(kParkEvent,
               "INSERT INTO projection_parked (projection, sequence, event_id, stream_id, error, "
               "attempts, held_behind) VALUES ($1, $2, $3::uuid, $4, $5, $6, $7) "
               "ON CONFLICT (projection, sequence) DO NOTHING");
  conn.prepare(kParkedStreams,
               "SELECT stream_id, min(sequence) FROM projection_parked WHERE projection = $1 "
               "GROUP BY stream_id");
  // Streams a dependency has parked: the dependent holds them too, so that it never
  // builds rows from a parent the dependency has not (yet) applied. Like
  // kDependencyCheckpoint, a rebuild reads a dependency rebuilt with it (it has a
  // checkpoint row in the shadow schema) from there, and any other from public.
  conn.prepare(kDependencyParkedStreams,
               "SELECT stream_id, min(sequence) FROM ("
               "  SELECT stream_id, sequence FROM projection_parked WHERE projection = ANY($1::text[]) "
               "  UNION ALL "
               "  SELECT p.stream_id, p.sequence FROM public.projection_parked p "
               "   WHERE p.projection = ANY($1::text[]) "
               "     AND NOT EXISTS (SELECT 1 FROM projection_checkpoints c WHERE c.name = p.projection)"
               ") AS parked GROUP BY stream_id");
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
}

// The read models' queries.
void PrepareReadModels(pqxx::connection& conn) {
  conn.prepare(kProjectGet, "SELECT to_jsonb(p)::text, version FROM projects p WHERE project_id = $1::uuid");
  conn.prepare(kProjectList,
               "SELECT to_jsonb(p)::text, created_at, project_id FROM projects p "
               "WHERE (created_at, project_id) > ($1::timestamptz, $2::uuid) ORDER BY created_at, project_id LIMIT $3");
  conn.prepare(kDocumentGet,
               "SELECT jsonb_strip_nulls(to_jsonb(d))::text, version FROM document_views d WHERE document_id = $1::uuid");
  // A conditional GET's first look: the version alone (no JSON built).
  conn.prepare(kDocumentVersion, "SELECT version FROM document_views WHERE document_id = $1::uuid");
  conn.prepare(kDocumentList,
               "SELECT jsonb_strip_nulls(to_jsonb(d))::text, created_at, document_id FROM document_views d "
               "WHERE ($1::uuid IS NULL OR project_id = $1::uuid) AND ($2::text IS NULL OR status = $2::text) "
               "AND (created_at, document_id) > ($3::timestamptz, $4::uuid) "
               "ORDER BY created_at, document_id LIMIT $5");
  // NULL (no row) when the document has no view; an empty array when it has no items.
  conn.prepare(kSemanticIrOfDocument,
               "SELECT (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(to_jsonb(s)) ORDER BY s.ordinal), '[]'::jsonb) "
               "FROM semantic_ir s WHERE s.document_id = d.document_id AND ($2::text IS NULL OR s.ir_type = $2::text))::text "
               "FROM document_views d WHERE d.document_id = $1::uuid");
  conn.prepare(kExtractionGet,
               "SELECT (to_jsonb(e) || jsonb_build_object('schema_current', "
               "coalesce(e.schema_revision = p.schema_revision, false)))::text "
               "FROM extractions e LEFT JOIN projects p USING (project_id) WHERE e.extraction_id = $1::uuid");
  conn.prepare(kSourceList,
               "SELECT to_jsonb(s)::text, first_crawled_at, document_id FROM document_sources s "
               "WHERE project_id = $1::uuid AND (first_crawled_at, document_id) > ($2::timestamptz, $3::uuid) "
               "ORDER BY first_crawled_at, document_id LIMIT $4");
  conn.prepare(kExtractionList,
               "SELECT (to_jsonb(e) || jsonb_build_object('schema_current', "
               "coalesce(e.schema_revision = p.schema_revision, false)))::text, e.sequence, e.extraction_id "
               "FROM extractions e LEFT JOIN projects p USING (project_id) "
               "WHERE e.project_id = $1::uuid AND e.sequence > $2 ORDER BY e.sequence LIMIT $3");
  conn.prepare(kJobGet, "SELECT jsonb_strip_nulls(to_jsonb(j))::text, version FROM jobs j WHERE job_id = $1::uuid");
  conn.prepare(kContentStore,
               "INSERT INTO document_contents (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING");
  conn.prepare(kContentOfDocument,
               "SELECT c.content, d.content_type FROM document_views d JOIN document_contents c USING (sha256) "
               "WHERE d.document_id = $1::uuid AND d.erased_at IS NULL");

  conn.prepare(kReadPosition,
               "SELECT CASE WHEN $1 = '' THEN (SELECT coalesce(max(sequence), 0) FROM events) "
               "ELSE coalesce((SELECT last_sequence FROM projection_checkpoints WHERE name = $1), 0) END");
}

// The webhook outbox (alert_delivery_worker.cpp), the alert list, recovery's candidates.
void PrepareAlerts(pqxx::connection& conn) {
  // The webhook outbox. Times ($n::timestamptz) come from the worker's clock (injectable).
  // The next due delivery, locked; one claimed (lease not over) or locked by another
  // worker's claim transaction is skipped.
  conn.prepare(kDeliveryNextDue,
               "SELECT alert_id::text, type, key, level, message, details::text, "
               "to_char(raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), attempts, throttle_checked, "
               "raised_at < $2::timestamptz "  // stale: raised before the oldest age still sent
               "FROM alert_deliveries WHERE status = 'pending' "
               "AND (next_attempt_at IS NULL OR next_attempt_at <= $1::timestamptz) "
               "AND (claimed_until IS NULL OR claimed_until <= $1::timestamptz) "
               "ORDER BY source_sequence LIMIT 1 FOR UPDATE SKIP LOCKED");
  // Opens the (type, key) throttle window for this alert unless another alert opened it
  // less than $5 seconds ago; a row comes back when this alert may be sent. The row lock
  // makes concurrent workers decide one after the other.
  conn.prepare(kDeliveryOpenWindow,
               "INSERT INTO alert_throttle AS t (type, key, window_started_at, alert_id) "
               "VALUES ($1, $2, $3::timestamptz, $4::uuid) ON CONFLICT (type, key) DO UPDATE "
               "SET window_started_at = EXCLUDED.window_started_at, alert_id = EXCLUDED.alert_id "
               "WHERE t.alert_id = EXCLUDED.alert_id "
               "OR t.window_started_at <= EXCLUDED.window_started_at - make_interval(secs => $5::double precision) "
               "RETURNING 1");
  conn.prepare(kDeliveryMarkExpired,
               "UPDATE alert_deliveries SET status = 'expired', updated_at = $2::timestamptz WHERE alert_id = $1::uuid");
  conn.prepare(kDeliveryMarkThrottled,
               "UPDATE alert_deliveries SET status = 'throttled', throttle_checked = true, updated_at = $2::timestamptz "
               "WHERE alert_id = $1::uuid");
  conn.prepare(kDeliveryClaim,
               "UPDATE alert_deliveries SET claimed_until = $2::timestamptz, claimed_by = $3, claim_token = $4::uuid, "
               "attempts = attempts + 1, throttle_checked = true, updated_at = $5::timestamptz "
               "WHERE alert_id = $1::uuid RETURNING attempts");
  // Outcomes apply only while the claim is still ours (same token).
  conn.prepare(kDeliveryDelivered,
               "UPDATE alert_deliveries SET status = 'delivered', delivered_at = $3::timestamptz, last_error = NULL, "
               "claimed_until = NULL, next_attempt_at = NULL, updated_at = $3::timestamptz "
               "WHERE alert_id = $1::uuid AND claim_token = $2::uuid");
  conn.prepare(kDeliveryFailed,
               "UPDATE alert_deliveries SET status = $3, next_attempt_at = $4::timestamptz, last_error = $5, "
               "claimed_until = NULL, updated_at = $6::timestamptz "
               "WHERE alert_id = $1::uuid AND claim_token = $2::uuid");
  conn.prepare(kDeliveryCounts, "SELECT status, count(*) FROM alert_deliveries GROUP BY status ORDER BY status");
  // Alerts with their delivery, newest first ($3: before this sequence; cursor).
  conn.prepare(kAlertList,
               "SELECT jsonb_build_object('alert_id', a.id, 'type', a.type, 'level', a.level, 'key', a.key, "
               "'message', a.message, 'details', a.details, 'source_sequence', a.source_sequence, "
               "'raised_at', a.raised_at, 'delivery', CASE WHEN d.alert_id IS NULL THEN NULL ELSE "
               "jsonb_build_object('status', d.status, 'attempts', d.attempts, 'last_error', d.last_error, "
               "'next_attempt_at', d.next_attempt_at, 'delivered_at', d.delivered_at) END)::text, "
               "a.source_sequence, a.id "
               "FROM alerts a LEFT JOIN alert_deliveries d ON d.alert_id = a.id "
               "WHERE ($1::text IS NULL OR a.type = $1::text) AND ($2::timestamptz IS NULL OR a.raised_at >= $2::timestamptz) "
               "AND a.source_sequence < $3 ORDER BY a.source_sequence DESC LIMIT $4");
  // Extractions not resolved whose document has no view (deleted, or never existed).
  conn.prepare(kOrphanCandidates,
               "SELECT e.extraction_id::text, e.document_id::text FROM extractions e "
               "WHERE e.orphaned_at IS NULL AND NOT EXISTS "
               "(SELECT 1 FROM document_views d WHERE d.document_id = e.document_id) "
               "ORDER BY e.sequence");
}

// Idempotency-Key records (idempotency_store.cpp).
void PrepareApiSupport(pqxx::connection& conn) {
  // Idempotency keys. A claim inserts the key, or takes over one whose first request has
  // not answered for longer than $4 (its process died); a row comes back only then.
  conn.prepare(kIdempotencyClaim,
               "INSERT INTO idempotency_keys AS k (actor, idempotency_key, request_hash) VALUES ($1, $2, $3) "
               "ON CONFLICT (actor, idempotency_key) DO UPDATE SET request_hash = EXCLUDED.request_hash, "
               "started_at = now() WHERE k.status IS NULL AND k.started_at < now() - $4::interval "
               "RETURNING 1");
  conn.prepare(kIdempotencyRead,
               "SELECT request_hash, status, response_body, response_etag FROM idempotency_keys "
               "WHERE actor = $1 AND idempotency_key = $2");
  conn.prepare(kIdempotencyComplete,
               "UPDATE idempotency_keys SET status = $3, response_body = $4, response_etag = $5, completed_at = now() "
               "WHERE actor = $1 AND idempotency_key = $2");
  conn.prepare(kIdempotencyRelease,
               "DELETE FROM idempotency_keys WHERE actor = $1 AND idempotency_key = $2 AND status IS NULL");
  conn.prepare(kIdempotencyExpire, "DELETE FROM idempotency_keys WHERE started_at < now() - $1::interval");
}

// Status and parked events for operators (projection_status.cpp, metrics scrapes).
void PrepareProjectionStatus(pqxx::connection& conn) {
  conn.prepare(kCheckpointsAll, "SELECT name, last_sequence FROM projection_checkpoints");
  conn.prepare(kParkedCounts,
               "SELECT projection, count(*) FROM projection_parked WHERE held_behind IS NULL "
               "GROUP BY projection");
  conn.prepare(kStatusCheckpoint,
               "SELECT last_sequence, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
               "FROM projection_checkpoints WHERE name = $1");
  // Committed events after a checkpoint, counted up to 10,000,000.
  conn.prepare(kStatusLagEvents,
               "SELECT count(*) FROM (SELECT 1 FROM events WHERE sequence > $1 LIMIT 10000000) AS lag");
  conn.prepare(kStatusOldestPending,
               "SELECT extract(epoch FROM now() - recorded_at)::float8 FROM events WHERE sequence > $1 "
               "ORDER BY sequence LIMIT 1");
  conn.prepare(kStatusParkedHeld,
               "SELECT count(*) FILTER (WHERE held_behind IS NULL), count(*) FILTER (WHERE held_behind IS NOT NULL) "
               "FROM projection_parked WHERE projection = $1");
  // Who holds a projector's lease ($1: the lease class, $2: the projector's name).
  conn.prepare(kStatusLeaseHolder,
               "SELECT coalesce(nullif(a.application_name, ''), 'pid ' || a.pid) || ' (' || "
               "coalesce(host(a.client_addr), 'local') || ', pid ' || a.pid || ')' "
               "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
               "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
               "AND l.classid = $1::int4::oid AND l.objid = hashtext($2)::oid "
               "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  conn.prepare(kParkedList,
               "SELECT projection, sequence, event_id::text, stream_id, error, attempts, coalesce(held_behind, 0), "
               "retry_requested, to_char(parked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
               "FROM projection_parked WHERE ($1::text IS NULL OR projection = $1) ORDER BY projection, sequence");
  // Marks the parked rows of projector $1, of stream $2 (NULL: any) and of the stream of
  // the event parked at $3 (NULL: any), for its lease holder to apply again.
  conn.prepare(kParkedRequestRetry,
               "UPDATE projection_parked SET retry_requested = true WHERE projection = $1 "
               "AND ($2::text IS NULL OR stream_id = $2) "
               "AND ($3::bigint IS NULL OR stream_id = (SELECT stream_id FROM projection_parked "
               "                                      WHERE projection = $1 AND sequence = $3)) "
               "RETURNING stream_id");
  // Under kCheckpointLock, as every change of parked rows.
  conn.prepare(kParkedSkip,
               "DELETE FROM projection_parked WHERE projection = $1 AND sequence = $2 RETURNING stream_id");
  conn.prepare(kParkedCountOfStream,
               "SELECT count(*) FROM projection_parked WHERE projection = $1 AND stream_id = $2");
  conn.prepare(kHealthDeliveries,
               "SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'dead'), "
               "count(*) FILTER (WHERE status = 'dead' AND updated_at > now() - make_interval(secs => $1::float8)) "
               "FROM alert_deliveries WHERE status IN ('pending', 'dead')");
  conn.prepare(kHealthReplicaLag,
               "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "
               "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
               "ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8");
  conn.prepare(kParkedRetryPending,
               "SELECT count(*) FROM projection_parked WHERE projection = $1 AND retry_requested");
  // The columns of a table as the search_path resolves its name (none when it does not
  // exist): the projections' start-up check (projection_runtime/schema_check.cpp).
  conn.prepare(kTableColumns,
               "SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass($1) "
               "AND attnum > 0 AND NOT attisdropped");
}

void PrepareSubscriptionCursors(pqxx::connection& conn) {
  conn.prepare(kSubscriptionCursorEnsure,
               "INSERT INTO subscription_cursors (subscription_id, after_sequence) "
               "SELECT subscription_id, start_after FROM subscriptions WHERE subscription_id = $1::uuid "
               "ON CONFLICT DO NOTHING");
  // Takes the lease when it is free or over, or renews ours ($3), for $4 ms.
  conn.prepare(kSubscriptionClaim,
               "UPDATE subscription_cursors SET leased_by = $2, lease_token = $3::uuid, "
               "lease_until = now() + $4 * interval '1 millisecond', updated_at = now() "
               "WHERE subscription_id = $1::uuid "
               "AND (lease_token = $3::uuid OR lease_until IS NULL OR lease_until < now()) "
               "RETURNING after_sequence, rewind_applied, resume_applied, coalesce(inflight_through, -1), "
               "coalesce(inflight_id, ''), failures, "
               "coalesce(greatest(0, extract(epoch FROM next_attempt_at - now()) * 1000), 0)::bigint, failing");
  conn.prepare(kSubscriptionConfig,
               "SELECT url, event_types::text, stream_prefix, max_batch, status, coalesce(rewind_after, -1), "
               "rewind_sequence, resume_sequence FROM subscriptions WHERE subscription_id = $1::uuid");
  conn.prepare(kSubscriptionApplyRewind,
               "UPDATE subscription_cursors SET after_sequence = $2, rewind_applied = $3, inflight_through = NULL, "
               "inflight_id = NULL, failures = 0, first_failure_at = NULL, next_attempt_at = NULL "
               "WHERE subscription_id = $1::uuid AND lease_token = $4::uuid");
  conn.prepare(kSubscriptionApplyResume,
               "UPDATE subscription_cursors SET resume_applied = $2, failures = 0, first_failure_at = NULL, "
               "next_attempt_at = NULL, last_error = NULL, failing = false WHERE subscription_id = $1::uuid AND lease_token = $3::uuid");
  conn.prepare(kSubscriptionEvents, std::string("SELECT ") + kEventColumns +
                                        " FROM events WHERE sequence > $1 AND sequence <= $2 "
                                        "AND ($3::text[] IS NULL OR event_type = ANY($3::text[])) "
                                        "AND left(stream_id, length($4)) = $4 ORDER BY sequence LIMIT $5");
}

void PrepareSubscriptionOutcomes(pqxx::connection& conn) {
  conn.prepare(kSubscriptionInflight,
               "UPDATE subscription_cursors SET inflight_through = $2, inflight_id = $3 "
               "WHERE subscription_id = $1::uuid AND lease_token = $4::uuid");
  conn.prepare(kSubscriptionSkipTo,
               "UPDATE subscription_cursors SET after_sequence = $2, updated_at = now() "
               "WHERE subscription_id = $1::uuid AND lease_token = $3::uuid AND after_sequence < $2 "
               "AND inflight_id IS NULL");
  conn.prepare(kSubscriptionDelivered,
               "UPDATE subscription_cursors SET after_sequence = $2, inflight_through = NULL, inflight_id = NULL, "
               "failures = 0, first_failure_at = NULL, next_attempt_at = NULL, last_error = NULL, "
               "delivered_at = now(), updated_at = now() "
               "WHERE subscription_id = $1::uuid AND lease_token = $3::uuid AND inflight_id = $4");
  conn.prepare(kSubscriptionFailed,
               "UPDATE subscription_cursors SET failures = failures + 1, first_failure_at = coalesce(first_failure_at, "
               "now()), next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4, updated_at = now() "
               "WHERE subscription_id = $1::uuid AND lease_token = $2::uuid "
               "RETURNING failures, extract(epoch FROM now() - first_failure_at)::bigint, after_sequence");
  conn.prepare(kSubscriptionRecordAttempt,
               "INSERT INTO subscription_deliveries (subscription_id, webhook_id, after_sequence, through_sequence, "
               "event_count, outcome, status_code, error, latency_ms, instance) "
               "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
  conn.prepare(kSubscriptionRelease,
               "UPDATE subscription_cursors SET lease_until = NULL, lease_token = NULL, leased_by = NULL "
               "WHERE subscription_id = $1::uuid AND lease_token = $2::uuid");
  conn.prepare(kSubscriptionReleaseFailing,
               "UPDATE subscription_cursors SET failing = true, lease_until = NULL, lease_token = NULL, "
               "leased_by = NULL WHERE subscription_id = $1::uuid AND lease_token = $2::uuid");
  conn.prepare(kSubscriptionsUnleased,
               "SELECT s.subscription_id::text FROM subscriptions s "
               "LEFT JOIN subscription_cursors c USING (subscription_id) WHERE s.status = 'active' "
               "AND (c.lease_until IS NULL OR c.lease_until < now()) "
               "AND (c.failing IS NOT TRUE OR coalesce(s.resume_sequence, 0) > c.resume_applied) "
               "ORDER BY s.subscription_id");
  conn.prepare(kSubscriptionSecrets,
               "SELECT secret_version, wrapped_secret, master_key_id FROM subscription_secrets "
               "WHERE subscription_id = $1::uuid AND (valid_until IS NULL OR valid_until > now()) "
               "ORDER BY secret_version DESC");
}

}  // namespace

void PrepareAll(pqxx::connection& conn) {
  // Every docledger session runs in UTC, so timestamps read as text are "...+00".
  conn.set_variable("TimeZone", "'UTC'");
  // ...and in ISO format whatever the server's default: list cursors carry such a text
  // (infrastructure/cursor.*, which checks it before PostgreSQL reads it back).
  conn.set_variable("DateStyle", "'ISO'");
  PrepareEventStore(conn);
  PrepareProjectorRuntime(conn);
  PrepareParking(conn);
  PrepareReadModels(conn);
  PrepareAlerts(conn);
  PrepareApiSupport(conn);
  PrepareProjectionStatus(conn);
  PrepareSubscriptionCursors(conn);
  PrepareSubscriptionOutcomes(conn);
}

}  // namespace docledger::infrastructure::statements
