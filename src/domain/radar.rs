//! The expiry radar: which contracts need a decision soon, and by when.
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::domain::contract::Contract;
use crate::domain::dates;

pub const DEFAULT_LEAD_MONTHS: u32 = 18;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExpiringContract {
    pub contract: Contract,
    /// The date the contract ends unless an available extension is taken.
    pub current_end: NaiveDate,
    pub final_possible_end: NaiveDate,
    /// The last day to decide on (and give notice of) the next extension, where one is available.
    pub extension_decision_by: Option<NaiveDate>,
    /// The date by which re-procurement must start to have a new contract in place at the
    /// final possible end: that end less the lead time.
    pub reprocure_start_by: NaiveDate,
    pub days_to_current_end: i64,
    /// The extension decision date has passed with the option still open.
    pub extension_decision_overdue: bool,
    pub reprocurement_overdue: bool,
    /// The contract termination notice (UK11) its expiry calls for.
    pub termination_notice: TerminationNotice,
}

/// Expiry is a termination (Procurement Act 2023 s80(3)(b)): a contract termination notice
/// (UK11) is due before the end of 30 days beginning with the day the contract ends (s80(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TerminationNotice {
    /// If the contract ends on its current end date.
    pub due: NaiveDate,
    /// False for contracts that began before the Act came into force (24 February 2025),
    /// awarded under the Public Contracts Regulations 2015, which need no UK11.
    pub required: bool,
    pub rule: String,
}

pub fn termination_notice(c: &Contract, ends: NaiveDate) -> TerminationNotice {
    let due = crate::domain::route::notices::beginning_with(ends, 30).unwrap_or(ends);
    let required = c.start >= crate::domain::route::time_limits::act_in_force();
    TerminationNotice {
        due,
        required,
        rule: if required {
            format!(
                "If it ends on {}, publish a contract termination notice (UK11) by {}: before the end of 30 days beginning with the day it ends, expiry counting as termination (Procurement Act 2023 s80(1), (3)(b))",
                dates::long(ends),
                dates::long(due)
            )
        } else {
            format!(
                "It began on {}, before the Procurement Act 2023 came into force: if it was awarded under the Public Contracts Regulations 2015 no contract termination notice (UK11) is needed; a contract awarded under the Act would need one by {} (s80)",
                dates::long(c.start),
                dates::long(due)
            )
        },
    }
}

/// Contracts whose current end, or final possible end, falls within `lead_months` of today,
/// soonest first. Contracts already ended are left out.
pub fn expiring(
    contracts: Vec<Contract>,
    today: NaiveDate,
    lead_months: u32,
) -> Vec<ExpiringContract> {
    let horizon = dates::add_months(today, lead_months);
    let mut out: Vec<ExpiringContract> = contracts
        .into_iter()
        .filter(|c| c.dates.final_possible_end >= today)
        .filter(|c| c.dates.current_end <= horizon || c.dates.final_possible_end <= horizon)
        .map(|c| {
            let current_end = c.dates.current_end;
            let final_end = c.dates.final_possible_end;
            let has_option = final_end > current_end;
            let reprocure_start_by = dates::sub_months(final_end, lead_months);
            let extension_decision_by =
                has_option.then(|| dates::sub_months(current_end, c.notice_period_months));
            ExpiringContract {
                termination_notice: termination_notice(&c, current_end),
                extension_decision_by,
                extension_decision_overdue: extension_decision_by.is_some_and(|d| d < today),
                current_end,
                final_possible_end: final_end,
                reprocure_start_by,
                days_to_current_end: (current_end - today).num_days(),
                reprocurement_overdue: reprocure_start_by < today,
                contract: c,
            }
        })
        .collect();
    out.sort_by_key(|e| (e.current_end, e.contract.id));
    out
}
