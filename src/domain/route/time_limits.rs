//! Minimum tendering periods as the Procurement Act 2023 writes them, and the check of a
//! lot's tender dates against them.
//!
//! s54(4) is a table of circumstances, each with a minimum period; the tendering period
//! "must equal or exceed the shortest minimum period ... that applies to the circumstances of
//! the case". Lotwise records the facts each row turns on (electronic submission, all tender
//! documents with the tender notice, a planned procurement notice and its date, urgency with
//! its reason) and derives the row, never the officer's conclusion. s54(5): the tendering
//! period begins with the day after the day tenders are invited and ends with the day by
//! which they must be submitted; the Act counts calendar days.
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::{Route, RouteChoice};
use crate::domain::dates;

/// The day the Act came into force. Procurements begun earlier fell under the Public
/// Contracts Regulations 2015, whose time limits Lotwise does not check.
pub fn act_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 2, 24).expect("a valid date")
}

/// One row of the s54(4) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// 1-based, as the rows appear in s54(4).
    pub number: u32,
    pub circumstance: &'static str,
    pub days: Option<u32>,
}

/// The rows of s54(4) that Lotwise's facts can establish (rows 2, 3 and 6, for utilities,
/// pre-selected suppliers and dynamic markets, do not arise for a council's open or
/// competitive flexible procedure as recorded here).
pub const ROWS: [Row; 7] = [
    Row {
        number: 1,
        circumstance: "the contract being awarded is a light touch contract",
        days: None,
    },
    Row {
        number: 4,
        circumstance: "a qualifying planned procurement notice has been issued",
        days: Some(10),
    },
    Row {
        number: 5,
        circumstance: "the contracting authority considers there to be a state of urgency that means any other applicable minimum tender period is impractical",
        days: Some(10),
    },
    Row {
        number: 7,
        circumstance: "tenders may be submitted electronically, and the tender notice and associated tender documents are all provided at the same time",
        days: Some(25),
    },
    Row {
        number: 8,
        circumstance: "tenders may be submitted electronically, but the tender notice and associated tender documents are not all provided at the same time",
        days: Some(30),
    },
    Row {
        number: 9,
        circumstance: "tenders may not be submitted electronically, but the tender notice and associated tender documents are all provided at the same time",
        days: Some(30),
    },
    Row {
        number: 10,
        circumstance: "tenders may not be submitted electronically, and the tender notice and associated tender documents are not all provided at the same time",
        days: Some(35),
    },
];

fn row(n: u32) -> Row {
    *ROWS
        .iter()
        .find(|r| r.number == n)
        .expect("a row of s54(4)")
}

/// The row for how tenders are submitted and when the documents are provided: 7 to 10.
pub fn base_row(electronic: bool, documents_with_notice: bool) -> Row {
    row(match (electronic, documents_with_notice) {
        (true, true) => 7,
        (true, false) => 8,
        (false, true) => 9,
        (false, false) => 10,
    })
}

/// Whether a planned procurement notice (UK3) qualifies under s15(3): published at least 40
/// days but not more than 12 months before the day the tender notice is published.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlannedNoticeTest {
    pub published: NaiveDate,
    pub tender_notice: NaiveDate,
    /// Whole days from the planned procurement notice to the tender notice.
    pub days_before: i64,
    pub qualifies: bool,
    /// Why, in a sentence citing s15(3).
    pub reason: String,
}

pub const PLANNED_NOTICE_MIN_DAYS: i64 = 40;
pub const PLANNED_NOTICE_MAX_MONTHS: u32 = 12;

pub fn planned_notice(published: NaiveDate, tender_notice: NaiveDate) -> PlannedNoticeTest {
    let days_before = (tender_notice - published).num_days();
    let latest = published.checked_add_months(Months::new(PLANNED_NOTICE_MAX_MONTHS));
    let earliest = published.checked_add_days(Days::new(PLANNED_NOTICE_MIN_DAYS as u64));
    let at = format!(
        "the planned procurement notice (UK3) was published on {} and the tender notice is on {}",
        dates::long(published),
        dates::long(tender_notice)
    );
    let (qualifies, why) = if days_before < 0 {
        (
            false,
            format!(
                "published {} days after the tender notice: it must come first",
                -days_before
            ),
        )
    } else if days_before < PLANNED_NOTICE_MIN_DAYS {
        (
            false,
            format!(
                "published {days_before} day{} before the tender notice: it must be at least 40 days before{}",
                if days_before == 1 { "" } else { "s" },
                earliest
                    .map(|e| format!(" (a tender notice on or after {})", dates::long(e)))
                    .unwrap_or_default()
            ),
        )
    } else if latest.is_none_or(|l| tender_notice > l) {
        (
            false,
            format!(
                "published more than 12 months before the tender notice: the tender notice had to be on or before {}",
                latest.map(dates::long).unwrap_or_default()
            ),
        )
    } else {
        (
            true,
            format!(
                "published {days_before} days before the tender notice: within the window of at least 40 days and not more than 12 months"
            ),
        )
    };
    PlannedNoticeTest {
        published,
        tender_notice,
        days_before,
        qualifies,
        reason: format!(
            "{}: {why}; {at} (s15(3))",
            if qualifies {
                "Qualifies"
            } else {
                "Does not qualify"
            }
        ),
    }
}

/// The minimum tendering period of a lot, the rule it comes from and the earliest lawful
/// submission deadline.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TenderingPeriod {
    /// None: no statutory minimum (a reasonable period must still be set).
    pub min_days: Option<u32>,
    /// The provision, as cited on screen and in papers: "Procurement Act 2023, s54(4), row 7".
    pub provision: String,
    /// The row's circumstance, or the rule, in the Act's words.
    pub row: String,
    /// Every row that applies, shortest first: the shortest decides.
    pub rows_applying: Vec<String>,
    /// How the days are counted.
    pub counting: String,
    /// The earliest lawful submission deadline, from the tender notice (planned or actual).
    pub earliest_deadline: Option<NaiveDate>,
    /// The planned procurement notice and whether it qualifies, when one is recorded.
    pub planned_notice: Option<PlannedNoticeTest>,
}

pub const COUNTING: &str = "calendar days, beginning with the day after the tender notice is published and ending with the submission deadline (s54(5))";

/// The facts s54(4) turns on, as recorded for a lot.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeriodFacts {
    /// The tender notice, planned or published.
    pub tender_notice: Option<NaiveDate>,
    /// The planned procurement notice (UK3), when published.
    pub planned_notice: Option<NaiveDate>,
}

/// The tendering period that applies. `above` is the threshold test (None while the value
/// is unknown: the Act's full rules are shown until it is). None for routes with no tender.
pub fn tendering_period(
    choice: &RouteChoice,
    above: Option<bool>,
    measured_on: NaiveDate,
    f: PeriodFacts,
) -> Option<TenderingPeriod> {
    let planned_notice = match (f.planned_notice, f.tender_notice) {
        (Some(p), Some(t)) => Some(planned_notice(p, t)),
        _ => None,
    };
    let none = |provision: &str, row: &str| TenderingPeriod {
        min_days: None,
        provision: provision.into(),
        row: row.into(),
        rows_applying: Vec::new(),
        counting: COUNTING.into(),
        earliest_deadline: None,
        planned_notice: planned_notice.clone(),
    };
    match choice.route {
        Route::PsrCompetitive => {
            return Some(none(
                "Provider Selection Regime (SI 2023/1348)",
                "the regulations set no minimum period: give providers a reasonable time, the same for each",
            ));
        }
        Route::FrameworkCallOff => {
            return Some(none(
                "Procurement Act 2023, s46",
                "a competition under a framework has no statutory minimum period: set one that is reasonable, the same for every supplier (s54(1), (2))",
            ));
        }
        Route::Open | Route::CompetitiveFlexible | Route::LightTouch => {}
        _ => return None,
    }
    if measured_on < act_in_force() {
        return Some(none(
            "Public Contracts Regulations 2015",
            "begun before 24 February 2025, when the Procurement Act 2023 came into force: the Public Contracts Regulations 2015 applied, and Lotwise does not check their time limits",
        ));
    }
    if above == Some(false) {
        return Some(none(
            "Procurement Act 2023, s87(6)",
            "below threshold: any time limits must be reasonable and the same for each supplier",
        ));
    }
    if choice.route == Route::LightTouch {
        let r = row(1);
        return Some(TenderingPeriod {
            rows_applying: vec![describe(r)],
            ..none("Procurement Act 2023, s54(4), row 1", r.circumstance)
        });
    }
    let mut applying = vec![base_row(choice.electronic, choice.documents_with_notice)];
    if planned_notice.as_ref().is_some_and(|p| p.qualifies) {
        applying.push(row(4));
    }
    if choice
        .urgency
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty())
    {
        applying.push(row(5));
    }
    applying.sort_by_key(|r| (r.days, r.number));
    let shortest = applying[0];
    let min = shortest.days.expect("rows 4 to 10 have a period");
    Some(TenderingPeriod {
        min_days: Some(min),
        provision: format!("Procurement Act 2023, s54(4), row {}", shortest.number),
        row: shortest.circumstance.into(),
        rows_applying: applying.iter().map(|r| describe(*r)).collect(),
        counting: COUNTING.into(),
        earliest_deadline: f
            .tender_notice
            .and_then(|t| t.checked_add_days(Days::new(u64::from(min)))),
        planned_notice,
    })
}

fn describe(r: Row) -> String {
    format!(
        "row {}: {} ({})",
        r.number,
        r.circumstance,
        r.days
            .map(|d| format!("{d} days"))
            .unwrap_or_else(|| "no minimum period".into())
    )
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

/// Every check of the dates, passed or failed, each in a sentence with the dates and the
/// provision in it.
pub fn check(period: Option<&TenderingPeriod>, d: TenderDates) -> Vec<DateCheck> {
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
    // s54(5): from the day after the notice to the deadline, both counted.
    let days = (submission - notice).num_days();
    let length = format!(
        "the tendering period is {days} days (tender notice {}, submission deadline {})",
        dates::long(notice),
        dates::long(submission)
    );
    let min = period.and_then(|p| p.min_days);
    out.push(match (min, period) {
        (Some(min), Some(p)) if days < i64::from(min) => DateCheck {
            ok: false,
            message: format!(
                "{length}: shorter than the minimum of {min} days ({}); the submission deadline must be on or after {}",
                p.provision,
                dates::long(notice + Days::new(u64::from(min)))
            ),
        },
        (Some(min), Some(p)) => DateCheck {
            ok: true,
            message: format!("{length}: meets the minimum of {min} days ({})", p.provision),
        },
        _ if days < 1 => DateCheck {
            ok: false,
            message: format!("{length}: the submission deadline must be after the tender notice"),
        },
        (_, Some(p)) => DateCheck {
            ok: true,
            message: format!(
                "{length}: no statutory minimum applies ({}: {})",
                p.provision, p.row
            ),
        },
        _ => DateCheck {
            ok: true,
            message: format!("{length}: no statutory minimum applies"),
        },
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
