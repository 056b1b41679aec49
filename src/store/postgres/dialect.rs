//! How a team workspace stores what the shared SQL (`src/store/sql`) reads and writes:
//! DATE, TIMESTAMPTZ (written truncated to microseconds) and BOOLEAN columns.
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use crate::error::Result;

pub type Day = NaiveDate;
pub type Instant = DateTime<Utc>;
pub type Flag = bool;
pub type Row = sqlx::postgres::PgRow;

/// A DATE column, as read (the server has already checked it is a date).
pub fn date(d: &Day) -> Result<NaiveDate> {
    Ok(*d)
}

pub fn opt_date(d: Option<Day>) -> Result<Option<NaiveDate>> {
    Ok(d)
}

pub fn instant(d: &Instant) -> DateTime<Utc> {
    *d
}

pub fn instant_owned(d: Instant) -> DateTime<Utc> {
    d
}

pub fn opt_instant(d: Option<Instant>) -> DateTime<Utc> {
    d.unwrap_or_default()
}

/// An instant as the audit chain hashes it.
pub fn instant_text(d: Instant) -> String {
    crate::domain::audit::timestamp(d)
}

/// An instant as it is written: truncated to microseconds, as the audit hash has it, so
/// the server keeps exactly what was hashed (it would round, not truncate, a finer one).
pub fn timestamp(at: DateTime<Utc>) -> Instant {
    crate::domain::audit::truncate(at)
}

pub fn iso(d: NaiveDate) -> Day {
    d
}

pub fn flag(f: Flag) -> bool {
    f
}

/// Decodes rows fetched whole (as the SQLite backend must; here it costs nothing).
pub fn decode<T>(rows: Vec<Row>) -> Result<Vec<T>>
where
    T: for<'r> FromRow<'r, Row>,
{
    Ok(rows.iter().map(T::from_row).collect::<sqlx::Result<_>>()?)
}

/// Before an audit event is linked to the chain head: the chain's own lock, held to commit,
/// so the head read next is the newest committed one (READ COMMITTED reads it afresh).
pub async fn lock_chain(conn: &mut sqlx::PgConnection) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(super::CHAIN_LOCK)
        .execute(conn)
        .await?;
    Ok(())
}

/// The chain walked without keeping it: the server streams rows cheaply, so the ordinary
/// read serves (None).
pub async fn walk_chain(
    _conn: &mut sqlx::PgConnection,
    _after: i64,
    _upto: i64,
    _visit: &mut crate::domain::audit::Visit<'_>,
) -> Result<Option<i64>> {
    Ok(None)
}

pub use super::scoring::scoring_facts;
