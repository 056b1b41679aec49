//! Audit anchors catch what the chain alone cannot: the last events deleted, one rewritten
//! with every later hash recomputed, an older backup restored over the workspace, another
//! workspace's file swapped in. Each tamper is done as someone with the file would do it
//! (triggers dropped, SQL by hand). The chain alone says ok; `audit verify` with this
//! computer's anchor journal does not, and neither does `audit verify --anchor` with only a
//! document Lotwise made (an anchor file, a decision paper, an OCDS export, a backup) once
//! the journal is gone.
use sqlx::Connection;
use std::path::{Path, PathBuf};

use crate::support::*;

fn anchor(ws: &Workspace, out: &Path) {
    let o = lotwise(ws, &["audit", "anchor", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Audit record: "), "{}", stdout(&o));
}

/// `audit verify`, with this computer's journal and any documents given.
fn verify(ws: &Workspace, docs: &[&Path]) -> (bool, String) {
    let mut args = vec!["audit", "verify"];
    for d in docs {
        args.extend(["--anchor", d.to_str().unwrap()]);
    }
    let o = lotwise(ws, &args);
    assert!(matches!(o.status.code(), Some(0 | 1 | 4)), "{}", stderr(&o));
    (o.status.success(), format!("{}{}", stdout(&o), stderr(&o)))
}

fn verify_with(ws: &Workspace, a: &Path) -> (bool, String) {
    verify(ws, &[a])
}

/// What the chain alone says: recomputed, it still links.
fn chain_alone_ok(ws: &Workspace) -> bool {
    let o = lotwise(ws, &["audit", "verify", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v["status"] == "ok"
}

/// The journal lost (another computer, a new laptop): only documents are left to witness.
fn forget_journal(ws: &Workspace) {
    std::fs::remove_dir_all(data_home(ws).join("lotwise").join("anchors")).unwrap();
}

async fn tamper(ws: &Workspace, sql: &str) {
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", ws.path.display()))
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP TRIGGER IF EXISTS audit_events_no_delete; DROP TRIGGER IF EXISTS audit_events_no_update; {sql}"
    )))
    .execute(&mut c)
    .await
    .unwrap();
    c.close().await.unwrap();
}

/// Work carried on after an anchor: one more audited change.
fn more_work(ws: &Workspace) {
    let o = lotwise(
        ws,
        &[
            "organisations",
            "add",
            "--name",
            "Medway Council",
            "--kind",
            "unitary_council",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn demo() -> Workspace {
    let ws = workspace();
    let o = lotwise(&ws, &["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    ws
}

/// An OCDS export of the demo's Community Navigation procurement: it carries the anchor of
/// the record as it is now (an export is not itself audited).
fn ocds(ws: &Workspace) -> PathBuf {
    let out = ws.dir.path().join("ocds.json");
    let o = lotwise(
        ws,
        &["export", "ocds", "KCC-CN", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// The demo's contract extension paper (lot 7), generated now: it prints and carries the
/// anchor of the record it was made on.
fn paper(ws: &Workspace) -> PathBuf {
    let out = ws.dir.path().join("paper.pdf");
    let o = lotwise(
        ws,
        &[
            "paper",
            "7",
            "--kind",
            "extension",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

async fn last_seq(ws: &Workspace) -> i64 {
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", ws.path.display()))
        .await
        .unwrap();
    sqlx::query_scalar("SELECT max(seq) FROM audit_events")
        .fetch_one(&mut c)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_untouched_demo_holds_its_anchors() {
    let ws = demo();
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    let (p, o) = (paper(&ws), ocds(&ws));
    let (ok, out) = verify(&ws, &[&a, &p, &o]);
    assert!(ok, "{out}");
    assert!(out.contains("anchor holds"), "{out}");
    assert!(
        out.contains("entries,") && out.contains("anchors hold"),
        "{out}"
    );
    // Work carries on: every anchor still holds.
    more_work(&ws);
    assert!(verify(&ws, &[&a, &p, &o]).0);
    // The paper prints its anchor for a person, and carries it for a machine.
    let text = std::process::Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Audit record: "), "{text}");
}

#[tokio::test]
async fn deleting_the_last_events_is_caught_by_the_journal_and_by_a_document_alone() {
    for n in [1, 5] {
        let ws = demo();
        let o = ocds(&ws);
        tamper(
            &ws,
            &format!(
                "DELETE FROM audit_events WHERE seq > (SELECT max(seq) - {n} FROM audit_events)"
            ),
        )
        .await;
        assert!(chain_alone_ok(&ws), "the chain alone cannot tell");
        let (ok, out) = verify(&ws, &[]);
        assert!(!ok, "the journal knows there were more");
        assert!(
            out.contains("are missing") || out.contains("is missing"),
            "{out}"
        );
        assert!(out.contains("this computer's anchor journal"), "{out}");
        forget_journal(&ws);
        assert!(
            verify(&ws, &[]).0,
            "with neither journal nor document, nothing can tell"
        );
        let (ok, out) = verify(&ws, &[&o]);
        assert!(!ok);
        assert!(
            out.contains("are missing") || out.contains("is missing"),
            "{out}"
        );
        assert!(out.contains("ocds.json"), "{out}");
    }
}

/// The demo's kept award pack, written out, with its lot.
async fn demo_pack(ws: &Workspace) -> PathBuf {
    let (ctx, store) = ctx(ws).await;
    let mut found = None;
    for id in 1..=40 {
        let lot = lotwise::domain::ids::LotId(id);
        if let Some(p) = lotwise::ops::award::packs(&ctx, lot)
            .await
            .ok()
            .and_then(|ps| ps.into_iter().next())
        {
            found = Some(p);
        }
    }
    let pack = found.expect("the demo keeps an award pack");
    let out = ws.dir.path().join("pack.pdf");
    lotwise::ops::award::write_pack(&ctx, &pack, &out)
        .await
        .unwrap();
    lotwise::store::Store::close(&*store).await;
    out
}

fn verify_pack(ws: &Workspace, pack: &Path) -> serde_json::Value {
    let o = lotwise(
        ws,
        &["award", "verify-pack", pack.to_str().unwrap(), "--json"],
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", stderr(&o)))
}

#[tokio::test]
async fn deleting_the_pack_built_event_is_caught_by_verify_pack_and_the_journal() {
    let ws = demo();
    let pack = demo_pack(&ws).await;
    let v = verify_pack(&ws, &pack);
    assert_eq!(v["matches"], true, "{v}");
    assert_eq!(v["packEventFound"], true);
    assert_eq!(v["anchor"]["holds"], true, "{v}");
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    // The pack's award.pack_built and everything after it, as someone hiding it would.
    tamper(
        &ws,
        "DELETE FROM audit_events WHERE seq >= (SELECT max(seq) FROM audit_events WHERE action = 'award.pack_built')",
    )
    .await;
    assert!(chain_alone_ok(&ws));
    let v = verify_pack(&ws, &pack);
    assert_eq!(v["matches"], false, "{v}");
    assert_eq!(v["packEventFound"], false, "{v}");
    // The pack's own anchor is the record before its event, which is still there.
    assert_eq!(v["anchor"]["holds"], true, "{v}");
    assert!(
        v["summary"].as_str().unwrap().contains("award.pack_built"),
        "{v}"
    );
    assert!(!verify(&ws, &[]).0);
    forget_journal(&ws);
    assert!(!verify_with(&ws, &a).0);
}

/// Rewrites one event's contents and recomputes its hash and every later one, so the chain
/// verifies again.
async fn rewrite(ws: &Workspace, seq: i64) {
    use lotwise::domain::audit::{EventFields, hash};
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", ws.path.display()))
        .await
        .unwrap();
    sqlx::raw_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
        .execute(&mut c)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_events SET actor = 'someone-else' WHERE seq = $1")
        .bind(seq)
        .execute(&mut c)
        .await
        .unwrap();
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, at, actor, action, entity, entity_id, before, after FROM audit_events WHERE seq >= $1 ORDER BY seq",
    )
    .bind(seq)
    .fetch_all(&mut c)
    .await
    .unwrap();
    let mut prev: String = sqlx::query_scalar("SELECT hash FROM audit_events WHERE seq = $1")
        .bind(seq - 1)
        .fetch_one(&mut c)
        .await
        .unwrap();
    for (s, at, actor, action, entity, id, before, after) in rows {
        let h = hash(
            &prev,
            &EventFields {
                seq: s,
                at: chrono::DateTime::parse_from_rfc3339(&at).unwrap().to_utc(),
                actor: &actor,
                action: &action,
                entity: &entity,
                entity_id: id,
                before: before.as_deref(),
                after: after.as_deref(),
            },
        );
        sqlx::query("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev)
            .bind(&h)
            .bind(s)
            .execute(&mut c)
            .await
            .unwrap();
        prev = h;
    }
    c.close().await.unwrap();
}

#[tokio::test]
async fn rewriting_an_event_and_every_later_hash_is_caught_before_and_after_the_packs_head() {
    // Before the pack's head: the pack's own anchor fails, and so do the journal and a
    // paper made since.
    let ws = demo();
    let pack = demo_pack(&ws).await;
    let p = paper(&ws);
    rewrite(&ws, 10).await;
    assert!(
        chain_alone_ok(&ws),
        "the chain verifies after a full rewrite"
    );
    let v = verify_pack(&ws, &pack);
    assert_eq!(v["matches"], false);
    assert_eq!(v["anchor"]["holds"], false, "{v}");
    assert!(
        v["anchor"]["message"]
            .as_str()
            .unwrap()
            .contains("has been rewritten since")
    );
    let (ok, out) = verify(&ws, &[]);
    assert!(!ok);
    assert!(out.contains("has been rewritten since"), "{out}");
    forget_journal(&ws);
    let (ok, out) = verify(&ws, &[&p]);
    assert!(!ok);
    assert!(
        out.contains("has been rewritten since") && out.contains("paper.pdf"),
        "{out}"
    );

    // After the pack's head: the pack's anchor cannot see it, but verify-pack consults this
    // computer's journal, and audit verify does; a document made after the rewritten event
    // catches it with the journal gone.
    let ws = demo();
    let pack = demo_pack(&ws).await;
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    more_work(&ws);
    let last = last_seq(&ws).await;
    let o = ocds(&ws);
    rewrite(&ws, last).await;
    assert!(chain_alone_ok(&ws));
    let v = verify_pack(&ws, &pack);
    assert_eq!(
        v["anchor"]["holds"], true,
        "the pack's own events are untouched"
    );
    assert_eq!(v["matches"], false, "{v}");
    assert!(!v["journalFailures"].as_array().unwrap().is_empty(), "{v}");
    assert!(!verify(&ws, &[]).0);
    forget_journal(&ws);
    let (ok, out) = verify(&ws, &[&a]);
    assert!(ok, "the anchored events are untouched: {out}");
    let (ok, out) = verify(&ws, &[&o]);
    assert!(!ok, "{out}");
    assert!(out.contains("has been rewritten since"), "{out}");
}

#[tokio::test]
async fn an_older_backup_restored_or_another_workspace_swapped_in_is_caught() {
    let ws = demo();
    let old = ws.dir.path().join("old.lotwise");
    let o = lotwise(&ws, &["backup", "--out", old.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Audit record: "), "{}", stdout(&o));
    more_work(&ws);
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    let newer = ws.dir.path().join("newer.lotwise");
    assert!(
        lotwise(&ws, &["backup", "--out", newer.to_str().unwrap()])
            .status
            .success()
    );
    let put = |from: &Path| {
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", ws.path.display()));
        }
        std::fs::copy(from, &ws.path).unwrap();
    };
    put(&old);
    assert!(chain_alone_ok(&ws));
    let (ok, out) = verify(&ws, &[]);
    assert!(!ok, "the journal knows the workspace had more");
    assert!(
        out.contains("is missing") || out.contains("are missing"),
        "{out}"
    );
    forget_journal(&ws);
    // A later backup is a document too: the restored one is shorter than it.
    for doc in [&a, &newer] {
        let (ok, out) = verify_with(&ws, doc);
        assert!(!ok);
        assert!(
            out.contains("is missing") || out.contains("are missing"),
            "{out}"
        );
    }

    // Another workspace's file copied over this one: this computer knew another id here.
    let ws = demo();
    more_work(&ws);
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    let other = demo();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", ws.path.display()));
    }
    std::fs::copy(&other.path, &ws.path).unwrap();
    assert!(chain_alone_ok(&ws));
    let (ok, out) = verify(&ws, &[]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("another workspace") && out.contains("the workspace that was at"),
        "{out}"
    );
    forget_journal(&ws);
    let (ok, out) = verify_with(&ws, &a);
    assert!(!ok);
    assert!(out.contains("another workspace"), "{out}");
}

#[tokio::test]
async fn a_bad_anchor_file_is_named_with_what_was_expected() {
    let ws = demo();
    let a = ws.dir.path().join("anchor.json");
    std::fs::write(&a, r#"{"lotwiseAnchor": 1, "workspace": "x", "events": 3, "hed": "y", "at": "2026-12-05T14:32:00Z"}"#).unwrap();
    let (ok, out) = verify_with(&ws, &a);
    assert!(!ok);
    assert!(out.contains("anchor.json") && out.contains("hed"), "{out}");
}
