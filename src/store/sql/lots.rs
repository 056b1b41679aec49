//! Lots: their records, the board's rows, milestones and stage history.
use super::Conn;
use super::rows::decode;
use super::rows::{Day, Instant};
use sqlx::FromRow;
use std::collections::HashMap;

use super::BackendTx;
use super::rows::{self, iso};
use crate::domain::board::BoardLot;
use crate::domain::ids::*;
use crate::domain::lot::*;
use crate::domain::stage::Stage;
use crate::error::{Error, Result};
use crate::store::{MilestoneInput, NewLot, WriteCtx};

#[derive(FromRow)]
struct LotRow {
    id: i64,
    procurement_id: i64,
    reference: String,
    title: String,
    geography: String,
    estimated_annual_value_pence: Option<i64>,
    term: Option<String>,
    replaces_contract_id: Option<i64>,
    stage: String,
    abandoned_reason: Option<String>,
}

#[derive(FromRow)]
struct PartRow {
    code: String,
    title: String,
}

#[derive(FromRow)]
struct MilestoneRow {
    id: i64,
    key: Option<String>,
    title: String,
    planned: Day,
    actual: Option<Day>,
}

impl TryFrom<MilestoneRow> for MilestoneRecord {
    type Error = Error;
    fn try_from(m: MilestoneRow) -> Result<Self> {
        Ok(MilestoneRecord {
            id: MilestoneId(m.id),
            key: m.key,
            title: m.title,
            planned: rows::date(&m.planned)?,
            actual: rows::opt_date(m.actual)?,
        })
    }
}

#[derive(FromRow)]
struct StageChangeRow {
    from_stage: Option<String>,
    to_stage: String,
    reason: Option<String>,
    actor: String,
    at: Instant,
}

impl TryFrom<StageChangeRow> for StageChange {
    type Error = Error;
    fn try_from(h: StageChangeRow) -> Result<Self> {
        Ok(StageChange {
            from: h.from_stage.as_deref().map(rows::stage).transpose()?,
            to: rows::stage(&h.to_stage)?,
            reason: h.reason,
            actor: h.actor,
            at: rows::instant(&h.at),
        })
    }
}

#[derive(FromRow)]
struct BoardRow {
    id: i64,
    reference: String,
    title: String,
    procurement_title: String,
    geography: String,
    stage: String,
    estimated_annual_value_pence: Option<i64>,
}

async fn record(conn: &mut Conn, id: LotId) -> Result<Option<LotRecord>> {
    let Some(row) = sqlx::query_as::<_, LotRow>(
        "SELECT id, procurement_id, reference, title, geography, estimated_annual_value_pence,
                term, replaces_contract_id, stage, abandoned_reason
         FROM lots WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let parts = decode::<PartRow>(
        sqlx::query("SELECT code, title FROM lot_parts WHERE lot_id = $1 ORDER BY position")
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await?,
    )?
    .into_iter()
    .map(|p| LotPart {
        code: p.code,
        title: p.title,
    })
    .collect();
    let milestones = decode::<MilestoneRow>(sqlx::query(
        "SELECT id, key, title, planned, actual FROM milestones WHERE lot_id = $1 ORDER BY planned, id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?)?
    .into_iter()
    .map(MilestoneRecord::try_from)
    .collect::<Result<Vec<_>>>()?;
    let history = decode::<StageChangeRow>(sqlx::query(
        "SELECT from_stage, to_stage, reason, actor, at FROM stage_changes WHERE lot_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?)?
    .into_iter()
    .map(StageChange::try_from)
    .collect::<Result<Vec<_>>>()?;
    Ok(Some(LotRecord {
        id: LotId(row.id),
        procurement: ProcurementId(row.procurement_id),
        reference: row.reference,
        title: row.title,
        geography: row.geography,
        estimated_annual_value: rows::money(row.estimated_annual_value_pence),
        term: row.term.as_deref().map(rows::term).transpose()?,
        replaces_contract: row.replaces_contract_id.map(ContractId),
        stage: rows::stage(&row.stage)?,
        abandoned_reason: row.abandoned_reason,
        parts,
        milestones,
        history,
    }))
}

#[async_trait::async_trait]
impl crate::store::LotsStore for BackendTx {
    async fn lot(&mut self, id: LotId) -> Result<Option<LotRecord>> {
        record(self.conn(), id).await
    }

    async fn stage(&mut self, id: LotId) -> Result<Option<Stage>> {
        let s: Option<String> = sqlx::query_scalar("SELECT stage FROM lots WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.conn())
            .await?;
        s.as_deref().map(rows::stage).transpose()
    }

    async fn names(&mut self) -> Result<Vec<LotName>> {
        let rows: Vec<(i64, String, String, String)> = decode(sqlx::query(
            "SELECT l.id, l.reference, l.title, p.reference FROM lots l JOIN procurements p ON p.id = l.procurement_id ORDER BY l.id",
        )
        .fetch_all(self.conn())
        .await?)?;
        Ok(rows
            .into_iter()
            .map(|(id, reference, title, procurement_reference)| LotName {
                id: LotId(id),
                reference,
                title,
                procurement_reference,
            })
            .collect())
    }

    async fn board(&mut self) -> Result<Vec<BoardLot>> {
        let conn = self.conn();
        let lots = decode::<BoardRow>(sqlx::query(
            "SELECT l.id, l.reference, l.title, p.title AS procurement_title, l.geography, l.stage,
                    l.estimated_annual_value_pence
             FROM lots l JOIN procurements p ON p.id = l.procurement_id ORDER BY p.reference, l.reference, l.id",
        )
        .fetch_all(&mut *conn)
        .await?)?;
        let mut parts: HashMap<i64, Vec<String>> = HashMap::new();
        let part_rows: Vec<(i64, String)> = decode(
            sqlx::query("SELECT lot_id, code FROM lot_parts ORDER BY lot_id, position")
                .fetch_all(&mut *conn)
                .await?,
        )?;
        for (lot, code) in part_rows {
            parts.entry(lot).or_default().push(code);
        }
        let mut open: HashMap<i64, Vec<(String, chrono::NaiveDate)>> = HashMap::new();
        let ms: Vec<(i64, String, Day)> = decode(sqlx::query(
            "SELECT lot_id, title, planned FROM milestones WHERE actual IS NULL ORDER BY lot_id, planned",
        )
        .fetch_all(&mut *conn)
        .await?)?;
        for (lot, title, planned) in ms {
            open.entry(lot)
                .or_default()
                .push((title, rows::date(&planned)?));
        }
        lots.into_iter()
            .map(|l| {
                Ok(BoardLot {
                    id: LotId(l.id),
                    stage: rows::stage(&l.stage)?,
                    part_codes: parts.remove(&l.id).unwrap_or_default(),
                    open_milestones: open.remove(&l.id).unwrap_or_default(),
                    reference: l.reference,
                    title: l.title,
                    procurement_title: l.procurement_title,
                    geography: l.geography,
                    estimated_annual_value: rows::money(l.estimated_annual_value_pence),
                })
            })
            .collect()
    }

    async fn in_procurement(&mut self, p: ProcurementId) -> Result<Vec<LotId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM lots WHERE procurement_id = $1 ORDER BY reference, id",
        )
        .bind(p.0)
        .fetch_all(self.conn())
        .await?;
        Ok(ids.into_iter().map(LotId).collect())
    }

    async fn insert(&mut self, new: &NewLot) -> Result<LotId> {
        let conn = self.conn();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO lots (procurement_id, reference, title, geography, estimated_annual_value_pence, term,
               replaces_contract_id, stage) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.procurement.0)
        .bind(&new.reference)
        .bind(&new.title)
        .bind(&new.geography)
        .bind(new.estimated_annual_value.map(|m| m.pence()))
        .bind(new.term.as_ref().map(|t| t.to_string()))
        .bind(new.replaces_contract.map(|c| c.0))
        .bind(new.stage.key())
        .fetch_one(&mut *conn)
        .await?;
        for (i, (code, title)) in new.parts.iter().enumerate() {
            sqlx::query(
                "INSERT INTO lot_parts (lot_id, code, title, position) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(code)
            .bind(title)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
        }
        Ok(LotId(id))
    }

    async fn set_stage(
        &mut self,
        id: LotId,
        to: Stage,
        abandoned_reason: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE lots SET stage = $1, abandoned_reason = $2 WHERE id = $3")
            .bind(to.key())
            .bind(abandoned_reason)
            .bind(id.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn record_stage_change(
        &mut self,
        id: LotId,
        from: Option<Stage>,
        to: Stage,
        reason: Option<&str>,
        w: &WriteCtx,
    ) -> Result<()> {
        record_change(self.conn(), w, id.0, from, to, reason).await
    }

    async fn milestone_by_key(&mut self, lot: LotId, key: &str) -> Result<Option<MilestoneRecord>> {
        sqlx::query_as::<_, MilestoneRow>(
            "SELECT id, key, title, planned, actual FROM milestones WHERE lot_id = $1 AND key = $2",
        )
        .bind(lot.0)
        .bind(key)
        .fetch_optional(self.conn())
        .await?
        .map(MilestoneRecord::try_from)
        .transpose()
    }

    async fn insert_milestone(&mut self, lot: LotId, m: &MilestoneInput) -> Result<MilestoneId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO milestones (lot_id, key, title, planned, actual) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(lot.0)
        .bind(&m.key)
        .bind(&m.title)
        .bind(iso(m.planned))
        .bind(m.actual.map(iso))
        .fetch_one(self.conn())
        .await?;
        Ok(MilestoneId(id))
    }

    async fn update_milestone(&mut self, id: MilestoneId, m: &MilestoneInput) -> Result<()> {
        sqlx::query("UPDATE milestones SET title = $1, planned = $2, actual = $3 WHERE id = $4")
            .bind(&m.title)
            .bind(iso(m.planned))
            .bind(m.actual.map(iso))
            .bind(id.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}

async fn record_change(
    conn: &mut Conn,
    w: &WriteCtx,
    lot: i64,
    from: Option<Stage>,
    to: Stage,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO stage_changes (lot_id, from_stage, to_stage, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(lot)
        .bind(from.map(Stage::key))
        .bind(to.key())
        .bind(reason)
        .bind(&w.actor)
        .bind(super::rows::timestamp(w.at))
        .execute(conn)
        .await?;
    Ok(())
}
