//! `lotwise audit verify` over a long record (issue 20): a workspace of 1,000,000 audit
//! events, each a realistic score save, verified as the command does it (every page of the
//! file checked, the chain read, every hash recomputed). Target: at least 1,000,000 events a
//! second on this machine's two cores. The same chain is also verified on one thread, in
//! the same process, to show what spreading the hashing over the cores gives. Then the
//! check the desktop app makes as it opens: a journal of 10,000 anchors against that chain.
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sqlx::{Connection, SqliteConnection};

use lotwise::domain::audit::{EventFields, GENESIS, hash, timestamp};
use lotwise::ops::{self, Ctx, FixedClock};
use lotwise::store::Store;
use lotwise::store::sqlite::SqliteStore;

pub struct AuditBench {
    pub events: usize,
    pub setup: Duration,
    pub verify: Vec<Duration>,
    pub pages: Vec<Duration>,
    pub read: Vec<Duration>,
    pub recompute_all_cores: Vec<Duration>,
    pub recompute_one_core: Vec<Duration>,
    pub journal_anchors: usize,
    pub opening_check: Vec<Duration>,
}

pub fn events() -> usize {
    super::scale::size(1_000_000, 10_000)
}

/// Writes `n` chained events straight into a new workspace: the engine's own save path is
/// measured elsewhere, and a million of them through it would take the benchmark minutes.
async fn fill(path: &Path, n: usize) {
    SqliteStore::create(path).await.unwrap().close().await;
    let mut c = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::raw_sql("PRAGMA synchronous = OFF")
        .execute(&mut c)
        .await
        .unwrap();
    let mut tx = c.begin().await.unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let mut prev = GENESIS.to_string();
    // 500 rows a statement (9 parameters each, inside SQLite's limit of 32,766).
    const ROWS: usize = 500;
    let mut rows: Vec<(i64, String, String, String, String, String)> = Vec::with_capacity(ROWS);
    for i in 1..=n as i64 {
        let at = start + chrono::Duration::milliseconds(i * 1_337);
        let after = format!(
            r#"{{"lotId":{},"bidId":{},"questionId":"Q{}","evaluator":"evaluator.{}","score":{},"justification":"Meets the requirement with a clear mobilisation plan and named staff; risks are identified and mitigated."}}"#,
            i % 40 + 1,
            i % 12 + 1,
            i % 9 + 1,
            i % 5 + 1,
            i % 5
        );
        let actor = format!("evaluator.{}", i % 5 + 1);
        let h = hash(
            &prev,
            &EventFields {
                seq: i,
                at,
                actor: &actor,
                action: "eval.score_saved",
                entity: "lot",
                entity_id: Some(i % 40 + 1),
                before: None,
                after: Some(&after),
            },
        );
        rows.push((i, timestamp(at), actor, after, prev, h.clone()));
        prev = h;
        if rows.len() == ROWS || i == n as i64 {
            let values = (0..rows.len())
                .map(|r| {
                    let b = r * 6;
                    format!(
                        "(${}, ${}, ${}, 'eval.score_saved', 'lot', ${} % 40 + 1, NULL, ${}, ${}, ${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 1,
                        b + 4,
                        b + 5,
                        b + 6
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) VALUES {values}"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (seq, at, actor, after, prev, h) in rows.drain(..) {
                q = q
                    .bind(seq)
                    .bind(at)
                    .bind(actor)
                    .bind(after)
                    .bind(prev)
                    .bind(h);
            }
            q.execute(&mut *tx).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    c.close().await.unwrap();
}

pub async fn run(dir: &Path) -> AuditBench {
    let n = events();
    let path = dir.join("audit-bench.lotwise");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let t = Instant::now();
    // LOTWISE_BENCH_AUDIT_FILE: a workspace filled by an earlier run, to measure again
    // without writing a million events first.
    let path = match std::env::var_os("LOTWISE_BENCH_AUDIT_FILE") {
        Some(p) if Path::new(&p).exists() => std::path::PathBuf::from(p),
        _ => {
            fill(&path, n).await;
            path
        }
    };
    let setup = t.elapsed();

    let store = Arc::new(SqliteStore::open(&path).await.unwrap());
    let ctx = Ctx::new(store.clone(), Arc::new(FixedClock(Utc::now())), "bench");
    let runs = super::scale::runs(5);
    let (mut verify, mut pages, mut read, mut all, mut one) =
        (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let t = Instant::now();
        let v = ops::audit::verify(&ctx).await.unwrap();
        verify.push(t.elapsed());
        assert!(
            matches!(v, lotwise::domain::audit::AuditVerification::Ok { length, .. } if length == n as i64),
            "{v:?}"
        );
        let t = Instant::now();
        store.check_storage().await.unwrap();
        pages.push(t.elapsed());
        let t = Instant::now();
        let chain = store.read().await.unwrap().audit().chain().await.unwrap();
        read.push(t.elapsed());
        let t = Instant::now();
        let a = lotwise::domain::audit::verify(&chain);
        all.push(t.elapsed());
        let t = Instant::now();
        let b = lotwise::domain::audit::verify_on(&chain, 1);
        one.push(t.elapsed());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    // A journal of 10,000 anchors (a long-used laptop's), spread along the chain.
    let id = store
        .read()
        .await
        .unwrap()
        .audit()
        .workspace_id()
        .await
        .unwrap();
    let journal_anchors = super::scale::size(10_000, 100).min(n);
    let data = dir.join("audit-bench-data");
    let _ = std::fs::remove_dir_all(&data);
    // SAFETY: the benchmark sets the data folder before anything reads it on another thread.
    unsafe { std::env::set_var("XDG_DATA_HOME", &data) };
    let journal = lotwise::store::journal::Journal::for_workspace(&id).unwrap();
    {
        let mut tx = store.read().await.unwrap();
        for k in 1..=journal_anchors {
            let at = (n * k / journal_anchors) as i64;
            let h = tx.audit().hash_at(at).await.unwrap().unwrap();
            journal.record(at, &h);
        }
    }
    let mut opening_check = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let c = ops::audit::check_journal(&ctx).await.unwrap();
        opening_check.push(t.elapsed());
        assert_eq!(c.checked, journal_anchors);
        assert!(c.failed.is_empty());
    }
    store.close().await;
    if std::env::var_os("LOTWISE_BENCH_KEEP_AUDIT").is_none()
        && std::env::var_os("LOTWISE_BENCH_AUDIT_FILE").is_none()
    {
        let _ = std::fs::remove_file(&path);
    }
    AuditBench {
        events: n,
        setup,
        verify,
        pages,
        read,
        recompute_all_cores: all,
        recompute_one_core: one,
        journal_anchors,
        opening_check,
    }
}
