//! TUPE commands: thin adapters over `ops::tupe`.
use lotwise::domain::ids::LotId;
use lotwise::ops::textfile::TextFile;
use lotwise::ops::tupe::{self, SetObligation, SetTupePlan, StaffImport, TupeView};
use tauri::State;
use tauri::ipc::Response;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn tupe_view(s: State<'_, AppState>, lot: LotId) -> Res<TupeView> {
    tupe::view(&s.ctx(), lot).await
}

/// Overdue obligations today, for the lot's header on every tab.
#[tauri::command]
pub async fn tupe_overdue(s: State<'_, AppState>, lot: LotId) -> Res<u32> {
    tupe::overdue(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn tupe_set_plan(s: State<'_, AppState>, input: SetTupePlan) -> Res<TupeView> {
    tupe::set_plan(&s.ctx(), input).await
}

#[tauri::command]
pub async fn tupe_import_staff(
    s: State<'_, AppState>,
    lot: LotId,
    bytes: Vec<u8>,
    file_name: String,
) -> Res<StaffImport> {
    let file = TextFile::decode(&bytes, &file_name, "csv")?;
    tupe::import_staff_file(&s.ctx(), lot, &file).await
}

#[tauri::command]
pub async fn tupe_set_obligation(s: State<'_, AppState>, input: SetObligation) -> Res<TupeView> {
    tupe::set_obligation(&s.ctx(), input).await
}

/// The checklist PDF as at today, for reading in the app.
#[tauri::command]
pub async fn tupe_checklist_bytes(s: State<'_, AppState>, lot: LotId) -> Res<Response> {
    tupe::checklist_bytes(&s.ctx(), lot)
        .await
        .map(|(_, bytes, _)| Response::new(bytes))
}

/// Writes the checklist beside the workspace and opens it in the system PDF viewer.
#[tauri::command]
pub async fn tupe_checklist_open(s: State<'_, AppState>, lot: LotId) -> Res<String> {
    let path = tupe::export_checklist(&s.ctx(), lot, &s.papers_dir()).await?;
    super::papers::open_in_viewer(&path)
}
