//! The award: dates, the packs built for legal and legal's decisions, each write audited
//! against its lot.
use super::Conn;
use super::rows::decode;
use super::rows::{Day, Flag, Instant};
use sqlx::FromRow;

use super::rows::timestamp;
use super::rows::{instant, iso, opt_date, unreadable};
use crate::domain::award::{
    AwardDates, AwardPack, AwardRegime, FurtherDecision, FurtherDecisionKind, PackComment,
    PackDecision, PackManifest, PackReview, Representation, StandstillRecords,
};
use crate::domain::ids::{LotId, PackId};
use crate::error::Result;
use crate::store::{NewAwardPack, WriteCtx};

#[async_trait::async_trait]
impl crate::store::AwardStore for super::BackendTx {
    async fn dates(&mut self, lot: LotId) -> Result<Option<AwardDates>> {
        dates_in(self.conn(), lot).await
    }

    async fn set_dates(&mut self, lot: LotId, d: &AwardDates, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO awards (lot_id, regime, voluntary_standstill, notice_published, contract_signed, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (lot_id) DO UPDATE SET regime = excluded.regime,
               voluntary_standstill = excluded.voluntary_standstill, notice_published = excluded.notice_published,
               contract_signed = excluded.contract_signed, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(lot.0)
        .bind(d.regime.key())
        .bind(d.voluntary_standstill)
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
        sqlx::query_as::<_, PackRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {PACK_COLUMNS} WHERE p.id = $1"
        )))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        .map(AwardPack::try_from)
        .transpose()
    }

    async fn pack_bytes(&mut self, id: PackId) -> Result<Option<(AwardPack, Vec<u8>)>> {
        let Some(row) = sqlx::query_as::<_, PackBytesRow>(sqlx::AssertSqlSafe(format!(
            "SELECT p.bytes, {PACK_COLUMNS} WHERE p.id = $1"
        )))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((row.pack.try_into()?, row.bytes)))
    }

    async fn pack_by_hash(&mut self, sha256: &str) -> Result<Option<AwardPack>> {
        sqlx::query_as::<_, PackRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {PACK_COLUMNS} WHERE p.sha256 = $1"
        )))
        .bind(sha256)
        .fetch_optional(self.conn())
        .await?
        .map(AwardPack::try_from)
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
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
            "INSERT INTO pack_reviews (pack_id, decision, comments, reviewed_by, reviewed_at) VALUES ($1, $2, $3, $4, $5)",
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
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
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
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
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

#[derive(FromRow)]
struct DatesRow {
    regime: String,
    voluntary_standstill: Flag,
    notice_published: Option<Day>,
    contract_signed: Option<Day>,
}

impl TryFrom<DatesRow> for AwardDates {
    type Error = crate::error::Error;
    fn try_from(r: DatesRow) -> Result<Self> {
        Ok(AwardDates {
            regime: AwardRegime::parse(&r.regime).map_err(|_| unreadable("award regime"))?,
            voluntary_standstill: super::rows::flag(r.voluntary_standstill),
            notice_published: opt_date(r.notice_published)?,
            contract_signed: opt_date(r.contract_signed)?,
        })
    }
}

async fn dates_in(conn: &mut Conn, lot: LotId) -> Result<Option<AwardDates>> {
    sqlx::query_as::<_, DatesRow>(
        "SELECT regime, voluntary_standstill, notice_published, contract_signed FROM awards WHERE lot_id = $1",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(AwardDates::try_from)
    .transpose()
}

const PACK_COLUMNS: &str =
    "p.id, p.lot_id, p.number, p.sha256, p.pages, p.manifest, p.built_by, p.built_at,
    r.decision, r.comments, r.reviewed_by, r.reviewed_at
    FROM award_packs p LEFT JOIN pack_reviews r ON r.pack_id = p.id";

/// A pack with legal's review when there is one (the review's columns are NULL until then).
#[derive(FromRow)]
struct PackRow {
    id: i64,
    lot_id: i64,
    number: i64,
    sha256: String,
    pages: i64,
    manifest: String,
    built_by: String,
    built_at: Instant,
    decision: Option<String>,
    comments: Option<String>,
    reviewed_by: Option<String>,
    reviewed_at: Option<Instant>,
}

#[derive(FromRow)]
struct PackBytesRow {
    bytes: Vec<u8>,
    #[sqlx(flatten)]
    pack: PackRow,
}

impl TryFrom<PackRow> for AwardPack {
    type Error = crate::error::Error;
    fn try_from(r: PackRow) -> Result<Self> {
        let manifest: PackManifest =
            serde_json::from_str(&r.manifest).map_err(|_| unreadable("award pack manifest"))?;
        let review = match r.decision {
            None => None,
            Some(d) => Some(PackReview {
                decision: PackDecision::parse(&d).map_err(|_| unreadable("review decision"))?,
                comments: serde_json::from_str::<Vec<PackComment>>(
                    r.comments.as_deref().unwrap_or("[]"),
                )
                .map_err(|_| unreadable("review comment"))?,
                by: r.reviewed_by.unwrap_or_default(),
                at: super::rows::opt_instant(r.reviewed_at),
            }),
        };
        Ok(AwardPack {
            id: PackId(r.id),
            lot_id: LotId(r.lot_id),
            number: r.number as u32,
            sha256: r.sha256,
            pages: r.pages as u32,
            built_by: r.built_by,
            built_at: instant(&r.built_at),
            manifest,
            review,
        })
    }
}

async fn packs_in(conn: &mut Conn, lot: LotId) -> Result<Vec<AwardPack>> {
    decode::<PackRow>(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PACK_COLUMNS} WHERE p.lot_id = $1 ORDER BY p.number DESC"
        )))
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(AwardPack::try_from)
    .collect()
}

#[derive(FromRow)]
struct RepresentationRow {
    id: i64,
    received_on: Day,
    provider: String,
    summary: String,
    recorded_by: String,
}

#[derive(FromRow)]
struct FurtherDecisionRow {
    id: i64,
    communicated_on: Day,
    decision: String,
    reasons: String,
    recorded_by: String,
}

/// The representations and further decisions of a PSR standstill, oldest first.
async fn standstill_records_in(conn: &mut Conn, lot: LotId) -> Result<StandstillRecords> {
    let representations = decode::<RepresentationRow>(
        sqlx::query(
            "SELECT id, received_on, provider, summary, recorded_by FROM psr_representations
         WHERE lot_id = $1 ORDER BY received_on, id",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(|r| {
        Ok(Representation {
            id: r.id,
            received_on: super::rows::date(&r.received_on)?,
            provider: r.provider,
            summary: r.summary,
            recorded_by: r.recorded_by,
            out_of_time: false,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let further_decisions = decode::<FurtherDecisionRow>(
        sqlx::query(
            "SELECT id, communicated_on, decision, reasons, recorded_by FROM psr_further_decisions
         WHERE lot_id = $1 ORDER BY communicated_on, id",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(|r| {
        Ok(FurtherDecision {
            id: r.id,
            communicated_on: super::rows::date(&r.communicated_on)?,
            decision: FurtherDecisionKind::parse(&r.decision)
                .map_err(|_| unreadable("further decision"))?,
            reasons: r.reasons,
            recorded_by: r.recorded_by,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(StandstillRecords {
        representations,
        further_decisions,
    })
}
