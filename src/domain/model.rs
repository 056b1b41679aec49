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

/// How a person may name a lot: its id, or its reference within its procurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotName {
    pub id: LotId,
    pub reference: String,
    pub title: String,
    pub procurement_reference: String,
}

/// Which lot `key` names: an id, or a reference (case and spaces ignored: "lot 1", "Lot1"),
/// optionally within one procurement. A reference several procurements share is refused,
/// listing them, rather than guessed.
pub fn find_lot(
    names: &[LotName],
    key: &str,
    procurement: Option<&str>,
) -> crate::error::Result<LotId> {
    use crate::error::Error;
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::validation(
            "lot",
            "name the lot by its id or reference",
        ));
    }
    let within = |n: &&LotName| {
        procurement.is_none_or(|p| n.procurement_reference.eq_ignore_ascii_case(p.trim()))
    };
    if let Some(p) = procurement
        && !names
            .iter()
            .any(|n| n.procurement_reference.eq_ignore_ascii_case(p.trim()))
    {
        return Err(Error::validation(
            "procurement",
            format!("no procurement “{}” is in this workspace", p.trim()),
        ));
    }
    if let Ok(id) = key.parse::<i64>()
        && let Some(n) = names.iter().filter(within).find(|n| n.id.0 == id)
    {
        return Ok(n.id);
    }
    let k = squash(key);
    let matches: Vec<&LotName> = names
        .iter()
        .filter(within)
        .filter(|n| squash(&n.reference) == k)
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::new(
            crate::error::ErrorCode::NotFound,
            format!(
                "no lot “{key}”{} is in this workspace; name a lot by its id or reference (`lotwise lots list` shows them)",
                procurement
                    .map(|p| format!(" in procurement {}", p.trim()))
                    .unwrap_or_default()
            ),
        )
        .in_field("lot")),
        many => Err(Error::validation(
            "lot",
            format!(
                "“{key}” is the reference of {} lots: {}; add --procurement with the procurement’s reference to choose, or give the lot’s id",
                many.len(),
                many.iter()
                    .map(|n| format!("{} (id {}, procurement {}: {})", n.reference, n.id, n.procurement_reference, n.title))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
    }
}

#[cfg(test)]
mod find_lot_tests {
    use super::*;

    fn names() -> Vec<LotName> {
        let n = |id, r: &str, p: &str| LotName {
            id: LotId(id),
            reference: r.into(),
            title: format!("Lot {id}"),
            procurement_reference: p.into(),
        };
        vec![
            n(1, "Lot 1", "CN-2026"),
            n(2, "Lot 2", "CN-2026"),
            n(7, "Lot 1", "HT-2026"),
            n(9, "L1", "PH"),
        ]
    }

    #[test]
    fn by_id_or_reference() {
        assert_eq!(find_lot(&names(), "2", None).unwrap(), LotId(2));
        assert_eq!(find_lot(&names(), "l1", None).unwrap(), LotId(9));
        assert_eq!(find_lot(&names(), " lot2 ", None).unwrap(), LotId(2));
    }

    #[test]
    fn a_shared_reference_lists_the_matches_and_procurement_picks_one() {
        let e = find_lot(&names(), "Lot 1", None).unwrap_err();
        assert!(
            e.message
                .contains("is the reference of 2 lots: Lot 1 (id 1, procurement CN-2026"),
            "{}",
            e.message
        );
        assert!(e.message.contains("--procurement"), "{}", e.message);
        assert_eq!(
            find_lot(&names(), "Lot 1", Some("ht-2026")).unwrap(),
            LotId(7)
        );
        let e = find_lot(&names(), "Lot 1", Some("XX")).unwrap_err();
        assert!(e.message.contains("no procurement “XX”"), "{}", e.message);
    }

    #[test]
    fn an_unknown_lot_is_not_found_with_a_hint() {
        let e = find_lot(&names(), "Lot 9", None).unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::NotFound);
        assert!(e.message.contains("lotwise lots list"), "{}", e.message);
        let e = find_lot(&names(), "99", None).unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::NotFound);
    }
}
