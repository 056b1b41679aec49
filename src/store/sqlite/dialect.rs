//! How the embedded workspace stores what the shared SQL (`src/store/sql`) reads and
//! writes: dates as ISO text (YYYY-MM-DD), instants as RFC 3339 UTC text, flags as 0 or 1.
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use crate::error::Result;

pub type Day = String;
pub type Instant = String;
pub type Flag = i64;
pub type Row = sqlx::sqlite::SqliteRow;

pub fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| super::rows::corrupt("date", s))
}

pub fn opt_date(s: Option<Day>) -> Result<Option<NaiveDate>> {
    s.as_deref().map(date).transpose()
}

/// A stored RFC 3339 instant (written by `timestamp`).
pub fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.to_utc())
        .unwrap_or_default()
}

pub fn instant_owned(s: Instant) -> DateTime<Utc> {
    instant(&s)
}

pub fn opt_instant(s: Option<Instant>) -> DateTime<Utc> {
    s.as_deref().map(instant).unwrap_or_default()
}

/// An instant as the audit chain hashes it.
pub fn instant_text(s: Instant) -> String {
    s
}

/// An instant as it is written: truncated to microseconds, as the audit hash has it.
pub fn timestamp(at: DateTime<Utc>) -> Instant {
    crate::domain::audit::timestamp(at)
}

pub fn iso(d: NaiveDate) -> Day {
    d.format("%Y-%m-%d").to_string()
}

pub fn flag(f: Flag) -> bool {
    f == 1
}

/// Decodes rows fetched whole. sqlx's `query_as(..).fetch_all` decodes each row as the
/// SQLite worker thread hands it over, a thread hand-off per row: 10,000 milestones took
/// 22 ms that way against 10 ms fetched whole and then decoded (release build, the board
/// benchmark's workspace). Every list read goes through here.
pub fn decode<T>(rows: Vec<Row>) -> Result<Vec<T>>
where
    T: for<'r> FromRow<'r, Row>,
{
    Ok(rows.iter().map(T::from_row).collect::<sqlx::Result<_>>()?)
}

/// Before an audit event is linked to the chain head: nothing to take, since every write
/// transaction on the file already holds its one write lock (BEGIN IMMEDIATE).
pub async fn lock_chain(_conn: &mut sqlx::SqliteConnection) -> Result<()> {
    Ok(())
}
