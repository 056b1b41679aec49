//! Decision papers: versioned drafts and the generated PDFs.
use super::rows::Instant;
use super::rows::decode;
use sqlx::FromRow;

use super::rows::instant;
use super::rows::timestamp;
use crate::domain::ids::{LotId, PaperId};
use crate::domain::paper::{Edition, PaperDocument, PaperDraft, PaperKind, SavedDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{NewPaperDocument, WriteCtx};

fn kind_of(s: &str) -> Result<PaperKind> {
    PaperKind::parse(s).map_err(|_| Error::new(ErrorCode::Storage, "unknown paper kind stored"))
}

#[derive(FromRow)]
struct DraftRow {
    version: i64,
    draft: String,
    saved_by: String,
    saved_at: Instant,
}

impl TryFrom<DraftRow> for SavedDraft {
    type Error = Error;
    fn try_from(r: DraftRow) -> Result<Self> {
        let draft: PaperDraft = serde_json::from_str(&r.draft).map_err(|e| {
            tracing::error!(error = %e, "stored paper draft unreadable");
            Error::new(
                ErrorCode::Storage,
                "a stored paper draft could not be read (see the log for details)",
            )
        })?;
        Ok(SavedDraft {
            version: r.version as u32,
            draft,
            saved_by: r.saved_by,
            saved_at: instant(&r.saved_at),
        })
    }
}

macro_rules! doc_columns {
    () => {
        "id, lot_id, kind, number, draft_version, edition, sha256, pages, CAST(length(bytes) AS BIGINT) AS size, generated_by, generated_at, anchor_events"
    };
}

#[derive(FromRow)]
struct DocumentRow {
    id: i64,
    lot_id: i64,
    kind: String,
    number: i64,
    draft_version: i64,
    edition: String,
    sha256: String,
    pages: i64,
    size: i64,
    generated_by: String,
    generated_at: Instant,
    anchor_events: Option<i64>,
}

#[derive(FromRow)]
struct DocumentBytesRow {
    bytes: Vec<u8>,
    #[sqlx(flatten)]
    document: DocumentRow,
}

impl TryFrom<DocumentRow> for PaperDocument {
    type Error = Error;
    fn try_from(r: DocumentRow) -> Result<Self> {
        Ok(PaperDocument {
            id: PaperId(r.id),
            lot_id: LotId(r.lot_id),
            kind: kind_of(&r.kind)?,
            number: r.number as u32,
            draft_version: r.draft_version as u32,
            edition: Edition::parse(&r.edition)
                .map_err(|_| Error::new(ErrorCode::Storage, "unknown paper edition stored"))?,
            sha256: r.sha256,
            pages: r.pages as u32,
            size_bytes: r.size as u32,
            generated_by: r.generated_by,
            generated_at: instant(&r.generated_at),
            anchor_events: r.anchor_events,
        })
    }
}

#[async_trait::async_trait]
impl crate::store::PapersStore for super::BackendTx {
    async fn drafts(&mut self, lot: LotId, kind: PaperKind) -> Result<Vec<SavedDraft>> {
        decode::<DraftRow>(
            sqlx::query(
                "SELECT version, draft, saved_by, saved_at FROM paper_drafts
             WHERE lot_id = $1 AND kind = $2 ORDER BY version DESC",
            )
            .bind(lot.0)
            .bind(kind.key())
            .fetch_all(self.conn())
            .await?,
        )?
        .into_iter()
        .map(SavedDraft::try_from)
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
             VALUES ($1, $2, $3, $4, $5, $6)",
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
        decode::<DocumentRow>(
            sqlx::query(concat!(
                "SELECT ",
                doc_columns!(),
                " FROM paper_documents WHERE lot_id = $1 ORDER BY id DESC"
            ))
            .bind(lot.0)
            .fetch_all(self.conn())
            .await?,
        )?
        .into_iter()
        .map(PaperDocument::try_from)
        .collect()
    }

    async fn document(&mut self, id: PaperId) -> Result<Option<PaperDocument>> {
        sqlx::query_as::<_, DocumentRow>(concat!(
            "SELECT ",
            doc_columns!(),
            " FROM paper_documents WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        .map(PaperDocument::try_from)
        .transpose()
    }

    async fn document_bytes(&mut self, id: PaperId) -> Result<Option<(PaperDocument, Vec<u8>)>> {
        let Some(row) = sqlx::query_as::<_, DocumentBytesRow>(concat!(
            "SELECT ",
            doc_columns!(),
            ", bytes FROM paper_documents WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((row.document.try_into()?, row.bytes)))
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
               generated_by, generated_at, anchor_events)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
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
        .bind(new.anchor_events)
        .fetch_one(self.conn())
        .await?))
    }
}
