-- 0003: when the current attempt's lease was handed out (for attempt timings and delivery_attempts rows).
ALTER TABLE jobs ADD COLUMN attempt_started_at timestamptz;
ALTER TABLE deliveries ADD COLUMN attempt_started_at timestamptz;
