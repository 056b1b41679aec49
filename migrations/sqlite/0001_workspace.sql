-- The workspace: registers, procurements, lots and their pipeline, and the audit chain.
-- Money is integer pence; dates are ISO text (YYYY-MM-DD); instants are RFC 3339 UTC text.

CREATE TABLE organisations (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind TEXT NOT NULL
) STRICT;

CREATE TABLE suppliers (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL CHECK (length(trim(name)) > 0),
    companies_house_number TEXT UNIQUE,
    charity_number         TEXT UNIQUE
) STRICT;

CREATE TABLE contracts (
    id                   INTEGER PRIMARY KEY,
    reference            TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    service              TEXT NOT NULL,
    provider_id          INTEGER NOT NULL REFERENCES suppliers(id),
    commissioner_id      INTEGER REFERENCES organisations(id),
    annual_value_pence   INTEGER NOT NULL CHECK (annual_value_pence >= 0),
    start_date           TEXT NOT NULL,
    term                 TEXT NOT NULL,
    option_statuses      TEXT NOT NULL,
    notice_period_months INTEGER NOT NULL CHECK (notice_period_months >= 0)
) STRICT;

CREATE TABLE procurements (
    id        INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title     TEXT NOT NULL CHECK (length(trim(title)) > 0),
    service   TEXT NOT NULL
) STRICT;

CREATE TABLE procurement_commissioners (
    procurement_id  INTEGER NOT NULL REFERENCES procurements(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    position        INTEGER NOT NULL,
    PRIMARY KEY (procurement_id, organisation_id)
) STRICT;

CREATE TABLE procurement_budget (
    procurement_id INTEGER NOT NULL REFERENCES procurements(id),
    financial_year INTEGER NOT NULL,
    amount_pence   INTEGER NOT NULL CHECK (amount_pence >= 0),
    PRIMARY KEY (procurement_id, financial_year)
) STRICT;

CREATE TABLE lots (
    id                           INTEGER PRIMARY KEY,
    procurement_id               INTEGER NOT NULL REFERENCES procurements(id),
    reference                    TEXT NOT NULL,
    title                        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    geography                    TEXT NOT NULL,
    estimated_annual_value_pence INTEGER CHECK (estimated_annual_value_pence >= 0),
    term                         TEXT,
    replaces_contract_id         INTEGER REFERENCES contracts(id),
    stage                        TEXT NOT NULL CHECK (stage IN ('market_engagement', 'draft_specification',
                                     'tender', 'evaluation', 'award', 'contract', 'abandoned')),
    abandoned_reason             TEXT,
    UNIQUE (procurement_id, reference)
) STRICT;
CREATE INDEX lots_stage ON lots(stage);

CREATE TABLE lot_parts (
    lot_id   INTEGER NOT NULL REFERENCES lots(id),
    code     TEXT NOT NULL,
    title    TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (lot_id, code)
) STRICT;

CREATE TABLE milestones (
    id      INTEGER PRIMARY KEY,
    lot_id  INTEGER NOT NULL REFERENCES lots(id),
    key     TEXT,
    title   TEXT NOT NULL,
    planned TEXT NOT NULL,
    actual  TEXT,
    UNIQUE (lot_id, key)
) STRICT;
CREATE INDEX milestones_lot ON milestones(lot_id);

CREATE TABLE stage_changes (
    id         INTEGER PRIMARY KEY,
    lot_id     INTEGER NOT NULL REFERENCES lots(id),
    from_stage TEXT,
    to_stage   TEXT NOT NULL,
    reason     TEXT,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL
) STRICT;
CREATE INDEX stage_changes_lot ON stage_changes(lot_id);

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
END;
