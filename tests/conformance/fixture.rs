//! Opening a fresh workspace on each backend, and the records most cases start from.
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::sync::Arc;

use lotwise::domain::ids::{LotId, ProcurementId};
use lotwise::domain::registers::OrganisationKind;
use lotwise::domain::stage::Stage;
use lotwise::ops::workspace::{Location, Open};
use lotwise::ops::{Ctx, FixedClock};
use lotwise::store::{NewLot, NewOrganisation, NewProcurement, Store, Tx, WriteCtx};

/// A workspace on one backend, kept for as long as the case runs.
pub struct Backend {
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = lotwise::ops::workspace::open(
        &Location::File(dir.path().join("conformance.lotwise")),
        Open::New,
    )
    .await
    .expect("a new SQLite workspace");
    Backend {
        store,
        _dir: Some(dir),
    }
}

/// A fresh database on the test server (`scripts/with-postgres` starts one and names it in
/// LOTWISE_TEST_PG; `make test` runs the suite that way).
pub async fn postgres() -> Backend {
    use sqlx::Connection;
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let admin = std::env::var("LOTWISE_TEST_PG").expect(
        "LOTWISE_TEST_PG is not set: run the suite through scripts/with-postgres (make test does)",
    );
    let name = format!(
        "conformance_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        Utc::now().timestamp_subsec_nanos()
    );
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("the test server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("a new database");
    conn.close().await.ok();
    let url = format!("{}/{name}", &admin[..admin.rfind('/').expect("a URL")]);
    let store = lotwise::ops::workspace::open(&Location::Server(url), Open::New)
        .await
        .expect("a new PostgreSQL workspace");
    Backend { store, _dir: None }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap()
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn w(actor: &str) -> WriteCtx {
    WriteCtx {
        actor: actor.into(),
        at: now(),
        today: now().date_naive(),
    }
}

impl Backend {
    pub fn ctx(&self, user: &str) -> Ctx {
        Ctx::new(self.store.clone(), Arc::new(FixedClock(now())), user)
    }

    pub async fn begin(&self) -> Box<dyn Tx> {
        self.store.begin().await.expect("begin")
    }

    pub async fn read(&self) -> Box<dyn Tx> {
        self.store.read().await.expect("read")
    }

    /// A procurement with one lot at `stage`, committed.
    pub async fn lot(&self, stage: Stage) -> (ProcurementId, LotId) {
        let mut tx = self.begin().await;
        let org = tx
            .registers()
            .insert_organisation(&NewOrganisation {
                name: format!("Kent County Council {}", rand_suffix()),
                kind: OrganisationKind::CountyCouncil,
            })
            .await
            .unwrap();
        let p = tx
            .registers()
            .insert_procurement(&NewProcurement {
                reference: format!("KCC-{}", rand_suffix()),
                title: "Community Navigation".into(),
                service: "Adult social care".into(),
                commissioners: vec![org.id],
                budget: vec![],
            })
            .await
            .unwrap();
        let lot = tx
            .lots()
            .insert(&NewLot {
                procurement: p,
                reference: "Lot 1".into(),
                title: "East Kent".into(),
                geography: "East Kent".into(),
                estimated_annual_value: None,
                term: None,
                replaces_contract: None,
                parts: vec![],
                stage,
            })
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (p, lot)
    }
}

/// Distinct names within one workspace, without a random-number dependency.
fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(1);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}
