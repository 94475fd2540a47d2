-- Payments towards orders (several per order: split payments) and refunds of them.
-- Money is BIGINT minor units in the currency of the row.

ALTER TABLE cafes ADD COLUMN cash_rounding INT DEFAULT 1 NOT NULL;
UPDATE cafes SET cash_rounding = 5 WHERE id = 'demo' AND currency = 'AUD';

CREATE TABLE payments (
    id                     UUID                     PRIMARY KEY,
    order_id               UUID                     NOT NULL REFERENCES orders (id),
    cafe_id                VARCHAR(64)              NOT NULL REFERENCES cafes (id),
    method                 VARCHAR(32)              NOT NULL,
    amount                 BIGINT                   NOT NULL,
    currency               CHAR(3)                  NOT NULL,
    status                 VARCHAR(24)              NOT NULL,
    refunded               BIGINT                   NOT NULL,
    gateway_transaction_id VARCHAR(128),
    redirect_url           VARCHAR(1000),
    idempotency_key        VARCHAR(255),
    error_message          VARCHAR(500),
    tendered               BIGINT,
    change_due             BIGINT,
    credit_account_id      VARCHAR(64),
    flag                   VARCHAR(32),
    confirmed_by           VARCHAR(64),
    confirm_reason         VARCHAR(200),
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_payments_idempotency UNIQUE (cafe_id, idempotency_key)
);
CREATE INDEX ix_payments_order ON payments (order_id);
CREATE INDEX ix_payments_transaction ON payments (gateway_transaction_id);
CREATE INDEX ix_payments_status ON payments (status, updated_at);

CREATE TABLE refunds (
    id                UUID                     PRIMARY KEY,
    payment_id        UUID                     NOT NULL REFERENCES payments (id),
    amount            BIGINT                   NOT NULL,
    currency          CHAR(3)                  NOT NULL,
    status            VARCHAR(16)              NOT NULL,
    reason            VARCHAR(200),
    actor             VARCHAR(64)              NOT NULL,
    gateway_refund_id VARCHAR(128),
    error_message     VARCHAR(500),
    idempotency_key   VARCHAR(255),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_refunds_idempotency UNIQUE (payment_id, idempotency_key)
);
CREATE INDEX ix_refunds_payment ON refunds (payment_id);
CREATE INDEX ix_refunds_gateway ON refunds (gateway_refund_id);
