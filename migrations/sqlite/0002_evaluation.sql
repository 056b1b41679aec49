-- Evaluation: the published model, bids, the panel, blind scores, consensus and sign-off.
-- People are identified by their user name, as in the audit trail.

ALTER TABLE procurements ADD COLUMN max_lots_per_supplier INTEGER CHECK (max_lots_per_supplier > 0);

CREATE TABLE eval_models (
    lot_id      INTEGER PRIMARY KEY REFERENCES lots(id),
    model       TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT
) STRICT;

CREATE TABLE bids (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES lots(id),
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    price_pence INTEGER NOT NULL CHECK (price_pence > 0),
    UNIQUE (lot_id, supplier_id)
) STRICT;
CREATE INDEX bids_lot ON bids(lot_id);

CREATE TABLE bid_members (
    bid_id      INTEGER NOT NULL REFERENCES bids(id),
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (bid_id, supplier_id)
) STRICT;

CREATE TABLE panel_members (
    lot_id      INTEGER NOT NULL REFERENCES lots(id),
    person      TEXT NOT NULL CHECK (length(trim(person)) > 0),
    role        TEXT NOT NULL CHECK (role IN ('evaluator', 'moderator')),
    declared_at TEXT,
    conflict    TEXT,
    PRIMARY KEY (lot_id, person)
) STRICT;

CREATE TABLE submissions (
    lot_id    INTEGER NOT NULL REFERENCES lots(id),
    evaluator TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (lot_id, evaluator)
) STRICT;

CREATE TABLE scores (
    lot_id        INTEGER NOT NULL REFERENCES lots(id),
    bid_id        INTEGER NOT NULL REFERENCES bids(id),
    question      TEXT NOT NULL,
    evaluator     TEXT NOT NULL,
    score         INTEGER NOT NULL CHECK (score >= 0),
    justification TEXT NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (bid_id, question, evaluator)
) STRICT;
CREATE INDEX scores_lot ON scores(lot_id, evaluator);

-- Submitted scores never change: the engine refuses, and so does the file itself.
CREATE TRIGGER scores_frozen_update BEFORE UPDATE ON scores
WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.lot_id = OLD.lot_id AND s.evaluator = OLD.evaluator)
BEGIN
    SELECT RAISE(ABORT, 'submitted scores cannot change');
END;
CREATE TRIGGER scores_frozen_delete BEFORE DELETE ON scores
WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.lot_id = OLD.lot_id AND s.evaluator = OLD.evaluator)
BEGIN
    SELECT RAISE(ABORT, 'submitted scores cannot change');
END;
CREATE TRIGGER scores_frozen_insert BEFORE INSERT ON scores
WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.lot_id = NEW.lot_id AND s.evaluator = NEW.evaluator)
BEGIN
    SELECT RAISE(ABORT, 'submitted scores cannot change');
END;

CREATE TABLE consensus (
    lot_id    INTEGER NOT NULL REFERENCES lots(id),
    bid_id    INTEGER NOT NULL REFERENCES bids(id),
    question  TEXT NOT NULL,
    score     INTEGER NOT NULL CHECK (score >= 0),
    reason    TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    moderator TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (bid_id, question)
) STRICT;
CREATE INDEX consensus_lot ON consensus(lot_id);

CREATE TABLE moderation_reopenings (
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    round  INTEGER NOT NULL,
    by     TEXT NOT NULL,
    at     TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (lot_id, round)
) STRICT;

CREATE TABLE signoffs (
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    round  INTEGER NOT NULL,
    person TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (lot_id, round, person)
) STRICT;
