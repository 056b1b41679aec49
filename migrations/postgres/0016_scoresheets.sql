-- Offline scoresheets (domain::eval::scoresheet, issue 21). Each evaluator's signing key on
-- a lot's panel, registered when the officer confirms its fingerprint on the first import;
-- and each signed submission imported, once (sheet and submission are both unique). Kept.
CREATE TABLE panel_keys (
    lot_id       BIGINT NOT NULL REFERENCES lots(id),
    person       TEXT NOT NULL,
    public_key   TEXT NOT NULL CHECK (length(public_key) = 64),
    fingerprint  TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (lot_id, person)
);
CREATE TRIGGER panel_keys_kept BEFORE UPDATE OR DELETE ON panel_keys
    FOR EACH ROW EXECUTE FUNCTION lotwise_refuse('a registered key cannot be changed or deleted');

CREATE TABLE scoresheet_imports (
    submission_id TEXT PRIMARY KEY,
    sheet_id      TEXT NOT NULL UNIQUE,
    lot_id        BIGINT NOT NULL REFERENCES lots(id),
    evaluator     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    signature     TEXT,
    public_key    TEXT,
    imported_by   TEXT NOT NULL,
    imported_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX scoresheet_imports_lot ON scoresheet_imports(lot_id);
CREATE TRIGGER scoresheet_imports_kept BEFORE UPDATE OR DELETE ON scoresheet_imports
    FOR EACH ROW EXECUTE FUNCTION lotwise_refuse('an imported scoresheet cannot be changed or deleted');
