//! Decision paper commands: thin adapters over `ops::papers`.
use lotwise::domain::ids::{LotId, PaperId};
use lotwise::domain::paper::{Edition, PaperDocument, PaperDraft, PaperKind};
use lotwise::ops::papers::{self, GenerationProgress, PaperView};
use lotwise::{Error, ErrorCode};
use tauri::State;
use tauri::ipc::{Channel, Response};

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn paper_view(s: State<'_, AppState>, lot: LotId, kind: PaperKind) -> Res<PaperView> {
    papers::view(&s.ctx(), lot, kind).await
}

#[tauri::command]
pub async fn paper_save(
    s: State<'_, AppState>,
    lot: LotId,
    kind: PaperKind,
    draft: PaperDraft,
    based_on: Option<u32>,
) -> Res<PaperView> {
    papers::save_from(&s.ctx(), lot, kind, draft, based_on).await
}

#[tauri::command]
pub async fn paper_restore(
    s: State<'_, AppState>,
    lot: LotId,
    kind: PaperKind,
    version: u32,
) -> Res<PaperView> {
    papers::restore(&s.ctx(), lot, kind, version).await
}

/// The rendered pages of the unsaved draft, as raw PDF bytes (an ArrayBuffer in the UI).
#[tauri::command]
pub async fn paper_preview(
    s: State<'_, AppState>,
    lot: LotId,
    kind: PaperKind,
    draft: PaperDraft,
) -> Res<Response> {
    papers::preview(&s.ctx(), lot, kind, draft)
        .await
        .map(Response::new)
}

#[tauri::command]
pub async fn paper_generate(
    s: State<'_, AppState>,
    lot: LotId,
    kind: PaperKind,
    edition: Edition,
    on_progress: Channel<GenerationProgress>,
) -> Res<Option<PaperDocument>> {
    let g = papers::generate(&s.ctx(), lot, kind, edition, false, &mut |p| {
        let _ = on_progress.send(p);
    })
    .await?;
    Ok(g.document)
}

/// Writes the kept paper beside the workspace and opens it in the system PDF viewer
/// (or the program named by LOTWISE_PDF_VIEWER). Returns where it was written.
#[tauri::command]
pub async fn paper_open(s: State<'_, AppState>, id: PaperId) -> Res<String> {
    let path = papers::export_document(&s.ctx(), id, &s.papers_dir()).await?;
    open_in_viewer(&path)
}

/// Writes the kept paper's web edition (one HTML file, beside its PDF copy) and opens it in
/// the system browser (or LOTWISE_PDF_VIEWER). Refused if the workspace no longer makes the
/// kept paper (ops::papers::export_document_html). Returns where it was written.
#[tauri::command]
pub async fn paper_open_html(s: State<'_, AppState>, id: PaperId) -> Res<String> {
    let path = papers::export_document_html(&s.ctx(), id, &s.papers_dir()).await?;
    open_in_viewer(&path)
}

/// Opens a written PDF in the system viewer (or LOTWISE_PDF_VIEWER); says where it is if
/// no viewer can open it.
pub fn open_in_viewer(path: &std::path::Path) -> Res<String> {
    let shown = path.display().to_string();
    let opened = match std::env::var("LOTWISE_PDF_VIEWER") {
        Ok(viewer) if !viewer.trim().is_empty() => std::process::Command::new(viewer)
            .arg(path)
            .spawn()
            .map(|_| ())
            .map_err(|e| e.to_string()),
        _ => tauri_plugin_opener::open_path(&shown, None::<&str>).map_err(|e| e.to_string()),
    };
    opened.map_err(|e| {
        Error::new(
            ErrorCode::Conflict,
            format!("The document was saved to {shown}, but no program could open it ({e}). Open the file from there."),
        )
    })?;
    Ok(shown)
}
