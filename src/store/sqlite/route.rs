//! Route to market records: the route, conflicts assessments, the Section 75 checklist and
//! the notices published, each write audited against its lot.
use sqlx::{Row, SqliteConnection};

use super::rows::{date, instant, iso, unreadable};
use crate::domain::audit::timestamp;
use crate::domain::ids::LotId;
use crate::domain::route::conflicts::ConflictsAssessment;
use crate::domain::route::notices::{NoticeKind, PublishedNotice};
use crate::domain::route::{Authority, ContractKind, Route, RouteChoice};
use crate::error::Result;
use crate::store::{NewConflictsAssessment, WriteCtx};

async fn route_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Option<RouteChoice>> {
    let Some(r) = sqlx::query(
        "SELECT route, reason, justification, authority, kind, vat_chargeable,
                electronic, documents_with_notice, urgency, decided_by, decided_at
         FROM lot_routes WHERE lot_id = ?",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(RouteChoice {
        route: Route::parse(r.get::<&str, _>(0)).map_err(|_| unreadable("route"))?,
        reason: r.get(1),
        justification: r.get(2),
        authority: Authority::parse(r.get::<&str, _>(3)).map_err(|_| unreadable("authority"))?,
        kind: ContractKind::parse(r.get::<&str, _>(4)).map_err(|_| unreadable("contract kind"))?,
        vat_chargeable: r.get::<i64, _>(5) == 1,
        electronic: r.get::<i64, _>(6) == 1,
        documents_with_notice: r.get::<i64, _>(7) == 1,
        urgency: r.get(8),
        decided_by: r.get(9),
        decided_at: instant(r.get::<&str, _>(10)),
    }))
}

async fn conflicts_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Vec<ConflictsAssessment>> {
    let rows = sqlx::query(
        "SELECT id, assessed_on, scope, findings, mitigations, recorded_by, recorded_at
         FROM conflicts_assessments WHERE lot_id = ? ORDER BY id DESC",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ConflictsAssessment {
                id: r.get(0),
                assessed_on: date(r.get::<&str, _>(1))?,
                scope: r.get(2),
                findings: r.get(3),
                mitigations: r.get(4),
                recorded_by: r.get(5),
                recorded_at: instant(r.get::<&str, _>(6)),
            })
        })
        .collect()
}

async fn notices_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Vec<PublishedNotice>> {
    let rows = sqlx::query(
        "SELECT kind, published_on, reference, recorded_by FROM lot_notices WHERE lot_id = ?",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PublishedNotice {
                kind: NoticeKind::parse(r.get::<&str, _>(0)).map_err(|_| unreadable("notice"))?,
                published_on: date(r.get::<&str, _>(1))?,
                reference: r.get(2),
                recorded_by: r.get(3),
            })
        })
        .collect()
}

#[async_trait::async_trait]
impl crate::store::RouteStore for super::SqliteTx {
    async fn route(&mut self, lot: LotId) -> Result<Option<RouteChoice>> {
        route_in(self.conn(), lot).await
    }

    async fn conflicts(&mut self, lot: LotId) -> Result<Vec<ConflictsAssessment>> {
        conflicts_in(self.conn(), lot).await
    }

    async fn section75(&mut self, lot: LotId) -> Result<Vec<(String, bool, String)>> {
        let rows: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT item, agreed, note FROM section75_items WHERE lot_id = ?")
                .bind(lot.0)
                .fetch_all(self.conn())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(item, agreed, note)| (item, agreed == 1, note))
            .collect())
    }

    async fn notices(&mut self, lot: LotId) -> Result<Vec<PublishedNotice>> {
        notices_in(self.conn(), lot).await
    }

    async fn set_route(&mut self, lot: LotId, c: &RouteChoice, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO lot_routes (lot_id, route, reason, justification, authority, kind, vat_chargeable,
                electronic_with_documents, reduced_period, electronic, documents_with_notice, urgency,
                decided_by, decided_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
             ON CONFLICT (lot_id) DO UPDATE SET route = excluded.route, reason = excluded.reason,
               justification = excluded.justification, authority = excluded.authority, kind = excluded.kind,
               vat_chargeable = excluded.vat_chargeable,
               electronic_with_documents = excluded.electronic_with_documents,
               reduced_period = 0, electronic = excluded.electronic,
               documents_with_notice = excluded.documents_with_notice, urgency = excluded.urgency,
               decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        )
        .bind(lot.0)
        .bind(c.route.key())
        .bind(&c.reason)
        .bind(&c.justification)
        .bind(c.authority.key())
        .bind(c.kind.key())
        .bind(i64::from(c.vat_chargeable))
        // The columns before issue 17, kept filled for older readers of the file.
        .bind(i64::from(c.electronic && c.documents_with_notice))
        .bind(i64::from(c.electronic))
        .bind(i64::from(c.documents_with_notice))
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
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
            "INSERT INTO section75_items (lot_id, item, agreed, note) VALUES (?, ?, ?, ?)
             ON CONFLICT (lot_id, item) DO UPDATE SET agreed = excluded.agreed, note = excluded.note",
        )
        .bind(lot.0)
        .bind(item)
        .bind(i64::from(agreed))
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
             VALUES (?, ?, ?, ?, ?, ?)
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
