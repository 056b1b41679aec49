-- The award: the dates the officer records, the award packs built for legal (kept with
-- their SHA-256 and manifest) and legal's decision on each.

CREATE TABLE awards (
    lot_id               INTEGER PRIMARY KEY REFERENCES lots(id),
    regime               TEXT NOT NULL CHECK (regime IN ('pa2023', 'light-touch', 'psr', 'psr-direct-ab')),
    voluntary_standstill INTEGER NOT NULL CHECK (voluntary_standstill IN (0, 1)),
    notice_published     TEXT,
    contract_signed      TEXT,
    updated_by           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;

CREATE TABLE award_packs (
    id       INTEGER PRIMARY KEY,
    lot_id   INTEGER NOT NULL REFERENCES lots(id),
    number   INTEGER NOT NULL CHECK (number > 0),
    sha256   TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    pages    INTEGER NOT NULL CHECK (pages > 0),
    manifest TEXT NOT NULL,
    bytes    BLOB NOT NULL,
    built_by TEXT NOT NULL,
    built_at TEXT NOT NULL,
    UNIQUE (lot_id, number)
) STRICT;

-- One decision per pack: a returned pack is answered by building a new one.
CREATE TABLE pack_reviews (
    pack_id     INTEGER PRIMARY KEY REFERENCES award_packs(id),
    decision    TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),
    comments    TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER award_packs_frozen_update BEFORE UPDATE ON award_packs
BEGIN SELECT RAISE(ABORT, 'award packs are kept as they were built'); END;
CREATE TRIGGER award_packs_frozen_delete BEFORE DELETE ON award_packs
BEGIN SELECT RAISE(ABORT, 'award packs are kept as they were built'); END;
CREATE TRIGGER pack_reviews_frozen_update BEFORE UPDATE ON pack_reviews
BEGIN SELECT RAISE(ABORT, 'legal review decisions are kept as they were made'); END;
CREATE TRIGGER pack_reviews_frozen_delete BEFORE DELETE ON pack_reviews
BEGIN SELECT RAISE(ABORT, 'legal review decisions are kept as they were made'); END;
