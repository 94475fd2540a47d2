-- Customer credit: accounts and their append-only ledger. Money is BIGINT minor units.
--
-- The ledger is the truth: an account's balance is the sum of its entries. The account row keeps
-- that sum (balance) and the number of entries (version) as a cache that every writer updates in
-- the same transaction as the entry it appends, while holding the row lock (SELECT ... FOR
-- UPDATE); that lock is what makes concurrent debits safe. Ledger rows are never updated or
-- deleted.

CREATE TABLE credit_accounts (
    id              UUID                     PRIMARY KEY,
    cafe_id         VARCHAR(64)              NOT NULL REFERENCES cafes (id),
    name            VARCHAR(80)              NOT NULL,
    phone           VARCHAR(32),
    email           VARCHAR(254),
    overdraft_limit BIGINT                   DEFAULT 0 NOT NULL,
    currency        CHAR(3)                  NOT NULL,
    balance         BIGINT                   DEFAULT 0 NOT NULL,
    version         BIGINT                   DEFAULT 0 NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ck_credit_accounts_limit CHECK (overdraft_limit >= 0),
    -- a backstop: the ledger's rules refuse such an entry long before this fires
    CONSTRAINT ck_credit_accounts_balance CHECK (balance >= -overdraft_limit)
);
CREATE INDEX ix_credit_accounts_cafe ON credit_accounts (cafe_id, created_at);

CREATE TABLE credit_ledger (
    id            UUID                     PRIMARY KEY,
    account_id    UUID                     NOT NULL REFERENCES credit_accounts (id),
    seq           BIGINT                   NOT NULL,
    kind          VARCHAR(16)              NOT NULL,
    amount        BIGINT                   NOT NULL,
    balance_after BIGINT                   NOT NULL,
    actor         VARCHAR(64)              NOT NULL,
    reason        VARCHAR(200)             NOT NULL,
    payment_id    UUID,
    reference     VARCHAR(255),
    refund_of     UUID                     REFERENCES credit_ledger (id),
    idem_key      VARCHAR(255),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_credit_ledger_seq UNIQUE (account_id, seq),
    CONSTRAINT uq_credit_ledger_idem_key UNIQUE (account_id, idem_key),
    CONSTRAINT ck_credit_ledger_kind CHECK (
        (kind = 'TOPUP' AND amount > 0)
        OR (kind = 'DEBIT' AND amount < 0)
        OR (kind = 'REFUND' AND amount > 0 AND refund_of IS NOT NULL)
        OR (kind = 'ADJUSTMENT' AND amount <> 0))
);
CREATE INDEX ix_credit_ledger_refund_of ON credit_ledger (refund_of);
