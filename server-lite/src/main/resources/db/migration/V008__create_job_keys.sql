-- Deduplication keys that outlive their jobs (JobSpec.rememberKey): a provider may deliver the
-- same webhook again days after its job was removed by retention.
CREATE TABLE job_keys (
    queue      VARCHAR(64)              NOT NULL,
    job_key    VARCHAR(255)             NOT NULL,
    job_id     UUID                     NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (queue, job_key)
);
