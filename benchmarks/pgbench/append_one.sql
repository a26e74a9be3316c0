-- docledger's single-request append: one event to a new stream.
SELECT * FROM docledger_append_one('s-' || :client_id || '-' || random(), -1, ARRAY[gen_random_uuid()],
    ARRAY['DocumentUploaded'], ARRAY[1],
    ARRAY['{"filename":"report-123.pdf","content_type":"application/pdf","sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":123456,"source_url":"https://example.org/a/b/c.pdf","project_id":"p-1","pages":12}']::jsonb[],
    ARRAY['{"actor":"bench"}']::jsonb[]);
