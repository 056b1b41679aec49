//! The tender's own rules: when a bid is late, when a clarification question came after the
//! deadline, and that a question is published without saying who asked it.
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The usual closing time when none is set.
pub const DEFAULT_CLOSING_TIME: &str = "12:00";

/// "12:00" or "9:30" -> the time of day.
pub fn parse_time(s: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
        Error::validation(
            "closingTime",
            format!(
                "“{}” is not a time of day; use the 24-hour clock, e.g. 12:00",
                s.trim()
            ),
        )
    })
}

/// "24/11/2026 11:58", "2026-11-24 11:58" or "2026-11-24T11:58" -> date and time.
pub fn parse_received(s: &str) -> Result<NaiveDateTime> {
    let t = s.trim();
    ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .ok_or_else(|| {
            Error::validation(
                "receivedAt",
                format!(
                    "“{t}” is not a date and time; write it as the portal shows it, e.g. 24/11/2026 11:58"
                ),
            )
        })
}

/// The moment submissions close.
pub fn closing(deadline: NaiveDate, time: NaiveTime) -> NaiveDateTime {
    deadline.and_time(time)
}

/// A bid is late when it arrived after the closing moment (arriving at it is on time).
pub fn is_late(received: NaiveDateTime, closes: NaiveDateTime) -> bool {
    received > closes
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LateDecision {
    Accepted,
    Rejected,
}

impl LateDecision {
    pub fn key(self) -> &'static str {
        match self {
            LateDecision::Accepted => "accepted",
            LateDecision::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Result<LateDecision> {
        match s.trim().to_ascii_lowercase().as_str() {
            "accepted" | "accept" => Ok(LateDecision::Accepted),
            "rejected" | "reject" => Ok(LateDecision::Rejected),
            _ => Err(Error::validation(
                "decision",
                format!("“{s}” is not a decision; expected accepted or rejected"),
            )),
        }
    }
}

const LEGAL_SUFFIXES: [&str; 8] = [
    " limited",
    " ltd",
    " plc",
    " cic",
    " llp",
    " community interest company",
    " trust",
    " cio",
];

/// Whether a question, as it would be published, gives away who asked it: the asker's name
/// with or without its legal suffix ("Ltd", "CIC").
pub fn names_asker(question: &str, asked_by: &str) -> Option<String> {
    let q = question.to_lowercase();
    let mut name = asked_by.trim().trim_end_matches('.').to_lowercase();
    if name.is_empty() {
        return None;
    }
    if q.contains(&name) {
        return Some(asked_by.trim().to_string());
    }
    for s in LEGAL_SUFFIXES {
        if let Some(core) = name.strip_suffix(s) {
            name = core.trim().to_string();
            break;
        }
    }
    // A core name of a few letters would match ordinary words.
    (name.chars().count() >= 4 && q.contains(&name)).then(|| asked_by.trim().to_string())
}

/// Clarifications and receipts belong to a lot at the tender stage; decisions on late bids
/// and the hand-over to evaluation may follow into the evaluation stage.
pub fn stage_allows(
    stage: crate::domain::stage::Stage,
    allowed: &[crate::domain::stage::Stage],
    what: &str,
) -> Result<()> {
    if allowed.contains(&stage) {
        return Ok(());
    }
    Err(crate::error::Error::conflict(format!(
        "{what} only while the lot is at the tender stage; it is at {}",
        stage.label().to_lowercase()
    )))
}

/// An answer is published once, and not before its question arrived.
pub fn may_publish(
    lot: crate::domain::ids::LotId,
    number: u32,
    question: Option<&Clarification>,
    published_on: NaiveDate,
) -> Result<()> {
    let Some(q) = question else {
        return Err(crate::error::Error::validation(
            "number",
            format!("lot {lot} has no clarification question CQ{number}"),
        ));
    };
    if q.published_on.is_some() {
        return Err(crate::error::Error::conflict(format!(
            "CQ{number} has already been answered and published; publish a further clarification to add to it"
        )));
    }
    if published_on < q.received_on {
        return Err(crate::error::Error::validation(
            "publishedOn",
            format!(
                "the answer cannot be published before the question was received ({})",
                crate::domain::dates::long(q.received_on)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        parse_received(s).unwrap()
    }

    #[test]
    fn a_bid_at_the_closing_minute_is_on_time() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let closes = closing(d, parse_time("12:00").unwrap());
        assert!(!is_late(dt("24/11/2026 11:59"), closes));
        assert!(!is_late(dt("2026-11-24 12:00"), closes));
        assert!(is_late(dt("2026-11-24T12:01"), closes));
        assert!(is_late(dt("25/11/2026 09:00"), closes));
        assert_eq!(
            parse_received("24/11/2026").unwrap_err().field.as_deref(),
            Some("receivedAt")
        );
        assert!(parse_time("noon").is_err());
        assert!(parse_time("25:00").is_err());
    }

    #[test]
    fn questions_that_name_the_asker_are_caught() {
        assert_eq!(
            names_asker(
                "Can Age Kent Navigators CIC use volunteers?",
                "Age Kent Navigators CIC"
            )
            .as_deref(),
            Some("Age Kent Navigators CIC")
        );
        assert!(
            names_asker(
                "As AGE KENT NAVIGATORS we ask...",
                "Age Kent Navigators CIC"
            )
            .is_some()
        );
        assert!(
            names_asker(
                "Can the provider use volunteers?",
                "Age Kent Navigators CIC"
            )
            .is_none()
        );
        // A short core name is not matched inside ordinary words.
        assert!(names_asker("Is the contract a block contract?", "Con Ltd").is_none());
        assert!(names_asker("Anything", "").is_none());
    }

    #[test]
    fn late_decisions_parse() {
        assert_eq!(
            LateDecision::parse("Accept").unwrap(),
            LateDecision::Accepted
        );
        assert!(LateDecision::parse("maybe").is_err());
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Clarification {
    /// CQ1, CQ2 ... within the lot.
    pub number: u32,
    pub received_on: NaiveDate,
    /// Kept for the record; never published with the question.
    pub asked_by: String,
    /// As published: without the asker's name.
    pub question: String,
    pub answer: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BidReceipt {
    pub id: i64,
    pub supplier: String,
    pub registration_number: String,
    /// The other consortium members as `Name (number); Name`.
    pub members: String,
    pub price: crate::domain::money::Money,
    /// UK time, as the e-tendering portal logged it.
    pub received_at: NaiveDateTime,
    pub decision: Option<LateDecision>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    /// Set once the bid has been handed to the evaluation.
    pub bid_id: Option<i64>,
    pub recorded_by: String,
}

/// Written when the lot enters the tender stage: the specification version it references.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TenderOpened {
    pub spec_version: u32,
    /// "12:00": submissions close at this time on the submission deadline.
    pub closing_time: String,
    pub opened_by: String,
    pub opened_at: chrono::DateTime<chrono::Utc>,
}

/// A lot's tender records as stored.
#[derive(Debug, Clone, Default)]
pub struct TenderRecords {
    pub opened: Option<TenderOpened>,
    pub clarifications: Vec<Clarification>,
    pub receipts: Vec<BidReceipt>,
}
