//! The Store trait: domain operations, not tables. SQLite is the embedded default; a shared
//! PostgreSQL backend can implement the same trait when a team outgrows one laptop.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use std::path::Path;

use crate::domain::allocation::{AreaLot, SavedAllocation};
use crate::domain::award::{AwardDates, AwardPack, PackComment, PackDecision, PackManifest};
use crate::domain::eval::model::EvalModel;
use crate::domain::eval::{EvalState, PanelRole};
use crate::domain::finance::FinancialYear;
use crate::domain::finance::budget::{Arrangement, Contribution};
use crate::domain::finance::savings::SavingsTarget;
use crate::domain::ids::*;
use crate::domain::lot::*;
use crate::domain::money::Money;
use crate::domain::paper::{Edition, PaperDocument, PaperDraft, PaperKind, SavedDraft};
use crate::domain::registers::OrganisationKind;
use crate::domain::stage::Stage;
use crate::domain::term::{OptionStatus, Term};
use crate::domain::tupe::StaffListMeta;
use crate::domain::tupe::obligations::{ObligationRecord, ObligationStatus, StaffCounts, TupePlan};
use crate::domain::tupe::staff::StaffMember;
use crate::error::Result;

pub mod lots;
pub mod sqlite;
pub mod tx;

pub use lots::{LotsStore, MilestoneInput, NewLot};

pub use tx::{NewAuditEvent, Tx};

#[derive(Debug, Clone, Default)]
pub struct FinanceRecords {
    pub contributions: Vec<Contribution>,
    pub lot_budgets: Vec<(LotId, FinancialYear, Money)>,
    pub savings: Option<SavingsTarget>,
    /// Newest first.
    pub allocations: Vec<SavedAllocation>,
}

/// A lot's route to market records, as stored.
#[derive(Debug, Clone, Default)]
pub struct RouteRecords {
    pub route: Option<crate::domain::route::RouteChoice>,
    /// Newest first: the first is the current assessment.
    pub conflicts: Vec<crate::domain::route::conflicts::ConflictsAssessment>,
    /// (item key, agreed, note) for the Section 75 checklist.
    pub section75: Vec<(String, bool, String)>,
    pub notices: Vec<crate::domain::route::notices::PublishedNotice>,
    /// The newest approved specification version, which the tender will reference.
    pub approved_spec: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct NewEngagementEvent {
    pub held_on: NaiveDate,
    pub format: crate::domain::engagement::EventFormat,
    pub title: String,
    pub agenda: String,
}

#[derive(Debug, Clone)]
pub struct NewInterest {
    pub organisation: String,
    pub received_on: NaiveDate,
    pub consortium_with: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct NewSpecComment {
    pub version: u32,
    pub position: u32,
    pub source: crate::domain::spec::CommentSource,
    pub author: String,
    pub organisation: String,
    pub comment: String,
    pub received_on: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct NewClarification {
    pub received_on: NaiveDate,
    pub asked_by: String,
    pub question: String,
}

#[derive(Debug, Clone)]
pub struct NewBidReceipt {
    pub supplier: String,
    pub registration_number: String,
    pub members: String,
    pub price: Money,
    pub received_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct NewConflictsAssessment {
    pub assessed_on: NaiveDate,
    pub scope: String,
    pub findings: String,
    pub mitigations: String,
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

/// A bid as imported: `line` is the CSV line it came from, for error messages.
#[derive(Debug, Clone)]
pub struct NewBid {
    pub line: Option<usize>,
    pub lot: LotId,
    pub lead: NewSupplier,
    pub members: Vec<NewSupplier>,
    pub price: Money,
}

#[derive(Debug, Clone)]
pub struct ScoreInput {
    pub line: Option<usize>,
    pub bid: BidId,
    pub question: String,
    pub score: u32,
    pub justification: String,
}

#[derive(Debug, Clone)]
pub struct ConsensusInput {
    pub line: Option<usize>,
    pub bid: BidId,
    pub question: String,
    pub score: u32,
    pub reason: String,
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

/// A built award pack to keep: the store adds its SHA-256. `number` is printed in the pack,
/// so it is chosen before rendering; another pack kept meanwhile makes the write a conflict.
#[derive(Debug, Clone)]
pub struct NewAwardPack {
    pub number: u32,
    pub pages: u32,
    pub manifest: PackManifest,
    pub bytes: Vec<u8>,
}

/// How much of the evaluation a read loads. Results need only the consensus; the
/// moderation board needs every score the viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalScope {
    Consensus,
    OwnScores,
    AllVisible,
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

    /// Moves a lot through the transition table; gates are checked inside the write
    /// transaction, so nothing can change the facts between check and write.
    async fn advance_stage(
        &self,
        w: &WriteCtx,
        lot: LotId,
        to: Stage,
        reason: Option<String>,
        r: ReadCtx,
    ) -> Result<Lot>;

    // Evaluation. The person acting is always `w.actor`; reads are filtered for `viewer` by
    // the blind-scoring rule (`domain::eval::access`) inside the store.
    async fn eval_state(&self, lot: LotId, viewer: &str, scope: EvalScope) -> Result<EvalState>;
    async fn procurement_lots(&self, procurement: ProcurementId) -> Result<Vec<LotId>>;
    async fn set_eval_model(&self, w: &WriteCtx, lot: LotId, model: EvalModel) -> Result<()>;
    async fn approve_eval_model(&self, w: &WriteCtx, lot: LotId) -> Result<()>;
    async fn withdraw_eval_approval(&self, w: &WriteCtx, lot: LotId, reason: String) -> Result<()>;
    async fn set_award_limit(
        &self,
        w: &WriteCtx,
        procurement: ProcurementId,
        limit: Option<u32>,
    ) -> Result<()>;
    /// All or nothing: any refused bid leaves the workspace unchanged.
    async fn import_bids(&self, w: &WriteCtx, bids: Vec<NewBid>) -> Result<usize>;
    async fn add_panel_member(
        &self,
        w: &WriteCtx,
        lot: LotId,
        person: String,
        role: PanelRole,
    ) -> Result<()>;
    async fn declare_interests(
        &self,
        w: &WriteCtx,
        lot: LotId,
        conflict: Option<String>,
    ) -> Result<()>;
    async fn save_scores(&self, w: &WriteCtx, lot: LotId, scores: Vec<ScoreInput>) -> Result<()>;
    async fn submit_scores(&self, w: &WriteCtx, lot: LotId) -> Result<()>;
    async fn record_consensus(
        &self,
        w: &WriteCtx,
        lot: LotId,
        entries: Vec<ConsensusInput>,
    ) -> Result<()>;
    async fn sign_off(&self, w: &WriteCtx, lot: LotId) -> Result<()>;
    async fn reopen_moderation(&self, w: &WriteCtx, lot: LotId, reason: String) -> Result<()>;

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
    async fn engagement(&self, lot: LotId) -> Result<crate::domain::engagement::EngagementRecords>;
    async fn add_engagement_event(
        &self,
        w: &WriteCtx,
        lot: LotId,
        e: NewEngagementEvent,
    ) -> Result<i64>;
    /// Refused for an event of another lot.
    async fn add_attendee(
        &self,
        w: &WriteCtx,
        lot: LotId,
        event: i64,
        a: crate::domain::engagement::Attendee,
    ) -> Result<()>;
    async fn add_engagement_question(
        &self,
        w: &WriteCtx,
        lot: LotId,
        event: i64,
        q: crate::domain::engagement::EngagementQuestion,
    ) -> Result<()>;
    async fn add_interest(&self, w: &WriteCtx, lot: LotId, i: NewInterest) -> Result<()>;
    async fn set_no_engagement_reason(
        &self,
        w: &WriteCtx,
        lot: LotId,
        reason: String,
    ) -> Result<()>;

    // ----- Specification -----
    /// Oldest first, each with its sections.
    async fn spec_versions(&self, lot: LotId) -> Result<Vec<crate::domain::spec::SpecVersion>>;
    /// Saves the next version; refused once the lot is at the tender stage or beyond.
    async fn save_spec_version(
        &self,
        w: &WriteCtx,
        lot: LotId,
        note: String,
        sections: Vec<crate::domain::spec::SpecSection>,
    ) -> Result<u32>;
    /// Approves the newest version, freezing it; refused for an older one.
    async fn approve_spec_version(&self, w: &WriteCtx, lot: LotId, version: u32) -> Result<()>;
    /// Oldest first.
    async fn spec_comments(&self, lot: LotId) -> Result<Vec<crate::domain::spec::SpecComment>>;
    async fn add_spec_comment(&self, w: &WriteCtx, lot: LotId, c: NewSpecComment) -> Result<()>;
    async fn respond_spec_comment(
        &self,
        w: &WriteCtx,
        lot: LotId,
        comment: i64,
        response: String,
    ) -> Result<()>;

    // ----- Tender -----
    async fn tender_records(&self, lot: LotId) -> Result<crate::domain::tender::TenderRecords>;
    async fn set_closing_time(&self, w: &WriteCtx, lot: LotId, time: String) -> Result<()>;
    /// Numbers the question within the lot; refused unless the lot is at the tender stage.
    async fn add_clarification(&self, w: &WriteCtx, lot: LotId, c: NewClarification)
    -> Result<u32>;
    async fn publish_clarification(
        &self,
        w: &WriteCtx,
        lot: LotId,
        number: u32,
        answer: String,
        published_on: NaiveDate,
    ) -> Result<()>;
    async fn record_bid_receipt(&self, w: &WriteCtx, lot: LotId, r: NewBidReceipt) -> Result<()>;
    async fn decide_late_bid(
        &self,
        w: &WriteCtx,
        lot: LotId,
        receipt: i64,
        decision: crate::domain::tender::LateDecision,
        reason: String,
    ) -> Result<()>;
    /// Records each receipt's bid for evaluation and links it, all or nothing.
    async fn send_receipts_to_evaluation(
        &self,
        w: &WriteCtx,
        lot: LotId,
        bids: Vec<(i64, NewBid)>,
    ) -> Result<usize>;

    async fn route_records(&self, lot: LotId) -> Result<RouteRecords>;
    async fn set_route(
        &self,
        w: &WriteCtx,
        lot: LotId,
        choice: crate::domain::route::RouteChoice,
    ) -> Result<()>;
    async fn record_conflicts(
        &self,
        w: &WriteCtx,
        lot: LotId,
        assessment: NewConflictsAssessment,
    ) -> Result<i64>;
    async fn set_section75_item(
        &self,
        w: &WriteCtx,
        lot: LotId,
        item: &str,
        agreed: bool,
        note: &str,
    ) -> Result<()>;
    /// Refused inside the transaction for a notice inviting tenders without a conflicts
    /// assessment on record.
    async fn publish_notice(
        &self,
        w: &WriteCtx,
        lot: LotId,
        notice: crate::domain::route::notices::PublishedNotice,
    ) -> Result<()>;

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
    async fn award_dates(&self, lot: LotId) -> Result<Option<AwardDates>>;
    async fn set_award_dates(&self, w: &WriteCtx, lot: LotId, d: AwardDates) -> Result<AwardDates>;
    /// A PSR standstill's representations and further decisions.
    async fn standstill_records(
        &self,
        lot: LotId,
    ) -> Result<crate::domain::award::StandstillRecords>;
    async fn add_representation(
        &self,
        w: &WriteCtx,
        lot: LotId,
        received_on: NaiveDate,
        provider: &str,
        summary: &str,
    ) -> Result<()>;
    async fn add_further_decision(
        &self,
        w: &WriteCtx,
        lot: LotId,
        communicated_on: NaiveDate,
        decision: crate::domain::award::FurtherDecisionKind,
        reasons: &str,
    ) -> Result<()>;
    /// The lot's award packs, newest first, each with legal's decision if made.
    async fn award_packs(&self, lot: LotId) -> Result<Vec<AwardPack>>;
    async fn record_award_pack(
        &self,
        w: &WriteCtx,
        lot: LotId,
        new: NewAwardPack,
    ) -> Result<AwardPack>;
    /// A kept pack and its bytes, checked against its stored SHA-256.
    async fn award_pack(&self, id: i64) -> Result<(AwardPack, Vec<u8>)>;
    async fn award_pack_by_hash(&self, sha256: &str) -> Result<Option<AwardPack>>;
    /// Legal's decision on the lot's newest pack; one decision per pack.
    async fn review_award_pack(
        &self,
        w: &WriteCtx,
        pack: i64,
        decision: PackDecision,
        comments: Vec<PackComment>,
    ) -> Result<AwardPack>;

    /// A consistent copy of the whole workspace, taken while it is in use.
    async fn backup(&self, out: &Path) -> Result<()>;
}
