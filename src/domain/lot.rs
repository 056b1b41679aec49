//! A lot: its parts, milestones, stage history, and how a person names it.
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::domain::ids::*;
use crate::domain::milestone::Rag;
use crate::domain::money::Money;
use crate::domain::procurement::Procurement;
use crate::domain::stage::Stage;
use crate::domain::term::Term;

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
    /// The version to send back when changing it (its newest audit event; 0 in lists).
    pub version: i64,
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

/// A lot as kept: its own fields and records, without what is worked out from them.
#[derive(Debug, Clone)]
pub struct LotRecord {
    pub id: LotId,
    pub procurement: ProcurementId,
    pub reference: String,
    pub title: String,
    pub geography: String,
    pub estimated_annual_value: Option<Money>,
    pub term: Option<Term>,
    pub replaces_contract: Option<ContractId>,
    pub stage: Stage,
    pub abandoned_reason: Option<String>,
    pub parts: Vec<LotPart>,
    /// Ordered by planned date.
    pub milestones: Vec<MilestoneRecord>,
    /// Oldest first.
    pub history: Vec<StageChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneRecord {
    pub id: MilestoneId,
    pub key: Option<String>,
    pub title: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
}

impl LotRecord {
    /// The lot as people see it on `today`: each milestone's RAG and the lot's worst, the
    /// whole-life value over the full possible term, and the moves open to it.
    pub fn view(
        self,
        procurement: Procurement,
        replaces_contract: Option<ContractRef>,
        today: NaiveDate,
        amber_days: i64,
    ) -> Lot {
        let milestones: Vec<Milestone> = self
            .milestones
            .into_iter()
            .map(|m| Milestone {
                rag: crate::domain::milestone::rag(m.planned, m.actual, today, amber_days),
                id: m.id,
                key: m.key,
                title: m.title,
                planned: m.planned,
                actual: m.actual,
                version: 0,
            })
            .collect();
        let whole_life_value = match (&self.term, self.estimated_annual_value) {
            (Some(t), Some(v)) => v.for_months(t.total_months()),
            _ => None,
        };
        Lot {
            id: self.id,
            procurement,
            reference: self.reference,
            title: self.title,
            geography: self.geography,
            estimated_annual_value: self.estimated_annual_value,
            term: self.term,
            whole_life_value,
            replaces_contract,
            stage: self.stage,
            allowed_moves: crate::domain::stage::allowed_moves(self.stage),
            abandoned_reason: self.abandoned_reason,
            parts: self.parts,
            rag: crate::domain::milestone::worst(milestones.iter().map(|m| m.rag)),
            milestones,
            history: self.history,
        }
    }
}

/// What the audit trail keeps of a lot: its own fields, not the records it points at.
pub fn audit_view(l: &Lot) -> serde_json::Value {
    serde_json::json!({
        "procurementId": l.procurement.id,
        "reference": l.reference,
        "title": l.title,
        "geography": l.geography,
        "estimatedAnnualValue": l.estimated_annual_value,
        "term": l.term.as_ref().map(|t| t.to_string()),
        "replacesContractId": l.replaces_contract.as_ref().map(|c| c.id),
        "stage": l.stage,
        "parts": l.parts,
    })
}
