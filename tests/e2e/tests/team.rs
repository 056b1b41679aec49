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

/// What a screen offers on a read-only copy: every form it shows must be one that changes
/// nothing (the allocation tool's "work it out", the specification's compare) or one that
/// shows the record with its fields disabled and no button; no known write button; the
/// scoring grid's cells read-only.
async fn offers_no_change(c: &Client, screen: &str) -> serde_json::Value {
    // Loading placeholders gone first: a screen checked before it has drawn proves nothing.
    for _ in 0..100 {
        let busy = c
            .execute(
                "return document.querySelectorAll('[aria-busy=true]').length;",
                vec![],
            )
            .await
            .unwrap();
        if busy == serde_json::json!(0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let found = c
        .execute(
            r#"const reads = ["allocation-form", "compare-form"];
            const forms = [...document.querySelectorAll("form")];
            const writeForms = forms
              .filter(f => !reads.includes(f.dataset.testid || "") && !f.classList.contains("read-only-form"))
              .map(f => f.dataset.testid || f.getAttribute("aria-label") || f.className || "a form");
            const shown = [...document.querySelectorAll(".read-only-form, .read-only-fields")];
            const typeable = shown.flatMap(x => [...x.querySelectorAll("input, textarea, select")])
              .filter(e => !e.matches(":disabled")).map(e => e.id || e.name || e.tagName);
            const pressable = shown.flatMap(x => [...x.querySelectorAll("button")])
              .filter(b => b.getClientRects().length > 0).map(b => b.textContent.trim());
            const writes = ["save-score", "submit-scores", "approve-model", "apply-template", "build-pack",
              "sign-off", "paper-save", "paper-generate", "send-to-evaluation", "spec-approve",
              "allocation-save", "advance-submit", "declare-submit", "consensus-save", "import-sheet",
              "switch-identity"]
              .filter(t => document.querySelector(`[data-testid=${t}]`));
            if ([...document.querySelectorAll("a")].some(a => (a.getAttribute("href") || "").endsWith("/lots/new")))
              writes.push("Add a lot");
            const cells = [...document.querySelectorAll("input[data-cell]")].filter(i => !i.readOnly).length;
            // A file picked is a file imported (bids, a staff list, consensus), but for the
            // allocation tool's, which only works out shares.
            const files = [...document.querySelectorAll("input[type=file]")]
              .filter(i => i.matches(":enabled") && i.dataset.testid !== "allocation-file").map(i => i.id);
            return { writeForms, typeable, pressable, writes, files, cells, shown: shown.length };"#,
            vec![],
        )
        .await
        .unwrap();
    for key in ["writeForms", "typeable", "pressable", "writes", "files"] {
        assert_eq!(
            found[key],
            serde_json::json!([]),
            "{screen}: a read-only copy offers a change ({key}): {found}"
        );
    }
    assert_eq!(found["cells"], serde_json::json!(0), "{screen}: {found}");
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_of_the_team_workspace_opens_read_only_and_offers_no_change() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("laptop.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    // A database of its own on the test server, so this test and the one above never share one.
    let db = "lotwise_e2e_copy";
    let base = &s.admin[..s.admin.rfind('/').unwrap()];
    let made = std::process::Command::new("psql")
        .args([s.admin.as_str(), "-q"])
        .args(["-c", &format!("DROP DATABASE IF EXISTS {db}")])
        .args(["-c", &format!("CREATE DATABASE {db}")])
        .output()
        .expect("psql (make test installs postgresql)");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let server_url = format!("{base}/{db}");
    lotwise(&["team", "init", "--server", &server_url]);
    lotwise(&[
        "workspace",
        "push",
        ws.to_str().unwrap(),
        "--to",
        &server_url,
    ]);
    let copy = dir.path().join("copy.lotwise");
    lotwise(&[
        "backup",
        "--workspace",
        &server_url,
        "--out",
        copy.to_str().unwrap(),
    ]);

    // The officer's laptop opens the copy offline: the banner says what it is on every page.
    let d = Driver::start(&copy).await;
    let c = d.session(&app_path()).await;
    wait_text(&c, "[data-testid=copy-of]", "opens read-only").await;
    wait_for(&c, "[data-testid=board]").await;
    offers_no_change(&c, "board").await;
    screenshot(&c, "44-copy-board").await;

    // Every tab of a lot at each stage from market engagement to contract.
    let tabs = [
        ("overview", "[data-testid=history]"),
        ("route", "[data-testid=route-tab]"),
        ("engagement", "[data-testid=engagement-tab]"),
        ("specification", "[data-testid=spec-tab]"),
        ("tender", "[data-testid=tender-tab]"),
        ("notices", "[data-testid=notices-tab]"),
        ("documents", "[data-testid=paper-preview]"),
        ("award", "[data-testid=award-tab]"),
        ("tupe", "[data-testid=tupe-tab]"),
    ];
    let mut recorded_shown = 0;
    for title in [
        "Community Navigation: West Kent",
        "Community Navigation: East Kent",
        "Community Navigation: DGS&S",
        "Integrated 0-5 Public Health Services",
        "Specialist Preventative Services (West Kent)",
        "Healthy Together 0-19 (Section 75)",
    ] {
        for (i, (tab, ready)) in tabs.iter().enumerate() {
            if i == 0 {
                open_lot_tab(&c, title, tab).await;
            } else {
                click(&c, &format!("[data-testid=lot-tab-{tab}]")).await;
            }
            wait_for(&c, ready).await;
            let found = offers_no_change(&c, &format!("{title}, {tab}")).await;
            recorded_shown += found["shown"].as_u64().unwrap();
        }
        back_to_board(&c).await;
    }
    // The route, specification, award dates and TUPE plan were shown, fields disabled: what
    // is recorded stays readable on the copy.
    assert!(
        recorded_shown >= 6,
        "{recorded_shown} forms shown read-only"
    );
    open_lot_tab(&c, "Community Navigation: East Kent", "specification").await;
    wait_for(&c, ".read-only-form[data-testid=spec-form]").await;
    screenshot(&c, "45-copy-specification").await;
    click(&c, "[data-testid=lot-tab-documents]").await;
    wait_for(&c, "[data-testid=paper-preview]").await;
    wait_for(&c, ".read-only-fields").await;
    screenshot(&c, "46-copy-documents").await;
    // The procurement's budget and savings, and the contracts register.
    click(&c, "[data-testid=lot-tab-overview]").await;
    click(&c, "[data-testid=lot-procurement-link]").await;
    wait_for(&c, "[data-testid=finance-tab]").await;
    let found = offers_no_change(&c, "procurement, finance").await;
    assert!(found["shown"].as_u64().unwrap() >= 1, "{found}");
    screenshot(&c, "47-copy-finance").await;
    click(&c, "[data-testid=nav-contracts]").await;
    wait_for(&c, "[data-testid=contracts]").await;
    offers_no_change(&c, "contracts").await;
    click(&c, "[data-testid=nav-board]").await;

    // The evaluation: no template, approval or declaration offered.
    open_evaluation(&c).await;
    for tab in ["model", "moderation"] {
        click(&c, &format!("[data-testid=tab-{tab}]")).await;
        offers_no_change(&c, &format!("evaluation, {tab}")).await;
    }
    c.close().await.unwrap();
    d.stop().await;

    // An evaluator's copy: his scores show, the grid is read-only, nothing to save or submit.
    let d = Driver::start_as(&copy, "r.hughes", "evaluator").await;
    let c = d.session(&app_path()).await;
    wait_text(&c, "[data-testid=copy-of]", "opens read-only").await;
    open_evaluation(&c).await;
    click(&c, "[data-testid=tab-scoring]").await;
    wait_for(&c, "[data-testid=score-grid]").await;
    wait_for(&c, "input[data-cell]").await;
    offers_no_change(&c, "evaluation, scoring").await;
    screenshot(&c, "48-copy-scoring").await;
    // Adding a lot: the page says why there is no form.
    let url = c.current_url().await.unwrap();
    let page = url.as_str().split('#').next().unwrap();
    c.goto(&format!("{page}#/lots/new")).await.unwrap();
    wait_text(&c, "[data-testid=read-only-no-new-lot]", "open read-only").await;
    offers_no_change(&c, "add a lot").await;
    c.close().await.unwrap();
    d.stop().await;
}
