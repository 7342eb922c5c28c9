-- The part-number prefix search pages in key order: an index in byte order
-- serves both `pn_key COLLATE "C" LIKE 'KEY%'` and `ORDER BY pn_key COLLATE "C"`,
-- whatever the database's collation (the pattern-ops index served only the match).
DROP INDEX parts_pn_key_prefix;
CREATE INDEX parts_pn_key_c ON parts (pn_key COLLATE "C");
