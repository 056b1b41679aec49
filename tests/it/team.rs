//! A team workspace's security, tested through plain PostgreSQL connections as each role
//! (not through Lotwise): the server itself refuses what a role may not see or do. Needs
//! the test server (scripts/with-postgres; make test runs the suite that way).
use sqlx::{Connection, PgConnection};

use lotwise::domain::roles::Role;
use lotwise::store::postgres::team;

pub(crate) struct Server {
    pub(crate) admin: String,
    pub(crate) db: String,
}

impl Server {
    pub(crate) fn url(&self, user: &str, password: &str) -> String {
        let rest = &self.admin[self.admin.find('@').unwrap()..];
        let host = &rest[..rest.rfind('/').unwrap()];
        format!("postgres://{user}:{password}{host}/{}", self.db)
    }
    pub(crate) fn admin_db(&self) -> String {
        format!(
            "{}/{}",
            &self.admin[..self.admin.rfind('/').unwrap()],
            self.db
        )
    }
}

pub(crate) const PW: &str = "correct-horse-battery";

/// A new database with `team init` run on it, people added and one lot with two bids, an
/// evaluator who has submitted (a.patel) and one who has not (b.jones).
async fn team_workspace(tag: &str) -> (Server, Vec<String>) {
    // Roles are the cluster's: each test names its people uniquely.
    let p = |who: &str| format!("{who}.{tag}");
    let people = vec![
        p("officer"),
        p("a.patel"),
        p("b.jones"),
        p("moderator"),
        p("legal"),
    ];
    let roles = [
        Role::Officer,
        Role::Evaluator,
        Role::Evaluator,
        Role::Moderator,
        Role::Legal,
    ];
    let with_roles: Vec<(&str, Role)> = people.iter().map(String::as_str).zip(roles).collect();
    let s = empty_team(tag, &with_roles).await;
    let mut a = PgConnection::connect(&s.admin_db()).await.unwrap();
    let (ev1, ev2, md) = (&people[1], &people[2], &people[3]);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO procurements (id, reference, title, service) VALUES (1, 'P1', 'Care', 'care');
         INSERT INTO lots (id, procurement_id, reference, title, geography, stage) VALUES (1, 1, 'Lot 1', 'North', 'North', 'evaluation');
         INSERT INTO suppliers (id, name) VALUES (1, 'Acme Care'), (2, 'Brightside');
         INSERT INTO bids (id, lot_id, supplier_id, price_pence) VALUES (1, 1, 1, 100000), (2, 1, 2, 120000);
         INSERT INTO panel_members (lot_id, person, role, declared_at) VALUES
           (1, '{ev1}', 'evaluator', now()), (1, '{ev2}', 'evaluator', now()), (1, '{md}', 'moderator', NULL);
         INSERT INTO scores (lot_id, bid_id, question, evaluator, score, justification, at) VALUES
           (1, 1, 'Q1', '{ev1}', 3, 'good', now()), (1, 1, 'Q1', '{ev2}', 2, 'fair', now());
         INSERT INTO submissions (lot_id, evaluator, at) VALUES (1, '{ev1}', now());"
    )))
    .execute(&mut a)
    .await
    .unwrap();
    (s, people)
}

async fn as_user(s: &Server, user: &str) -> PgConnection {
    PgConnection::connect(&s.url(user, PW)).await.unwrap()
}

async fn score_authors(c: &mut PgConnection) -> Vec<String> {
    sqlx::query_scalar("SELECT evaluator FROM scores ORDER BY evaluator")
        .fetch_all(c)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_evaluator_reads_no_one_elses_unsubmitted_scores() {
    let (s, p) = team_workspace("blind").await;
    // b.jones has not submitted: sees only their own score, not a.patel's submitted one.
    let mut b = as_user(&s, &p[2]).await;
    assert_eq!(score_authors(&mut b).await, vec![p[2].clone()]);
    // a.patel has submitted: sees their own, but b.jones's is unsubmitted and hidden.
    let mut a = as_user(&s, &p[1]).await;
    assert_eq!(score_authors(&mut a).await, vec![p[1].clone()]);
    // The moderator has not declared: sees no bids and no scores at all.
    let mut m = as_user(&s, &p[3]).await;
    assert!(score_authors(&mut m).await.is_empty());
    let bids: i64 = sqlx::query_scalar("SELECT count(*) FROM bids")
        .fetch_one(&mut m)
        .await
        .unwrap();
    assert_eq!(bids, 0, "bids are hidden until the moderator declares");
    // The officer, not on the panel, sees submitted scores only.
    let mut o = as_user(&s, &p[0]).await;
    assert_eq!(score_authors(&mut o).await, vec![p[1].clone()]);
}

#[tokio::test]
async fn a_submitted_score_and_a_model_approval_are_refused_by_the_server() {
    let (s, p) = team_workspace("refuse").await;
    let mut a = as_user(&s, &p[1]).await;
    let r = sqlx::query("UPDATE scores SET score = 4 WHERE evaluator = $1")
        .bind(&p[1])
        .execute(&mut a)
        .await;
    assert!(r.is_err(), "a submitted score cannot be changed");
    // Someone else's score: the policy hides it, so nothing is updated.
    let n = sqlx::query("UPDATE scores SET score = 0 WHERE evaluator = $1")
        .bind(&p[2])
        .execute(&mut a)
        .await
        .map(|r| r.rows_affected())
        .unwrap_or(0);
    assert_eq!(n, 0);
    // An evaluator cannot approve a model or review a pack, even by hand.
    assert!(
        sqlx::query("UPDATE eval_models SET approved_by = 'x'")
            .execute(&mut a)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("INSERT INTO pack_reviews (pack_id, decision, comments, reviewed_by, reviewed_at) VALUES (1, 'approved', '[]', 'x', now())")
            .execute(&mut a)
            .await
            .is_err()
    );
    // Nor score as someone else.
    assert!(
        sqlx::query("INSERT INTO scores (lot_id, bid_id, question, evaluator, score, justification, at) VALUES (1, 2, 'Q1', $1, 1, 'x', now())")
            .bind(&p[2])
            .execute(&mut a)
            .await
            .is_err()
    );
}

/// A second lot (2, with bid 3) whose panel no one is on.
async fn add_lot_without_panel(admin: &mut PgConnection) {
    sqlx::raw_sql(
        "INSERT INTO lots (id, procurement_id, reference, title, geography, stage) VALUES (2, 1, 'Lot 2', 'South', 'South', 'evaluation');
         INSERT INTO bids (id, lot_id, supplier_id, price_pence) VALUES (3, 2, 1, 90000);",
    )
    .execute(admin)
    .await
    .unwrap();
}

/// A score for question Q2 written by hand through a login's own connection, as `who`.
async fn score_by_hand(c: &mut PgConnection, lot: i64, bid: i64, who: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO scores (lot_id, bid_id, question, evaluator, score, justification, at) VALUES ($1, $2, 'Q2', $3, 1, 'by hand', now())",
    )
    .bind(lot)
    .bind(bid)
    .bind(who)
    .execute(c)
    .await
    .map(|_| ())
}

#[tokio::test]
async fn a_score_is_taken_only_from_a_declared_evaluator_on_the_lots_panel() {
    let (s, p) = team_workspace("onpanel").await;
    let mut a = PgConnection::connect(&s.admin_db()).await.unwrap();
    add_lot_without_panel(&mut a).await;
    // b.jones, declared on lot 1, may add a score there.
    let mut b = as_user(&s, &p[2]).await;
    score_by_hand(&mut b, 1, 2, &p[2]).await.unwrap();
    // Not on lot 2's panel: refused, though the bids of a lot one is not on are not hidden.
    let r = score_by_hand(&mut b, 2, 3, &p[2]).await;
    assert!(r.is_err(), "a score on a lot whose panel they are not on");
    // The moderator does not score, even on their own lot.
    let mut m = as_user(&s, &p[3]).await;
    let r = score_by_hand(&mut m, 1, 1, &p[3]).await;
    assert!(r.is_err(), "a score by the moderator");
    // Nor does an evaluator who has declared a conflict.
    sqlx::query("UPDATE panel_members SET conflict = 'Trustee of Acme Care' WHERE person = $1")
        .bind(&p[2])
        .execute(&mut a)
        .await
        .unwrap();
    let r = score_by_hand(&mut b, 1, 1, &p[2]).await;
    assert!(r.is_err(), "a score after declaring a conflict");
    let stored: Vec<(i64, String)> =
        sqlx::query_as("SELECT lot_id, evaluator FROM scores WHERE question = 'Q2'")
            .fetch_all(&mut a)
            .await
            .unwrap();
    assert_eq!(
        stored,
        vec![(1, p[2].clone())],
        "only the one allowed is kept"
    );
}

/// A policy corrected in a new version reaches a server already in use: a member's app
/// refuses the server until IT runs `team init` again, which brings the policies and the
/// recorded revision up to date and leaves the record as it was.
#[tokio::test]
async fn a_server_set_up_by_an_older_version_is_refused_until_team_init_refreshes_its_security() {
    let (s, p) = team_workspace("revision").await;
    let mut a = PgConnection::connect(&s.admin_db()).await.unwrap();
    // The server as the previous version left it: no revision recorded, and the insert
    // check that took a score from anyone who may see the lot's bids.
    sqlx::raw_sql(
        "SET ROLE lotwise_owner;
         DROP FUNCTION lotwise_security_revision();
         DROP POLICY lotwise_own_insert ON scores;
         CREATE POLICY lotwise_own_insert ON scores FOR INSERT TO lotwise_evaluator, lotwise_moderator
             WITH CHECK (evaluator = session_user AND lotwise_may_see_bids(lot_id));
         RESET ROLE;",
    )
    .execute(&mut a)
    .await
    .unwrap();
    let at = lotwise::ops::workspace::Location::Server(s.url(&p[2], PW));
    let open = || lotwise::ops::workspace::open(&at, lotwise::ops::workspace::Open::Existing);
    let e = open().await.err().expect("refused before the refresh");
    assert_eq!(e.code, lotwise::error::ErrorCode::Workspace);
    assert!(
        e.message.contains("security needs refreshing")
            && e.message.contains(&format!(
                "revision 1; this version needs {}",
                team::SECURITY_REVISION
            ))
            && e.message.contains("lotwise team init"),
        "{}",
        e.message
    );
    let scores_before: i64 = sqlx::query_scalar("SELECT count(*) FROM scores")
        .fetch_one(&mut a)
        .await
        .unwrap();
    let again = team::init(&s.admin_db()).await.unwrap();
    assert!(again.tables_secured > 0);
    let store = open().await.expect("opens after the refresh");
    assert_eq!(store.identity(), Some((p[2].clone(), Role::Evaluator)));
    let recorded: i32 = sqlx::query_scalar("SELECT lotwise_security_revision()")
        .fetch_one(&mut a)
        .await
        .unwrap();
    assert_eq!(recorded, team::SECURITY_REVISION);
    // The corrected check is in force: a lot whose panel b.jones is not on.
    add_lot_without_panel(&mut a).await;
    let mut b = as_user(&s, &p[2]).await;
    let r = score_by_hand(&mut b, 2, 3, &p[2]).await;
    assert!(r.is_err(), "the old insert check is gone");
    let scores_after: i64 = sqlx::query_scalar("SELECT count(*) FROM scores")
        .fetch_one(&mut a)
        .await
        .unwrap();
    assert_eq!(scores_after, scores_before, "the refresh changes no record");
}

#[tokio::test]
async fn the_server_writes_the_audit_trail_and_refuses_a_hand_written_event() {
    let (s, p) = team_workspace("audit").await;
    let mut o = as_user(&s, &p[0]).await;
    let r = sqlx::query(
        "INSERT INTO audit_events (seq, at, actor, action, entity, prev_hash, hash) VALUES (99, now(), 'someone', 'x', 'y', 'z', 'w')",
    )
    .execute(&mut o)
    .await;
    assert!(r.is_err(), "a plain INSERT into the audit trail is refused");
    // Through the function, the server names the login role whatever the caller claims.
    for action in ["lot.updated", "lot.stage_changed"] {
        sqlx::query("SELECT lotwise_audit_append($1, 'lot', 1, NULL, '{\"x\":1}')")
            .bind(action)
            .execute(&mut o)
            .await
            .unwrap();
    }
    let actors: Vec<String> = sqlx::query_scalar("SELECT actor FROM audit_events ORDER BY seq")
        .fetch_all(&mut o)
        .await
        .unwrap();
    assert_eq!(actors, vec![p[0].clone(), p[0].clone()]);
    // And the chain the server wrote verifies with the Rust rule.
    let store = lotwise::ops::workspace::open(
        &lotwise::ops::workspace::Location::Server(s.admin_db()),
        lotwise::ops::workspace::Open::Existing,
    )
    .await
    .unwrap();
    let ctx = lotwise::ops::Ctx::new(
        store,
        std::sync::Arc::new(lotwise::ops::FixedClock(chrono::Utc::now())),
        "admin",
    );
    let v = lotwise::ops::audit::verify(&ctx).await.unwrap();
    assert!(
        matches!(
            v,
            lotwise::domain::audit::AuditVerification::Ok { length: 2, .. }
        ),
        "{v:?}"
    );
}

#[tokio::test]
async fn a_team_workspace_opens_as_the_server_says_who_you_are() {
    let (s, p) = team_workspace("who").await;
    let store = lotwise::ops::workspace::open(
        &lotwise::ops::workspace::Location::Server(s.url(&p[1], PW)),
        lotwise::ops::workspace::Open::Existing,
    )
    .await
    .unwrap();
    assert_eq!(store.identity(), Some((p[1].clone(), Role::Evaluator)));
    let wrong = lotwise::ops::workspace::open(
        &lotwise::ops::workspace::Location::Server(s.url(&p[1], "not-the-password")),
        lotwise::ops::workspace::Open::Existing,
    )
    .await
    .err()
    .unwrap();
    assert!(
        wrong.message.contains("refused the user name or password"),
        "{}",
        wrong.message
    );
    assert!(!wrong.message.contains("not-the-password"));
    let users = team::users(&s.admin_db()).await.unwrap();
    assert!(
        users
            .iter()
            .any(|u| u.name == p[4] && u.role == Role::Legal)
    );
}

/// The blind rule is written twice (domain::eval::access and may_read_score in Rust, the
/// policies' functions in SQL): every viewer state × author state goes through both, and
/// they must agree.
#[tokio::test]
async fn the_blind_rule_in_sql_agrees_with_the_domain_for_every_viewer_and_record_state() {
    use chrono::Utc;
    use lotwise::domain::eval::{PanelMember, PanelRole, access, may_read_score};
    let (s, _) = team_workspace("rule").await;
    // (name, on the panel as, declared, conflict, submitted)
    let viewers: Vec<(&str, Option<PanelRole>, bool, bool, bool)> = vec![
        ("not-on-panel", None, false, false, false),
        (
            "ev-undeclared",
            Some(PanelRole::Evaluator),
            false,
            false,
            false,
        ),
        ("ev-conflict", Some(PanelRole::Evaluator), true, true, false),
        (
            "ev-declared",
            Some(PanelRole::Evaluator),
            true,
            false,
            false,
        ),
        (
            "ev-submitted",
            Some(PanelRole::Evaluator),
            true,
            false,
            true,
        ),
        (
            "mod-undeclared",
            Some(PanelRole::Moderator),
            false,
            false,
            false,
        ),
        (
            "mod-conflict",
            Some(PanelRole::Moderator),
            true,
            true,
            false,
        ),
        (
            "mod-declared",
            Some(PanelRole::Moderator),
            true,
            false,
            false,
        ),
    ];
    let name = |v: &str| format!("{v}.rule");
    let mut admin = PgConnection::connect(&s.admin_db()).await.unwrap();
    sqlx::raw_sql("DELETE FROM submissions; DELETE FROM scores; DELETE FROM panel_members;")
        .execute(&mut admin)
        .await
        .unwrap();
    let mut panel: Vec<PanelMember> = Vec::new();
    for (v, role, declared, conflict, submitted) in &viewers {
        let role_for_login = match role {
            None => Role::Officer,
            Some(PanelRole::Evaluator) => Role::Evaluator,
            Some(PanelRole::Moderator) => Role::Moderator,
        };
        team::add_user(&s.admin_db(), &name(v), role_for_login, PW)
            .await
            .unwrap();
        let Some(role) = role else { continue };
        let now = Utc::now();
        sqlx::query("INSERT INTO panel_members (lot_id, person, role, declared_at, conflict) VALUES (1, $1, $2, $3, $4)")
            .bind(name(v))
            .bind(role.key())
            .bind(declared.then_some(now))
            .bind(conflict.then_some("works for a bidder"))
            .execute(&mut admin)
            .await
            .unwrap();
        if *submitted {
            sqlx::query("INSERT INTO submissions (lot_id, evaluator, at) VALUES (1, $1, now())")
                .bind(name(v))
                .execute(&mut admin)
                .await
                .unwrap();
        }
        panel.push(PanelMember {
            person: name(v),
            role: *role,
            declared_at: declared.then_some(now),
            conflict: conflict.then(|| "works for a bidder".to_string()),
            submitted_at: submitted.then_some(now),
            signed_off_at: None,
        });
    }
    let authors = ["ev-submitted", "ev-declared", "mod-declared"];
    let mut checked = 0;
    for (v, ..) in &viewers {
        let viewer = name(v);
        let a = access(&viewer, &panel);
        let mut c = as_user(&s, &viewer).await;
        let (bids, submitted): (bool, bool) =
            sqlx::query_as("SELECT lotwise_may_see_bids(1), lotwise_may_see_submitted(1)")
                .fetch_one(&mut c)
                .await
                .unwrap();
        assert_eq!(bids, a.may_see_bids, "{viewer}: may see bids");
        assert_eq!(
            submitted, a.may_see_submitted,
            "{viewer}: may see submitted"
        );
        for author in authors.iter().map(|x| name(x)).chain([viewer.clone()]) {
            let author_submitted = panel
                .iter()
                .any(|m| m.person == author && m.submitted_at.is_some());
            let rust = may_read_score(&a, &viewer, &author, author_submitted);
            let sql: bool = sqlx::query_scalar("SELECT lotwise_may_read_score(1, $1)")
                .bind(&author)
                .fetch_one(&mut c)
                .await
                .unwrap();
            assert_eq!(sql, rust, "viewer {viewer}, author {author}");
            checked += 1;
        }
    }
    assert_eq!(checked, viewers.len() * 4);
}

#[test]
fn a_one_time_password_is_24_characters_from_the_alphabet_and_not_repeated() {
    let a = team::one_time_password().unwrap();
    let b = team::one_time_password().unwrap();
    assert_eq!(a.chars().count(), 24);
    assert!(
        a.chars()
            .all(|c| c.is_ascii_alphanumeric() && !"lo01IO".contains(c))
    );
    assert_ne!(a, b);
}

/// A team workspace with nothing in it yet but its people: `team init` on a new database
/// and one login per name, each in its role.
pub(crate) async fn empty_team(tag: &str, people: &[(&str, Role)]) -> Server {
    let admin = std::env::var("LOTWISE_TEST_PG")
        .expect("LOTWISE_TEST_PG is not set: run through scripts/with-postgres (make test does)");
    empty_team_on(&admin, tag, people).await
}

/// As `empty_team`, on the server whose administrator's URL is `admin`.
pub(crate) async fn empty_team_on(admin: &str, tag: &str, people: &[(&str, Role)]) -> Server {
    let db = format!("team_{tag}_{}", std::process::id());
    let mut c = PgConnection::connect(admin).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut c)
        .await
        .unwrap();
    let s = Server {
        admin: admin.to_string(),
        db,
    };
    team::init(&s.admin_db()).await.unwrap();
    for (name, role) in people {
        team::add_user(&s.admin_db(), name, *role, PW)
            .await
            .unwrap();
    }
    s
}

/// The engine acting as a login: who it is comes from the server, as in the CLI and app.
pub(crate) async fn team_ctx(s: &Server, user: &str) -> lotwise::ops::Ctx {
    let store = lotwise::ops::workspace::open(
        &lotwise::ops::workspace::Location::Server(s.url(user, PW)),
        lotwise::ops::workspace::Open::Existing,
    )
    .await
    .unwrap();
    let (name, role) = store.identity().expect("a team member");
    lotwise::ops::Ctx::new(
        store,
        std::sync::Arc::new(lotwise::ops::FixedClock(crate::support::now())),
        name.clone(),
    )
    .acting_as(name, role)
}

/// The whole evaluation, each step by the person who really does it through their own
/// login: what the engine writes is what the grants allow, and the server's blind rule
/// agrees with the engine's at every step.
/// A team of an officer and a panel, and the officer's lot at evaluation with the three bids
/// of `evaluation::BIDS` and the panel on it (undeclared): the server, the officer's context
/// and the lot.
async fn panel_at_evaluation(
    tag: &str,
    officer: &str,
    panel: &[(&str, Role)],
) -> (Server, lotwise::ops::Ctx, lotwise::domain::ids::LotId) {
    use crate::evaluation::{BIDS, lot_at_tender, to_evaluation};
    use lotwise::ops::eval;
    let mut people = vec![(officer, Role::Officer)];
    people.extend_from_slice(panel);
    let s = empty_team(tag, &people).await;
    let ctx = team_ctx(&s, officer).await;
    let p = crate::support::kcc_procurement(&ctx).await;
    let lot = lot_at_tender(&ctx, p, "Lot 1", "£100,000").await;
    eval::import_bids_text(&ctx, lot, BIDS, "bids.csv")
        .await
        .unwrap();
    to_evaluation(&ctx, lot).await;
    for (who, role) in panel {
        eval::add_panel_member(&ctx, lot, who, role.key())
            .await
            .unwrap();
    }
    (s, ctx, lot)
}

#[tokio::test]
async fn an_evaluation_runs_end_to_end_through_each_persons_own_login() {
    use crate::evaluation::{bid, full};
    use lotwise::ops::eval;
    use lotwise::ops::lots::{self, AdvanceStage};
    let [of, ann, bob, mo] = ["olivia.j", "ann.j", "bob.j", "mo.j"];
    let (s, officer, lot) = panel_at_evaluation(
        "journey",
        of,
        &[
            (ann, Role::Evaluator),
            (bob, Role::Evaluator),
            (mo, Role::Moderator),
        ],
    )
    .await;
    let (a, b, m) = (
        team_ctx(&s, ann).await,
        team_ctx(&s, bob).await,
        team_ctx(&s, mo).await,
    );
    assert!(eval::state(&a, lot).await.unwrap().bids.is_empty());
    for c in [&a, &b, &m] {
        eval::declare(c, lot, None).await.unwrap();
    }
    eval::import_scores_text(&a, lot, &full(ann, 4, 3, 2), "ann.csv")
        .await
        .unwrap();
    eval::import_scores_text(&b, lot, &full(bob, 2, 4, 2), "bob.csv")
        .await
        .unwrap();
    let bob_view = eval::state(&b, lot).await.unwrap();
    assert!(bob_view.scores.iter().all(|x| x.evaluator == bob));
    assert!(
        bob_view
            .progress
            .iter()
            .any(|p| p.evaluator == ann && p.scored == 9),
        "progress counts others' scores without showing them: {:?}",
        bob_view.progress
    );
    assert!(eval::state(&officer, lot).await.unwrap().scores.is_empty());
    eval::submit(&a, lot).await.unwrap();
    eval::submit(&b, lot).await.unwrap();
    // The moderator sees both sets of originals and agrees a consensus with reasons.
    let board = eval::moderation(&m, lot).await.unwrap();
    assert!(board.ready);
    let alpha = bid(&m, lot, "Alpha Care Ltd").await;
    let cell = board
        .cells
        .iter()
        .find(|c| c.bid_id == alpha && c.question == "Q1")
        .unwrap();
    assert_eq!(cell.originals.len(), 2);
    let mut csv = String::from("bidder,question,score,reason\n");
    for bidder in ["Alpha Care Ltd", "Beta Trust", "Epsilon Ltd"] {
        for q in ["Q1", "Q2"] {
            csv.push_str(&format!(
                "{bidder},{q},3,Agreed at 3: the answer to {q} meets the requirement\n"
            ));
        }
        csv.push_str(&format!(
            "{bidder},PF1,pass,Certificates of insurance supplied with the bid\n"
        ));
    }
    eval::import_consensus_text(&m, lot, &csv, "consensus.csv")
        .await
        .unwrap();
    let r = eval::results(&officer, lot).await.unwrap();
    assert_eq!(r.scored.bids[0].bidder, "Alpha Care Ltd");
    for c in [&a, &b, &m] {
        eval::sign_off(c, lot).await.unwrap();
    }
    eval::reopen(&m, lot, "Legal asked for Q2 to be looked at again")
        .await
        .unwrap();
    for c in [&a, &b, &m] {
        eval::sign_off(c, lot).await.unwrap();
    }
    lots::advance_stage(
        &officer,
        AdvanceStage {
            lot_id: lot,
            to: "award".into(),
            reason: None,
        },
    )
    .await
    .unwrap();
    // Every event names the login that did it, and the chain the server wrote verifies.
    let trail = lotwise::ops::audit::page(&officer, 0, 500).await.unwrap();
    let actor = |action: &str| -> Vec<String> {
        let mut v: Vec<String> = trail
            .events
            .iter()
            .filter(|e| e.action == action)
            .map(|e| e.actor.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(actor("eval.scores_submitted"), vec![ann, bob]);
    assert_eq!(actor("eval.moderation_reopened"), vec![mo]);
    assert_eq!(actor("lot.created"), vec![of]);
    assert!(matches!(
        lotwise::ops::audit::verify(&officer).await.unwrap(),
        lotwise::domain::audit::AuditVerification::Ok { .. }
    ));
}

/// Legal's decision on an award pack, through legal's own login: the officer builds the
/// pack, cannot approve it, and legal's approval names the login that gave it.
/// A member's app checks a save against the facts it read for the one before (the lot,
/// its model, the panel, the bids), and keeps the score only while the server's generation
/// of those facts is unchanged: a change made since, by the app or by hand-written SQL that
/// no policy would catch, is read and decided on before anything is kept.
#[tokio::test]
async fn a_save_is_decided_on_facts_no_older_than_the_last_change() {
    use crate::evaluation::bid;
    use lotwise::ops::eval::{self, SaveScore};
    let [of, ann, bob] = ["olivia.k", "ann.k", "bob.k"];
    let (s, officer, lot) = panel_at_evaluation(
        "kept",
        of,
        &[(ann, Role::Evaluator), (bob, Role::Evaluator)],
    )
    .await;
    let (a, b) = (team_ctx(&s, ann).await, team_ctx(&s, bob).await);
    eval::declare(&a, lot, None).await.unwrap();
    let alpha = bid(&a, lot, "Alpha Care Ltd").await;
    let save = |ctx: lotwise::ops::Ctx, q: &'static str, score: &'static str| async move {
        eval::save_score(
            &ctx,
            SaveScore {
                lot_id: lot,
                bid_id: alpha,
                question: q.into(),
                score: score.into(),
                justification: "Section two of the bid gives the evidence".into(),
            },
        )
        .await
    };
    save(a.clone(), "Q1", "3").await.unwrap();
    save(a.clone(), "Q2", "3").await.unwrap();
    let mut c = PgConnection::connect(&s.admin_db()).await.unwrap();
    let before = generation(&mut c).await;
    // Another person's change through the app raises the generation (bob declares).
    eval::declare(&b, lot, None).await.unwrap();
    let after = generation(&mut c).await;
    assert!(after > before, "a declaration is a change to the facts");
    save(a.clone(), "Q1", "4").await.unwrap();
    assert_eq!(kept(&mut c, "Q1").await, Some(4));

    // A change by hand that no policy checks: the lot taken out of evaluation. The next save
    // is decided on it, not on the facts read before it.
    sqlx::query("UPDATE lots SET stage = 'tender' WHERE id = $1")
        .bind(lot.0)
        .execute(&mut c)
        .await
        .unwrap();
    let e = save(a.clone(), "Q1", "1").await.unwrap_err();
    assert_eq!(e.code, lotwise::error::ErrorCode::Conflict, "{e:?}");
    assert!(
        e.message.contains("scores can be recorded"),
        "{}",
        e.message
    );
    assert_eq!(kept(&mut c, "Q1").await, Some(4), "nothing was kept");
    sqlx::query("UPDATE lots SET stage = 'evaluation' WHERE id = $1")
        .bind(lot.0)
        .execute(&mut c)
        .await
        .unwrap();
    save(a.clone(), "Q1", "2").await.unwrap();
    assert_eq!(kept(&mut c, "Q1").await, Some(2));

    // Their own submission is read too: the save is refused by the rule, in its words.
    eval::import_scores_text(&a, lot, &crate::evaluation::full(ann, 4, 3, 2), "ann.csv")
        .await
        .unwrap();
    eval::submit(&a, lot).await.unwrap();
    let e = save(a.clone(), "Q1", "5").await.unwrap_err();
    assert!(e.message.contains("you have submitted"), "{}", e.message);
    match lotwise::ops::audit::verify(&officer).await.unwrap() {
        lotwise::domain::audit::AuditVerification::Ok { .. } => {}
        broken => panic!("{broken:?}"),
    }
}

async fn kept(c: &mut PgConnection, question: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT score FROM scores WHERE question = $1 AND evaluator = 'ann.k'")
        .bind(question)
        .fetch_optional(c)
        .await
        .unwrap()
}

async fn generation(c: &mut PgConnection) -> i64 {
    sqlx::query_scalar("SELECT last_value FROM lotwise_facts_generation")
        .fetch_one(c)
        .await
        .unwrap()
}

/// The generation can be read by every member and moved by none of them: it only goes up,
/// by the server's own trigger.
#[tokio::test]
async fn no_member_can_move_the_generation_of_the_facts() {
    let (s, p) = team_workspace("generation").await;
    for who in &p {
        let mut c = as_user(&s, who).await;
        assert!(generation(&mut c).await >= 1);
        for sql in [
            "SELECT setval('lotwise_facts_generation', 1)",
            "SELECT nextval('lotwise_facts_generation')",
            "ALTER SEQUENCE lotwise_facts_generation RESTART",
        ] {
            assert!(
                sqlx::query(sql).execute(&mut c).await.is_err(),
                "{who}: {sql}"
            );
        }
    }
}

#[tokio::test]
async fn legal_reviews_the_award_pack_through_their_own_login() {
    use lotwise::ops::award::ReviewPack;
    let [of, lg] = ["olivia.l", "dee.l"];
    let s = empty_team("legal", &[(of, Role::Officer), (lg, Role::Legal)]).await;
    // The demo holds every panel member's scores, so the owner (administrator) loads it.
    let admin = lotwise::ops::workspace::open(
        &lotwise::ops::workspace::Location::Server(s.admin_db()),
        lotwise::ops::workspace::Open::Existing,
    )
    .await
    .unwrap();
    assert_eq!(admin.identity(), None);
    let admin = lotwise::ops::Ctx::new(
        admin,
        std::sync::Arc::new(lotwise::ops::FixedClock(crate::support::now())),
        "it-admin",
    );
    let wk = crate::award::demo_west_kent(&admin).await;
    let officer = team_ctx(&s, of).await;
    let legal = team_ctx(&s, lg).await;
    crate::award::ready_for_pack(&officer, wk).await;
    let pack = lotwise::ops::award::build_pack(&officer, wk, &mut |_| {})
        .await
        .unwrap();
    let review = |decision: &str| ReviewPack {
        pack_id: pack.id,
        decision: decision.into(),
        comments: vec![],
    };
    assert!(
        lotwise::ops::award::review(&officer, review("approve"))
            .await
            .is_err()
    );
    let approved = lotwise::ops::award::review(&legal, review("approve"))
        .await
        .unwrap();
    assert_eq!(approved.review.unwrap().by, lg);
    let trail = lotwise::ops::audit::page(&officer, 0, 5).await.unwrap();
    let e = trail
        .events
        .iter()
        .find(|e| e.action == "award.pack_approved")
        .unwrap();
    assert_eq!(e.actor, lg);
    assert!(matches!(
        lotwise::ops::audit::verify(&legal).await.unwrap(),
        lotwise::domain::audit::AuditVerification::Ok { .. }
    ));
}

fn lotwise_cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lotwise"))
        .args(args)
        .env("LOTWISE_USER", "it-admin")
        .output()
        .expect("run lotwise")
}

async fn row_counts(url: &str) -> Vec<(String, i64)> {
    let store = lotwise::ops::workspace::open(
        &lotwise::ops::workspace::Location::parse(url),
        lotwise::ops::workspace::Open::Existing,
    )
    .await
    .unwrap();
    let ctx = lotwise::ops::Ctx::new(
        store.clone(),
        std::sync::Arc::new(lotwise::ops::FixedClock(crate::support::now())),
        "it-admin",
    );
    let board = lotwise::ops::lots::board(&ctx).await.unwrap();
    let lots: i64 = board.columns.iter().map(|c| c.cards.len() as i64).sum();
    let trail = lotwise::ops::audit::page(&ctx, 0, 1).await.unwrap();
    let head = match lotwise::ops::audit::verify(&ctx).await.unwrap() {
        lotwise::domain::audit::AuditVerification::Ok { head, .. } => head,
        broken => panic!("{broken:?}"),
    };
    store.close().await;
    vec![
        ("lots".into(), lots),
        ("audit events".into(), trail.total),
        (head, 0),
    ]
}

/// A laptop workspace moved into an empty team workspace: every lot and audit event, the
/// chain head the same; people then work in it through their logins (ids carry on from the
/// pushed ones). A copy taken back with `backup` opens read-only and says what it is, and is
/// never pushed back.
#[tokio::test]
async fn a_laptop_workspace_is_pushed_whole_and_a_copy_comes_back_read_only() {
    let ws = crate::support::workspace();
    let o = lotwise_cli(&["--workspace", ws.path.to_str().unwrap(), "demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = row_counts(ws.path.to_str().unwrap()).await;

    let of = "olivia.push";
    let s = empty_team("push", &[(of, Role::Officer)]).await;
    // A member's login may not push.
    let o = lotwise_cli(&[
        "workspace",
        "push",
        ws.path.to_str().unwrap(),
        "--to",
        &s.url(of, PW),
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("pushed by the owner or an administrator"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = lotwise_cli(&[
        "workspace",
        "push",
        ws.path.to_str().unwrap(),
        "--to",
        &s.admin_db(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["chainHead"].as_str().unwrap(), before[2].0);
    assert_eq!(report["auditEvents"].as_i64().unwrap(), before[1].1);
    assert_eq!(row_counts(&s.admin_db()).await, before);
    // Pushing again is refused: the team workspace is no longer empty.
    let o = lotwise_cli(&[
        "workspace",
        "push",
        ws.path.to_str().unwrap(),
        "--to",
        &s.admin_db(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("already holds records"));

    // The officer carries on through their own login: new ids follow the pushed ones.
    let officer = team_ctx(&s, of).await;
    let p = lotwise::ops::registers::list_procurements(&officer)
        .await
        .unwrap()[0]
        .id;
    let lot = lotwise::ops::lots::create(
        &officer,
        lotwise::ops::lots::CreateLot {
            procurement_id: p,
            reference: "Lot 99".into(),
            title: "After the move".into(),
            geography: "Kent".into(),
            estimated_annual_value: None,
            term: None,
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap();
    assert!(lot.id.0 > 1);
    assert!(matches!(
        lotwise::ops::audit::verify(&officer).await.unwrap(),
        lotwise::domain::audit::AuditVerification::Ok { .. }
    ));

    // A copy back: consistent, read-only, marked.
    let copy = ws.dir.path().join("copy.lotwise");
    let o = lotwise_cli(&[
        "--workspace",
        &s.admin_db(),
        "backup",
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("opens read-only"));
    let after = row_counts(&s.admin_db()).await;
    assert_eq!(row_counts(copy.to_str().unwrap()).await, after);
    let store = lotwise::store::sqlite::SqliteStore::open(&copy)
        .await
        .unwrap();
    use lotwise::store::Store;
    assert!(store.read_only());
    let marker = store.copy_of().expect("marked as a copy");
    assert_eq!(marker.taken_by, "lotwise_admin");
    assert!(marker.server.contains(&s.db) && !marker.server.contains("lotwise-test-pw"));
    store.close().await;
    let o = lotwise_cli(&[
        "--workspace",
        copy.to_str().unwrap(),
        "lots",
        "create",
        "--procurement",
        "1",
        "--reference",
        "X",
        "--title",
        "Y",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("is a copy of") && err.contains("read-only"),
        "{err}"
    );
    let o = lotwise_cli(&[
        "workspace",
        "push",
        copy.to_str().unwrap(),
        "--to",
        &s.admin_db(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("never pushed back"));
}

/// The desktop's "Open a team workspace" form: each mistake is named at its field, and a
/// good sign-in acts as the login the server names. Another login's change is announced
/// to the open workspace without a restart.
#[tokio::test]
async fn the_open_a_team_workspace_form_names_each_mistake_and_sees_others_changes() {
    use lotwise::ops::workspace::{TeamConnection, open_team};
    let [of, ev] = ["olivia.form", "ann.form"];
    let s = empty_team("form", &[(of, Role::Officer), (ev, Role::Evaluator)]).await;
    let hostport =
        s.admin[s.admin.rfind('@').unwrap() + 1..s.admin.rfind('/').unwrap()].to_string();
    let (host, port) = hostport.split_once(':').unwrap();
    let form = |user: &str, password: &str| TeamConnection {
        host: host.into(),
        port: port.into(),
        database: s.db.clone(),
        user: user.into(),
        password: password.into(),
        tls_mode: "disable".into(),
        ca_file: String::new(),
    };
    let not_pem = std::env::temp_dir().join(format!("not-a-ca-{}.txt", std::process::id()));
    std::fs::write(&not_pem, "hello").unwrap();
    let ok = form(of, PW);
    // Each mistake, and the field it is named at.
    let mistakes: Vec<(TeamConnection, &str)> = vec![
        (
            TeamConnection {
                host: " ".into(),
                ..ok.clone()
            },
            "host",
        ),
        (
            TeamConnection {
                port: "54x".into(),
                ..ok.clone()
            },
            "port",
        ),
        (
            TeamConnection {
                database: "".into(),
                ..ok.clone()
            },
            "database",
        ),
        (form(of, ""), "password"),
        (
            TeamConnection {
                tls_mode: "verify-full".into(),
                ..ok.clone()
            },
            "caFile",
        ),
        (
            TeamConnection {
                tls_mode: "verify-full".into(),
                ca_file: not_pem.display().to_string(),
                ..ok.clone()
            },
            "caFile",
        ),
        (form(of, "wrong-password-here"), "password"),
        (
            TeamConnection {
                database: "no_such_db".into(),
                ..ok.clone()
            },
            "database",
        ),
        // Nothing listens on port 1: the server cannot be reached.
        (
            TeamConnection {
                port: "1".into(),
                ..ok.clone()
            },
            "host",
        ),
    ];
    for (c, want) in &mistakes {
        let e = open_team(c).await.err().expect("refused");
        assert_eq!(e.field.as_deref(), Some(*want), "{}", e.message);
    }
    let _ = std::fs::remove_file(&not_pem);
    // The administrator acts for no one in the record.
    let creds = &s.admin["postgres://".len()..s.admin.rfind('@').unwrap()];
    let (admin_user, admin_pw) = creds.split_once(':').unwrap();
    let e = open_team(&form(admin_user, admin_pw)).await.err().unwrap();
    assert!(
        e.message.contains("not a Lotwise team member"),
        "{}",
        e.message
    );

    let officer = open_team(&form(of, PW)).await.unwrap();
    assert_eq!((officer.user.as_str(), officer.role), (of, Role::Officer));
    let info = lotwise::ops::workspace::info(&officer, std::path::Path::new("unused"));
    assert_eq!(
        info.team.as_deref(),
        Some(format!("postgres://{of}@{host}:{port}/{}", s.db).as_str())
    );
    let e = lotwise::ops::workspace::switch_identity(
        &officer,
        std::path::Path::new("unused"),
        ev,
        "evaluator",
    )
    .err()
    .unwrap();
    assert!(
        e.message.contains("the server says who you are"),
        "{}",
        e.message
    );

    let mut changes = officer
        .store
        .watch()
        .await
        .unwrap()
        .expect("a team workspace announces changes");
    let other = open_team(&form(ev, PW)).await.unwrap();
    let other_officer = team_ctx(&s, of).await;
    lotwise::ops::registers::create_organisation(
        &other_officer,
        lotwise::ops::registers::CreateOrganisation {
            name: "Medway Council".into(),
            kind: "unitary_council".into(),
        },
    )
    .await
    .unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), changes.recv())
        .await
        .expect("the change is announced within seconds")
        .expect("the feed is open");
    drop(other);
}

/// An evaluator's copy of the team workspace holds what they may see and no more: their
/// own unsubmitted scores and others' submitted ones only once they have submitted.
#[tokio::test]
async fn an_evaluators_copy_holds_only_what_the_blind_rule_lets_them_see() {
    let (s, p) = team_workspace("evcopy").await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("b.jones.lotwise");
    // b.jones has not submitted: a.patel's submitted score stays out of his copy.
    // As b.jones himself: no LOTWISE_USER naming someone else.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_lotwise"))
        .args([
            "--workspace",
            &s.url(&p[2], PW),
            "backup",
            "--out",
            copy.to_str().unwrap(),
        ])
        .env_remove("LOTWISE_USER")
        .env_remove("LOTWISE_ROLE")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = lotwise::store::sqlite::SqliteStore::open(&copy)
        .await
        .unwrap();
    let authors: Vec<String> = sqlx::query_scalar("SELECT evaluator FROM scores ORDER BY 1")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(authors, vec![p[2].clone()]);
    use lotwise::store::Store;
    assert_eq!(store.copy_of().unwrap().taken_by, p[2]);
    store.close().await;
}

/// Every laptop that works on a team workspace keeps its own anchor journal of the
/// server's record: cut the record on the server (its last events deleted by someone with
/// the administrator's login) and the laptop's `audit verify` says so.
#[tokio::test]
async fn each_laptop_keeps_its_own_journal_of_the_team_record() {
    use lotwise::ops::registers::{CreateOrganisation, create_organisation};
    let data = tempfile::tempdir().unwrap();
    // SAFETY: nextest runs each test in a process of its own; nothing else reads it yet.
    unsafe { std::env::set_var("XDG_DATA_HOME", data.path()) };
    let s = empty_team("journal", &[("olivia.jl", Role::Officer)]).await;
    let of = team_ctx(&s, "olivia.jl").await;
    for name in [
        "Medway Council",
        "Swale Borough Council",
        "Dartford Borough Council",
    ] {
        create_organisation(
            &of,
            CreateOrganisation {
                name: name.into(),
                kind: "unitary_council".into(),
            },
        )
        .await
        .unwrap();
    }
    let r = lotwise::ops::audit::verify_all(&of, &[]).await.unwrap();
    assert!(r.ok, "{r:?}");
    assert!(r.journal.entries >= 3, "{:?}", r.journal);
    assert!(
        r.journal
            .path
            .as_deref()
            .unwrap()
            .starts_with(data.path().to_str().unwrap())
    );

    // The administrator cuts the last two events on the server.
    let mut admin = sqlx::PgConnection::connect(&s.admin_db()).await.unwrap();
    sqlx::raw_sql(
        "ALTER TABLE audit_events DISABLE TRIGGER USER;
         DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 2 FROM audit_events);
         ALTER TABLE audit_events ENABLE TRIGGER USER;",
    )
    .execute(&mut admin)
    .await
    .unwrap();
    let r = lotwise::ops::audit::verify_all(&of, &[]).await.unwrap();
    assert!(matches!(
        r.chain,
        lotwise::domain::audit::AuditVerification::Ok { .. }
    ));
    assert!(!r.ok);
    let failed: Vec<_> = r.anchors.iter().filter(|a| !a.holds).collect();
    assert!(!failed.is_empty());
    assert!(
        failed
            .iter()
            .any(|a| a.message.contains("are missing") || a.message.contains("is missing")),
        "{failed:?}"
    );
    // And as the app would show it on opening.
    let c = lotwise::ops::audit::check_journal(&of).await.unwrap();
    assert!(!c.failed.is_empty());
}
