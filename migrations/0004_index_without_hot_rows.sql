-- 0004: indexing an instance no longer updates its study and series rows (measured: with those per-instance
-- updates, concurrent receivers of one series serialised on the series row lock, commit by commit).
-- A series' instance count and last arrival are now derived from instances (indexed below);
-- study/series attributes are only filled in where still null (an UPDATE that usually matches no row).
ALTER TABLE series DROP COLUMN instance_count;
ALTER TABLE series DROP COLUMN last_received_at;   -- also drops series_last_received_at and series_unrouted
ALTER TABLE studies DROP COLUMN last_received_at;
CREATE INDEX instances_series_received ON instances (series_id, received_at);
CREATE INDEX series_unrouted ON series (id) WHERE routed_at IS NULL;
