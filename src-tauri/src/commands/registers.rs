use lotwise::domain::procurement::Procurement;
use lotwise::domain::registers::Organisation;
use lotwise::ops::registers;
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn procurements_list(s: State<'_, AppState>) -> Res<Vec<Procurement>> {
    registers::list_procurements(&s.ctx()).await
}

#[tauri::command]
pub async fn organisations_list(s: State<'_, AppState>) -> Res<Vec<Organisation>> {
    registers::list_organisations(&s.ctx()).await
}
