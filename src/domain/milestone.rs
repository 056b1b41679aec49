//! Milestones and their RAG status, computed from dates, never typed in.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const MARKET_ENGAGEMENT_EVENT: &str = "market_engagement_event";
pub const DRAFT_SPECIFICATION: &str = "draft_specification_issued";
pub const TENDER_NOTICE: &str = "tender_notice";
pub const CLARIFICATION_DEADLINE: &str = "clarification_deadline";
pub const SUBMISSION_DEADLINE: &str = "submission_deadline";
pub const EVALUATION_COMPLETE: &str = "evaluation_complete";
pub const AWARD_DECISION: &str = "award_decision";
/// The day the contract is entered into (signed): day 1 of the contract details notice's
/// 30 days (s53(1)), not the day the service starts.
pub const CONTRACT_SIGNED: &str = "contract_signed";
pub const CONTRACT_START: &str = "contract_start";

/// The milestones a lot usually has, in order, with the names officers use.
pub const STANDARD: &[(&str, &str)] = &[
    (MARKET_ENGAGEMENT_EVENT, "Market engagement event"),
    (
        DRAFT_SPECIFICATION,
        "Draft specification issued for comment",
    ),
    (TENDER_NOTICE, "Tender notice published"),
    (CLARIFICATION_DEADLINE, "Clarification deadline"),
    (SUBMISSION_DEADLINE, "Tender submission deadline"),
    (EVALUATION_COMPLETE, "Evaluation and moderation complete"),
    (AWARD_DECISION, "Award decision"),
    (CONTRACT_SIGNED, "Contract entered into (signed)"),
    (CONTRACT_START, "Contract start"),
];

pub fn standard_title(key: &str) -> Option<&'static str> {
    STANDARD.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// Default amber window: due within this many days.
pub const DEFAULT_AMBER_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Rag {
    /// Planned date has passed with no actual date.
    Red,
    /// Due within the amber window.
    Amber,
    /// Due later than the amber window.
    Green,
    /// Done: an actual date is recorded.
    Complete,
}

impl Rag {
    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "Overdue",
            Rag::Amber => "Due soon",
            Rag::Green => "On track",
            Rag::Complete => "Complete",
        }
    }
}

pub fn rag(
    planned: NaiveDate,
    actual: Option<NaiveDate>,
    today: NaiveDate,
    amber_days: i64,
) -> Rag {
    if actual.is_some() {
        return Rag::Complete;
    }
    let days_left = (planned - today).num_days();
    if days_left < 0 {
        Rag::Red
    } else if days_left <= amber_days {
        Rag::Amber
    } else {
        Rag::Green
    }
}

impl Rag {
    /// Most urgent first: overdue, due soon, on track, complete.
    pub fn urgency(self) -> u8 {
        match self {
            Rag::Red => 0,
            Rag::Amber => 1,
            Rag::Green => 2,
            Rag::Complete => 3,
        }
    }
}

/// The worst status among open milestones: what a lot card shows.
pub fn worst(rags: impl IntoIterator<Item = Rag>) -> Rag {
    rags.into_iter()
        .min_by_key(|r| r.urgency())
        .unwrap_or(Rag::Green)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn rag_from_dates() {
        let today = d(2026, 11, 24);
        assert_eq!(rag(d(2026, 11, 23), None, today, 14), Rag::Red);
        assert_eq!(rag(d(2026, 11, 24), None, today, 14), Rag::Amber);
        assert_eq!(rag(d(2026, 12, 8), None, today, 14), Rag::Amber);
        assert_eq!(rag(d(2026, 12, 9), None, today, 14), Rag::Green);
        assert_eq!(
            rag(d(2026, 1, 1), Some(d(2026, 1, 2)), today, 14),
            Rag::Complete
        );
        assert_eq!(rag(d(2026, 12, 9), None, today, 30), Rag::Amber);
    }

    #[test]
    fn worst_status_wins() {
        assert_eq!(worst([Rag::Green, Rag::Red, Rag::Amber]), Rag::Red);
        assert_eq!(worst([Rag::Complete, Rag::Green]), Rag::Green);
        assert_eq!(worst([]), Rag::Green);
    }
}
