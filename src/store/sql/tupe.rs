//! TUPE: the transfer plan, the staff lists kept version by version, and the officer's record
//! against each obligation, each write audited against its lot.
use super::Conn;
use super::rows::decode;
use super::rows::{Day, Flag, Instant};
use rust_decimal::Decimal;
use sqlx::FromRow;
use std::str::FromStr;

use super::rows::timestamp;
use super::rows::{date, instant, iso, unreadable};
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
impl crate::store::TupeStore for super::BackendTx {
    async fn plan(&mut self, lot: LotId) -> Result<Option<TupePlan>> {
        plan_in(self.conn(), lot).await
    }

    async fn set_plan(&mut self, lot: LotId, p: &TupePlan, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO tupe_plans (lot_id, transfer_date, outgoing, incoming, assessment, notes, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
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
        Ok(decode::<MetaRow>(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {LIST_COLUMNS} WHERE l.lot_id = $1 ORDER BY l.version DESC"
            )))
            .bind(lot.0)
            .fetch_all(self.conn())
            .await?,
        )?
        .into_iter()
        .map(StaffListMeta::from)
        .collect())
    }

    async fn staff(&mut self, list: StaffListId) -> Result<Vec<StaffMember>> {
        decode::<PersonRow>(sqlx::query(
            "SELECT reference, role, grade, annual_pay, fte, hours, contract_type, service_start,
                    pension, location, assigned
             FROM tupe_staff WHERE list_id = $1 ORDER BY position",
        )
        .bind(list.0)
        .fetch_all(self.conn())
        .await?)?
        .into_iter()
        .map(StaffMember::try_from)
        .collect()
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
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
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
            .bind(p.assigned)
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
             VALUES ($1, $2, $3, $4, $5, $6)
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

#[derive(FromRow)]
struct PlanRow {
    transfer_date: Day,
    outgoing: String,
    incoming: String,
    assessment: String,
    notes: String,
}

impl TryFrom<PlanRow> for TupePlan {
    type Error = crate::error::Error;
    fn try_from(r: PlanRow) -> Result<Self> {
        Ok(TupePlan {
            transfer_date: date(&r.transfer_date)?,
            outgoing: r.outgoing,
            incoming: r.incoming,
            assessment: SpcAssessment::parse(&r.assessment)
                .map_err(|_| unreadable("TUPE assessment"))?,
            notes: r.notes,
        })
    }
}

#[derive(FromRow)]
struct LotPlanRow {
    lot_id: i64,
    #[sqlx(flatten)]
    plan: PlanRow,
}

#[derive(FromRow)]
struct MetaRow {
    id: i64,
    version: i64,
    file_name: String,
    imported_by: String,
    imported_at: Instant,
    rows: i64,
}

impl From<MetaRow> for StaffListMeta {
    fn from(r: MetaRow) -> Self {
        StaffListMeta {
            id: StaffListId(r.id),
            version: r.version as u32,
            file_name: r.file_name,
            rows: r.rows as u32,
            imported_by: r.imported_by,
            imported_at: instant(&r.imported_at),
        }
    }
}

#[derive(FromRow)]
struct LotMetaRow {
    lot_id: i64,
    #[sqlx(flatten)]
    meta: MetaRow,
}

const LIST_COLUMNS: &str = "l.id, l.version, l.file_name, l.imported_by, l.imported_at,
    (SELECT count(*) FROM tupe_staff s WHERE s.list_id = l.id) AS rows
    FROM tupe_staff_lists l";

#[derive(FromRow)]
struct PersonRow {
    reference: String,
    role: String,
    grade: String,
    annual_pay: i64,
    fte: String,
    hours: String,
    contract_type: String,
    service_start: Day,
    pension: String,
    location: String,
    assigned: Flag,
}

impl TryFrom<PersonRow> for StaffMember {
    type Error = crate::error::Error;
    fn try_from(r: PersonRow) -> Result<Self> {
        let dec = |v: &str| Decimal::from_str(v).map_err(|_| unreadable("staff FTE or hours"));
        Ok(StaffMember {
            fte: dec(&r.fte)?,
            hours: dec(&r.hours)?,
            contract_type: ContractType::parse(&r.contract_type)
                .map_err(|_| unreadable("contract type"))?,
            service_start: date(&r.service_start)?,
            pension: PensionScheme::parse(&r.pension).map_err(|_| unreadable("pension scheme"))?,
            annual_pay: Money::from_pence(r.annual_pay),
            assigned: super::rows::flag(r.assigned),
            reference: r.reference,
            role: r.role,
            grade: r.grade,
            location: r.location,
        })
    }
}

#[derive(FromRow)]
struct RecordRow {
    key: String,
    status: String,
    evidence: String,
    updated_by: String,
    updated_at: Instant,
}

impl TryFrom<RecordRow> for ObligationRecord {
    type Error = crate::error::Error;
    fn try_from(r: RecordRow) -> Result<Self> {
        Ok(ObligationRecord {
            status: ObligationStatus::parse(&r.status)
                .map_err(|_| unreadable("obligation status"))?,
            key: r.key,
            evidence: r.evidence,
            updated_by: r.updated_by,
            updated_at: instant(&r.updated_at),
        })
    }
}

#[derive(FromRow)]
struct LotRecordRow {
    lot_id: i64,
    #[sqlx(flatten)]
    record: RecordRow,
}

async fn plan_in(conn: &mut Conn, lot: LotId) -> Result<Option<TupePlan>> {
    sqlx::query_as::<_, PlanRow>(
        "SELECT transfer_date, outgoing, incoming, assessment, notes FROM tupe_plans WHERE lot_id = $1",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(TupePlan::try_from)
    .transpose()
}

async fn records_in(conn: &mut Conn, lot: LotId) -> Result<Vec<ObligationRecord>> {
    decode::<RecordRow>(sqlx::query(
        "SELECT key, status, evidence, updated_by, updated_at FROM tupe_obligations WHERE lot_id = $1 ORDER BY key",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?)?
    .into_iter()
    .map(ObligationRecord::try_from)
    .collect()
}

/// Everything the pipeline board needs to count overdue obligations, for every lot with a
/// transfer planned, in five queries whatever the number of lots.
async fn board_facts_in(conn: &mut Conn) -> Result<Vec<TupeLotFacts>> {
    let mut out = Vec::new();
    for r in decode::<LotPlanRow>(sqlx::query(
        "SELECT lot_id, transfer_date, outgoing, incoming, assessment, notes FROM tupe_plans ORDER BY lot_id",
    )
    .fetch_all(&mut *conn)
    .await?)?
    {
        out.push(TupeLotFacts {
            lot: LotId(r.lot_id),
            plan: r.plan.try_into()?,
            tender_notice: None,
            list: None,
            staff: StaffCounts::default(),
            records: Vec::new(),
        });
    }
    let at = |out: &mut Vec<TupeLotFacts>, lot: i64| out.iter_mut().position(|f| f.lot.0 == lot);
    let notices: Vec<(i64, Day)> = decode(
        sqlx::query(
            "SELECT m.lot_id, coalesce(m.actual, m.planned) AS d FROM milestones m
         JOIN tupe_plans p ON p.lot_id = m.lot_id WHERE m.key = 'tender_notice'",
        )
        .fetch_all(&mut *conn)
        .await?,
    )?;
    for (lot, d) in notices {
        if let Some(i) = at(&mut out, lot) {
            out[i].tender_notice = Some(date(&d)?);
        }
    }
    for r in decode::<LotMetaRow>(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT l.lot_id, {LIST_COLUMNS} WHERE l.version =
           (SELECT max(version) FROM tupe_staff_lists x WHERE x.lot_id = l.lot_id)"
        )))
        .fetch_all(&mut *conn)
        .await?,
    )? {
        if let Some(i) = at(&mut out, r.lot_id) {
            out[i].list = Some(r.meta.into());
        }
    }
    let counts: Vec<(i64, i64, i64, i64, i64)> = decode(sqlx::query(
        "WITH newest AS (
           SELECT l.id, l.lot_id FROM tupe_staff_lists l
           WHERE l.version = (SELECT max(version) FROM tupe_staff_lists x WHERE x.lot_id = l.lot_id))
         SELECT n.lot_id, count(*) FILTER (WHERE s.assigned) AS assigned,
                count(*) FILTER (WHERE s.assigned AND s.pension = 'lgps') AS lgps,
                count(*) FILTER (WHERE s.assigned AND s.pension = 'nhs-pension-scheme') AS nhs,
                count(*) FILTER (WHERE s.assigned AND s.pension = 'other') AS other
         FROM newest n JOIN tupe_staff s ON s.list_id = n.id GROUP BY n.lot_id",
    )
    .fetch_all(&mut *conn)
    .await?)?;
    for (lot, assigned, lgps, nhs, other) in counts {
        if let Some(i) = at(&mut out, lot) {
            out[i].staff = StaffCounts {
                assigned: assigned as u32,
                lgps: lgps as u32,
                nhs: nhs as u32,
                other: other as u32,
            };
        }
    }
    for r in decode::<LotRecordRow>(sqlx::query(
        "SELECT lot_id, key, status, evidence, updated_by, updated_at FROM tupe_obligations ORDER BY lot_id, key",
    )
    .fetch_all(&mut *conn)
    .await?)?
    {
        if let Some(i) = at(&mut out, r.lot_id) {
            out[i].records.push(r.record.try_into()?);
        }
    }
    Ok(out)
}
