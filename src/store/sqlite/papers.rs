//! Decision papers: versioned drafts and the generated PDFs, each write audited against its lot.
use sha2::{Digest, Sha256};
use sqlx::{Row, SqlitePool};

use super::{SqliteStore, audit, check_kept, ensure_lot};
use crate::domain::audit::timestamp;
use crate::domain::ids::LotId;
use crate::domain::paper::{Edition, PaperDocument, PaperDraft, PaperKind, SavedDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{NewPaperDocument, WriteCtx};

use super::rows::instant;

fn kind_of(s: &str) -> Result<PaperKind> {
    PaperKind::parse(s).map_err(|_| Error::new(ErrorCode::Storage, "unknown paper kind stored"))
}

fn saved(r: &sqlx::sqlite::SqliteRow) -> Result<SavedDraft> {
    let text: String = r.get("draft");
    let draft: PaperDraft = serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorCode::Storage,
            format!("a stored paper draft could not be read: {e}"),
        )
    })?;
    Ok(SavedDraft {
        version: r.get::<i64, _>("version") as u32,
        draft,
        saved_by: r.get("saved_by"),
        saved_at: instant(r.get::<String, _>("saved_at").as_str()),
    })
}

pub async fn drafts(pool: &SqlitePool, lot: LotId, kind: PaperKind) -> Result<Vec<SavedDraft>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    sqlx::query(
        "SELECT version, draft, saved_by, saved_at FROM paper_drafts
         WHERE lot_id = ? AND kind = ? ORDER BY version DESC",
    )
    .bind(lot.0)
    .bind(kind.key())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(saved)
    .collect()
}

/// Saves a new version unless the draft is the same as the latest one.
pub async fn save_draft(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    kind: PaperKind,
    draft: PaperDraft,
) -> Result<SavedDraft> {
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let latest = sqlx::query(
        "SELECT version, draft, saved_by, saved_at FROM paper_drafts
         WHERE lot_id = ? AND kind = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(lot.0)
    .bind(kind.key())
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| saved(&r))
    .transpose()?;
    if let Some(l) = &latest
        && l.draft == draft
    {
        return Ok(l.clone());
    }
    let version = latest.as_ref().map(|l| l.version + 1).unwrap_or(1);
    let text = serde_json::to_string(&draft).expect("serialisable");
    sqlx::query(
        "INSERT INTO paper_drafts (lot_id, kind, version, draft, saved_by, saved_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(lot.0)
    .bind(kind.key())
    .bind(version as i64)
    .bind(&text)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .execute(&mut *tx)
    .await?;
    #[derive(serde::Serialize)]
    struct Ev<'a> {
        kind: &'a str,
        version: u32,
        draft: &'a PaperDraft,
    }
    audit::append(
        &mut tx,
        w,
        "paper.draft_saved",
        "lot",
        Some(lot.0),
        latest
            .as_ref()
            .map(|l| Ev {
                kind: kind.key(),
                version: l.version,
                draft: &l.draft,
            })
            .as_ref(),
        Some(&Ev {
            kind: kind.key(),
            version,
            draft: &draft,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(SavedDraft {
        version,
        draft,
        saved_by: w.actor.clone(),
        saved_at: crate::domain::audit::truncate(w.at),
    })
}

macro_rules! doc_columns {
    () => {
        "id, lot_id, kind, number, draft_version, edition, sha256, pages, length(bytes) AS size, generated_by, generated_at"
    };
}

fn document(r: &sqlx::sqlite::SqliteRow) -> Result<PaperDocument> {
    Ok(PaperDocument {
        id: r.get("id"),
        lot_id: LotId(r.get("lot_id")),
        kind: kind_of(r.get::<String, _>("kind").as_str())?,
        number: r.get::<i64, _>("number") as u32,
        draft_version: r.get::<i64, _>("draft_version") as u32,
        edition: Edition::parse(r.get::<String, _>("edition").as_str())?,
        sha256: r.get("sha256"),
        pages: r.get::<i64, _>("pages") as u32,
        size_bytes: r.get::<i64, _>("size") as u32,
        generated_by: r.get("generated_by"),
        generated_at: instant(r.get::<String, _>("generated_at").as_str()),
    })
}

pub async fn record_document(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    kind: PaperKind,
    new: NewPaperDocument,
) -> Result<PaperDocument> {
    let sha256 = hex::encode(Sha256::digest(&new.bytes));
    let mut tx = s.write().await?;
    ensure_lot(&mut tx, lot).await?;
    let number: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(number), 0) + 1 FROM paper_documents WHERE lot_id = ? AND kind = ?",
    )
    .bind(lot.0)
    .bind(kind.key())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO paper_documents (lot_id, kind, number, draft_version, edition, sha256, pages, bytes,
           generated_by, generated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(lot.0)
    .bind(kind.key())
    .bind(number)
    .bind(new.draft_version as i64)
    .bind(new.edition.key())
    .bind(&sha256)
    .bind(new.pages as i64)
    .bind(&new.bytes)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.message().contains("FOREIGN KEY") => Error::validation(
            "draftVersion",
            format!("there is no saved draft version {}", new.draft_version),
        ),
        other => other.into(),
    })?;
    let row = sqlx::query(concat!(
        "SELECT ",
        doc_columns!(),
        " FROM paper_documents WHERE id = ?"
    ))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let doc = document(&row)?;
    audit::append(
        &mut tx,
        w,
        "paper.generated",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&doc),
    )
    .await?;
    tx.commit().await?;
    Ok(doc)
}

pub async fn documents(pool: &SqlitePool, lot: LotId) -> Result<Vec<PaperDocument>> {
    let mut conn = pool.acquire().await?;
    ensure_lot(&mut conn, lot).await?;
    sqlx::query(concat!(
        "SELECT ",
        doc_columns!(),
        " FROM paper_documents WHERE lot_id = ? ORDER BY id DESC"
    ))
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(document)
    .collect()
}

pub async fn document_bytes(pool: &SqlitePool, id: i64) -> Result<(PaperDocument, Vec<u8>)> {
    let row = sqlx::query(concat!(
        "SELECT ",
        doc_columns!(),
        ", bytes FROM paper_documents WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found(format!("generated paper {id}")))?;
    let doc = document(&row)?;
    let bytes: Vec<u8> = row.get("bytes");
    check_kept(&bytes, &doc.sha256, &format!("generated paper {id}"))?;
    Ok((doc, bytes))
}
