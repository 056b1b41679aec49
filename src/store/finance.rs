//! Finance: budget lines by financial year, funders' contributions, lots' budgets, the
//! savings target and saved allocations.
use async_trait::async_trait;

use super::WriteCtx;
use crate::domain::allocation::{Allocation, AreaLot, SavedAllocation};
use crate::domain::finance::FinancialYear;
use crate::domain::finance::budget::{Arrangement, Contribution};
use crate::domain::finance::savings::SavingsTarget;
use crate::domain::ids::{LotId, OrganisationId, ProcurementId};
use crate::domain::money::Money;
use crate::error::Result;

/// One year's budget line: the procurement's own, or one of its lots'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetOwner {
    Procurement(ProcurementId),
    Lot(LotId),
}

#[derive(Debug, Clone, Default)]
pub struct FinanceRecords {
    pub contributions: Vec<Contribution>,
    pub lot_budgets: Vec<(LotId, FinancialYear, Money)>,
    pub savings: Option<SavingsTarget>,
    /// Newest first.
    pub allocations: Vec<SavedAllocation>,
}

#[derive(Debug, Clone)]
pub struct NewContribution {
    pub funder: OrganisationId,
    pub financial_year: FinancialYear,
    pub amount: Money,
    pub arrangement: Arrangement,
    pub purpose: String,
}

#[async_trait]
pub trait FinanceStore: Send {
    /// Everything recorded about a procurement's money beyond its budget lines.
    async fn records(&mut self, p: ProcurementId) -> Result<FinanceRecords>;
    async fn budget_line(
        &mut self,
        owner: BudgetOwner,
        year: FinancialYear,
    ) -> Result<Option<Money>>;
    /// Sets, or with None removes, one year's line.
    async fn set_budget_line(
        &mut self,
        owner: BudgetOwner,
        year: FinancialYear,
        amount: Option<Money>,
    ) -> Result<()>;
    /// The funder's contribution for the year, if recorded.
    async fn contribution(
        &mut self,
        p: ProcurementId,
        funder: OrganisationId,
        year: FinancialYear,
    ) -> Result<Option<Contribution>>;
    async fn contribution_by_id(
        &mut self,
        p: ProcurementId,
        id: i64,
    ) -> Result<Option<Contribution>>;
    /// Records the funder's contribution for the year, replacing the one it had.
    async fn set_contribution(&mut self, p: ProcurementId, c: &NewContribution) -> Result<i64>;
    async fn remove_contribution(&mut self, id: i64) -> Result<()>;
    async fn savings(&mut self, p: ProcurementId) -> Result<Option<SavingsTarget>>;
    /// Sets, or with None removes, the savings target.
    async fn set_savings(&mut self, p: ProcurementId, t: Option<&SavingsTarget>) -> Result<()>;
    async fn insert_allocation(
        &mut self,
        p: ProcurementId,
        basis: &str,
        allocation: &Allocation,
        areas: &[AreaLot],
        w: &WriteCtx,
    ) -> Result<i64>;
}
