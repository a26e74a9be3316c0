-- 007_semantic_ir_indexes: two indexes of semantic_ir that no query uses, dropped (issue 17).
--
-- A converted document yields ~230 semantic_ir rows, and every index adds an entry per row
-- to each projector batch and to each replay. semantic_ir_document_idx (document_id)
-- repeats the leading column of the primary key (document_id, ordinal): reads of a
-- document's items and the cascade from document_views use the primary key.
-- semantic_ir_type_idx (ir_type) holds four values and every read filters by document
-- first. Left: the primary key, semantic_ir_id_idx (the stable item id) and
-- semantic_ir_name_idx. An operator who needs either index back creates it by hand.
DROP INDEX IF EXISTS semantic_ir_document_idx;
DROP INDEX IF EXISTS semantic_ir_type_idx;
