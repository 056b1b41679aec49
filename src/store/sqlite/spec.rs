//! Specification versions, their sections and comments. A version is written once and
//! changes once more only to be approved; the triggers in migration 0009 hold to that.
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::rows::{date, instant, iso, unreadable};
use super::{SqliteStore, audit, ensure_lot};
use crate::domain::audit::timestamp;
use crate::domain::ids::LotId;
use crate::domain::spec::{CommentSource, SpecComment, SpecSection, SpecVersion};
use crate::domain::stage::Stage;
use crate::error::{Error, Result};
use crate::store::{NewSpecComment, WriteCtx};

async fn versions_in(conn: &mut SqliteConnection, lot: LotId) -> Result<Vec<SpecVersion>> {
    let rows = sqlx::query(
        "SELECT id, version, note, saved_by, saved_at, approved_by, approved_at FROM spec_versions
         WHERE lot_id = ? ORDER BY version",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?;
    let sections = sqlx::query(
        "SELECT s.version_id, s.position, s.heading, s.body FROM spec_sections s
         JOIN spec_versions v ON v.id = s.version_id WHERE v.lot_id = ? ORDER BY s.version_id, s.position",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            SpecVersion {
                version: r.get::<i64, _>(1) as u32,
                note: r.get(2),
                saved_by: r.get(3),
                saved_at: instant(r.get::<&str, _>(4)),
                approved_by: r.get(5),
                approved_at: r.get::<Option<&str>, _>(6).map(instant),
                sections: sections
                    .iter()
                    .filter(|s| s.get::<i64, _>(0) == id)
                    .map(|s| SpecSection {
                        position: s.get::<i64, _>(1) as u32,
                        heading: s.get(2),
                        body: s.get(3),
                    })
                    .collect(),
            }
        })
        .collect())
}

/// The newest approved version, which the tender stage references.
pub(super) async fn approved_in(
    conn: &mut SqliteConnection,
    lot: LotId,
) -> Result<Option<(i64, u32)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, version FROM spec_versions WHERE lot_id = ? AND approved_at IS NOT NULL
         ORDER BY version DESC LIMIT 1",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id, v)| (id, v as u32)))
}

pub async fn versions(pool: &SqlitePool, lot: LotId) -> Result<Vec<SpecVersion>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    versions_in(&mut conn, lot).await
}

/// The specification may change only before the tender notice; after it, by clarification.
async fn still_open(conn: &mut SqliteConnection, lot: LotId, what: &str) -> Result<()> {
    let st = super::lot_stage(conn, lot).await?;
    if matches!(st, Stage::MarketEngagement | Stage::DraftSpecification) {
        return Ok(());
    }
    Err(Error::conflict(format!(
        "the specification cannot {what} at the {} stage: the tender references its approved version, and later changes are made by clarification",
        st.label().to_lowercase()
    )))
}

pub async fn save_version(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    note: String,
    sections: Vec<SpecSection>,
) -> Result<u32> {
    let mut tx = s.write().await?;
    still_open(&mut tx, lot, "be changed").await?;
    let next: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(version), 0) + 1 FROM spec_versions WHERE lot_id = ?",
    )
    .bind(lot.0)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO spec_versions (lot_id, version, note, saved_by, saved_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(lot.0)
    .bind(next)
    .bind(&note)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .fetch_one(&mut *tx)
    .await?;
    // Many rows to a statement: a long specification is one round trip per 500 sections.
    for chunk in sections.chunks(500) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO spec_sections (version_id, position, heading, body) ",
        );
        q.push_values(chunk, |mut b, sec| {
            b.push_bind(id)
                .push_bind(i64::from(sec.position))
                .push_bind(&sec.heading)
                .push_bind(&sec.body);
        });
        q.build().execute(&mut *tx).await?;
    }
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    let after = serde_json::json!({"version": next, "note": note, "sections": headings});
    audit::added_to_lot(&mut tx, w, "spec.version_saved", lot, &after).await?;
    tx.commit().await?;
    Ok(next as u32)
}

pub async fn approve(s: &SqliteStore, w: &WriteCtx, lot: LotId, version: u32) -> Result<()> {
    let mut tx = s.write().await?;
    still_open(&mut tx, lot, "be approved").await?;
    let newest: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT version, approved_at FROM spec_versions WHERE lot_id = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(lot.0)
    .fetch_optional(&mut *tx)
    .await?;
    match newest {
        None => {
            return Err(Error::validation(
                "version",
                "no specification has been saved for this lot yet",
            ));
        }
        Some((n, _)) if n != i64::from(version) => {
            return Err(Error::validation(
                "version",
                format!(
                    "only the newest version, version {n}, can be approved (asked for version {version})"
                ),
            ));
        }
        Some((_, Some(_))) => {
            return Err(Error::conflict(format!(
                "version {version} is already approved"
            )));
        }
        Some(_) => {}
    }
    sqlx::query("UPDATE spec_versions SET approved_by = ?, approved_at = ? WHERE lot_id = ? AND version = ?")
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .bind(lot.0)
        .bind(i64::from(version))
        .execute(&mut *tx)
        .await?;
    audit::added_to_lot(
        &mut tx,
        w,
        "spec.version_approved",
        lot,
        &serde_json::json!({"version": version}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn comments(pool: &SqlitePool, lot: LotId) -> Result<Vec<SpecComment>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    let rows = sqlx::query(
        "SELECT c.id, v.version, c.position, s.heading, c.source, c.author, c.organisation, c.comment,
                c.received_on, c.response, c.recorded_by
         FROM spec_comments c
         JOIN spec_versions v ON v.id = c.version_id
         JOIN spec_sections s ON s.version_id = c.version_id AND s.position = c.position
         WHERE v.lot_id = ? ORDER BY c.id",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SpecComment {
                id: r.get(0),
                version: r.get::<i64, _>(1) as u32,
                position: r.get::<i64, _>(2) as u32,
                heading: r.get(3),
                source: CommentSource::parse(r.get::<&str, _>(4))
                    .map_err(|_| unreadable("comment source"))?,
                author: r.get(5),
                organisation: r.get(6),
                comment: r.get(7),
                received_on: date(r.get::<&str, _>(8))?,
                response: r.get(9),
                recorded_by: r.get(10),
            })
        })
        .collect()
}

pub async fn add_comment(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    c: NewSpecComment,
) -> Result<()> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let version_id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM spec_versions WHERE lot_id = ? AND version = ?")
            .bind(lot.0)
            .bind(i64::from(c.version))
            .fetch_optional(&mut *tx)
            .await?;
    let version_id = version_id.ok_or_else(|| {
        Error::validation(
            "version",
            format!("this lot has no specification version {}", c.version),
        )
    })?;
    let heading: Option<String> = sqlx::query_scalar(
        "SELECT heading FROM spec_sections WHERE version_id = ? AND position = ?",
    )
    .bind(version_id)
    .bind(i64::from(c.position))
    .fetch_optional(&mut *tx)
    .await?;
    let heading = heading.ok_or_else(|| {
        Error::validation(
            "section",
            format!("version {} has no section {}", c.version, c.position),
        )
    })?;
    sqlx::query(
        "INSERT INTO spec_comments (version_id, position, source, author, organisation, comment, received_on, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(version_id)
    .bind(i64::from(c.position))
    .bind(c.source.key())
    .bind(&c.author)
    .bind(&c.organisation)
    .bind(&c.comment)
    .bind(iso(c.received_on))
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"version": c.version, "section": heading, "source": c.source, "author": c.author, "organisation": c.organisation});
    audit::added_to_lot(&mut tx, w, "spec.comment_recorded", lot, &after).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn respond(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    comment: i64,
    response: String,
) -> Result<()> {
    let mut tx = s.write().await?;
    let before: Option<String> = sqlx::query_scalar(
        "SELECT c.response FROM spec_comments c JOIN spec_versions v ON v.id = c.version_id
         WHERE c.id = ? AND v.lot_id = ?",
    )
    .bind(comment)
    .bind(lot.0)
    .fetch_optional(&mut *tx)
    .await?;
    let before =
        before.ok_or_else(|| Error::not_found(format!("comment {comment} on lot {lot}")))?;
    sqlx::query("UPDATE spec_comments SET response = ? WHERE id = ?")
        .bind(&response)
        .bind(comment)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "spec.comment_answered",
        "lot",
        Some(lot.0),
        Some(&serde_json::json!({"commentId": comment, "response": before})),
        Some(&serde_json::json!({"commentId": comment, "response": response})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
