use lotwise::domain::audit::{AuditPage, AuditVerification};
use lotwise::ops::audit;
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn audit_page(s: State<'_, AppState>, offset: i64, limit: i64) -> Res<AuditPage> {
    audit::page(&s.ctx(), offset, limit).await
}

#[tauri::command]
pub async fn audit_verify(s: State<'_, AppState>) -> Res<AuditVerification> {
    audit::verify(&s.ctx()).await
}
