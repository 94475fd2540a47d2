-- One row per start of the server. A run that never recorded its stop ended in a crash; the run
-- after it numbers its room events in a new band, so a number a screen saw from a commit the crash
-- took back is never given to another event (docs/decisions/0032).
CREATE TABLE server_runs (
    id         BIGINT                   PRIMARY KEY,
    band       BIGINT                   NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    stopped_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ck_server_runs_band CHECK (band >= 0)
);
