-- 0001: provenance schema and work queues of the agent.
-- Conventions: ids are bigint identities; timestamps are timestamptz (UTC); UIDs are text (DICOM UI, <= 64 chars);
-- states are text with CHECK constraints (readable in psql, easy to extend in a later migration).

-- One row per DICOM association (who called, from where, what came in).
CREATE TABLE associations (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    calling_ae          text        NOT NULL,
    called_ae           text        NOT NULL,
    remote_address      text        NOT NULL,
    remote_port         integer,
    tls                 boolean     NOT NULL DEFAULT false,
    node                text,                       -- which agent process (host name / instance id) accepted it
    started_at          timestamptz NOT NULL DEFAULT now(),
    ended_at            timestamptz,
    end_reason          text,                       -- released / aborted / rejected / error: ...
    instances_received  integer     NOT NULL DEFAULT 0,
    instances_failed    integer     NOT NULL DEFAULT 0,
    bytes_received      bigint      NOT NULL DEFAULT 0
);
CREATE INDEX associations_started_at ON associations (started_at);

CREATE TABLE studies (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    study_instance_uid    text        NOT NULL UNIQUE,
    patient_id            text,
    patient_name          text,
    patient_birth_date    date,
    patient_sex           text,
    accession_number      text,
    study_id              text,
    study_date            date,
    study_time            text,
    study_description     text,
    first_received_at     timestamptz NOT NULL DEFAULT now(),
    last_received_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX studies_patient_id ON studies (patient_id);
CREATE INDEX studies_accession_number ON studies (accession_number);

CREATE TABLE series (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_instance_uid    text        NOT NULL UNIQUE,
    study_id               bigint      NOT NULL REFERENCES studies (id),
    modality               text,
    body_part_examined     text,
    series_description     text,
    series_number          integer,
    protocol_name          text,
    manufacturer           text,
    frame_of_reference_uid text,
    instance_count         integer     NOT NULL DEFAULT 0,
    first_received_at      timestamptz NOT NULL DEFAULT now(),
    last_received_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_study_id ON series (study_id);
-- Series-completion detection scans "quiet" series by their last arrival.
CREATE INDEX series_last_received_at ON series (last_received_at);

-- One row per stored SOP instance. Duplicate policy (see InstanceIndex): same SOP Instance UID with the same
-- sha256 is an idempotent success; different content keeps the first row (or overwrites, per option) and is
-- recorded in instance_duplicates.
CREATE TABLE instances (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sop_instance_uid      text        NOT NULL UNIQUE,
    sop_class_uid         text        NOT NULL,
    series_id             bigint      NOT NULL REFERENCES series (id),
    instance_number       integer,
    transfer_syntax_uid   text        NOT NULL,
    file_path             text        NOT NULL,
    file_size             bigint      NOT NULL,
    sha256                text        NOT NULL,      -- lower-case hex of the stored file
    attributes            jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- selected attributes for rules (keyword -> value)
    association_id        bigint      REFERENCES associations (id),
    received_at           timestamptz NOT NULL DEFAULT now(),
    duplicate_count       integer     NOT NULL DEFAULT 0,
    last_duplicate_at     timestamptz
);
CREATE INDEX instances_series_id ON instances (series_id);
CREATE INDEX instances_association_id ON instances (association_id);

CREATE TABLE instance_duplicates (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id           bigint      NOT NULL REFERENCES instances (id),
    association_id        bigint      REFERENCES associations (id),
    sha256                text        NOT NULL,
    file_size             bigint      NOT NULL,
    outcome               text        NOT NULL CHECK (outcome IN ('identical', 'conflict_kept_first', 'conflict_overwritten')),
    received_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instance_duplicates_instance_id ON instance_duplicates (instance_id);

-- Models that produced outputs: the same name+version must always mean the same weights.
CREATE TABLE models (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                  text        NOT NULL,
    version               text        NOT NULL,
    weights_sha256        text        NOT NULL,
    description           text,
    registered_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);

-- Work queue: segmentation (and other) jobs. Leased with FOR UPDATE SKIP LOCKED, see JobQueue.
CREATE TABLE jobs (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                  text        NOT NULL,                       -- e.g. 'segment'
    idempotency_key       text        NOT NULL UNIQUE,                -- same key -> same job (no accidental double enqueue)
    state                 text        NOT NULL DEFAULT 'queued'
                          CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    priority              integer     NOT NULL DEFAULT 0,             -- higher runs first
    payload               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    study_id              bigint      REFERENCES studies (id),
    series_id             bigint      REFERENCES series (id),
    pipeline              text,
    model_id              bigint      REFERENCES models (id),
    attempts              integer     NOT NULL DEFAULT 0,             -- leases handed out so far
    max_attempts          integer     NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    created_at            timestamptz NOT NULL DEFAULT now(),
    next_attempt_at       timestamptz NOT NULL DEFAULT now(),
    started_at            timestamptz,                                -- first lease
    finished_at           timestamptz,
    lease_owner           text,                                       -- worker name, for people
    lease_token           uuid,                                       -- fencing token: only its holder may finish the job
    lease_expires_at      timestamptz,
    last_error            text,
    timings               jsonb       NOT NULL DEFAULT '{}'::jsonb,   -- step name -> milliseconds
    device                text,
    software_version      text,
    result                jsonb,
    CHECK ((state = 'running') = (lease_token IS NOT NULL))
);
CREATE INDEX jobs_ready ON jobs (priority DESC, next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_series_id ON jobs (series_id);
CREATE INDEX jobs_study_id ON jobs (study_id);

-- Why a series did (or did not) get a pipeline.
CREATE TABLE rule_decisions (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id             bigint      REFERENCES series (id),
    study_id              bigint      REFERENCES studies (id),
    rule_name             text,
    matched               boolean     NOT NULL,
    pipeline              text,
    reason                text,
    dry_run               boolean     NOT NULL DEFAULT false,
    job_id                bigint      REFERENCES jobs (id),
    decided_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rule_decisions_series_id ON rule_decisions (series_id);

-- DICOM objects the agent produced (SEG, SR, KO...).
CREATE TABLE outputs (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id                bigint      REFERENCES jobs (id),
    kind                  text        NOT NULL,                       -- 'SEG', 'SR', ...
    sop_class_uid         text        NOT NULL,
    sop_instance_uid      text        NOT NULL UNIQUE,
    series_instance_uid   text        NOT NULL,
    study_instance_uid    text        NOT NULL,
    source_series_id      bigint      REFERENCES series (id),         -- derived from
    model_id              bigint      REFERENCES models (id),
    supersedes_output_id  bigint      REFERENCES outputs (id),        -- re-run with a newer model
    file_path             text,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outputs_study_instance_uid ON outputs (study_instance_uid);
CREATE INDEX outputs_job_id ON outputs (job_id);

-- Outbox of C-STOREs to destinations; same leasing scheme as jobs.
CREATE TABLE deliveries (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    output_id             bigint      NOT NULL REFERENCES outputs (id),
    destination           text        NOT NULL,                       -- configured destination name
    state                 text        NOT NULL DEFAULT 'queued'
                          CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    priority              integer     NOT NULL DEFAULT 0,
    attempts              integer     NOT NULL DEFAULT 0,
    max_attempts          integer     NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
    created_at            timestamptz NOT NULL DEFAULT now(),
    next_attempt_at       timestamptz NOT NULL DEFAULT now(),
    started_at            timestamptz,
    finished_at           timestamptz,
    lease_owner           text,
    lease_token           uuid,
    lease_expires_at      timestamptz,
    last_error            text,
    last_dimse_status     integer,
    UNIQUE (output_id, destination),
    CHECK ((state = 'running') = (lease_token IS NOT NULL))
);
CREATE INDEX deliveries_ready ON deliveries (priority DESC, next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX deliveries_leases ON deliveries (lease_expires_at) WHERE state = 'running';

CREATE TABLE delivery_attempts (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id           bigint      NOT NULL REFERENCES deliveries (id),
    attempt               integer     NOT NULL,
    lease_owner           text,
    started_at            timestamptz NOT NULL,
    finished_at           timestamptz NOT NULL DEFAULT now(),
    succeeded             boolean     NOT NULL,
    dimse_status          integer,
    error                 text
);
CREATE INDEX delivery_attempts_delivery_id ON delivery_attempts (delivery_id);

-- Wake idle workers when work becomes ready (LISTEN agent_jobs / agent_deliveries); they also poll slowly.
CREATE FUNCTION notify_work_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE OF state ON jobs
    FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE FUNCTION notify_work_queued('agent_jobs');
CREATE TRIGGER deliveries_notify AFTER INSERT OR UPDATE OF state ON deliveries
    FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE FUNCTION notify_work_queued('agent_deliveries');

-- "For this study, which model version produced which output, and where was it sent?"
-- One row per (output, destination); outputs not (yet) delivered appear once with null delivery columns.
--   SELECT * FROM study_provenance WHERE study_instance_uid = '1.2.3' ORDER BY output_created_at;
CREATE VIEW study_provenance AS
SELECT o.study_instance_uid,
       src.series_instance_uid    AS source_series_instance_uid,
       src.modality               AS source_modality,
       j.id                       AS job_id,
       j.pipeline,
       j.state                    AS job_state,
       j.device,
       j.software_version,
       m.name                     AS model_name,
       m.version                  AS model_version,
       m.weights_sha256           AS model_weights_sha256,
       o.id                       AS output_id,
       o.kind                     AS output_kind,
       o.sop_instance_uid         AS output_sop_instance_uid,
       o.series_instance_uid      AS output_series_instance_uid,
       o.supersedes_output_id,
       o.created_at               AS output_created_at,
       d.destination,
       d.state                    AS delivery_state,
       d.attempts                 AS delivery_attempts,
       d.last_dimse_status        AS delivery_dimse_status,
       d.last_error               AS delivery_last_error,
       d.finished_at              AS delivered_at
FROM outputs o
LEFT JOIN jobs j        ON j.id = o.job_id
LEFT JOIN models m      ON m.id = COALESCE(o.model_id, j.model_id)
LEFT JOIN series src    ON src.id = o.source_series_id
LEFT JOIN deliveries d  ON d.output_id = o.id;
