-- 001_event_store: the append-only event log of docledger.
--
-- Plain SQL: `docledger migrate` applies it in one transaction and records it in
-- schema_migrations; an operator can also apply it with `psql -1 -f`. Every statement is
-- idempotent (IF NOT EXISTS / OR REPLACE), so a file applied by hand is later recorded by
-- `docledger migrate` without error.

CREATE TABLE IF NOT EXISTS events (
    sequence        BIGSERIAL    NOT NULL UNIQUE,
    event_id        UUID         PRIMARY KEY,
    stream_id       TEXT         NOT NULL CHECK (stream_id <> '' AND octet_length(stream_id) <= 256),
    stream_version  BIGINT       NOT NULL CHECK (stream_version >= 1),
    event_type      TEXT         NOT NULL CHECK (event_type <> ''),
    schema_version  INT          NOT NULL DEFAULT 1 CHECK (schema_version >= 1),
    payload         JSONB        NOT NULL,
    metadata        JSONB        NOT NULL DEFAULT '{}'::jsonb,
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);
-- Reading by stream uses events_stream_version_unique (stream_id, stream_version);
-- reading the global log uses the unique index on sequence.
CREATE INDEX IF NOT EXISTS events_event_type_sequence_idx ON events (event_type, sequence);

-- The key of the event store's advisory lock, in one place for SQL and operators.
CREATE OR REPLACE FUNCTION docledger_event_store_lock_key() RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 7234302074016745331::bigint $$;

-- ---------------------------------------------------------------------------------------
-- Global order without skipped events.
--
-- A BIGSERIAL value is taken at INSERT time, not at COMMIT time. With two concurrent
-- writers, sequence 11 can become visible before sequence 10; a reader that checkpoints
-- "last seen = 11" would lose event 10 forever. Every insert into events therefore first
-- takes the event store's transaction-level advisory lock: the next writer cannot take a
-- sequence value before the previous writer has committed (PostgreSQL makes a commit
-- visible before it releases the transaction's locks), so sequence order == commit order
-- across all processes and hosts. Throughput comes back through group commit in the
-- server (many appends, one transaction, one lock, one fsync).
--
-- DO NOT remove this lock to "optimise" inserts: readers tailing by sequence would
-- silently skip events. The statement-level trigger makes it hold for every INSERT,
-- including one typed by hand in psql.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION docledger_events_take_order_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER events_take_order_lock
    BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_take_order_lock();

-- Append-only: UPDATE, DELETE and TRUNCATE are refused.
CREATE OR REPLACE FUNCTION docledger_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION docledger_events_refuse_change();

CREATE OR REPLACE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_refuse_change();

-- NOTIFY listeners (projectors, SSE) once per inserting statement with the highest new
-- sequence. Delivered at commit, so a listener never hears of an uncommitted event.
CREATE OR REPLACE FUNCTION docledger_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    head BIGINT;
BEGIN
    SELECT max(sequence) INTO head FROM new_events;
    IF head IS NOT NULL THEN
        PERFORM pg_notify('docledger_events', head::text);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER events_notify
    AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_notify();

-- ---------------------------------------------------------------------------------------
-- docledger_append: one group-commit batch in one call (one round trip, one transaction
-- when called outside an explicit transaction), decided set-wise.
--
-- Element i of the arrays is one event; p_request[i] says which append request it belongs
-- to (the events of a request are in stream order). p_expected[i] is the request's
-- expected version: -1 any, 0 no stream yet, N exactly N events in the stream.
-- Precondition (the server's batcher guarantees it, and a violation fails loudly with a
-- unique violation instead of deciding wrongly): no two requests of one call name the same
-- stream or the same event id.
--
-- Rules per request (the same rules as the pure domain function PlanAppend in
-- src/domain/append_plan.cpp, and one contract test suite checks both):
--   1. every event id of the request already recorded, in this stream, with the same type
--      and payload: 'duplicate', a no-op that returns the original positions;
--   2. any event id already recorded otherwise: 'id_conflict';
--   3. the stream's version differs from the expected version: 'version_conflict', with
--      the actual version;
--   4. otherwise the events are written with versions actual+1..: 'written'.
-- One request's conflict never fails the other requests of the batch.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION docledger_append(
    p_request        INT[],
    p_stream         TEXT[],
    p_expected       BIGINT[],
    p_event_id       UUID[],
    p_event_type     TEXT[],
    p_schema_version INT[],
    p_payload        JSONB[],
    p_metadata       JSONB[])
RETURNS TABLE (request INT, outcome TEXT, event_id UUID, stream_version BIGINT,
               sequence BIGINT, actual_version BIGINT)
LANGUAGE plpgsql
-- One generic plan, planned once per connection: a custom plan costs more to plan (about
-- 0.5-2 ms) than a small batch costs to execute. The query is written so that the generic
-- plan stays linear however large the batch (no join of one CTE against another's filter).
-- A generic plan is made once, possibly while events is still empty: enable_seqscan = off
-- and the OFFSET 0 lookups below keep every access to events an index probe, whatever
-- the table's size was when the plan was made.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
BEGIN
    -- The order lock (see above), taken in its own statement so that the statement below
    -- reads with a snapshot that includes every append committed before this one.
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());

    RETURN QUERY
    WITH input AS (
        SELECT t.*
          FROM unnest(p_request, p_stream, p_expected, p_event_id, p_event_type,
                      p_schema_version, p_payload, p_metadata) WITH ORDINALITY
               AS t(req, stream, expected, eid, etype, sv, payload, metadata, ord)
    ), requests AS (
        SELECT i.req, min(i.stream) AS stream, min(i.expected) AS expected,
               count(*) AS n, min(i.ord) AS first_ord
          FROM input i GROUP BY i.req
    ), known AS (
        SELECT i.req, count(*) AS existing,
               count(*) FILTER (WHERE e.stream_id = i.stream AND e.event_type = i.etype
                                  AND e.payload = i.payload) AS matching
          FROM input i
          CROSS JOIN LATERAL (SELECT e.stream_id, e.event_type, e.payload FROM events e
                               WHERE e.event_id = i.eid OFFSET 0) e
         GROUP BY i.req
    ), decided AS (
        SELECT r.req, r.first_ord, v.current_version,
               CASE
                 WHEN k.existing IS NOT NULL AND k.matching = r.n THEN 'duplicate'
                 WHEN k.existing IS NOT NULL THEN 'id_conflict'
                 WHEN r.expected >= 0 AND r.expected <> v.current_version THEN 'version_conflict'
                 ELSE 'written'
               END AS outcome
          FROM requests r
          LEFT JOIN known k ON k.req = r.req
          CROSS JOIN LATERAL (
              SELECT coalesce(max(e.stream_version), 0) AS current_version
                FROM events e WHERE e.stream_id = r.stream) v
    ), inserted AS (
        INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version,
                            payload, metadata)
        SELECT i.eid, i.stream, d.current_version + (i.ord - d.first_ord + 1), i.etype, i.sv,
               i.payload, i.metadata
          FROM input i JOIN decided d ON d.req = i.req AND d.outcome = 'written'
         ORDER BY i.ord
        RETURNING events.event_id, events.stream_version, events.sequence
    )
    SELECT i.req, 'written'::text, x.event_id, x.stream_version, x.sequence, NULL::bigint
      FROM inserted x JOIN input i ON i.eid = x.event_id
    UNION ALL
    SELECT i.req, d.outcome, e.event_id, e.stream_version, e.sequence, NULL::bigint
      FROM input i JOIN decided d ON d.req = i.req AND d.outcome = 'duplicate'
      CROSS JOIN LATERAL (SELECT e.event_id, e.stream_version, e.sequence FROM events e
                           WHERE e.event_id = i.eid OFFSET 0) e
    UNION ALL
    SELECT d.req, d.outcome, NULL::uuid, NULL::bigint, NULL::bigint, d.current_version
      FROM decided d WHERE d.outcome IN ('id_conflict', 'version_conflict');
END $$;

-- ---------------------------------------------------------------------------------------
-- docledger_append_one: the same rules as docledger_append for a batch holding a single
-- request (a lone writer, or a quiet moment), with simple statements whose plans
-- PL/pgSQL caches per session. The set-wise function costs more CPU per call than the
-- lone request needs, and at one writer that cost is most of the latency.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION docledger_append_one(
    p_stream         TEXT,
    p_expected       BIGINT,
    p_event_id       UUID[],
    p_event_type     TEXT[],
    p_schema_version INT[],
    p_payload        JSONB[],
    p_metadata       JSONB[])
RETURNS TABLE (request INT, outcome TEXT, event_id UUID, stream_version BIGINT,
               sequence BIGINT, actual_version BIGINT)
LANGUAGE plpgsql
-- Generic plans for the statements below: re-planning them on every call (what the plan
-- cache chooses by itself here) costs more than executing them. A generic plan is made
-- once per session, possibly while events is still empty; with sequential scans and
-- hash/merge joins off, every statement is an index probe per event whatever the table's
-- size was then (the only joins are a request's few events against events).
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
    existing   INT;
    matching   INT;
    current_v  BIGINT;
BEGIN
    -- The order lock (see above), before any read or insert.
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());

    SELECT count(*),
           count(*) FILTER (WHERE e.stream_id = p_stream AND e.event_type = t.etype
                              AND e.payload = t.payload)
      INTO existing, matching
      FROM unnest(p_event_id, p_event_type, p_payload) AS t(eid, etype, payload)
      JOIN events e ON e.event_id = t.eid;
    IF existing > 0 THEN
        IF matching = cardinality(p_event_id) THEN
            RETURN QUERY
                SELECT 0, 'duplicate'::text, e.event_id, e.stream_version, e.sequence, NULL::bigint
                  FROM unnest(p_event_id) AS t(eid) JOIN events e ON e.event_id = t.eid;
        ELSE
            RETURN QUERY SELECT 0, 'id_conflict'::text, NULL::uuid, NULL::bigint, NULL::bigint,
                                NULL::bigint;
        END IF;
        RETURN;
    END IF;

    SELECT coalesce(max(e.stream_version), 0) INTO current_v
      FROM events e WHERE e.stream_id = p_stream;
    IF p_expected >= 0 AND p_expected <> current_v THEN
        RETURN QUERY SELECT 0, 'version_conflict'::text, NULL::uuid, NULL::bigint, NULL::bigint,
                            current_v;
        RETURN;
    END IF;

    RETURN QUERY
        WITH inserted AS (
            INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version,
                                payload, metadata)
            SELECT t.eid, p_stream, current_v + t.ord, t.etype, t.sv, t.payload, t.metadata
              FROM unnest(p_event_id, p_event_type, p_schema_version, p_payload, p_metadata)
                       WITH ORDINALITY AS t(eid, etype, sv, payload, metadata, ord)
             ORDER BY t.ord
            RETURNING events.event_id, events.stream_version, events.sequence)
        SELECT 0, 'written'::text, i.event_id, i.stream_version, i.sequence, NULL::bigint
          FROM inserted i;
END $$;
