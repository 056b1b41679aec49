//! Database rows, kept apart from domain types, and their checked conversions.
use chrono::NaiveDate;
use sqlx::FromRow;

use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::registers::{Organisation, OrganisationKind, Supplier};
use crate::domain::stage::Stage;
use crate::domain::term::{OptionStatus, Term};
use crate::error::{Error, ErrorCode, Result};

fn corrupt(what: &str, value: &str) -> Error {
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

/// A DATE column, as read (the server has already checked it is a date).
pub fn date(d: &NaiveDate) -> Result<NaiveDate> {
    Ok(*d)
}

pub fn opt_date(d: Option<NaiveDate>) -> Result<Option<NaiveDate>> {
    Ok(d)
}

/// A TIMESTAMPTZ column, as read.
pub fn instant(d: &chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    *d
}

pub fn instant_owned(d: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    d
}

/// An instant as it is written: truncated to microseconds, as the audit hash has it, so
/// the server keeps exactly what was hashed (it would round, not truncate, a finer one).
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    crate::domain::audit::truncate(at)
}

/// A date as it is bound: a DATE parameter.
pub fn iso(d: NaiveDate) -> NaiveDate {
    d
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

/// Decodes rows fetched whole (the same shape as the SQLite backend, which needs it to avoid
/// a thread hand-off per row; here it costs nothing).
pub fn decode<T>(rows: Vec<sqlx::postgres::PgRow>) -> Result<Vec<T>>
where
    T: for<'r> FromRow<'r, sqlx::postgres::PgRow>,
{
    Ok(rows.iter().map(T::from_row).collect::<sqlx::Result<_>>()?)
}
