-- docledger upgrade fixture: a database built and filled by the docledger binary of an earlier
-- commit (c7603c4de428c15ad6be4aa3c39fccd7c9a258b0), 38 events. Made by
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
    created_at timestamp with time zone NOT NULL
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
-- Data for Name: document_contents; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.document_contents (sha256, content, created_at) FROM stdin;
81a7fc6cec47ff4b585a3f59d3485b90ed257c4de934ff326cc2d5feb8812cc5	\\x23204d61737465722073657276696365732061677265656d656e74	2026-12-04 15:38:38.508405+00
c5a17e813aef62d996371092e2a7a69821215c35130e4bb817679d5468ae0e9c	\\x255044462d312e342073746174656d656e74206f6620776f726b	2026-12-04 15:38:39.116218+00
ffd88e314470159809cfe2f876a655b7f04984a5de3adddba57a3dc8b57e8563	\\x656e65726779207061706572	2026-12-04 15:38:39.660803+00
\.


--
-- Data for Name: document_views; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.document_views (document_id, project_id, status, filename, content_type, sha256, size_bytes, source_url, metadata, converted_length, converter, conversion_event_id, conversion_error_type, conversion_error, version, last_sequence, created_at, updated_at, converted_at) FROM stdin;
adabdac9-7c1e-5726-a299-9ec7eae1b004	43c7f427-b99f-4a7b-bff6-fce27f240d5c	converted	msa.md	text/markdown	81a7fc6cec47ff4b585a3f59d3485b90ed257c4de934ff326cc2d5feb8812cc5	27	https://example.com/contracts/msa.md	{"pages": 4}	415	pandoc 3.1	b1698802-26f4-48f8-8eef-828cb43fe63e	\N	\N	2	9	2026-12-04 15:38:38.52421+00	2026-12-04 15:38:40.365813+00	2026-12-04 15:38:40.365813+00
743dd56c-fc70-443d-9ef5-7654b5e0ebf8	5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	converted	paper.pdf	application/pdf	ffd88e314470159809cfe2f876a655b7f04984a5de3adddba57a3dc8b57e8563	12	\N	{"doi": "10.1000/xyz"}	149	pandoc 3.1	a5ad197d-5e76-446f-aa23-aa06bf3c525b	\N	\N	2	13	2026-12-04 15:38:39.692193+00	2026-12-04 15:38:41.120255+00	2026-12-04 15:38:41.120255+00
b175e165-b847-4784-859b-765dc4e95b94	43c7f427-b99f-4a7b-bff6-fce27f240d5c	conversion_failed	scan.tiff	image/tiff	59ad1b2fc74287ded1bba7af67765d23ad4a49f1ae51902cc2ed3f8ebee96cfa	4	\N	{}	\N	\N	\N	UnsupportedFormat	UnsupportedFormat: TIFF without text layer	2	21	2026-12-04 15:38:39.416401+00	2026-12-04 15:38:42.390389+00	\N
4ec180f2-3cad-41ec-bd36-d58a8fb39028	5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	uploaded	legacy.pdf	application/pdf	c49fea7425fa7f8699897a97c159c6690267d9003bb78c53fafa8fc15c325d84	6	\N	{}	\N	\N	\N	\N	\N	1	38	2026-12-04 15:38:45.599504+00	2026-12-04 15:38:45.599504+00	\N
\.


--
-- Data for Name: events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.events (sequence, event_id, stream_id, stream_version, event_type, schema_version, payload, metadata, recorded_at) FROM stdin;
1	102b5180-cb7e-4d5b-ba99-349fd1e5c5e0	project-43c7f427-b99f-4a7b-bff6-fce27f240d5c	1	ProjectCreated	1	{"name": "Contracts", "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "description": "supplier contracts", "json_schema": {"type": "object", "required": ["party"], "properties": {"party": {"type": "string"}, "amount": {"type": "number"}}}, "entity_types": ["party", "clause"]}	{"actor": "admin-cd6d1066", "correlation_id": "c02f0b1c-94a4-4c3e-9cac-c7b4176c938a"}	2026-12-04 15:38:37.760284+00
2	273ec03b-1cc5-4298-9ff6-8bdaa4cccdb4	project-5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	1	ProjectCreated	1	{"name": "Research", "project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "description": "", "json_schema": {"type": "object"}, "entity_types": ["finding"]}	{"actor": "admin-cd6d1066", "correlation_id": "3550da27-e024-420a-b2b3-9eea37a06acb"}	2026-12-04 15:38:38.046055+00
3	872c362c-e06f-4661-9e19-6de79fde4876	project-5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	2	ProjectUpdated	1	{"forced": false, "project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "description": "papers and notes", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "faacdc87-1b3c-4869-a01e-c4f3643cb551"}	2026-12-04 15:38:38.264466+00
4	46935744-ae9e-4616-9d4c-2fa95d909673	document-adabdac9-7c1e-5726-a299-9ec7eae1b004	1	DocumentUploaded	2	{"sha256": "81a7fc6cec47ff4b585a3f59d3485b90ed257c4de934ff326cc2d5feb8812cc5", "filename": "msa.md", "metadata": {"pages": 4}, "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "size_bytes": 27, "source_url": "https://example.com/contracts/msa.md", "document_id": "adabdac9-7c1e-5726-a299-9ec7eae1b004", "content_type": "text/markdown"}	{"actor": "admin-cd6d1066", "correlation_id": "c8e6d715-a99f-416d-bc98-d5a102a85893"}	2026-12-04 15:38:38.52421+00
5	1e3beef2-f179-48ab-bc57-0fea07b1f2a9	document-2d804643-883a-4904-bd1b-484751736572	1	DocumentUploaded	2	{"sha256": "c5a17e813aef62d996371092e2a7a69821215c35130e4bb817679d5468ae0e9c", "filename": "sow.pdf", "metadata": {}, "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "size_bytes": 26, "source_url": null, "document_id": "2d804643-883a-4904-bd1b-484751736572", "content_type": "application/pdf"}	{"actor": "admin-cd6d1066", "correlation_id": "57b3f32b-d683-40bc-be8d-1980f36f72aa"}	2026-12-04 15:38:39.141531+00
6	801d8975-7b1a-4db1-92a6-9c03b0011504	document-b175e165-b847-4784-859b-765dc4e95b94	1	DocumentUploaded	2	{"sha256": "59ad1b2fc74287ded1bba7af67765d23ad4a49f1ae51902cc2ed3f8ebee96cfa", "filename": "scan.tiff", "metadata": {}, "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "size_bytes": 4, "source_url": null, "document_id": "b175e165-b847-4784-859b-765dc4e95b94", "content_type": "image/tiff"}	{"actor": "admin-cd6d1066", "correlation_id": "6b13ef44-a172-42f3-9476-06ae9a68e960"}	2026-12-04 15:38:39.416401+00
7	a742f288-2972-4360-ac36-d7ebafc509aa	document-743dd56c-fc70-443d-9ef5-7654b5e0ebf8	1	DocumentUploaded	2	{"sha256": "ffd88e314470159809cfe2f876a655b7f04984a5de3adddba57a3dc8b57e8563", "filename": "paper.pdf", "metadata": {"doi": "10.1000/xyz"}, "project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "size_bytes": 12, "source_url": null, "document_id": "743dd56c-fc70-443d-9ef5-7654b5e0ebf8", "content_type": "application/pdf"}	{"actor": "admin-cd6d1066", "correlation_id": "e830b553-3a65-49fd-b6be-10c7014b8ee7"}	2026-12-04 15:38:39.692193+00
8	ed12f44b-3467-472f-a660-e8f6fc6047a2	job-032e716f-f1cc-49e6-92c6-90f4fde1c738	1	JobStarted	1	{"kind": "conversion", "input": {"format": "pdf"}, "job_id": "032e716f-f1cc-49e6-92c6-90f4fde1c738", "worker": "pandoc-1", "project_id": null, "document_id": "adabdac9-7c1e-5726-a299-9ec7eae1b004"}	{"actor": "admin-cd6d1066", "correlation_id": "c9ae4a14-439a-44b4-8b48-76ab69803c68"}	2026-12-04 15:38:40.110211+00
9	b1698802-26f4-48f8-8eef-828cb43fe63e	document-adabdac9-7c1e-5726-a299-9ec7eae1b004	2	DocumentConverted	1	{"markdown": "# Master services agreement\\n\\n**Supplier** means the party that delivers the services.\\n\\n**Fee**: the amount due each month, see Section 4.\\n\\nThe total is computed as\\n\\n$$T = F \\\\times m + P$$\\n\\nwhere $F$ is the fee, $m$ the number of months and $P$ the penalties.\\n\\n| Item | Monthly fee | Months |\\n|------|-------------|--------|\\n| Support | 1200 | 12 |\\n| Hosting | 800 | 12 |\\n\\nSee Table 1 and Figure 2 for the schedule.\\n", "converter": "pandoc 3.1", "document_id": "adabdac9-7c1e-5726-a299-9ec7eae1b004"}	{"actor": "admin-cd6d1066", "correlation_id": "94ae8fe6-86c6-491f-9db6-f2ab53066ab3"}	2026-12-04 15:38:40.365813+00
10	fdc32191-464c-5aca-bccc-1e69999a3525	semantic-ir-adabdac9-7c1e-5726-a299-9ec7eae1b004	1	SemanticIRExtracted	1	{"items": [{"name": "Supplier", "term": "Supplier", "context": "Master services agreement", "ir_type": "definition", "metadata": {"form": "phrase", "line": 3}, "definition": "the party that delivers the services."}, {"name": "Fee", "term": "Fee", "context": "Master services agreement", "ir_type": "definition", "metadata": {"form": "bold", "line": 5}, "definition": "the amount due each month, see Section 4."}, {"name": "Section 4", "target": "4", "ir_type": "cross_reference", "location": "line 5", "metadata": {"line": 5}, "reference_type": "section"}, {"name": "formula 1", "ir_type": "formula", "metadata": {"line": 9, "display": true}, "variables": ["T", "F", "m", "P"], "expression": "T = F \\\\times m + P"}, {"name": "formula 2", "ir_type": "formula", "metadata": {"line": 11, "display": false}, "variables": ["F"], "expression": "F"}, {"name": "formula 3", "ir_type": "formula", "metadata": {"line": 11, "display": false}, "variables": ["m"], "expression": "m"}, {"name": "formula 4", "ir_type": "formula", "metadata": {"line": 11, "display": false}, "variables": ["P"], "expression": "P"}, {"name": "table 1", "ir_type": "table", "metadata": {"line": 13, "columns": ["Item", "Monthly fee", "Months"], "alignments": ["none", "none", "none"]}, "row_count": 2, "table_data": [{"Item": "Support", "Months": "12", "Monthly fee": "1200"}, {"Item": "Hosting", "Months": "12", "Monthly fee": "800"}], "column_count": 3}, {"name": "Table 1", "target": "1", "ir_type": "cross_reference", "location": "line 18", "metadata": {"line": 18}, "reference_type": "table"}, {"name": "Figure 2", "target": "2", "ir_type": "cross_reference", "location": "line 18", "metadata": {"line": 18}, "reference_type": "figure"}], "document_id": "adabdac9-7c1e-5726-a299-9ec7eae1b004", "source_event_id": "b1698802-26f4-48f8-8eef-828cb43fe63e"}	{"actor": "semantic_analyzer", "causation_id": "b1698802-26f4-48f8-8eef-828cb43fe63e", "correlation_id": "94ae8fe6-86c6-491f-9db6-f2ab53066ab3"}	2026-12-04 15:38:40.381153+00
11	d97b7d73-ab9b-419c-8dce-123c779d30ae	job-032e716f-f1cc-49e6-92c6-90f4fde1c738	2	JobCompleted	1	{"job_id": "032e716f-f1cc-49e6-92c6-90f4fde1c738", "result": {"pages": 2}}	{"actor": "admin-cd6d1066", "correlation_id": "66694f2d-e497-4bf0-9091-eb5bb970d485"}	2026-12-04 15:38:40.604624+00
12	737fb436-1817-4d65-8798-55c359ed1440	job-f8964a9f-82b8-46e3-8653-3e861e7769e4	1	JobStarted	1	{"kind": "conversion", "input": {"format": "pdf"}, "job_id": "f8964a9f-82b8-46e3-8653-3e861e7769e4", "worker": "pandoc-1", "project_id": null, "document_id": "743dd56c-fc70-443d-9ef5-7654b5e0ebf8"}	{"actor": "admin-cd6d1066", "correlation_id": "3868f0bb-3a65-457f-ae54-04fcd2e940dc"}	2026-12-04 15:38:40.957231+00
13	a5ad197d-5e76-446f-aa23-aa06bf3c525b	document-743dd56c-fc70-443d-9ef5-7654b5e0ebf8	2	DocumentConverted	1	{"markdown": "# Energy\\n\\n**Energy** is the capacity to do work.\\n\\n$$E = mc^2$$\\n\\n| Quantity | Unit |\\n|----------|------|\\n| E | J |\\n| m | kg |\\n\\nAs shown in Section 2.\\n", "converter": "pandoc 3.1", "document_id": "743dd56c-fc70-443d-9ef5-7654b5e0ebf8"}	{"actor": "admin-cd6d1066", "correlation_id": "45c78549-b59c-4291-bff4-af04166a14a2"}	2026-12-04 15:38:41.120255+00
15	4e2cf84d-958b-478a-bdac-d13b6e48c777	job-f8964a9f-82b8-46e3-8653-3e861e7769e4	2	JobCompleted	1	{"job_id": "f8964a9f-82b8-46e3-8653-3e861e7769e4", "result": {"pages": 2}}	{"actor": "admin-cd6d1066", "correlation_id": "d0ef0eed-2c2c-4c8b-aab7-2ce8f883dc1a"}	2026-12-04 15:38:41.285668+00
16	d2c17e4b-17b0-4cc5-aa9f-d661aab6b3a8	job-d009f01d-7e82-44a2-9dc1-14799ec49c81	1	JobStarted	1	{"kind": "conversion", "input": {"format": "pdf"}, "job_id": "d009f01d-7e82-44a2-9dc1-14799ec49c81", "worker": "pandoc-1", "project_id": null, "document_id": "2d804643-883a-4904-bd1b-484751736572"}	{"actor": "admin-cd6d1066", "correlation_id": "c8a9b146-6c34-4f8b-be41-483957b6ae2d"}	2026-12-04 15:38:41.521792+00
14	152d4572-7367-55a7-9e8d-fe3acdc7e2eb	semantic-ir-743dd56c-fc70-443d-9ef5-7654b5e0ebf8	1	SemanticIRExtracted	1	{"items": [{"name": "formula 1", "ir_type": "formula", "metadata": {"line": 5, "display": true}, "variables": ["E", "m", "c"], "expression": "E = mc^2"}, {"name": "table 1", "ir_type": "table", "metadata": {"line": 7, "columns": ["Quantity", "Unit"], "alignments": ["none", "none"]}, "row_count": 2, "table_data": [{"Unit": "J", "Quantity": "E"}, {"Unit": "kg", "Quantity": "m"}], "column_count": 2}, {"name": "Section 2", "target": "2", "ir_type": "cross_reference", "location": "line 12", "metadata": {"line": 12}, "reference_type": "section"}], "document_id": "743dd56c-fc70-443d-9ef5-7654b5e0ebf8", "source_event_id": "a5ad197d-5e76-446f-aa23-aa06bf3c525b"}	{"actor": "semantic_analyzer", "causation_id": "a5ad197d-5e76-446f-aa23-aa06bf3c525b", "correlation_id": "45c78549-b59c-4291-bff4-af04166a14a2"}	2026-12-04 15:38:41.192219+00
18	cc5926b3-a1f3-5608-85e7-249d190afab3	semantic-ir-2d804643-883a-4904-bd1b-484751736572	1	SemanticIRExtracted	1	{"items": [{"name": "Deliverable", "term": "Deliverable", "context": "Statement of work", "ir_type": "definition", "metadata": {"form": "bold", "line": 3}, "definition": "a working system."}, {"name": "Section 1", "target": "1", "ir_type": "cross_reference", "location": "line 5", "metadata": {"line": 5}, "reference_type": "section"}], "document_id": "2d804643-883a-4904-bd1b-484751736572", "source_event_id": "737258c6-e3ca-4a6f-9713-7889042d6f4c"}	{"actor": "semantic_analyzer", "causation_id": "737258c6-e3ca-4a6f-9713-7889042d6f4c", "correlation_id": "de86a641-b70e-41e0-b168-4e2a9c985aa1"}	2026-12-04 15:38:41.784769+00
17	737258c6-e3ca-4a6f-9713-7889042d6f4c	document-2d804643-883a-4904-bd1b-484751736572	2	DocumentConverted	1	{"markdown": "# Statement of work\\n\\n**Deliverable**: a working system.\\n\\nSee Section 1.", "converter": "pandoc 3.1", "document_id": "2d804643-883a-4904-bd1b-484751736572"}	{"actor": "admin-cd6d1066", "correlation_id": "de86a641-b70e-41e0-b168-4e2a9c985aa1"}	2026-12-04 15:38:41.768225+00
19	7f4f2d1a-2b77-4fc6-ab16-3032551f0135	job-d009f01d-7e82-44a2-9dc1-14799ec49c81	2	JobCompleted	1	{"job_id": "d009f01d-7e82-44a2-9dc1-14799ec49c81", "result": {"pages": 2}}	{"actor": "admin-cd6d1066", "correlation_id": "4f3de427-fd91-4a99-8f85-e63040b5ce98"}	2026-12-04 15:38:41.9562+00
20	e292931f-c837-40f9-87d5-617203614154	job-254a27f2-5d38-49c0-b29c-c683dea63cb8	1	JobStarted	1	{"kind": "conversion", "input": {}, "job_id": "254a27f2-5d38-49c0-b29c-c683dea63cb8", "worker": "ocr-1", "project_id": null, "document_id": "b175e165-b847-4784-859b-765dc4e95b94"}	{"actor": "admin-cd6d1066", "correlation_id": "e67532b8-8d76-4f66-bc65-31c44b813d47"}	2026-12-04 15:38:42.224919+00
21	326da086-8646-4825-8331-3c98a6d9430a	document-b175e165-b847-4784-859b-765dc4e95b94	2	DocumentConversionFailed	1	{"message": "TIFF without text layer", "error_type": "UnsupportedFormat", "document_id": "b175e165-b847-4784-859b-765dc4e95b94"}	{"actor": "admin-cd6d1066", "correlation_id": "e66d0b92-603c-44e1-aa2e-7024d15ce88a"}	2026-12-04 15:38:42.390389+00
22	e5c5b7e9-5b77-44ef-af7a-091ca6f2f8a7	job-254a27f2-5d38-49c0-b29c-c683dea63cb8	2	JobFailed	1	{"job_id": "254a27f2-5d38-49c0-b29c-c683dea63cb8", "message": "TIFF without text layer", "error_type": "UnsupportedFormat"}	{"actor": "admin-cd6d1066", "correlation_id": "8503cbda-205e-4175-b93a-ef8c63b5733a"}	2026-12-04 15:38:42.571068+00
23	17428cb1-55c9-5e9b-a86b-8231e0350b00	job-39512977-d544-589d-99e9-d48d7819ee81	1	JobStarted	1	{"kind": "extraction", "input": {}, "job_id": "39512977-d544-589d-99e9-d48d7819ee81", "worker": "llm-1", "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "document_id": null}	{"actor": "admin-cd6d1066", "correlation_id": "ef04f31f-a1fd-4042-a278-2d21eee9b4d0"}	2026-12-04 15:38:42.817122+00
24	1b4abcaa-1b5e-43f2-a09c-ea80a05bbea4	project-43c7f427-b99f-4a7b-bff6-fce27f240d5c	2	ProjectExtractionsStarted	1	{"project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "extraction_id": "90b7b3f6-6be9-48fe-851e-f193d4769187"}	{"actor": "admin-cd6d1066", "correlation_id": "efc6bf86-dc83-413b-a4df-853d2c6675dc"}	2026-12-04 15:38:43.308405+00
25	4362faef-7447-578a-b5df-740869a1b35f	extraction-90b7b3f6-6be9-48fe-851e-f193d4769187	1	ExtractionRecorded	1	{"data": {"party": "Acme Ltd", "amount": 24000}, "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "document_id": "adabdac9-7c1e-5726-a299-9ec7eae1b004", "entity_type": "party", "extraction_id": "90b7b3f6-6be9-48fe-851e-f193d4769187", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "efc6bf86-dc83-413b-a4df-853d2c6675dc"}	2026-12-04 15:38:43.320663+00
26	0f07041c-b29c-52c6-9dcc-3c36081f73e4	extraction-37c43a9c-f9ce-4dd0-8b41-f8f3545ceedb	1	ExtractionRecorded	1	{"data": {"party": "Acme Ltd", "clause": "penalties"}, "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "document_id": "adabdac9-7c1e-5726-a299-9ec7eae1b004", "entity_type": "clause", "extraction_id": "37c43a9c-f9ce-4dd0-8b41-f8f3545ceedb", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "e24ca581-a442-4985-a02d-e8205ef133c3"}	2026-12-04 15:38:43.504203+00
27	b0e70f9e-241f-533d-8342-c9309b09fdeb	extraction-a06c1e27-220e-4e0a-bca7-94f3d1e5b8c7	1	ExtractionRecorded	1	{"data": {"party": "Globex"}, "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "document_id": "2d804643-883a-4904-bd1b-484751736572", "entity_type": "party", "extraction_id": "a06c1e27-220e-4e0a-bca7-94f3d1e5b8c7", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "858c5e78-4205-42a4-b8de-5a5ec06ac010"}	2026-12-04 15:38:43.676418+00
28	3c24b692-7395-4ee8-b993-7bf68fa6b36c	project-5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	3	ProjectExtractionsStarted	1	{"project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "extraction_id": "e5244f4d-72cc-4452-98dd-e88d8fc1f4c9"}	{"actor": "admin-cd6d1066", "correlation_id": "b36ae773-186a-4e15-a87e-d352a44428aa"}	2026-12-04 15:38:43.958159+00
29	51bcbb42-4d49-55cb-b8cd-eb75ce635e39	extraction-e5244f4d-72cc-4452-98dd-e88d8fc1f4c9	1	ExtractionRecorded	1	{"data": {"claim": "E = mc^2"}, "project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "document_id": "743dd56c-fc70-443d-9ef5-7654b5e0ebf8", "entity_type": "finding", "extraction_id": "e5244f4d-72cc-4452-98dd-e88d8fc1f4c9", "schema_revision": 1}	{"actor": "admin-cd6d1066", "correlation_id": "b36ae773-186a-4e15-a87e-d352a44428aa"}	2026-12-04 15:38:43.968226+00
30	7250f2b9-694d-431d-92d9-9adfac43a84d	job-39512977-d544-589d-99e9-d48d7819ee81	2	JobCompleted	1	{"job_id": "39512977-d544-589d-99e9-d48d7819ee81", "result": {"extractions": 3}}	{"actor": "admin-cd6d1066", "correlation_id": "d8fc4247-eabf-4b25-acf0-ef758e779f45"}	2026-12-04 15:38:44.08592+00
31	5577f927-e2ef-44b8-824e-39274252da1b	project-43c7f427-b99f-4a7b-bff6-fce27f240d5c	3	ProjectUpdated	1	{"forced": true, "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "entity_types": ["party", "clause", "term"], "schema_revision": 2}	{"actor": "admin-cd6d1066", "correlation_id": "9e9cb9b2-0f97-4524-9635-5a981c740edd"}	2026-12-04 15:38:44.356381+00
32	52af4210-181e-4cb7-84bd-fd6ba63f6037	job-a3126bee-5dfa-48e8-ba92-4f5764c2a8a8	1	JobStarted	1	{"kind": "embedding", "input": {}, "job_id": "a3126bee-5dfa-48e8-ba92-4f5764c2a8a8", "worker": "embedder-1", "project_id": "43c7f427-b99f-4a7b-bff6-fce27f240d5c", "document_id": "adabdac9-7c1e-5726-a299-9ec7eae1b004"}	{"actor": "admin-cd6d1066", "correlation_id": "4cf9b2fe-f513-46a3-b1ed-fb40bcd03c8b"}	2026-12-04 15:38:44.528206+00
33	c6e9ec47-1b4c-4ca5-bc74-ea7bd01c80ac	job-a3126bee-5dfa-48e8-ba92-4f5764c2a8a8	2	JobFailed	1	{"job_id": "a3126bee-5dfa-48e8-ba92-4f5764c2a8a8", "message": "the model did not answer in 30 s", "error_type": "ModelTimeout"}	{"actor": "admin-cd6d1066", "correlation_id": "ee9a3f0f-ff3b-49ba-b68c-98f7ff21bda0"}	2026-12-04 15:38:44.686126+00
34	4f2c3487-182d-47e6-a5c5-e6f93d9fdbe1	job-bf2b7a26-b056-4103-85bf-72376df92945	1	JobStarted	1	{"kind": "crawl", "input": {"seed": "https://example.com/papers"}, "job_id": "bf2b7a26-b056-4103-85bf-72376df92945", "worker": "admin-cd6d1066", "project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "document_id": null}	{"actor": "admin-cd6d1066", "correlation_id": "b29719a2-3867-4e9b-a1ba-c6cde1ab9e61"}	2026-12-04 15:38:44.933881+00
35	cc3ba5e9-d2d8-410b-af48-2065ab8730f5	job-bf2b7a26-b056-4103-85bf-72376df92945	2	JobCompleted	1	{"job_id": "bf2b7a26-b056-4103-85bf-72376df92945", "result": {"found": 1}}	{"actor": "admin-cd6d1066", "correlation_id": "06aeb001-398c-4a32-9b54-fdbeed99211c"}	2026-12-04 15:38:45.01414+00
36	dbc7a2c4-6207-4372-9049-6a44d2ef74f0	job-88a9a3c9-1714-4ae1-ad55-7b9878e6a1ac	1	JobStarted	1	{"kind": "embedding", "input": {}, "job_id": "88a9a3c9-1714-4ae1-ad55-7b9878e6a1ac", "worker": "admin-cd6d1066", "project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "document_id": "743dd56c-fc70-443d-9ef5-7654b5e0ebf8"}	{"actor": "admin-cd6d1066", "correlation_id": "18517ead-ecb6-4710-b53f-a8478503b791"}	2026-12-04 15:38:45.14023+00
37	33a0d248-a403-4f1d-a813-146e2c903b94	document-2d804643-883a-4904-bd1b-484751736572	3	DocumentDeleted	1	{"reason": "withdrawn", "document_id": "2d804643-883a-4904-bd1b-484751736572"}	{"actor": "admin-cd6d1066", "correlation_id": "ca05e5e7-0194-47f7-8674-5a1d409ec650"}	2026-12-04 15:38:45.304045+00
38	d992fea5-7170-43bd-be95-1e76f5d76206	document-4ec180f2-3cad-41ec-bd36-d58a8fb39028	1	DocumentUploaded	1	{"filename": "legacy.pdf", "project_id": "5c67a6a0-0fab-4bae-a3bc-5431b8a2a376", "size_bytes": 6, "document_id": "4ec180f2-3cad-41ec-bd36-d58a8fb39028", "content_hash": "sha256:c49fea7425fa7f8699897a97c159c6690267d9003bb78c53fafa8fc15c325d84", "content_type": "application/pdf"}	{"actor": "admin-cd6d1066", "correlation_id": "15043c04-cacc-4f68-b597-35a91cb99e1b"}	2026-12-04 15:38:45.599504+00
\.


--
-- Data for Name: extractions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.extractions (extraction_id, project_id, document_id, entity_type, data, valid, schema_revision, sequence, created_at) FROM stdin;
90b7b3f6-6be9-48fe-851e-f193d4769187	43c7f427-b99f-4a7b-bff6-fce27f240d5c	adabdac9-7c1e-5726-a299-9ec7eae1b004	party	{"party": "Acme Ltd", "amount": 24000}	t	1	25	2026-12-04 15:38:43.320663+00
37c43a9c-f9ce-4dd0-8b41-f8f3545ceedb	43c7f427-b99f-4a7b-bff6-fce27f240d5c	adabdac9-7c1e-5726-a299-9ec7eae1b004	clause	{"party": "Acme Ltd", "clause": "penalties"}	t	1	26	2026-12-04 15:38:43.504203+00
a06c1e27-220e-4e0a-bca7-94f3d1e5b8c7	43c7f427-b99f-4a7b-bff6-fce27f240d5c	2d804643-883a-4904-bd1b-484751736572	party	{"party": "Globex"}	t	1	27	2026-12-04 15:38:43.676418+00
e5244f4d-72cc-4452-98dd-e88d8fc1f4c9	5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	743dd56c-fc70-443d-9ef5-7654b5e0ebf8	finding	{"claim": "E = mc^2"}	t	1	29	2026-12-04 15:38:43.968226+00
\.


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.idempotency_keys (actor, idempotency_key, request_hash, status, response_body, response_etag, started_at, completed_at) FROM stdin;
admin-cd6d1066	extract-run-1	e88cabf9546d5b9acdfd7fcc0610956d7c5c8acc3753340548390edc4d4efd9b	201	{"events":[{"event_id":"17428cb1-55c9-5e9b-a86b-8231e0350b00","sequence":23,"stream_version":1}],"job_id":"39512977-d544-589d-99e9-d48d7819ee81","kind":"extraction","status":"running","version":1}	"1"	2026-12-04 15:38:42.813653+00	2026-12-04 15:38:42.820639+00
\.


--
-- Data for Name: jobs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.jobs (job_id, kind, status, document_id, project_id, worker, input, result, error_type, error, version, started_at, finished_at, updated_at) FROM stdin;
032e716f-f1cc-49e6-92c6-90f4fde1c738	conversion	completed	adabdac9-7c1e-5726-a299-9ec7eae1b004	\N	pandoc-1	{"format": "pdf"}	{"pages": 2}	\N	\N	2	2026-12-04 15:38:40.110211+00	2026-12-04 15:38:40.604624+00	2026-12-04 15:38:40.604624+00
f8964a9f-82b8-46e3-8653-3e861e7769e4	conversion	completed	743dd56c-fc70-443d-9ef5-7654b5e0ebf8	\N	pandoc-1	{"format": "pdf"}	{"pages": 2}	\N	\N	2	2026-12-04 15:38:40.957231+00	2026-12-04 15:38:41.285668+00	2026-12-04 15:38:41.285668+00
d009f01d-7e82-44a2-9dc1-14799ec49c81	conversion	completed	2d804643-883a-4904-bd1b-484751736572	\N	pandoc-1	{"format": "pdf"}	{"pages": 2}	\N	\N	2	2026-12-04 15:38:41.521792+00	2026-12-04 15:38:41.9562+00	2026-12-04 15:38:41.9562+00
254a27f2-5d38-49c0-b29c-c683dea63cb8	conversion	failed	b175e165-b847-4784-859b-765dc4e95b94	\N	ocr-1	{}	\N	UnsupportedFormat	UnsupportedFormat: TIFF without text layer	2	2026-12-04 15:38:42.224919+00	2026-12-04 15:38:42.571068+00	2026-12-04 15:38:42.571068+00
39512977-d544-589d-99e9-d48d7819ee81	extraction	completed	\N	43c7f427-b99f-4a7b-bff6-fce27f240d5c	llm-1	{}	{"extractions": 3}	\N	\N	2	2026-12-04 15:38:42.817122+00	2026-12-04 15:38:44.08592+00	2026-12-04 15:38:44.08592+00
a3126bee-5dfa-48e8-ba92-4f5764c2a8a8	embedding	failed	adabdac9-7c1e-5726-a299-9ec7eae1b004	43c7f427-b99f-4a7b-bff6-fce27f240d5c	embedder-1	{}	\N	ModelTimeout	ModelTimeout: the model did not answer in 30 s	2	2026-12-04 15:38:44.528206+00	2026-12-04 15:38:44.686126+00	2026-12-04 15:38:44.686126+00
bf2b7a26-b056-4103-85bf-72376df92945	crawl	completed	\N	5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	admin-cd6d1066	{"seed": "https://example.com/papers"}	{"found": 1}	\N	\N	2	2026-12-04 15:38:44.933881+00	2026-12-04 15:38:45.01414+00	2026-12-04 15:38:45.01414+00
88a9a3c9-1714-4ae1-ad55-7b9878e6a1ac	embedding	running	743dd56c-fc70-443d-9ef5-7654b5e0ebf8	5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	admin-cd6d1066	{}	\N	\N	\N	1	2026-12-04 15:38:45.14023+00	\N	2026-12-04 15:38:45.14023+00
\.


--
-- Data for Name: projection_checkpoints; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.projection_checkpoints (name, last_sequence, updated_at) FROM stdin;
stream_catalog	38	2026-12-04 15:38:45.609844+00
projects	38	2026-12-04 15:38:45.612281+00
jobs	38	2026-12-04 15:38:45.612551+00
semantic_analyzer	38	2026-12-04 15:38:45.623932+00
document_views	38	2026-12-04 15:38:45.625138+00
semantic_ir	38	2026-12-04 15:38:45.722604+00
extractions	38	2026-12-04 15:38:45.723649+00
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
5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	Research	papers and notes	{"type": "object"}	["finding"]	1	t	3	2026-12-04 15:38:38.046055+00	2026-12-04 15:38:43.958159+00
43c7f427-b99f-4a7b-bff6-fce27f240d5c	Contracts	supplier contracts	{"type": "object", "required": ["party"], "properties": {"party": {"type": "string"}, "amount": {"type": "number"}}}	["party", "clause", "term"]	2	t	3	2026-12-04 15:38:37.760284+00	2026-12-04 15:38:44.356381+00
\.


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.schema_migrations (version, name, checksum, applied_at) FROM stdin;
1	001_event_store.sql	195532cbe1148c46d905ff31acc5c2203bddf3673c89ca319680e2832f6c8033	2026-12-04 15:38:34.756356+00
2	002_projection_runtime.sql	56e4485d9b36db08be9c015b2facb92c7535d9854566c62f2367048048a4341a	2026-12-04 15:38:34.807108+00
3	003_stream_catalog.sql	9a9192bae8f6521fd7e8a95a113e0b5b22041736cedb521ef26ced12620d4292	2026-12-04 15:38:34.832709+00
4	004_domain_read_models.sql	703a369d681575f1cf460e23694ce90300616217cf7a0e647b8887b989a0045e	2026-12-04 15:38:34.848744+00
5	005_api_support.sql	d34051b7762ccd175f46bc94ea575e34e6360d7b908090be07ad7cc342ac6bd4	2026-12-04 15:38:35.009076+00
\.


--
-- Data for Name: semantic_ir; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.semantic_ir (document_id, ordinal, source_event_id, ir_type, name, expression, variables, definition, term, context, table_data, row_count, column_count, target, reference_type, location, metadata, created_at) FROM stdin;
adabdac9-7c1e-5726-a299-9ec7eae1b004	0	b1698802-26f4-48f8-8eef-828cb43fe63e	definition	Supplier	\N	\N	the party that delivers the services.	Supplier	Master services agreement	\N	\N	\N	\N	\N	\N	{"form": "phrase", "line": 3}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	1	b1698802-26f4-48f8-8eef-828cb43fe63e	definition	Fee	\N	\N	the amount due each month, see Section 4.	Fee	Master services agreement	\N	\N	\N	\N	\N	\N	{"form": "bold", "line": 5}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	2	b1698802-26f4-48f8-8eef-828cb43fe63e	cross_reference	Section 4	\N	\N	\N	\N	\N	\N	\N	\N	4	section	line 5	{"line": 5}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	3	b1698802-26f4-48f8-8eef-828cb43fe63e	formula	formula 1	T = F \\times m + P	["T", "F", "m", "P"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 9, "display": true}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	4	b1698802-26f4-48f8-8eef-828cb43fe63e	formula	formula 2	F	["F"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 11, "display": false}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	5	b1698802-26f4-48f8-8eef-828cb43fe63e	formula	formula 3	m	["m"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 11, "display": false}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	6	b1698802-26f4-48f8-8eef-828cb43fe63e	formula	formula 4	P	["P"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 11, "display": false}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	7	b1698802-26f4-48f8-8eef-828cb43fe63e	table	table 1	\N	\N	\N	\N	\N	[{"Item": "Support", "Months": "12", "Monthly fee": "1200"}, {"Item": "Hosting", "Months": "12", "Monthly fee": "800"}]	2	3	\N	\N	\N	{"line": 13, "columns": ["Item", "Monthly fee", "Months"], "alignments": ["none", "none", "none"]}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	8	b1698802-26f4-48f8-8eef-828cb43fe63e	cross_reference	Table 1	\N	\N	\N	\N	\N	\N	\N	\N	1	table	line 18	{"line": 18}	2026-12-04 15:38:40.381153+00
adabdac9-7c1e-5726-a299-9ec7eae1b004	9	b1698802-26f4-48f8-8eef-828cb43fe63e	cross_reference	Figure 2	\N	\N	\N	\N	\N	\N	\N	\N	2	figure	line 18	{"line": 18}	2026-12-04 15:38:40.381153+00
743dd56c-fc70-443d-9ef5-7654b5e0ebf8	0	a5ad197d-5e76-446f-aa23-aa06bf3c525b	formula	formula 1	E = mc^2	["E", "m", "c"]	\N	\N	\N	\N	\N	\N	\N	\N	\N	{"line": 5, "display": true}	2026-12-04 15:38:41.192219+00
743dd56c-fc70-443d-9ef5-7654b5e0ebf8	1	a5ad197d-5e76-446f-aa23-aa06bf3c525b	table	table 1	\N	\N	\N	\N	\N	[{"Unit": "J", "Quantity": "E"}, {"Unit": "kg", "Quantity": "m"}]	2	2	\N	\N	\N	{"line": 7, "columns": ["Quantity", "Unit"], "alignments": ["none", "none"]}	2026-12-04 15:38:41.192219+00
743dd56c-fc70-443d-9ef5-7654b5e0ebf8	2	a5ad197d-5e76-446f-aa23-aa06bf3c525b	cross_reference	Section 2	\N	\N	\N	\N	\N	\N	\N	\N	2	section	line 12	{"line": 12}	2026-12-04 15:38:41.192219+00
\.


--
-- Data for Name: semantic_ir_sources; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.semantic_ir_sources (document_id, source_event_id, item_count, extracted_at) FROM stdin;
adabdac9-7c1e-5726-a299-9ec7eae1b004	b1698802-26f4-48f8-8eef-828cb43fe63e	10	2026-12-04 15:38:40.381153+00
743dd56c-fc70-443d-9ef5-7654b5e0ebf8	a5ad197d-5e76-446f-aa23-aa06bf3c525b	3	2026-12-04 15:38:41.192219+00
\.


--
-- Data for Name: stream_catalog; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.stream_catalog (stream_id, version, first_sequence, last_sequence, last_event_type, created_at, updated_at) FROM stdin;
document-adabdac9-7c1e-5726-a299-9ec7eae1b004	2	4	9	DocumentConverted	2026-12-04 15:38:38.52421+00	2026-12-04 15:38:40.365813+00
semantic-ir-adabdac9-7c1e-5726-a299-9ec7eae1b004	1	10	10	SemanticIRExtracted	2026-12-04 15:38:40.381153+00	2026-12-04 15:38:40.381153+00
job-032e716f-f1cc-49e6-92c6-90f4fde1c738	2	8	11	JobCompleted	2026-12-04 15:38:40.110211+00	2026-12-04 15:38:40.604624+00
document-743dd56c-fc70-443d-9ef5-7654b5e0ebf8	2	7	13	DocumentConverted	2026-12-04 15:38:39.692193+00	2026-12-04 15:38:41.120255+00
semantic-ir-743dd56c-fc70-443d-9ef5-7654b5e0ebf8	1	14	14	SemanticIRExtracted	2026-12-04 15:38:41.192219+00	2026-12-04 15:38:41.192219+00
job-f8964a9f-82b8-46e3-8653-3e861e7769e4	2	12	15	JobCompleted	2026-12-04 15:38:40.957231+00	2026-12-04 15:38:41.285668+00
semantic-ir-2d804643-883a-4904-bd1b-484751736572	1	18	18	SemanticIRExtracted	2026-12-04 15:38:41.784769+00	2026-12-04 15:38:41.784769+00
job-d009f01d-7e82-44a2-9dc1-14799ec49c81	2	16	19	JobCompleted	2026-12-04 15:38:41.521792+00	2026-12-04 15:38:41.9562+00
document-b175e165-b847-4784-859b-765dc4e95b94	2	6	21	DocumentConversionFailed	2026-12-04 15:38:39.416401+00	2026-12-04 15:38:42.390389+00
job-254a27f2-5d38-49c0-b29c-c683dea63cb8	2	20	22	JobFailed	2026-12-04 15:38:42.224919+00	2026-12-04 15:38:42.571068+00
extraction-90b7b3f6-6be9-48fe-851e-f193d4769187	1	25	25	ExtractionRecorded	2026-12-04 15:38:43.320663+00	2026-12-04 15:38:43.320663+00
extraction-37c43a9c-f9ce-4dd0-8b41-f8f3545ceedb	1	26	26	ExtractionRecorded	2026-12-04 15:38:43.504203+00	2026-12-04 15:38:43.504203+00
extraction-a06c1e27-220e-4e0a-bca7-94f3d1e5b8c7	1	27	27	ExtractionRecorded	2026-12-04 15:38:43.676418+00	2026-12-04 15:38:43.676418+00
project-5c67a6a0-0fab-4bae-a3bc-5431b8a2a376	3	2	28	ProjectExtractionsStarted	2026-12-04 15:38:38.046055+00	2026-12-04 15:38:43.958159+00
extraction-e5244f4d-72cc-4452-98dd-e88d8fc1f4c9	1	29	29	ExtractionRecorded	2026-12-04 15:38:43.968226+00	2026-12-04 15:38:43.968226+00
job-39512977-d544-589d-99e9-d48d7819ee81	2	23	30	JobCompleted	2026-12-04 15:38:42.817122+00	2026-12-04 15:38:44.08592+00
project-43c7f427-b99f-4a7b-bff6-fce27f240d5c	3	1	31	ProjectUpdated	2026-12-04 15:38:37.760284+00	2026-12-04 15:38:44.356381+00
job-a3126bee-5dfa-48e8-ba92-4f5764c2a8a8	2	32	33	JobFailed	2026-12-04 15:38:44.528206+00	2026-12-04 15:38:44.686126+00
job-bf2b7a26-b056-4103-85bf-72376df92945	2	34	35	JobCompleted	2026-12-04 15:38:44.933881+00	2026-12-04 15:38:45.01414+00
job-88a9a3c9-1714-4ae1-ad55-7b9878e6a1ac	1	36	36	JobStarted	2026-12-04 15:38:45.14023+00	2026-12-04 15:38:45.14023+00
document-2d804643-883a-4904-bd1b-484751736572	3	5	37	DocumentDeleted	2026-12-04 15:38:39.141531+00	2026-12-04 15:38:45.304045+00
document-4ec180f2-3cad-41ec-bd36-d58a8fb39028	1	38	38	DocumentUploaded	2026-12-04 15:38:45.599504+00	2026-12-04 15:38:45.599504+00
\.


--
-- Name: events_sequence_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.events_sequence_seq', 38, true);


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


