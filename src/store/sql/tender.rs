//! The tender: the specification version it references (written as the lot enters the
//! stage), clarification questions and answers, and the bid receipt log.
use super::Conn;
use super::rows::decode;
use super::rows::{Day, Instant};
use sqlx::FromRow;

use super::rows::timestamp;
use super::rows::{date, instant, iso, opt_date, unreadable};
use crate::domain::ids::{BidId, LotId};
use crate::domain::money::Money;
use crate::domain::tender::{BidReceipt, Clarification, LateDecision, TenderOpened, TenderRecords};
use crate::error::Result;
use crate::store::{NewBidReceipt, NewClarification, WriteCtx};

const RECEIVED_FORMAT: &str = "%Y-%m-%dT%H:%M";

#[async_trait::async_trait]
impl crate::store::TenderStore for super::BackendTx {
    async fn records(&mut self, lot: LotId) -> Result<TenderRecords> {
        records_in(self.conn(), lot).await
    }

    async fn open(&mut self, lot: LotId, spec_version: u32, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO lot_tenders (lot_id, spec_version_id, opened_by, opened_at)
             SELECT lot_id, id, $1, $2 FROM spec_versions WHERE lot_id = $3 AND version = $4
             ON CONFLICT (lot_id) DO UPDATE SET spec_version_id = excluded.spec_version_id,
               opened_by = excluded.opened_by, opened_at = excluded.opened_at",
        )
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .bind(lot.0)
        .bind(i64::from(spec_version))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn set_closing_time(&mut self, lot: LotId, time: &str) -> Result<()> {
        sqlx::query("UPDATE lot_tenders SET closing_time = $1 WHERE lot_id = $2")
            .bind(time)
            .bind(lot.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn insert_clarification(
        &mut self,
        lot: LotId,
        number: u32,
        c: &NewClarification,
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO clarifications (lot_id, number, received_on, asked_by, question, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(lot.0)
        .bind(i64::from(number))
        .bind(iso(c.received_on))
        .bind(&c.asked_by)
        .bind(&c.question)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn publish_clarification(
        &mut self,
        lot: LotId,
        number: u32,
        answer: &str,
        published_on: chrono::NaiveDate,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE clarifications SET answer = $1, published_on = $2 WHERE lot_id = $3 AND number = $4",
        )
        .bind(answer)
        .bind(iso(published_on))
        .bind(lot.0)
        .bind(i64::from(number))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn insert_receipt(&mut self, lot: LotId, r: &NewBidReceipt, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO bid_receipts (lot_id, supplier, registration_number, members, price_pence, received_at, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(lot.0)
        .bind(&r.supplier)
        .bind(&r.registration_number)
        .bind(&r.members)
        .bind(r.price.pence())
        .bind(r.received_at.format(RECEIVED_FORMAT).to_string())
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn decide_late(
        &mut self,
        receipt: i64,
        decision: LateDecision,
        reason: &str,
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE bid_receipts SET decision = $1, decision_reason = $2, decided_by = $3 WHERE id = $4",
        )
        .bind(decision.key())
        .bind(reason)
        .bind(&w.actor)
        .bind(receipt)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn link_receipt(&mut self, lot: LotId, receipt: i64, bid: BidId) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE bid_receipts SET bid_id = $1 WHERE id = $2 AND lot_id = $3 AND bid_id IS NULL",
        )
        .bind(bid.0)
        .bind(receipt)
        .bind(lot.0)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[derive(FromRow)]
struct OpenedRow {
    version: i64,
    closing_time: String,
    opened_by: String,
    opened_at: Instant,
}

#[derive(FromRow)]
struct ClarificationRow {
    number: i64,
    received_on: Day,
    asked_by: String,
    question: String,
    answer: Option<String>,
    published_on: Option<Day>,
    recorded_by: String,
}

impl TryFrom<ClarificationRow> for Clarification {
    type Error = crate::error::Error;
    fn try_from(r: ClarificationRow) -> Result<Self> {
        Ok(Clarification {
            number: r.number as u32,
            received_on: date(&r.received_on)?,
            asked_by: r.asked_by,
            question: r.question,
            answer: r.answer,
            published_on: opt_date(r.published_on)?,
            recorded_by: r.recorded_by,
        })
    }
}

#[derive(FromRow)]
struct ReceiptRow {
    id: i64,
    supplier: String,
    registration_number: String,
    members: String,
    price_pence: i64,
    received_at: String,
    decision: Option<String>,
    decision_reason: Option<String>,
    decided_by: Option<String>,
    bid_id: Option<i64>,
    recorded_by: String,
}

impl TryFrom<ReceiptRow> for BidReceipt {
    type Error = crate::error::Error;
    fn try_from(r: ReceiptRow) -> Result<Self> {
        Ok(BidReceipt {
            id: r.id,
            supplier: r.supplier,
            registration_number: r.registration_number,
            members: r.members,
            price: Money::from_pence(r.price_pence),
            received_at: chrono::NaiveDateTime::parse_from_str(&r.received_at, RECEIVED_FORMAT)
                .map_err(|_| unreadable("receipt time"))?,
            decision: r
                .decision
                .as_deref()
                .map(LateDecision::parse)
                .transpose()
                .map_err(|_| unreadable("late bid decision"))?,
            decision_reason: r.decision_reason,
            decided_by: r.decided_by,
            bid_id: r.bid_id,
            recorded_by: r.recorded_by,
        })
    }
}

async fn opened_in(conn: &mut Conn, lot: LotId) -> Result<Option<TenderOpened>> {
    let row = sqlx::query_as::<_, OpenedRow>(
        "SELECT v.version, t.closing_time, t.opened_by, t.opened_at FROM lot_tenders t
         JOIN spec_versions v ON v.id = t.spec_version_id WHERE t.lot_id = $1",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| TenderOpened {
        spec_version: r.version as u32,
        closing_time: r.closing_time,
        opened_by: r.opened_by,
        opened_at: instant(&r.opened_at),
    }))
}

async fn records_in(conn: &mut Conn, lot: LotId) -> Result<TenderRecords> {
    let clarifications = decode::<ClarificationRow>(
        sqlx::query(
            "SELECT number, received_on, asked_by, question, answer, published_on, recorded_by
         FROM clarifications WHERE lot_id = $1 ORDER BY number",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(Clarification::try_from)
    .collect::<Result<Vec<_>>>()?;
    let receipts = decode::<ReceiptRow>(
        sqlx::query(
            "SELECT id, supplier, registration_number, members, price_pence, received_at, decision,
                decision_reason, decided_by, bid_id, recorded_by
         FROM bid_receipts WHERE lot_id = $1 ORDER BY received_at, id",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(BidReceipt::try_from)
    .collect::<Result<Vec<_>>>()?;
    Ok(TenderRecords {
        opened: opened_in(conn, lot).await?,
        clarifications,
        receipts,
    })
}
