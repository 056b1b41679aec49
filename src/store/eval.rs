//! Evaluation records: the model, bids, the panel, scores, consensus and sign-offs. Reads
//! return what is kept; which scores a viewer may read is decided by `domain::eval::access`
//! and given to `scores_by` as the list of authors, so unreadable scores never leave the
//! database.
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{NewSupplier, WriteCtx};
use crate::domain::eval::model::EvalModel;
use crate::domain::eval::{
    Approval, Bid, ConsensusEntry, PanelMember, PanelRole, Reopening, ScoreEntry,
};
use crate::domain::ids::{BidId, LotId, ProcurementId, SupplierId};
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::error::Result;

/// The lot as an evaluation names it.
#[derive(Debug, Clone)]
pub struct EvalHead {
    pub reference: String,
    pub title: String,
    pub stage: Stage,
    /// The procurement's "no more than N lots per supplier".
    pub award_limit: Option<u32>,
}

/// What a score save is checked against (`ops::eval::load::for_scoring`), read at once:
/// on a team workspace in one statement, since ten evaluators save side by side and each
/// round trip to the server is most of a save's cost (bench: team).
#[derive(Debug, Clone)]
pub struct ScoringFacts {
    pub head: EvalHead,
    pub model: Option<(EvalModel, Option<Approval>)>,
    /// Oldest first.
    pub reopenings: Vec<Reopening>,
    /// The panel with each member's submission and sign-off in the current round (the last
    /// reopening's, or 1).
    pub panel: Vec<PanelMember>,
    /// Those of the asked bids that are the lot's and that this connection may read (on a
    /// team workspace the server's blind rule hides them from an undeclared member); ordered
    /// by lead supplier name.
    pub bids: Vec<Bid>,
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

/// A bid as imported: `line` is the CSV line it came from, for error messages.
#[derive(Debug, Clone)]
pub struct NewBid {
    pub line: Option<usize>,
    pub lot: LotId,
    pub lead: NewSupplier,
    pub members: Vec<NewSupplier>,
    pub price: Money,
}

#[async_trait]
pub trait EvalStore: Send {
    async fn head(&mut self, lot: LotId) -> Result<Option<EvalHead>>;
    /// What a save of scores on these bids is checked against; None if there is no such lot.
    async fn scoring_facts(&mut self, lot: LotId, bids: &[BidId]) -> Result<Option<ScoringFacts>>;
    /// Whether the facts `scoring_facts` last gave came from the store's copy rather than
    /// being read in this transaction (a team member's store keeps them between saves): a
    /// save they refuse is decided again on the facts as read (`forget_kept_facts`), since
    /// a change made since the copy was read may allow it.
    fn facts_were_kept(&self) -> bool;
    /// Forgets the store's copy of the lot's facts: the next `scoring_facts` reads them.
    fn forget_kept_facts(&mut self, lot: LotId);
    async fn model(&mut self, lot: LotId) -> Result<Option<(EvalModel, Option<Approval>)>>;
    /// Oldest first.
    async fn reopenings(&mut self, lot: LotId) -> Result<Vec<Reopening>>;
    /// The panel with each member's submission and sign-off in `round`.
    async fn panel(&mut self, lot: LotId, round: u32) -> Result<Vec<PanelMember>>;
    /// Ordered by lead supplier name.
    async fn bids(&mut self, lot: LotId) -> Result<Vec<Bid>>;
    /// One bid of the lot, if it is one (and, on a team workspace, the viewer may see it).
    async fn bid(&mut self, lot: LotId, bid: BidId) -> Result<Option<Bid>>;
    async fn bid_count(&mut self, lot: LotId) -> Result<u32>;
    /// The scores written by these authors only.
    async fn scores_by(&mut self, lot: LotId, authors: &[String]) -> Result<Vec<ScoreEntry>>;
    /// How many scores each evaluator has saved: counts, never the scores.
    async fn score_counts(&mut self, lot: LotId) -> Result<Vec<(String, u32)>>;
    async fn consensus(&mut self, lot: LotId) -> Result<Vec<ConsensusEntry>>;
    /// The lot's bid from this supplier, if it has one.
    async fn bid_from(&mut self, lot: LotId, supplier: SupplierId) -> Result<Option<BidId>>;

    async fn set_model(&mut self, lot: LotId, model: &EvalModel) -> Result<()>;
    /// Approves the model as `w`, or with None withdraws the approval.
    async fn set_approval(&mut self, lot: LotId, by: Option<&WriteCtx>) -> Result<()>;
    async fn set_award_limit(&mut self, p: ProcurementId, limit: Option<u32>) -> Result<()>;
    async fn insert_bid(&mut self, lot: LotId, lead: SupplierId, price: Money) -> Result<BidId>;
    async fn insert_bid_member(
        &mut self,
        bid: BidId,
        supplier: SupplierId,
        position: u32,
    ) -> Result<()>;
    async fn insert_panel_member(
        &mut self,
        lot: LotId,
        person: &str,
        role: PanelRole,
    ) -> Result<()>;
    async fn set_declaration(
        &mut self,
        lot: LotId,
        person: &str,
        at: DateTime<Utc>,
        conflict: Option<&str>,
    ) -> Result<()>;
    /// Saves the evaluator's score, replacing an unsubmitted one for the same question.
    async fn save_score(&mut self, lot: LotId, s: &ScoreEntry) -> Result<()>;
    /// `save_score` and the audit event that records it, together (in one statement where
    /// the server writes the audit trail). False, with nothing written, when the facts the
    /// save was checked against came from the store's copy and have changed since it was
    /// read (a team workspace; `scoring_facts`): the caller reads them again and decides
    /// again, in the same transaction.
    async fn save_score_audited(
        &mut self,
        lot: LotId,
        s: &ScoreEntry,
        event: super::NewAuditEvent,
    ) -> Result<bool>;
    async fn insert_submission(
        &mut self,
        lot: LotId,
        evaluator: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// Saves a consensus score, replacing the one for the same question.
    async fn save_consensus(&mut self, lot: LotId, c: &ConsensusEntry) -> Result<()>;
    async fn insert_signoff(
        &mut self,
        lot: LotId,
        round: u32,
        person: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    async fn insert_reopening(&mut self, lot: LotId, r: &Reopening) -> Result<()>;

    /// The public key (hex) registered for this panel member's signed scoresheets.
    async fn panel_key(&mut self, lot: LotId, person: &str) -> Result<Option<String>>;
    async fn register_panel_key(
        &mut self,
        lot: LotId,
        person: &str,
        public_key: &str,
        fingerprint: &str,
        w: &WriteCtx,
    ) -> Result<()>;
    /// An earlier import of this sheet or this submission: who imported it, and when.
    async fn scoresheet_import(
        &mut self,
        sheet_id: &str,
        submission_id: &str,
    ) -> Result<Option<(String, DateTime<Utc>)>>;
    /// The lot's imported scoresheets, oldest first.
    async fn scoresheet_imports(&mut self, lot: LotId) -> Result<Vec<ScoresheetImport>>;
    async fn insert_scoresheet_import(
        &mut self,
        lot: LotId,
        i: &ScoresheetImport,
        w: &WriteCtx,
    ) -> Result<()>;
}

/// One scoresheet imported: the file's SHA-256 and, when signed, its signature and key.
#[derive(Debug, Clone)]
pub struct ScoresheetImport {
    pub submission_id: String,
    pub sheet_id: String,
    pub evaluator: String,
    pub sha256: String,
    pub signature: Option<String>,
    pub public_key: Option<String>,
}
