//! The contracts register.
use async_trait::async_trait;

use crate::domain::contract::Contract;
use crate::domain::ids::{ContractId, OrganisationId, SupplierId};
use crate::domain::term::OptionStatus;
use crate::error::Result;

/// A contract to keep, its provider already in the register.
#[derive(Debug, Clone)]
pub struct ContractRow {
    pub reference: String,
    pub title: String,
    pub service: String,
    pub provider: SupplierId,
    pub commissioner: Option<OrganisationId>,
    pub annual_value: crate::domain::money::Money,
    pub start: chrono::NaiveDate,
    pub term: crate::domain::term::Term,
    pub option_statuses: Vec<OptionStatus>,
    pub notice_period_months: u32,
}

#[async_trait]
pub trait ContractsStore: Send {
    async fn contracts(&mut self) -> Result<Vec<Contract>>;
    async fn contract(&mut self, id: ContractId) -> Result<Option<Contract>>;
    async fn insert_contract(&mut self, c: &ContractRow) -> Result<ContractId>;
    async fn set_option_statuses(&mut self, id: ContractId, s: &[OptionStatus]) -> Result<()>;
}
