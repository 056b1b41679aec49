//! Route to market records: the route, conflicts assessments, the Section 75 checklist and
//! the notices published, each write audited against its lot.
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::rows::{date, instant, iso, unreadable};
use super::{SqliteStore, audit, ensure_lot};
use crate::domain::audit::timestamp;
use crate::domain::ids::LotId;
use crate::domain::lot::Lot;
use crate::domain::route::conflicts::ConflictsAssessment;
use crate::domain::route::notices::{NoticeKind, PublishedNotice};
use crate::domain::route::{
    self, Authority, ContractKind, LotValueFacts, Route, RouteChoice, assess,
};
use crate::error::{Error, Result};
use crate::store::{NewConflictsAssessment, RouteRecords, WriteCtx};

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

pub async fn records(pool: &SqlitePool, lot: LotId) -> Result<RouteRecords> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    let section75 = sqlx::query("SELECT item, agreed, note FROM section75_items WHERE lot_id = ?")
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            (
                r.get::<String, _>(0),
                r.get::<i64, _>(1) == 1,
                r.get::<String, _>(2),
            )
        })
        .collect();
    Ok(RouteRecords {
        route: route_in(&mut conn, lot).await?,
        conflicts: conflicts_in(&mut conn, lot).await?,
        section75,
        notices: notices_in(&mut conn, lot).await?,
        approved_spec: super::spec::approved_in(&mut conn, lot)
            .await?
            .map(|(_, v)| v),
    })
}

pub async fn set_route(s: &SqliteStore, w: &WriteCtx, lot: LotId, c: RouteChoice) -> Result<()> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let before = route_in(&mut tx, lot).await?;
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
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        w,
        "route.set",
        "lot",
        Some(lot.0),
        before.as_ref(),
        Some(&c),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn record_conflicts(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    a: NewConflictsAssessment,
) -> Result<i64> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let id: i64 = sqlx::query_scalar(
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
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({"lotId": lot, "assessedOn": iso(a.assessed_on), "scope": a.scope,
        "findings": a.findings, "mitigations": a.mitigations});
    audit::append(
        &mut tx,
        w,
        "conflicts.assessed",
        "conflicts_assessment",
        Some(id),
        None::<&serde_json::Value>,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_section75_item(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    item: &str,
    agreed: bool,
    note: &str,
) -> Result<()> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    sqlx::query(
        "INSERT INTO section75_items (lot_id, item, agreed, note) VALUES (?, ?, ?, ?)
         ON CONFLICT (lot_id, item) DO UPDATE SET agreed = excluded.agreed, note = excluded.note",
    )
    .bind(lot.0)
    .bind(item)
    .bind(i64::from(agreed))
    .bind(note)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"lotId": lot, "item": item, "agreed": agreed, "note": note});
    audit::append(
        &mut tx,
        w,
        "section75.item_set",
        "lot",
        Some(lot.0),
        None::<&serde_json::Value>,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a notice as published. A notice inviting tenders is refused, inside the same
/// transaction, until a conflicts assessment is on record (Procurement Act 2023, s83).
pub async fn publish_notice(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    n: PublishedNotice,
) -> Result<()> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    if n.kind.opens_competition() && conflicts_in(&mut tx, lot).await?.is_empty() {
        return Err(Error::validation(
            "notice",
            format!(
                "the {} cannot be published before a conflicts assessment is recorded for the lot",
                n.kind.title().to_lowercase()
            ),
        ));
    }
    let before = notices_in(&mut tx, lot)
        .await?
        .into_iter()
        .find(|p| p.kind == n.kind);
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
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        w,
        "notice.published",
        "lot",
        Some(lot.0),
        before.as_ref(),
        Some(&n),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The tender gate's facts, read in the transaction that moves the lot.
pub async fn tender_gate_in(
    conn: &mut SqliteConnection,
    lot: &Lot,
    today: chrono::NaiveDate,
) -> Result<Vec<String>> {
    let choice = route_in(conn, lot.id).await?;
    let conflicts = !conflicts_in(conn, lot.id).await?.is_empty();
    let held = super::engagement::held_in(conn, lot.id, today).await?;
    let published = notices_in(conn, lot.id).await?;
    let assessment = choice.map(|c| assess(c, &LotValueFacts::of(lot, today, held, &published)));
    let spec = super::spec::approved_in(conn, lot.id)
        .await?
        .map(|(_, v)| v);
    Ok(route::tender_gate(
        assessment.as_ref(),
        conflicts,
        spec,
        route::tender_dates(lot),
    ))
}
