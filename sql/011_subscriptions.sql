-- 011: outbound subscriptions (issue 20, docs/subscriptions.md). A subscription is a
-- cursor over the global sequence: its matching events are POSTed, signed (Standard
-- Webhooks), in sequence order, to its URL. Idempotent: safe to apply twice.

-- subscriptions (projector "subscriptions"): one row per live subscription, from the
-- Subscription* events. rewind_sequence / resume_sequence are the sequences of the last
-- SubscriptionRewound / SubscriptionResumed: the delivery worker acts on each once.
CREATE TABLE IF NOT EXISTS subscriptions (
    subscription_id  UUID PRIMARY KEY,
    url              TEXT NOT NULL,
    event_types      JSONB NOT NULL,           -- array of type names; [] = all
    stream_prefix    TEXT NOT NULL,            -- '' = all streams
    start_after      BIGINT NOT NULL,
    max_batch        INTEGER NOT NULL,
    description      TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('active', 'paused', 'failing')),
    rewind_after     BIGINT,
    rewind_sequence  BIGINT NOT NULL,
    resume_sequence  BIGINT NOT NULL,
    secret_version   BIGINT NOT NULL,
    last_error       TEXT,                     -- from SubscriptionFailing
    version          BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- The delivery worker's checkpoint, one row per subscription it has seen (NOT a read model:
-- replay never touches it; back it up with the log). after_sequence: every matching event
-- up to it was acknowledged by the receiver. inflight_*: the batch being sent, so that a
-- worker taking over re-sends exactly it (same webhook-id). The lease (lease_token,
-- lease_until) keeps one worker per subscription across instances.
CREATE TABLE IF NOT EXISTS subscription_cursors (
    subscription_id   UUID PRIMARY KEY,
    after_sequence    BIGINT NOT NULL,
    rewind_applied    BIGINT NOT NULL DEFAULT 0,
    resume_applied    BIGINT NOT NULL DEFAULT 0,
    inflight_through  BIGINT,
    inflight_id       TEXT,
    failures          INTEGER NOT NULL DEFAULT 0,
    -- Set by the worker that marked the subscription failing, cleared by the resume: no
    -- instance picks it up meanwhile, even before the projection shows "failing".
    failing           BOOLEAN NOT NULL DEFAULT false,
    first_failure_at  TIMESTAMPTZ,
    next_attempt_at   TIMESTAMPTZ,
    last_error        TEXT,
    leased_by         TEXT,
    lease_token       UUID,
    lease_until       TIMESTAMPTZ,
    delivered_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Signing secrets, wrapped by the master key (docs/erasure.md) with
-- 'subscription/<id>/<version>' as associated data. A secret signs while valid_until is
-- NULL or in the future: after a rotation the old one signs too until its valid_until.
CREATE TABLE IF NOT EXISTS subscription_secrets (
    subscription_id  UUID NOT NULL,
    secret_version   BIGINT NOT NULL,
    wrapped_secret   TEXT NOT NULL,            -- base64 of nonce || AES-256-GCM(secret)
    master_key_id    TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    valid_until      TIMESTAMPTZ,
    PRIMARY KEY (subscription_id, secret_version)
);

-- Every delivery attempt (pruned after DOCLEDGER_SUBSCRIPTION_DELIVERY_RETENTION).
CREATE TABLE IF NOT EXISTS subscription_deliveries (
    id                BIGSERIAL PRIMARY KEY,
    subscription_id   UUID NOT NULL,
    webhook_id        TEXT NOT NULL,
    after_sequence    BIGINT NOT NULL,
    through_sequence  BIGINT NOT NULL,
    event_count       INTEGER NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
    status_code       INTEGER,
    error             TEXT,
    latency_ms        DOUBLE PRECISION NOT NULL,
    instance          TEXT NOT NULL,
    attempted_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS subscription_deliveries_recent_idx ON subscription_deliveries (subscription_id, id DESC);
CREATE INDEX IF NOT EXISTS subscription_deliveries_attempted_idx ON subscription_deliveries (attempted_at);

-- A failing subscription raises an alert.
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_type_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_type_check
    CHECK (type IN ('job_failed', 'embedding_failure', 'orphaned_extractions', 'recovery_completed',
                    'projection_parked', 'subscription_failing'));
