//! Award commands: thin adapters over `ops::award`.
use lotwise::domain::award::AwardPack;
use lotwise::domain::ids::{LotId, PackId};
use lotwise::ops::award::{
    self, AwardView, PackProgress, RecordFurtherDecision, RecordRepresentation, ReviewPack,
    SetAwardDates,
};
use tauri::State;
use tauri::ipc::{Channel, Response};

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn award_view(s: State<'_, AppState>, lot: LotId) -> Res<AwardView> {
    award::view(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn award_set_dates(s: State<'_, AppState>, input: SetAwardDates) -> Res<AwardView> {
    award::set_dates(&s.ctx(), input).await
}

#[tauri::command]
pub async fn award_record_representation(
    s: State<'_, AppState>,
    input: RecordRepresentation,
) -> Res<AwardView> {
    award::record_representation(&s.ctx(), input).await
}

#[tauri::command]
pub async fn award_record_further_decision(
    s: State<'_, AppState>,
    input: RecordFurtherDecision,
) -> Res<AwardView> {
    award::record_further_decision(&s.ctx(), input).await
}

#[tauri::command]
pub async fn award_build_pack(
    s: State<'_, AppState>,
    lot: LotId,
    on_progress: Channel<PackProgress>,
) -> Res<AwardPack> {
    award::build_pack(&s.ctx(), lot, &mut |p| {
        let _ = on_progress.send(p);
    })
    .await
}

/// A kept pack's bytes, for reading it in the app (read-only).
#[tauri::command]
pub async fn award_pack_bytes(s: State<'_, AppState>, id: PackId) -> Res<Response> {
    award::pack(&s.ctx(), id)
        .await
        .map(|(_, bytes)| Response::new(bytes))
}

#[tauri::command]
pub async fn award_review(s: State<'_, AppState>, input: ReviewPack) -> Res<AwardPack> {
    award::review(&s.ctx(), input).await
}

/// Writes the pack beside the workspace and opens it in the system PDF viewer.
#[tauri::command]
pub async fn award_pack_open(s: State<'_, AppState>, id: PackId) -> Res<String> {
    let path = award::export_pack(&s.ctx(), id, &s.papers_dir()).await?;
    super::papers::open_in_viewer(&path)
}
