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

pub fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| corrupt("date", s))
}

pub fn opt_date(s: Option<&str>) -> Result<Option<NaiveDate>> {
    s.map(date).transpose()
}

/// A stored RFC 3339 instant (written by `audit::timestamp`).
pub fn instant(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.to_utc())
        .unwrap_or_default()
}

pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
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

/// Decodes rows fetched whole. sqlx's `query_as(..).fetch_all` decodes each row as the
/// SQLite worker thread hands it over, a thread hand-off per row: 10,000 milestones took
/// 22 ms that way against 10 ms fetched whole and then decoded (release build, the board
/// benchmark's workspace). Every list read in this backend goes through here.
pub fn decode<T>(rows: Vec<sqlx::sqlite::SqliteRow>) -> Result<Vec<T>>
where
    T: for<'r> FromRow<'r, sqlx::sqlite::SqliteRow>,
{
    Ok(rows.iter().map(T::from_row).collect::<sqlx::Result<_>>()?)
}
