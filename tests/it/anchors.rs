//! Audit anchors catch what the chain alone cannot: the last events deleted, one rewritten
//! with every later hash recomputed, an older backup restored over the workspace, another
//! workspace's file swapped in. Each tamper is done as someone with the file would do it
//! (triggers dropped, SQL by hand); `audit verify` alone says ok, `--anchor` does not.
use sqlx::Connection;
use std::path::Path;

use crate::support::*;

fn anchor(ws: &Workspace, out: &Path) {
    let o = lotwise(ws, &["audit", "anchor", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Audit record: "), "{}", stdout(&o));
}

fn verify_with(ws: &Workspace, a: &Path) -> (bool, String) {
    let o = lotwise(ws, &["audit", "verify", "--anchor", a.to_str().unwrap()]);
    (o.status.success(), format!("{}{}", stdout(&o), stderr(&o)))
}

fn verify_alone(ws: &Workspace) -> bool {
    lotwise(ws, &["audit", "verify"]).status.success()
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

#[tokio::test]
async fn the_untouched_demo_holds_its_anchor() {
    let ws = demo();
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    let (ok, out) = verify_with(&ws, &a);
    assert!(ok, "{out}");
    assert!(out.contains("anchor holds"), "{out}");
    // Work carries on: the anchor still holds.
    more_work(&ws);
    assert!(verify_with(&ws, &a).0);
}

#[tokio::test]
async fn deleting_the_last_events_is_caught_by_the_anchor_and_not_by_the_chain() {
    for n in [1, 5] {
        let ws = demo();
        let a = ws.dir.path().join("anchor.json");
        anchor(&ws, &a);
        tamper(
            &ws,
            &format!(
                "DELETE FROM audit_events WHERE seq > (SELECT max(seq) - {n} FROM audit_events)"
            ),
        )
        .await;
        assert!(verify_alone(&ws), "the chain alone cannot tell");
        let (ok, out) = verify_with(&ws, &a);
        assert!(!ok);
        assert!(out.contains("are missing"), "{out}");
    }
}

#[tokio::test]
async fn deleting_the_pack_built_event_is_caught() {
    let ws = demo();
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    // The newest award.pack_built (if the demo built one), or else the newest event, and
    // everything after it, as someone hiding it would have to.
    tamper(
        &ws,
        "DELETE FROM audit_events WHERE seq >= coalesce((SELECT max(seq) FROM audit_events WHERE action = 'award.pack_built'), (SELECT max(seq) FROM audit_events))",
    )
    .await;
    let (ok, out) = verify_with(&ws, &a);
    assert!(!ok, "{out}");
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
async fn rewriting_an_event_and_every_later_hash_is_caught_before_the_anchors_head() {
    let ws = demo();
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    rewrite(&ws, 10).await;
    assert!(verify_alone(&ws), "the chain verifies after a full rewrite");
    let (ok, out) = verify_with(&ws, &a);
    assert!(!ok);
    assert!(out.contains("has been rewritten since"), "{out}");
    // A rewrite after the anchor's head is not the anchor's to see (a later one would).
    let ws = demo();
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    more_work(&ws);
    let last: i64 = {
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", ws.path.display()))
            .await
            .unwrap();
        sqlx::query_scalar("SELECT max(seq) FROM audit_events")
            .fetch_one(&mut c)
            .await
            .unwrap()
    };
    rewrite(&ws, last).await;
    assert!(verify_with(&ws, &a).0, "the anchored events are untouched");
}

#[tokio::test]
async fn an_older_backup_restored_or_another_workspace_swapped_in_is_caught() {
    let ws = demo();
    let old = ws.dir.path().join("old.lotwise");
    let o = lotwise(&ws, &["backup", "--out", old.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    more_work(&ws);
    let a = ws.dir.path().join("anchor.json");
    anchor(&ws, &a);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", ws.path.display()));
    }
    std::fs::copy(&old, &ws.path).unwrap();
    assert!(verify_alone(&ws));
    let (ok, out) = verify_with(&ws, &a);
    assert!(!ok);
    assert!(
        out.contains("it now has") && out.contains("is missing") || out.contains("are missing"),
        "{out}"
    );

    let other = demo();
    let (ok, out) = verify_with(&other, &a);
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
