-- One plain single-row INSERT into a copy of events without docledger's triggers.
INSERT INTO bench_plain (event_id, stream_id, stream_version, event_type, payload, metadata)
VALUES (gen_random_uuid(), 's-' || :client_id || '-' || random(), 1, 'DocumentUploaded',
        '{"filename":"report-123.pdf","content_type":"application/pdf","sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":123456,"source_url":"https://example.org/a/b/c.pdf","project_id":"p-1","pages":12}',
        '{"actor":"bench"}');
