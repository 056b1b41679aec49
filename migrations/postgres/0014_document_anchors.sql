-- A kept decision paper prints the audit record it was made on (domain::anchor): how many
-- events there were when it was generated. The hash after that event is read from the chain
-- when the paper is laid out again, so a paper reproduces byte for byte until that event,
-- or one before it, is rewritten. Papers kept before this have none, and print none.
ALTER TABLE paper_documents ADD COLUMN anchor_events BIGINT;
