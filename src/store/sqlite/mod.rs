//! The embedded workspace: one SQLite file, set up never to lose a write it acknowledged.
use async_trait::async_trait;
use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, Transaction};
use std::path::{Path, PathBuf};

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
mod open;
#[path = "../sql/papers.rs"]
mod papers;
#[path = "../sql/registers.rs"]
mod registers;
#[path = "../sql/route.rs"]
mod route;
#[path = "../sql/rows.rs"]
mod rows;
#[path = "../sql/spec.rs"]
mod spec;
#[path = "../sql/tender.rs"]
mod tender;
#[path = "../sql/tupe.rs"]
mod tupe;

pub(crate) use open::temp_beside;

/// The newest audit event's sequence number and hash, for `workspace push` to compare.
pub(crate) async fn head(conn: &mut sqlx::SqliteConnection) -> Result<(i64, String)> {
    audit::head(conn).await
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// The names the shared SQL in `src/store/sql` uses for this backend.
pub(crate) type BackendTx = SqliteTx;
pub(crate) type Conn = sqlx::SqliteConnection;
pub(crate) type Db = sqlx::Sqlite;

pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    /// Opened from a folder this person cannot write, or a copy of a team workspace: reads
    /// work, writes are refused.
    read_only: bool,
    /// Set when the file is a copy of a team workspace (`copy_of` holds a row).
    copy: Option<super::CopyOf>,
}

pub(crate) type Tx = Transaction<'static, Sqlite>;

/// One open transaction on the workspace file: every area's reads and writes run on it.
pub struct SqliteTx {
    tx: Transaction<'static, Sqlite>,
}

impl SqliteTx {
    pub(crate) fn conn(&mut self) -> &mut sqlx::SqliteConnection {
        &mut self.tx
    }

    /// A laptop workspace's audit events are linked by the app (one person, one file).
    pub(crate) fn server_audit(&self) -> bool {
        false
    }

    /// Facts are always read in the save's own transaction here: nothing to guard.
    pub(crate) fn facts_guard(&self) -> Option<i64> {
        None
    }

    pub(crate) fn forget_facts(&mut self, _lot: crate::domain::ids::LotId) {}

    pub(crate) fn facts_confirmed(&mut self) {}
}

#[async_trait]
impl crate::store::tx::Tx for SqliteTx {
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
}

pub use open::{APPLICATION_ID, Create};

impl SqliteStore {
    /// Opens an existing workspace and brings its schema up to date, copying it aside with
    /// `VACUUM INTO` before any migration runs. A missing file is refused, naming it: only
    /// `create` (`lotwise init`, `lotwise demo`) makes a workspace.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        Self::open_with_migrator(path, &MIGRATOR, Create::No).await
    }

    /// Creates a new workspace; refuses a path that already holds a file.
    pub async fn create(path: &Path) -> Result<SqliteStore> {
        Self::open_with_migrator(path, &MIGRATOR, Create::New).await
    }

    /// Opens the workspace, creating it if there is no file at the path yet.
    pub async fn open_or_create(path: &Path) -> Result<SqliteStore> {
        Self::open_with_migrator(path, &MIGRATOR, Create::IfMissing).await
    }

    /// As `open`, with a given set of migrations (tests use it to simulate an upgrade).
    pub async fn open_with_migrator(
        path: &Path,
        migrator: &sqlx::migrate::Migrator,
        create: Create,
    ) -> Result<SqliteStore> {
        let mut k = open::kind(path)?;
        if k == open::Kind::Empty && open::writable(path) {
            // A workspace still being renamed into place by another process is complete
            // once that process lets go of the setup lock.
            let _lock = open::setup_lock(path)?;
            k = open::kind(path)?;
        }
        match (&k, create) {
            (open::Kind::Missing, Create::No) => return Err(open::not_a_workspace(path, &k)),
            (open::Kind::Missing, _) => {
                Self::create_file(path, migrator, create).await?;
                k = open::kind(path)?;
            }
            (_, Create::New) => {
                return Err(open::workspace(
                    path,
                    "already exists; `lotwise init` only creates a new workspace (choose another path)".into(),
                ));
            }
            _ => {}
        }
        match k {
            open::Kind::Sqlite { application_id } if application_id == APPLICATION_ID => {}
            open::Kind::Sqlite { application_id: 0 }
                if open::is_unmarked_workspace(path).await? => {}
            other => return Err(open::not_a_workspace(path, &other)),
        }
        if !open::writable(path) {
            let mut store = SqliteStore {
                pool: open::read_only_pool(path).await?,
                path: path.to_path_buf(),
                read_only: true,
                copy: None,
            };
            let (applied, latest) = store.schema_versions(migrator).await?;
            if applied < latest {
                return Err(open::workspace(
                    path,
                    format!(
                        "was made by an older version of Lotwise and needs upgrading, but its folder is read-only; copy it to a folder you can write to and open the copy (schema {applied}; this version uses {latest})"
                    ),
                ));
            }
            store.copy = store.read_copy_marker().await?;
            return Ok(store);
        }
        let mut store = SqliteStore {
            pool: open::read_write_pool(path).await?,
            path: path.to_path_buf(),
            read_only: false,
            copy: None,
        };
        let (applied, latest) = store.schema_versions(migrator).await?;
        if applied < latest {
            let _lock = open::setup_lock(path)?;
            store.migrate(migrator).await?;
        }
        store.copy = store.read_copy_marker().await?;
        store.read_only = store.copy.is_some();
        Ok(store)
    }

    /// Builds a new workspace under a temporary name beside `path` and renames it into
    /// place, so the path is either absent or a whole workspace.
    async fn create_file(
        path: &Path,
        migrator: &sqlx::migrate::Migrator,
        create: Create,
    ) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                open::workspace(
                    path,
                    format!("cannot be created: its folder cannot be made ({e})"),
                )
            })?;
        }
        let _lock = open::setup_lock(path)?;
        match open::kind(path)? {
            open::Kind::Missing => {}
            // Another process made it while this one waited for the lock.
            _ if create == Create::IfMissing => return Ok(()),
            _ => {
                return Err(open::workspace(
                    path,
                    "already exists; `lotwise init` only creates a new workspace (choose another path)".into(),
                ));
            }
        }
        let temp = open::temp_beside(path, "new");
        open::create_private_file(&temp)
            .map_err(|e| open::workspace(path, format!("cannot be created: {e}")))?;
        let built = async {
            let pool = open::read_write_pool(&temp).await?;
            let r = async {
                sqlx::query(open::SET_APPLICATION_ID).execute(&pool).await?;
                migrator.run(&pool).await?;
                Ok::<(), Error>(())
            }
            .await;
            // Closing the last connection checkpoints the WAL into the file, so the
            // header (and its application id) is complete before the rename.
            pool.close().await;
            r
        }
        .await;
        let placed = built.and_then(|()| {
            std::fs::rename(&temp, path)
                .map_err(|e| open::workspace(path, format!("cannot be created: {e}")))
        });
        if placed.is_err() {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = temp.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
        }
        placed
    }

    /// The newest migration applied to the workspace, and the newest this build knows.
    async fn schema_versions(&self, migrator: &sqlx::migrate::Migrator) -> Result<(i64, i64)> {
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        let applied = applied.unwrap_or(0);
        if applied > latest {
            return Err(open::workspace(
                &self.path,
                format!(
                    "was made by a newer version of Lotwise (schema {applied}; this version knows {latest}): upgrade Lotwise to open it"
                ),
            ));
        }
        Ok((applied, latest))
    }

    /// Copies the workspace aside, then applies the migrations it lacks. Called with the
    /// setup lock held, so only one process migrates; the others find it done.
    async fn migrate(&self, migrator: &sqlx::migrate::Migrator) -> Result<()> {
        let (applied, latest) = self.schema_versions(migrator).await?;
        if applied >= latest {
            return Ok(());
        }
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let mut backup = self
            .path
            .with_extension(format!("before-migration-{latest}-{stamp}.sqlite"));
        let mut n = 2;
        while backup.exists() {
            backup = self
                .path
                .with_extension(format!("before-migration-{latest}-{stamp}-{n}.sqlite"));
            n += 1;
        }
        self.vacuum_into(&backup).await?;
        // Stamp workspaces made before they were marked, in the same step as the upgrade.
        sqlx::query(open::SET_APPLICATION_ID)
            .execute(&self.pool)
            .await?;
        if let Err(e) = migrator.run(&self.pool).await {
            tracing::error!(path = %self.path.display(), error = %e, "a migration failed");
            // Nothing applied means the workspace is as the copy has it: drop the copy, so
            // a migration that keeps failing does not leave a new copy on every open.
            let (now, _) = self
                .schema_versions(migrator)
                .await
                .unwrap_or((applied, latest));
            if now == applied {
                let _ = std::fs::remove_file(&backup);
            }
            return Err(open::workspace(
                &self.path,
                format!(
                    "could not be upgraded to this version of Lotwise; it has been left as it was (details are in the log){}",
                    if now == applied {
                        String::new()
                    } else {
                        format!(
                            ". A copy from before the upgrade is at {}",
                            backup.display()
                        )
                    }
                ),
            ));
        }
        Ok(())
    }

    /// SQLite's own check of every page: a damaged file is found when it is opened, not
    /// when a bid goes missing.
    pub async fn check_pages(&self) -> Result<()> {
        let unreadable = |e: sqlx::Error| {
            tracing::error!(path = %self.path.display(), error = %e, "quick_check failed");
            self.damaged("it could not be read")
        };
        // Every page is read: with the file mapped for the check only (sqlite::dialect).
        let mut c = self.pool.acquire().await.map_err(unreadable)?;
        dialect::map_for_reading(&mut c, true).await?;
        let found = sqlx::query_scalar::<_, String>("PRAGMA quick_check(5)")
            .fetch_all(&mut *c)
            .await
            .map_err(unreadable);
        // A damaged file is reported as damaged even if the mapping cannot be cleared.
        let unmapped = dialect::map_for_reading(&mut c, false).await;
        let found = found?;
        unmapped?;
        if found.len() == 1 && found[0] == "ok" {
            return Ok(());
        }
        tracing::error!(path = %self.path.display(), problems = ?found, "the workspace is damaged");
        Err(self.damaged(&format!(
            "SQLite’s check found {} problem{}",
            found.len(),
            if found.len() == 1 { "" } else { "s" }
        )))
    }

    fn damaged(&self, what: &str) -> Error {
        Error::new(
            ErrorCode::Integrity,
            format!(
                "{} is damaged: {what}. Restore it from your latest backup: close Lotwise, then copy the backup (made with `lotwise backup`, or a {}.before-migration-… copy beside it) over this file. Do not keep working in the damaged file.",
                self.path.display(),
                self.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ),
        )
    }

    /// Copies the workspace to `out` consistently. The copy is made under a temporary
    /// name and renamed into place, so a full disk leaves no half-written file behind.
    async fn vacuum_into(&self, out: &Path) -> Result<()> {
        let temp = open::temp_beside(out, "partial");
        let target = temp
            .to_str()
            .ok_or_else(|| Error::validation("out", "the backup path is not valid UTF-8"))?;
        let r = sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await;
        if let Err(e) = r {
            let _ = std::fs::remove_file(&temp);
            tracing::error!(out = %out.display(), error = %e, "VACUUM INTO failed");
            // SQLITE_FULL is 13.
            let full = matches!(&e, sqlx::Error::Database(d) if d.code().as_deref() == Some("13"));
            return Err(Error::validation(
                "out",
                format!(
                    "{} could not be written: {}; nothing was left behind",
                    out.display(),
                    if full {
                        "the disk is full"
                    } else {
                        "the folder cannot be written to (see the log for details)"
                    }
                ),
            ));
        }
        std::fs::rename(&temp, out).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            tracing::error!(out = %out.display(), error = %e, "renaming the backup into place failed");
            Error::validation(
                "out",
                format!(
                    "{} could not be written (see the log for details); nothing was left behind",
                    out.display()
                ),
            )
        })?;
        Ok(())
    }

    /// A copy of a team workspace says so (`copy_of`); one made before the marker existed,
    /// or a laptop workspace, has no row.
    async fn read_copy_marker(&self) -> Result<Option<super::CopyOf>> {
        let has_table: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'copy_of')",
        )
        .fetch_one(&self.pool)
        .await?;
        if !has_table {
            return Ok(None);
        }
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT server, taken_at, taken_by FROM copy_of LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(server, at, taken_by)| super::CopyOf {
            server,
            taken_at: dialect::instant(&at),
            taken_by,
        }))
    }

    /// Every write goes through here: BEGIN IMMEDIATE takes the write lock up front, so
    /// gate checks and the audit chain head read inside are not raced by another writer.
    pub(crate) async fn write(&self) -> Result<Tx> {
        if let Some(copy) = &self.copy {
            return Err(open::workspace(
                &self.path,
                format!(
                    "is {}: it opens read-only, because the record is kept on the team workspace; make changes there",
                    copy.describe()
                ),
            ));
        }
        if self.read_only {
            return Err(open::workspace(
                &self.path,
                "is open read-only, because its folder cannot be written; copy it to a folder you can write to make changes".into(),
            ));
        }
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// A write transaction: BEGIN IMMEDIATE takes the write lock up front, so the facts a
    /// rule reads inside it cannot change before the change it decides is applied.
    pub async fn begin_tx(&self) -> Result<SqliteTx> {
        Ok(SqliteTx {
            tx: self.write().await?,
        })
    }

    /// A read transaction: one consistent snapshot for every read in it.
    pub async fn read_tx(&self) -> Result<SqliteTx> {
        Ok(SqliteTx {
            tx: self.pool.begin().await?,
        })
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn begin(&self) -> Result<Box<dyn crate::store::tx::Tx>> {
        Ok(Box::new(self.begin_tx().await?))
    }
    async fn read(&self) -> Result<Box<dyn crate::store::tx::Tx>> {
        Ok(Box::new(self.read_tx().await?))
    }
    fn location(&self) -> String {
        self.path.display().to_string()
    }
    fn copy_of(&self) -> Option<super::CopyOf> {
        self.copy.clone()
    }
    fn read_only(&self) -> bool {
        self.read_only
    }
    async fn check_storage(&self) -> Result<()> {
        self.check_pages().await
    }

    async fn backup(&self, out: &Path) -> Result<()> {
        self.vacuum_into(out).await
    }
    async fn close(&self) {
        self.pool.close().await;
    }
}
