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

/// How much of the file a connection maps into memory while it reads all of it (the chain
/// walk, the page check). Mapped pages are read without a system call and a copy each:
/// `audit verify` of a million events, each run mapping afresh as a new `lotwise` process
/// does, goes from about 1.05 s to 0.9 s on two cores (bench: audit). Only for those reads,
/// then off again: while the file is mapped, a disk error or the file being cut short under
/// it (a backup copied over a workspace in use) arrives as a signal that SQLite cannot turn
/// into an error (sqlite.org/mmap.html), so no connection keeps it longer than a check.
const MAPPED_FOR_CHECKS: &str = "PRAGMA mmap_size = 2147483648";
const NOT_MAPPED: &str = "PRAGMA mmap_size = 0";

/// Maps the file for a long read on this connection (`on`), or stops (SQLite changes the
/// mapping only once no mapped page is in use, so the order of statements does not matter).
pub async fn map_for_reading(conn: &mut sqlx::SqliteConnection, on: bool) -> Result<()> {
    let sql = if on { MAPPED_FOR_CHECKS } else { NOT_MAPPED };
    sqlx::raw_sql(sql).execute(conn).await?;
    Ok(())
}

/// The chain handed to `visit` row by row straight from SQLite's row API, each event
/// borrowed from the row and never copied: verifying a million events then keeps nothing
/// but the last hash, and hashing runs as the rows are read. See `chain_fast` for why not
/// through sqlx.
pub async fn walk_chain(
    conn: &mut sqlx::SqliteConnection,
    after: i64,
    upto: i64,
    visit: &mut crate::domain::audit::Visit<'_>,
) -> Result<Option<i64>> {
    let mut handle = conn.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    let mut walk = |c: &rusqlite::Connection| -> rusqlite::Result<i64> {
        let mut stmt = c.prepare(
            "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash
             FROM audit_events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query([after, upto])?;
        let mut n = 0i64;
        while let Some(r) = rows.next()? {
            n += 1;
            let text = |i: usize| -> rusqlite::Result<&str> {
                r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)
            };
            let opt = |i: usize| -> rusqlite::Result<Option<&str>> {
                r.get_ref(i)?
                    .as_str_or_null()
                    .map_err(rusqlite::Error::from)
            };
            let e = crate::domain::audit::EventRef {
                seq: r.get(0)?,
                at: text(1)?,
                actor: text(2)?,
                action: text(3)?,
                entity: text(4)?,
                entity_id: r.get(5)?,
                before: opt(6)?,
                after: opt(7)?,
                prev_hash: text(8)?,
                hash: text(9)?,
            };
            if !visit(e) {
                drop(rows);
                return c.query_row(
                    "SELECT count(*) FROM audit_events WHERE seq > ?1 AND seq <= ?2",
                    [after, upto],
                    |r| r.get(0),
                );
            }
        }
        Ok(n)
    };
    let mut read = move || -> rusqlite::Result<i64> {
        // SAFETY: `handle` keeps sqlx's lock on this connection for as long as `read` runs
        // (it is called below, never sent away), so nothing else uses it meanwhile; a
        // connection made from a handle is not closed when it is dropped.
        let c = unsafe { rusqlite::Connection::from_handle(raw) }?;
        c.execute_batch(MAPPED_FOR_CHECKS)?;
        let walked = walk(&c);
        c.execute_batch(NOT_MAPPED)?;
        walked
    };
    let n = match tokio::runtime::Handle::current().runtime_flavor() {
        tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(read),
        _ => read(),
    }
    .map_err(|e| {
        crate::error::Error::new(
            crate::error::ErrorCode::Storage,
            format!("the audit trail could not be read: {e}"),
        )
    })?;
    drop(handle);
    Ok(Some(n))
}

/// What a score save is checked against, in one statement where that saves something:
/// here nothing does (a file on this computer has no round trips), so None, and the shared
/// SQL reads it query by query.
pub async fn scoring_facts(
    _tx: &mut super::SqliteTx,
    _lot: crate::domain::ids::LotId,
    _bids: &[crate::domain::ids::BidId],
) -> Result<Option<Option<crate::store::ScoringFacts>>> {
    Ok(None)
}
