//! Scoring-only mode: the app opened on a `.lwsheet` (file association, or the file given
//! on the command line), with no workspace. Each command is one line into
//! `lotwise::ops::eval::offline`.
use std::sync::Mutex;

use lotwise::ops::eval::offline::{
    AppMode, OfflineSheet, SheetScoreInput, SheetSubmitted, SheetView,
};
use lotwise::ops::textfile::TextFile;
use tauri::State;

use super::Res;

/// The sheet being scored: the one the app was opened on, or one opened from the app.
pub struct SheetState {
    pub sheet: Mutex<Option<OfflineSheet>>,
    pub path: Mutex<Option<std::path::PathBuf>>,
}

#[tauri::command]
pub fn app_mode(s: State<'_, SheetState>, app: tauri::AppHandle) -> AppMode {
    use tauri::Manager;
    AppMode {
        sheet: s
            .path
            .lock()
            .expect("not poisoned")
            .as_ref()
            .map(|p| p.display().to_string()),
        workspace: app.try_state::<crate::AppState>().is_some(),
    }
}

/// A scoresheet picked in the app: scored next, the workspace kept open behind it.
#[tauri::command]
pub fn sheet_open_file(s: State<'_, SheetState>, bytes: Vec<u8>, file_name: String) -> Res<String> {
    let path = lotwise::ops::eval::offline::receive(&bytes, &file_name)?;
    // Opened now, so a changed file is said here, beside the picker.
    let opened = OfflineSheet::open(&path)?;
    *s.sheet.lock().expect("not poisoned") = Some(opened);
    *s.path.lock().expect("not poisoned") = Some(path.clone());
    Ok(path.display().to_string())
}

/// Back to the workspace from a scoresheet opened in the app (it stays kept).
#[tauri::command]
pub fn sheet_close(s: State<'_, SheetState>) {
    *s.sheet.lock().expect("not poisoned") = None;
    *s.path.lock().expect("not poisoned") = None;
}

fn with<T>(s: &SheetState, f: impl FnOnce(&mut OfflineSheet) -> Res<T>) -> Res<T> {
    let mut guard = s.sheet.lock().expect("not poisoned");
    if guard.is_none() {
        let path = s
            .path
            .lock()
            .expect("not poisoned")
            .clone()
            .ok_or_else(|| {
                lotwise::Error::new(lotwise::ErrorCode::NotFound, "no scoresheet is open")
            })?;
        *guard = Some(OfflineSheet::open(&path)?);
    }
    f(guard.as_mut().expect("opened above"))
}

#[tauri::command]
pub fn sheet_view(s: State<'_, SheetState>) -> Res<SheetView> {
    with(&s, |o| o.view())
}

#[tauri::command]
pub fn sheet_save_score(s: State<'_, SheetState>, input: SheetScoreInput) -> Res<SheetView> {
    with(&s, |o| {
        o.save(&input)?;
        o.view()
    })
}

#[tauri::command]
pub fn sheet_import_scores(
    s: State<'_, SheetState>,
    bytes: Vec<u8>,
    file_name: String,
) -> Res<usize> {
    let file = TextFile::decode(&bytes, &file_name, "csv")?;
    with(&s, |o| o.import_csv(&file))
}

#[tauri::command]
pub fn sheet_submit(s: State<'_, SheetState>, declared: bool) -> Res<SheetSubmitted> {
    with(&s, |o| {
        o.submit(
            declared,
            lotwise::ops::Clock::now(&lotwise::ops::SystemClock),
        )
    })
}
