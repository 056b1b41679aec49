//! The conflicts assessment the Act requires before a tender or transparency notice is
//! published (section 83): who assessed, what they found and how it is mitigated.
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConflictsAssessment {
    pub id: i64,
    pub assessed_on: NaiveDate,
    /// The people and roles considered (officers, panel, advisers).
    pub scope: String,
    /// Conflicts found, or "none identified".
    pub findings: String,
    pub mitigations: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}
