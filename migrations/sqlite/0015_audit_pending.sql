-- Nothing to change on a laptop workspace: there one writer at a time links each audit
-- event to the chain as it appends it. The number keeps the two backends' schema versions
-- in step (migrations/postgres/0015 holds a team server's events until they commit).
SELECT 1;
