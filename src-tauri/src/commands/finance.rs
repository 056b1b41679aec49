//! Finance commands: thin adapters over `ops::finance`.
use lotwise::domain::allocation::SavedAllocation;
use lotwise::domain::ids::ProcurementId;
use lotwise::ops::finance::{
    self, AllocationInput, AllocationPreview, FinanceView, SetBudget, SetContribution,
    SetLotBudget, SetSavings,
};
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn finance_view(s: State<'_, AppState>, procurement: ProcurementId) -> Res<FinanceView> {
    finance::view(&s.ctx(), procurement).await
}

#[tauri::command]
pub async fn finance_set_budget(s: State<'_, AppState>, input: SetBudget) -> Res<FinanceView> {
    finance::set_budget(&s.ctx(), input).await
}

#[tauri::command]
pub async fn finance_set_lot_budget(
    s: State<'_, AppState>,
    input: SetLotBudget,
) -> Res<FinanceView> {
    finance::set_lot_budget(&s.ctx(), input).await
}

#[tauri::command]
pub async fn finance_set_contribution(
    s: State<'_, AppState>,
    input: SetContribution,
) -> Res<FinanceView> {
    finance::set_contribution(&s.ctx(), input).await
}

#[tauri::command]
pub async fn finance_remove_contribution(
    s: State<'_, AppState>,
    procurement: ProcurementId,
    id: i64,
) -> Res<FinanceView> {
    finance::remove_contribution(&s.ctx(), procurement, id).await
}

#[tauri::command]
pub async fn finance_set_savings(s: State<'_, AppState>, input: SetSavings) -> Res<FinanceView> {
    finance::set_savings(&s.ctx(), input).await
}

#[tauri::command]
pub async fn finance_clear_savings(
    s: State<'_, AppState>,
    procurement: ProcurementId,
) -> Res<FinanceView> {
    finance::clear_savings(&s.ctx(), procurement).await
}

/// Computed, not saved: what the allocation tool shows as the officer types.
#[tauri::command]
pub async fn allocation_preview(input: AllocationInput) -> Res<AllocationPreview> {
    finance::preview_allocation(&input)
}

#[tauri::command]
pub async fn allocation_save(
    s: State<'_, AppState>,
    procurement: ProcurementId,
    input: AllocationInput,
) -> Res<SavedAllocation> {
    finance::save_allocation(&s.ctx(), procurement, &input).await
}
