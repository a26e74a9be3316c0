-- 002_projection_runtime: bookkeeping of the projectors (src/infrastructure/projector_runner.cpp).
-- Idempotent, like every migration (see docs/migrations.md).

-- One row per projector: how far it has applied the log. Advanced in the same transaction
-- as the projector's writes, with a compare-and-swap on last_sequence, so an event is
-- never applied twice nor skipped, whoever runs the projector.
CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name           TEXT        PRIMARY KEY,
    last_sequence  BIGINT      NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Events a projector could not apply (poison), and the later events of the same stream
-- held back behind them (held_behind = the sequence of the first parked event of that
-- stream). `docledger parked list|retry|skip` works on this table.
CREATE TABLE IF NOT EXISTS projection_parked (
    projection       TEXT        NOT NULL,
    sequence         BIGINT      NOT NULL,
    event_id         UUID        NOT NULL,
    stream_id        TEXT        NOT NULL,
    error            TEXT        NOT NULL,          -- "TypeName: message"
    attempts         INT         NOT NULL DEFAULT 1,
    held_behind      BIGINT,                         -- NULL: this event itself failed
    retry_requested  BOOLEAN     NOT NULL DEFAULT false,
    parked_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, sequence)
);
CREATE INDEX IF NOT EXISTS projection_parked_stream_idx
    ON projection_parked (projection, stream_id, sequence);
