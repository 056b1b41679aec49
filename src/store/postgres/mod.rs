//! The team workspace: one PostgreSQL database shared by officers, panels and legal.
//!
//! It fills the same seam as the embedded backend and passes the same conformance suite.
//! Writers are serialised by one transaction-scoped advisory lock, taken first in every
//! write transaction: the facts a rule reads inside it and the audit chain head cannot
//! change before the change it decides is applied (SQLite gets the same from BEGIN
//! IMMEDIATE). Reads are one REPEATABLE READ snapshot.
use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::path::Path;
use std::str::FromStr;

use super::*;
use crate::error::{Error, ErrorCode};

#[path = "../sql/audit.rs"]
mod audit;
#[path = "../sql/award.rs"]
mod award;
#[path = "../sql/calendar.rs"]
mod calendar;
#[path = "../sql/contracts.rs"]
mod contracts;
mod dialect;
#[path = "../sql/engagement.rs"]
mod engagement;
#[path = "../sql/eval.rs"]
mod eval;
#[path = "../sql/finance.rs"]
mod finance;
#[path = "../sql/lots.rs"]
mod lots;
#[path = "../sql/papers.rs"]
mod papers;
#[path = "../sql/registers.rs"]
mod registers;
#[path = "../sql/route.rs"]
mod route;
#[path = "../sql/rows.rs"]
mod rows;
mod scoring;
#[path = "../sql/spec.rs"]
mod spec;
pub mod team;
#[path = "../sql/tender.rs"]
mod tender;
pub mod transfer;
#[path = "../sql/tupe.rs"]
mod tupe;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The advisory lock every write transaction takes first ("LOTWISE1" as a number): held
/// exclusively by every writer except evaluators saving their own scores, who share it (see
/// `begin_scoring`).
const WRITE_LOCK: i64 = 0x4c4f_5457_4953_4531;
/// The audit chain's lock ("LOTWISE2"), taken just before an event is linked to the head
/// and held to commit: the chain stays one sequence while scoring saves run side by side.
/// Always taken after WRITE_LOCK, so the two never wait on each other in a circle.
pub(crate) const CHAIN_LOCK: i64 = 0x4c4f_5457_4953_4532;

/// The names the shared SQL in `src/store/sql` uses for this backend.
pub(crate) type BackendTx = PgTx;
pub(crate) type Conn = sqlx::PgConnection;
pub(crate) type Db = sqlx::Postgres;

pub struct PgStore {
    pool: PgPool,
    /// The server address as people may see it: no password.
    location: String,
    /// The login role and its Lotwise role, when it is a team member's (not the owner's or
    /// an administrator's): then the server writes the audit trail's actor and chain.
    identity: Option<(String, crate::domain::roles::Role)>,
    /// For a team member's login: the facts their score saves were last checked against.
    facts: Option<FactsCache>,
}

/// The facts a person's score saves were last checked against, by lot, each with the
/// generation it was read at (`team.sql`, lotwise_facts_generation). A save whose
/// generation is unchanged is checked against these rather than reading them again: on a
/// team workspace that read was the heaviest statement of a save and one of its four round
/// trips, with ten evaluators saving at once (bench: team).
type FactsCache = std::sync::Arc<
    std::sync::Mutex<
        std::collections::HashMap<crate::domain::ids::LotId, (i64, crate::store::ScoringFacts)>,
    >,
>;

/// One open transaction on the server: every area's reads and writes run on it.
pub struct PgTx {
    tx: Transaction<'static, Postgres>,
    /// Audit events go through `lotwise_audit_append` (the server stamps who and links).
    server_audit: bool,
    /// For reading the head once a member's transaction has committed (its events are
    /// linked only at commit).
    pool: PgPool,
    /// In a member's score save: the store's copy of the facts saves are checked against,
    /// and, once this transaction has used it, the generation the copy was read at: each
    /// score is written only if the server's generation is still that one.
    facts: Option<FactsCache>,
    guard: Option<i64>,
}

impl PgTx {
    pub(crate) fn conn(&mut self) -> &mut sqlx::PgConnection {
        &mut self.tx
    }

    pub(crate) fn server_audit(&self) -> bool {
        self.server_audit
    }
}

#[async_trait]
impl crate::store::tx::Tx for PgTx {
    fn audit(&mut self) -> &mut dyn crate::store::AuditStore {
        self
    }
    fn calendar(&mut self) -> &mut dyn crate::store::CalendarStore {
        self
    }
    fn engagement(&mut self) -> &mut dyn crate::store::EngagementStore {
        self
    }
    fn spec(&mut self) -> &mut dyn crate::store::SpecStore {
        self
    }
    fn route(&mut self) -> &mut dyn crate::store::RouteStore {
        self
    }
    fn eval(&mut self) -> &mut dyn crate::store::EvalStore {
        self
    }
    fn tender(&mut self) -> &mut dyn crate::store::TenderStore {
        self
    }
    fn award(&mut self) -> &mut dyn crate::store::AwardStore {
        self
    }
    fn papers(&mut self) -> &mut dyn crate::store::PapersStore {
        self
    }
    fn tupe(&mut self) -> &mut dyn crate::store::TupeStore {
        self
    }
    fn finance(&mut self) -> &mut dyn crate::store::FinanceStore {
        self
    }
    fn lots(&mut self) -> &mut dyn crate::store::LotsStore {
        self
    }
    fn registers(&mut self) -> &mut dyn crate::store::RegistersStore {
        self
    }
    fn contracts(&mut self) -> &mut dyn crate::store::ContractsStore {
        self
    }
    async fn commit(self: Box<Self>) -> Result<()> {
        Ok(self.tx.commit().await?)
    }
    /// A member's events are linked to the chain as the transaction commits (team.sql,
    /// `lotwise_audit_seal`), so the head it left is read just after: newer events by others
    /// may be in it too, and it is still a true anchor of the record.
    async fn commit_witnessed(self: Box<Self>) -> Result<Option<(i64, String)>> {
        if !self.server_audit {
            let mut me = self;
            let head = crate::store::AuditStore::head(&mut *me).await;
            me.tx.commit().await?;
            return Ok(witnessed(head));
        }
        let pool = self.pool.clone();
        self.tx.commit().await?;
        let head = match pool.acquire().await {
            Ok(mut conn) => audit::head(&mut conn).await,
            Err(e) => Err(e.into()),
        };
        Ok(witnessed(head))
    }
}

/// The advisory lock key for one evaluator's saves on one lot: the first eight bytes of a
/// SHA-256, so that different evaluators (or lots) in practice never share a key, and if two
/// ever did their saves would only queue.
fn scoring_lock(lot: crate::domain::ids::LotId, evaluator: &str) -> i64 {
    use sha2::Digest;
    let d = sha2::Sha256::digest(format!("{evaluator}:{}", lot.0).as_bytes());
    i64::from_be_bytes(d[..8].try_into().expect("a SHA-256 is 32 bytes"))
}

fn witnessed(head: Result<(i64, String)>) -> Option<(i64, String)> {
    head.map_err(|e| tracing::warn!(error = %e, "could not read the head for the anchor journal"))
        .ok()
}

/// Whether opening may create the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// The database must already hold a Lotwise workspace.
    No,
    /// The database must be empty; the schema is created in it.
    New,
    /// The schema is created when the database is empty.
    IfEmpty,
}

fn workspace_error(location: &str, what: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Workspace, format!("{location}: {what}"))
}

/// As `workspace_error`, naming the field of the "Open a team workspace" form it is about.
fn field_error(location: &str, field: &str, what: impl std::fmt::Display) -> Error {
    let mut e = workspace_error(location, what);
    e.field = Some(field.to_string());
    e
}

/// Says why a connection failed in the words a person can act on. The server's own text
/// goes to the log.
pub fn connect_error(location: &str, e: sqlx::Error) -> Error {
    tracing::warn!(location, error = %e, "could not connect to the team workspace");
    let (field, what) = match &e {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") | Some("28000") => (
                "password",
                "the server refused the user name or password".to_string(),
            ),
            Some("3D000") => (
                "database",
                "the server has no database of that name".to_string(),
            ),
            Some("53300") => (
                "host",
                "the server has too many connections open; try again".to_string(),
            ),
            _ => (
                "host",
                "the server refused the connection (details are in the log)".to_string(),
            ),
        },
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => (
            "host",
            "the server cannot be reached: check the address and port, and that it is running"
                .to_string(),
        ),
        sqlx::Error::Tls(_) => (
            "tlsMode",
            "the secure connection to the server failed: check the TLS mode and CA file"
                .to_string(),
        ),
        sqlx::Error::Configuration(_) => ("host", "the server address is not one Lotwise can read: write it as postgres://USER@HOST:PORT/DATABASE".to_string()),
        _ => (
            "host",
            "the server could not be reached (details are in the log)".to_string(),
        ),
    };
    field_error(location, field, what)
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date. The password
    /// comes from the URL, `PGPASSWORD` or `~/.pgpass`; Lotwise never writes it down.
    pub async fn open(url: &str, create: Create) -> Result<PgStore> {
        let location = crate::ops::workspace::redact(url);
        let options = PgConnectOptions::from_str(url).map_err(|e| connect_error(&location, e))?;
        Self::open_with(options, location, create).await
    }

    /// As `open`, from connection options built in memory (the desktop's "Open a team
    /// workspace" form: the password goes from the form to the server and nowhere else).
    /// `location` is the address as people may see it.
    pub async fn open_with(
        options: PgConnectOptions,
        location: String,
        create: Create,
    ) -> Result<PgStore> {
        let options = options.application_name("lotwise");
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| connect_error(&location, e))?;
        let mut store = PgStore {
            pool,
            location,
            identity: None,
            facts: None,
        };
        store.identity = store.who().await?;
        store.facts = store.identity.is_some().then(FactsCache::default);
        store.prepare(&MIGRATOR, create).await?;
        Ok(store)
    }

    /// Checks the database is a Lotwise workspace (or empty, when it may be created) and
    /// applies the migrations it lacks.
    async fn prepare(&self, migrator: &sqlx::migrate::Migrator, create: Create) -> Result<()> {
        let has_migrations: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&self.pool)
                .await?;
        let tables: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
        )
        .fetch_one(&self.pool)
        .await?;
        let is_workspace = has_migrations
            && sqlx::query_scalar::<_, bool>("SELECT to_regclass('audit_events') IS NOT NULL")
                .fetch_one(&self.pool)
                .await?;
        match create {
            Create::New if tables > 0 => {
                return Err(workspace_error(
                    &self.location,
                    "the database is not empty; a new team workspace needs an empty database",
                ));
            }
            Create::No if !is_workspace => {
                return Err(field_error(
                    &self.location,
                    "database",
                    "this database is not a Lotwise workspace",
                ));
            }
            Create::IfEmpty if !is_workspace && tables > 0 => {
                return Err(workspace_error(
                    &self.location,
                    "this database is not a Lotwise workspace, and not empty",
                ));
            }
            _ => {}
        }
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        if is_workspace {
            let applied: Option<i64> =
                sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                    .fetch_one(&self.pool)
                    .await?;
            let applied = applied.unwrap_or(0);
            if applied > latest {
                return Err(workspace_error(
                    &self.location,
                    format!(
                        "the workspace was made by a newer version of Lotwise (schema {applied}; this version knows {latest}): upgrade Lotwise to open it"
                    ),
                ));
            }
            if applied == latest {
                if self.identity.is_some() {
                    self.check_security_revision().await?;
                }
                return Ok(());
            }
        }
        // A team member's login may not change the schema (the owner's grants and policies
        // go with it); the upgrade is IT's, with `team init`.
        if self.identity.is_some() {
            return Err(workspace_error(
                &self.location,
                "this team workspace needs upgrading for this version of Lotwise: ask IT to run `lotwise team init` on it",
            ));
        }
        migrator.run(&self.pool).await.map_err(|e| {
            tracing::error!(location = %self.location, error = %e, "a migration failed");
            workspace_error(
                &self.location,
                "the workspace schema could not be created or upgraded; nothing was changed (details are in the log)",
            )
        })
    }

    /// Refuses a team workspace whose row-level security is older than this app's (see
    /// `team::SECURITY_REVISION`): a member works only behind the policies this version
    /// was tested with. A newer revision is let through: IT refreshed it with a newer
    /// Lotwise, and the schema check above already refuses what this version cannot read.
    async fn check_security_revision(&self) -> Result<()> {
        // Two statements: a call to a function that is not there fails as it is parsed.
        let recorded: bool =
            sqlx::query_scalar("SELECT to_regprocedure('lotwise_security_revision()') IS NOT NULL")
                .fetch_one(&self.pool)
                .await?;
        let server: i32 = if recorded {
            sqlx::query_scalar("SELECT lotwise_security_revision()")
                .fetch_one(&self.pool)
                .await?
        } else {
            1
        };
        if server < team::SECURITY_REVISION {
            return Err(workspace_error(
                &self.location,
                format!(
                    "this team workspace's security needs refreshing for this version of Lotwise (revision {server}; this version needs {}): ask IT to run `lotwise team init` on it",
                    team::SECURITY_REVISION
                ),
            ));
        }
        Ok(())
    }

    /// The login role's Lotwise role, from its direct membership of a group role. None for
    /// a superuser or the owner, who act for themselves (administration, `workspace push`).
    async fn who(&self) -> Result<Option<(String, crate::domain::roles::Role)>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT u.rolname::text, g.rolname::text FROM pg_roles u
             JOIN pg_auth_members am ON am.member = u.oid JOIN pg_roles g ON g.oid = am.roleid
             WHERE u.rolname = session_user AND NOT u.rolsuper
               AND g.rolname IN ('lotwise_officer', 'lotwise_evaluator', 'lotwise_moderator', 'lotwise_legal')
             ORDER BY g.rolname LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|(user, group)| {
            crate::domain::roles::Role::ALL
                .into_iter()
                .find(|r| team::group(*r) == group)
                .map(|r| (user, r))
        }))
    }

    /// A write transaction, holding the workspace's write lock until it ends.
    pub async fn begin_tx(&self) -> Result<PgTx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(PgTx {
            tx,
            server_audit: self.identity.is_some(),
            pool: self.pool.clone(),
            facts: None,
            guard: None,
        })
    }

    /// One evaluator's score saves on one lot: WRITE_LOCK shared (so no other kind of writer
    /// runs meanwhile, and different evaluators' saves run side by side), and a lock on this
    /// evaluator and lot (so their own saves queue). Everything such a save reads is changed
    /// only under WRITE_LOCK held exclusively, or by this evaluator. A member's events are
    /// linked to the chain at commit (team.sql says why). All of it is one round trip: the
    /// locks' keys are numbers made here, so nothing a person typed is in the statement.
    ///
    /// A save's statements are planned once for the session (`force_generic_plan`): the
    /// server would otherwise plan each of them afresh for its first five runs, a few
    /// milliseconds each with ten evaluators saving (bench: team), for a plan no better,
    /// since every save asks the same thing of one lot.
    pub async fn begin_scoring_tx(
        &self,
        lot: crate::domain::ids::LotId,
        evaluator: &str,
    ) -> Result<PgTx> {
        let defer = if self.identity.is_some() {
            "SET CONSTRAINTS lotwise_audit_seal DEFERRED; "
        } else {
            ""
        };
        let begin = format!(
            "BEGIN; {defer}SET LOCAL plan_cache_mode = force_generic_plan; SELECT pg_advisory_xact_lock_shared({WRITE_LOCK}), pg_advisory_xact_lock({})",
            scoring_lock(lot, evaluator)
        );
        let tx = self.pool.begin_with(sqlx::AssertSqlSafe(begin)).await?;
        Ok(PgTx {
            tx,
            server_audit: self.identity.is_some(),
            pool: self.pool.clone(),
            facts: self.facts.clone(),
            guard: None,
        })
    }

    /// A read transaction: one consistent snapshot for every read in it.
    pub async fn read_tx(&self) -> Result<PgTx> {
        Ok(PgTx {
            tx: self
                .pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?,
            server_audit: self.identity.is_some(),
            pool: self.pool.clone(),
            facts: None,
            guard: None,
        })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The channel every committed change is announced on (a statement trigger on the audit
/// trail, `team.sql`): every change appends an audit event, so none is missed.
pub const CHANGES_CHANNEL: &str = "lotwise_changes";

#[async_trait]
impl Store for PgStore {
    async fn begin(&self) -> Result<Box<dyn crate::store::tx::Tx>> {
        Ok(Box::new(self.begin_tx().await?))
    }
    async fn begin_scoring(
        &self,
        lot: crate::domain::ids::LotId,
        evaluator: &str,
    ) -> Result<Box<dyn crate::store::tx::Tx>> {
        Ok(Box::new(self.begin_scoring_tx(lot, evaluator).await?))
    }
    async fn read(&self) -> Result<Box<dyn crate::store::tx::Tx>> {
        Ok(Box::new(self.read_tx().await?))
    }
    fn location(&self) -> String {
        self.location.clone()
    }
    fn read_only(&self) -> bool {
        false
    }
    fn identity(&self) -> Option<(String, crate::domain::roles::Role)> {
        self.identity.clone()
    }
    /// The server checks its own pages (and checksums, when the cluster has them); what
    /// Lotwise can check is that the server answers and the schema is the one it knows.
    async fn check_storage(&self) -> Result<()> {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        if applied != Some(latest) {
            return Err(workspace_error(
                &self.location,
                "the workspace schema is not the one this version of Lotwise uses",
            ));
        }
        Ok(())
    }
    /// A workspace file holding the team workspace as this login may see it, read at one
    /// moment and marked as a copy (it opens read-only). The server's own backups are IT's,
    /// with pg_dump (README, "Team workspace: a guide for IT").
    async fn backup(&self, out: &Path) -> Result<()> {
        transfer::snapshot(self, out, chrono::Utc::now())
            .await
            .map(drop)
    }
    /// LISTENs on its own connection and passes on each announced change. A dropped
    /// connection is re-established (and announced as a change, since some may have been
    /// missed meanwhile); the task ends when the receiver is dropped or the pool closed.
    async fn watch(&self) -> Result<Option<tokio::sync::mpsc::Receiver<()>>> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(_) => {}
                    Err(e) => {
                        tracing::info!(error = %e, "the change feed stopped");
                        return;
                    }
                }
                // Several changes at once need one refresh: a full channel drops the extra.
                match tx.try_send(()) {
                    Ok(()) | Err(tokio::sync::mpsc::error::TrySendError::Full(_)) => {}
                    Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => return,
                }
            }
        });
        Ok(Some(rx))
    }
    async fn close(&self) {
        self.pool.close().await;
    }
}
