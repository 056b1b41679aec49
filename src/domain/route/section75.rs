//! The written agreement a Section 75 partnership needs (NHS Act 2006 and the NHS Bodies and
//! Local Authorities Partnership Arrangements Regulations 2000): each element agreed or not.
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// Key and the question the agreement must answer.
pub const ITEMS: &[(&str, &str)] = &[
    ("aims", "Aims and outcomes of the partnership"),
    (
        "contributions",
        "Each partner's financial contribution and how the fund is managed",
    ),
    (
        "functions",
        "The NHS and health-related functions delegated",
    ),
    ("client_groups", "The client groups served"),
    (
        "staff",
        "Staff: who employs them, secondments and any TUPE transfer",
    ),
    ("duration", "Duration of the agreement"),
    ("review", "Arrangements for review"),
    (
        "termination",
        "Termination and what happens to the fund and assets",
    ),
    ("monitoring", "Monitoring and reporting of performance"),
];

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChecklistItem {
    pub key: String,
    pub title: String,
    pub agreed: bool,
    pub note: String,
}

pub fn item_title(key: &str) -> Result<&'static str> {
    ITEMS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let keys: Vec<&str> = ITEMS.iter().map(|(k, _)| *k).collect();
            Error::validation(
                "item",
                format!(
                    "“{key}” is not an element of a Section 75 agreement; expected one of: {}",
                    keys.join(", ")
                ),
            )
        })
}

/// Every element in order, filled from what is recorded.
pub fn checklist(recorded: &[(String, bool, String)]) -> Vec<ChecklistItem> {
    ITEMS
        .iter()
        .map(|(k, t)| {
            let r = recorded.iter().find(|(rk, _, _)| rk == k);
            ChecklistItem {
                key: (*k).into(),
                title: (*t).into(),
                agreed: r.is_some_and(|r| r.1),
                note: r.map(|r| r.2.clone()).unwrap_or_default(),
            }
        })
        .collect()
}
