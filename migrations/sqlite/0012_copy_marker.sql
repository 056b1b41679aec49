-- A workspace file written by `lotwise backup` from a team workspace is a copy of the server
-- at one moment, as one login could see it. It opens read-only, and `workspace push` refuses
-- it: the record is the server's, and a second copy is never merged back. Only ever filled
-- in such a copy; a team workspace keeps this table empty.
CREATE TABLE copy_of (
    server    TEXT NOT NULL,
    taken_at  TEXT NOT NULL,
    taken_by  TEXT NOT NULL
);
