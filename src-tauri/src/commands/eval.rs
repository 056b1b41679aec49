//! Evaluation commands: thin adapters over `ops::eval`. The app acts as its signed-in user.
use lotwise::domain::eval::EvalState;
use lotwise::domain::eval::moderation::ModerationBoard;
use lotwise::domain::ids::LotId;
use lotwise::ops::ImportSummary;
use lotwise::ops::eval::{self, EvalResults, Moderate, SaveScore};
use lotwise::ops::textfile::TextFile;
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn eval_state(s: State<'_, AppState>, lot: LotId) -> Res<EvalState> {
    eval::state(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn eval_apply_template(
    s: State<'_, AppState>,
    lot: LotId,
    template: String,
    expected_version: Option<i64>,
) -> Res<()> {
    eval::apply_template_from(&s.ctx(), lot, &template, expected_version)
        .await
        .map(|_| ())
}

/// Files arrive as bytes: the engine decodes them (UTF-8 or Windows-1252), as the CLI does.
#[tauri::command]
pub async fn eval_import_model(
    s: State<'_, AppState>,
    lot: LotId,
    bytes: Vec<u8>,
    file_name: String,
    expected_version: Option<i64>,
) -> Res<()> {
    eval::import_model_bytes(&s.ctx(), lot, &bytes, &file_name, expected_version)
        .await
        .map(|_| ())
}

#[tauri::command]
pub async fn eval_export_model(s: State<'_, AppState>, lot: LotId) -> Res<String> {
    eval::export_model(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn eval_copy_model(
    s: State<'_, AppState>,
    lot: LotId,
    from: LotId,
    expected_version: Option<i64>,
) -> Res<()> {
    eval::copy_model_from(&s.ctx(), lot, from, expected_version)
        .await
        .map(|_| ())
}

#[tauri::command]
pub async fn eval_approve(s: State<'_, AppState>, lot: LotId) -> Res<()> {
    eval::approve_model(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn eval_import_bids(
    s: State<'_, AppState>,
    lot: LotId,
    bytes: Vec<u8>,
    file_name: String,
) -> Res<ImportSummary> {
    let file = TextFile::decode(&bytes, &file_name, "csv")?;
    eval::import_bids_file(&s.ctx(), lot, &file).await
}

#[tauri::command]
pub async fn eval_add_panel(
    s: State<'_, AppState>,
    lot: LotId,
    person: String,
    role: String,
) -> Res<()> {
    eval::add_panel_member(&s.ctx(), lot, &person, &role).await
}

#[tauri::command]
pub async fn eval_declare(s: State<'_, AppState>, lot: LotId, conflict: Option<String>) -> Res<()> {
    eval::declare(&s.ctx(), lot, conflict.as_deref()).await
}

#[tauri::command]
pub async fn eval_save_score(s: State<'_, AppState>, input: SaveScore) -> Res<()> {
    eval::save_score(&s.ctx(), input).await
}

#[tauri::command]
pub async fn eval_submit(s: State<'_, AppState>, lot: LotId) -> Res<()> {
    eval::submit(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn eval_moderation(s: State<'_, AppState>, lot: LotId) -> Res<ModerationBoard> {
    eval::moderation(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn eval_moderate(s: State<'_, AppState>, input: Moderate) -> Res<()> {
    eval::moderate(&s.ctx(), input).await
}

#[tauri::command]
pub async fn eval_sign_off(s: State<'_, AppState>, lot: LotId) -> Res<()> {
    eval::sign_off(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn eval_reopen(s: State<'_, AppState>, lot: LotId, reason: String) -> Res<()> {
    eval::reopen(&s.ctx(), lot, &reason).await
}

#[tauri::command]
pub async fn eval_results(s: State<'_, AppState>, lot: LotId) -> Res<EvalResults> {
    eval::results(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn eval_import_scores(
    s: State<'_, AppState>,
    lot: LotId,
    bytes: Vec<u8>,
    file_name: String,
) -> Res<ImportSummary> {
    let file = TextFile::decode(&bytes, &file_name, "csv")?;
    eval::import_scores_file(&s.ctx(), lot, &file).await
}

#[tauri::command]
pub async fn eval_import_consensus(
    s: State<'_, AppState>,
    lot: LotId,
    bytes: Vec<u8>,
    file_name: String,
) -> Res<ImportSummary> {
    let file = TextFile::decode(&bytes, &file_name, "csv")?;
    eval::import_consensus_file(&s.ctx(), lot, &file).await
}

/// One evaluator's scoresheet, written beside the workspace (in `scoresheets/`) for the
/// officer to send on; returns where.
#[tauri::command]
pub async fn eval_scoresheet_export(
    s: State<'_, AppState>,
    lot: LotId,
    evaluator: String,
    xlsx: bool,
) -> Res<String> {
    let (sheet, bytes) = if xlsx {
        eval::scoresheet::export_workbook(&s.ctx(), lot, &evaluator).await?
    } else {
        eval::scoresheet::export(&s.ctx(), lot, &evaluator).await?
    };
    let dir = s.papers_dir().with_file_name("scoresheets");
    std::fs::create_dir_all(&dir)?;
    // The name is made of what Lotwise checked (a panel member, a lot id), never a path.
    let safe: String = sheet
        .evaluator
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ext = if xlsx { "xlsx" } else { "lwsheet" };
    let path = dir.join(format!("{safe}-lot-{}.{ext}", lot.0));
    std::fs::write(&path, &bytes)?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn eval_scoresheet_import(
    s: State<'_, AppState>,
    lot: LotId,
    bytes: Vec<u8>,
    file_name: String,
    fingerprint: Option<String>,
    received_from: Option<String>,
) -> Res<eval::scoresheet::ImportedScoresheet> {
    let words = fingerprint.filter(|f| !f.trim().is_empty());
    let from = received_from.filter(|f| !f.trim().is_empty());
    eval::scoresheet::import_from(
        &s.ctx(),
        &bytes,
        &file_name,
        Some(lot),
        words.as_deref(),
        from.as_deref(),
    )
    .await
}
