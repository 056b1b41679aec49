-- A team member's audit events between their append and their commit, where the server
-- links them to the chain (team.sql, lotwise_audit_seal). Only the transaction that
-- appended them ever sees them; the table is empty whenever nothing is being committed.
CREATE TABLE audit_pending (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id bigint,
    before text,
    after text
);
