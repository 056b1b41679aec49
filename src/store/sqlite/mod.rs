//! The embedded workspace: one SQLite file, set up never to lose a write it acknowledged.
use async_trait::async_trait;
use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, Transaction};
use std::path::{Path, PathBuf};

use super::*;
use crate::error::{Error, ErrorCode};

mod audit;
mod award;
mod calendar;
mod contracts;
mod engagement;
mod eval;
mod finance;
mod lots;
mod open;
mod papers;
mod registers;
mod route;
mod rows;
mod spec;
mod tender;
mod tupe;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    /// Opened from a folder this person cannot write: reads work, writes are refused.
    read_only: bool,
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
}

#[async_trait]
impl crate::store::tx::Tx for SqliteTx {
    fn audit(&mut self) -> &mut dyn crate::store::tx::AuditStore {
        self
    }
    fn calendar(&mut self) -> &mut dyn crate::store::tx::CalendarStore {
        self
    }
    fn lots(&mut self) -> &mut dyn crate::store::LotsStore {
        self
    }
    fn registers(&mut self) -> &mut dyn crate::store::tx::RegistersStore {
        self
    }
    fn contracts(&mut self) -> &mut dyn crate::store::tx::ContractsStore {
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
            let store = SqliteStore {
                pool: open::read_only_pool(path).await?,
                path: path.to_path_buf(),
                read_only: true,
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
            return Ok(store);
        }
        let store = SqliteStore {
            pool: open::read_write_pool(path).await?,
            path: path.to_path_buf(),
            read_only: false,
        };
        let (applied, latest) = store.schema_versions(migrator).await?;
        if applied < latest {
            let _lock = open::setup_lock(path)?;
            store.migrate(migrator).await?;
        }
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
        let found: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(5)")
            .fetch_all(&self.pool)
            .await
            .map_err(|e| {
                tracing::error!(path = %self.path.display(), error = %e, "quick_check failed");
                self.damaged("it could not be read")
            })?;
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
        if out.exists() {
            return Err(Error::validation(
                "out",
                format!("{} already exists; choose a new file", out.display()),
            ));
        }
        let dir = out.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(d) = dir
            && !d.is_dir()
        {
            return Err(Error::validation(
                "out",
                format!(
                    "{} cannot be written: there is no folder {}",
                    out.display(),
                    d.display()
                ),
            ));
        }
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
            Error::validation(
                "out",
                format!("{} could not be written: {e}", out.display()),
            )
        })?;
        Ok(())
    }

    /// Every write goes through here: BEGIN IMMEDIATE takes the write lock up front, so
    /// gate checks and the audit chain head read inside are not raced by another writer.
    pub(crate) async fn write(&self) -> Result<Tx> {
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

/// Not found, named, when the lot does not exist: reads and writes of a lot's records say
/// so rather than returning nothing.
async fn ensure_lot(conn: &mut sqlx::SqliteConnection, lot: LotId) -> Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM lots WHERE id = ?")
        .bind(lot.0)
        .fetch_one(&mut *conn)
        .await?;
    if n == 0 {
        return Err(Error::not_found(format!("lot {lot}")));
    }
    Ok(())
}

/// The lot's stage as it stands inside the caller's transaction.
async fn lot_stage(conn: &mut sqlx::SqliteConnection, lot: LotId) -> Result<Stage> {
    let s: Option<String> = sqlx::query_scalar("SELECT stage FROM lots WHERE id = ?")
        .bind(lot.0)
        .fetch_optional(&mut *conn)
        .await?;
    rows::stage(&s.ok_or_else(|| Error::not_found(format!("lot {lot}")))?)
}

/// A kept document whose bytes no longer match its stored hash has been tampered with.
fn check_kept(bytes: &[u8], sha256: &str, what: &str) -> Result<()> {
    use sha2::{Digest, Sha256};
    if hex::encode(Sha256::digest(bytes)) != sha256 {
        return Err(Error::new(
            ErrorCode::Integrity,
            format!("{what} no longer matches its SHA-256; it has been altered"),
        ));
    }
    Ok(())
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
    async fn check_storage(&self) -> Result<()> {
        self.check_pages().await
    }

    async fn advance_stage(
        &self,
        w: &WriteCtx,
        lot: LotId,
        to: Stage,
        reason: Option<String>,
        r: ReadCtx,
    ) -> Result<Lot> {
        lots::advance_stage(self, w, lot, to, reason, r).await
    }
    async fn eval_state(&self, lot: LotId, viewer: &str, scope: EvalScope) -> Result<EvalState> {
        let mut conn = self.pool.acquire().await?;
        eval::state(&mut conn, lot, viewer, scope).await
    }
    async fn procurement_lots(&self, procurement: ProcurementId) -> Result<Vec<LotId>> {
        eval::procurement_lots(&self.pool, procurement).await
    }
    async fn set_eval_model(&self, w: &WriteCtx, lot: LotId, model: EvalModel) -> Result<()> {
        eval::set_model(self, w, lot, model).await
    }
    async fn approve_eval_model(&self, w: &WriteCtx, lot: LotId) -> Result<()> {
        eval::approve(self, w, lot).await
    }
    async fn withdraw_eval_approval(&self, w: &WriteCtx, lot: LotId, reason: String) -> Result<()> {
        eval::withdraw(self, w, lot, reason).await
    }
    async fn set_award_limit(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        limit: Option<u32>,
    ) -> Result<()> {
        eval::set_award_limit(self, w, procurement, limit).await
    }
    async fn import_bids(&self, w: &WriteCtx, bids: Vec<NewBid>) -> Result<usize> {
        eval::import_bids(self, w, bids).await
    }
    async fn add_panel_member(
        &self,
        w: &WriteCtx,
        lot: LotId,
        person: String,
        role: PanelRole,
    ) -> Result<()> {
        eval::add_panel_member(self, w, lot, person, role).await
    }
    async fn declare_interests(
        &self,
        w: &WriteCtx,
        lot: LotId,
        conflict: Option<String>,
    ) -> Result<()> {
        eval::declare(self, w, lot, conflict).await
    }
    async fn save_scores(&self, w: &WriteCtx, lot: LotId, scores: Vec<ScoreInput>) -> Result<()> {
        eval::save_scores(self, w, lot, scores).await
    }
    async fn submit_scores(&self, w: &WriteCtx, lot: LotId) -> Result<()> {
        eval::submit(self, w, lot).await
    }
    async fn record_consensus(
        &self,
        w: &WriteCtx,
        lot: LotId,
        entries: Vec<ConsensusInput>,
    ) -> Result<()> {
        eval::record_consensus(self, w, lot, entries).await
    }
    async fn sign_off(&self, w: &WriteCtx, lot: LotId) -> Result<()> {
        eval::sign_off(self, w, lot).await
    }
    async fn reopen_moderation(&self, w: &WriteCtx, lot: LotId, reason: String) -> Result<()> {
        eval::reopen(self, w, lot, reason).await
    }

    async fn paper_drafts(&self, lot: LotId, kind: PaperKind) -> Result<Vec<SavedDraft>> {
        papers::drafts(&self.pool, lot, kind).await
    }
    async fn save_paper_draft(
        &self,
        w: &WriteCtx,
        lot: LotId,
        kind: PaperKind,
        draft: PaperDraft,
    ) -> Result<SavedDraft> {
        papers::save_draft(self, w, lot, kind, draft).await
    }
    async fn record_paper_document(
        &self,
        w: &WriteCtx,
        lot: LotId,
        kind: PaperKind,
        new: NewPaperDocument,
    ) -> Result<PaperDocument> {
        papers::record_document(self, w, lot, kind, new).await
    }
    async fn paper_documents(&self, lot: LotId) -> Result<Vec<PaperDocument>> {
        papers::documents(&self.pool, lot).await
    }
    async fn paper_document(&self, id: i64) -> Result<(PaperDocument, Vec<u8>)> {
        papers::document_bytes(&self.pool, id).await
    }

    async fn finance_records(&self, procurement: ProcurementId) -> Result<FinanceRecords> {
        finance::records(&self.pool, procurement).await
    }
    async fn set_budget_line(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        year: FinancialYear,
        amount: Option<Money>,
    ) -> Result<()> {
        finance::set_budget_line(self, w, procurement, year, amount).await
    }
    async fn set_contribution(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        c: NewContribution,
    ) -> Result<Contribution> {
        finance::set_contribution(self, w, procurement, c).await
    }
    async fn remove_contribution(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        id: i64,
    ) -> Result<()> {
        finance::remove_contribution(self, w, procurement, id).await
    }
    async fn set_lot_budget(
        &self,
        w: &WriteCtx,
        lot: LotId,
        year: FinancialYear,
        amount: Option<Money>,
    ) -> Result<()> {
        finance::set_lot_budget(self, w, lot, year, amount).await
    }
    async fn set_savings_target(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        target: Option<SavingsTarget>,
    ) -> Result<()> {
        finance::set_savings_target(self, w, procurement, target).await
    }
    async fn save_allocation(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        basis: String,
        allocation: crate::domain::allocation::Allocation,
        areas: Vec<AreaLot>,
    ) -> Result<SavedAllocation> {
        finance::save_allocation(self, w, procurement, basis, allocation, areas).await
    }
    async fn engagement(&self, lot: LotId) -> Result<crate::domain::engagement::EngagementRecords> {
        engagement::records(&self.pool, lot).await
    }
    async fn add_engagement_event(
        &self,
        w: &WriteCtx,
        lot: LotId,
        e: NewEngagementEvent,
    ) -> Result<i64> {
        engagement::add_event(self, w, lot, e).await
    }
    async fn add_attendee(
        &self,
        w: &WriteCtx,
        lot: LotId,
        event: i64,
        a: crate::domain::engagement::Attendee,
    ) -> Result<()> {
        engagement::add_attendee(self, w, lot, event, a).await
    }
    async fn add_engagement_question(
        &self,
        w: &WriteCtx,
        lot: LotId,
        event: i64,
        q: crate::domain::engagement::EngagementQuestion,
    ) -> Result<()> {
        engagement::add_question(self, w, lot, event, q).await
    }
    async fn add_interest(&self, w: &WriteCtx, lot: LotId, i: NewInterest) -> Result<()> {
        engagement::add_interest(self, w, lot, i).await
    }
    async fn set_no_engagement_reason(
        &self,
        w: &WriteCtx,
        lot: LotId,
        reason: String,
    ) -> Result<()> {
        engagement::set_no_engagement_reason(self, w, lot, reason).await
    }
    async fn spec_versions(&self, lot: LotId) -> Result<Vec<crate::domain::spec::SpecVersion>> {
        spec::versions(&self.pool, lot).await
    }
    async fn save_spec_version(
        &self,
        w: &WriteCtx,
        lot: LotId,
        note: String,
        sections: Vec<crate::domain::spec::SpecSection>,
    ) -> Result<u32> {
        spec::save_version(self, w, lot, note, sections).await
    }
    async fn approve_spec_version(&self, w: &WriteCtx, lot: LotId, version: u32) -> Result<()> {
        spec::approve(self, w, lot, version).await
    }
    async fn spec_comments(&self, lot: LotId) -> Result<Vec<crate::domain::spec::SpecComment>> {
        spec::comments(&self.pool, lot).await
    }
    async fn add_spec_comment(&self, w: &WriteCtx, lot: LotId, c: NewSpecComment) -> Result<()> {
        spec::add_comment(self, w, lot, c).await
    }
    async fn respond_spec_comment(
        &self,
        w: &WriteCtx,
        lot: LotId,
        comment: i64,
        response: String,
    ) -> Result<()> {
        spec::respond(self, w, lot, comment, response).await
    }
    async fn tender_records(&self, lot: LotId) -> Result<crate::domain::tender::TenderRecords> {
        tender::records(&self.pool, lot).await
    }
    async fn set_closing_time(&self, w: &WriteCtx, lot: LotId, time: String) -> Result<()> {
        tender::set_closing_time(self, w, lot, time).await
    }
    async fn add_clarification(
        &self,
        w: &WriteCtx,
        lot: LotId,
        c: NewClarification,
    ) -> Result<u32> {
        tender::add_clarification(self, w, lot, c).await
    }
    async fn publish_clarification(
        &self,
        w: &WriteCtx,
        lot: LotId,
        number: u32,
        answer: String,
        published_on: NaiveDate,
    ) -> Result<()> {
        tender::publish_clarification(self, w, lot, number, answer, published_on).await
    }
    async fn record_bid_receipt(&self, w: &WriteCtx, lot: LotId, r: NewBidReceipt) -> Result<()> {
        tender::record_receipt(self, w, lot, r).await
    }
    async fn decide_late_bid(
        &self,
        w: &WriteCtx,
        lot: LotId,
        receipt: i64,
        decision: crate::domain::tender::LateDecision,
        reason: String,
    ) -> Result<()> {
        tender::decide_late(self, w, lot, receipt, decision, reason).await
    }
    async fn send_receipts_to_evaluation(
        &self,
        w: &WriteCtx,
        lot: LotId,
        bids: Vec<(i64, NewBid)>,
    ) -> Result<usize> {
        tender::send_to_evaluation(self, w, lot, bids).await
    }
    async fn route_records(&self, lot: LotId) -> Result<RouteRecords> {
        route::records(&self.pool, lot).await
    }
    async fn set_route(
        &self,
        w: &WriteCtx,
        lot: LotId,
        choice: crate::domain::route::RouteChoice,
    ) -> Result<()> {
        route::set_route(self, w, lot, choice).await
    }
    async fn record_conflicts(
        &self,
        w: &WriteCtx,
        lot: LotId,
        assessment: NewConflictsAssessment,
    ) -> Result<i64> {
        route::record_conflicts(self, w, lot, assessment).await
    }
    async fn set_section75_item(
        &self,
        w: &WriteCtx,
        lot: LotId,
        item: &str,
        agreed: bool,
        note: &str,
    ) -> Result<()> {
        route::set_section75_item(self, w, lot, item, agreed, note).await
    }
    async fn publish_notice(
        &self,
        w: &WriteCtx,
        lot: LotId,
        notice: crate::domain::route::notices::PublishedNotice,
    ) -> Result<()> {
        route::publish_notice(self, w, lot, notice).await
    }

    async fn tupe_plan(&self, lot: LotId) -> Result<Option<TupePlan>> {
        tupe::plan(&self.pool, lot).await
    }
    async fn set_tupe_plan(&self, w: &WriteCtx, lot: LotId, plan: TupePlan) -> Result<TupePlan> {
        tupe::set_plan(self, w, lot, plan).await
    }
    async fn tupe_staff_lists(&self, lot: LotId) -> Result<Vec<StaffListMeta>> {
        tupe::lists(&self.pool, lot).await
    }
    async fn tupe_staff(&self, list: i64) -> Result<Vec<StaffMember>> {
        tupe::staff(&self.pool, list).await
    }
    async fn import_tupe_staff(
        &self,
        w: &WriteCtx,
        lot: LotId,
        file_name: &str,
        staff: Vec<StaffMember>,
    ) -> Result<StaffListMeta> {
        tupe::import(self, w, lot, file_name, staff).await
    }
    async fn tupe_obligation_records(&self, lot: LotId) -> Result<Vec<ObligationRecord>> {
        tupe::records(&self.pool, lot).await
    }
    async fn set_tupe_obligation(
        &self,
        w: &WriteCtx,
        lot: LotId,
        key: &str,
        status: ObligationStatus,
        evidence: &str,
    ) -> Result<ObligationRecord> {
        tupe::set_record(self, w, lot, key, status, evidence).await
    }
    async fn tupe_board_facts(&self) -> Result<Vec<TupeLotFacts>> {
        tupe::board_facts(&self.pool).await
    }

    async fn award_dates(&self, lot: LotId) -> Result<Option<AwardDates>> {
        award::dates(&self.pool, lot).await
    }
    async fn set_award_dates(&self, w: &WriteCtx, lot: LotId, d: AwardDates) -> Result<AwardDates> {
        award::set_dates(self, w, lot, d).await
    }
    async fn standstill_records(
        &self,
        lot: LotId,
    ) -> Result<crate::domain::award::StandstillRecords> {
        award::standstill_records(&self.pool, lot).await
    }
    async fn add_representation(
        &self,
        w: &WriteCtx,
        lot: LotId,
        received_on: NaiveDate,
        provider: &str,
        summary: &str,
    ) -> Result<()> {
        award::add_representation(self, w, lot, received_on, provider, summary).await
    }
    async fn add_further_decision(
        &self,
        w: &WriteCtx,
        lot: LotId,
        communicated_on: NaiveDate,
        decision: crate::domain::award::FurtherDecisionKind,
        reasons: &str,
    ) -> Result<()> {
        award::add_further_decision(self, w, lot, communicated_on, decision, reasons).await
    }
    async fn award_packs(&self, lot: LotId) -> Result<Vec<AwardPack>> {
        award::packs(&self.pool, lot).await
    }
    async fn record_award_pack(
        &self,
        w: &WriteCtx,
        lot: LotId,
        new: NewAwardPack,
    ) -> Result<AwardPack> {
        award::record_pack(self, w, lot, new).await
    }
    async fn award_pack(&self, id: i64) -> Result<(AwardPack, Vec<u8>)> {
        award::pack_bytes(&self.pool, id).await
    }
    async fn award_pack_by_hash(&self, sha256: &str) -> Result<Option<AwardPack>> {
        award::pack_by_hash(&self.pool, sha256).await
    }
    async fn review_award_pack(
        &self,
        w: &WriteCtx,
        pack: i64,
        decision: PackDecision,
        comments: Vec<PackComment>,
    ) -> Result<AwardPack> {
        award::review(self, w, pack, decision, comments).await
    }

    async fn backup(&self, out: &Path) -> Result<()> {
        self.vacuum_into(out).await
    }
}
