-- Saves started from an older version are refused (domain::edit): the version of a thing is
-- its newest audit event, looked up by what the event is about.
CREATE INDEX audit_events_entity ON audit_events(entity, entity_id, seq);
