// Every named statement of docledger, prepared on each connection when it opens
// (conventions 7). Callers use the names below with exec_prepared; values are never
// concatenated into SQL. libpqxx 7.10 renames exec_prepared: this file is where that
// upgrade happens.
#pragma once

#include <pqxx/connection>

namespace docledger::infrastructure::statements {

inline constexpr const char* kAppendBatch = "append_batch";
inline constexpr const char* kAppendOne = "append_one";
inline constexpr const char* kReadStream = "read_stream";
inline constexpr const char* kReadAll = "read_all";
inline constexpr const char* kStreamVersion = "stream_version";
inline constexpr const char* kHeadSequence = "head_sequence";
// The readiness probe's round trip (docledger serve, GET /health/ready).
inline constexpr const char* kPing = "ping";
// This transaction commits without waiting for the WAL flush (SET LOCAL synchronous_commit).
inline constexpr const char* kAsyncCommit = "async_commit";
// The request deadline of a pooled session (connection_pool.cpp; $1 e.g. "25000ms").
inline constexpr const char* kSetStatementTimeout = "set_statement_timeout";

// Projector runtime (projection_runtime/projector_*.cpp). Unqualified table names resolve
// through the connection's search_path, so a rebuild runs the same statements on its
// shadow schema.
inline constexpr const char* kCheckpointEnsure = "checkpoint_ensure";
inline constexpr const char* kCheckpointRead = "checkpoint_read";
inline constexpr const char* kCheckpointLock = "checkpoint_lock";
inline constexpr const char* kCheckpointAdvance = "checkpoint_advance";
inline constexpr const char* kDependencyCheckpoint = "dependency_checkpoint";
inline constexpr const char* kReadRange = "read_range";
inline constexpr const char* kEventBySequence = "event_by_sequence";
inline constexpr const char* kParkEvent = "park_event";
inline constexpr const char* kParkedStreams = "parked_streams";
inline constexpr const char* kDependencyParkedStreams = "dependency_parked_streams";
inline constexpr const char* kReleaseDependencyHolds = "release_dependency_holds";
inline constexpr const char* kRetryRequestedStreams = "retry_requested_streams";
inline constexpr const char* kParkedOfStream = "parked_of_stream";
inline constexpr const char* kParkedDelete = "parked_delete";
inline constexpr const char* kParkedFailedAgain = "parked_failed_again";
inline constexpr const char* kEventExists = "event_exists";
inline constexpr const char* kLeaseTry = "lease_try";
inline constexpr const char* kLeaseRelease = "lease_release";
inline constexpr const char* kLeaseKeepalive = "lease_keepalive";
inline constexpr const char* kSessionApplicationName = "session_application_name";

// Read models for the HTTP API (projections/<name>/<x>_queries_pg.cpp): each returns the
// row as JSON text.
inline constexpr const char* kProjectGet = "project_get";
inline constexpr const char* kProjectList = "project_list";
inline constexpr const char* kDocumentGet = "document_get";
inline constexpr const char* kDocumentVersion = "document_version";
inline constexpr const char* kDocumentList = "document_list";
inline constexpr const char* kSemanticIrOfDocument = "semantic_ir_of_document";
inline constexpr const char* kSourceList = "source_list";
inline constexpr const char* kExtractionGet = "extraction_get";
inline constexpr const char* kExtractionList = "extraction_list";
inline constexpr const char* kJobGet = "job_get";
inline constexpr const char* kContentStore = "content_store";  // infrastructure/content_store.cpp
inline constexpr const char* kContentOfDocument = "content_of_document";
// How far a database has got (read routing, read_router.*): a projection's checkpoint, or
// the log's head when the name is "".
inline constexpr const char* kReadPosition = "read_position";
// The columns a table has (projection_runtime/schema_check.cpp).
inline constexpr const char* kTableColumns = "table_columns";

// Alerts: the webhook outbox (alert_delivery_worker.cpp), the list (projections/alerts/alert_queries_pg.cpp).
inline constexpr const char* kDeliveryNextDue = "delivery_next_due";
inline constexpr const char* kDeliveryOpenWindow = "delivery_open_window";
inline constexpr const char* kDeliveryMarkThrottled = "delivery_mark_throttled";
inline constexpr const char* kDeliveryMarkExpired = "delivery_mark_expired";
inline constexpr const char* kDeliveryClaim = "delivery_claim";
inline constexpr const char* kDeliveryDelivered = "delivery_delivered";
inline constexpr const char* kDeliveryFailed = "delivery_failed";
inline constexpr const char* kDeliveryCounts = "delivery_counts";
inline constexpr const char* kAlertList = "alert_list";
inline constexpr const char* kOrphanCandidates = "orphan_candidates";

// Idempotency-Key records (idempotency_store.cpp).
inline constexpr const char* kIdempotencyClaim = "idempotency_claim";
inline constexpr const char* kIdempotencyRead = "idempotency_read";
inline constexpr const char* kIdempotencyComplete = "idempotency_complete";
inline constexpr const char* kIdempotencyRelease = "idempotency_release";
inline constexpr const char* kIdempotencyExpire = "idempotency_expire";
// Metrics scrapes (projection_status.cpp ReadProjectionProgress): cheap reads only.
inline constexpr const char* kCheckpointsAll = "checkpoints_all";
inline constexpr const char* kParkedCounts = "parked_counts";
// Status and parked events for operators (projection_status.cpp: `docledger status`,
// `docledger parked`, GET /api/v1/projections and .../parked).
inline constexpr const char* kStatusCheckpoint = "status_checkpoint";
inline constexpr const char* kStatusLagEvents = "status_lag_events";
inline constexpr const char* kStatusOldestPending = "status_oldest_pending";
inline constexpr const char* kStatusParkedHeld = "status_parked_held";
inline constexpr const char* kStatusLeaseHolder = "status_lease_holder";
inline constexpr const char* kParkedList = "parked_list";
inline constexpr const char* kParkedRequestRetry = "parked_request_retry";
inline constexpr const char* kParkedSkip = "parked_skip";
inline constexpr const char* kParkedCountOfStream = "parked_count_of_stream";
inline constexpr const char* kParkedRetryPending = "parked_retry_pending";
// GET /health (operations/health_checks.cpp): cheap reads only. The outbox's pending and
// dead rows (status index) with those that went dead within $1 seconds; a standby's replay
// delay (0 when it has replayed everything it received; NULL when not in recovery).
inline constexpr const char* kHealthDeliveries = "health_deliveries";
inline constexpr const char* kHealthReplicaLag = "health_replica_lag";

// Outbound subscriptions: the delivery worker (subscriptions/subscription_worker.cpp) and
// its dispatcher. $1 is the subscription id; $n lease_token the worker's lease.
inline constexpr const char* kSubscriptionCursorEnsure = "subscription_cursor_ensure";
inline constexpr const char* kSubscriptionClaim = "subscription_claim";
inline constexpr const char* kSubscriptionConfig = "subscription_config";
inline constexpr const char* kSubscriptionApplyRewind = "subscription_apply_rewind";
inline constexpr const char* kSubscriptionApplyResume = "subscription_apply_resume";
inline constexpr const char* kSubscriptionEvents = "subscription_events";
inline constexpr const char* kSubscriptionInflight = "subscription_inflight";
inline constexpr const char* kSubscriptionSkipTo = "subscription_skip_to";
inline constexpr const char* kSubscriptionDelivered = "subscription_delivered";
inline constexpr const char* kSubscriptionFailed = "subscription_failed";
inline constexpr const char* kSubscriptionRecordAttempt = "subscription_record_attempt";
inline constexpr const char* kSubscriptionRelease = "subscription_release";
inline constexpr const char* kSubscriptionReleaseFailing = "subscription_release_failing";
inline constexpr const char* kSubscriptionsUnleased = "subscriptions_unleased";
inline constexpr const char* kSubscriptionSecrets = "subscription_secrets";

// Prepares all of the above on `conn`. Statements over tables that do not exist yet
// (before `docledger migrate`) are prepared lazily by PostgreSQL, so this never fails
// for that reason.
void PrepareAll(pqxx::connection& conn);

}  // namespace docledger::infrastructure::statements
