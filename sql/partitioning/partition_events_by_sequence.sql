-- Turns `events` into a table partitioned by range of `sequence`, keeping every row where
-- it is (nothing is copied), and hands the ranges ahead to pg_partman
-- (postgresql-15-partman). Not a numbered migration: an operator runs it once, as a
-- superuser (CREATE EXTENSION, CREATE EVENT TRIGGER), when the log is about to outgrow one
-- disk or one table's maintenance window (docs/partitioning.md):
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 [-v partition_size=10000000] [-v premake=4] \
--        -f sql/partitioning/partition_events_by_sequence.sql
--
-- What it does, in one transaction, holding the event store's append lock (appends wait;
-- reads of `events` wait for the table lock; it takes about as long as one scan of the
-- log, to check the old rows fit the first partition's bound, plus copying the three key
-- columns into events_keys):
--   1. The old table becomes partition `events_p0`, bound FROM (0) TO (b), b the first
--      multiple of partition_size above the head: its rows, indexes and the column default
--      on events_sequence_seq are kept. (pg_partman cannot do this: it creates partitions,
--      it does not adopt a populated table in place; b is on its grid, so its ranges
--      follow on.)
--   2. A new partitioned `events` with the same columns, checks and default takes its
--      name, so the append functions (docledger_append, docledger_append_one), the
--      triggers and every reader are unchanged: they name `events`.
--   3. Global uniqueness. A partitioned table can only enforce uniqueness that includes
--      the partition key, so `sequence` stays unique on the parent, and event_id and
--      (stream_id, stream_version) are made unique across partitions by `events_keys`,
--      filled from each INSERT's transition table in the same statement. (The append
--      functions already check both under the append lock; this is the guard that makes
--      a bypassing INSERT fail too. pg_partman has no answer to this either.)
--   4. pg_partman (schema `partman`) takes the partition set: ranges of partition_size
--      sequences named events_p<first sequence>, `premake` ranges ahead of the head, and
--      its DEFAULT partition `events_default` as the safety net. Each new range gets the
--      per-partition unique indexes from the template table `events_partition_template`
--      and the TRUNCATE guard from the event trigger `docledger_events_guard_partitions`.
--      Keeping ranges ahead is pg_partman's maintenance:
--      `SELECT partman.run_maintenance('public.events')` (cron), or its background worker.
--      If appends ever outrun it, `SELECT docledger_events_adopt_default()` (below).
--
-- Sequence order stays commit order: every append still takes the advisory lock first.
-- Running it twice is refused with a clear error and changes nothing.

\if :{?partition_size}
\else
  \set partition_size 10000000
\endif
\if :{?premake}
\else
  \set premake 4
\endif

BEGIN;

CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;

-- Statement triggers are not cloned onto partitions: every partition of `events` created
-- or attached from now on (pg_partman's maintenance included) gets the TRUNCATE guard here.
CREATE OR REPLACE FUNCTION docledger_events_guard_partitions() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
    part REGCLASS;
BEGIN
    IF to_regclass('public.events') IS NULL THEN
        RETURN;
    END IF;
    FOR part IN
        SELECT i.inhrelid::regclass FROM pg_inherits i
        WHERE i.inhparent = 'public.events'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = i.inhrelid AND t.tgname = 'events_no_truncate')
    LOOP
        EXECUTE format('CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION docledger_events_refuse_change()', part);
    END LOOP;
END $$;

-- What pg_partman cannot do for an append-only log: once appends outran the ranges made
-- ahead, rows sit in events_default, and pg_partman's maintenance stops ("updated partition
-- constraint for default partition would be violated"): it would have to move them out,
-- and the log refuses DELETE. This turns events_default, rows in place, into the range
-- partition events_p<first grid start> covering them, puts a new empty DEFAULT in its
-- place, creates the next range and runs pg_partman's maintenance, which goes on from
-- there. Takes the append lock: appends wait for it (one scan of the caught rows).
CREATE OR REPLACE FUNCTION docledger_events_adopt_default() RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
    size     BIGINT;
    lo       BIGINT;
    hi       BIGINT;
    from_seq BIGINT;
    to_seq   BIGINT;
    name     TEXT;
BEGIN
    SELECT partition_interval::BIGINT INTO size FROM partman.part_config WHERE parent_table = 'public.events';
    IF size IS NULL THEN
        RAISE EXCEPTION 'events is not a pg_partman partition set (run partition_events_by_sequence.sql)'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());
    LOCK TABLE events IN ACCESS EXCLUSIVE MODE;
    SELECT min(sequence), max(sequence) INTO lo, hi FROM events_default;
    IF lo IS NULL THEN
        RETURN 'events_default is empty: nothing to adopt';
    END IF;
    from_seq := lo / size * size;
    to_seq := (hi / size + 1) * size;
    name := 'events_p' || from_seq;
    ALTER TABLE events DETACH PARTITION events_default;
    EXECUTE format('ALTER TABLE events_default RENAME TO %I', name);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', name, from_seq, to_seq);
    CREATE TABLE events_default PARTITION OF events DEFAULT;
    CREATE UNIQUE INDEX ON events_default (event_id);
    CREATE UNIQUE INDEX ON events_default (stream_id, stream_version);
    PERFORM partman.create_partition_id('public.events', ARRAY[to_seq]);
    PERFORM partman.run_maintenance('public.events');
    RETURN format('%s holds sequences %s to %s; pg_partman goes on from %s', name, from_seq, to_seq - 1, to_seq);
END $$;

CREATE OR REPLACE FUNCTION docledger_events_keep_keys_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events_keys (event_id, stream_id, stream_version)
    SELECT event_id, stream_id, stream_version FROM new_events;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION docledger_partition_events_by_sequence(p_size BIGINT, p_premake INT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
    head     BIGINT;
    boundary BIGINT;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'events'::regclass) THEN
        RAISE EXCEPTION 'events is already partitioned (see partman.show_partitions(''public.events''))'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF p_size IS NULL OR p_size < 1 OR p_premake IS NULL OR p_premake < 1 THEN
        RAISE EXCEPTION 'partition_size and premake must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The append lock first, then the table: an append takes them in this order too.
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());
    LOCK TABLE events IN ACCESS EXCLUSIVE MODE;
    SELECT coalesce(max(sequence), 0) INTO head FROM events;
    boundary := (head / p_size + 1) * p_size;  -- on pg_partman's grid, above the head

    -- 1. The old table steps aside under names that leave the parent's free.
    ALTER TABLE events RENAME TO events_p0;
    ALTER TABLE events_p0 RENAME CONSTRAINT events_sequence_key TO events_p0_sequence_key;
    ALTER TABLE events_p0 RENAME CONSTRAINT events_pkey TO events_p0_event_id_key;
    ALTER TABLE events_p0 RENAME CONSTRAINT events_stream_version_unique TO events_p0_stream_version_key;
    ALTER INDEX events_event_type_sequence_idx RENAME TO events_p0_event_type_sequence_idx;
    DROP TRIGGER events_take_order_lock ON events_p0;
    DROP TRIGGER events_append_only ON events_p0;
    DROP TRIGGER events_notify ON events_p0;
    -- Erasure's key shredding (migration 010) moves to the parent, so every partition has it.
    DROP TRIGGER IF EXISTS events_shred_erased ON events_p0;
    -- events_no_truncate stays: TRUNCATE of a partition by name is refused too.

    -- 2. The partitioned table, with the same columns, checks and sequence default.
    CREATE TABLE events (LIKE events_p0 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)
        PARTITION BY RANGE (sequence);
    ALTER SEQUENCE events_sequence_seq OWNED BY events.sequence;
    ALTER TABLE events ADD CONSTRAINT events_sequence_key UNIQUE (sequence);
    CREATE INDEX events_event_type_sequence_idx ON events (event_type, sequence);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION events_p0 FOR VALUES FROM (0) TO (%s)', boundary);

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
    IF to_regproc('docledger_shred_erased_document') IS NOT NULL THEN
        CREATE TRIGGER events_shred_erased AFTER INSERT ON events
            FOR EACH ROW WHEN (NEW.event_type = 'DocumentErased') EXECUTE FUNCTION docledger_shred_erased_document();
    END IF;

    -- 4. pg_partman: ranges from the boundary on, `premake` ahead, and its DEFAULT partition.
    -- The template carries what a partitioned parent cannot: per-partition unique indexes.
    CREATE TABLE events_partition_template (LIKE events);
    CREATE UNIQUE INDEX ON events_partition_template (event_id);
    CREATE UNIQUE INDEX ON events_partition_template (stream_id, stream_version);
    PERFORM partman.create_parent('public.events', 'sequence', 'native', p_size::text, p_premake := p_premake,
                                  p_start_partition := boundary::text,
                                  p_template_table := 'public.events_partition_template', p_jobmon := false);
    RETURN format('events partitioned: events_p0 holds sequences below %s (head %s); pg_partman keeps %s ranges of %s ahead',
                  boundary, head, p_premake, p_size);
END $$;

SET client_min_messages = warning;  -- no NOTICE for the first run's DROP ... IF EXISTS
DROP EVENT TRIGGER IF EXISTS docledger_events_guard_partitions;
CREATE EVENT TRIGGER docledger_events_guard_partitions ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION docledger_events_guard_partitions();

SELECT docledger_partition_events_by_sequence(:partition_size, :premake);

COMMIT;
