//! A team workspace under load and through a crash, on a real server (scripts/with-postgres).
use std::io::BufRead;
use std::sync::Arc;

use lotwise::domain::audit::AuditVerification;
use lotwise::domain::ids::{BidId, LotId};
use lotwise::domain::roles::Role;
use lotwise::ops::{self, Ctx};
use sqlx::Connection;

use crate::team::{Server, empty_team_on, team_ctx};

/// A lot in evaluation on a new team workspace: ten-question model, `bids` bidders, and
/// `evaluators` logins on the panel (not yet declared), set up by the officer's login.
struct Scoring {
    server: Server,
    officer: Ctx,
    lot: LotId,
    bids: Vec<BidId>,
    evaluators: Vec<String>,
}

async fn scoring_lot(admin: &str, tag: &str, evaluators: usize, bids: usize) -> Scoring {
    let names: Vec<String> = (1..=evaluators).map(|i| format!("ev{i}.{tag}")).collect();
    let officer_name = format!("olivia.{tag}");
    let mut people: Vec<(&str, Role)> = names
        .iter()
        .map(|e| (e.as_str(), Role::Evaluator))
        .collect();
    people.push((&officer_name, Role::Officer));
    let server = empty_team_on(admin, tag, &people).await;
    let officer = team_ctx(&server, &officer_name).await;
    let p = crate::support::kcc_procurement(&officer).await;
    let lot = crate::evaluation::lot_at_tender_with(
        &officer,
        p,
        "Lot 1",
        "£1,000,000",
        &ten_question_model(),
    )
    .await;
    let mut csv = String::from("supplier,registration_number,lot,price,members\n");
    for i in 0..bids {
        csv.push_str(&format!(
            "Bidder {i} Ltd,{:08},,\"£{},000\",\n",
            10_000_000 + i,
            900 + i
        ));
    }
    ops::eval::import_bids_text(&officer, lot, &csv, "bids.csv")
        .await
        .unwrap();
    crate::evaluation::to_evaluation(&officer, lot).await;
    for e in &names {
        ops::eval::add_panel_member(&officer, lot, e, "evaluator")
            .await
            .unwrap();
    }
    let bid_ids: Vec<_> = ops::eval::state(&officer, lot)
        .await
        .unwrap()
        .bids
        .iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(bid_ids.len(), bids);
    Scoring {
        server,
        officer,
        lot,
        bids: bid_ids,
        evaluators: names,
    }
}

/// Every question for every bid, one save (and audit event) at a time.
async fn score_everything(ctx: &Ctx, lot: LotId, bids: &[BidId]) {
    for (n, bid) in bids.iter().enumerate() {
        for q in 1..=10 {
            ops::eval::save_score(
                ctx,
                ops::eval::SaveScore {
                    lot_id: lot,
                    bid_id: *bid,
                    question: format!("Q{q}"),
                    score: ((n + q) % 6).to_string(),
                    justification: "Section two of the bid gives the evidence".into(),
                },
            )
            .await
            .unwrap();
        }
    }
}

/// Ten questions, so sixty bids make 600 scores for each evaluator.
fn ten_question_model() -> String {
    let qs: Vec<String> = (1..=10)
        .map(|i| format!(r#"{{"key": "Q{i}", "text": "Question {i}", "weight": 10, "scale": {{"type": "zeroToFive"}}}}"#))
        .collect();
    format!(
        r#"{{"sections": [
  {{"key": "Q", "title": "Quality", "kind": "quality", "weight": 60, "questions": [{}]}},
  {{"key": "P", "title": "Price", "kind": "price", "weight": 40, "price": {{"method": "lowestOverBid"}}}}
], "justificationMinChars": 20}}"#,
        qs.join(", ")
    )
}

/// Ten evaluators save 600 scores each at once, one save (and audit event) at a time, while
/// the officer keeps editing the lot's milestones: no error, nothing lost, the chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_evaluators_save_600_scores_each_at_once_while_the_officer_edits() {
    let admin = std::env::var("LOTWISE_TEST_PG").expect("run through scripts/with-postgres");
    let Scoring {
        server,
        officer,
        lot,
        bids,
        evaluators,
    } = scoring_lot(&admin, "load", 10, 60).await;
    let mut tasks = Vec::new();
    for e in &evaluators {
        let ctx = team_ctx(&server, e).await;
        ops::eval::declare(&ctx, lot, None).await.unwrap();
        let bids = bids.clone();
        tasks.push(tokio::spawn(async move {
            score_everything(&ctx, lot, &bids).await;
        }));
    }
    // Meanwhile the officer edits the lot, each save from the version it last saw.
    let editor = tokio::spawn(async move {
        let mut version = 0;
        for day in 1..=40 {
            let lot_now = ops::lots::set_milestone(
                &officer,
                ops::lots::SetMilestone {
                    lot_id: lot,
                    key: Some("contract_start".into()),
                    title: None,
                    planned: format!("2027-04-{:02}", day % 28 + 1),
                    actual: None,
                    expected_version: Some(version),
                },
            )
            .await
            .unwrap();
            version = lot_now
                .milestones
                .iter()
                .find(|m| m.key.as_deref() == Some("contract_start"))
                .unwrap()
                .version;
        }
        officer
    });
    for t in tasks {
        t.await.unwrap();
    }
    let officer = editor.await.unwrap();

    let mut c = sqlx::PgConnection::connect(&server.admin_db())
        .await
        .unwrap();
    let per: Vec<(String, i64)> =
        sqlx::query_as("SELECT evaluator, count(*) FROM scores GROUP BY evaluator ORDER BY 1")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert_eq!(per.len(), 10);
    assert!(per.iter().all(|(_, n)| *n == 600), "{per:?}");
    let saved: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'eval.score_saved'")
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!(saved, 6000);
    assert!(matches!(
        ops::audit::verify(&officer).await.unwrap(),
        AuditVerification::Ok { .. }
    ));
}

/// A private server of this test's own (the shared one must stay up for the other tests):
/// scripts/with-postgres started in the background, its address read from its output; it
/// stops when its input closes.
struct OwnServer {
    child: std::process::Child,
    admin: String,
    dir: String,
    bin: String,
}

impl OwnServer {
    fn start() -> OwnServer {
        let mut child = std::process::Command::new("bash")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/with-postgres"))
            .args([
                "bash",
                "-c",
                "printf '%s\\n%s\\n%s\\n' \"$LOTWISE_TEST_PG\" \"$LOTWISE_TEST_PG_DIR\" \"$LOTWISE_TEST_PG_BIN\"; read _",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next = || loop {
            let l = lines.next().unwrap().unwrap();
            if !l.starts_with("with-postgres:") {
                return l;
            }
        };
        let (admin, dir, bin) = (next(), next(), next());
        OwnServer {
            child,
            admin,
            dir,
            bin,
        }
    }

    /// pg_ctl as the server's own user (postgres, when the tests run as root).
    fn pg_ctl(&self, args: &[&str]) -> std::process::ExitStatus {
        let pg_ctl = format!("{}/pg_ctl", self.bin);
        let mut cmd = if unsafe { libc::geteuid() } == 0 {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--", &pg_ctl]);
            c
        } else {
            std::process::Command::new(&pg_ctl)
        };
        cmd.args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap()
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The server is stopped with `pg_ctl stop -m immediate` (no shutdown checkpoint, as in a
/// power cut) in the middle of a stream of writes; after restarting, every write that was
/// acknowledged is there and the audit chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_the_server_stopping_immediately() {
    let server = OwnServer::start();
    let team = empty_team_on(&server.admin, "crash", &[("olivia.crash", Role::Officer)]).await;
    let officer = team_ctx(&team, "olivia.crash").await;
    let p = crate::support::kcc_procurement(&officer).await;
    let lot = ops::lots::create(
        &officer,
        ops::lots::CreateLot {
            procurement_id: p,
            reference: "Lot 1".into(),
            title: "Crash".into(),
            geography: "Kent".into(),
            estimated_annual_value: None,
            term: None,
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id;
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let ack = acknowledged.clone();
    let writer = tokio::spawn(async move {
        for n in 0.. {
            let title = format!("Step {n}");
            let r = ops::lots::set_milestone(
                &officer,
                ops::lots::SetMilestone {
                    lot_id: lot,
                    key: None,
                    title: Some(title.clone()),
                    planned: "2027-01-15".into(),
                    actual: None,
                    expected_version: None,
                },
            )
            .await;
            match r {
                Ok(_) => ack.lock().unwrap().push(title),
                Err(_) => break,
            }
        }
    });
    // Let the stream run, then cut the power.
    while acknowledged.lock().unwrap().len() < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let data = format!("{}/data", server.dir);
    assert!(
        server
            .pg_ctl(&["-D", &data, "-m", "immediate", "-w", "stop"])
            .success()
    );
    writer.await.unwrap();
    let acked = acknowledged.lock().unwrap().clone();
    assert!(acked.len() >= 50);

    let port = server
        .admin
        .rsplit(':')
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=on",
        server.dir
    );
    let log = format!("{}/server.log", server.dir);
    assert!(
        server
            .pg_ctl(&[
                "-D", &data, "-l", &log, "-w", "-t", "60", "start", "-o", &opts
            ])
            .success()
    );

    let mut c = sqlx::PgConnection::connect(&team.admin_db()).await.unwrap();
    let kept: Vec<String> = sqlx::query_scalar("SELECT title FROM milestones WHERE lot_id = $1")
        .bind(lot.0)
        .fetch_all(&mut c)
        .await
        .unwrap();
    let missing: Vec<&String> = acked.iter().filter(|t| !kept.contains(t)).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    let officer = team_ctx(&team, "olivia.crash").await;
    match ops::audit::verify(&officer).await.unwrap() {
        AuditVerification::Ok { length, .. } => assert!(length as usize >= acked.len()),
        broken => panic!("{broken:?}"),
    }
    officer.store.close().await;
}

/// Score saves by different evaluators run side by side (sharing the write lock); the audit
/// chain stays one sequence on both paths: events linked by the server (a member's login)
/// and by Lotwise itself (the administrator's connection acting for the panel, as the
/// demo and `workspace push` set-ups do).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn side_by_side_score_saves_keep_one_audit_chain_on_both_paths() {
    let admin = std::env::var("LOTWISE_TEST_PG").expect("run through scripts/with-postgres");
    let Scoring {
        server,
        officer,
        lot,
        bids,
        evaluators,
    } = scoring_lot(&admin, "side", 4, 5).await;
    let admin_store = ops::workspace::open(
        &ops::workspace::Location::Server(server.admin_db()),
        ops::workspace::Open::Existing,
    )
    .await
    .unwrap();
    let admin_ctx = Ctx::new(
        admin_store,
        Arc::new(ops::FixedClock(crate::support::now())),
        "it",
    );
    let mut tasks = Vec::new();
    for (i, e) in evaluators.iter().enumerate() {
        // Half through their own login, half through the administrator's connection.
        let ctx = if i % 2 == 0 {
            team_ctx(&server, e).await
        } else {
            admin_ctx.acting_as(e, Role::Evaluator)
        };
        ops::eval::declare(&ctx, lot, None).await.unwrap();
        let bids = bids.clone();
        tasks.push(tokio::spawn(async move {
            score_everything(&ctx, lot, &bids).await;
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut c = sqlx::PgConnection::connect(&server.admin_db())
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM scores")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(n, 4 * 50);
    match ops::audit::verify(&officer).await.unwrap() {
        AuditVerification::Ok { .. } => {}
        broken => panic!("{broken:?}"),
    }
}

/// An evaluator's save is linked to the audit chain as it commits, so one evaluator's save
/// left open (a slow laptop between its statements) holds up no other evaluator's; the
/// event waits unseen by anyone else, then takes the next place in the chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_score_save_holds_up_no_other_evaluator() {
    let admin = std::env::var("LOTWISE_TEST_PG").expect("run through scripts/with-postgres");
    let Scoring {
        server,
        officer,
        lot,
        bids,
        evaluators,
    } = scoring_lot(&admin, "open", 2, 2).await;
    let first = team_ctx(&server, &evaluators[0]).await;
    let second = team_ctx(&server, &evaluators[1]).await;
    ops::eval::declare(&first, lot, None).await.unwrap();
    ops::eval::declare(&second, lot, None).await.unwrap();

    let w = first.act(lotwise::domain::roles::Action::Score).unwrap();
    let mut open = first
        .store
        .begin_scoring(lot, &evaluators[0])
        .await
        .unwrap();
    open.audit()
        .append(lotwise::store::NewAuditEvent::new(
            &w,
            "eval.score_saved",
            "bid",
            Some(bids[0].0),
        ))
        .await
        .unwrap();

    let save = ops::eval::save_score(
        &second,
        ops::eval::SaveScore {
            lot_id: lot,
            bid_id: bids[1],
            question: "Q1".into(),
            score: "3".into(),
            justification: "Section two of the bid gives the evidence".into(),
        },
    );
    // Before, the second save waited for the first to end: here it would never finish.
    tokio::time::timeout(std::time::Duration::from_secs(30), save)
        .await
        .expect("the second evaluator's save waited for the first's")
        .unwrap();

    let mut c = sqlx::PgConnection::connect(&server.admin_db())
        .await
        .unwrap();
    let last = || async {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT seq, actor FROM audit_events ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(
            &mut sqlx::PgConnection::connect(&server.admin_db())
                .await
                .unwrap(),
        )
        .await
        .unwrap()
    };
    let (before_commit, actor) = last().await;
    assert_eq!(actor, evaluators[1]);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_pending")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(
        pending, 0,
        "another transaction's pending event is never seen"
    );

    open.commit().await.unwrap();
    assert_eq!(last().await, (before_commit + 1, evaluators[0].clone()));
    match ops::audit::verify(&officer).await.unwrap() {
        AuditVerification::Ok { .. } => {}
        broken => panic!("{broken:?}"),
    }
}

/// On a team workspace an evaluator's scores are written only through their own login: the
/// officer exports the sheet, but cannot import it; back on the network the evaluator
/// imports it themselves, and the server records their key and the import as theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_evaluator_brings_their_own_scoresheet_back_through_their_login() {
    let admin = std::env::var("LOTWISE_TEST_PG").expect("run through scripts/with-postgres");
    let Scoring {
        server,
        officer,
        lot,
        evaluators,
        ..
    } = scoring_lot(&admin, "sheet", 1, 2).await;
    let me = team_ctx(&server, &evaluators[0]).await;
    ops::eval::declare(&me, lot, None).await.unwrap();
    let (sheet, bytes) = ops::eval::scoresheet::export(&officer, lot, &evaluators[0])
        .await
        .unwrap();
    let mut csv = String::from("evaluator,bidder,question,score,justification\n");
    for b in &sheet.bidders {
        for (_, q) in sheet.model.questions() {
            csv.push_str(&format!(
                "{},{},{},3,Section two of the bid gives the evidence\n",
                evaluators[0], b.name, q.key
            ));
        }
    }
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let signed = ops::eval::scoresheet::fill(
        &bytes,
        "s.lwsheet",
        &ops::textfile::TextFile::from_text(&csv, "s.csv"),
        "none",
        &key,
        crate::support::now(),
    )
    .unwrap();
    let file = serde_json::to_vec(&signed).unwrap();
    let words = lotwise::domain::eval::scoresheet::fingerprint(&key.verifying_key());

    let e = ops::eval::scoresheet::import(&officer, &file, "s.lwscores", None, Some(&words))
        .await
        .unwrap_err();
    assert!(
        e.message.contains("only through their own login"),
        "{}",
        e.message
    );

    let r = ops::eval::scoresheet::import(&me, &file, "s.lwscores", None, None)
        .await
        .unwrap();
    assert_eq!(r.scores, 20);
    assert!(r.key_registered);
    let mut c = sqlx::PgConnection::connect(&server.admin_db())
        .await
        .unwrap();
    let (by, confirmed_by): (String, String) = sqlx::query_as(
        "SELECT i.imported_by, k.confirmed_by FROM scoresheet_imports i
         JOIN panel_keys k ON k.lot_id = i.lot_id AND k.person = i.evaluator",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(
        (by.as_str(), confirmed_by.as_str()),
        (evaluators[0].as_str(), evaluators[0].as_str())
    );
    let actors: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT actor FROM audit_events WHERE action LIKE 'eval.scoresheet_import%' OR action = 'eval.scores_submitted'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert_eq!(
        actors,
        vec![evaluators[0].clone()],
        "the server stamps who really did it"
    );
    let st = ops::eval::state(&officer, lot).await.unwrap();
    assert!(st.member(&evaluators[0]).unwrap().submitted_at.is_some());
    match ops::audit::verify(&officer).await.unwrap() {
        AuditVerification::Ok { .. } => {}
        broken => panic!("{broken:?}"),
    }
}
