use lotwise::domain::board::Board;
use lotwise::domain::ids::LotId;
use lotwise::domain::lot::Lot;
use lotwise::ops::lots::{self, AdvanceStage, CreateLot, SetMilestone};
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn board(s: State<'_, AppState>) -> Res<Board> {
    lots::board(&s.ctx()).await
}

#[tauri::command]
pub async fn lot_show(s: State<'_, AppState>, id: LotId) -> Res<Lot> {
    lots::show(&s.ctx(), id).await
}

#[tauri::command]
pub async fn lot_create(s: State<'_, AppState>, input: CreateLot) -> Res<Lot> {
    lots::create(&s.ctx(), input).await
}

#[tauri::command]
pub async fn lot_advance(s: State<'_, AppState>, input: AdvanceStage) -> Res<Lot> {
    lots::advance_stage(&s.ctx(), input).await
}

#[tauri::command]
pub async fn lot_set_milestone(s: State<'_, AppState>, input: SetMilestone) -> Res<Lot> {
    lots::set_milestone(&s.ctx(), input).await
}
