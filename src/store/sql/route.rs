//! Route to market records: the route, conflicts assessments, the Section 75 checklist and
//! the notices published, each write audited against its lot.
use super::Conn;
use super::rows::decode;
use super::rows::{Day, Flag, Instant};
use sqlx::FromRow;

use super::rows::timestamp;
use super::rows::{date, instant, iso, unreadable};
use crate::domain::ids::LotId;
use crate::domain::route::conflicts::ConflictsAssessment;
use crate::domain::route::notices::{NoticeKind, PublishedNotice};
use crate::domain::route::{Authority, ContractKind, Route, RouteChoice};
use crate::error::Result;
use crate::store::{NewConflictsAssessment, WriteCtx};

#[derive(FromRow)]
struct RouteRow {
    route: String,
    reason: String,
    justification: Option<String>,
    authority: String,
    kind: String,
    vat_chargeable: Flag,
    electronic: Flag,
    documents_with_notice: Flag,
    urgency: Option<String>,
    decided_by: String,
    decided_at: Instant,
}

impl TryFrom<RouteRow> for RouteChoice {
    type Error = crate::error::Error;
    fn try_from(r: RouteRow) -> Result<Self> {
        Ok(RouteChoice {
            route: Route::parse(&r.route).map_err(|_| unreadable("route"))?,
            reason: r.reason,
            justification: r.justification,
            authority: Authority::parse(&r.authority).map_err(|_| unreadable("authority"))?,
            kind: ContractKind::parse(&r.kind).map_err(|_| unreadable("contract kind"))?,
            vat_chargeable: super::rows::flag(r.vat_chargeable),
            electronic: super::rows::flag(r.electronic),
            documents_with_notice: super::rows::flag(r.documents_with_notice),
            urgency: r.urgency,
            decided_by: r.decided_by,
            decided_at: instant(&r.decided_at),
        })
    }
}

#[derive(FromRow)]
struct ConflictsRow {
    id: i64,
    assessed_on: Day,
    scope: String,
    findings: String,
    mitigations: String,
    recorded_by: String,
    recorded_at: Instant,
}

impl TryFrom<ConflictsRow> for ConflictsAssessment {
    type Error = crate::error::Error;
    fn try_from(r: ConflictsRow) -> Result<Self> {
        Ok(ConflictsAssessment {
            id: r.id,
            assessed_on: date(&r.assessed_on)?,
            scope: r.scope,
            findings: r.findings,
            mitigations: r.mitigations,
            recorded_by: r.recorded_by,
            recorded_at: instant(&r.recorded_at),
        })
    }
}

#[derive(FromRow)]
struct NoticeRow {
    kind: String,
    published_on: Day,
    reference: String,
    recorded_by: String,
}

impl TryFrom<NoticeRow> for PublishedNotice {
    type Error = crate::error::Error;
    fn try_from(r: NoticeRow) -> Result<Self> {
        Ok(PublishedNotice {
            kind: NoticeKind::parse(&r.kind).map_err(|_| unreadable("notice"))?,
            published_on: date(&r.published_on)?,
            reference: r.reference,
            recorded_by: r.recorded_by,
        })
    }
}

async fn route_in(conn: &mut Conn, lot: LotId) -> Result<Option<RouteChoice>> {
    sqlx::query_as::<_, RouteRow>(
        "SELECT route, reason, justification, authority, kind, vat_chargeable,
                electronic, documents_with_notice, urgency, decided_by, decided_at
         FROM lot_routes WHERE lot_id = $1",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(RouteChoice::try_from)
    .transpose()
}

async fn conflicts_in(conn: &mut Conn, lot: LotId) -> Result<Vec<ConflictsAssessment>> {
    decode::<ConflictsRow>(
        sqlx::query(
            "SELECT id, assessed_on, scope, findings, mitigations, recorded_by, recorded_at
         FROM conflicts_assessments WHERE lot_id = $1 ORDER BY id DESC",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(ConflictsAssessment::try_from)
    .collect()
}

async fn notices_in(conn: &mut Conn, lot: LotId) -> Result<Vec<PublishedNotice>> {
    decode::<NoticeRow>(
        sqlx::query(
            "SELECT kind, published_on, reference, recorded_by FROM lot_notices WHERE lot_id = $1",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(PublishedNotice::try_from)
    .collect()
}

#[async_trait::async_trait]
impl crate::store::RouteStore for super::BackendTx {
    async fn route(&mut self, lot: LotId) -> Result<Option<RouteChoice>> {
        route_in(self.conn(), lot).await
    }

    async fn conflicts(&mut self, lot: LotId) -> Result<Vec<ConflictsAssessment>> {
        conflicts_in(self.conn(), lot).await
    }

    async fn section75(&mut self, lot: LotId) -> Result<Vec<(String, bool, String)>> {
        decode(
            sqlx::query("SELECT item, agreed, note FROM section75_items WHERE lot_id = $1")
                .bind(lot.0)
                .fetch_all(self.conn())
                .await?,
        )
    }

    async fn notices(&mut self, lot: LotId) -> Result<Vec<PublishedNotice>> {
        notices_in(self.conn(), lot).await
    }

    async fn set_route(&mut self, lot: LotId, c: &RouteChoice, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO lot_routes (lot_id, route, reason, justification, authority, kind, vat_chargeable,
                electronic_with_documents, reduced_period, electronic, documents_with_notice, urgency,
                decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, $9, $10, $11, $12, $13)
             ON CONFLICT (lot_id) DO UPDATE SET route = excluded.route, reason = excluded.reason,
               justification = excluded.justification, authority = excluded.authority, kind = excluded.kind,
               vat_chargeable = excluded.vat_chargeable,
               electronic_with_documents = excluded.electronic_with_documents,
               reduced_period = FALSE, electronic = excluded.electronic,
               documents_with_notice = excluded.documents_with_notice, urgency = excluded.urgency,
               decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        )
        .bind(lot.0)
        .bind(c.route.key())
        .bind(&c.reason)
        .bind(&c.justification)
        .bind(c.authority.key())
        .bind(c.kind.key())
        .bind(c.vat_chargeable)
        // The columns before issue 17, kept filled for older readers of the file.
        .bind(c.electronic && c.documents_with_notice)
        .bind(c.electronic)
        .bind(c.documents_with_notice)
        .bind(&c.urgency)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn insert_conflicts(
        &mut self,
        lot: LotId,
        a: &NewConflictsAssessment,
        w: &WriteCtx,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO conflicts_assessments (lot_id, assessed_on, scope, findings, mitigations, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(lot.0)
        .bind(iso(a.assessed_on))
        .bind(&a.scope)
        .bind(&a.findings)
        .bind(&a.mitigations)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(self.conn())
        .await?)
    }

    async fn set_section75_item(
        &mut self,
        lot: LotId,
        item: &str,
        agreed: bool,
        note: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO section75_items (lot_id, item, agreed, note) VALUES ($1, $2, $3, $4)
             ON CONFLICT (lot_id, item) DO UPDATE SET agreed = excluded.agreed, note = excluded.note",
        )
        .bind(lot.0)
        .bind(item)
        .bind(agreed)
        .bind(note)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn publish_notice(
        &mut self,
        lot: LotId,
        n: &PublishedNotice,
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO lot_notices (lot_id, kind, published_on, reference, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (lot_id, kind) DO UPDATE SET published_on = excluded.published_on,
               reference = excluded.reference, recorded_by = excluded.recorded_by,
               recorded_at = excluded.recorded_at",
        )
        .bind(lot.0)
        .bind(n.kind.key())
        .bind(iso(n.published_on))
        .bind(&n.reference)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
