//! Organisations, suppliers and procurements.
use async_trait::async_trait;

use crate::domain::finance::FinancialYear;
use crate::domain::ids::{OrganisationId, ProcurementId, SupplierId};
use crate::domain::money::Money;
use crate::domain::procurement::Procurement;
use crate::domain::registers::{Organisation, OrganisationKind, Supplier};
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Clone)]
pub struct NewSupplier {
    pub name: String,
    pub companies_house_number: Option<String>,
    pub charity_number: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewProcurement {
    pub reference: String,
    pub title: String,
    pub service: String,
    pub commissioners: Vec<OrganisationId>,
    pub budget: Vec<(FinancialYear, Money)>,
}

#[async_trait]
pub trait RegistersStore: Send {
    /// True when the workspace holds no organisations, contracts or procurements.
    async fn is_empty(&mut self) -> Result<bool>;
    async fn organisations(&mut self) -> Result<Vec<Organisation>>;
    async fn insert_organisation(&mut self, new: &NewOrganisation) -> Result<Organisation>;
    async fn suppliers(&mut self) -> Result<Vec<Supplier>>;
    async fn supplier(&mut self, id: SupplierId) -> Result<Option<Supplier>>;
    async fn insert_supplier(&mut self, new: &NewSupplier) -> Result<Supplier>;
    /// The supplier holding either registration number.
    async fn supplier_by_numbers(
        &mut self,
        companies_house_number: Option<&str>,
        charity_number: Option<&str>,
    ) -> Result<Option<SupplierId>>;
    /// A supplier of this name (case aside) with no registration number.
    async fn unregistered_supplier_named(&mut self, name: &str) -> Result<Option<SupplierId>>;
    async fn procurements(&mut self) -> Result<Vec<Procurement>>;
    async fn procurement(&mut self, id: ProcurementId) -> Result<Option<Procurement>>;
    async fn insert_procurement(&mut self, new: &NewProcurement) -> Result<ProcurementId>;
}
