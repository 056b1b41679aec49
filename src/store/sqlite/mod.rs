//! The embedded workspace: one SQLite file, set up never to lose a write it acknowledged.
use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
}

pub(crate) type Tx = Transaction<'static, Sqlite>;

impl SqliteStore {
    /// Opens (creating if missing) a workspace file and brings its schema up to date,
    /// copying it aside with `VACUUM INTO` before any migration runs.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        Self::open_with_migrator(path, &MIGRATOR).await
    }

    /// As `open`, with a given set of migrations (tests use it to simulate an upgrade).
    pub async fn open_with_migrator(
        path: &Path,
        migrator: &sqlx::migrate::Migrator,
    ) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(|e| {
                Error::new(
                    ErrorCode::Storage,
                    format!("{} could not be opened as a workspace: {e}", path.display()),
                )
            })?;
        let store = SqliteStore {
            pool,
            path: path.to_path_buf(),
        };
        store.migrate(migrator).await?;
        Ok(store)
    }

    async fn migrate(&self, migrator: &sqlx::migrate::Migrator) -> Result<()> {
        let tables: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")
                .fetch_one(&self.pool)
                .await
                .map_err(|e| {
                    Error::new(
                        ErrorCode::Storage,
                        format!("{} is not a Lotwise workspace: {e}", self.path.display()),
                    )
                })?;
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> = if tables > 0 {
            let has_table: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations'",
            )
            .fetch_one(&self.pool)
            .await?;
            if has_table == 0 {
                return Err(Error::new(
                    ErrorCode::Storage,
                    format!(
                        "{} is an SQLite file but not a Lotwise workspace",
                        self.path.display()
                    ),
                ));
            }
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?
        } else {
            None
        };
        if let Some(v) = applied
            && v < latest
        {
            let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
            let backup = self
                .path
                .with_extension(format!("before-migration-{latest}-{stamp}.sqlite"));
            self.vacuum_into(&backup).await?;
        }
        migrator.run(&self.pool).await?;
        Ok(())
    }

    async fn vacuum_into(&self, out: &Path) -> Result<()> {
        if out.exists() {
            return Err(Error::validation(
                "out",
                format!("{} already exists; choose a new file", out.display()),
            ));
        }
        let target = out
            .to_str()
            .ok_or_else(|| Error::validation("out", "the backup path is not valid UTF-8"))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every write goes through here: BEGIN IMMEDIATE takes the write lock up front, so
    /// gate checks and the audit chain head read inside are not raced by another writer.
    pub(crate) async fn write(&self) -> Result<Tx> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
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
    async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM organisations) + (SELECT count(*) FROM contracts) + (SELECT count(*) FROM procurements)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n == 0)
    }

    async fn create_organisation(
        &self,
        w: &WriteCtx,
        new: NewOrganisation,
    ) -> Result<Organisation> {
        registers::create_organisation(self, w, new).await
    }
    async fn list_organisations(&self) -> Result<Vec<Organisation>> {
        registers::list_organisations(&self.pool).await
    }
    async fn create_supplier(&self, w: &WriteCtx, new: NewSupplier) -> Result<Supplier> {
        registers::create_supplier(self, w, new).await
    }
    async fn list_suppliers(&self) -> Result<Vec<Supplier>> {
        registers::list_suppliers(&self.pool).await
    }
    async fn create_contract(&self, w: &WriteCtx, new: NewContract) -> Result<Contract> {
        contracts::create(self, w, new).await
    }
    async fn list_contracts(&self) -> Result<Vec<Contract>> {
        contracts::list(&self.pool).await
    }
    async fn set_option_status(
        &self,
        w: &WriteCtx,
        contract: ContractId,
        option: u32,
        status: OptionStatus,
    ) -> Result<Contract> {
        contracts::set_option_status(self, w, contract, option, status).await
    }
    async fn create_procurement(&self, w: &WriteCtx, new: NewProcurement) -> Result<Procurement> {
        registers::create_procurement(self, w, new).await
    }
    async fn list_procurements(&self) -> Result<Vec<Procurement>> {
        registers::list_procurements(&self.pool).await
    }
    async fn create_lot(&self, w: &WriteCtx, new: NewLot, r: ReadCtx) -> Result<Lot> {
        lots::create(self, w, new, r).await
    }
    async fn get_lot(&self, id: LotId, r: ReadCtx) -> Result<Lot> {
        let mut conn = self.pool.acquire().await?;
        lots::get(&mut conn, id, r).await
    }
    async fn board(&self, r: ReadCtx) -> Result<Board> {
        lots::board(&self.pool, r).await
    }
    async fn set_milestone(
        &self,
        w: &WriteCtx,
        lot: LotId,
        m: MilestoneInput,
        r: ReadCtx,
    ) -> Result<Lot> {
        lots::set_milestone(self, w, lot, m, r).await
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
    async fn lot_audit_events(&self, lot: LotId, upto: i64) -> Result<Vec<AuditEvent>> {
        audit::lot_events(&self.pool, lot, upto).await
    }
    async fn audit_head(&self) -> Result<(i64, String)> {
        let mut conn = self.pool.acquire().await?;
        audit::head(&mut conn).await
    }
    async fn audit_hash_at(&self, seq: i64) -> Result<Option<String>> {
        audit::hash_at(&self.pool, seq).await
    }

    async fn extra_holidays(&self) -> Result<Vec<Holiday>> {
        calendar::list(&self.pool).await
    }
    async fn add_extra_holiday(&self, w: &WriteCtx, h: Holiday) -> Result<Holiday> {
        calendar::add(self, w, h).await
    }

    async fn audit_page(&self, offset: i64, limit: i64) -> Result<AuditPage> {
        audit::page(&self.pool, offset, limit).await
    }
    async fn verify_audit(&self) -> Result<AuditVerification> {
        audit::verify(&self.pool).await
    }
    async fn backup(&self, out: &Path) -> Result<()> {
        self.vacuum_into(out).await
    }
}
