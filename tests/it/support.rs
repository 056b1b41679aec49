use chrono::{DateTime, TimeZone, Utc};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use lotwise::ops::{Ctx, FixedClock};
use lotwise::store::sqlite::SqliteStore;

pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn workspace() -> Workspace {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.lotwise");
    Workspace { dir, path }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap()
}

pub async fn ctx(ws: &Workspace) -> (Ctx, Arc<SqliteStore>) {
    let store = Arc::new(SqliteStore::open(&ws.path).await.expect("open workspace"));
    (
        Ctx::new(store.clone(), Arc::new(FixedClock(now())), "test-officer"),
        store,
    )
}

/// Runs the real `lotwise` binary against the workspace.
pub fn lotwise(ws: &Workspace, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lotwise"))
        .arg("--workspace")
        .arg(&ws.path)
        .args(args)
        .env("LOTWISE_USER", "cli-officer")
        .output()
        .expect("run lotwise")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub async fn audit_len(ctx: &Ctx) -> i64 {
    lotwise::ops::audit::page(ctx, 0, 1).await.unwrap().total
}
