//! Minimum tendering periods (Procurement Act 2023, section 54) as a dated table, and the
//! check of a lot's tender dates against them.
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::{Route, RouteChoice};
use crate::domain::dates;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenderingPeriods {
    pub from: NaiveDate,
    /// Tenders submitted electronically and all tender documents available at the notice.
    pub electronic_with_documents: u32,
    pub otherwise: u32,
    /// After a qualifying planned procurement notice (UK3), or for urgency.
    pub reduced: u32,
}

/// The Act came into force on 24 February 2025; earlier procurements fell under the Public
/// Contracts Regulations 2015, which this app does not time-check.
pub fn table() -> Vec<TenderingPeriods> {
    vec![TenderingPeriods {
        from: NaiveDate::from_ymd_opt(2025, 2, 24).expect("valid"),
        electronic_with_documents: 25,
        otherwise: 30,
        reduced: 10,
    }]
}

fn in_force(on: NaiveDate) -> Option<TenderingPeriods> {
    table().into_iter().rev().find(|t| t.from <= on)
}

/// Only open and competitive flexible procedures at or above threshold have a statutory
/// minimum; light-touch, below-threshold and PSR competitions must set a reasonable one.
/// `on` is the tender notice date: the table in force then applies.
pub fn minimum_tendering_days(
    choice: &RouteChoice,
    above_threshold: Option<bool>,
    on: NaiveDate,
) -> Option<u32> {
    if !matches!(choice.route, Route::Open | Route::CompetitiveFlexible)
        || above_threshold != Some(true)
    {
        return None;
    }
    let t = in_force(on)?;
    Some(if choice.reduced_period {
        t.reduced
    } else if choice.electronic_with_documents {
        t.electronic_with_documents
    } else {
        t.otherwise
    })
}

pub fn basis(choice: &RouteChoice) -> &'static str {
    if choice.reduced_period {
        "after a qualifying planned procurement notice, or for urgency"
    } else if choice.electronic_with_documents {
        "tenders submitted electronically with every tender document available at the notice"
    } else {
        "tenders not all electronic, or tender documents not all available at the notice"
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DateCheck {
    pub ok: bool,
    pub message: String,
}

/// The tender's dates: the notice, the clarification deadline and the submission deadline.
#[derive(Debug, Clone, Copy, Default)]
pub struct TenderDates {
    pub notice: Option<NaiveDate>,
    pub clarification: Option<NaiveDate>,
    pub submission: Option<NaiveDate>,
}

/// Every check of the dates, passed or failed, each in a sentence with the dates in it.
pub fn check(min_days: Option<u32>, d: TenderDates) -> Vec<DateCheck> {
    let mut out = Vec::new();
    let (Some(notice), Some(submission)) = (d.notice, d.submission) else {
        out.push(DateCheck {
            ok: false,
            message:
                "plan the tender notice and the submission deadline to check the tendering period"
                    .into(),
        });
        return out;
    };
    let days = (submission - notice).num_days();
    let period = format!(
        "the tendering period is {days} days (tender notice {}, submission deadline {})",
        dates::long(notice),
        dates::long(submission)
    );
    out.push(match min_days {
        Some(min) if days < i64::from(min) => DateCheck {
            ok: false,
            message: format!(
                "{period}: shorter than the minimum of {min} days; the submission deadline must be on or after {}",
                dates::long(notice + chrono::Days::new(u64::from(min)))
            ),
        },
        Some(min) => DateCheck { ok: true, message: format!("{period}: meets the minimum of {min} days") },
        None if days < 1 => DateCheck {
            ok: false,
            message: format!("{period}: the submission deadline must be after the tender notice"),
        },
        None => DateCheck { ok: true, message: format!("{period}: no statutory minimum applies") },
    });
    if let Some(c) = d.clarification {
        let ok = c > notice && c < submission;
        out.push(DateCheck {
            ok,
            message: if ok {
                format!("the clarification deadline, {}, falls within the tendering period", dates::long(c))
            } else {
                format!(
                    "the clarification deadline, {}, must fall after the tender notice and before the submission deadline",
                    dates::long(c)
                )
            },
        });
    }
    out
}
