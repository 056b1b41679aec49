//! Extra bank holidays held in the workspace.
use super::Conn;
use super::rows::Day;
use super::rows::decode;

use super::rows::timestamp;
use crate::domain::calendar::{Holiday, Nation};
use crate::error::Result;
use crate::store::WriteCtx;

/// As `list`, inside the caller's transaction (the contract gate reads it there).
pub async fn list_in(conn: &mut Conn) -> Result<Vec<Holiday>> {
    let rows: Vec<(Day, String, String, String)> = decode(
        sqlx::query("SELECT date, name, nations, source FROM extra_holidays ORDER BY date")
            .fetch_all(&mut *conn)
            .await?,
    )?;
    rows.into_iter()
        .map(|(date, name, nations, source)| {
            Ok(Holiday {
                date: super::rows::date(&date)?,
                name,
                nations: nations
                    .split(',')
                    .map(Nation::parse)
                    .collect::<Result<Vec<_>>>()?,
                source,
            })
        })
        .collect()
}

#[async_trait::async_trait]
impl crate::store::CalendarStore for super::BackendTx {
    async fn extra_holidays(&mut self) -> Result<Vec<Holiday>> {
        list_in(self.conn()).await
    }
    async fn add_extra_holiday(&mut self, h: &Holiday, w: &WriteCtx) -> Result<()> {
        let nations: Vec<&str> = h.nations.iter().map(|n| n.key()).collect();
        sqlx::query(
            "INSERT INTO extra_holidays (date, name, nations, source, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(super::rows::iso(h.date))
        .bind(&h.name)
        .bind(nations.join(","))
        .bind(&h.source)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
