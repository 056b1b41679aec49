use lotwise::ops::workspace::{self, WorkspaceInfo};
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn workspace_info(s: State<'_, AppState>) -> Res<WorkspaceInfo> {
    Ok(workspace::info(&s.ctx, &s.workspace))
}
