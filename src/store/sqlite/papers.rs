//! Decision papers: versioned drafts and the generated PDFs.
use sqlx::Row;

use super::rows::instant;
use crate::domain::audit::timestamp;
use crate::domain::ids::{LotId, PaperId};
use crate::domain::paper::{Edition, PaperDocument, PaperDraft, PaperKind, SavedDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{NewPaperDocument, WriteCtx};

fn kind_of(s: &str) -> Result<PaperKind> {
    PaperKind::parse(s).map_err(|_| Error::new(ErrorCode::Storage, "unknown paper kind stored"))
}

fn saved(r: &sqlx::sqlite::SqliteRow) -> Result<SavedDraft> {
    let text: String = r.get("draft");
    let draft: PaperDraft = serde_json::from_str(&text).map_err(|e| {
        tracing::error!(error = %e, "stored paper draft unreadable");
        Error::new(
            ErrorCode::Storage,
            "a stored paper draft could not be read (see the log for details)",
        )
    })?;
    Ok(SavedDraft {
        version: r.get::<i64, _>("version") as u32,
        draft,
        saved_by: r.get("saved_by"),
        saved_at: instant(r.get::<String, _>("saved_at").as_str()),
    })
}

macro_rules! doc_columns {
    () => {
        "id, lot_id, kind, number, draft_version, edition, sha256, pages, length(bytes) AS size, generated_by, generated_at"
    };
}

fn document(r: &sqlx::sqlite::SqliteRow) -> Result<PaperDocument> {
    Ok(PaperDocument {
        id: PaperId(r.get("id")),
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

#[async_trait::async_trait]
impl crate::store::PapersStore for super::SqliteTx {
    async fn drafts(&mut self, lot: LotId, kind: PaperKind) -> Result<Vec<SavedDraft>> {
        sqlx::query(
            "SELECT version, draft, saved_by, saved_at FROM paper_drafts
             WHERE lot_id = ? AND kind = ? ORDER BY version DESC",
        )
        .bind(lot.0)
        .bind(kind.key())
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(saved)
        .collect()
    }

    async fn insert_draft(
        &mut self,
        lot: LotId,
        kind: PaperKind,
        version: u32,
        draft: &PaperDraft,
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO paper_drafts (lot_id, kind, version, draft, saved_by, saved_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(lot.0)
        .bind(kind.key())
        .bind(i64::from(version))
        .bind(serde_json::to_string(draft).expect("serialisable"))
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn documents(&mut self, lot: LotId) -> Result<Vec<PaperDocument>> {
        sqlx::query(concat!(
            "SELECT ",
            doc_columns!(),
            " FROM paper_documents WHERE lot_id = ? ORDER BY id DESC"
        ))
        .bind(lot.0)
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(document)
        .collect()
    }

    async fn document(&mut self, id: PaperId) -> Result<Option<PaperDocument>> {
        sqlx::query(concat!(
            "SELECT ",
            doc_columns!(),
            " FROM paper_documents WHERE id = ?"
        ))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        .as_ref()
        .map(document)
        .transpose()
    }

    async fn document_bytes(&mut self, id: PaperId) -> Result<Option<(PaperDocument, Vec<u8>)>> {
        let Some(row) = sqlx::query(concat!(
            "SELECT ",
            doc_columns!(),
            ", bytes FROM paper_documents WHERE id = ?"
        ))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((document(&row)?, row.get("bytes"))))
    }

    async fn insert_document(
        &mut self,
        lot: LotId,
        kind: PaperKind,
        number: u32,
        new: &NewPaperDocument,
        sha256: &str,
        w: &WriteCtx,
    ) -> Result<PaperId> {
        Ok(PaperId(sqlx::query_scalar(
            "INSERT INTO paper_documents (lot_id, kind, number, draft_version, edition, sha256, pages, bytes,
               generated_by, generated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(lot.0)
        .bind(kind.key())
        .bind(i64::from(number))
        .bind(i64::from(new.draft_version))
        .bind(new.edition.key())
        .bind(sha256)
        .bind(i64::from(new.pages))
        .bind(&new.bytes)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(self.conn())
        .await?))
    }
}
