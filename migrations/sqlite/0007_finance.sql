-- Commissioning finance: funders' contributions by financial year, lots' own budgets, the
-- savings target, and allocations of posts or money across areas saved against the lots.
-- Financial years are stored as the year they start (2026 for 2026/27); money in pence.

CREATE TABLE funder_contributions (
    id              INTEGER PRIMARY KEY,
    procurement_id  INTEGER NOT NULL REFERENCES procurements(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    financial_year  INTEGER NOT NULL,
    amount_pence    INTEGER NOT NULL CHECK (amount_pence >= 0),
    arrangement     TEXT NOT NULL CHECK (arrangement IN ('pooled', 'aligned')),
    purpose         TEXT NOT NULL,
    UNIQUE (procurement_id, organisation_id, financial_year)
) STRICT;

CREATE TABLE lot_budget (
    lot_id         INTEGER NOT NULL REFERENCES lots(id),
    financial_year INTEGER NOT NULL,
    amount_pence   INTEGER NOT NULL CHECK (amount_pence >= 0),
    PRIMARY KEY (lot_id, financial_year)
) STRICT;

CREATE TABLE savings_targets (
    procurement_id INTEGER PRIMARY KEY REFERENCES procurements(id),
    baseline_pence INTEGER NOT NULL CHECK (baseline_pence > 0),
    target_kind    TEXT NOT NULL CHECK (target_kind IN ('percent', 'amount')),
    -- A decimal percentage ("7.5") or an amount in pence ("20000000"): exact text, never REAL.
    target_value   TEXT NOT NULL,
    years          INTEGER NOT NULL CHECK (years BETWEEN 1 AND 20),
    first_year     INTEGER NOT NULL,
    notes          TEXT NOT NULL
) STRICT;

CREATE TABLE allocations (
    id             INTEGER PRIMARY KEY,
    procurement_id INTEGER NOT NULL REFERENCES procurements(id),
    -- "25 posts", "1 post per 20,000 people", "£5,950,000".
    basis          TEXT NOT NULL,
    -- The whole result as computed (the Allocation JSON), kept as it was shown.
    result         TEXT NOT NULL,
    saved_by       TEXT NOT NULL,
    saved_at       TEXT NOT NULL
) STRICT;

CREATE TABLE allocation_lots (
    allocation_id INTEGER NOT NULL REFERENCES allocations(id),
    area          TEXT NOT NULL,
    lot_id        INTEGER REFERENCES lots(id),
    PRIMARY KEY (allocation_id, area)
) STRICT;

CREATE TRIGGER allocations_frozen BEFORE UPDATE ON allocations
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is kept as saved: UPDATE refused');
END;
CREATE TRIGGER allocation_lots_frozen BEFORE UPDATE ON allocation_lots
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is kept as saved: UPDATE refused');
END;
