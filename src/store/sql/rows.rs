//! Database rows, kept apart from domain types, and their checked conversions. Shared by
//! both backends (each includes `src/store/sql`); what differs between them (how a date, an
//! instant and a flag are stored, and decoding a fetched list) is in the backend's `dialect`.
pub use super::dialect::*;
use sqlx::FromRow;

use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::registers::{Organisation, OrganisationKind, Supplier};
use crate::domain::stage::Stage;
use crate::domain::term::{OptionStatus, Term};
use crate::error::{Error, ErrorCode, Result};

pub(crate) fn corrupt(what: &str, value: &str) -> Error {
    Error::new(
        ErrorCode::Storage,
        format!("the workspace holds an invalid {what}: “{value}”"),
    )
}

/// A stored value the app cannot read back (a code no version of it wrote).
pub fn unreadable(what: &str) -> Error {
    Error::new(
        ErrorCode::Storage,
        format!("the workspace holds an unreadable {what}"),
    )
}

pub fn stage(s: &str) -> Result<Stage> {
    Stage::parse(s).map_err(|_| corrupt("stage", s))
}

pub fn term(s: &str) -> Result<Term> {
    Term::parse(s).map_err(|_| corrupt("term", s))
}

pub fn statuses(s: &str) -> Result<Vec<OptionStatus>> {
    if s.is_empty() {
        return Ok(vec![]);
    }
    s.split(',')
        .map(|p| OptionStatus::parse(p).map_err(|_| corrupt("option status", p)))
        .collect()
}

pub fn statuses_text(v: &[OptionStatus]) -> String {
    v.iter().map(|s| s.key()).collect::<Vec<_>>().join(",")
}

#[derive(FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = Error;
    fn try_from(r: OrganisationRow) -> Result<Self> {
        Ok(Organisation {
            id: OrganisationId(r.id),
            kind: OrganisationKind::parse(&r.kind)
                .map_err(|_| corrupt("organisation kind", &r.kind))?,
            name: r.name,
        })
    }
}

#[derive(FromRow)]
pub struct SupplierRow {
    pub id: i64,
    pub name: String,
    pub companies_house_number: Option<String>,
    pub charity_number: Option<String>,
}

impl From<SupplierRow> for Supplier {
    fn from(r: SupplierRow) -> Self {
        Supplier {
            id: SupplierId(r.id),
            name: r.name,
            companies_house_number: r.companies_house_number,
            charity_number: r.charity_number,
        }
    }
}

pub fn money(p: Option<i64>) -> Option<Money> {
    p.map(Money::from_pence)
}
