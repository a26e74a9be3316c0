-- 005: what the HTTP API keeps besides the log. Idempotent: safe to apply twice.

-- Uploaded file content, addressed by its SHA-256: the same bytes are stored once, however
-- many documents (or re-uploads) name them. Written before the DocumentUploaded event, so
-- an event never names content that is not here (a crash in between leaves only an unused
-- row). Part of the write side: back it up with the events, it cannot be rebuilt.
CREATE TABLE IF NOT EXISTS document_contents (
    sha256     TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content    BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Idempotency-Key: the first response to a POST, replayed for the same key of the same API
-- key. `status` is NULL while the first request is in flight; a row in flight for longer
-- than the request timeout was abandoned (its process died) and may be taken over.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    actor           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status          INTEGER,
    response_body   TEXT,
    response_etag   TEXT,
    started_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ,
    PRIMARY KEY (actor, idempotency_key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_started_idx ON idempotency_keys (started_at);
