-- Every workspace's own random id, made once when the workspace is (or, for an older one,
-- when it is upgraded). Audit anchors (domain::anchor) name the workspace they were taken
-- from, so another workspace's file swapped in is told apart from this one's history.
CREATE TABLE workspace_identity (
    id TEXT NOT NULL PRIMARY KEY
);
INSERT INTO workspace_identity (id) VALUES (lower(hex(randomblob(16))));
