//! A team workspace in the real app: two app instances at once, signed in to the same
//! PostgreSQL server as two panel members through "Open a team workspace". The evaluator who
//! has not submitted sees only their own scores; the moderator, once declared, sees the
//! submitted originals but not the unsubmitted ones, and sees the last evaluator's arrive
//! without reloading when they submit (the server's NOTIFY). Needs the test server
//! (scripts/with-postgres, as make e2e runs it).
use fantoccini::{Client, Locator};
use lotwise_e2e::*;

const PW: &str = "e2e-password-long-enough";

struct Server {
    admin: String,
    host: String,
    port: String,
    db: String,
}

fn server() -> Server {
    let admin = std::env::var("LOTWISE_TEST_PG").expect(
        "LOTWISE_TEST_PG is not set: make e2e runs the tests through scripts/with-postgres",
    );
    let rest = &admin[admin.rfind('@').unwrap() + 1..];
    let (hostport, db) = rest.split_once('/').unwrap();
    let (host, port) = hostport.split_once(':').unwrap();
    Server {
        admin: admin.clone(),
        host: host.into(),
        port: port.into(),
        db: db.into(),
    }
}

fn lotwise(args: &[&str]) -> String {
    let bin = app_path().with_file_name("lotwise");
    let out = std::process::Command::new(&bin)
        .args(args)
        .output()
        .expect("the lotwise CLI (make cli builds it)");
    assert!(
        out.status.success(),
        "lotwise {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Fills in "Open a team workspace" and signs in.
async fn sign_in(c: &Client, s: &Server, user: &str, password: &str) {
    wait_for(c, "[data-testid=nav-team]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(c, "[data-testid=team-form]").await;
    for (field, value) in [
        ("host", s.host.as_str()),
        ("port", s.port.as_str()),
        ("database", s.db.as_str()),
        ("user", user),
        ("password", password),
    ] {
        let el = c
            .find(Locator::Css(&format!("#field-team-{field}")))
            .await
            .unwrap();
        replace(&el, value).await;
    }
    c.find(Locator::Css("#field-team-tlsMode"))
        .await
        .unwrap()
        .select_by_value("disable")
        .await
        .unwrap();
    click(c, "[data-testid=team-open]").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_panel_members_on_one_team_workspace_see_only_what_the_blind_rule_allows() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("laptop.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    // IT sets up the server and moves the officer's workspace in: the demo's Nottingham lot
    // is in evaluation, a.okafor and j.patel have submitted, r.hughes is part-way through.
    lotwise(&["team", "init", "--server", &s.admin]);
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{PW}\n")).unwrap();
    for (who, role) in [
        ("r.hughes", "evaluator"),
        ("a.okafor", "evaluator"),
        ("s.mills", "moderator"),
    ] {
        lotwise(&[
            "team",
            "add-user",
            who,
            "--role",
            role,
            "--password-file",
            pw.to_str().unwrap(),
            "--server",
            &s.admin,
        ]);
    }
    lotwise(&["workspace", "push", ws.to_str().unwrap(), "--to", &s.admin]);

    // Two app instances at once (the second starts later, so the screen shows each in turn).
    let d1 = Driver::start_as(&ws, "someone", "officer").await;
    let hughes = d1.session(&app_path()).await;

    // A wrong password is named at the password field; nothing else changes.
    sign_in(&hughes, &s, "r.hughes", "not-the-password").await;
    wait_text(
        &hughes,
        "[data-testid=error-team-password]",
        "refused the user name or password",
    )
    .await;
    screenshot(&hughes, "40-team-wrong-password").await;
    sign_in(&hughes, &s, "r.hughes", PW).await;
    wait_text(&hughes, "[data-testid=acting-as]", "r.hughes, Evaluator").await;
    wait_text(
        &hughes,
        "[data-testid=team-where]",
        &format!("Team workspace on {}:{}/{}", s.host, s.port, s.db),
    )
    .await;
    assert!(
        hughes
            .find(Locator::Css("[data-testid=switch-identity]"))
            .await
            .is_err(),
        "the server says who you are: no identity switch"
    );
    // r.hughes, not submitted: his own scores only.
    open_evaluation(&hughes).await;
    click(&hughes, "[data-testid=tab-scoring]").await;
    wait_for(&hughes, "[data-testid=score-grid]").await;
    screenshot(&hughes, "41-team-evaluator-scoring").await;

    let d2 = Driver::start_as(&ws, "someone-else", "officer").await;
    let mills = d2.session(&app_path()).await;
    sign_in(&mills, &s, "s.mills", PW).await;
    wait_text(&mills, "[data-testid=acting-as]", "s.mills, Moderator").await;

    // The moderator: nothing before declaring; then the submitted originals, not r.hughes's.
    open_evaluation(&mills).await;
    wait_text(
        &mills,
        "[data-testid=withheld]",
        "conflict-of-interest declaration",
    )
    .await;
    click(&mills, "[data-testid=coi-none]").await;
    click(&mills, "[data-testid=declare-submit]").await;
    wait_text(
        &mills,
        "[data-testid=notice]",
        "Your declaration is recorded",
    )
    .await;
    click(&mills, "[data-testid=tab-moderation]").await;
    let first = wait_for(&mills, "[data-testid^=mod-Q1-]").await;
    first.click().await.unwrap();
    wait_text(&mills, "[data-testid=originals]", "a.okafor").await;
    let originals = mills
        .find(Locator::Css("[data-testid=originals]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        originals.contains("j.patel") && !originals.contains("r.hughes"),
        "{originals}"
    );
    screenshot(&mills, "42-team-moderator-before").await;

    // r.hughes finishes and submits through his own login (as the CLI would); the
    // moderator's open board shows his originals without a reload.
    let me = lotwise::ops::workspace::open_team(&lotwise::ops::workspace::TeamConnection {
        host: s.host.clone(),
        port: s.port.clone(),
        database: s.db.clone(),
        user: "r.hughes".into(),
        password: PW.into(),
        tls_mode: "disable".into(),
        ca_file: String::new(),
    })
    .await
    .unwrap();
    let lot = lotwise::ops::lots::resolve(&me, "4", None).await.unwrap();
    let st = lotwise::ops::eval::state(&me, lot).await.unwrap();
    let model = st.model.clone().unwrap();
    for b in &st.bids {
        for (_, q) in model.questions() {
            if st
                .scores
                .iter()
                .any(|x| x.bid_id == b.id && x.question == q.key)
            {
                continue;
            }
            let score = if q.scale.max() == 1 { "pass" } else { "3" };
            lotwise::ops::eval::save_score(
                &me,
                lotwise::ops::eval::SaveScore {
                    lot_id: lot,
                    bid_id: b.id,
                    question: q.key.clone(),
                    score: score.into(),
                    justification:
                        "The answer meets the requirement, with named staff and a timetable".into(),
                },
            )
            .await
            .unwrap();
        }
    }
    lotwise::ops::eval::submit(&me, lot).await.unwrap();
    me.store.close().await;
    let first = wait_for(&mills, "[data-testid^=mod-Q1-]").await;
    first.click().await.unwrap();
    wait_text(&mills, "[data-testid=originals]", "r.hughes").await;
    screenshot(&mills, "43-team-moderator-after-submit").await;

    for (c, d) in [(hughes, d1), (mills, d2)] {
        c.close().await.unwrap();
        d.stop().await;
    }
}
