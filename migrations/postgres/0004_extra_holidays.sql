-- Bank holidays announced after this release (a jubilee, a state funeral), added by a user
-- with their source; the computed rules and built-in one-offs are in the code.
CREATE TABLE extra_holidays (
    date     DATE PRIMARY KEY,
    name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
    nations  TEXT NOT NULL CHECK (length(nations) > 0),
    source   TEXT NOT NULL CHECK (length(trim(source)) > 0),
    added_by TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL
);
