-- docledger's set-wise append: one group-commit batch of 64 one-event requests.
SELECT count(*) FROM docledger_append(
  (SELECT array_agg(g) FROM generate_series(0, 63) g),
  (SELECT array_agg('b-' || md5(random()::text)) FROM generate_series(0, 63) g),
  (SELECT array_agg(-1::bigint) FROM generate_series(0, 63) g),
  (SELECT array_agg(gen_random_uuid()) FROM generate_series(0, 63) g),
  (SELECT array_agg('DocumentUploaded'::text) FROM generate_series(0, 63) g),
  (SELECT array_agg(1) FROM generate_series(0, 63) g),
  (SELECT array_agg('{"filename":"report-123.pdf","content_type":"application/pdf","size":123456}'::jsonb) FROM generate_series(0, 63) g),
  (SELECT array_agg('{"actor":"bench"}'::jsonb) FROM generate_series(0, 63) g));
