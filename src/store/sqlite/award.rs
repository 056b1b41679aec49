//! The award: dates, the packs built for legal and legal's decisions, each write audited
//! against its lot.
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::rows::{instant, iso, opt_date, unreadable};
use super::{SqliteStore, audit, check_kept, ensure_lot};
use crate::domain::audit::timestamp;
use crate::domain::award::{
    AwardDates, AwardPack, AwardRegime, FurtherDecision, FurtherDecisionKind, PackComment,
    PackDecision, PackManifest, PackReview, PackStatus, Representation, StandstillRecords,
    pack_status,
};
use crate::domain::ids::LotId;
use crate::error::{Error, Result};
use crate::store::{NewAwardPack, WriteCtx};

pub async fn dates_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Option<AwardDates>> {
    let Some(r) = sqlx::query(
        "SELECT regime, voluntary_standstill, notice_published, contract_signed FROM awards WHERE lot_id = ?",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(AwardDates {
        regime: AwardRegime::parse(r.get::<String, _>("regime").as_str())
            .map_err(|_| unreadable("award regime"))?,
        voluntary_standstill: r.get::<i64, _>("voluntary_standstill") == 1,
        notice_published: opt_date(r.get::<Option<String>, _>("notice_published").as_deref())?,
        contract_signed: opt_date(r.get::<Option<String>, _>("contract_signed").as_deref())?,
    }))
}

pub async fn dates(pool: &SqlitePool, lot: LotId) -> Result<Option<AwardDates>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    dates_in(&mut conn, lot).await
}

pub async fn set_dates(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    d: AwardDates,
) -> Result<AwardDates> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let before = dates_in(&mut tx, lot).await?;
    if before.as_ref() == Some(&d) {
        return Ok(d);
    }
    sqlx::query(
        "INSERT INTO awards (lot_id, regime, voluntary_standstill, notice_published, contract_signed, updated_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (lot_id) DO UPDATE SET regime = excluded.regime,
           voluntary_standstill = excluded.voluntary_standstill, notice_published = excluded.notice_published,
           contract_signed = excluded.contract_signed, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(lot.0)
    .bind(d.regime.key())
    .bind(d.voluntary_standstill as i64)
    .bind(d.notice_published.map(iso))
    .bind(d.contract_signed.map(iso))
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await?;
    // The signature is also the lot's `contract_signed` milestone: the notices' deadlines
    // count from it (s53(1)). Written in the same transaction, so the two never differ.
    if let Some(signed) = d.contract_signed {
        sqlx::query(
            "INSERT INTO milestones (lot_id, key, title, planned, actual) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (lot_id, key) DO UPDATE SET planned = excluded.planned, actual = excluded.actual",
        )
        .bind(lot.0)
        .bind(crate::domain::milestone::CONTRACT_SIGNED)
        .bind(crate::domain::milestone::standard_title(crate::domain::milestone::CONTRACT_SIGNED))
        .bind(iso(signed))
        .bind(iso(signed))
        .execute(&mut *tx)
        .await?;
    }
    audit::append(
        &mut tx,
        w,
        "award.dates_set",
        "lot",
        Some(lot.0),
        before.as_ref(),
        Some(&d),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

const PACK_COLUMNS: &str =
    "p.id, p.lot_id, p.number, p.sha256, p.pages, p.manifest, p.built_by, p.built_at,
    r.decision, r.comments, r.reviewed_by, r.reviewed_at
    FROM award_packs p LEFT JOIN pack_reviews r ON r.pack_id = p.id";

fn pack(r: &sqlx::sqlite::SqliteRow) -> Result<AwardPack> {
    let manifest: PackManifest = serde_json::from_str(r.get::<String, _>("manifest").as_str())
        .map_err(|_| unreadable("award pack manifest"))?;
    let review = match r.get::<Option<String>, _>("decision") {
        None => None,
        Some(d) => Some(PackReview {
            decision: PackDecision::parse(&d).map_err(|_| unreadable("review decision"))?,
            comments: serde_json::from_str::<Vec<PackComment>>(
                r.get::<String, _>("comments").as_str(),
            )
            .map_err(|_| unreadable("review comment"))?,
            by: r.get("reviewed_by"),
            at: instant(r.get::<String, _>("reviewed_at").as_str()),
        }),
    };
    Ok(AwardPack {
        id: r.get("id"),
        lot_id: LotId(r.get("lot_id")),
        number: r.get::<i64, _>("number") as u32,
        sha256: r.get("sha256"),
        pages: r.get::<i64, _>("pages") as u32,
        built_by: r.get("built_by"),
        built_at: instant(r.get::<String, _>("built_at").as_str()),
        manifest,
        review,
    })
}

async fn packs_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Vec<AwardPack>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PACK_COLUMNS} WHERE p.lot_id = ? ORDER BY p.number DESC"
    )))
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(pack)
    .collect()
}

pub async fn packs(pool: &SqlitePool, lot: LotId) -> Result<Vec<AwardPack>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    packs_in(&mut conn, lot).await
}

/// The status of the lot's newest pack, inside the caller's transaction.
pub async fn status_in(conn: &mut SqliteConnection, lot: LotId) -> Result<PackStatus> {
    Ok(pack_status(&packs_in(conn, lot).await?))
}

pub async fn record_pack(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    new: NewAwardPack,
) -> Result<AwardPack> {
    let sha256 = hex::encode(Sha256::digest(&new.bytes));
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let manifest = serde_json::to_string(&new.manifest).expect("serialisable");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO award_packs (lot_id, number, sha256, pages, manifest, bytes, built_by, built_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(lot.0)
    .bind(new.number as i64)
    .bind(&sha256)
    .bind(new.pages as i64)
    .bind(&manifest)
    .bind(&new.bytes)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.message().contains("UNIQUE") => Error::conflict(format!(
            "award pack {} was kept by someone else meanwhile: build the pack again",
            new.number
        )),
        other => other.into(),
    })?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PACK_COLUMNS} WHERE p.id = ?"
    )))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let out = pack(&row)?;
    audit::append(
        &mut tx,
        w,
        "award.pack_built",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(
            &serde_json::json!({"pack": out.number, "sha256": out.sha256, "pages": out.pages,
                                 "manifest": out.manifest.entries}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// A kept pack and its bytes, checked against its stored SHA-256.
pub async fn pack_bytes(pool: &SqlitePool, id: i64) -> Result<(AwardPack, Vec<u8>)> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT p.bytes, {PACK_COLUMNS} WHERE p.id = ?"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found(format!("award pack {id}")))?;
    let out = pack(&row)?;
    let bytes: Vec<u8> = row.get("bytes");
    check_kept(&bytes, &out.sha256, &format!("award pack {id}"))?;
    Ok((out, bytes))
}

pub async fn pack_by_hash(pool: &SqlitePool, sha256: &str) -> Result<Option<AwardPack>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PACK_COLUMNS} WHERE p.sha256 = ?"
    )))
    .bind(sha256)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(pack)
    .transpose()
}

pub async fn review(
    s: &SqliteStore,
    w: &WriteCtx,
    pack_id: i64,
    decision: PackDecision,
    comments: Vec<PackComment>,
) -> Result<AwardPack> {
    let mut tx = s.write().await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PACK_COLUMNS} WHERE p.id = ?"
    )))
    .bind(pack_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found(format!("award pack {pack_id}")))?;
    let p = pack(&row)?;
    if let Some(r) = &p.review {
        return Err(Error::conflict(format!(
            "award pack {} was already {} by {}; a decision is kept as it was made",
            p.number,
            r.decision.key(),
            r.by
        )));
    }
    let newest: i64 = sqlx::query_scalar("SELECT max(number) FROM award_packs WHERE lot_id = ?")
        .bind(p.lot_id.0)
        .fetch_one(&mut *tx)
        .await?;
    if newest != p.number as i64 {
        return Err(Error::conflict(format!(
            "award pack {} has been replaced by pack {newest}; review the newest pack",
            p.number
        )));
    }
    sqlx::query(
        "INSERT INTO pack_reviews (pack_id, decision, comments, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(pack_id)
    .bind(decision.key())
    .bind(serde_json::to_string(&comments).expect("serialisable"))
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        w,
        match decision {
            PackDecision::Approved => "award.pack_approved",
            PackDecision::Returned => "award.pack_returned",
        },
        "lot",
        Some(p.lot_id.0),
        None::<&()>,
        Some(&serde_json::json!({"pack": p.number, "sha256": p.sha256, "comments": comments})),
    )
    .await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PACK_COLUMNS} WHERE p.id = ?"
    )))
    .bind(pack_id)
    .fetch_one(&mut *tx)
    .await?;
    let out = pack(&row)?;
    tx.commit().await?;
    Ok(out)
}

/// The representations and further decisions of a PSR standstill, oldest first.
pub async fn standstill_records_in(
    conn: &mut SqliteConnection,
    lot: LotId,
) -> Result<StandstillRecords> {
    let reps = sqlx::query(
        "SELECT id, received_on, provider, summary, recorded_by FROM psr_representations
         WHERE lot_id = ? ORDER BY received_on, id",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Representation {
            id: r.get(0),
            received_on: super::rows::date(r.get::<&str, _>(1))?,
            provider: r.get(2),
            summary: r.get(3),
            recorded_by: r.get(4),
            out_of_time: false,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let decisions = sqlx::query(
        "SELECT id, communicated_on, decision, reasons, recorded_by FROM psr_further_decisions
         WHERE lot_id = ? ORDER BY communicated_on, id",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(FurtherDecision {
            id: r.get(0),
            communicated_on: super::rows::date(r.get::<&str, _>(1))?,
            decision: FurtherDecisionKind::parse(r.get::<&str, _>(2))
                .map_err(|_| unreadable("further decision"))?,
            reasons: r.get(3),
            recorded_by: r.get(4),
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(StandstillRecords {
        representations: reps,
        further_decisions: decisions,
    })
}

pub async fn standstill_records(pool: &SqlitePool, lot: LotId) -> Result<StandstillRecords> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    standstill_records_in(&mut conn, lot).await
}

pub async fn add_representation(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    received_on: chrono::NaiveDate,
    provider: &str,
    summary: &str,
) -> Result<()> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO psr_representations (lot_id, received_on, provider, summary, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(lot.0)
    .bind(iso(received_on))
    .bind(provider)
    .bind(summary)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({"lotId": lot, "id": id, "receivedOn": iso(received_on),
        "provider": provider, "summary": summary});
    audit::added_to_lot(&mut tx, w, "award.representation_recorded", lot, &after).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_further_decision(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    communicated_on: chrono::NaiveDate,
    decision: FurtherDecisionKind,
    reasons: &str,
) -> Result<()> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO psr_further_decisions (lot_id, communicated_on, decision, reasons, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(lot.0)
    .bind(iso(communicated_on))
    .bind(decision.key())
    .bind(reasons)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({"lotId": lot, "id": id, "communicatedOn": iso(communicated_on),
        "decision": decision.key(), "reasons": reasons});
    audit::added_to_lot(&mut tx, w, "award.further_decision_recorded", lot, &after).await?;
    tx.commit().await?;
    Ok(())
}
