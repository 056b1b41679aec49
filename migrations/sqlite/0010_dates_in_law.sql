-- Dates as the law writes them (issue 17).
--
-- s54(4) turns on two separate facts: whether tenders may be submitted electronically, and
-- whether the tender notice and every tender document are provided at the same time. The old
-- single flag meant "both" or "not both"; "not both" is kept as electronic without every
-- document (30 days), the minimum it gave before. The old reduced-period flag merged a
-- planned procurement notice with urgency: it is not carried over. The UK3's date now decides
-- (s15(3)) and urgency is recorded with its reason.
ALTER TABLE lot_routes ADD COLUMN electronic INTEGER NOT NULL DEFAULT 1 CHECK (electronic IN (0, 1));
ALTER TABLE lot_routes ADD COLUMN documents_with_notice INTEGER NOT NULL DEFAULT 1
    CHECK (documents_with_notice IN (0, 1));
ALTER TABLE lot_routes ADD COLUMN urgency TEXT;
UPDATE lot_routes SET documents_with_notice = electronic_with_documents;

-- PSR standstill (SI 2023/1348 reg 12(3), (4), (6)-(10)): written representations received
-- from aggrieved providers, and the further decisions communicated in reply. Both are kept.
CREATE TABLE psr_representations (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES lots(id),
    received_on TEXT NOT NULL,
    provider    TEXT NOT NULL CHECK (length(trim(provider)) > 0),
    summary     TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX psr_representations_lot ON psr_representations(lot_id);
CREATE TRIGGER psr_representations_kept BEFORE UPDATE ON psr_representations
BEGIN SELECT RAISE(ABORT, 'a recorded representation cannot be changed'); END;
CREATE TRIGGER psr_representations_not_deleted BEFORE DELETE ON psr_representations
BEGIN SELECT RAISE(ABORT, 'a recorded representation cannot be deleted'); END;

CREATE TABLE psr_further_decisions (
    id              INTEGER PRIMARY KEY,
    lot_id          INTEGER NOT NULL REFERENCES lots(id),
    communicated_on TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('proceed', 'repeat', 'abandon')),
    reasons         TEXT NOT NULL CHECK (length(trim(reasons)) > 0),
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX psr_further_decisions_lot ON psr_further_decisions(lot_id);
CREATE TRIGGER psr_further_decisions_kept BEFORE UPDATE ON psr_further_decisions
BEGIN SELECT RAISE(ABORT, 'a recorded further decision cannot be changed'); END;
CREATE TRIGGER psr_further_decisions_not_deleted BEFORE DELETE ON psr_further_decisions
BEGIN SELECT RAISE(ABORT, 'a recorded further decision cannot be deleted'); END;

-- Award regimes without a mandatory standstill (s51(3)): framework call-offs, dynamic-market
-- awards and urgent direct awards join light touch. SQLite cannot change a CHECK in place:
-- the table is rebuilt (nothing refers to it).
CREATE TABLE awards_new (
    lot_id               INTEGER PRIMARY KEY REFERENCES lots(id),
    regime               TEXT NOT NULL CHECK (regime IN ('pa2023', 'light-touch', 'psr', 'psr-direct-ab',
                             'framework-call-off', 'dynamic-market', 'urgent-direct-award')),
    voluntary_standstill INTEGER NOT NULL CHECK (voluntary_standstill IN (0, 1)),
    notice_published     TEXT,
    contract_signed      TEXT,
    updated_by           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;
INSERT INTO awards_new SELECT lot_id, regime, voluntary_standstill, notice_published, contract_signed,
    updated_by, updated_at FROM awards;
DROP TABLE awards;
ALTER TABLE awards_new RENAME TO awards;
