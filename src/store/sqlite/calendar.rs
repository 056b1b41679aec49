//! Extra bank holidays held in the workspace.
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::{SqliteStore, audit};
use crate::domain::audit::timestamp;
use crate::domain::calendar::{Holiday, Nation};
use crate::error::{Error, ErrorCode, Result};
use crate::store::WriteCtx;

pub async fn list(pool: &SqlitePool) -> Result<Vec<Holiday>> {
    let mut conn = pool.acquire().await?;
    list_in(&mut conn).await
}

/// As `list`, inside the caller's transaction (the contract gate reads it there).
pub async fn list_in(conn: &mut SqliteConnection) -> Result<Vec<Holiday>> {
    sqlx::query("SELECT date, name, nations, source FROM extra_holidays ORDER BY date")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let date: String = r.get("date");
            let nations: String = r.get("nations");
            Ok(Holiday {
                date: crate::domain::dates::parse(&date).map_err(|_| {
                    Error::new(ErrorCode::Storage, "a stored holiday date is not a date")
                })?,
                name: r.get("name"),
                nations: nations
                    .split(',')
                    .map(Nation::parse)
                    .collect::<Result<Vec<_>>>()?,
                source: r.get("source"),
            })
        })
        .collect()
}

pub async fn add(s: &SqliteStore, w: &WriteCtx, h: Holiday) -> Result<Holiday> {
    let mut tx = s.write().await?;
    let nations: Vec<&str> = h.nations.iter().map(|n| n.key()).collect();
    sqlx::query(
        "INSERT INTO extra_holidays (date, name, nations, source, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(h.date.format("%Y-%m-%d").to_string())
    .bind(&h.name)
    .bind(nations.join(","))
    .bind(&h.source)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.message().contains("UNIQUE") => Error::validation(
            "date",
            format!(
                "{} is already held as an extra bank holiday",
                crate::domain::dates::long(h.date)
            ),
        ),
        other => other.into(),
    })?;
    audit::append(
        &mut tx,
        w,
        "calendar.holiday_added",
        "calendar",
        None,
        None::<&()>,
        Some(&h),
    )
    .await?;
    tx.commit().await?;
    Ok(h)
}
