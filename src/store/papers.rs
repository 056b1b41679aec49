//! Decision papers: versioned drafts and the generated PDFs kept with their SHA-256.
use async_trait::async_trait;

use super::WriteCtx;
use crate::domain::ids::{LotId, PaperId};
use crate::domain::paper::{Edition, PaperDocument, PaperDraft, PaperKind, SavedDraft};
use crate::error::Result;

/// A generated paper to keep: the store adds its number and SHA-256.
#[derive(Debug, Clone)]
pub struct NewPaperDocument {
    pub draft_version: u32,
    pub edition: Edition,
    pub pages: u32,
    pub bytes: Vec<u8>,
    /// How many audit events there were when it was generated (the anchor it prints).
    pub anchor_events: Option<i64>,
}

#[async_trait]
pub trait PapersStore: Send {
    /// Every saved version of a paper's narrative, newest first.
    async fn drafts(&mut self, lot: LotId, kind: PaperKind) -> Result<Vec<SavedDraft>>;
    async fn insert_draft(
        &mut self,
        lot: LotId,
        kind: PaperKind,
        version: u32,
        draft: &PaperDraft,
        w: &WriteCtx,
    ) -> Result<()>;
    /// The lot's generated papers, newest first, without their bytes.
    async fn documents(&mut self, lot: LotId) -> Result<Vec<PaperDocument>>;
    async fn document(&mut self, id: PaperId) -> Result<Option<PaperDocument>>;
    /// A generated paper with its bytes as stored (the caller checks them against the hash).
    async fn document_bytes(&mut self, id: PaperId) -> Result<Option<(PaperDocument, Vec<u8>)>>;
    async fn insert_document(
        &mut self,
        lot: LotId,
        kind: PaperKind,
        number: u32,
        new: &NewPaperDocument,
        sha256: &str,
        w: &WriteCtx,
    ) -> Result<PaperId>;
}
