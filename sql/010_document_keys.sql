-- 010: forgetting a document (issue 19, docs/erasure.md). Each document's content fields
-- are sealed in the log with its own data key; the keys live here, wrapped by the master
-- key. Erasing a document destroys its key: the sealed fields can then never be read
-- again, while the events themselves (and the log's gap-free order) stay.
CREATE TABLE IF NOT EXISTS document_keys (
    document_id   UUID PRIMARY KEY,
    wrapped_key   BYTEA,          -- nonce || AES-256-GCM(data key) under the master key; NULL once erased
    master_key_id TEXT,           -- fingerprint of the master key that wrapped it
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    erased_at     TIMESTAMPTZ,
    CONSTRAINT document_keys_erased_check CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL)),
    CONSTRAINT document_keys_master_check CHECK ((wrapped_key IS NULL) = (master_key_id IS NULL))
);

-- The key goes in the transaction that appends DocumentErased: whoever can read that event
-- can no longer open the document's content, and no later event can be sealed for it (a
-- tombstone row is left even for a document that never had a key, e.g. one from before
-- sealing).
CREATE OR REPLACE FUNCTION docledger_shred_erased_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO document_keys (document_id, wrapped_key, master_key_id, erased_at)
    VALUES ((NEW.payload->>'document_id')::uuid, NULL, NULL, NEW.recorded_at)
    ON CONFLICT (document_id) DO UPDATE
        SET wrapped_key = NULL, master_key_id = NULL,
            erased_at = coalesce(document_keys.erased_at, EXCLUDED.erased_at);
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER events_shred_erased
    AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.event_type = 'DocumentErased')
    EXECUTE FUNCTION docledger_shred_erased_document();

-- The document view shows when a document was erased.
ALTER TABLE document_views ADD COLUMN IF NOT EXISTS erased_at TIMESTAMPTZ;
