//! TUPE 2006 on a service provision change: the incumbent's staff list and what must happen,
//! by whom and by when, for the staff to transfer properly.
pub mod obligations;
pub mod staff;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::domain::dates;
use obligations::Obligation;

/// A staff list as imported; each import is a new version and the newest one counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffListMeta {
    pub id: crate::domain::ids::StaffListId,
    pub version: u32,
    pub file_name: String,
    pub rows: u32,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
}

impl StaffListMeta {
    /// "Version 2 of the staff list, imported 12/03/2026 from staff.csv (38 rows)".
    pub fn describe(&self) -> String {
        format!(
            "Version {} of the staff list, imported {} from {} ({} {})",
            self.version,
            dates::short(self.imported_at.date_naive()),
            self.file_name,
            self.rows,
            if self.rows == 1 { "row" } else { "rows" }
        )
    }
}

/// The lot's checklist as at a day: every obligation with its date, owner and status.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Checklist {
    pub as_at: NaiveDate,
    pub transfer_date: NaiveDate,
    /// Said when T is not a working day.
    pub transfer_note: Option<String>,
    /// How dates are counted (calendar days).
    pub calendar_note: String,
    pub obligations: Vec<Obligation>,
    /// Obligations that apply (or are still to confirm), done, and overdue.
    pub applicable: u32,
    pub done: u32,
    pub overdue: u32,
}
