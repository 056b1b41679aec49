//! TUPE: the transfer plan, the staff lists kept version by version, and the officer's record
//! against each obligation, each write audited against its lot.
use rust_decimal::Decimal;
use sqlx::{Row, SqliteConnection, SqlitePool};
use std::str::FromStr;

use super::rows::{date, instant, iso, unreadable};
use super::{SqliteStore, audit, ensure_lot};
use crate::domain::audit::timestamp;
use crate::domain::ids::LotId;
use crate::domain::money::Money;
use crate::domain::tupe::StaffListMeta;
use crate::domain::tupe::obligations::{
    ObligationRecord, ObligationStatus, SpcAssessment, StaffCounts, TupePlan,
};
use crate::domain::tupe::staff::{ContractType, PensionScheme, StaffMember};
use crate::error::Result;
use crate::store::{TupeLotFacts, WriteCtx};

async fn plan_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Option<TupePlan>> {
    let Some(r) = sqlx::query(
        "SELECT transfer_date, outgoing, incoming, assessment, notes FROM tupe_plans WHERE lot_id = ?",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    plan_row(&r).map(Some)
}

fn plan_row(r: &sqlx::sqlite::SqliteRow) -> Result<TupePlan> {
    Ok(TupePlan {
        transfer_date: date(r.get::<String, _>("transfer_date").as_str())?,
        outgoing: r.get("outgoing"),
        incoming: r.get("incoming"),
        assessment: SpcAssessment::parse(r.get::<String, _>("assessment").as_str())
            .map_err(|_| unreadable("TUPE assessment"))?,
        notes: r.get("notes"),
    })
}

pub async fn plan(pool: &SqlitePool, lot: LotId) -> Result<Option<TupePlan>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    plan_in(&mut conn, lot).await
}

pub async fn set_plan(s: &SqliteStore, w: &WriteCtx, lot: LotId, p: TupePlan) -> Result<TupePlan> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let before = plan_in(&mut tx, lot).await?;
    if before.as_ref() == Some(&p) {
        return Ok(p);
    }
    sqlx::query(
        "INSERT INTO tupe_plans (lot_id, transfer_date, outgoing, incoming, assessment, notes, updated_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (lot_id) DO UPDATE SET transfer_date = excluded.transfer_date,
           outgoing = excluded.outgoing, incoming = excluded.incoming, assessment = excluded.assessment,
           notes = excluded.notes, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(lot.0)
    .bind(iso(p.transfer_date))
    .bind(&p.outgoing)
    .bind(&p.incoming)
    .bind(p.assessment.key())
    .bind(&p.notes)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        w,
        "tupe.plan_set",
        "lot",
        Some(lot.0),
        before.as_ref(),
        Some(&p),
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

fn meta(r: &sqlx::sqlite::SqliteRow) -> StaffListMeta {
    StaffListMeta {
        id: r.get("id"),
        version: r.get::<i64, _>("version") as u32,
        file_name: r.get("file_name"),
        rows: r.get::<i64, _>("rows") as u32,
        imported_by: r.get("imported_by"),
        imported_at: instant(r.get::<String, _>("imported_at").as_str()),
    }
}

const LIST_COLUMNS: &str = "l.id, l.version, l.file_name, l.imported_by, l.imported_at,
    (SELECT count(*) FROM tupe_staff s WHERE s.list_id = l.id) AS rows
    FROM tupe_staff_lists l";

pub async fn lists(pool: &SqlitePool, lot: LotId) -> Result<Vec<StaffListMeta>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LIST_COLUMNS} WHERE l.lot_id = ? ORDER BY l.version DESC"
    )))
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(meta)
    .collect())
}

pub async fn staff(pool: &SqlitePool, list: i64) -> Result<Vec<StaffMember>> {
    let rows = sqlx::query(
        "SELECT reference, role, grade, annual_pay, fte, hours, contract_type, service_start,
                pension, location, assigned
         FROM tupe_staff WHERE list_id = ? ORDER BY position",
    )
    .bind(list)
    .fetch_all(pool)
    .await?;
    rows.iter().map(person).collect()
}

fn person(r: &sqlx::sqlite::SqliteRow) -> Result<StaffMember> {
    let dec = |c: &str| {
        Decimal::from_str(r.get::<String, _>(c).as_str())
            .map_err(|_| unreadable("staff FTE or hours"))
    };
    Ok(StaffMember {
        reference: r.get("reference"),
        role: r.get("role"),
        grade: r.get("grade"),
        annual_pay: Money::from_pence(r.get("annual_pay")),
        fte: dec("fte")?,
        hours: dec("hours")?,
        contract_type: ContractType::parse(r.get::<String, _>("contract_type").as_str())
            .map_err(|_| unreadable("contract type"))?,
        service_start: date(r.get::<String, _>("service_start").as_str())?,
        pension: PensionScheme::parse(r.get::<String, _>("pension").as_str())
            .map_err(|_| unreadable("pension scheme"))?,
        location: r.get("location"),
        assigned: r.get::<i64, _>("assigned") == 1,
    })
}

pub async fn import(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    file_name: &str,
    people: Vec<StaffMember>,
) -> Result<StaffListMeta> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let version: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(version), 0) + 1 FROM tupe_staff_lists WHERE lot_id = ?",
    )
    .bind(lot.0)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tupe_staff_lists (lot_id, version, file_name, imported_by, imported_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(lot.0)
    .bind(version)
    .bind(file_name)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .fetch_one(&mut *tx)
    .await?;
    for (i, p) in people.iter().enumerate() {
        sqlx::query(
            "INSERT INTO tupe_staff (list_id, position, reference, role, grade, annual_pay, fte, hours,
               contract_type, service_start, pension, location, assigned)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&p.reference)
        .bind(&p.role)
        .bind(&p.grade)
        .bind(p.annual_pay.pence())
        .bind(p.fte.to_string())
        .bind(p.hours.to_string())
        .bind(p.contract_type.key())
        .bind(iso(p.service_start))
        .bind(p.pension.key())
        .bind(&p.location)
        .bind(p.assigned as i64)
        .execute(&mut *tx)
        .await?;
    }
    let m = StaffListMeta {
        id,
        version: version as u32,
        file_name: file_name.to_string(),
        rows: people.len() as u32,
        imported_by: w.actor.clone(),
        imported_at: w.at,
    };
    audit::append(
        &mut tx,
        w,
        "tupe.staff_imported",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&m),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

async fn records_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Vec<ObligationRecord>> {
    sqlx::query(
        "SELECT key, status, evidence, updated_by, updated_at FROM tupe_obligations WHERE lot_id = ? ORDER BY key",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(record)
    .collect()
}

fn record(r: &sqlx::sqlite::SqliteRow) -> Result<ObligationRecord> {
    Ok(ObligationRecord {
        key: r.get("key"),
        status: ObligationStatus::parse(r.get::<String, _>("status").as_str())
            .map_err(|_| unreadable("obligation status"))?,
        evidence: r.get("evidence"),
        updated_by: r.get("updated_by"),
        updated_at: instant(r.get::<String, _>("updated_at").as_str()),
    })
}

pub async fn records(pool: &SqlitePool, lot: LotId) -> Result<Vec<ObligationRecord>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    records_in(&mut conn, lot).await
}

pub async fn set_record(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    key: &str,
    status: ObligationStatus,
    evidence: &str,
) -> Result<ObligationRecord> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let before = records_in(&mut tx, lot)
        .await?
        .into_iter()
        .find(|r| r.key == key);
    let rec = ObligationRecord {
        key: key.to_string(),
        status,
        evidence: evidence.to_string(),
        updated_by: w.actor.clone(),
        updated_at: w.at,
    };
    if before
        .as_ref()
        .is_some_and(|b| b.status == status && b.evidence == evidence)
    {
        return Ok(before.expect("checked"));
    }
    sqlx::query(
        "INSERT INTO tupe_obligations (lot_id, key, status, evidence, updated_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (lot_id, key) DO UPDATE SET status = excluded.status, evidence = excluded.evidence,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(lot.0)
    .bind(key)
    .bind(status.key())
    .bind(evidence)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        w,
        "tupe.obligation_set",
        "lot",
        Some(lot.0),
        before.as_ref(),
        Some(&rec),
    )
    .await?;
    tx.commit().await?;
    Ok(rec)
}

/// Everything the pipeline board needs to count overdue obligations, for every lot with a
/// transfer planned, in five queries whatever the number of lots.
pub async fn board_facts(pool: &SqlitePool) -> Result<Vec<TupeLotFacts>> {
    let mut conn = pool.acquire().await?;
    let mut out = Vec::new();
    for r in sqlx::query(
        "SELECT lot_id, transfer_date, outgoing, incoming, assessment, notes FROM tupe_plans ORDER BY lot_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.push(TupeLotFacts {
            lot: LotId(r.get("lot_id")),
            plan: plan_row(&r)?,
            tender_notice: None,
            list: None,
            staff: StaffCounts::default(),
            records: Vec::new(),
        });
    }
    let at = |out: &mut Vec<TupeLotFacts>, lot: i64| out.iter_mut().position(|f| f.lot.0 == lot);
    for r in sqlx::query(
        "SELECT m.lot_id, coalesce(m.actual, m.planned) AS d FROM milestones m
         JOIN tupe_plans p ON p.lot_id = m.lot_id WHERE m.key = 'tender_notice'",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        if let Some(i) = at(&mut out, r.get("lot_id")) {
            out[i].tender_notice = Some(date(r.get::<String, _>("d").as_str())?);
        }
    }
    for r in sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT l.lot_id, {LIST_COLUMNS} WHERE l.version =
           (SELECT max(version) FROM tupe_staff_lists x WHERE x.lot_id = l.lot_id)"
    )))
    .fetch_all(&mut *conn)
    .await?
    {
        if let Some(i) = at(&mut out, r.get("lot_id")) {
            out[i].list = Some(meta(&r));
        }
    }
    for r in sqlx::query(
        "WITH newest AS (
           SELECT l.id, l.lot_id FROM tupe_staff_lists l
           WHERE l.version = (SELECT max(version) FROM tupe_staff_lists x WHERE x.lot_id = l.lot_id))
         SELECT n.lot_id, sum(s.assigned) AS assigned,
                sum(s.assigned AND s.pension = 'lgps') AS lgps,
                sum(s.assigned AND s.pension = 'nhs-pension-scheme') AS nhs,
                sum(s.assigned AND s.pension = 'other') AS other
         FROM newest n JOIN tupe_staff s ON s.list_id = n.id GROUP BY n.lot_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        if let Some(i) = at(&mut out, r.get("lot_id")) {
            let n = |c: &str| r.get::<i64, _>(c) as u32;
            out[i].staff = StaffCounts {
                assigned: n("assigned"),
                lgps: n("lgps"),
                nhs: n("nhs"),
                other: n("other"),
            };
        }
    }
    for r in sqlx::query(
        "SELECT lot_id, key, status, evidence, updated_by, updated_at FROM tupe_obligations ORDER BY lot_id, key",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        if let Some(i) = at(&mut out, r.get("lot_id")) {
            out[i].records.push(record(&r)?);
        }
    }
    Ok(out)
}
