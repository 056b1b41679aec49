-- Route to market per lot (with its reason), the conflicts assessment before the tender
-- notice, the Section 75 agreement checklist, and the notices published.

CREATE TABLE lot_routes (
    lot_id                    INTEGER PRIMARY KEY REFERENCES lots(id),
    route                     TEXT NOT NULL CHECK (route IN ('open', 'competitive_flexible',
                                  'direct_award', 'framework_call_off', 'light_touch',
                                  'psr_direct_a', 'psr_direct_b', 'psr_direct_c',
                                  'psr_most_suitable', 'psr_competitive', 'section_75',
                                  'extension', 'grant')),
    reason                    TEXT NOT NULL CHECK (length(trim(reason)) >= 10),
    justification             TEXT,
    authority                 TEXT NOT NULL CHECK (authority IN ('sub_central', 'central')),
    kind                      TEXT NOT NULL CHECK (kind IN ('services', 'goods', 'works')),
    vat_chargeable            INTEGER NOT NULL CHECK (vat_chargeable IN (0, 1)),
    electronic_with_documents INTEGER NOT NULL CHECK (electronic_with_documents IN (0, 1)),
    reduced_period            INTEGER NOT NULL CHECK (reduced_period IN (0, 1)),
    decided_by                TEXT NOT NULL,
    decided_at                TEXT NOT NULL
) STRICT;

-- Append-only: a fresh assessment is a new row; the newest is the current one.
CREATE TABLE conflicts_assessments (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES lots(id),
    assessed_on TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (length(trim(scope)) > 0),
    findings    TEXT NOT NULL CHECK (length(trim(findings)) > 0),
    mitigations TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX conflicts_assessments_lot ON conflicts_assessments(lot_id);
CREATE TRIGGER conflicts_assessments_kept BEFORE UPDATE ON conflicts_assessments
BEGIN SELECT RAISE(ABORT, 'a recorded conflicts assessment cannot be changed; record a new one'); END;
CREATE TRIGGER conflicts_assessments_not_deleted BEFORE DELETE ON conflicts_assessments
BEGIN SELECT RAISE(ABORT, 'a recorded conflicts assessment cannot be deleted'); END;

CREATE TABLE section75_items (
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    item   TEXT NOT NULL,
    agreed INTEGER NOT NULL CHECK (agreed IN (0, 1)),
    note   TEXT NOT NULL,
    PRIMARY KEY (lot_id, item)
) STRICT;

CREATE TABLE lot_notices (
    lot_id       INTEGER NOT NULL REFERENCES lots(id),
    kind         TEXT NOT NULL,
    published_on TEXT NOT NULL,
    -- The notice's identifier on Find a Tender, when known.
    reference    TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (lot_id, kind)
) STRICT;
