//! A procurement: its commissioners and its budget by financial year.
use serde::Serialize;
use ts_rs::TS;

use crate::domain::finance::FinancialYear;
use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::registers::Organisation;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BudgetLine {
    #[ts(type = "string")]
    pub financial_year: FinancialYear,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Procurement {
    pub id: ProcurementId,
    pub reference: String,
    pub title: String,
    pub service: String,
    /// The lead commissioner first, then partners.
    pub commissioners: Vec<Organisation>,
    pub budget: Vec<BudgetLine>,
}
