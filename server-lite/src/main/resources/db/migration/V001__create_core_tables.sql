-- Core tables of server-lite: cafes, menus, orders, devices. Money is BIGINT minor units.

CREATE TABLE cafes (
    id                 VARCHAR(64)  PRIMARY KEY,
    name               VARCHAR(120) NOT NULL,
    currency           CHAR(3)      NOT NULL,
    tax_mode           VARCHAR(16)  NOT NULL,
    tax_rate_bp        INT          NOT NULL,
    zone_id            VARCHAR(64)  NOT NULL,
    business_day_start TIME         NOT NULL
);

CREATE TABLE menu_categories (
    cafe_id  VARCHAR(64)  NOT NULL REFERENCES cafes (id),
    id       VARCHAR(64)  NOT NULL,
    name     VARCHAR(120) NOT NULL,
    position INT          NOT NULL,
    PRIMARY KEY (cafe_id, id)
);

CREATE TABLE modifier_groups (
    cafe_id     VARCHAR(64)  NOT NULL REFERENCES cafes (id),
    id          VARCHAR(64)  NOT NULL,
    name        VARCHAR(120) NOT NULL,
    min_choices INT          NOT NULL,
    max_choices INT          NOT NULL,
    position    INT          NOT NULL,
    PRIMARY KEY (cafe_id, id)
);

CREATE TABLE modifier_options (
    cafe_id     VARCHAR(64)  NOT NULL,
    group_id    VARCHAR(64)  NOT NULL,
    id          VARCHAR(64)  NOT NULL,
    name        VARCHAR(120) NOT NULL,
    price_delta BIGINT       NOT NULL,
    available   BOOLEAN      NOT NULL,
    position    INT          NOT NULL,
    PRIMARY KEY (cafe_id, id),
    FOREIGN KEY (cafe_id, group_id) REFERENCES modifier_groups (cafe_id, id)
);

CREATE TABLE menu_items (
    cafe_id     VARCHAR(64)  NOT NULL,
    id          VARCHAR(64)  NOT NULL,
    category_id VARCHAR(64)  NOT NULL,
    name        VARCHAR(120) NOT NULL,
    price       BIGINT       NOT NULL,
    available   BOOLEAN      NOT NULL,
    position    INT          NOT NULL,
    PRIMARY KEY (cafe_id, id),
    FOREIGN KEY (cafe_id, category_id) REFERENCES menu_categories (cafe_id, id)
);

CREATE TABLE menu_item_modifier_groups (
    cafe_id  VARCHAR(64) NOT NULL,
    item_id  VARCHAR(64) NOT NULL,
    group_id VARCHAR(64) NOT NULL,
    position INT         NOT NULL,
    PRIMARY KEY (cafe_id, item_id, group_id),
    FOREIGN KEY (cafe_id, item_id) REFERENCES menu_items (cafe_id, id),
    FOREIGN KEY (cafe_id, group_id) REFERENCES modifier_groups (cafe_id, id)
);

-- Order numbers restart each business day and are never reused within it: the counter row is
-- bumped in the same transaction that inserts the order.
CREATE TABLE order_number_counters (
    cafe_id       VARCHAR(64) NOT NULL REFERENCES cafes (id),
    business_date DATE        NOT NULL,
    last_number   INT         NOT NULL,
    PRIMARY KEY (cafe_id, business_date)
);

CREATE TABLE orders (
    id            UUID                     PRIMARY KEY,
    cafe_id       VARCHAR(64)              NOT NULL REFERENCES cafes (id),
    order_number  INT                      NOT NULL,
    business_date DATE                     NOT NULL,
    order_type    VARCHAR(16)              NOT NULL,
    table_name    VARCHAR(20),
    status        VARCHAR(24)              NOT NULL,
    subtotal      BIGINT                   NOT NULL,
    tax           BIGINT                   NOT NULL,
    total         BIGINT                   NOT NULL,
    currency      CHAR(3)                  NOT NULL,
    request_hash  VARCHAR(64)              NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    version       INT                      NOT NULL,
    CONSTRAINT uq_orders_number UNIQUE (cafe_id, business_date, order_number)
);
CREATE INDEX ix_orders_cafe_updated ON orders (cafe_id, updated_at);
CREATE INDEX ix_orders_cafe_status ON orders (cafe_id, status);

CREATE TABLE order_lines (
    order_id   UUID         NOT NULL REFERENCES orders (id),
    line_no    INT          NOT NULL,
    item_id    VARCHAR(64)  NOT NULL,
    item_name  VARCHAR(120) NOT NULL,
    quantity   INT          NOT NULL,
    note       VARCHAR(200),
    unit_price BIGINT       NOT NULL,
    line_total BIGINT       NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_line_options (
    order_id    UUID         NOT NULL,
    line_no     INT          NOT NULL,
    option_no   INT          NOT NULL,
    group_id    VARCHAR(64)  NOT NULL,
    option_id   VARCHAR(64)  NOT NULL,
    name        VARCHAR(120) NOT NULL,
    price_delta BIGINT       NOT NULL,
    PRIMARY KEY (order_id, line_no, option_no),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
);

CREATE TABLE order_status_history (
    order_id    UUID                     NOT NULL REFERENCES orders (id),
    version     INT                      NOT NULL,
    from_status VARCHAR(24),
    to_status   VARCHAR(24)              NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(64)              NOT NULL,
    PRIMARY KEY (order_id, version)
);

CREATE TABLE idempotency_keys (
    cafe_id      VARCHAR(64)              NOT NULL REFERENCES cafes (id),
    idem_key     VARCHAR(255)             NOT NULL,
    request_hash VARCHAR(64)              NOT NULL,
    order_id     UUID                     NOT NULL REFERENCES orders (id),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (cafe_id, idem_key)
);

CREATE TABLE devices (
    id         UUID                     PRIMARY KEY,
    cafe_id    VARCHAR(64)              NOT NULL REFERENCES cafes (id),
    name       VARCHAR(60)              NOT NULL,
    role       VARCHAR(24)              NOT NULL,
    token_hash CHAR(64)                 NOT NULL UNIQUE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE
);
