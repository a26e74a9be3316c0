-- Turns `events` into a table partitioned by range of `sequence`, keeping every row where
-- it is (nothing is copied). Not a numbered migration: an operator runs it once, when the
-- log is about to outgrow one disk or one table's maintenance window
-- (docs/partitioning.md):
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 [-v partition_size=10000000] \
--        -f sql/partitioning/partition_events_by_sequence.sql
--
-- What it does, in one transaction, holding the event store's append lock (appends wait;
-- reads of `events` wait for the table lock; it takes about as long as one scan of the
-- log, to check the old rows fit the first partition's bound, plus copying the three key
-- columns into events_keys):
--   1. The old table becomes partition `events_p0`, bound FROM (MINVALUE) TO (head + 1):
--      its rows, indexes and the column default on events_sequence_seq are kept.
--   2. A new partitioned `events` with the same columns, checks and default takes its
--      name, so the append functions (docledger_append, docledger_append_one), the
--      triggers and every reader are unchanged: they name `events`.
--   3. Global uniqueness. A partitioned table can only enforce uniqueness that includes
--      the partition key, so `sequence` stays unique on the parent, and event_id and
--      (stream_id, stream_version) are made unique across partitions by `events_keys`,
--      filled from each INSERT's transition table in the same statement. (The append
--      functions already check both under the append lock; this is the guard that makes
--      a bypassing INSERT fail too.)
--   4. New range partitions of `partition_size` sequences each, two ahead, and a DEFAULT
--      partition so that an append never fails for want of a partition. Add more ahead
--      with `SELECT docledger_events_add_partitions(size, count)` (a daily job).
--
-- Sequence order stays commit order: every append still takes the advisory lock first.
-- Running it twice is refused with a clear error and changes nothing.

\if :{?partition_size}
\else
  \set partition_size 10000000
\endif

BEGIN;

-- Which sequence ranges have their own partition (the DEFAULT one and events_p0's lower
-- end have no bound: NULL).
CREATE TABLE IF NOT EXISTS events_partitions (
    partition_name TEXT PRIMARY KEY,
    from_sequence  BIGINT,
    to_sequence    BIGINT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Adds `p_count` range partitions of `p_size` sequences each after the highest bound so
-- far (and after any row the DEFAULT partition caught meanwhile, so its rows never
-- overlap a new range). Returns the new partitions' names. Takes the append lock: appends
-- wait for the few milliseconds of DDL.
CREATE OR REPLACE FUNCTION docledger_events_add_partitions(p_size BIGINT, p_count INT DEFAULT 1)
RETURNS SETOF TEXT
LANGUAGE plpgsql AS $$
DECLARE
    from_seq BIGINT;
    name     TEXT;
BEGIN
    IF p_size IS NULL OR p_size < 1 OR p_count IS NULL OR p_count < 1 THEN
        RAISE EXCEPTION 'docledger_events_add_partitions: size and count must be positive'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());
    SELECT coalesce(max(to_sequence), 1) INTO from_seq FROM events_partitions;
    IF to_regclass('events_default') IS NOT NULL THEN
        SELECT greatest(from_seq, coalesce(max(sequence) + 1, from_seq)) INTO from_seq FROM events_default;
    END IF;
    FOR i IN 1 .. p_count LOOP
        name := 'events_p' || from_seq;
        EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%s) TO (%s)',
                       name, from_seq, from_seq + p_size);
        EXECUTE format('CREATE UNIQUE INDEX %I ON %I (event_id)', name || '_event_id_key', name);
        EXECUTE format('CREATE UNIQUE INDEX %I ON %I (stream_id, stream_version)',
                       name || '_stream_version_key', name);
        EXECUTE format('CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_refuse_change()', name);
        INSERT INTO events_partitions (partition_name, from_sequence, to_sequence)
        VALUES (name, from_seq, from_seq + p_size);
        RETURN NEXT name;
        from_seq := from_seq + p_size;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION docledger_events_keep_keys_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events_keys (event_id, stream_id, stream_version)
    SELECT event_id, stream_id, stream_version FROM new_events;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION docledger_partition_events_by_sequence(p_size BIGINT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
    head BIGINT;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'events'::regclass) THEN
        RAISE EXCEPTION 'events is already partitioned (see events_partitions)'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- The append lock first, then the table: an append takes them in this order too.
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());
    LOCK TABLE events IN ACCESS EXCLUSIVE MODE;
    SELECT coalesce(max(sequence), 0) INTO head FROM events;

    -- 1. The old table steps aside under names that leave the parent's free.
    ALTER TABLE events RENAME TO events_p0;
    ALTER TABLE events_p0 RENAME CONSTRAINT events_sequence_key TO events_p0_sequence_key;
    ALTER TABLE events_p0 RENAME CONSTRAINT events_pkey TO events_p0_event_id_key;
    ALTER TABLE events_p0 RENAME CONSTRAINT events_stream_version_unique TO events_p0_stream_version_key;
    ALTER INDEX events_event_type_sequence_idx RENAME TO events_p0_event_type_sequence_idx;
    DROP TRIGGER events_take_order_lock ON events_p0;
    DROP TRIGGER events_append_only ON events_p0;
    DROP TRIGGER events_notify ON events_p0;
    -- events_no_truncate stays: TRUNCATE of a partition by name is refused too.

    -- 2. The partitioned table, with the same columns, checks and sequence default.
    CREATE TABLE events (LIKE events_p0 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)
        PARTITION BY RANGE (sequence);
    ALTER SEQUENCE events_sequence_seq OWNED BY events.sequence;
    ALTER TABLE events ADD CONSTRAINT events_sequence_key UNIQUE (sequence);
    CREATE INDEX events_event_type_sequence_idx ON events (event_type, sequence);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION events_p0 FOR VALUES FROM (MINVALUE) TO (%s)', head + 1);
    INSERT INTO events_partitions (partition_name, from_sequence, to_sequence) VALUES ('events_p0', NULL, head + 1);

    -- 3. Keys unique across partitions.
    CREATE TABLE events_keys (
        event_id       UUID   PRIMARY KEY,
        stream_id      TEXT   NOT NULL,
        stream_version BIGINT NOT NULL,
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
    );
    INSERT INTO events_keys (event_id, stream_id, stream_version)
    SELECT event_id, stream_id, stream_version FROM events_p0;

    -- The parent's triggers; row triggers are cloned onto every partition, present and future.
    CREATE TRIGGER events_take_order_lock BEFORE INSERT ON events
        FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_take_order_lock();
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION docledger_events_refuse_change();
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_refuse_change();
    CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_notify();
    CREATE TRIGGER events_keep_keys_unique AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_keep_keys_unique();

    -- 4. Ranges ahead, and the DEFAULT partition as the safety net.
    PERFORM docledger_events_add_partitions(p_size, 2);
    CREATE TABLE events_default PARTITION OF events DEFAULT;
    CREATE UNIQUE INDEX events_default_event_id_key ON events_default (event_id);
    CREATE UNIQUE INDEX events_default_stream_version_key ON events_default (stream_id, stream_version);
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events_default
        FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_refuse_change();
    INSERT INTO events_partitions (partition_name, from_sequence, to_sequence) VALUES ('events_default', NULL, NULL);

    RETURN format('events partitioned: events_p0 holds sequences up to %s; new ranges of %s', head, p_size);
END $$;

SELECT docledger_partition_events_by_sequence(:partition_size);

COMMIT;
