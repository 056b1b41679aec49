//! The award: dates, the packs built for legal and legal's decisions, each write audited
//! against its lot.
use sqlx::{Row, SqliteConnection};

use super::rows::{instant, iso, opt_date, unreadable};
use crate::domain::audit::timestamp;
use crate::domain::award::{
    AwardDates, AwardPack, AwardRegime, FurtherDecision, FurtherDecisionKind, PackComment,
    PackDecision, PackManifest, PackReview, Representation, StandstillRecords,
};
use crate::domain::ids::{LotId, PackId};
use crate::error::Result;
use crate::store::{NewAwardPack, WriteCtx};

#[async_trait::async_trait]
impl crate::store::AwardStore for super::SqliteTx {
    async fn dates(&mut self, lot: LotId) -> Result<Option<AwardDates>> {
        dates_in(self.conn(), lot).await
    }

    async fn set_dates(&mut self, lot: LotId, d: &AwardDates, w: &WriteCtx) -> Result<()> {
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
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn packs(&mut self, lot: LotId) -> Result<Vec<AwardPack>> {
        packs_in(self.conn(), lot).await
    }

    async fn pack(&mut self, id: PackId) -> Result<Option<AwardPack>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PACK_COLUMNS} WHERE p.id = ?"
        )))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        .as_ref()
        .map(pack)
        .transpose()
    }

    async fn pack_bytes(&mut self, id: PackId) -> Result<Option<(AwardPack, Vec<u8>)>> {
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.bytes, {PACK_COLUMNS} WHERE p.id = ?"
        )))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((pack(&row)?, row.get("bytes"))))
    }

    async fn pack_by_hash(&mut self, sha256: &str) -> Result<Option<AwardPack>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PACK_COLUMNS} WHERE p.sha256 = ?"
        )))
        .bind(sha256)
        .fetch_optional(self.conn())
        .await?
        .as_ref()
        .map(pack)
        .transpose()
    }

    async fn insert_pack(
        &mut self,
        lot: LotId,
        new: &NewAwardPack,
        sha256: &str,
        w: &WriteCtx,
    ) -> Result<PackId> {
        let manifest = serde_json::to_string(&new.manifest).expect("serialisable");
        Ok(PackId(sqlx::query_scalar(
            "INSERT INTO award_packs (lot_id, number, sha256, pages, manifest, bytes, built_by, built_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(lot.0)
        .bind(new.number as i64)
        .bind(sha256)
        .bind(new.pages as i64)
        .bind(&manifest)
        .bind(&new.bytes)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(self.conn())
        .await?))
    }

    async fn insert_review(
        &mut self,
        pack: PackId,
        decision: PackDecision,
        comments: &[PackComment],
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO pack_reviews (pack_id, decision, comments, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(pack.0)
        .bind(decision.key())
        .bind(serde_json::to_string(comments).expect("serialisable"))
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn standstill_records(&mut self, lot: LotId) -> Result<StandstillRecords> {
        standstill_records_in(self.conn(), lot).await
    }

    async fn insert_representation(
        &mut self,
        lot: LotId,
        received_on: chrono::NaiveDate,
        provider: &str,
        summary: &str,
        w: &WriteCtx,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO psr_representations (lot_id, received_on, provider, summary, recorded_by, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(lot.0)
        .bind(iso(received_on))
        .bind(provider)
        .bind(summary)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(self.conn())
        .await?)
    }

    async fn insert_further_decision(
        &mut self,
        lot: LotId,
        communicated_on: chrono::NaiveDate,
        decision: FurtherDecisionKind,
        reasons: &str,
        w: &WriteCtx,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO psr_further_decisions (lot_id, communicated_on, decision, reasons, recorded_by, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(lot.0)
        .bind(iso(communicated_on))
        .bind(decision.key())
        .bind(reasons)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(self.conn())
        .await?)
    }
}

async fn dates_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Option<AwardDates>> {
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
        id: PackId(r.get("id")),
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

/// The representations and further decisions of a PSR standstill, oldest first.
async fn standstill_records_in(
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
