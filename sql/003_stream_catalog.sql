-- 003_stream_catalog: one row per stream of the log (projection "stream_catalog",
-- projections/stream_catalog.cpp). Used to browse and search streams.
CREATE TABLE IF NOT EXISTS stream_catalog (
    stream_id        TEXT        PRIMARY KEY,
    version          BIGINT      NOT NULL,
    first_sequence   BIGINT      NOT NULL,
    last_sequence    BIGINT      NOT NULL,
    last_event_type  TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_catalog_updated_idx ON stream_catalog (updated_at DESC, stream_id);
