use lotwise::domain::audit::AuditPage;
use lotwise::ops::audit;
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn audit_page(s: State<'_, AppState>, offset: i64, limit: i64) -> Res<AuditPage> {
    audit::page(&s.ctx(), offset, limit).await
}

#[tauri::command]
pub async fn audit_verify(s: State<'_, AppState>) -> Res<audit::VerifyReport> {
    audit::verify_all(&s.ctx(), &[]).await
}

/// This computer's journal checked against the workspace just opened (the red banner).
#[tauri::command]
pub async fn audit_opening_check(s: State<'_, AppState>) -> Res<audit::OpeningCheck> {
    let c = audit::check_journal(&s.ctx()).await?;
    tracing::info!(
        anchors = c.checked,
        failed = c.failed.len() + c.more,
        took_ms = c.took_ms,
        "checked the anchor journal"
    );
    Ok(c)
}
