-- 004: the read models of the document-intelligence pipeline. Each table is owned by one
-- projector (projections/<name>.cpp) and can be rebuilt with `docledger replay <name>`.
-- Idempotent: safe to apply twice, by the runner or with psql.

-- projects (projector "projects")
CREATE TABLE IF NOT EXISTS projects (
    project_id      UUID PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    json_schema     JSONB NOT NULL,
    entity_types    JSONB NOT NULL,
    schema_revision BIGINT NOT NULL,
    has_extractions BOOLEAN NOT NULL,
    version         BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS projects_created_at_idx ON projects (created_at, project_id);

-- document_views (projector "document_views"): one row per live document.
CREATE TABLE IF NOT EXISTS document_views (
    document_id           UUID PRIMARY KEY,
    project_id            UUID NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('uploaded', 'converted', 'conversion_failed')),
    filename              TEXT NOT NULL,
    content_type          TEXT NOT NULL,
    sha256                TEXT NOT NULL,
    size_bytes            BIGINT NOT NULL,
    source_url            TEXT,
    metadata              JSONB NOT NULL,
    converted_length      BIGINT,
    converter             TEXT,
    conversion_event_id   UUID,        -- the conversion whose semantic IR is shown
    conversion_error_type TEXT,
    conversion_error      TEXT,        -- "TypeName: message"
    version               BIGINT NOT NULL,
    last_sequence         BIGINT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    converted_at          TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS document_views_project_idx ON document_views (project_id, created_at, document_id);
CREATE INDEX IF NOT EXISTS document_views_status_idx ON document_views (status, created_at, document_id);
CREATE INDEX IF NOT EXISTS document_views_created_idx ON document_views (created_at, document_id);

-- semantic_ir (projector "semantic_ir"): the ADR-014 columns, per document and ordinal.
-- Rows go with their document: FK to document_views ON DELETE CASCADE.
CREATE TABLE IF NOT EXISTS semantic_ir_sources (
    document_id     UUID PRIMARY KEY REFERENCES document_views (document_id) ON DELETE CASCADE,
    source_event_id UUID NOT NULL,
    item_count      BIGINT NOT NULL,
    extracted_at    TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS semantic_ir (
    id              UUID GENERATED ALWAYS AS (md5(source_event_id::text || '/' || ordinal::text)::uuid) STORED,
    document_id     UUID NOT NULL REFERENCES document_views (document_id) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL,
    source_event_id UUID NOT NULL,
    ir_type         TEXT NOT NULL CHECK (ir_type IN ('formula', 'definition', 'table', 'cross_reference')),
    name            TEXT,
    expression      TEXT,
    variables       JSONB,
    definition      TEXT,
    term            TEXT,
    context         TEXT,
    table_data      JSONB,
    row_count       INTEGER,
    column_count    INTEGER,
    target          TEXT,
    reference_type  TEXT,
    location        TEXT,
    metadata        JSONB NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (document_id, ordinal)
);
CREATE UNIQUE INDEX IF NOT EXISTS semantic_ir_id_idx ON semantic_ir (id);
CREATE INDEX IF NOT EXISTS semantic_ir_document_idx ON semantic_ir (document_id);
CREATE INDEX IF NOT EXISTS semantic_ir_type_idx ON semantic_ir (ir_type);
CREATE INDEX IF NOT EXISTS semantic_ir_name_idx ON semantic_ir (name);

-- extractions (projector "extractions"). No FK to documents: a deleted document's
-- extractions stay (orphans; see alerts and `docledger recover`).
CREATE TABLE IF NOT EXISTS extractions (
    extraction_id   UUID PRIMARY KEY,
    project_id      UUID NOT NULL,
    document_id     UUID NOT NULL,
    entity_type     TEXT NOT NULL,
    data            JSONB NOT NULL,
    valid           BOOLEAN NOT NULL,
    schema_revision BIGINT NOT NULL,
    sequence        BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS extractions_project_idx ON extractions (project_id, sequence);
CREATE INDEX IF NOT EXISTS extractions_document_idx ON extractions (document_id);

-- jobs (projector "jobs").
CREATE TABLE IF NOT EXISTS jobs (
    job_id      UUID PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('conversion', 'extraction', 'embedding', 'crawl')),
    status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    document_id UUID,
    project_id  UUID,
    worker      TEXT,
    input       JSONB,
    result      JSONB,
    error_type  TEXT,
    error       TEXT,             -- "TypeName: message"
    version     BIGINT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL,
    duration_ms DOUBLE PRECISION GENERATED ALWAYS AS ((EXTRACT(EPOCH FROM (finished_at - started_at)) * 1000)::double precision) STORED
);
CREATE INDEX IF NOT EXISTS jobs_status_idx ON jobs (status, started_at);
CREATE INDEX IF NOT EXISTS jobs_document_idx ON jobs (document_id);
