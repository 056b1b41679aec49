//! Preliminary market engagement: events with their attendees and the questions asked,
//! expressions of interest and potential consortia, or the reasons there was none.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventFormat {
    InPerson,
    Online,
    Hybrid,
    /// A written questionnaire or request for information.
    Written,
}

impl EventFormat {
    pub const ALL: [EventFormat; 4] = [
        EventFormat::InPerson,
        EventFormat::Online,
        EventFormat::Hybrid,
        EventFormat::Written,
    ];
    pub fn key(self) -> &'static str {
        match self {
            EventFormat::InPerson => "in_person",
            EventFormat::Online => "online",
            EventFormat::Hybrid => "hybrid",
            EventFormat::Written => "written",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EventFormat::InPerson => "In person",
            EventFormat::Online => "Online",
            EventFormat::Hybrid => "Hybrid",
            EventFormat::Written => "Written questionnaire",
        }
    }
    pub fn parse(s: &str) -> Result<EventFormat> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        EventFormat::ALL
            .into_iter()
            .find(|f| f.key() == norm)
            .ok_or_else(|| {
                Error::validation(
                    "format",
                    format!("“{s}” is not a format; expected in_person, online, hybrid or written"),
                )
            })
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attendee {
    pub name: String,
    pub organisation: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EngagementQuestion {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EngagementEvent {
    pub id: i64,
    pub held_on: NaiveDate,
    pub format: EventFormat,
    pub title: String,
    pub agenda: String,
    pub attendees: Vec<Attendee>,
    pub questions: Vec<EngagementQuestion>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExpressionOfInterest {
    pub id: i64,
    pub organisation: String,
    pub received_on: NaiveDate,
    /// The other members of a potential consortium; empty when the organisation is alone.
    pub consortium_with: Vec<String>,
    pub note: String,
}

/// A lot's engagement records as stored.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EngagementRecords {
    /// In date order.
    pub events: Vec<EngagementEvent>,
    pub interests: Vec<ExpressionOfInterest>,
    /// Why there was no preliminary market engagement, when that was decided.
    pub no_engagement_reason: Option<String>,
}

impl EngagementRecords {
    /// Engagement has happened once an event has been held.
    pub fn held_by(&self, today: NaiveDate) -> bool {
        self.events.iter().any(|e| e.held_on <= today)
    }

    /// The distinct organisations that took part or expressed interest (consortium members
    /// included), in name order.
    pub fn organisations(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .events
            .iter()
            .flat_map(|e| e.attendees.iter().map(|a| a.organisation.clone()))
            .chain(self.interests.iter().flat_map(|i| {
                std::iter::once(i.organisation.clone()).chain(i.consortium_with.iter().cloned())
            }))
            .collect();
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        names
    }
}

/// "Name; Name" -> the names, trimmed, none empty.
pub fn consortium(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_as_people_write_them() {
        assert_eq!(
            EventFormat::parse("In person").unwrap(),
            EventFormat::InPerson
        );
        assert_eq!(
            EventFormat::parse("in-person").unwrap(),
            EventFormat::InPerson
        );
        assert!(
            EventFormat::parse("zoom")
                .unwrap_err()
                .message
                .contains("expected in_person")
        );
        assert_eq!(consortium(" A Ltd ; ;B CIC"), vec!["A Ltd", "B CIC"]);
    }
}
