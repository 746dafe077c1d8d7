-- 0005: scheduled and on-demand re-analysis (Agent:Reanalysis). A run is one 'reanalyze' job (same id): it queries
-- a PACS with C-FIND, retrieves each matching series with C-MOVE into our SCP and queues a 'segment' job pinned to
-- one model version, whose outputs supersede the series' earlier ones.

CREATE TABLE reanalysis_runs (
    id                    bigint      PRIMARY KEY REFERENCES jobs (id),    -- the run's 'reanalyze' job
    schedule              text,                                            -- Agent:Reanalysis:Schedules name; null on demand
    occurrence            timestamptz,                                     -- the cron occurrence that fired it
    source                text        NOT NULL,                            -- Agent:Reanalysis:Sources name
    query                 jsonb       NOT NULL DEFAULT '{}'::jsonb,        -- keyword -> value, dates resolved
    model                 text        NOT NULL,                            -- NAME@VERSION
    send_to               text[]      NOT NULL DEFAULT '{}',
    max_series            integer,
    state                 text        NOT NULL DEFAULT 'queued'
                          CHECK (state IN ('queued', 'querying', 'retrieving', 'done', 'failed')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    started_at            timestamptz,
    finished_at           timestamptz,                                     -- 'done': every series skipped, failed or queued
    error                 text
);
CREATE INDEX reanalysis_runs_schedule ON reanalysis_runs (schedule, created_at);

-- One row per series the run's C-FIND found; its segment job (job_id) says when the pipeline ended.
CREATE TABLE reanalysis_series (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id                bigint      NOT NULL REFERENCES reanalysis_runs (id),
    study_instance_uid    text        NOT NULL,
    series_instance_uid   text        NOT NULL,
    modality              text,
    series_description    text,
    expected_instances    integer,                                         -- NumberOfSeriesRelatedInstances, if answered
    state                 text        NOT NULL DEFAULT 'found'
                          CHECK (state IN ('found', 'skipped', 'retrieving', 'retrieved', 'queued', 'failed')),
    reason                text,                                            -- why skipped / failed / what was queued
    retrieved_instances   integer,                                         -- C-MOVE completed sub-operations
    series_id             bigint      REFERENCES series (id),
    job_id                bigint      REFERENCES jobs (id),                -- the 'segment' job
    -- The normal routing rules leave alone a series whose instances arrived between claimed_at and released_at
    -- (the C-MOVE of this run): SeriesRouter asks ReanalysisClaims.
    claimed_at            timestamptz,
    released_at           timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, series_instance_uid)
);
CREATE INDEX reanalysis_series_claims ON reanalysis_series (series_instance_uid) WHERE claimed_at IS NOT NULL;

-- Progress of each run: counts by state plus the outcome of the segment jobs it queued.
--   SELECT * FROM reanalysis_progress ORDER BY run_id DESC LIMIT 5;
CREATE VIEW reanalysis_progress AS
SELECT r.id                                                               AS run_id,
       r.schedule,
       r.source,
       r.model,
       r.state                                                            AS run_state,
       j.state                                                            AS job_state,
       r.created_at,
       r.started_at,
       r.finished_at,
       r.error,
       count(s.id)::int                                                   AS found,
       count(s.id) FILTER (WHERE s.state = 'skipped')::int                AS skipped,
       count(s.id) FILTER (WHERE s.state IN ('retrieved', 'queued'))::int AS retrieved,
       count(s.id) FILTER (WHERE s.state = 'queued')::int                 AS queued,
       count(s.id) FILTER (WHERE s.state = 'failed'
                           OR sj.state IN ('failed', 'cancelled'))::int   AS failed,
       count(s.id) FILTER (WHERE sj.state = 'succeeded')::int             AS segmented,
       count(s.id) FILTER (WHERE sj.state IN ('queued', 'running'))::int  AS segmenting,
       max(sj.finished_at)                                                AS last_segment_finished_at
FROM reanalysis_runs r
JOIN jobs j                    ON j.id = r.id
LEFT JOIN reanalysis_series s  ON s.run_id = r.id
LEFT JOIN jobs sj              ON sj.id = s.job_id
GROUP BY r.id, j.state;
