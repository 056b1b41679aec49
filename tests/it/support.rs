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
    let store = Arc::new(
        SqliteStore::open_or_create(&ws.path)
            .await
            .expect("open workspace"),
    );
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
        // Each workspace's commands keep their anchor journal beside it.
        .env("XDG_DATA_HOME", data_home(ws))
        .output()
        .expect("run lotwise")
}

/// The data folder the test's commands use: their anchor journals are under it.
pub fn data_home(ws: &Workspace) -> PathBuf {
    ws.dir.path().join("data")
}

/// `lotwise init`: commands other than `init` and `demo` never create a workspace.
pub fn init(ws: &Workspace) {
    let o = lotwise(ws, &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
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

/// What the tender gate asks of the route to market: a route with its reason, a conflicts
/// assessment, and a tender notice before the submission deadline.
pub async fn route_ready(ctx: &Ctx, lot: lotwise::domain::ids::LotId, tender_notice: &str) {
    use lotwise::ops::route::{RecordConflicts, SetRoute};
    lotwise::ops::route::set_route(
        ctx,
        SetRoute {
            lot_id: lot,
            route: "light_touch".into(),
            reason: "Community support services are light-touch services".into(),
            justification: String::new(),
            authority: "sub_central".into(),
            kind: "services".into(),
            vat_chargeable: false,
            electronic: true,
            documents_with_notice: true,
            urgency: String::new(),
        },
    )
    .await
    .unwrap();
    lotwise::ops::route::record_conflicts(
        ctx,
        RecordConflicts {
            lot_id: lot,
            assessed_on: "2026-11-01".into(),
            scope: "Officers and panel".into(),
            findings: "None identified".into(),
            mitigations: String::new(),
        },
    )
    .await
    .unwrap();
    milestone(ctx, lot, "tender_notice", tender_notice).await;
    let v = lotwise::ops::spec::save(
        ctx,
        lotwise::ops::spec::SaveSpec {
            based_on: None,
            lot_id: lot,
            text: SPEC.into(),
            note: "For tender".into(),
        },
    )
    .await
    .unwrap();
    lotwise::ops::spec::approve(ctx, lot, v.versions[0].version)
        .await
        .unwrap();
}

/// A short specification that is enough for the tender gate.
pub const SPEC: &str = "## Purpose\n\nCommunity navigation for people aged 55 and over.\n\n## Outcomes\n\nFewer people reach crisis.\n";

/// The same through the CLI: `run` runs `lotwise` with the given arguments.
pub fn cli_route_ready(run: impl Fn(&[&str]) -> Output, lot: &str, tender_notice: &str) {
    let spec = std::env::temp_dir().join(format!("lotwise-spec-{}-{lot}.md", std::process::id()));
    std::fs::write(&spec, SPEC).unwrap();
    let spec = spec.display().to_string();
    for args in [
        vec![
            "route",
            lot,
            "--set",
            "light_touch",
            "--reason",
            "Community support services are light-touch services",
        ],
        vec![
            "conflicts",
            lot,
            "--on",
            "2026-01-05",
            "--scope",
            "Officers and panel",
            "--findings",
            "None identified",
        ],
        vec![
            "lots",
            "milestone",
            lot,
            "--key",
            "tender_notice",
            "--planned",
            tender_notice,
        ],
        vec!["spec", "save", lot, "--file", &spec, "--note", "For tender"],
        vec!["spec", "approve", lot, "1"],
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
}

/// Kent County Council and its Community Navigation procurement (KCC-CN), the fixture most
/// tests hang their lots from.
pub async fn kcc_procurement(ctx: &Ctx) -> lotwise::domain::ids::ProcurementId {
    use lotwise::ops::registers::{self, CreateOrganisation, CreateProcurement};
    registers::create_organisation(
        ctx,
        CreateOrganisation {
            name: "Kent County Council".into(),
            kind: "county_council".into(),
        },
    )
    .await
    .unwrap();
    registers::create_procurement(
        ctx,
        CreateProcurement {
            reference: "KCC-CN".into(),
            title: "Community Navigation".into(),
            service: "Care navigation".into(),
            commissioners: vec!["Kent County Council".into()],
            budget: vec![],
        },
    )
    .await
    .unwrap()
    .id
}

/// Plans one of the standard milestones of a lot.
pub async fn milestone(ctx: &Ctx, lot: lotwise::domain::ids::LotId, key: &str, planned: &str) {
    lotwise::ops::lots::set_milestone(
        ctx,
        lotwise::ops::lots::SetMilestone {
            expected_version: None,
            lot_id: lot,
            key: Some(key.into()),
            title: None,
            planned: planned.into(),
            actual: None,
        },
    )
    .await
    .unwrap();
}
