-- A team workspace's security, applied by `lotwise team init` as the owner role after the
-- migrations (and again after an upgrade: it drops and recreates what it makes).
--
-- Who you are is the login role (session_user): never a value the app sets. Every table has
-- row-level security enabled and forced; app roles have no BYPASSRLS; no view stands in front
-- of a policy. The blind-scoring rule is domain::eval::access / may_read_score written in
-- SQL; tests/it/team.rs runs every viewer and record state through both and compares.

-- The panel facts the policies read, as the owner (SECURITY DEFINER), so a policy on one
-- table does not recurse through another's.
--
-- Written in PL/pgSQL, not SQL, though each is one query: PostgreSQL (before 18) plans a
-- SQL function's query afresh in every statement that calls it, while PL/pgSQL keeps the
-- plan for the session. A score save calls these in four statements; planning them was a
-- third of the server's work (bench: ten evaluators saving at once).
CREATE OR REPLACE FUNCTION lotwise_on_panel(lot bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM panel_members m WHERE m.lot_id = lot AND m.person = session_user);
END
$$;

-- The blind rule as sets, computed once per query (an uncorrelated subquery is hashed)
-- rather than once per row: reading 60,000 scores checks each against two small sets.

-- Lots whose bids the viewer may not see (domain::eval::access, may_see_bids): on the
-- panel, and not declared without a conflict. Not on the panel (officers, legal): none.
CREATE OR REPLACE FUNCTION lotwise_lots_hiding_bids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT m.lot_id FROM panel_members m WHERE m.person = session_user
    GROUP BY m.lot_id HAVING NOT bool_or(m.declared_at IS NOT NULL AND m.conflict IS NULL);
END
$$;

-- Lots whose others' submitted scores and consensus the viewer may not see (access,
-- may_see_submitted): on the panel, and not (declared without a conflict and either the
-- moderator or an evaluator who has submitted).
CREATE OR REPLACE FUNCTION lotwise_lots_hiding_submitted() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT m.lot_id FROM panel_members m WHERE m.person = session_user
    GROUP BY m.lot_id HAVING NOT bool_or(m.declared_at IS NOT NULL AND m.conflict IS NULL
        AND (m.role = 'moderator' OR EXISTS (
            SELECT 1 FROM submissions s WHERE s.lot_id = m.lot_id AND s.evaluator = session_user)));
END
$$;

-- Others' scores the viewer may read (may_read_score): submitted, on a lot where the viewer
-- may see both the bids and the submitted scores.
CREATE OR REPLACE FUNCTION lotwise_readable_submitted() RETURNS TABLE (lot_id bigint, author text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT s.lot_id, s.evaluator::text FROM submissions s
    WHERE s.lot_id NOT IN (SELECT lotwise_lots_hiding_bids())
      AND s.lot_id NOT IN (SELECT lotwise_lots_hiding_submitted());
END
$$;

-- The same rule one lot (and author) at a time: the table-driven test compares these with
-- the Rust rule for every viewer and record state.
CREATE OR REPLACE FUNCTION lotwise_may_see_bids(lot bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN lot NOT IN (SELECT lotwise_lots_hiding_bids());
END
$$;

CREATE OR REPLACE FUNCTION lotwise_may_see_submitted(lot bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN lot NOT IN (SELECT lotwise_lots_hiding_submitted());
END
$$;

CREATE OR REPLACE FUNCTION lotwise_may_read_score(lot bigint, author text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN lotwise_may_see_bids(lot) AND (author = session_user
        OR (lot, author) IN (SELECT r.lot_id, r.author FROM lotwise_readable_submitted() r));
END
$$;

CREATE OR REPLACE FUNCTION lotwise_bid_lot(bid bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT b.lot_id FROM bids b WHERE b.id = bid);
END
$$;

-- Progress and the number of bids are counts everyone may see; the rows behind them the
-- blind rule hides, so these count as the owner.
CREATE OR REPLACE FUNCTION lotwise_score_counts(lot bigint) RETURNS TABLE (evaluator text, n bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT s.evaluator::text, count(*)::bigint FROM scores s WHERE s.lot_id = lot GROUP BY s.evaluator
$$;

CREATE OR REPLACE FUNCTION lotwise_bid_count(lot bigint) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT count(*)::bigint FROM bids b WHERE b.lot_id = lot
$$;

REVOKE ALL ON FUNCTION lotwise_score_counts(bigint), lotwise_bid_count(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lotwise_score_counts(bigint), lotwise_bid_count(bigint) TO lotwise_member;

-- domain::audit::hash, byte for byte: a tag, then 0 for absent or 1, the length as 8
-- big-endian bytes and the bytes. `audit verify` recomputes it in Rust.
--
-- STABLE, not IMMUTABLE, though the result never changes: convert_to and to_char are
-- STABLE, and PostgreSQL inlines a SQL function only when its body is no more volatile
-- than it is declared. Inlined, a hash costs about 5 µs; called as a function, about
-- 100 µs, spent while the chain's lock is held (bench: ten evaluators saving at once).
CREATE OR REPLACE FUNCTION lotwise_audit_field(tag text, b bytea) RETURNS bytea
LANGUAGE sql STABLE AS $$
    SELECT convert_to(tag, 'UTF8') || CASE WHEN b IS NULL THEN '\x00'::bytea
        ELSE '\x01'::bytea || int8send(octet_length(b)::bigint) || b END
$$;

CREATE OR REPLACE FUNCTION lotwise_audit_hash(prev text, seq bigint, at timestamptz, actor text,
    action text, entity text, entity_id bigint, before text, after text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(
        lotwise_audit_field('p', convert_to(prev, 'UTF8'))
        || lotwise_audit_field('s', int8send(seq))
        || lotwise_audit_field('t', convert_to(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8'))
        || lotwise_audit_field('u', convert_to(actor, 'UTF8'))
        || lotwise_audit_field('a', convert_to(action, 'UTF8'))
        || lotwise_audit_field('e', convert_to(entity, 'UTF8'))
        || lotwise_audit_field('i', int8send(entity_id))
        || lotwise_audit_field('b', convert_to(before, 'UTF8'))
        || lotwise_audit_field('f', convert_to(after, 'UTF8'))), 'hex')
$$;

-- The only way an app role adds to the audit trail: the server sets the actor (the login
-- role), the time, the sequence number and the link to the head. A plain INSERT by an app
-- role is refused (no privilege).
--
-- Linking takes the chain's lock (CHAIN_LOCK, "LOTWISE2"), held until the commit is durable.
-- Score saves, which run side by side (PgStore::begin_scoring_tx), defer the linking to
-- their commit (SET CONSTRAINTS lotwise_audit_seal DEFERRED): taken at the append, the lock
-- would keep every other evaluator waiting while this one's client sends the COMMIT; taken
-- at commit, it is held only for the server's own few steps. Every other write holds the
-- workspace's write lock throughout anyway, and links at once, so what it reads after its
-- append (a new version number, the lot as saved) already includes its event. The events
-- wait in audit_pending (migration 0015), which only their own transaction sees.
CREATE OR REPLACE FUNCTION lotwise_audit_append(p_action text, p_entity text, p_entity_id bigint,
    p_before text, p_after text) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    INSERT INTO audit_pending (action, entity, entity_id, before, after)
    VALUES (p_action, p_entity, p_entity_id, p_before, p_after) RETURNING id INTO n;
    RETURN n;
END
$$;

-- Once per pending event in the order appended (at the append, or at commit when deferred):
-- the head read under the lock is
-- the newest committed one (READ COMMITTED reads it afresh; the lock is released only after
-- the commit that holds it is visible).
CREATE OR REPLACE FUNCTION lotwise_audit_seal() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last_seq bigint;
    last_hash text;
    s bigint;
    ts timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(5498706403911746866);
    ts := date_trunc('microseconds', clock_timestamp());
    SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
    s := coalesce(last_seq, 0) + 1;
    last_hash := coalesce(last_hash, repeat('0', 64));
    INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    VALUES (s, ts, session_user, NEW.action, NEW.entity, NEW.entity_id, NEW.before, NEW.after, last_hash,
            lotwise_audit_hash(last_hash, s, ts, session_user, NEW.action, NEW.entity, NEW.entity_id,
                               NEW.before, NEW.after));
    DELETE FROM audit_pending WHERE id = NEW.id;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS lotwise_audit_seal ON audit_pending;
CREATE CONSTRAINT TRIGGER lotwise_audit_seal AFTER INSERT ON audit_pending
    DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION lotwise_audit_seal();
REVOKE ALL ON FUNCTION lotwise_audit_seal() FROM PUBLIC;

REVOKE ALL ON FUNCTION lotwise_audit_append(text, text, bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lotwise_audit_append(text, text, bigint, text, text) TO lotwise_member;

-- Row-level security on every table, forced (the owner too), with an open policy for the
-- owner (migrations, `workspace push`) and per-table policies for app roles.
DO $$
DECLARE
    t text;
    p record;
    blind text[] := ARRAY['bids', 'bid_members', 'scores', 'consensus'];
    officer_writes_not text[] := ARRAY['scores', 'consensus', 'submissions', 'signoffs',
        'moderation_reopenings', 'pack_reviews', 'audit_events', 'audit_pending', 'panel_keys',
        'scoresheet_imports', '_sqlx_migrations'];
BEGIN
    FOR p IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = current_schema()
             AND policyname LIKE 'lotwise_%' LOOP
        EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
    END LOOP;
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC, lotwise_officer, lotwise_evaluator, lotwise_moderator, lotwise_legal, lotwise_member', t);
        EXECUTE format('GRANT SELECT ON %I TO lotwise_member', t);
        EXECUTE format('CREATE POLICY lotwise_owner_all ON %I TO lotwise_owner USING (true) WITH CHECK (true)', t);
        IF NOT t = ANY (blind) THEN
            EXECUTE format('CREATE POLICY lotwise_read ON %I FOR SELECT TO lotwise_member USING (true)', t);
        END IF;
        IF NOT t = ANY (officer_writes_not) THEN
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %I TO lotwise_officer', t);
            EXECUTE format('CREATE POLICY lotwise_officer_insert ON %I FOR INSERT TO lotwise_officer WITH CHECK (true)', t);
            EXECUTE format('CREATE POLICY lotwise_officer_update ON %I FOR UPDATE TO lotwise_officer USING (true) WITH CHECK (true)', t);
            EXECUTE format('CREATE POLICY lotwise_officer_delete ON %I FOR DELETE TO lotwise_officer USING (true)', t);
        END IF;
    END LOOP;
END
$$;

GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO lotwise_officer;

-- The generation of what a score save is checked against (the lot, its model, reopenings,
-- panel, submissions, sign-offs, bids and their suppliers): raised by every statement that
-- changes one of those tables, whoever makes it, the app or hand-written SQL. A member's app
-- keeps the facts it last read for a lot with their generation, checks the next save
-- against them, and writes its score only if the generation is still theirs (in the same
-- statement; src/store/postgres/scoring.rs); if not, it reads the facts again and decides
-- again. The trigger takes the workspace's write lock (WRITE_LOCK in
-- src/store/postgres/mod.rs, "LOTWISE1") before raising it, as every app writer already
-- holds it, and a score save holds it shared: so while a save runs no change to those tables
-- is under way, and every raise it can see belongs to a change that has committed or rolled
-- back. A sequence only goes up and only its owner may set it: a member can read it, and
-- cannot turn it back.
CREATE SEQUENCE IF NOT EXISTS lotwise_facts_generation;
SELECT nextval('lotwise_facts_generation');
REVOKE ALL ON SEQUENCE lotwise_facts_generation FROM PUBLIC, lotwise_member, lotwise_officer,
    lotwise_evaluator, lotwise_moderator, lotwise_legal;
GRANT SELECT ON SEQUENCE lotwise_facts_generation TO lotwise_member;

CREATE OR REPLACE FUNCTION lotwise_facts_change() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(5498706403911746865);
    PERFORM nextval('lotwise_facts_generation');
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION lotwise_facts_change() FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['procurements', 'lots', 'eval_models', 'moderation_reopenings',
        'panel_members', 'submissions', 'signoffs', 'bids', 'suppliers', 'bid_members'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS lotwise_facts_change ON %I', t);
        EXECUTE format('CREATE TRIGGER lotwise_facts_change BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
            ON %I FOR EACH STATEMENT EXECUTE FUNCTION lotwise_facts_change()', t);
    END LOOP;
END
$$;
-- Pending events are the server's own, between an append and its commit.
REVOKE ALL ON audit_pending FROM lotwise_member;

-- The blind rule on the records it hides.
CREATE POLICY lotwise_read ON bids FOR SELECT TO lotwise_member
    USING (lot_id NOT IN (SELECT lotwise_lots_hiding_bids()));
CREATE POLICY lotwise_read ON bid_members FOR SELECT TO lotwise_member
    USING (lotwise_may_see_bids(lotwise_bid_lot(bid_id)));
-- lotwise_may_read_score, written out so the two sets are computed once per query.
CREATE POLICY lotwise_read ON scores FOR SELECT TO lotwise_member
    USING (lot_id NOT IN (SELECT lotwise_lots_hiding_bids())
        AND (evaluator = session_user
             OR (lot_id, evaluator) IN (SELECT r.lot_id, r.author FROM lotwise_readable_submitted() r)));
CREATE POLICY lotwise_read ON consensus FOR SELECT TO lotwise_member
    USING (lot_id NOT IN (SELECT lotwise_lots_hiding_submitted()));

-- Panel members write their own scores, submission, declaration and sign-off only. A score
-- is theirs to write only on a lot where they are an evaluator who has declared no conflict
-- (domain::eval::rules::may_score): "may see the bids" alone would let a login that is not
-- on the lot's panel at all store scores on it. Written as a plain EXISTS (panel_members is
-- readable by every member), it is also planned into the statement rather than called.
GRANT INSERT, UPDATE ON scores TO lotwise_evaluator, lotwise_moderator;
CREATE POLICY lotwise_own_insert ON scores FOR INSERT TO lotwise_evaluator, lotwise_moderator
    WITH CHECK (evaluator = session_user AND EXISTS (SELECT 1 FROM panel_members m
        WHERE m.lot_id = scores.lot_id AND m.person = session_user AND m.role = 'evaluator'
          AND m.declared_at IS NOT NULL AND m.conflict IS NULL));
CREATE POLICY lotwise_own_update ON scores FOR UPDATE TO lotwise_evaluator, lotwise_moderator
    USING (evaluator = session_user) WITH CHECK (evaluator = session_user AND EXISTS (
        SELECT 1 FROM panel_members m
        WHERE m.lot_id = scores.lot_id AND m.person = session_user AND m.role = 'evaluator'
          AND m.declared_at IS NOT NULL AND m.conflict IS NULL));
GRANT INSERT ON submissions TO lotwise_evaluator, lotwise_moderator;
CREATE POLICY lotwise_own_insert ON submissions FOR INSERT TO lotwise_evaluator, lotwise_moderator
    WITH CHECK (evaluator = session_user);
GRANT UPDATE (declared_at, conflict) ON panel_members TO lotwise_evaluator, lotwise_moderator;
CREATE POLICY lotwise_own_update ON panel_members FOR UPDATE TO lotwise_evaluator, lotwise_moderator
    USING (person = session_user) WITH CHECK (person = session_user);
GRANT INSERT ON signoffs TO lotwise_evaluator, lotwise_moderator;
CREATE POLICY lotwise_own_insert ON signoffs FOR INSERT TO lotwise_evaluator, lotwise_moderator
    WITH CHECK (person = session_user);

-- An evaluator back on the network imports their own offline scoresheet through their login
-- (ops::eval::scoresheet): their key and the import are theirs alone to record.
GRANT INSERT ON panel_keys TO lotwise_evaluator;
CREATE POLICY lotwise_own_insert ON panel_keys FOR INSERT TO lotwise_evaluator
    WITH CHECK (person = session_user AND confirmed_by = session_user);
GRANT INSERT ON scoresheet_imports TO lotwise_evaluator;
CREATE POLICY lotwise_own_insert ON scoresheet_imports FOR INSERT TO lotwise_evaluator
    WITH CHECK (evaluator = session_user AND imported_by = session_user);

-- The moderator agrees the consensus and reopens moderation.
GRANT INSERT, UPDATE ON consensus TO lotwise_moderator;
CREATE POLICY lotwise_moderator_insert ON consensus FOR INSERT TO lotwise_moderator
    WITH CHECK (moderator = session_user);
CREATE POLICY lotwise_moderator_update ON consensus FOR UPDATE TO lotwise_moderator
    USING (true) WITH CHECK (moderator = session_user);
GRANT INSERT ON moderation_reopenings TO lotwise_moderator;
CREATE POLICY lotwise_moderator_insert ON moderation_reopenings FOR INSERT TO lotwise_moderator
    WITH CHECK ("by" = session_user);

-- Legal decides on award packs.
GRANT INSERT ON pack_reviews TO lotwise_legal;
CREATE POLICY lotwise_legal_insert ON pack_reviews FOR INSERT TO lotwise_legal
    WITH CHECK (reviewed_by = session_user);

-- Every committed change is announced (delivered at commit, once per transaction), so the
-- app refreshes the board, the lot page and the moderation board without a restart. Every
-- change appends an audit event, so a statement trigger there misses none.
CREATE OR REPLACE FUNCTION lotwise_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lotwise_changes', '');
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS lotwise_announce_change ON audit_events;
CREATE TRIGGER lotwise_announce_change AFTER INSERT ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION lotwise_announce_change();
