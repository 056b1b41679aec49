-- Decision papers: every saved draft of the officer's narrative is kept (versioned), and
-- every generated PDF is kept with its SHA-256, so what was published can be shown later.

CREATE TABLE paper_drafts (
    lot_id   INTEGER NOT NULL REFERENCES lots(id),
    kind     TEXT NOT NULL CHECK (kind IN ('extension', 'procurement', 'award')),
    version  INTEGER NOT NULL CHECK (version > 0),
    draft    TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (lot_id, kind, version)
) STRICT;

CREATE TABLE paper_documents (
    id            INTEGER PRIMARY KEY,
    lot_id        INTEGER NOT NULL REFERENCES lots(id),
    kind          TEXT NOT NULL CHECK (kind IN ('extension', 'procurement', 'award')),
    number        INTEGER NOT NULL CHECK (number > 0),
    draft_version INTEGER NOT NULL,
    edition       TEXT NOT NULL CHECK (edition IN ('open', 'full')),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    pages         INTEGER NOT NULL CHECK (pages > 0),
    bytes         BLOB NOT NULL,
    generated_by  TEXT NOT NULL,
    generated_at  TEXT NOT NULL,
    UNIQUE (lot_id, kind, number),
    FOREIGN KEY (lot_id, kind, draft_version) REFERENCES paper_drafts(lot_id, kind, version)
) STRICT;

-- Both are records: a draft version or a generated document is never changed or removed.
CREATE TRIGGER paper_drafts_frozen_update BEFORE UPDATE ON paper_drafts
BEGIN SELECT RAISE(ABORT, 'saved paper drafts are kept as they were'); END;
CREATE TRIGGER paper_drafts_frozen_delete BEFORE DELETE ON paper_drafts
BEGIN SELECT RAISE(ABORT, 'saved paper drafts are kept as they were'); END;
CREATE TRIGGER paper_documents_frozen_update BEFORE UPDATE ON paper_documents
BEGIN SELECT RAISE(ABORT, 'generated papers are kept as they were'); END;
CREATE TRIGGER paper_documents_frozen_delete BEFORE DELETE ON paper_documents
BEGIN SELECT RAISE(ABORT, 'generated papers are kept as they were'); END;
