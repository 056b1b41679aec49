//! The notices a route requires and when each is due. The forms themselves are filled from
//! the workspace by `ops::route`.
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Route;
use crate::domain::dates;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NoticeKind {
    Uk2,
    /// Planned procurement notice: optional; published 40 days to 12 months before the
    /// tender notice it shortens the tendering period to 10 days (s15(3), s54(4) row 4).
    Uk3,
    PsrContract,
    Uk4,
    Uk5,
    PsrIntention,
    Uk6,
    Uk7,
    PsrDirectAward,
    PsrConfirmation,
    Uk10,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 11] = [
        NoticeKind::Uk2,
        NoticeKind::Uk3,
        NoticeKind::PsrContract,
        NoticeKind::Uk4,
        NoticeKind::Uk5,
        NoticeKind::PsrIntention,
        NoticeKind::Uk6,
        NoticeKind::Uk7,
        NoticeKind::PsrDirectAward,
        NoticeKind::PsrConfirmation,
        NoticeKind::Uk10,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NoticeKind::Uk2 => "uk2",
            NoticeKind::Uk3 => "uk3",
            NoticeKind::PsrContract => "psr_contract",
            NoticeKind::Uk4 => "uk4",
            NoticeKind::Uk5 => "uk5",
            NoticeKind::PsrIntention => "psr_intention",
            NoticeKind::Uk6 => "uk6",
            NoticeKind::Uk7 => "uk7",
            NoticeKind::PsrDirectAward => "psr_direct_award",
            NoticeKind::PsrConfirmation => "psr_confirmation",
            NoticeKind::Uk10 => "uk10",
        }
    }

    /// The code on Find a Tender, or "PSR" for the regime's own notices.
    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Uk2 => "UK2",
            NoticeKind::Uk3 => "UK3",
            NoticeKind::Uk4 => "UK4",
            NoticeKind::Uk5 => "UK5",
            NoticeKind::Uk6 => "UK6",
            NoticeKind::Uk7 => "UK7",
            NoticeKind::Uk10 => "UK10",
            _ => "PSR",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            NoticeKind::Uk2 => "Preliminary market engagement notice",
            NoticeKind::Uk3 => "Planned procurement notice",
            NoticeKind::PsrContract => "Contract notice (competitive process)",
            NoticeKind::Uk4 => "Tender notice",
            NoticeKind::Uk5 => "Transparency notice",
            NoticeKind::PsrIntention => "Notice of intention to award",
            NoticeKind::Uk6 => "Contract award notice",
            NoticeKind::Uk7 => "Contract details notice",
            NoticeKind::PsrDirectAward => "Notice of a direct award (Process A or B)",
            NoticeKind::PsrConfirmation => "Confirmation of contract award",
            NoticeKind::Uk10 => "Contract change notice",
        }
    }

    /// The notice that invites tenders: the conflicts assessment must come first (s83).
    pub fn opens_competition(self) -> bool {
        matches!(self, NoticeKind::Uk4 | NoticeKind::PsrContract)
    }

    /// A notice the authority may choose to publish; never overdue.
    pub fn optional(self) -> bool {
        self == NoticeKind::Uk3
    }

    pub fn parse(s: &str) -> Result<NoticeKind> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        NoticeKind::ALL
            .iter()
            .copied()
            .find(|k| k.key() == norm)
            .ok_or_else(|| {
                let keys: Vec<&str> = NoticeKind::ALL.iter().map(|k| k.key()).collect();
                Error::validation(
                    "notice",
                    format!(
                        "“{s}” is not a notice; expected one of: {}",
                        keys.join(", ")
                    ),
                )
            })
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublishedNotice {
    pub kind: NoticeKind,
    pub published_on: NaiveDate,
    /// The notice's identifier on Find a Tender, if given.
    pub reference: String,
    pub recorded_by: String,
}

/// The notices a route requires, in the order they are published. `above` is None when the
/// value is not yet known: the full list is shown until it is.
pub fn required(route: Route, above: Option<bool>, engagement_held: bool) -> Vec<NoticeKind> {
    use NoticeKind::*;
    let full = above != Some(false);
    let mut out = match route {
        // The planned procurement notice only shortens a tendering period that has a
        // minimum: open and competitive flexible procedures above threshold.
        Route::Open | Route::CompetitiveFlexible if full => vec![Uk2, Uk3, Uk4, Uk6, Uk7],
        Route::LightTouch if full => vec![Uk2, Uk4, Uk6, Uk7],
        Route::Open | Route::CompetitiveFlexible | Route::LightTouch => vec![Uk4, Uk7],
        Route::DirectAward if full => vec![Uk5, Uk6, Uk7],
        Route::FrameworkCallOff if full => vec![Uk6, Uk7],
        Route::DirectAward | Route::FrameworkCallOff => vec![Uk7],
        Route::PsrDirectA | Route::PsrDirectB => vec![PsrDirectAward],
        Route::PsrDirectC | Route::PsrMostSuitable => vec![PsrIntention, PsrConfirmation],
        Route::PsrCompetitive => vec![PsrContract, PsrIntention, PsrConfirmation],
        Route::Extension if full => vec![Uk10],
        Route::Extension | Route::Section75 | Route::Grant => vec![],
    };
    // Without engagement there is no UK2: the tender notice gives the reasons instead.
    if !engagement_held {
        out.retain(|k| *k != Uk2);
    }
    out
}

/// The lot's dates that notice deadlines hang from.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoticeDates {
    pub tender_notice: Option<NaiveDate>,
    pub award_decision: Option<NaiveDate>,
    /// The day the contract is entered into (signed), planned or actual.
    pub contract_signed: Option<NaiveDate>,
    pub contract_start: Option<NaiveDate>,
}

impl NoticeDates {
    /// The lot's dates as planned, or as they happened.
    pub fn of(lot: &crate::domain::lot::Lot) -> NoticeDates {
        use crate::domain::milestone::{
            AWARD_DECISION, CONTRACT_SIGNED, CONTRACT_START, TENDER_NOTICE,
        };
        NoticeDates {
            tender_notice: lot.milestone_date(TENDER_NOTICE),
            award_decision: lot.milestone_date(AWARD_DECISION),
            contract_signed: lot.milestone_date(CONTRACT_SIGNED),
            contract_start: lot.milestone_date(CONTRACT_START),
        }
    }
}

/// The last day of a period of `days` days beginning with `day` (day 1), as the Act counts
/// "before the end of the period of N days beginning with the day on which ...".
pub fn beginning_with(day: NaiveDate, days: u64) -> Option<NaiveDate> {
    day.checked_add_days(Days::new(days.checked_sub(1)?))
}

/// When a notice is due, and the rule in words naming its provision. The date is None when
/// the date it hangs from is not planned yet.
pub fn deadline(kind: NoticeKind, route: Route, d: NoticeDates) -> (Option<NaiveDate>, String) {
    let before = |x: Option<NaiveDate>| x.and_then(|x| x.checked_sub_days(Days::new(1)));
    let after = |x: Option<NaiveDate>, n: u64| x.and_then(|x| x.checked_add_days(Days::new(n)));
    match kind {
        NoticeKind::Uk2 => (
            before(d.tender_notice),
            "before the tender notice is published (s17(1))".into(),
        ),
        NoticeKind::Uk3 => (
            d.tender_notice
                .and_then(|t| t.checked_sub_days(Days::new(super::time_limits::PLANNED_NOTICE_MIN_DAYS as u64))),
            "optional; to shorten the tendering period to 10 days it must be published at least 40 days and not more than 12 months before the tender notice (s15(3), s54(4) row 4): the date shown is the last day that qualifies".into(),
        ),
        NoticeKind::Uk4 | NoticeKind::PsrContract => {
            (d.tender_notice, "on the planned tender notice date".into())
        }
        NoticeKind::Uk5 => (
            d.award_decision,
            "before the contract is awarded (the award decision) (s44(1))".into(),
        ),
        NoticeKind::Uk6 | NoticeKind::PsrIntention => (
            d.award_decision,
            "when the award decision is made, after the assessment summaries are sent (s50)".into(),
        ),
        NoticeKind::Uk7 if route == Route::LightTouch => (
            d.contract_signed.and_then(|s| beginning_with(s, 120)),
            "before the end of 120 days beginning with the day the contract is entered into, the signature date being day 1 (s53(1)(a), light-touch)".into(),
        ),
        NoticeKind::Uk7 => (
            d.contract_signed.and_then(|s| beginning_with(s, 30)),
            "before the end of 30 days beginning with the day the contract is entered into, the signature date being day 1 (s53(1)(b)); not counted from the service start".into(),
        ),
        NoticeKind::PsrDirectAward | NoticeKind::PsrConfirmation => (
            after(d.contract_signed, 30),
            "within 30 days of the contract being awarded (SI 2023/1348), counted from the day the contract is entered into".into(),
        ),
        NoticeKind::Uk10 => (
            before(d.contract_start),
            "before the change takes effect (the contract start) (s75)".into(),
        ),
    }
}

/// "due 14 October 2026" or "due date not yet planned".
pub fn describe_due(due: Option<NaiveDate>) -> String {
    due.map(|d| format!("due {}", dates::long(d)))
        .unwrap_or_else(|| "due date not yet planned".into())
}
/// A notice inviting tenders is refused until a conflicts assessment is on record
/// (Procurement Act 2023, s83).
pub fn may_publish(kind: NoticeKind, conflicts_assessed: bool) -> crate::error::Result<()> {
    if kind.opens_competition() && !conflicts_assessed {
        return Err(crate::error::Error::validation(
            "notice",
            format!(
                "the {} cannot be published before a conflicts assessment is recorded for the lot",
                kind.title().to_lowercase()
            ),
        ));
    }
    Ok(())
}
