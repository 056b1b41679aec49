-- TUPE: the transfer the officer plans for a lot, each version of the incumbent's anonymised
-- staff list (kept as imported), and the officer's record against each obligation.

CREATE TABLE tupe_plans (
    lot_id        INTEGER PRIMARY KEY REFERENCES lots(id),
    transfer_date TEXT NOT NULL,
    outgoing      TEXT NOT NULL CHECK (length(outgoing) > 0),
    incoming      TEXT NOT NULL,
    assessment    TEXT NOT NULL CHECK (assessment IN ('not-assessed', 'applies', 'does-not-apply')),
    notes         TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE tupe_staff_lists (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES lots(id),
    version     INTEGER NOT NULL CHECK (version > 0),
    file_name   TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (lot_id, version)
) STRICT;

CREATE TABLE tupe_staff (
    list_id        INTEGER NOT NULL REFERENCES tupe_staff_lists(id),
    position       INTEGER NOT NULL,
    reference      TEXT NOT NULL CHECK (length(reference) > 0),
    role           TEXT NOT NULL,
    grade          TEXT NOT NULL,
    annual_pay     INTEGER NOT NULL CHECK (annual_pay >= 0),
    fte            TEXT NOT NULL,
    hours          TEXT NOT NULL,
    contract_type  TEXT NOT NULL CHECK (contract_type IN ('permanent', 'fixed-term', 'bank')),
    service_start  TEXT NOT NULL,
    pension        TEXT NOT NULL CHECK (pension IN ('lgps', 'nhs-pension-scheme', 'other', 'none')),
    location       TEXT NOT NULL,
    assigned       INTEGER NOT NULL CHECK (assigned IN (0, 1)),
    PRIMARY KEY (list_id, reference)
) STRICT;

CREATE TABLE tupe_obligations (
    lot_id     INTEGER NOT NULL REFERENCES lots(id),
    key        TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('to-do', 'in-progress', 'done')),
    evidence   TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (lot_id, key)
) STRICT;

CREATE TRIGGER tupe_staff_lists_frozen_update BEFORE UPDATE ON tupe_staff_lists
BEGIN SELECT RAISE(ABORT, 'staff lists are kept as they were imported'); END;
CREATE TRIGGER tupe_staff_lists_frozen_delete BEFORE DELETE ON tupe_staff_lists
BEGIN SELECT RAISE(ABORT, 'staff lists are kept as they were imported'); END;
CREATE TRIGGER tupe_staff_frozen_update BEFORE UPDATE ON tupe_staff
BEGIN SELECT RAISE(ABORT, 'staff lists are kept as they were imported'); END;
CREATE TRIGGER tupe_staff_frozen_delete BEFORE DELETE ON tupe_staff
BEGIN SELECT RAISE(ABORT, 'staff lists are kept as they were imported'); END;
