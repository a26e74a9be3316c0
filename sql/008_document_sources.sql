-- 008_document_sources: a crawled source is one document that changes (issue 18).
--
-- document_views.revision: the document's current revision (1 at upload, +1 for each
-- DocumentRevised: new bytes crawled from its source_url). Every document recorded before
-- this migration has had exactly one revision, hence the default.
ALTER TABLE document_views ADD COLUMN IF NOT EXISTS revision BIGINT NOT NULL DEFAULT 1;

-- document_sources (projector "document_sources"): one row per document with a
-- source_url: its current sha256, its revisions, when it was first crawled and when a
-- crawl last changed it. Built from the log by its projector (from sequence 0 on an
-- existing database). GET /api/v1/projects/{id}/sources pages it by
-- (first_crawled_at, document_id).
CREATE TABLE IF NOT EXISTS document_sources (
    document_id      UUID PRIMARY KEY,
    project_id       UUID NOT NULL,
    source_url       TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    revisions        BIGINT NOT NULL,
    first_crawled_at TIMESTAMPTZ NOT NULL,
    last_crawled_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS document_sources_project_idx ON document_sources (project_id, first_crawled_at, document_id);
