use lotwise::ops::workspace::{self, WorkspaceInfo};
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn workspace_info(s: State<'_, AppState>) -> Res<WorkspaceInfo> {
    Ok(workspace::info(&s.ctx(), &s.workspace))
}

#[tauri::command]
pub async fn identity_switch(
    s: State<'_, AppState>,
    user: String,
    role: String,
) -> Res<WorkspaceInfo> {
    let ctx = workspace::switch_identity(&s.ctx(), &s.workspace, &user, &role)?;
    s.set_ctx(ctx);
    Ok(workspace::info(&s.ctx(), &s.workspace))
}
