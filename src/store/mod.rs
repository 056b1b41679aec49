//! The store: a seam a backend fills by keeping and mapping. `Store` hands out a
//! transaction (`Tx`) whose areas (lots, eval, award, …) read facts and apply changes that a
//! use case has already decided. SQLite is the embedded backend; every backend passes the
//! conformance suite in `tests/conformance`. Inputs arrive already parsed into domain types.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use std::path::Path;

use crate::error::Result;

pub mod audit;
pub mod award;
pub mod calendar;
pub mod contracts;
pub mod engagement;
pub mod eval;
pub mod finance;
pub mod journal;
pub mod journaled;
pub mod lots;
pub mod papers;
// Both backends compile the same SQL in `sql/` against their own connection and column
// types (see each backend's `dialect`): the file is meant to be loaded once per backend.
#[allow(clippy::duplicate_mod)]
pub mod postgres;
pub mod registers;
pub mod route;
pub mod spec;
pub mod sqlite;
mod sqlx_error;
pub mod tender;
pub mod tupe;
pub mod tx;

pub use award::{AwardStore, NewAwardPack};
pub use engagement::{EngagementStore, NewEngagementEvent, NewInterest};
pub use eval::{
    ConsensusInput, EvalHead, EvalStore, NewBid, ScoreInput, ScoresheetImport, ScoringFacts,
};
pub use finance::{BudgetOwner, FinanceRecords, FinanceStore, NewContribution};
pub use lots::{LotsStore, MilestoneInput, NewLot};
pub use papers::{NewPaperDocument, PapersStore};
pub use route::{NewConflictsAssessment, RouteRecords, RouteStore};
pub use spec::{NewSpecComment, SpecStore};
pub use tender::{NewBidReceipt, NewClarification, TenderStore};
pub use tupe::{TupeLotFacts, TupeStore};

pub use audit::{AuditStore, NewAuditEvent};
pub use calendar::CalendarStore;
pub use contracts::{ContractRow, ContractsStore};
pub use registers::{NewOrganisation, NewProcurement, NewSupplier, RegistersStore};
pub use tx::Tx;

/// A workspace file that is a copy of a team workspace at one moment, as one login saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyOf {
    pub server: String,
    pub taken_at: DateTime<Utc>,
    pub taken_by: String,
}

impl CopyOf {
    /// "a copy of postgres://db.kent.gov.uk:5432/lotwise taken at 14:02 on 5 December 2026
    /// (as r.hughes saw it)".
    pub fn describe(&self) -> String {
        format!(
            "a copy of {} taken at {} (as {} saw it)",
            self.server,
            crate::domain::edit::uk_time(self.taken_at),
            self.taken_by
        )
    }
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

/// A workspace: it hands out transactions, each with every area's reads and writes. The
/// rules are the domain's and the use cases' (`ops`); a backend keeps and maps.
#[async_trait]
pub trait Store: Send + Sync {
    /// A transaction for a use case that writes: reads inside it see a state no other
    /// writer can change before it commits. Dropped without committing, it rolls back.
    async fn begin(&self) -> Result<Box<dyn Tx>>;
    /// A write transaction for one evaluator saving their own scores on one lot. What such
    /// a save reads (the lot's stage, model, bids, panel, the evaluator's submission) only
    /// other kinds of write change, so a backend may let different evaluators' saves run
    /// side by side while still excluding every other writer and that evaluator's other
    /// saves. By default it is an ordinary write transaction.
    async fn begin_scoring(
        &self,
        lot: crate::domain::ids::LotId,
        evaluator: &str,
    ) -> Result<Box<dyn Tx>> {
        let _ = (lot, evaluator);
        self.begin().await
    }
    /// A transaction for reading: one consistent snapshot.
    async fn read(&self) -> Result<Box<dyn Tx>>;
    /// Where the workspace is, as people would write it (a file path, a server address).
    fn location(&self) -> String;
    /// Who the server says this connection is, with their Lotwise role (a team workspace:
    /// the login role and its group). None where the person says who they are (a laptop
    /// workspace file).
    fn identity(&self) -> Option<(String, crate::domain::roles::Role)> {
        None
    }
    /// Opened for reading only (SQLite: from a folder this person cannot write, or a copy
    /// of a team workspace).
    fn read_only(&self) -> bool;
    /// When this is a copy of a team workspace (`lotwise backup` from the server): which
    /// server, when, and whose view of it.
    fn copy_of(&self) -> Option<CopyOf> {
        None
    }
    /// The storage's own check that nothing is damaged (SQLite: `PRAGMA quick_check`).
    async fn check_storage(&self) -> Result<()>;
    /// A consistent copy of the whole workspace, taken while it is in use.
    async fn backup(&self, out: &Path) -> Result<()>;
    /// Changes made by others, as they commit (a team workspace: the server's NOTIFY). None
    /// where nobody else writes (a laptop workspace file).
    async fn watch(&self) -> Result<Option<tokio::sync::mpsc::Receiver<()>>> {
        Ok(None)
    }
    /// Lets go of the workspace: every connection closed (SQLite: its log checkpointed into
    /// the file).
    async fn close(&self);
}
