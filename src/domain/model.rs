//! The records the app shows and the CLI prints. Built from database rows by the store.
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::domain::finance::FinancialYear;
use crate::domain::ids::*;
use crate::domain::milestone::Rag;
use crate::domain::money::Money;
use crate::domain::registers::{Organisation, Supplier};
use crate::domain::stage::Stage;
use crate::domain::term::{OptionStatus, Term, TermDates};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contract {
    pub id: ContractId,
    pub reference: String,
    pub title: String,
    pub service: String,
    pub provider: Supplier,
    pub commissioner: Option<Organisation>,
    pub annual_value: Money,
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub term: Term,
    pub option_statuses: Vec<OptionStatus>,
    pub notice_period_months: u32,
    pub dates: TermDates,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BudgetLine {
    #[ts(type = "string")]
    pub financial_year: FinancialYear,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Procurement {
    pub id: ProcurementId,
    pub reference: String,
    pub title: String,
    pub service: String,
    /// The lead commissioner first, then partners.
    pub commissioners: Vec<Organisation>,
    pub budget: Vec<BudgetLine>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LotPart {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Milestone {
    pub id: MilestoneId,
    pub key: Option<String>,
    pub title: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub rag: Rag,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageChange {
    pub from: Option<Stage>,
    pub to: Stage,
    pub reason: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Lot {
    pub id: LotId,
    pub procurement: Procurement,
    pub reference: String,
    pub title: String,
    pub geography: String,
    pub estimated_annual_value: Option<Money>,
    #[ts(type = "string | null")]
    pub term: Option<Term>,
    /// Estimated annual value times the whole possible term, extensions included.
    pub whole_life_value: Option<Money>,
    pub replaces_contract: Option<ContractRef>,
    pub stage: Stage,
    pub abandoned_reason: Option<String>,
    pub parts: Vec<LotPart>,
    pub milestones: Vec<Milestone>,
    pub history: Vec<StageChange>,
    pub rag: Rag,
    /// The stages this lot may be moved to now (gates are checked when it is moved).
    pub allowed_moves: Vec<Stage>,
}

impl Lot {
    /// A standard milestone's date: the actual date once it has happened, else the planned one.
    pub fn milestone_date(&self, key: &str) -> Option<NaiveDate> {
        self.milestones
            .iter()
            .find(|m| m.key.as_deref() == Some(key))
            .map(|m| m.actual.unwrap_or(m.planned))
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContractRef {
    pub id: ContractId,
    pub reference: String,
    pub title: String,
    pub provider: String,
}

/// A card on the pipeline board: just what the board shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BoardCard {
    pub id: LotId,
    pub reference: String,
    pub title: String,
    pub procurement_title: String,
    pub geography: String,
    pub stage: Stage,
    pub estimated_annual_value: Option<Money>,
    pub part_codes: Vec<String>,
    pub rag: Rag,
    pub next_milestone: Option<NextMilestone>,
    /// TUPE obligations past their date and not done (0 when no transfer is planned).
    pub tupe_overdue: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NextMilestone {
    pub title: String,
    pub planned: NaiveDate,
    pub rag: Rag,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Board {
    pub today: NaiveDate,
    pub amber_days: i64,
    pub columns: Vec<BoardColumn>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
/// A stage's lots, most urgent first (overdue, then by next milestone date).
pub struct BoardColumn {
    pub stage: Stage,
    pub label: String,
    pub cards: Vec<BoardCard>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    #[ts(type = "unknown")]
    pub before: Option<serde_json::Value>,
    #[ts(type = "unknown")]
    pub after: Option<serde_json::Value>,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditPage {
    pub total: i64,
    pub events: Vec<AuditEvent>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    tag = "status"
)]
#[ts(export)]
pub enum AuditVerification {
    Ok {
        length: i64,
        head: String,
    },
    Broken {
        length: i64,
        first_broken_seq: i64,
        reason: String,
    },
}
