-- 0006: the outbox also forwards received instances (a rule's `forward: [DEST...]`), not only outputs.
-- A delivery references exactly one of an output or an instance; an instance goes to a destination once
-- (UNIQUE (instance_id, destination), like outputs), so a forward job run again queues only what is new.
-- job_id: the forward-series job that queued an instance delivery (null for outputs: their job is outputs.job_id).
ALTER TABLE deliveries ALTER COLUMN output_id DROP NOT NULL;
ALTER TABLE deliveries ADD COLUMN instance_id bigint REFERENCES instances (id);
ALTER TABLE deliveries ADD COLUMN job_id bigint REFERENCES jobs (id);
ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_object CHECK ((output_id IS NULL) <> (instance_id IS NULL));
ALTER TABLE deliveries ADD CONSTRAINT deliveries_instance_destination UNIQUE (instance_id, destination);
CREATE INDEX deliveries_job_id ON deliveries (job_id) WHERE job_id IS NOT NULL;

-- "Which received instances went where, when, with what status?" One row per (instance, destination).
--   SELECT * FROM forward_provenance WHERE series_instance_uid = '1.2.3' ORDER BY instance_number, destination;
CREATE VIEW forward_provenance AS
SELECT st.study_instance_uid,
       s.series_instance_uid,
       i.sop_instance_uid,
       i.instance_number,
       d.destination,
       d.state                    AS delivery_state,
       d.attempts                 AS delivery_attempts,
       d.last_dimse_status        AS delivery_dimse_status,
       d.last_error               AS delivery_last_error,
       CASE WHEN d.state = 'succeeded' THEN d.finished_at END AS delivered_at,
       d.created_at               AS queued_at,
       d.id                       AS delivery_id,
       d.job_id,
       (SELECT r.rule_name FROM rule_decisions r WHERE r.job_id = d.job_id ORDER BY r.id LIMIT 1) AS rule_name
FROM deliveries d
JOIN instances i  ON i.id = d.instance_id
JOIN series s     ON s.id = i.series_id
JOIN studies st   ON st.id = s.study_id;

-- A forwarded series queues hundreds of deliveries in one transaction (and a failed batch requeues them in one
-- statement): notify once per transaction, not once per row, so idle senders wake once instead of once per instance.
-- PostgreSQL folds identical notifications (same channel and payload) of one transaction into one.
CREATE FUNCTION notify_work_queued_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '');
    RETURN NULL;
END $$;
DROP TRIGGER deliveries_notify ON deliveries;
CREATE TRIGGER deliveries_notify AFTER INSERT OR UPDATE OF state ON deliveries
    FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE FUNCTION notify_work_queued_once('agent_deliveries');
