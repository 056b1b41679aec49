//! The tender: the specification version it references (written as the lot enters the
//! stage), clarification questions and answers, and the bid receipt log.
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::rows::{date, instant, iso, opt_date, unreadable};
use super::{SqliteStore, audit, ensure_lot};
use crate::domain::audit::timestamp;
use crate::domain::ids::LotId;
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::domain::tender::{BidReceipt, Clarification, LateDecision, TenderOpened, TenderRecords};
use crate::error::{Error, Result};
use crate::store::{NewBid, NewBidReceipt, NewClarification, WriteCtx};

const RECEIVED_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Called in the transaction that moves the lot into the tender stage, after its gate
/// passed (so an approved version exists).
pub(super) async fn open_in(conn: &mut SqliteConnection, w: &WriteCtx, lot: LotId) -> Result<()> {
    let (version_id, version) = super::spec::approved_in(conn, lot)
        .await?
        .ok_or_else(|| Error::conflict("the tender needs an approved specification"))?;
    sqlx::query(
        "INSERT INTO lot_tenders (lot_id, spec_version_id, opened_by, opened_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (lot_id) DO UPDATE SET spec_version_id = excluded.spec_version_id,
           opened_by = excluded.opened_by, opened_at = excluded.opened_at",
    )
    .bind(lot.0)
    .bind(version_id)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *conn)
    .await?;
    audit::added_to_lot(
        conn,
        w,
        "tender.opened",
        lot,
        &serde_json::json!({"specificationVersion": version}),
    )
    .await
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

pub async fn records(pool: &SqlitePool, lot: LotId) -> Result<TenderRecords> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
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
        opened: opened_in(&mut conn, lot).await?,
        clarifications,
        receipts,
    })
}

/// Clarifications and receipts belong to a lot at the tender stage (decisions and the
/// hand-over to evaluation may follow into the evaluation stage).
async fn at_stage(
    conn: &mut SqliteConnection,
    lot: LotId,
    allowed: &[Stage],
    what: &str,
) -> Result<()> {
    let st = super::lot_stage(conn, lot).await?;
    if allowed.contains(&st) {
        return Ok(());
    }
    Err(Error::conflict(format!(
        "{what} only while the lot is at the tender stage; it is at {}",
        st.label().to_lowercase()
    )))
}

pub async fn set_closing_time(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    time: String,
) -> Result<()> {
    let mut tx = s.write().await?;
    at_stage(
        &mut tx,
        lot,
        &[Stage::Tender],
        "the closing time can be changed",
    )
    .await?;
    let before = opened_in(&mut tx, lot).await?.map(|o| o.closing_time);
    sqlx::query("UPDATE lot_tenders SET closing_time = ? WHERE lot_id = ?")
        .bind(&time)
        .bind(lot.0)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "tender.closing_time_set",
        "lot",
        Some(lot.0),
        before
            .map(|b| serde_json::json!({"closingTime": b}))
            .as_ref(),
        Some(&serde_json::json!({"closingTime": time})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_clarification(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    c: NewClarification,
) -> Result<u32> {
    let mut tx = s.write().await?;
    at_stage(
        &mut tx,
        lot,
        &[Stage::Tender],
        "clarification questions can be recorded",
    )
    .await?;
    let number: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(number), 0) + 1 FROM clarifications WHERE lot_id = ?",
    )
    .bind(lot.0)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO clarifications (lot_id, number, received_on, asked_by, question, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(lot.0)
    .bind(number)
    .bind(iso(c.received_on))
    .bind(&c.asked_by)
    .bind(&c.question)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"number": number, "receivedOn": c.received_on, "askedBy": c.asked_by, "question": c.question});
    audit::added_to_lot(&mut tx, w, "tender.clarification_received", lot, &after).await?;
    tx.commit().await?;
    Ok(number as u32)
}

pub async fn publish_clarification(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    number: u32,
    answer: String,
    published_on: chrono::NaiveDate,
) -> Result<()> {
    let mut tx = s.write().await?;
    at_stage(
        &mut tx,
        lot,
        &[Stage::Tender],
        "clarifications can be answered",
    )
    .await?;
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT received_on, published_on FROM clarifications WHERE lot_id = ? AND number = ?",
    )
    .bind(lot.0)
    .bind(i64::from(number))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((received, published)) = row else {
        return Err(Error::validation(
            "number",
            format!("lot {lot} has no clarification question CQ{number}"),
        ));
    };
    if published.is_some() {
        return Err(Error::conflict(format!(
            "CQ{number} has already been answered and published; publish a further clarification to add to it"
        )));
    }
    let received = date(&received)?;
    if published_on < received {
        return Err(Error::validation(
            "publishedOn",
            format!(
                "the answer cannot be published before the question was received ({})",
                crate::domain::dates::long(received)
            ),
        ));
    }
    sqlx::query(
        "UPDATE clarifications SET answer = ?, published_on = ? WHERE lot_id = ? AND number = ?",
    )
    .bind(&answer)
    .bind(iso(published_on))
    .bind(lot.0)
    .bind(i64::from(number))
    .execute(&mut *tx)
    .await?;
    let after =
        serde_json::json!({"number": number, "answer": answer, "publishedOn": published_on});
    audit::added_to_lot(&mut tx, w, "tender.clarification_published", lot, &after).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn record_receipt(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    r: NewBidReceipt,
) -> Result<()> {
    let mut tx = s.write().await?;
    at_stage(
        &mut tx,
        lot,
        &[Stage::Tender],
        "bids can be logged as received",
    )
    .await?;
    let clash: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM bid_receipts WHERE lot_id = ? AND lower(supplier) = lower(?)",
    )
    .bind(lot.0)
    .bind(&r.supplier)
    .fetch_optional(&mut *tx)
    .await?;
    if clash.is_some() {
        return Err(Error::validation(
            "supplier",
            format!(
                "a bid from {} is already in the receipt log for this lot",
                r.supplier
            ),
        ));
    }
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
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"supplier": r.supplier, "receivedAt": r.received_at.format(RECEIVED_FORMAT).to_string(), "price": r.price});
    audit::added_to_lot(&mut tx, w, "tender.bid_received", lot, &after).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn decide_late(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    receipt: i64,
    decision: LateDecision,
    reason: String,
) -> Result<()> {
    let mut tx = s.write().await?;
    at_stage(
        &mut tx,
        lot,
        &[Stage::Tender, Stage::Evaluation],
        "a late bid can be decided",
    )
    .await?;
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT supplier, decision FROM bid_receipts WHERE id = ? AND lot_id = ?")
            .bind(receipt)
            .bind(lot.0)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((supplier, before)) = row else {
        return Err(Error::not_found(format!(
            "bid receipt {receipt} on lot {lot}"
        )));
    };
    if before.is_some() {
        return Err(Error::conflict(format!(
            "the decision on {supplier}’s late bid is already recorded"
        )));
    }
    sqlx::query(
        "UPDATE bid_receipts SET decision = ?, decision_reason = ?, decided_by = ? WHERE id = ?",
    )
    .bind(decision.key())
    .bind(&reason)
    .bind(&w.actor)
    .bind(receipt)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"supplier": supplier, "decision": decision, "reason": reason});
    audit::added_to_lot(&mut tx, w, "tender.late_bid_decided", lot, &after).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn send_to_evaluation(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    bids: Vec<(i64, NewBid)>,
) -> Result<usize> {
    let mut tx = s.write().await?;
    at_stage(
        &mut tx,
        lot,
        &[Stage::Tender, Stage::Evaluation],
        "bids can be passed to evaluation",
    )
    .await?;
    let (receipts, new): (Vec<i64>, Vec<NewBid>) = bids.into_iter().unzip();
    let ids = super::eval::import_bids_in(&mut tx, w, new).await?;
    for (receipt, bid) in receipts.iter().zip(&ids) {
        let done = sqlx::query(
            "UPDATE bid_receipts SET bid_id = ? WHERE id = ? AND lot_id = ? AND bid_id IS NULL",
        )
        .bind(bid)
        .bind(receipt)
        .bind(lot.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(Error::conflict(format!(
                "bid receipt {receipt} has already been passed to evaluation"
            )));
        }
    }
    audit::added_to_lot(
        &mut tx,
        w,
        "tender.bids_to_evaluation",
        lot,
        &serde_json::json!({"receipts": receipts, "bids": ids}),
    )
    .await?;
    tx.commit().await?;
    Ok(ids.len())
}
