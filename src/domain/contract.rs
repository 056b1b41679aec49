//! A contract in the register, with its term's dates worked out.
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::registers::{Organisation, Supplier};
use crate::domain::term::{OptionStatus, Term, TermDates};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contract {
    pub id: ContractId,
    pub reference: String,
    pub title: String,
    pub service: String,
    pub provider: Supplier,
    pub commissioner: Option<Organisation>,
    pub annual_value: Money,
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub term: Term,
    pub option_statuses: Vec<OptionStatus>,
    pub notice_period_months: u32,
    pub dates: TermDates,
}
