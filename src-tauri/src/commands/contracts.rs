use lotwise::domain::contract::Contract;
use lotwise::domain::radar::ExpiringContract;
use lotwise::ops::contracts::{self, AddContract, SetOptionStatus};
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn contracts_list(s: State<'_, AppState>) -> Res<Vec<Contract>> {
    contracts::list(&s.ctx()).await
}

#[tauri::command]
pub async fn contracts_expiring(
    s: State<'_, AppState>,
    within_months: Option<u32>,
) -> Res<Vec<ExpiringContract>> {
    contracts::expiring(&s.ctx(), within_months).await
}

#[tauri::command]
pub async fn contract_add(s: State<'_, AppState>, input: AddContract) -> Res<Contract> {
    contracts::add(&s.ctx(), input).await
}

#[tauri::command]
pub async fn contract_set_option(s: State<'_, AppState>, input: SetOptionStatus) -> Res<Contract> {
    contracts::set_option_status(&s.ctx(), input).await
}
