-- The front half of a lot's life: market engagement, the versioned specification with its
-- comments and approval, and the tender (the version it references, clarifications and the
-- bid receipt log). Records are kept, not rewritten: triggers refuse what would change them.

CREATE TABLE engagement_events (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES lots(id),
    held_on     TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid', 'written')),
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    agenda      TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX engagement_events_lot ON engagement_events(lot_id);

CREATE TABLE engagement_attendees (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES engagement_events(id),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    organisation TEXT NOT NULL CHECK (length(trim(organisation)) > 0)
) STRICT;
CREATE INDEX engagement_attendees_event ON engagement_attendees(event_id);

CREATE TABLE engagement_questions (
    id       INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES engagement_events(id),
    question TEXT NOT NULL CHECK (length(trim(question)) > 0),
    answer   TEXT NOT NULL CHECK (length(trim(answer)) > 0)
) STRICT;
CREATE INDEX engagement_questions_event ON engagement_questions(event_id);

-- Expressions of interest, alone or as a potential consortium.
CREATE TABLE engagement_interests (
    id              INTEGER PRIMARY KEY,
    lot_id          INTEGER NOT NULL REFERENCES lots(id),
    organisation    TEXT NOT NULL CHECK (length(trim(organisation)) > 0),
    received_on     TEXT NOT NULL,
    -- The other members of a potential consortium, '; ' between them; '' when alone.
    consortium_with TEXT NOT NULL,
    note            TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;
CREATE INDEX engagement_interests_lot ON engagement_interests(lot_id);

-- Why a lot had no preliminary market engagement (the tender notice gives the reasons).
CREATE TABLE engagement_none (
    lot_id      INTEGER PRIMARY KEY REFERENCES lots(id),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) >= 10),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER engagement_events_kept BEFORE DELETE ON engagement_events
BEGIN SELECT RAISE(ABORT, 'a recorded engagement event cannot be deleted'); END;
CREATE TRIGGER engagement_events_fixed BEFORE UPDATE ON engagement_events
BEGIN SELECT RAISE(ABORT, 'a recorded engagement event cannot be changed'); END;

CREATE TABLE spec_versions (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES lots(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    note        TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    UNIQUE (lot_id, version)
) STRICT;
-- A saved version changes once only: when it is approved. Then it is frozen.
CREATE TRIGGER spec_versions_frozen BEFORE UPDATE ON spec_versions
WHEN OLD.approved_at IS NOT NULL OR NEW.approved_at IS NULL
  OR NEW.lot_id IS NOT OLD.lot_id OR NEW.version IS NOT OLD.version OR NEW.note IS NOT OLD.note
  OR NEW.saved_by IS NOT OLD.saved_by OR NEW.saved_at IS NOT OLD.saved_at
BEGIN SELECT RAISE(ABORT, 'a saved specification version cannot be changed; save a new version'); END;
CREATE TRIGGER spec_versions_kept BEFORE DELETE ON spec_versions
BEGIN SELECT RAISE(ABORT, 'a saved specification version cannot be deleted'); END;

CREATE TABLE spec_sections (
    version_id INTEGER NOT NULL REFERENCES spec_versions(id),
    position   INTEGER NOT NULL CHECK (position >= 1),
    heading    TEXT NOT NULL CHECK (length(trim(heading)) > 0),
    body       TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
) STRICT;
CREATE TRIGGER spec_sections_fixed BEFORE UPDATE ON spec_sections
BEGIN SELECT RAISE(ABORT, 'a saved specification version cannot be changed; save a new version'); END;
CREATE TRIGGER spec_sections_kept BEFORE DELETE ON spec_sections
BEGIN SELECT RAISE(ABORT, 'a saved specification version cannot be changed; save a new version'); END;

-- Comments from stakeholders and the market, each tied to a section of a version.
CREATE TABLE spec_comments (
    id           INTEGER PRIMARY KEY,
    version_id   INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('stakeholder', 'market')),
    author       TEXT NOT NULL CHECK (length(trim(author)) > 0),
    organisation TEXT NOT NULL,
    comment      TEXT NOT NULL CHECK (length(trim(comment)) > 0),
    received_on  TEXT NOT NULL,
    -- How the comment was dealt with; '' until someone responds.
    response     TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    FOREIGN KEY (version_id, position) REFERENCES spec_sections(version_id, position)
) STRICT;
CREATE INDEX spec_comments_version ON spec_comments(version_id);
CREATE TRIGGER spec_comments_fixed BEFORE UPDATE ON spec_comments
WHEN NEW.version_id IS NOT OLD.version_id OR NEW.position IS NOT OLD.position
  OR NEW.source IS NOT OLD.source OR NEW.author IS NOT OLD.author
  OR NEW.organisation IS NOT OLD.organisation OR NEW.comment IS NOT OLD.comment
  OR NEW.received_on IS NOT OLD.received_on
BEGIN SELECT RAISE(ABORT, 'a recorded comment cannot be changed; only its response can'); END;

-- Written in the transaction that moves the lot into the tender stage.
CREATE TABLE lot_tenders (
    lot_id          INTEGER PRIMARY KEY REFERENCES lots(id),
    spec_version_id INTEGER NOT NULL REFERENCES spec_versions(id),
    -- The time of day submissions close on the submission deadline (UK time).
    closing_time    TEXT NOT NULL DEFAULT '12:00',
    opened_by       TEXT NOT NULL,
    opened_at       TEXT NOT NULL
) STRICT;

CREATE TABLE clarifications (
    id           INTEGER PRIMARY KEY,
    lot_id       INTEGER NOT NULL REFERENCES lots(id),
    number       INTEGER NOT NULL CHECK (number >= 1),
    received_on  TEXT NOT NULL,
    -- Kept for the record only: never published with the question.
    asked_by     TEXT NOT NULL,
    question     TEXT NOT NULL CHECK (length(trim(question)) > 0),
    answer       TEXT,
    published_on TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    UNIQUE (lot_id, number),
    CHECK ((answer IS NULL) = (published_on IS NULL))
) STRICT;
CREATE TRIGGER clarifications_published_fixed BEFORE UPDATE ON clarifications
WHEN OLD.published_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a published clarification cannot be changed; publish a further clarification'); END;
CREATE TRIGGER clarifications_kept BEFORE DELETE ON clarifications
BEGIN SELECT RAISE(ABORT, 'a clarification cannot be deleted'); END;

CREATE TABLE bid_receipts (
    id                  INTEGER PRIMARY KEY,
    lot_id              INTEGER NOT NULL REFERENCES lots(id),
    supplier            TEXT NOT NULL CHECK (length(trim(supplier)) > 0),
    registration_number TEXT NOT NULL,
    -- The other consortium members as `Name (number); Name`.
    members             TEXT NOT NULL,
    price_pence         INTEGER NOT NULL CHECK (price_pence > 0),
    -- As the e-tendering portal logged it, in UK time: 2026-11-24T11:58.
    received_at         TEXT NOT NULL,
    decision            TEXT CHECK (decision IN ('accepted', 'rejected')),
    decision_reason     TEXT,
    decided_by          TEXT,
    bid_id              INTEGER REFERENCES bids(id),
    recorded_by         TEXT NOT NULL,
    recorded_at         TEXT NOT NULL,
    UNIQUE (lot_id, supplier)
) STRICT;
CREATE TRIGGER bid_receipts_kept BEFORE DELETE ON bid_receipts
BEGIN SELECT RAISE(ABORT, 'a bid receipt cannot be deleted'); END;
CREATE TRIGGER bid_receipts_fixed BEFORE UPDATE ON bid_receipts
WHEN NEW.supplier IS NOT OLD.supplier OR NEW.received_at IS NOT OLD.received_at
  OR NEW.price_pence IS NOT OLD.price_pence OR OLD.bid_id IS NOT NULL
  OR (OLD.decision IS NOT NULL AND NEW.decision IS NOT OLD.decision)
BEGIN SELECT RAISE(ABORT, 'a bid receipt, its decision and its hand-over to evaluation are kept as recorded'); END;
