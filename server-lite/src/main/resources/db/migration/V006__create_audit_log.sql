-- The audit log: an append-only, hash-chained record of what happened to money and to the
-- webhook pipeline (docs/decisions/0013). Rows are only inserted, never updated or deleted.
--
-- seq counts rows from 1 without gaps. hash is the SHA-256 (lower-case hex) of a canonical
-- encoding of every other column, prev_hash included (audit.AuditChain documents the encoding);
-- prev_hash is the previous row's hash, 64 zeros for row 1. Changing, removing or reordering a
-- row therefore breaks the chain at that row or the next, which `audit verify` reports.
--
-- Appends are serialised by a row lock on the one row of audit_chain_head (SELECT ... FOR
-- UPDATE): it names the last row (seq, hash) and moves in the same transaction as each insert.
-- A row with a dedupe_key that exists is never written again (the UNIQUE constraint is the
-- backstop; the store returns the existing row instead).
--
-- No secret ever goes into a row: ids, amounts, statuses, reasons and event types only.

CREATE TABLE audit_log (
    seq         BIGINT                      PRIMARY KEY,
    occurred_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    type        VARCHAR(64)                 NOT NULL,
    actor       VARCHAR(128)                NOT NULL,
    reason      VARCHAR(500),
    subject     VARCHAR(255),
    cafe_id     VARCHAR(64),
    details     VARCHAR(8000)               NOT NULL,
    dedupe_key  VARCHAR(255),
    prev_hash   CHAR(64)                    NOT NULL,
    hash        CHAR(64)                    NOT NULL,
    CONSTRAINT uq_audit_log_dedupe_key UNIQUE (dedupe_key),
    CONSTRAINT ck_audit_log_seq CHECK (seq > 0)
);
CREATE INDEX ix_audit_log_type ON audit_log (type, seq);
CREATE INDEX ix_audit_log_subject ON audit_log (subject, seq);

-- The head of the chain: exactly one row, locked by every append.
CREATE TABLE audit_chain_head (
    id        INT      PRIMARY KEY,
    last_seq  BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL,
    CONSTRAINT ck_audit_chain_head_one_row CHECK (id = 1)
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
