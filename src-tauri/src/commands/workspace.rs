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

/// A picked file's text, decoded by the engine as an import would read it.
#[tauri::command]
pub async fn text_file_decode(
    bytes: Vec<u8>,
    file_name: String,
    field: String,
) -> Res<lotwise::ops::textfile::DecodedText> {
    lotwise::ops::textfile::decode_for_form(&bytes, &file_name, &field)
}
