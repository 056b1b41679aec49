//! TUPE: the transfer plan, the staff lists kept version by version, and the officer's record
//! against each obligation, each write audited against its lot.
use rust_decimal::Decimal;
use sqlx::{Row, SqliteConnection};
use std::str::FromStr;

use super::rows::{date, instant, iso, unreadable};
use crate::domain::audit::timestamp;
use crate::domain::ids::{LotId, StaffListId};
use crate::domain::money::Money;
use crate::domain::tupe::StaffListMeta;
use crate::domain::tupe::obligations::{
    ObligationRecord, ObligationStatus, SpcAssessment, StaffCounts, TupePlan,
};
use crate::domain::tupe::staff::{ContractType, PensionScheme, StaffMember};
use crate::error::Result;
use crate::store::{TupeLotFacts, WriteCtx};

#[async_trait::async_trait]
impl crate::store::TupeStore for super::SqliteTx {
    async fn plan(&mut self, lot: LotId) -> Result<Option<TupePlan>> {
        plan_in(self.conn(), lot).await
    }

    async fn set_plan(&mut self, lot: LotId, p: &TupePlan, w: &WriteCtx) -> Result<()> {
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
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn lists(&mut self, lot: LotId) -> Result<Vec<StaffListMeta>> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LIST_COLUMNS} WHERE l.lot_id = ? ORDER BY l.version DESC"
        )))
        .bind(lot.0)
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(meta)
        .collect())
    }

    async fn staff(&mut self, list: StaffListId) -> Result<Vec<StaffMember>> {
        let rows = sqlx::query(
            "SELECT reference, role, grade, annual_pay, fte, hours, contract_type, service_start,
                    pension, location, assigned
             FROM tupe_staff WHERE list_id = ? ORDER BY position",
        )
        .bind(list.0)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(person).collect()
    }

    async fn insert_list(
        &mut self,
        lot: LotId,
        version: u32,
        file_name: &str,
        staff: &[StaffMember],
        w: &WriteCtx,
    ) -> Result<StaffListId> {
        let conn = self.conn();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tupe_staff_lists (lot_id, version, file_name, imported_by, imported_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(lot.0)
        .bind(i64::from(version))
        .bind(file_name)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(&mut *conn)
        .await?;
        for (i, p) in staff.iter().enumerate() {
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
            .execute(&mut *conn)
            .await?;
        }
        Ok(StaffListId(id))
    }

    async fn obligation_records(&mut self, lot: LotId) -> Result<Vec<ObligationRecord>> {
        records_in(self.conn(), lot).await
    }

    async fn set_obligation(&mut self, lot: LotId, r: &ObligationRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO tupe_obligations (lot_id, key, status, evidence, updated_by, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (lot_id, key) DO UPDATE SET status = excluded.status, evidence = excluded.evidence,
               updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(lot.0)
        .bind(&r.key)
        .bind(r.status.key())
        .bind(&r.evidence)
        .bind(&r.updated_by)
        .bind(timestamp(r.updated_at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn board_facts(&mut self) -> Result<Vec<TupeLotFacts>> {
        board_facts_in(self.conn()).await
    }
}

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

fn meta(r: &sqlx::sqlite::SqliteRow) -> StaffListMeta {
    StaffListMeta {
        id: StaffListId(r.get("id")),
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

/// Everything the pipeline board needs to count overdue obligations, for every lot with a
/// transfer planned, in five queries whatever the number of lots.
async fn board_facts_in(conn: &mut SqliteConnection) -> Result<Vec<TupeLotFacts>> {
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
