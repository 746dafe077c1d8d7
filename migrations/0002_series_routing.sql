-- 0002: series completion/routing survives restarts and is claimed by one agent process only.
-- routed_at is set when the routing rules ran for the series (InstanceIndex.MarkSeriesRoutedAsync, a
-- compare-and-set); a new instance arriving afterwards clears it, so the grown series is evaluated again.
ALTER TABLE series ADD COLUMN routed_at timestamptz;
CREATE INDEX series_unrouted ON series (last_received_at) WHERE routed_at IS NULL;

CREATE FUNCTION series_unroute_on_new_instance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE series SET routed_at = NULL WHERE id = NEW.series_id AND routed_at IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER instances_unroute_series AFTER INSERT ON instances
    FOR EACH ROW EXECUTE FUNCTION series_unroute_on_new_instance();
