use lotwise::ops::workspace::{self, TeamConnection, WorkspaceInfo};
use tauri::{AppHandle, Emitter, State};

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

/// Connects to a team workspace with the person's own login and works there from now on.
/// The password is used for this connection only: Lotwise writes it nowhere.
#[tauri::command]
pub async fn workspace_open_team(
    app: AppHandle,
    s: State<'_, AppState>,
    input: TeamConnection,
) -> Res<WorkspaceInfo> {
    let ctx = workspace::open_team(&input).await?;
    let previous = s.ctx();
    s.set_ctx(ctx.clone());
    previous.store.close().await;
    watch(app, &ctx).await;
    Ok(workspace::info(&s.ctx(), &s.workspace))
}

/// Back to this laptop's own workspace file.
#[tauri::command]
pub async fn workspace_open_laptop(s: State<'_, AppState>) -> Res<WorkspaceInfo> {
    let ctx = workspace::open_for_app(&s.workspace).await?;
    let previous = s.ctx();
    s.set_ctx(ctx);
    previous.store.close().await;
    Ok(workspace::info(&s.ctx(), &s.workspace))
}

/// Passes the server's announcements of others' changes to the window, which reloads what
/// it shows. Ends when the connection is closed (another workspace opened).
async fn watch(app: AppHandle, ctx: &lotwise::ops::Ctx) {
    match ctx.store.watch().await {
        Ok(Some(mut changes)) => {
            tauri::async_runtime::spawn(async move {
                while changes.recv().await.is_some() {
                    // A burst of commits is one refresh.
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    while changes.try_recv().is_ok() {}
                    let _ = app.emit("workspace-changed", ());
                }
            });
        }
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(error = %e.message, "live refresh is off: the change feed could not start")
        }
    }
}
