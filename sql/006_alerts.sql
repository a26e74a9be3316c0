-- 006: alerts (projector "alerts"), their webhook outbox, and orphaned extractions.
-- Idempotent: safe to apply twice, by the runner or with psql.

-- alerts (projector "alerts"): one row per alert, raised by one event of the log (at most
-- one alert per event). The id is derived from the type and the source event's sequence,
-- so a rebuild by replay gives every alert the same id.
CREATE TABLE IF NOT EXISTS alerts (
    source_sequence BIGINT PRIMARY KEY,
    id              UUID GENERATED ALWAYS AS (md5('alert/' || type || '/' || source_sequence::text)::uuid) STORED,
    type            TEXT NOT NULL CHECK (type IN ('job_failed', 'embedding_failure', 'orphaned_extractions',
                                                   'recovery_completed', 'projection_parked')),
    level           TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
    key             TEXT NOT NULL,          -- throttling groups alerts by (type, key)
    message         TEXT NOT NULL,
    details         JSONB NOT NULL,
    raised_at       TIMESTAMPTZ NOT NULL    -- the source event's recorded_at
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_id_idx ON alerts (id);
CREATE INDEX IF NOT EXISTS alerts_type_idx ON alerts (type, source_sequence);
CREATE INDEX IF NOT EXISTS alerts_raised_at_idx ON alerts (raised_at);

-- The extractions of each document as the alerts projector knows them (recorded and not
-- orphaned), so that DocumentDeleted can list the extractions it orphans. Owned by the
-- alerts projector (rebuilt with it).
CREATE TABLE IF NOT EXISTS alert_document_extractions (
    document_id    UUID PRIMARY KEY,
    project_id     UUID NOT NULL,
    extraction_ids JSONB NOT NULL            -- array of extraction ids, in recording order
);

-- The webhook outbox: one row per alert, inserted (ON CONFLICT DO NOTHING) in the same
-- transaction as the alert by the alerts projector. NOT a read model: a rebuild of the
-- alerts projection neither shadows nor swaps nor truncates it, and re-raising an alert
-- (same id) inserts nothing, so a replay never sends a delivery again. Write-side state:
-- back it up with the log. The delivery worker (src/infrastructure/alert_delivery_worker.*)
-- claims due rows with FOR UPDATE SKIP LOCKED and a lease (claimed_until).
CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id         UUID GENERATED ALWAYS AS (md5('alert/' || type || '/' || source_sequence::text)::uuid) STORED PRIMARY KEY,
    source_sequence  BIGINT NOT NULL,
    type             TEXT NOT NULL,
    level            TEXT NOT NULL,
    key              TEXT NOT NULL,
    message          TEXT NOT NULL,
    details          JSONB NOT NULL,
    raised_at        TIMESTAMPTZ NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'throttled', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_at  TIMESTAMPTZ,            -- NULL: due now
    claimed_until    TIMESTAMPTZ,            -- a worker's lease; past it another may claim
    claimed_by       TEXT,
    claim_token      UUID,
    throttle_checked BOOLEAN NOT NULL DEFAULT false,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS alert_deliveries_due_idx ON alert_deliveries (source_sequence) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS alert_deliveries_status_idx ON alert_deliveries (status);

-- Throttling: the delivery that opened the current window of each (type, key). A worker
-- deciding whether to send takes this row's lock, so two workers never both open one.
CREATE TABLE IF NOT EXISTS alert_throttle (
    type              TEXT NOT NULL,
    key               TEXT NOT NULL,
    window_started_at TIMESTAMPTZ NOT NULL,
    alert_id          UUID NOT NULL,
    PRIMARY KEY (type, key)
);

-- extractions: resolved by `docledger recover` (ExtractionOrphaned).
ALTER TABLE extractions ADD COLUMN IF NOT EXISTS orphaned_at TIMESTAMPTZ;
