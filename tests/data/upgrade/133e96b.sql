-- docledger upgrade fixture: a database built and filled by the docledger binary of an earlier
-- commit (133e96b1fe06a629a3e291efb7078d3a81133082), 40 events. Made by
-- tests/data/upgrade/make-fixture; loaded by tests/integration/upgrade_pgtest.cpp. Do not edit.
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: docledger_append(integer[], text[], bigint[], uuid[], text[], integer[], jsonb[], jsonb[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.docledger_append(p_request integer[], p_stream text[], p_expected bigint[], p_event_id uuid[], p_event_type text[], p_schema_version integer[], p_payload jsonb[], p_metadata jsonb[]) RETURNS TABLE(request integer, outcome text, event_id uuid, stream_version bigint, sequence bigint, actual_version bigint)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
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


--
-- Name: docledger_append_one(text, bigint, uuid[], text[], integer[], jsonb[], jsonb[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.docledger_append_one(p_stream text, p_expected bigint, p_event_id uuid[], p_event_type text[], p_schema_version integer[], p_payload jsonb[], p_metadata jsonb[]) RETURNS TABLE(request integer, outcome text, event_id uuid, stream_version bigint, sequence bigint, actual_version bigint)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    SET enable_hashjoin TO 'off'
    SET enable_mergejoin TO 'off'
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


--
-- Name: docledger_event_store_lock_key(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.docledger_event_store_lock_key() RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 7234302074016745331::bigint $$;


--
-- Name: docledger_events_notify(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.docledger_events_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    head BIGINT;
BEGIN
    SELECT max(sequence) INTO head FROM new_events;
    IF head IS NOT NULL THEN
        PERFORM pg_notify('docledger_events', head::text);
    END IF;
    RETURN NULL;
END $$;


--
-- Name: docledger_events_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.docledger_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;


--
-- Name: docledger_events_take_order_lock(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.docledger_events_take_order_lock() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(docledger_event_store_lock_key());
    RETURN NULL;
END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alert_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_deliveries (
    alert_id uuid GENERATED ALWAYS AS ((md5(((('alert/'::text || type) || '/'::text) || (source_sequence)::text)))::uuid) STORED NOT NULL,
    source_sequence bigint NOT NULL,
    type text NOT NULL,
    level text NOT NULL,
    key text NOT NULL,
    message text NOT NULL,
    details jsonb NOT NULL,
    raised_at timestamp with time zone NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_error text,
    next_attempt_at timestamp with time zone,
    claimed_until timestamp with time zone,
    claimed_by text,
    claim_token uuid,
    throttle_checked boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    delivered_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT alert_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'throttled'::text, 'dead'::text])))
);


--
-- Name: alert_document_extractions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_document_extractions (
    document_id uuid NOT NULL,
    project_id uuid NOT NULL,
    extraction_ids jsonb NOT NULL
);


--
-- Name: alert_throttle; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_throttle (
    type text NOT NULL,
    key text NOT NULL,
    window_started_at timestamp with time zone NOT NULL,
    alert_id uuid NOT NULL
);


--
-- Name: alerts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alerts (
    source_sequence bigint NOT NULL,
    id uuid GENERATED ALWAYS AS ((md5(((('alert/'::text || type) || '/'::text) || (source_sequence)::text)))::uuid) STORED,
    type text NOT NULL,
    level text NOT NULL,
    key text NOT NULL,
    message text NOT NULL,
    details jsonb NOT NULL,
    raised_at timestamp with time zone NOT NULL,
    CONSTRAINT alerts_level_check CHECK ((level = ANY (ARRAY['info'::text, 'warning'::text, 'error'::text]))),
    CONSTRAINT alerts_type_check CHECK ((type = ANY (ARRAY['job_failed'::text, 'embedding_failure'::text, 'orphaned_extractions'::text, 'recovery_completed'::text, 'projection_parked'::text])))
);


--
-- Name: document_contents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.document_contents (
    sha256 text NOT NULL,
    content bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT document_contents_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);


--
-- Name: document_views; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.document_views (
    document_id uuid NOT NULL,
    project_id uuid NOT NULL,
    status text NOT NULL,
    filename text NOT NULL,
    content_type text NOT NULL,
    sha256 text NOT NULL,
    size_bytes bigint NOT NULL,
    source_url text,
    metadata jsonb NOT NULL,
    converted_length bigint,
    converter text,
    conversion_event_id uuid,
    conversion_error_type text,
    conversion_error text,
    version bigint NOT NULL,
    last_sequence bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    converted_at timestamp with time zone,
    CONSTRAINT document_views_status_check CHECK ((status = ANY (ARRAY['uploaded'::text, 'converted'::text, 'conversion_failed'::text])))
);


--
-- Name: events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events (
    sequence bigint NOT NULL,
    event_id uuid NOT NULL,
    stream_id text NOT NULL,
    stream_version bigint NOT NULL,
    event_type text NOT NULL,
    schema_version integer DEFAULT 1 NOT NULL,
    payload jsonb NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT events_event_type_check CHECK ((event_type <> ''::text)),
    CONSTRAINT events_schema_version_check CHECK ((schema_version >= 1)),
    CONSTRAINT events_stream_id_check CHECK (((stream_id <> ''::text) AND (octet_length(stream_id) <= 256))),
    CONSTRAINT events_stream_version_check CHECK ((stream_version >= 1))
);


--
-- Name: events_sequence_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.events_sequence_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: events_sequence_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.events_sequence_seq OWNED BY public.events.sequence;


--
-- Name: extractions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.extractions (
    extraction_id uuid NOT NULL,
    project_id uuid NOT NULL,
    document_id uuid NOT NULL,
    entity_type text NOT NULL,
    data jsonb NOT NULL,
    valid boolean NOT NULL,
    schema_revision bigint NOT NULL,
    sequence bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    orphaned_at timestamp with time zone
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_keys (
    actor text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash text NOT NULL,
    status integer,
    response_body text,
    response_etag text,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone
);


--
-- Name: jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.jobs (
    job_id uuid NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    document_id uuid,
    project_id uuid,
    worker text,
    input jsonb,
    result jsonb,
    error_type text,
    error text,
    version bigint NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    duration_ms double precision GENERATED ALWAYS AS (((EXTRACT(epoch FROM (finished_at - started_at)) * (1000)::numeric))::double precision) STORED,
    CONSTRAINT jobs_kind_check CHECK ((kind = ANY (ARRAY['conversion'::text, 'extraction'::text, 'embedding'::text, 'crawl'::text]))),
    CONSTRAINT jobs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'completed'::text, 'failed'::text])))
);


--
-- Name: projection_checkpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projection_checkpoints (
    name text NOT NULL,
    last_sequence bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT projection_checkpoints_last_sequence_check CHECK ((last_sequence >= 0))
);


--
-- Name: projection_parked; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projection_parked (
    projection text NOT NULL,
    sequence bigint NOT NULL,
    event_id uuid NOT NULL,
    stream_id text NOT NULL,
    error text NOT NULL,
    attempts integer DEFAULT 1 NOT NULL,
    held_behind bigint,
    retry_requested boolean DEFAULT false NOT NULL,
    parked_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: projects; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projects (
    project_id uuid NOT NULL,
    name text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    json_schema jsonb NOT NULL,
    entity_types jsonb NOT NULL,
    schema_revision bigint NOT NULL,
    has_extractions boolean NOT NULL,
    version bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: semantic_ir; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.semantic_ir (
    id uuid GENERATED ALWAYS AS ((md5((((source_event_id)::text || '/'::text) || (ordinal)::text)))::uuid) STORED,
    document_id uuid NOT NULL,
    ordinal integer NOT NULL,
    source_event_id uuid NOT NULL,
    ir_type text NOT NULL,
    name text,
    expression text,
    variables jsonb,
    definition text,
    term text,
    context text,
    table_data jsonb,
    row_count integer,
    column_count integer,
    target text,
    reference_type text,
    location text,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT semantic_ir_ir_type_check CHECK ((ir_type = ANY (ARRAY['formula'::text, 'definition'::text, 'table'::text, 'cross_reference'::text])))
);


--
-- Name: semantic_ir_sources; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.semantic_ir_sources (
    document_id uuid NOT NULL,
    source_event_id uuid NOT NULL,
    item_count bigint NOT NULL,
    extracted_at timestamp with time zone NOT NULL
);


--
-- Name: stream_catalog; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stream_catalog (
    stream_id text NOT NULL,
    version bigint NOT NULL,
    first_sequence bigint NOT NULL,
    last_sequence bigint NOT NULL,
    last_event_type text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: events sequence; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.events ALTER COLUMN sequence SET DEFAULT nextval('public.events_sequence_seq'::regclass);


--
-- Data for Name: alert_deliveries; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alert_deliveries (source_sequence, type, level, key, message, details, raised_at, status, attempts, last_error, next_attempt_at, claimed_until, claimed_by, claim_token, throttle_checked, created_at, delivered_at, updated_at) FROM stdin;
22	job_failed	error	conversion/UnsupportedFormat	conversion job a9d1a154-4a5c-424e-9390-96c8eeda2d1f failed: UnsupportedFormat: TIFF without text layer	{"kind": "conversion", "job_id": "a9d1a154-4a5c-424e-9390-96c8eeda2d1f", "worker": "ocr-1", "message": "TIFF without text layer", "error_type": "UnsupportedFormat", "project_id": null, "document_id": "92013f40-800c-4646-bd73-563ccf01db10"}	2026-12-04 15:48:26.929779+00	pending	0	\N	\N	\N	\N	\N	f	2026-12-04 15:48:27.006351+00	\N	2026-12-04 15:48:27.006351+00
33	embedding_failure	error	ModelTimeout	embedding job bd5df9c5-ae23-4f3a-8490-98a594a8110c failed: ModelTimeout: the model did not answer in 30 s	{"kind": "embedding", "job_id": "bd5df9c5-ae23-4f3a-8490-98a594a8110c", "worker": "embedder-1", "message": "the model did not answer in 30 s", "error_type": "ModelTimeout", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91"}	2026-12-04 15:48:28.071691+00	pending	0	\N	\N	\N	\N	\N	f	2026-12-04 15:48:28.090882+00	\N	2026-12-04 15:48:28.090882+00
37	orphaned_extractions	warning	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	document a4265c4a-c807-4798-a09d-09ebd27fa84f was deleted while 1 extraction(s) point at it; `docledger recover` resolves them	{"count": 1, "reason": "withdrawn", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f", "extraction_ids": ["84cb1019-0d3d-45cc-9ecc-bf899e798273"]}	2026-12-04 15:48:28.426138+00	pending	0	\N	\N	\N	\N	\N	f	2026-12-04 15:48:28.508816+00	\N	2026-12-04 15:48:28.508816+00
40	recovery_completed	info	recovery	recovery resolved 1 orphaned extraction(s) of 1 deleted document(s)	{"run_id": "4e4a21ec-89fd-4f73-b529-4a922bae8f65", "documents": 1, "orphaned_extractions": 1}	2026-12-04 15:48:29.661553+00	pending	0	\N	\N	\N	\N	\N	f	2026-12-04 15:48:29.676289+00	\N	2026-12-04 15:48:29.676289+00
\.


--
-- Data for Name: alert_document_extractions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alert_document_extractions (document_id, project_id, extraction_ids) FROM stdin;
c8e17b45-785b-50bb-84b3-9f22c3840d91	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	["22daf011-0380-4cf4-a605-83613416429b", "f11d1a2c-2cee-4e07-b887-09ce8a2869a8"]
ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	a1d4f743-d141-40e5-8c1a-909a0b75292c	["d4c04a68-5982-462c-9585-c1762c3e527d"]
\.


--
-- Data for Name: alert_throttle; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alert_throttle (type, key, window_started_at, alert_id) FROM stdin;
\.


--
-- Data for Name: alerts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alerts (source_sequence, type, level, key, message, details, raised_at) FROM stdin;
22	job_failed	error	conversion/UnsupportedFormat	conversion job a9d1a154-4a5c-424e-9390-96c8eeda2d1f failed: UnsupportedFormat: TIFF without text layer	{"kind": "conversion", "job_id": "a9d1a154-4a5c-424e-9390-96c8eeda2d1f", "worker": "ocr-1", "message": "TIFF without text layer", "error_type": "UnsupportedFormat", "project_id": null, "document_id": "92013f40-800c-4646-bd73-563ccf01db10"}	2026-12-04 15:48:26.929779+00
33	embedding_failure	error	ModelTimeout	embedding job bd5df9c5-ae23-4f3a-8490-98a594a8110c failed: ModelTimeout: the model did not answer in 30 s	{"kind": "embedding", "job_id": "bd5df9c5-ae23-4f3a-8490-98a594a8110c", "worker": "embedder-1", "message": "the model did not answer in 30 s", "error_type": "ModelTimeout", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91"}	2026-12-04 15:48:28.071691+00
37	orphaned_extractions	warning	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	document a4265c4a-c807-4798-a09d-09ebd27fa84f was deleted while 1 extraction(s) point at it; `docledger recover` resolves them	{"count": 1, "reason": "withdrawn", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f", "extraction_ids": ["84cb1019-0d3d-45cc-9ecc-bf899e798273"]}	2026-12-04 15:48:28.426138+00
40	recovery_completed	info	recovery	recovery resolved 1 orphaned extraction(s) of 1 deleted document(s)	{"run_id": "4e4a21ec-89fd-4f73-b529-4a922bae8f65", "documents": 1, "orphaned_extractions": 1}	2026-12-04 15:48:29.661553+00
\.


--
-- Data for Name: document_contents; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.document_contents (sha256, content, created_at) FROM stdin;
81a7fc6cec47ff4b585a3f59d3485b90ed257c4de934ff326cc2d5feb8812cc5	\\x23204d61737465722073657276696365732061677265656d656e74	2026-12-04 15:48:24.773589+00
c5a17e813aef62d996371092e2a7a69821215c35130e4bb817679d5468ae0e9c	\\x255044462d312e342073746174656d656e74206f6620776f726b	2026-12-04 15:48:25.068896+00
ffd88e314470159809cfe2f876a655b7f04984a5de3adddba57a3dc8b57e8563	\\x656e65726779207061706572	2026-12-04 15:48:25.440754+00
\.


--
-- Data for Name: document_views; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.document_views (document_id, project_id, status, filename, content_type, sha256, size_bytes, source_url, metadata, converted_length, converter, conversion_event_id, conversion_error_type, conversion_error, version, last_sequence, created_at, updated_at, converted_at) FROM stdin;
c8e17b45-785b-50bb-84b3-9f22c3840d91	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	converted	msa.md	text/markdown	81a7fc6cec47ff4b585a3f59d3485b90ed257c4de934ff326cc2d5feb8812cc5	27	https://example.com/contracts/msa.md	{"pages": 4}	415	pandoc 3.1	9e3ca4aa-d93c-4571-87e3-838a51721fe8	\N	\N	2	9	2026-12-04 15:48:24.777741+00	2026-12-04 15:48:25.785515+00	2026-12-04 15:48:25.785515+00
ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	a1d4f743-d141-40e5-8c1a-909a0b75292c	converted	paper.pdf	application/pdf	ffd88e314470159809cfe2f876a655b7f04984a5de3adddba57a3dc8b57e8563	12	\N	{"doi": "10.1000/xyz"}	149	pandoc 3.1	c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c	\N	\N	2	13	2026-12-04 15:48:25.452999+00	2026-12-04 15:48:26.189502+00	2026-12-04 15:48:26.189502+00
92013f40-800c-4646-bd73-563ccf01db10	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	conversion_failed	scan.tiff	image/tiff	59ad1b2fc74287ded1bba7af67765d23ad4a49f1ae51902cc2ed3f8ebee96cfa	4	\N	{}	\N	\N	\N	UnsupportedFormat	UnsupportedFormat: TIFF without text layer	2	21	2026-12-04 15:48:25.296593+00	2026-12-04 15:48:26.832095+00	\N
4c15ede7-5b3b-485e-bab7-a796c1dd01b8	a1d4f743-d141-40e5-8c1a-909a0b75292c	uploaded	legacy.pdf	application/pdf	c49fea7425fa7f8699897a97c159c6690267d9003bb78c53fafa8fc15c325d84	6	\N	{}	\N	\N	\N	\N	\N	1	38	2026-12-04 15:48:28.611887+00	2026-12-04 15:48:28.611887+00	\N
\.


--
-- Data for Name: events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.events (sequence, event_id, stream_id, stream_version, event_type, schema_version, payload, metadata, recorded_at) FROM stdin;
1	31bc045c-8c85-4e01-8317-1056add48ce5	project-2e7eb839-58f6-4d35-9f9c-270e84cb85a6	1	ProjectCreated	1	{"name": "Contracts", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "description": "supplier contracts", "json_schema": {"type": "object", "required": ["party"], "properties": {"party": {"type": "string"}, "amount": {"type": "number"}}}, "entity_types": ["party", "clause"]}	{"actor": "admin-cd6d1066", "correlation_id": "5f401248-ea8c-4e14-b301-5c35fbe1e20d"}	2026-12-04 15:48:24.32032+00
2	5b6f36ce-935f-456d-b004-3c420f956a05	project-a1d4f743-d141-40e5-8c1a-909a0b75292c	1	ProjectCreated	1	{"name": "Research", "project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "description": "", "json_schema": {"type": "object"}, "entity_types": ["finding"]}	{"actor": "admin-cd6d1066", "correlation_id": "229d5ec5-c077-4221-badb-e6cd215da564"}	2026-12-04 15:48:24.510269+00
3	2ee2fd3d-8656-46a6-b870-90db9317fa2a	project-a1d4f743-d141-40e5-8c1a-909a0b75292c	2	ProjectUpdated	1	{"forced": false, "project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "description": "papers and notes", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "a3bfe879-0352-402f-b5cf-539c42f35e46"}	2026-12-04 15:48:24.644683+00
4	7a66d1fa-aa05-4c3f-8863-27d86c20e748	document-c8e17b45-785b-50bb-84b3-9f22c3840d91	1	DocumentUploaded	2	{"sha256": "81a7fc6cec47ff4b585a3f59d3485b90ed257c4de934ff326cc2d5feb8812cc5", "filename": "msa.md", "metadata": {"pages": 4}, "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "size_bytes": 27, "source_url": "https://example.com/contracts/msa.md", "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91", "content_type": "text/markdown"}	{"actor": "admin-cd6d1066", "correlation_id": "6aa84022-7ecc-45fd-bed5-c389275eb238"}	2026-12-04 15:48:24.777741+00
5	f8447130-a848-44cf-9181-dc739226ce1a	document-a4265c4a-c807-4798-a09d-09ebd27fa84f	1	DocumentUploaded	2	{"sha256": "c5a17e813aef62d996371092e2a7a69821215c35130e4bb817679d5468ae0e9c", "filename": "sow.pdf", "metadata": {}, "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "size_bytes": 26, "source_url": null, "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f", "content_type": "application/pdf"}	{"actor": "admin-cd6d1066", "correlation_id": "4accddcf-17f9-4ece-b03d-9cd6a9c75c6b"}	2026-12-04 15:48:25.077086+00
6	a1c9db45-83e6-46bf-81c1-da50600b028a	document-92013f40-800c-4646-bd73-563ccf01db10	1	DocumentUploaded	2	{"sha256": "59ad1b2fc74287ded1bba7af67765d23ad4a49f1ae51902cc2ed3f8ebee96cfa", "filename": "scan.tiff", "metadata": {}, "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "size_bytes": 4, "source_url": null, "document_id": "92013f40-800c-4646-bd73-563ccf01db10", "content_type": "image/tiff"}	{"actor": "admin-cd6d1066", "correlation_id": "42bf8884-1feb-476d-98d0-971f5a2e6e2c"}	2026-12-04 15:48:25.296593+00
7	dd881960-a5ab-4459-ac1a-e4d7c8d2c4fe	document-ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	1	DocumentUploaded	2	{"sha256": "ffd88e314470159809cfe2f876a655b7f04984a5de3adddba57a3dc8b57e8563", "filename": "paper.pdf", "metadata": {"doi": "10.1000/xyz"}, "project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "size_bytes": 12, "source_url": null, "document_id": "ce5c1744-94b0-41de-84f8-ac9c8c93a8ae", "content_type": "application/pdf"}	{"actor": "admin-cd6d1066", "correlation_id": "ddf5436f-de29-40ba-8a52-7f30cc77e03d"}	2026-12-04 15:48:25.452999+00
8	5d60fb01-7a6b-43a8-b227-a38a3ab6d7a3	job-0eb25c01-86ef-4d6e-b2cf-9e4f6c123337	1	JobStarted	1	{"kind": "conversion", "input": {"format": "pdf"}, "job_id": "0eb25c01-86ef-4d6e-b2cf-9e4f6c123337", "worker": "pandoc-1", "project_id": null, "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91"}	{"actor": "admin-cd6d1066", "correlation_id": "0ad9bbb9-13ca-456b-8df2-c6853db248ba"}	2026-12-04 15:48:25.660588+00
9	9e3ca4aa-d93c-4571-87e3-838a51721fe8	document-c8e17b45-785b-50bb-84b3-9f22c3840d91	2	DocumentConverted	1	{"markdown": "# Master services agreement\\n\\n**Supplier** means the party that delivers the services.\\n\\n**Fee**: the amount due each month, see Section 4.\\n\\nThe total is computed as\\n\\n$$T = F \\\\times m + P$$\\n\\nwhere $F$ is the fee, $m$ the number of months and $P$ the penalties.\\n\\n| Item | Monthly fee | Months |\\n|------|-------------|--------|\\n| Support | 1200 | 12 |\\n| Hosting | 800 | 12 |\\n\\nSee Table 1 and Figure 2 for the schedule.\\n", "converter": "pandoc 3.1", "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91"}	{"actor": "admin-cd6d1066", "correlation_id": "ca12017f-feab-421f-9037-a6aac9d438d0"}	2026-12-04 15:48:25.785515+00
10	7303d9a6-3390-5bd0-8c3b-01b3e85e7926	semantic-ir-c8e17b45-785b-50bb-84b3-9f22c3840d91	1	SemanticIRExtracted	1	{"items": [{"name": "Supplier", "term": "Supplier", "context": "Master services agreement", "ir_type": "definition", "metadata": {"form": "phrase", "line": 3}, "definition": "the party that delivers the services."}, {"name": "Fee", "term": "Fee", "context": "Master services agreement", "ir_type": "definition", "metadata": {"form": "bold", "line": 5}, "definition": "the amount due each month, see Section 4."}, {"name": "Section 4", "target": "4", "ir_type": "cross_reference", "location": "line 5", "metadata": {"line": 5}, "reference_type": "section"}, {"name": "formula 1", "ir_type": "formula", "metadata": {"line": 9, "display": true}, "variables": ["T", "F", "m", "P"], "expression": "T = F \\\\times m + P"}, {"name": "formula 2", "ir_type": "formula", "metadata": {"line": 11, "display": false}, "variables": ["F"], "expression": "F"}, {"name": "formula 3", "ir_type": "formula", "metadata": {"line": 11, "display": false}, "variables": ["m"], "expression": "m"}, {"name": "formula 4", "ir_type": "formula", "metadata": {"line": 11, "display": false}, "variables": ["P"], "expression": "P"}, {"name": "table 1", "ir_type": "table", "metadata": {"line": 13, "columns": ["Item", "Monthly fee", "Months"], "alignments": ["none", "none", "none"]}, "row_count": 2, "table_data": [{"Item": "Support", "Months": "12", "Monthly fee": "1200"}, {"Item": "Hosting", "Months": "12", "Monthly fee": "800"}], "column_count": 3}, {"name": "Table 1", "target": "1", "ir_type": "cross_reference", "location": "line 18", "metadata": {"line": 18}, "reference_type": "table"}, {"name": "Figure 2", "target": "2", "ir_type": "cross_reference", "location": "line 18", "metadata": {"line": 18}, "reference_type": "figure"}], "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91", "source_event_id": "9e3ca4aa-d93c-4571-87e3-838a51721fe8"}	{"actor": "semantic_analyzer", "causation_id": "9e3ca4aa-d93c-4571-87e3-838a51721fe8", "correlation_id": "ca12017f-feab-421f-9037-a6aac9d438d0"}	2026-12-04 15:48:25.789323+00
11	3255d52c-2938-4728-9277-a97876c6d57c	job-0eb25c01-86ef-4d6e-b2cf-9e4f6c123337	2	JobCompleted	1	{"job_id": "0eb25c01-86ef-4d6e-b2cf-9e4f6c123337", "result": {"pages": 2}}	{"actor": "admin-cd6d1066", "correlation_id": "3628c86b-63af-49df-bfe1-4b990c751eee"}	2026-12-04 15:48:25.908069+00
12	d750135f-a4fc-472e-ba80-863df05fa5b8	job-6a382774-a7b2-404c-a61b-0b301371878e	1	JobStarted	1	{"kind": "conversion", "input": {"format": "pdf"}, "job_id": "6a382774-a7b2-404c-a61b-0b301371878e", "worker": "pandoc-1", "project_id": null, "document_id": "ce5c1744-94b0-41de-84f8-ac9c8c93a8ae"}	{"actor": "admin-cd6d1066", "correlation_id": "0862d6b3-3096-44cd-9f37-299f1286caec"}	2026-12-04 15:48:26.118796+00
13	c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c	document-ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	2	DocumentConverted	1	{"markdown": "# Energy\\n\\n**Energy** is the capacity to do work.\\n\\n$$E = mc^2$$\\n\\n| Quantity | Unit |\\n|----------|------|\\n| E | J |\\n| m | kg |\\n\\nAs shown in Section 2.\\n", "converter": "pandoc 3.1", "document_id": "ce5c1744-94b0-41de-84f8-ac9c8c93a8ae"}	{"actor": "admin-cd6d1066", "correlation_id": "c8cca466-79d4-44da-b466-0ddb73703c8e"}	2026-12-04 15:48:26.189502+00
15	39c411c3-5119-422c-9305-7a333e22c143	job-6a382774-a7b2-404c-a61b-0b301371878e	2	JobCompleted	1	{"job_id": "6a382774-a7b2-404c-a61b-0b301371878e", "result": {"pages": 2}}	{"actor": "admin-cd6d1066", "correlation_id": "7803bcb7-ff94-4c7e-b905-557d127b0095"}	2026-12-04 15:48:26.282869+00
16	9b11c76a-d339-44c0-8eab-5dddb8a0dee3	job-8dcc446a-b6b5-4389-b2a7-a33fb4a1dc66	1	JobStarted	1	{"kind": "conversion", "input": {"format": "pdf"}, "job_id": "8dcc446a-b6b5-4389-b2a7-a33fb4a1dc66", "worker": "pandoc-1", "project_id": null, "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f"}	{"actor": "admin-cd6d1066", "correlation_id": "7b031117-8298-4f62-bf32-3a966ead15c1"}	2026-12-04 15:48:26.431293+00
14	65b4d147-2818-5c12-b7a1-a5efc7c40f2d	semantic-ir-ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	1	SemanticIRExtracted	1	{"items": [{"name": "formula 1", "ir_type": "formula", "metadata": {"line": 5, "display": true}, "variables": ["E", "m", "c"], "expression": "E = mc^2"}, {"name": "table 1", "ir_type": "table", "metadata": {"line": 7, "columns": ["Quantity", "Unit"], "alignments": ["none", "none"]}, "row_count": 2, "table_data": [{"Unit": "J", "Quantity": "E"}, {"Unit": "kg", "Quantity": "m"}], "column_count": 2}, {"name": "Section 2", "target": "2", "ir_type": "cross_reference", "location": "line 12", "metadata": {"line": 12}, "reference_type": "section"}], "document_id": "ce5c1744-94b0-41de-84f8-ac9c8c93a8ae", "source_event_id": "c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c"}	{"actor": "semantic_analyzer", "causation_id": "c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c", "correlation_id": "c8cca466-79d4-44da-b466-0ddb73703c8e"}	2026-12-04 15:48:26.198314+00
18	32668a0a-79d3-5f21-b2a2-94edfd7f34f7	semantic-ir-a4265c4a-c807-4798-a09d-09ebd27fa84f	1	SemanticIRExtracted	1	{"items": [{"name": "Deliverable", "term": "Deliverable", "context": "Statement of work", "ir_type": "definition", "metadata": {"form": "bold", "line": 3}, "definition": "a working system."}, {"name": "Section 1", "target": "1", "ir_type": "cross_reference", "location": "line 5", "metadata": {"line": 5}, "reference_type": "section"}], "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f", "source_event_id": "ccf16d71-8dc1-4d30-a6bb-0b8e4e3b0376"}	{"actor": "semantic_analyzer", "causation_id": "ccf16d71-8dc1-4d30-a6bb-0b8e4e3b0376", "correlation_id": "4543e939-6af5-4d4b-9ef2-e811f91f57c7"}	2026-12-04 15:48:26.570828+00
17	ccf16d71-8dc1-4d30-a6bb-0b8e4e3b0376	document-a4265c4a-c807-4798-a09d-09ebd27fa84f	2	DocumentConverted	1	{"markdown": "# Statement of work\\n\\n**Deliverable**: a working system.\\n\\nSee Section 1.", "converter": "pandoc 3.1", "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f"}	{"actor": "admin-cd6d1066", "correlation_id": "4543e939-6af5-4d4b-9ef2-e811f91f57c7"}	2026-12-04 15:48:26.558032+00
19	7f030f79-bce5-412d-90d0-dd38ecbbd3c7	job-8dcc446a-b6b5-4389-b2a7-a33fb4a1dc66	2	JobCompleted	1	{"job_id": "8dcc446a-b6b5-4389-b2a7-a33fb4a1dc66", "result": {"pages": 2}}	{"actor": "admin-cd6d1066", "correlation_id": "ef149d24-b75c-45f5-b838-75426b9e006b"}	2026-12-04 15:48:26.637819+00
20	760d226b-0b3d-4dc6-b725-2716388da413	job-a9d1a154-4a5c-424e-9390-96c8eeda2d1f	1	JobStarted	1	{"kind": "conversion", "input": {}, "job_id": "a9d1a154-4a5c-424e-9390-96c8eeda2d1f", "worker": "ocr-1", "project_id": null, "document_id": "92013f40-800c-4646-bd73-563ccf01db10"}	{"actor": "admin-cd6d1066", "correlation_id": "0d1cbee2-a428-4bf7-99f2-21787a4d7190"}	2026-12-04 15:48:26.74968+00
21	fe5867e1-80e4-41ca-a49c-570d2f38e32a	document-92013f40-800c-4646-bd73-563ccf01db10	2	DocumentConversionFailed	1	{"message": "TIFF without text layer", "error_type": "UnsupportedFormat", "document_id": "92013f40-800c-4646-bd73-563ccf01db10"}	{"actor": "admin-cd6d1066", "correlation_id": "cd367764-f476-4a2d-89df-812486683388"}	2026-12-04 15:48:26.832095+00
22	130669bf-a6d3-4499-8952-c273875781b6	job-a9d1a154-4a5c-424e-9390-96c8eeda2d1f	2	JobFailed	1	{"job_id": "a9d1a154-4a5c-424e-9390-96c8eeda2d1f", "message": "TIFF without text layer", "error_type": "UnsupportedFormat"}	{"actor": "admin-cd6d1066", "correlation_id": "8c73ee36-968d-4ec0-aeba-a30a0ed060ae"}	2026-12-04 15:48:26.929779+00
23	17428cb1-55c9-5e9b-a86b-8231e0350b00	job-39512977-d544-589d-99e9-d48d7819ee81	1	JobStarted	1	{"kind": "extraction", "input": {}, "job_id": "39512977-d544-589d-99e9-d48d7819ee81", "worker": "llm-1", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": null}	{"actor": "admin-cd6d1066", "correlation_id": "56976440-3d43-435c-b4a7-9c8c4ff38000"}	2026-12-04 15:48:27.065007+00
24	23992672-9e27-4525-b124-52265d90c371	project-2e7eb839-58f6-4d35-9f9c-270e84cb85a6	2	ProjectExtractionsStarted	1	{"project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "extraction_id": "22daf011-0380-4cf4-a605-83613416429b"}	{"actor": "admin-cd6d1066", "correlation_id": "0fb5791f-2795-40de-8a67-dd91f298eb29"}	2026-12-04 15:48:27.296807+00
25	f6ba3478-31d4-56fc-bb17-8128cede89d8	extraction-22daf011-0380-4cf4-a605-83613416429b	1	ExtractionRecorded	1	{"data": {"party": "Acme Ltd", "amount": 24000}, "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91", "entity_type": "party", "extraction_id": "22daf011-0380-4cf4-a605-83613416429b", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "0fb5791f-2795-40de-8a67-dd91f298eb29"}	2026-12-04 15:48:27.300731+00
26	b8cada8a-2adb-5260-ae74-3907a0f22a1f	extraction-f11d1a2c-2cee-4e07-b887-09ce8a2869a8	1	ExtractionRecorded	1	{"data": {"party": "Acme Ltd", "clause": "penalties"}, "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91", "entity_type": "clause", "extraction_id": "f11d1a2c-2cee-4e07-b887-09ce8a2869a8", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "e6f066b6-1f96-49a4-9914-6f1b4f291e63"}	2026-12-04 15:48:27.377664+00
27	04929c61-7289-579b-9038-359dc83141c6	extraction-84cb1019-0d3d-45cc-9ecc-bf899e798273	1	ExtractionRecorded	1	{"data": {"party": "Globex"}, "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f", "entity_type": "party", "extraction_id": "84cb1019-0d3d-45cc-9ecc-bf899e798273", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "30da4c59-7575-4cef-8317-5d25d634930c"}	2026-12-04 15:48:27.481913+00
28	0828aed0-3edc-4b1d-8ad8-e851de0bcd82	project-a1d4f743-d141-40e5-8c1a-909a0b75292c	3	ProjectExtractionsStarted	1	{"project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "extraction_id": "d4c04a68-5982-462c-9585-c1762c3e527d"}	{"actor": "admin-cd6d1066", "correlation_id": "3f266f7a-b44a-4a4e-bff4-61c510693ff4"}	2026-12-04 15:48:27.633619+00
29	9bd96c8d-366a-5f22-93d9-85d231c9871c	extraction-d4c04a68-5982-462c-9585-c1762c3e527d	1	ExtractionRecorded	1	{"data": {"claim": "E = mc^2"}, "project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "document_id": "ce5c1744-94b0-41de-84f8-ac9c8c93a8ae", "entity_type": "finding", "extraction_id": "d4c04a68-5982-462c-9585-c1762c3e527d", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "3f266f7a-b44a-4a4e-bff4-61c510693ff4"}	2026-12-04 15:48:27.641849+00
30	b8ed28c3-28b1-4b0d-81f5-e0d73fdc52af	job-39512977-d544-589d-99e9-d48d7819ee81	2	JobCompleted	1	{"job_id": "39512977-d544-589d-99e9-d48d7819ee81", "result": {"extractions": 3}}	{"actor": "admin-cd6d1066", "correlation_id": "ac703e96-bbed-4b09-b3da-fe3f657cb7ca"}	2026-12-04 15:48:27.719265+00
31	e05d285b-b8d1-4c80-a613-50751989a5ee	project-2e7eb839-58f6-4d35-9f9c-270e84cb85a6	3	ProjectUpdated	1	{"forced": true, "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "entity_types": ["party", "clause", "term"], "schema_revision": 2}	{"actor": "admin-cd6d1066", "correlation_id": "e9ea6334-f01d-4b4f-ab35-65f4ae0bd188"}	2026-12-04 15:48:27.874249+00
32	6281def3-3b66-48e6-9adf-8388b4ad9652	job-bd5df9c5-ae23-4f3a-8490-98a594a8110c	1	JobStarted	1	{"kind": "embedding", "input": {}, "job_id": "bd5df9c5-ae23-4f3a-8490-98a594a8110c", "worker": "embedder-1", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "c8e17b45-785b-50bb-84b3-9f22c3840d91"}	{"actor": "admin-cd6d1066", "correlation_id": "bd3fae2b-b4a1-4c1f-bc78-a22e35f23e33"}	2026-12-04 15:48:27.98985+00
33	229c07f5-bff0-4a2b-8195-7e9ce8fff349	job-bd5df9c5-ae23-4f3a-8490-98a594a8110c	2	JobFailed	1	{"job_id": "bd5df9c5-ae23-4f3a-8490-98a594a8110c", "message": "the model did not answer in 30 s", "error_type": "ModelTimeout"}	{"actor": "admin-cd6d1066", "correlation_id": "0a8238ea-db58-43c9-95ba-aeecbabfadd7"}	2026-12-04 15:48:28.071691+00
34	2822c257-54d4-4daa-b16d-51f5021f3a41	job-bc77b872-5b46-478d-baa9-338418cfe02d	1	JobStarted	1	{"kind": "crawl", "input": {"seed": "https://example.com/papers"}, "job_id": "bc77b872-5b46-478d-baa9-338418cfe02d", "worker": "admin-cd6d1066", "project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "document_id": null}	{"actor": "admin-cd6d1066", "correlation_id": "6247bce0-bc92-4fc8-bf28-c36e4c4dadc3"}	2026-12-04 15:48:28.173222+00
35	7607cafd-95c1-4c79-833d-5e116859c582	job-bc77b872-5b46-478d-baa9-338418cfe02d	2	JobCompleted	1	{"job_id": "bc77b872-5b46-478d-baa9-338418cfe02d", "result": {"found": 1}}	{"actor": "admin-cd6d1066", "correlation_id": "50f6ffe5-d078-44a8-b8df-6db8949100fd"}	2026-12-04 15:48:28.260036+00
36	2b911ce8-9327-430a-8752-e9afb79d3a16	job-ed3f7e0d-9d88-4638-ad1e-c3b0baf6c48e	1	JobStarted	1	{"kind": "embedding", "input": {}, "job_id": "ed3f7e0d-9d88-4638-ad1e-c3b0baf6c48e", "worker": "admin-cd6d1066", "project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "document_id": "ce5c1744-94b0-41de-84f8-ac9c8c93a8ae"}	{"actor": "admin-cd6d1066", "correlation_id": "c1b4bd5a-7c6a-4f46-a1e4-69ddd21b5f0c"}	2026-12-04 15:48:28.349417+00
37	b15cd77d-e665-4768-b2a7-5c4003a72c4a	document-a4265c4a-c807-4798-a09d-09ebd27fa84f	3	DocumentDeleted	1	{"reason": "withdrawn", "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f"}	{"actor": "admin-cd6d1066", "correlation_id": "d5231c5c-7ca9-4ebc-9d84-82b4f7cd7bb6"}	2026-12-04 15:48:28.426138+00
38	351a5a76-b149-453b-8299-0821567d1917	document-4c15ede7-5b3b-485e-bab7-a796c1dd01b8	1	DocumentUploaded	1	{"filename": "legacy.pdf", "project_id": "a1d4f743-d141-40e5-8c1a-909a0b75292c", "size_bytes": 6, "document_id": "4c15ede7-5b3b-485e-bab7-a796c1dd01b8", "content_hash": "sha256:c49fea7425fa7f8699897a97c159c6690267d9003bb78c53fafa8fc15c325d84", "content_type": "application/pdf"}	{"actor": "admin-cd6d1066", "correlation_id": "0d5aa9b1-c760-45c6-83c4-f713d8995ead"}	2026-12-04 15:48:28.611887+00
39	01c7b504-3b40-406d-87ef-c6bcad46b337	extraction-84cb1019-0d3d-45cc-9ecc-bf899e798273	2	ExtractionOrphaned	1	{"reason": "document deleted", "project_id": "2e7eb839-58f6-4d35-9f9c-270e84cb85a6", "document_id": "a4265c4a-c807-4798-a09d-09ebd27fa84f", "extraction_id": "84cb1019-0d3d-45cc-9ecc-bf899e798273"}	{"actor": "docledger-recover"}	2026-12-04 15:48:29.624292+00
40	d6690475-078a-4962-afaa-b479ecdfce61	recovery-4e4a21ec-89fd-4f73-b529-4a922bae8f65	1	RecoveryCompleted	1	{"run_id": "4e4a21ec-89fd-4f73-b529-4a922bae8f65", "documents": 1, "orphaned_extractions": 1}	{"actor": "docledger-recover"}	2026-12-04 15:48:29.661553+00
\.


--
-- Data for Name: extractions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.extractions (extraction_id, project_id, document_id, entity_type, data, valid, schema_revision, sequence, created_at, orphaned_at) FROM stdin;
22daf011-0380-4cf4-a605-83613416429b	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	c8e17b45-785b-50bb-84b3-9f22c3840d91	party	{"party": "Acme Ltd", "amount": 24000}	t	1	25	2026-12-04 15:48:27.300731+00	\N
f11d1a2c-2cee-4e07-b887-09ce8a2869a8	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	c8e17b45-785b-50bb-84b3-9f22c3840d91	clause	{"party": "Acme Ltd", "clause": "penalties"}	t	1	26	2026-12-04 15:48:27.377664+00	\N
d4c04a68-5982-462c-9585-c1762c3e527d	a1d4f743-d141-40e5-8c1a-909a0b75292c	ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	finding	{"claim": "E = mc^2"}	t	1	29	2026-12-04 15:48:27.641849+00	\N
84cb1019-0d3d-45cc-9ecc-bf899e798273	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	a4265c4a-c807-4798-a09d-09ebd27fa84f	party	{"party": "Globex"}	t	1	27	2026-12-04 15:48:27.481913+00	2026-12-04 15:48:29.624292+00
\.


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.idempotency_keys (actor, idempotency_key, request_hash, status, response_body, response_etag, started_at, completed_at) FROM stdin;
admin-cd6d1066	extract-run-1	063d00c39b7be3e8d4bc3bd2720003b675c767fb60540ed47926c484b2a318e3	201	{"events":[{"event_id":"17428cb1-55c9-5e9b-a86b-8231e0350b00","sequence":23,"stream_version":1}],"job_id":"39512977-d544-589d-99e9-d48d7819ee81","kind":"extraction","status":"running","version":1}	"1"	2026-12-04 15:48:27.061483+00	2026-12-04 15:48:27.076496+00
\.


--
-- Data for Name: jobs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.jobs (job_id, kind, status, document_id, project_id, worker, input, result, error_type, error, version, started_at, finished_at, updated_at) FROM stdin;
0eb25c01-86ef-4d6e-b2cf-9e4f6c123337	conversion	completed	c8e17b45-785b-50bb-84b3-9f22c3840d91	\N	pandoc-1	{"format": "pdf"}	{"pages": 2}	\N	\N	2	2026-12-04 15:48:25.660588+00	2026-12-04 15:48:25.908069+00	2026-12-04 15:48:25.908069+00
6a382774-a7b2-404c-a61b-0b301371878e	conversion	completed	ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	\N	pandoc-1	{"format": "pdf"}	{"pages": 2}	\N	\N	2	2026-12-04 15:48:26.118796+00	2026-12-04 15:48:26.282869+00	2026-12-04 15:48:26.282869+00
8dcc446a-b6b5-4389-b2a7-a33fb4a1dc66	conversion	completed	a4265c4a-c807-4798-a09d-09ebd27fa84f	\N	pandoc-1	{"format": "pdf"}	{"pages": 2}	\N	\N	2	2026-12-04 15:48:26.431293+00	2026-12-04 15:48:26.637819+00	2026-12-04 15:48:26.637819+00
a9d1a154-4a5c-424e-9390-96c8eeda2d1f	conversion	failed	92013f40-800c-4646-bd73-563ccf01db10	\N	ocr-1	{}	\N	UnsupportedFormat	UnsupportedFormat: TIFF without text layer	2	2026-12-04 15:48:26.74968+00	2026-12-04 15:48:26.929779+00	2026-12-04 15:48:26.929779+00
39512977-d544-589d-99e9-d48d7819ee81	extraction	completed	\N	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	llm-1	{}	{"extractions": 3}	\N	\N	2	2026-12-04 15:48:27.065007+00	2026-12-04 15:48:27.719265+00	2026-12-04 15:48:27.719265+00
bd5df9c5-ae23-4f3a-8490-98a594a8110c	embedding	failed	c8e17b45-785b-50bb-84b3-9f22c3840d91	2e7eb839-58f6-4d35-9f9c-270e84cb85a6	embedder-1	{}	\N	ModelTimeout	ModelTimeout: the model did not answer in 30 s	2	2026-12-04 15:48:27.98985+00	2026-12-04 15:48:28.071691+00	2026-12-04 15:48:28.071691+00
bc77b872-5b46-478d-baa9-338418cfe02d	crawl	completed	\N	a1d4f743-d141-40e5-8c1a-909a0b75292c	admin-cd6d1066	{"seed": "https://example.com/papers"}	{"found": 1}	\N	\N	2	2026-12-04 15:48:28.173222+00	2026-12-04 15:48:28.260036+00	2026-12-04 15:48:28.260036+00
ed3f7e0d-9d88-4638-ad1e-c3b0baf6c48e	embedding	running	ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	a1d4f743-d141-40e5-8c1a-909a0b75292c	admin-cd6d1066	{}	\N	\N	\N	1	2026-12-04 15:48:28.349417+00	\N	2026-12-04 15:48:28.349417+00
\.


--
-- Data for Name: projection_checkpoints; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.projection_checkpoints (name, last_sequence, updated_at) FROM stdin;
jobs	40	2026-12-04 15:48:29.665276+00
projects	40	2026-12-04 15:48:29.668422+00
semantic_analyzer	40	2026-12-04 15:48:29.672952+00
stream_catalog	40	2026-12-04 15:48:29.673692+00
document_views	40	2026-12-04 15:48:29.678158+00
alerts	40	2026-12-04 15:48:29.676289+00
extractions	40	2026-12-04 15:48:29.724356+00
semantic_ir	40	2026-12-04 15:48:29.760728+00
\.


--
-- Data for Name: projection_parked; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.projection_parked (projection, sequence, event_id, stream_id, error, attempts, held_behind, retry_requested, parked_at) FROM stdin;
\.


--
-- Data for Name: projects; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.projects (project_id, name, description, json_schema, entity_types, schema_revision, has_extractions, version, created_at, updated_at) FROM stdin;
a1d4f743-d141-40e5-8c1a-909a0b75292c	Research	papers and notes	{"type": "object"}	["finding"]	1	t	3	2026-12-04 15:48:24.510269+00	2026-12-04 15:48:27.633619+00
2e7eb839-58f6-4d35-9f9c-270e84cb85a6	Contracts	supplier contracts	{"type": "object", "required": ["party"], "properties": {"party": {"type": "string"}, "amount": {"type": "number"}}}	["party", "clause", "term"]	2	t	3	2026-12-04 15:48:24.32032+00	2026-12-04 15:48:27.874249+00
\.


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.schema_migrations (version, name, checksum, applied_at) FROM stdin;
1	001_event_store.sql	195532cbe1148c46d905ff31acc5c2203bddf3673c89ca319680e2832f6c8033	2026-12-04 15:48:22.695946+00
2	002_projection_runtime.sql	56e4485d9b36db08be9c015b2facb92c7535d9854566c62f2367048048a4341a	2026-12-04 15:48:22.733023+00
3	003_stream_catalog.sql	9a9192bae8f6521fd7e8a95a113e0b5b22041736cedb521ef26ced12620d4292	2026-12-04 15:48:22.756649+00
4	004_domain_read_models.sql	703a369d681575f1cf460e23694ce90300616217cf7a0e647b8887b989a0045e	2026-12-04 15:48:22.772606+00
5	005_api_support.sql	d34051b7762ccd175f46bc94ea575e34e6360d7b908090be07ad7cc342ac6bd4	2026-12-04 15:48:22.880956+00
6	006_alerts.sql	8ae46bc8f9e2e9d05f6b63376753a4fee7c193b61825d9e15146c2f26c59eb32	2026-12-04 15:48:22.90461+00
\.


--
-- Data for Name: semantic_ir; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.semantic_ir (document_id, ordinal, source_event_id, ir_type, name, expression, variables, definition, term, context, table_data, row_count, column_count, target, reference_type, location, metadata, created_at) FROM stdin;
c8e17b45-785b-50bb-84b3-9f22c3840d91	0	9e3ca4aa-d93c-4571-87e3-838a51721fe8	definition	Supplier	\N	\N	the party that delivers the services.	Supplier	Master services agreement	\N	\N	\N	\N	\N	\N	{"form": "phrase", "line": 3}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	1	9e3ca4aa-d93c-4571-87e3-838a51721fe8	definition	Fee	\N	\N	the amount due each month, see Section 4.	Fee	Master services agreement	\N	\N	\N	\N	\N	\N	{"form": "bold", "line": 5}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	2	9e3ca4aa-d93c-4571-87e3-838a51721fe8	cross_reference	Section 4	\N	\N	\N	\N	\N	\N	\N	\N	4	section	line 5	{"line": 5}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	3	9e3ca4aa-d93c-4571-87e3-838a51721fe8	formula	formula 1	T = F \\times m + P	["T", "F", "m", "P"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 9, "display": true}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	4	9e3ca4aa-d93c-4571-87e3-838a51721fe8	formula	formula 2	F	["F"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 11, "display": false}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	5	9e3ca4aa-d93c-4571-87e3-838a51721fe8	formula	formula 3	m	["m"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 11, "display": false}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	6	9e3ca4aa-d93c-4571-87e3-838a51721fe8	formula	formula 4	P	["P"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 11, "display": false}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	7	9e3ca4aa-d93c-4571-87e3-838a51721fe8	table	table 1	\N	\N	\N	\N	\N	[{"Item": "Support", "Months": "12", "Monthly fee": "1200"}, {"Item": "Hosting", "Months": "12", "Monthly fee": "800"}]	2	3	\N	\N	\N	{"line": 13, "columns": ["Item", "Monthly fee", "Months"], "alignments": ["none", "none", "none"]}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	8	9e3ca4aa-d93c-4571-87e3-838a51721fe8	cross_reference	Table 1	\N	\N	\N	\N	\N	\N	\N	\N	1	table	line 18	{"line": 18}	2026-12-04 15:48:25.789323+00
c8e17b45-785b-50bb-84b3-9f22c3840d91	9	9e3ca4aa-d93c-4571-87e3-838a51721fe8	cross_reference	Figure 2	\N	\N	\N	\N	\N	\N	\N	\N	2	figure	line 18	{"line": 18}	2026-12-04 15:48:25.789323+00
ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	0	c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c	formula	formula 1	E = mc^2	["E", "m", "c"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 5, "display": true}	2026-12-04 15:48:26.198314+00
ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	1	c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c	table	table 1	\N	\N	\N	\N	\N	[{"Unit": "J", "Quantity": "E"}, {"Unit": "kg", "Quantity": "m"}]	2	2	\N	\N	\N	{"line": 7, "columns": ["Quantity", "Unit"], "alignments": ["none", "none"]}	2026-12-04 15:48:26.198314+00
ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	2	c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c	cross_reference	Section 2	\N	\N	\N	\N	\N	\N	\N	\N	2	section	line 12	{"line": 12}	2026-12-04 15:48:26.198314+00
\.


--
-- Data for Name: semantic_ir_sources; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.semantic_ir_sources (document_id, source_event_id, item_count, extracted_at) FROM stdin;
c8e17b45-785b-50bb-84b3-9f22c3840d91	9e3ca4aa-d93c-4571-87e3-838a51721fe8	10	2026-12-04 15:48:25.789323+00
ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	c92c2b8a-4270-4e0e-82cc-0af10c2e0a7c	3	2026-12-04 15:48:26.198314+00
\.


--
-- Data for Name: stream_catalog; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.stream_catalog (stream_id, version, first_sequence, last_sequence, last_event_type, created_at, updated_at) FROM stdin;
document-c8e17b45-785b-50bb-84b3-9f22c3840d91	2	4	9	DocumentConverted	2026-12-04 15:48:24.777741+00	2026-12-04 15:48:25.785515+00
semantic-ir-c8e17b45-785b-50bb-84b3-9f22c3840d91	1	10	10	SemanticIRExtracted	2026-12-04 15:48:25.789323+00	2026-12-04 15:48:25.789323+00
job-0eb25c01-86ef-4d6e-b2cf-9e4f6c123337	2	8	11	JobCompleted	2026-12-04 15:48:25.660588+00	2026-12-04 15:48:25.908069+00
document-ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	2	7	13	DocumentConverted	2026-12-04 15:48:25.452999+00	2026-12-04 15:48:26.189502+00
semantic-ir-ce5c1744-94b0-41de-84f8-ac9c8c93a8ae	1	14	14	SemanticIRExtracted	2026-12-04 15:48:26.198314+00	2026-12-04 15:48:26.198314+00
job-6a382774-a7b2-404c-a61b-0b301371878e	2	12	15	JobCompleted	2026-12-04 15:48:26.118796+00	2026-12-04 15:48:26.282869+00
semantic-ir-a4265c4a-c807-4798-a09d-09ebd27fa84f	1	18	18	SemanticIRExtracted	2026-12-04 15:48:26.570828+00	2026-12-04 15:48:26.570828+00
job-8dcc446a-b6b5-4389-b2a7-a33fb4a1dc66	2	16	19	JobCompleted	2026-12-04 15:48:26.431293+00	2026-12-04 15:48:26.637819+00
document-92013f40-800c-4646-bd73-563ccf01db10	2	6	21	DocumentConversionFailed	2026-12-04 15:48:25.296593+00	2026-12-04 15:48:26.832095+00
job-a9d1a154-4a5c-424e-9390-96c8eeda2d1f	2	20	22	JobFailed	2026-12-04 15:48:26.74968+00	2026-12-04 15:48:26.929779+00
extraction-22daf011-0380-4cf4-a605-83613416429b	1	25	25	ExtractionRecorded	2026-12-04 15:48:27.300731+00	2026-12-04 15:48:27.300731+00
extraction-f11d1a2c-2cee-4e07-b887-09ce8a2869a8	1	26	26	ExtractionRecorded	2026-12-04 15:48:27.377664+00	2026-12-04 15:48:27.377664+00
project-a1d4f743-d141-40e5-8c1a-909a0b75292c	3	2	28	ProjectExtractionsStarted	2026-12-04 15:48:24.510269+00	2026-12-04 15:48:27.633619+00
extraction-d4c04a68-5982-462c-9585-c1762c3e527d	1	29	29	ExtractionRecorded	2026-12-04 15:48:27.641849+00	2026-12-04 15:48:27.641849+00
job-39512977-d544-589d-99e9-d48d7819ee81	2	23	30	JobCompleted	2026-12-04 15:48:27.065007+00	2026-12-04 15:48:27.719265+00
project-2e7eb839-58f6-4d35-9f9c-270e84cb85a6	3	1	31	ProjectUpdated	2026-12-04 15:48:24.32032+00	2026-12-04 15:48:27.874249+00
job-bd5df9c5-ae23-4f3a-8490-98a594a8110c	2	32	33	JobFailed	2026-12-04 15:48:27.98985+00	2026-12-04 15:48:28.071691+00
job-bc77b872-5b46-478d-baa9-338418cfe02d	2	34	35	JobCompleted	2026-12-04 15:48:28.173222+00	2026-12-04 15:48:28.260036+00
job-ed3f7e0d-9d88-4638-ad1e-c3b0baf6c48e	1	36	36	JobStarted	2026-12-04 15:48:28.349417+00	2026-12-04 15:48:28.349417+00
document-a4265c4a-c807-4798-a09d-09ebd27fa84f	3	5	37	DocumentDeleted	2026-12-04 15:48:25.077086+00	2026-12-04 15:48:28.426138+00
document-4c15ede7-5b3b-485e-bab7-a796c1dd01b8	1	38	38	DocumentUploaded	2026-12-04 15:48:28.611887+00	2026-12-04 15:48:28.611887+00
recovery-4e4a21ec-89fd-4f73-b529-4a922bae8f65	1	40	40	RecoveryCompleted	2026-12-04 15:48:29.661553+00	2026-12-04 15:48:29.661553+00
extraction-84cb1019-0d3d-45cc-9ecc-bf899e798273	2	27	39	ExtractionOrphaned	2026-12-04 15:48:27.481913+00	2026-12-04 15:48:29.624292+00
\.


--
-- Name: events_sequence_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.events_sequence_seq', 40, true);


--
-- Name: alert_deliveries alert_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_deliveries
    ADD CONSTRAINT alert_deliveries_pkey PRIMARY KEY (alert_id);


--
-- Name: alert_document_extractions alert_document_extractions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_document_extractions
    ADD CONSTRAINT alert_document_extractions_pkey PRIMARY KEY (document_id);


--
-- Name: alert_throttle alert_throttle_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_throttle
    ADD CONSTRAINT alert_throttle_pkey PRIMARY KEY (type, key);


--
-- Name: alerts alerts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (source_sequence);


--
-- Name: document_contents document_contents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_contents
    ADD CONSTRAINT document_contents_pkey PRIMARY KEY (sha256);


--
-- Name: document_views document_views_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_views
    ADD CONSTRAINT document_views_pkey PRIMARY KEY (document_id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (event_id);


--
-- Name: events events_sequence_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_sequence_key UNIQUE (sequence);


--
-- Name: events events_stream_version_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version);


--
-- Name: extractions extractions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.extractions
    ADD CONSTRAINT extractions_pkey PRIMARY KEY (extraction_id);


--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (actor, idempotency_key);


--
-- Name: jobs jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (job_id);


--
-- Name: projection_checkpoints projection_checkpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projection_checkpoints
    ADD CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (name);


--
-- Name: projection_parked projection_parked_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projection_parked
    ADD CONSTRAINT projection_parked_pkey PRIMARY KEY (projection, sequence);


--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (project_id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: semantic_ir semantic_ir_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.semantic_ir
    ADD CONSTRAINT semantic_ir_pkey PRIMARY KEY (document_id, ordinal);


--
-- Name: semantic_ir_sources semantic_ir_sources_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.semantic_ir_sources
    ADD CONSTRAINT semantic_ir_sources_pkey PRIMARY KEY (document_id);


--
-- Name: stream_catalog stream_catalog_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stream_catalog
    ADD CONSTRAINT stream_catalog_pkey PRIMARY KEY (stream_id);


--
-- Name: alert_deliveries_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alert_deliveries_due_idx ON public.alert_deliveries USING btree (source_sequence) WHERE (status = 'pending'::text);


--
-- Name: alert_deliveries_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alert_deliveries_status_idx ON public.alert_deliveries USING btree (status);


--
-- Name: alerts_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX alerts_id_idx ON public.alerts USING btree (id);


--
-- Name: alerts_raised_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_raised_at_idx ON public.alerts USING btree (raised_at);


--
-- Name: alerts_type_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_type_idx ON public.alerts USING btree (type, source_sequence);


--
-- Name: document_views_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX document_views_created_idx ON public.document_views USING btree (created_at, document_id);


--
-- Name: document_views_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX document_views_project_idx ON public.document_views USING btree (project_id, created_at, document_id);


--
-- Name: document_views_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX document_views_status_idx ON public.document_views USING btree (status, created_at, document_id);


--
-- Name: events_event_type_sequence_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX events_event_type_sequence_idx ON public.events USING btree (event_type, sequence);


--
-- Name: extractions_document_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX extractions_document_idx ON public.extractions USING btree (document_id);


--
-- Name: extractions_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX extractions_project_idx ON public.extractions USING btree (project_id, sequence);


--
-- Name: idempotency_keys_started_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idempotency_keys_started_idx ON public.idempotency_keys USING btree (started_at);


--
-- Name: jobs_document_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX jobs_document_idx ON public.jobs USING btree (document_id);


--
-- Name: jobs_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX jobs_status_idx ON public.jobs USING btree (status, started_at);


--
-- Name: projection_parked_stream_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projection_parked_stream_idx ON public.projection_parked USING btree (projection, stream_id, sequence);


--
-- Name: projects_created_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_created_at_idx ON public.projects USING btree (created_at, project_id);


--
-- Name: semantic_ir_document_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX semantic_ir_document_idx ON public.semantic_ir USING btree (document_id);


--
-- Name: semantic_ir_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX semantic_ir_id_idx ON public.semantic_ir USING btree (id);


--
-- Name: semantic_ir_name_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX semantic_ir_name_idx ON public.semantic_ir USING btree (name);


--
-- Name: semantic_ir_type_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX semantic_ir_type_idx ON public.semantic_ir USING btree (ir_type);


--
-- Name: stream_catalog_updated_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stream_catalog_updated_idx ON public.stream_catalog USING btree (updated_at DESC, stream_id);


--
-- Name: events events_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER events_append_only BEFORE DELETE OR UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.docledger_events_refuse_change();


--
-- Name: events events_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON public.events FOR EACH STATEMENT EXECUTE FUNCTION public.docledger_events_refuse_change();


--
-- Name: events events_notify; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER events_notify AFTER INSERT ON public.events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION public.docledger_events_notify();


--
-- Name: events events_take_order_lock; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER events_take_order_lock BEFORE INSERT ON public.events FOR EACH STATEMENT EXECUTE FUNCTION public.docledger_events_take_order_lock();


--
-- Name: semantic_ir semantic_ir_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.semantic_ir
    ADD CONSTRAINT semantic_ir_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.document_views(document_id) ON DELETE CASCADE;


--
-- Name: semantic_ir_sources semantic_ir_sources_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.semantic_ir_sources
    ADD CONSTRAINT semantic_ir_sources_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.document_views(document_id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


