//! Route to market commands: thin adapters over `ops::route`.
use lotwise::domain::ids::LotId;
use lotwise::ops::route::{self, NoticesView, PublishNotice, RecordConflicts, RouteView, SetRoute};
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn route_view(s: State<'_, AppState>, lot: LotId) -> Res<RouteView> {
    route::view(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn route_set(s: State<'_, AppState>, input: SetRoute) -> Res<RouteView> {
    route::set_route(&s.ctx(), input).await
}

#[tauri::command]
pub async fn route_record_conflicts(
    s: State<'_, AppState>,
    input: RecordConflicts,
) -> Res<RouteView> {
    route::record_conflicts(&s.ctx(), input).await
}

#[tauri::command]
pub async fn route_set_section75_item(
    s: State<'_, AppState>,
    lot: LotId,
    item: String,
    agreed: bool,
    note: String,
) -> Res<RouteView> {
    route::set_section75_item(&s.ctx(), lot, &item, agreed, &note).await
}

#[tauri::command]
pub async fn notices_view(s: State<'_, AppState>, lot: LotId) -> Res<NoticesView> {
    route::notices(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn notices_publish(s: State<'_, AppState>, input: PublishNotice) -> Res<NoticesView> {
    route::publish_notice(&s.ctx(), input).await
}
