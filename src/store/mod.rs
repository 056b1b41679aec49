//! The Store trait: domain operations, not tables. SQLite is the embedded default; a shared
//! PostgreSQL backend can implement the same trait when a team outgrows one laptop.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use std::path::Path;

use crate::domain::allocation::{AreaLot, SavedAllocation};
use crate::domain::finance::FinancialYear;
use crate::domain::finance::budget::{Arrangement, Contribution};
use crate::domain::finance::savings::SavingsTarget;
use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::paper::{Edition, PaperDocument, PaperDraft, PaperKind, SavedDraft};
use crate::domain::registers::OrganisationKind;
use crate::domain::term::{OptionStatus, Term};
use crate::domain::tupe::StaffListMeta;
use crate::domain::tupe::obligations::{ObligationRecord, ObligationStatus, StaffCounts, TupePlan};
use crate::domain::tupe::staff::StaffMember;
use crate::error::Result;

pub mod award;
pub mod engagement;
pub mod eval;
pub mod lots;
pub mod route;
pub mod spec;
pub mod sqlite;
pub mod tender;
pub mod tx;

pub use award::{AwardStore, NewAwardPack};
pub use engagement::{EngagementStore, NewEngagementEvent, NewInterest};
pub use eval::{ConsensusInput, EvalHead, EvalStore, NewBid, ScoreInput};
pub use lots::{LotsStore, MilestoneInput, NewLot};
pub use route::{NewConflictsAssessment, RouteRecords, RouteStore};
pub use spec::{NewSpecComment, SpecStore};
pub use tender::{NewBidReceipt, NewClarification, TenderStore};

pub use tx::{NewAuditEvent, Tx};

#[derive(Debug, Clone, Default)]
pub struct FinanceRecords {
    pub contributions: Vec<Contribution>,
    pub lot_budgets: Vec<(LotId, FinancialYear, Money)>,
    pub savings: Option<SavingsTarget>,
    /// Newest first.
    pub allocations: Vec<SavedAllocation>,
}

#[derive(Debug, Clone)]
pub struct NewContribution {
    pub funder: OrganisationId,
    pub financial_year: FinancialYear,
    pub amount: Money,
    pub arrangement: Arrangement,
    pub purpose: String,
}

/// Who is writing and when: every write is audited with these.
#[derive(Debug, Clone)]
pub struct WriteCtx {
    pub actor: String,
    pub at: DateTime<Utc>,
    pub today: NaiveDate,
}

/// What reads that depend on the date need.
#[derive(Debug, Clone, Copy)]
pub struct ReadCtx {
    pub today: NaiveDate,
    pub amber_days: i64,
}

// Inputs below are already parsed into domain types by `ops`: the store never sees raw text.

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Clone)]
pub struct NewSupplier {
    pub name: String,
    pub companies_house_number: Option<String>,
    pub charity_number: Option<String>,
}

/// A contract's provider: one already in the register, or a new one written in the same
/// transaction as the contract, so a refused contract leaves no stray supplier.
#[derive(Debug, Clone)]
pub enum ProviderRef {
    Existing(SupplierId),
    New(NewSupplier),
}

#[derive(Debug, Clone)]
pub struct NewContract {
    pub reference: String,
    pub title: String,
    pub service: String,
    pub provider: ProviderRef,
    pub commissioner: Option<OrganisationId>,
    pub annual_value: Money,
    pub start: NaiveDate,
    pub term: Term,
    pub option_statuses: Vec<OptionStatus>,
    pub notice_period_months: u32,
}

#[derive(Debug, Clone)]
pub struct NewProcurement {
    pub reference: String,
    pub title: String,
    pub service: String,
    pub commissioners: Vec<OrganisationId>,
    pub budget: Vec<(FinancialYear, Money)>,
}

/// A generated paper to keep: the store adds its number and SHA-256.
#[derive(Debug, Clone)]
pub struct NewPaperDocument {
    pub draft_version: u32,
    pub edition: Edition,
    pub pages: u32,
    pub bytes: Vec<u8>,
}

/// One planned transfer as the pipeline board reads it: the plan, the tender notice date,
/// the newest staff list and the officer's records.
#[derive(Debug, Clone)]
pub struct TupeLotFacts {
    pub lot: LotId,
    pub plan: TupePlan,
    pub tender_notice: Option<NaiveDate>,
    pub list: Option<StaffListMeta>,
    /// Counted in the database: the board needs the numbers, not the people.
    pub staff: StaffCounts,
    pub records: Vec<ObligationRecord>,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// True when the workspace holds no organisations, contracts or procurements.
    /// A transaction for a use case that writes: reads inside it see a state no other
    /// writer can change before it commits.
    async fn begin(&self) -> Result<Box<dyn Tx>>;
    /// A transaction for reading: one consistent snapshot.
    async fn read(&self) -> Result<Box<dyn Tx>>;
    /// Where the workspace is, as people would write it (a file path, a server address).
    fn location(&self) -> String;
    /// The storage's own check that nothing is damaged (SQLite: `PRAGMA quick_check`).
    async fn check_storage(&self) -> Result<()>;

    // Evaluation. The person acting is always `w.actor`; reads are filtered for `viewer` by
    // the blind-scoring rule (`domain::eval::access`) inside the store.

    // Decision papers.
    /// Every saved version of a paper's narrative, newest first.
    async fn paper_drafts(&self, lot: LotId, kind: PaperKind) -> Result<Vec<SavedDraft>>;
    /// Saves a new version (or returns the latest when nothing changed).
    async fn save_paper_draft(
        &self,
        w: &WriteCtx,
        lot: LotId,
        kind: PaperKind,
        draft: PaperDraft,
    ) -> Result<SavedDraft>;
    async fn record_paper_document(
        &self,
        w: &WriteCtx,
        lot: LotId,
        kind: PaperKind,
        new: NewPaperDocument,
    ) -> Result<PaperDocument>;
    /// The lot's generated papers, newest first (without their bytes).
    async fn paper_documents(&self, lot: LotId) -> Result<Vec<PaperDocument>>;
    /// A generated paper and its bytes, checked against its stored SHA-256.
    async fn paper_document(&self, id: i64) -> Result<(PaperDocument, Vec<u8>)>;

    // TUPE.
    // ----- Finance -----
    /// Everything recorded about a procurement's money beyond its budget lines.
    async fn finance_records(&self, procurement: ProcurementId) -> Result<FinanceRecords>;
    /// Sets (or with None removes) the procurement's budget for one financial year.
    async fn set_budget_line(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        year: FinancialYear,
        amount: Option<Money>,
    ) -> Result<()>;
    /// Records a funder's contribution for a year, replacing any it had for that year.
    async fn set_contribution(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        c: NewContribution,
    ) -> Result<Contribution>;
    async fn remove_contribution(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        id: i64,
    ) -> Result<()>;
    async fn set_lot_budget(
        &self,
        w: &WriteCtx,
        lot: LotId,
        year: FinancialYear,
        amount: Option<Money>,
    ) -> Result<()>;
    async fn set_savings_target(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        target: Option<SavingsTarget>,
    ) -> Result<()>;
    /// Every area must belong to the procurement's lots (or to none).
    async fn save_allocation(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        basis: String,
        allocation: crate::domain::allocation::Allocation,
        areas: Vec<AreaLot>,
    ) -> Result<SavedAllocation>;

    // Route to market.
    // ----- Market engagement -----

    // ----- Specification -----

    // ----- Tender -----

    async fn tupe_plan(&self, lot: LotId) -> Result<Option<TupePlan>>;
    async fn set_tupe_plan(&self, w: &WriteCtx, lot: LotId, plan: TupePlan) -> Result<TupePlan>;
    /// The lot's staff lists, newest version first.
    async fn tupe_staff_lists(&self, lot: LotId) -> Result<Vec<StaffListMeta>>;
    async fn tupe_staff(&self, list: i64) -> Result<Vec<StaffMember>>;
    /// Keeps a new version of the lot's staff list, all rows or none.
    async fn import_tupe_staff(
        &self,
        w: &WriteCtx,
        lot: LotId,
        file_name: &str,
        staff: Vec<StaffMember>,
    ) -> Result<StaffListMeta>;
    async fn tupe_obligation_records(&self, lot: LotId) -> Result<Vec<ObligationRecord>>;
    async fn set_tupe_obligation(
        &self,
        w: &WriteCtx,
        lot: LotId,
        key: &str,
        status: ObligationStatus,
        evidence: &str,
    ) -> Result<ObligationRecord>;
    /// What the board needs to count overdue obligations, for every lot with a transfer planned.
    async fn tupe_board_facts(&self) -> Result<Vec<TupeLotFacts>>;

    // The award.

    /// A consistent copy of the whole workspace, taken while it is in use.
    async fn backup(&self, out: &Path) -> Result<()>;
}
