//! Lots: creation, the pipeline board, milestones and stage transitions.
use sqlx::{Row, SqliteConnection, SqlitePool};
use std::collections::HashMap;

use super::registers::procurement;
use super::rows::{self, iso};
use super::{SqliteStore, audit, contracts};
use crate::domain::ids::*;
use crate::domain::milestone::{self, Rag};
use crate::domain::model::*;
use crate::domain::money::Money;
use crate::domain::stage::{LotFacts, Stage, check_transition};
use crate::error::{Error, Result};
use crate::store::{MilestoneInput, NewLot, ReadCtx, WriteCtx};

pub async fn create(s: &SqliteStore, w: &WriteCtx, new: NewLot, r: ReadCtx) -> Result<Lot> {
    let mut tx = s.write().await?;
    procurement(&mut tx, new.procurement)
        .await
        .map_err(|e| e.in_field("procurementId"))?;
    if let Some(c) = new.replaces_contract {
        contracts::get(&mut tx, c)
            .await
            .map_err(|e| e.in_field("replacesContractId"))?;
    }
    let clash: Option<i64> =
        sqlx::query_scalar("SELECT id FROM lots WHERE procurement_id = ? AND reference = ?")
            .bind(new.procurement.0)
            .bind(&new.reference)
            .fetch_optional(&mut *tx)
            .await?;
    if clash.is_some() {
        return Err(Error::validation(
            "reference",
            format!(
                "this procurement already has a lot with the reference “{}”",
                new.reference
            ),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO lots (procurement_id, reference, title, geography, estimated_annual_value_pence, term,
           replaces_contract_id, stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.procurement.0)
    .bind(&new.reference)
    .bind(&new.title)
    .bind(&new.geography)
    .bind(new.estimated_annual_value.map(Money::pence))
    .bind(new.term.as_ref().map(|t| t.to_string()))
    .bind(new.replaces_contract.map(|c| c.0))
    .bind(new.stage.key())
    .fetch_one(&mut *tx)
    .await?;
    for (i, (code, title)) in new.parts.iter().enumerate() {
        sqlx::query("INSERT INTO lot_parts (lot_id, code, title, position) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(code)
            .bind(title)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
    }
    record_change(&mut tx, w, id, None, new.stage, None).await?;
    let lot = get(&mut tx, LotId(id), r).await?;
    audit::append(
        &mut tx,
        w,
        "lot.created",
        "lot",
        Some(id),
        None::<&()>,
        Some(&audit_view(&lot)),
    )
    .await?;
    tx.commit().await?;
    Ok(lot)
}

/// What the audit trail keeps of a lot: its own fields, not the records it points at.
fn audit_view(l: &Lot) -> serde_json::Value {
    serde_json::json!({
        "procurementId": l.procurement.id,
        "reference": l.reference,
        "title": l.title,
        "geography": l.geography,
        "estimatedAnnualValue": l.estimated_annual_value,
        "term": l.term.as_ref().map(|t| t.to_string()),
        "replacesContractId": l.replaces_contract.as_ref().map(|c| c.id),
        "stage": l.stage,
        "parts": l.parts,
    })
}

async fn record_change(
    conn: &mut SqliteConnection,
    w: &WriteCtx,
    lot: i64,
    from: Option<Stage>,
    to: Stage,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO stage_changes (lot_id, from_stage, to_stage, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(lot)
        .bind(from.map(Stage::key))
        .bind(to.key())
        .bind(reason)
        .bind(&w.actor)
        .bind(crate::domain::audit::timestamp(w.at))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: LotId, r: ReadCtx) -> Result<Lot> {
    let row = sqlx::query(
        "SELECT l.id, l.procurement_id, l.reference, l.title, l.geography, l.estimated_annual_value_pence,
                l.term, l.replaces_contract_id, l.stage, l.abandoned_reason
         FROM lots l WHERE l.id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::not_found(format!("lot {id}")))?;

    let parts = sqlx::query("SELECT code, title FROM lot_parts WHERE lot_id = ? ORDER BY position")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|p| LotPart {
            code: p.get(0),
            title: p.get(1),
        })
        .collect();
    let milestones = milestones(conn, id, r).await?;
    let history = sqlx::query("SELECT from_stage, to_stage, reason, actor, at FROM stage_changes WHERE lot_id = ? ORDER BY id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|h| {
            Ok(StageChange {
                from: h.get::<Option<String>, _>(0).as_deref().map(rows::stage).transpose()?,
                to: rows::stage(h.get(1))?,
                reason: h.get(2),
                actor: h.get(3),
                at: chrono::DateTime::parse_from_rfc3339(h.get(4)).map(|d| d.to_utc()).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let replaces_contract = match row.get::<Option<i64>, _>("replaces_contract_id") {
        Some(c) => {
            let c = contracts::get(conn, ContractId(c)).await?;
            Some(ContractRef {
                id: c.id,
                reference: c.reference,
                title: c.title,
                provider: c.provider.name,
            })
        }
        None => None,
    };
    let term = row
        .get::<Option<String>, _>("term")
        .as_deref()
        .map(rows::term)
        .transpose()?;
    let estimated_annual_value = rows::money(row.get("estimated_annual_value_pence"));
    let whole_life_value = match (&term, estimated_annual_value) {
        (Some(t), Some(v)) => v.for_months(t.total_months()),
        _ => None,
    };
    let rag = milestone::worst(milestones.iter().map(|m| m.rag));
    let stage = rows::stage(row.get("stage"))?;
    Ok(Lot {
        id,
        procurement: procurement(conn, ProcurementId(row.get("procurement_id"))).await?,
        reference: row.get("reference"),
        title: row.get("title"),
        geography: row.get("geography"),
        estimated_annual_value,
        term,
        whole_life_value,
        replaces_contract,
        stage,
        allowed_moves: crate::domain::stage::allowed_moves(stage),
        abandoned_reason: row.get("abandoned_reason"),
        parts,
        milestones,
        history,
        rag,
    })
}

async fn milestones(conn: &mut SqliteConnection, lot: LotId, r: ReadCtx) -> Result<Vec<Milestone>> {
    sqlx::query("SELECT id, key, title, planned, actual FROM milestones WHERE lot_id = ? ORDER BY planned, id")
        .bind(lot.0)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|m| {
            let planned = rows::date(m.get(3))?;
            let actual = rows::opt_date(m.get::<Option<&str>, _>(4))?;
            Ok(Milestone {
                id: MilestoneId(m.get(0)),
                key: m.get(1),
                title: m.get(2),
                planned,
                actual,
                rag: milestone::rag(planned, actual, r.today, r.amber_days),
            })
        })
        .collect()
}

/// The board in three queries, however many lots there are.
pub async fn board(pool: &SqlitePool, r: ReadCtx) -> Result<Board> {
    let mut conn = pool.acquire().await?;
    let lots = sqlx::query(
        "SELECT l.id, l.reference, l.title, p.title, l.geography, l.stage, l.estimated_annual_value_pence
         FROM lots l JOIN procurements p ON p.id = l.procurement_id ORDER BY p.reference, l.reference, l.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut parts: HashMap<i64, Vec<String>> = HashMap::new();
    for p in sqlx::query("SELECT lot_id, code FROM lot_parts ORDER BY lot_id, position")
        .fetch_all(&mut *conn)
        .await?
    {
        parts.entry(p.get(0)).or_default().push(p.get(1));
    }
    // Open milestones only: complete ones neither colour a card nor come next.
    let mut open: HashMap<i64, Vec<(String, chrono::NaiveDate)>> = HashMap::new();
    for m in sqlx::query("SELECT lot_id, title, planned FROM milestones WHERE actual IS NULL ORDER BY lot_id, planned")
        .fetch_all(&mut *conn)
        .await?
    {
        open.entry(m.get(0)).or_default().push((m.get(1), rows::date(m.get(2))?));
    }
    let mut columns: Vec<BoardColumn> = Stage::PIPELINE
        .iter()
        .chain([Stage::Abandoned].iter())
        .map(|s| BoardColumn {
            stage: *s,
            label: s.label().to_string(),
            cards: Vec::new(),
        })
        .collect();
    for l in lots {
        let id: i64 = l.get(0);
        let stage = rows::stage(l.get(5))?;
        let ms = open.remove(&id).unwrap_or_default();
        let rags = ms
            .iter()
            .map(|(_, p)| milestone::rag(*p, None, r.today, r.amber_days));
        let rag = if stage.is_closed() {
            Rag::Complete
        } else {
            milestone::worst(rags)
        };
        let next_milestone =
            ms.first()
                .filter(|_| !stage.is_closed())
                .map(|(t, p)| NextMilestone {
                    title: t.clone(),
                    planned: *p,
                    rag: milestone::rag(*p, None, r.today, r.amber_days),
                });
        let card = BoardCard {
            id: LotId(id),
            reference: l.get(1),
            title: l.get(2),
            procurement_title: l.get(3),
            geography: l.get(4),
            stage,
            estimated_annual_value: rows::money(l.get(6)),
            part_codes: parts.remove(&id).unwrap_or_default(),
            rag,
            next_milestone,
            tupe_overdue: 0,
        };
        let col = columns
            .iter_mut()
            .find(|c| c.stage == stage)
            .expect("every stage has a column");
        col.cards.push(card);
    }
    // Within a stage, what needs attention comes first: overdue, then due soonest.
    for col in &mut columns {
        col.cards.sort_by_key(|c| {
            (
                c.rag.urgency(),
                c.next_milestone.as_ref().map(|m| m.planned),
                c.id,
            )
        });
    }
    Ok(Board {
        today: r.today,
        amber_days: r.amber_days,
        columns,
    })
}

pub async fn set_milestone(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    m: MilestoneInput,
    r: ReadCtx,
) -> Result<Lot> {
    let mut tx = s.write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM lots WHERE id = ?")
        .bind(lot.0)
        .fetch_optional(&mut *tx)
        .await?;
    exists.ok_or_else(|| Error::not_found(format!("lot {lot}")))?;
    let before = match &m.key {
        Some(k) => sqlx::query("SELECT title, planned, actual FROM milestones WHERE lot_id = ? AND key = ?")
            .bind(lot.0)
            .bind(k)
            .fetch_optional(&mut *tx)
            .await?
            .map(|b| {
                serde_json::json!({"key": k, "title": b.get::<String, _>(0), "planned": b.get::<String, _>(1),
                                   "actual": b.get::<Option<String>, _>(2)})
            }),
        None => None,
    };
    let id: i64 = if before.is_some() {
        sqlx::query_scalar("UPDATE milestones SET title = ?, planned = ?, actual = ? WHERE lot_id = ? AND key = ? RETURNING id")
            .bind(&m.title)
            .bind(iso(m.planned))
            .bind(m.actual.map(iso))
            .bind(lot.0)
            .bind(&m.key)
            .fetch_one(&mut *tx)
            .await?
    } else {
        sqlx::query_scalar("INSERT INTO milestones (lot_id, key, title, planned, actual) VALUES (?, ?, ?, ?, ?) RETURNING id")
            .bind(lot.0)
            .bind(&m.key)
            .bind(&m.title)
            .bind(iso(m.planned))
            .bind(m.actual.map(iso))
            .fetch_one(&mut *tx)
            .await?
    };
    let after = serde_json::json!({"lotId": lot, "key": m.key, "title": m.title, "planned": iso(m.planned),
                                   "actual": m.actual.map(iso)});
    let action = if before.is_some() {
        "milestone.updated"
    } else {
        "milestone.added"
    };
    audit::append(
        &mut tx,
        w,
        action,
        "milestone",
        Some(id),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    let out = get(&mut tx, lot, r).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn advance_stage(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    to: Stage,
    reason: Option<String>,
    r: ReadCtx,
) -> Result<Lot> {
    let mut tx = s.write().await?;
    let current = get(&mut tx, lot, r).await?;
    let (eval_model_approved, moderation_signed_off) =
        super::eval::gate_facts(&mut tx, lot).await?;
    // Read in the same transaction as the move, like every other fact a gate looks at.
    let award_missing = if to == Stage::Contract {
        let dates = super::award::dates_in(&mut tx, lot).await?;
        let extra = super::calendar::list_in(&mut tx).await?;
        let status = super::award::status_in(&mut tx, lot).await?;
        let facts = crate::domain::award::TimelineFacts {
            records: super::award::standstill_records_in(&mut tx, lot).await?,
            ..Default::default()
        };
        crate::domain::award::contract_gate(dates.as_ref(), &facts, &extra, w.today, status)
    } else {
        Vec::new()
    };
    let route_missing = if to == Stage::Tender {
        super::route::tender_gate_in(&mut tx, &current, w.today).await?
    } else {
        Vec::new()
    };
    let facts = LotFacts {
        stage: current.stage,
        has_estimated_value: current.estimated_annual_value.is_some(),
        has_term: current.term.is_some(),
        eval_model_approved,
        moderation_signed_off,
        milestones: current
            .milestones
            .iter()
            .filter_map(|m| m.key.clone().map(|k| (k, Some(m.planned), m.actual)))
            .collect(),
        award_missing,
        route_missing,
    };
    let reason = reason
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    check_transition(&facts, to, reason.as_deref(), w.today)?;
    sqlx::query("UPDATE lots SET stage = ?, abandoned_reason = ? WHERE id = ?")
        .bind(to.key())
        .bind(if to == Stage::Abandoned {
            reason.as_deref()
        } else {
            None
        })
        .bind(lot.0)
        .execute(&mut *tx)
        .await?;
    record_change(
        &mut tx,
        w,
        lot.0,
        Some(current.stage),
        to,
        reason.as_deref(),
    )
    .await?;
    // The tender references the specification approved as it opens.
    if to == Stage::Tender {
        super::tender::open_in(&mut tx, w, lot).await?;
    }
    audit::append(
        &mut tx,
        w,
        "lot.stage_changed",
        "lot",
        Some(lot.0),
        Some(&serde_json::json!({"stage": current.stage})),
        Some(&serde_json::json!({"stage": to, "reason": reason})),
    )
    .await?;
    let out = get(&mut tx, lot, r).await?;
    tx.commit().await?;
    Ok(out)
}
