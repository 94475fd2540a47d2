-- Payment by bank transfer with a QR code (payment.qrbank): each cafe's bank details, one row
-- per payment under its reference, every bank notification (recorded once per event id), money
-- that matched nothing, and refunds that staff pay out by hand. Money is BIGINT minor units.
-- No foreign key to payments or orders: a transfer is created by the payment gateway and may be
-- written before (or without) the payments table of the same release.

CREATE TABLE cafe_bank_settings (
    cafe_id        VARCHAR(64)              PRIMARY KEY REFERENCES cafes (id),
    account_name   VARCHAR(70)              NOT NULL,
    bsb            CHAR(6),
    account_number VARCHAR(10),
    iban           VARCHAR(34),
    bic            VARCHAR(11),
    qr_format      VARCHAR(16)              NOT NULL,
    expiry_minutes INT                      DEFAULT 15 NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ck_bank_settings_format CHECK (qr_format IN ('tabletap-json', 'epc')),
    CONSTRAINT ck_bank_settings_expiry CHECK (expiry_minutes BETWEEN 1 AND 1440),
    CONSTRAINT ck_bank_settings_account CHECK (
        (bsb IS NOT NULL AND account_number IS NOT NULL AND iban IS NULL AND bic IS NULL)
        OR (bsb IS NULL AND account_number IS NULL AND iban IS NOT NULL AND bic IS NOT NULL))
);

-- The reference is the primary key: the unique index that makes a drawn reference unique (the
-- gateway draws again when an insert collides). The bank details are a snapshot of the cafe's
-- settings when the transfer was made, so what the customer was shown never changes.
CREATE TABLE bank_transfers (
    reference       VARCHAR(12)              PRIMARY KEY,
    payment_id      UUID                     NOT NULL,
    order_id        UUID                     NOT NULL,
    order_number    INT                      NOT NULL,
    cafe_id         VARCHAR(64)              NOT NULL REFERENCES cafes (id),
    idempotency_key VARCHAR(255)             NOT NULL,
    amount          BIGINT                   NOT NULL,
    currency        CHAR(3)                  NOT NULL,
    received        BIGINT                   DEFAULT 0 NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    flags           VARCHAR(64),
    description     VARCHAR(140)             NOT NULL,
    account_name    VARCHAR(70)              NOT NULL,
    bsb             CHAR(6),
    account_number  VARCHAR(10),
    iban            VARCHAR(34),
    bic             VARCHAR(11),
    qr_format       VARCHAR(16)              NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    paid_at         TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_bank_transfers_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT uq_bank_transfers_payment UNIQUE (payment_id),
    CONSTRAINT ck_bank_transfers_status CHECK (status IN ('PENDING', 'PAID')),
    CONSTRAINT ck_bank_transfers_amounts CHECK (amount > 0 AND received >= 0)
);
CREATE INDEX ix_bank_transfers_cafe_status ON bank_transfers (cafe_id, status, expires_at);

-- Every transfer.received notification, matched or not. The event id is the primary key, so an
-- event is counted once; the result columns let a repeated delivery return the first result.
CREATE TABLE bank_transfer_receipts (
    event_id         VARCHAR(128)             PRIMARY KEY,
    raw_reference    VARCHAR(140)             NOT NULL,
    reference        VARCHAR(12)              REFERENCES bank_transfers (reference),
    amount           BIGINT                   NOT NULL,
    currency         CHAR(3)                  NOT NULL,
    payer_name       VARCHAR(140),
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome          VARCHAR(16)              NOT NULL,
    payment_id       UUID,
    order_id         UUID,
    cafe_id          VARCHAR(64),
    total_received   BIGINT                   NOT NULL,
    amount_due       BIGINT,
    flags            VARCHAR(64),
    unmatched_reason VARCHAR(32),
    CONSTRAINT ck_bank_transfer_receipts_outcome CHECK (outcome IN ('MATCHED', 'PARTIAL', 'UNMATCHED'))
);
CREATE INDEX ix_bank_transfer_receipts_reference ON bank_transfer_receipts (reference);

-- Money that arrived under a reference no transfer has (or in the wrong currency): for staff.
CREATE TABLE unmatched_bank_transfers (
    event_id      VARCHAR(128)             PRIMARY KEY REFERENCES bank_transfer_receipts (event_id),
    raw_reference VARCHAR(140)             NOT NULL,
    amount        BIGINT                   NOT NULL,
    currency      CHAR(3)                  NOT NULL,
    payer_name    VARCHAR(140),
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    reason        VARCHAR(32)              NOT NULL,
    recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at   TIMESTAMP WITH TIME ZONE,
    resolved_by   VARCHAR(64),
    note          VARCHAR(200)
);

-- Refunds of bank transfers: paid out by staff by hand (docs/decisions/0007).
CREATE TABLE bank_transfer_refunds (
    id              UUID                     PRIMARY KEY,
    reference       VARCHAR(12)              NOT NULL REFERENCES bank_transfers (reference),
    idempotency_key VARCHAR(255)             NOT NULL,
    amount          BIGINT                   NOT NULL,
    currency        CHAR(3)                  NOT NULL,
    payer_name      VARCHAR(140),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_bank_transfer_refunds_key UNIQUE (idempotency_key),
    CONSTRAINT ck_bank_transfer_refunds_amount CHECK (amount > 0)
);
CREATE INDEX ix_bank_transfer_refunds_reference ON bank_transfer_refunds (reference);
