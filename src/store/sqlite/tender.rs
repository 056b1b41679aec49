//! The tender: the specification version it references (written as the lot enters the
//! stage), clarification questions and answers, and the bid receipt log.
use sqlx::{Row, SqliteConnection};

use super::rows::{date, instant, iso, opt_date, unreadable};
use crate::domain::audit::timestamp;
use crate::domain::ids::{BidId, LotId};
use crate::domain::money::Money;
use crate::domain::tender::{BidReceipt, Clarification, LateDecision, TenderOpened, TenderRecords};
use crate::error::Result;
use crate::store::{NewBidReceipt, NewClarification, WriteCtx};

const RECEIVED_FORMAT: &str = "%Y-%m-%dT%H:%M";

#[async_trait::async_trait]
impl crate::store::TenderStore for super::SqliteTx {
    async fn records(&mut self, lot: LotId) -> Result<TenderRecords> {
        records_in(self.conn(), lot).await
    }

    async fn open(&mut self, lot: LotId, spec_version: u32, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO lot_tenders (lot_id, spec_version_id, opened_by, opened_at)
             SELECT lot_id, id, ?, ? FROM spec_versions WHERE lot_id = ? AND version = ?
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
        sqlx::query("UPDATE lot_tenders SET closing_time = ? WHERE lot_id = ?")
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
             VALUES (?, ?, ?, ?, ?, ?, ?)",
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
            "UPDATE clarifications SET answer = ?, published_on = ? WHERE lot_id = ? AND number = ?",
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
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
            "UPDATE bid_receipts SET decision = ?, decision_reason = ?, decided_by = ? WHERE id = ?",
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
            "UPDATE bid_receipts SET bid_id = ? WHERE id = ? AND lot_id = ? AND bid_id IS NULL",
        )
        .bind(bid.0)
        .bind(receipt)
        .bind(lot.0)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

async fn opened_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Option<TenderOpened>> {
    let row = sqlx::query(
        "SELECT v.version, t.closing_time, t.opened_by, t.opened_at FROM lot_tenders t
         JOIN spec_versions v ON v.id = t.spec_version_id WHERE t.lot_id = ?",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| TenderOpened {
        spec_version: r.get::<i64, _>(0) as u32,
        closing_time: r.get(1),
        opened_by: r.get(2),
        opened_at: instant(r.get::<&str, _>(3)),
    }))
}

async fn records_in(conn: &mut SqliteConnection, lot: LotId) -> Result<TenderRecords> {
    let clarifications = sqlx::query(
        "SELECT number, received_on, asked_by, question, answer, published_on, recorded_by
         FROM clarifications WHERE lot_id = ? ORDER BY number",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Clarification {
            number: r.get::<i64, _>(0) as u32,
            received_on: date(r.get::<&str, _>(1))?,
            asked_by: r.get(2),
            question: r.get(3),
            answer: r.get(4),
            published_on: opt_date(r.get::<Option<&str>, _>(5))?,
            recorded_by: r.get(6),
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let receipts = sqlx::query(
        "SELECT id, supplier, registration_number, members, price_pence, received_at, decision,
                decision_reason, decided_by, bid_id, recorded_by
         FROM bid_receipts WHERE lot_id = ? ORDER BY received_at, id",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(BidReceipt {
            id: r.get(0),
            supplier: r.get(1),
            registration_number: r.get(2),
            members: r.get(3),
            price: Money::from_pence(r.get(4)),
            received_at: chrono::NaiveDateTime::parse_from_str(
                r.get::<&str, _>(5),
                RECEIVED_FORMAT,
            )
            .map_err(|_| unreadable("receipt time"))?,
            decision: r
                .get::<Option<&str>, _>(6)
                .map(LateDecision::parse)
                .transpose()
                .map_err(|_| unreadable("late bid decision"))?,
            decision_reason: r.get(7),
            decided_by: r.get(8),
            bid_id: r.get(9),
            recorded_by: r.get(10),
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(TenderRecords {
        opened: opened_in(conn, lot).await?,
        clarifications,
        receipts,
    })
}
