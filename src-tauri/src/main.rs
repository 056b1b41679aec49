// The desktop shell: opens the workspace, seeds the demo on first run, and exposes the
// engine's use cases as commands. No engine logic lives here.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use lotwise::ops::{self, Ctx};

mod commands;

pub struct AppState {
    /// Replaced whole when the person switches who they are acting as.
    ctx: std::sync::RwLock<Ctx>,
    pub workspace: std::path::PathBuf,
}

impl AppState {
    /// The context for one command: a cheap clone, so a switch mid-command cannot mix two
    /// identities.
    pub fn ctx(&self) -> Ctx {
        self.ctx.read().expect("not poisoned").clone()
    }
    /// Where documents opened in the system PDF viewer are written: beside the workspace.
    pub fn papers_dir(&self) -> std::path::PathBuf {
        self.workspace
            .parent()
            .map(|p| p.join("papers"))
            .unwrap_or_else(|| "papers".into())
    }
    pub fn set_ctx(&self, ctx: Ctx) {
        *self.ctx.write().expect("not poisoned") = ctx;
    }
}

fn open_workspace() -> lotwise::Result<AppState> {
    let path = ops::default_workspace_path();
    let ctx = tauri::async_runtime::block_on(ops::workspace::open_for_app(&path))?;
    Ok(AppState {
        ctx: std::sync::RwLock::new(ctx),
        workspace: path,
    })
}

/// Lotwise is forms and tables: WebKit's GL compositing buys nothing here, but it loads
/// Mesa's LLVM into both the app and the web process (measured: 311 -> 232 MiB PSS without
/// it). A user's own setting of the variable is respected.
#[cfg(target_os = "linux")]
fn prefer_software_compositing() {
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: called first thing in main, before any other thread exists.
        unsafe { std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1") };
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    prefer_software_compositing();
    lotwise::init_logging();
    // Opened on a scoresheet (the file association passes its path): scoring only, no
    // workspace, for an evaluator away from the council's network.
    let sheet = std::env::args_os()
        .skip(1)
        .map(std::path::PathBuf::from)
        .find(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("lwsheet"))
        });
    let mut builder = tauri::Builder::default().manage(commands::sheet::SheetState {
        sheet: std::sync::Mutex::new(None),
        path: std::sync::Mutex::new(sheet.clone()),
    });
    if sheet.is_none() {
        let state = match open_workspace() {
            Ok(s) => s,
            Err(e) => {
                eprintln!("lotwise: the workspace could not be opened: {}", e.message);
                std::process::exit(2);
            }
        };
        builder = builder.manage(state);
    }
    builder
        .invoke_handler(tauri::generate_handler![
            commands::sheet::app_mode,
            commands::sheet::sheet_view,
            commands::sheet::sheet_save_score,
            commands::sheet::sheet_import_scores,
            commands::sheet::sheet_submit,
            commands::sheet::sheet_open_file,
            commands::sheet::sheet_close,
            commands::workspace::workspace_info,
            commands::workspace::identity_switch,
            commands::workspace::workspace_open_team,
            commands::workspace::workspace_open_laptop,
            commands::workspace::text_file_decode,
            commands::lots::board,
            commands::lots::lot_show,
            commands::lots::lot_create,
            commands::lots::lot_advance,
            commands::lots::lot_set_milestone,
            commands::registers::procurements_list,
            commands::registers::organisations_list,
            commands::contracts::contracts_list,
            commands::contracts::contracts_expiring,
            commands::contracts::contract_add,
            commands::contracts::contract_set_option,
            commands::audit::audit_page,
            commands::audit::audit_verify,
            commands::audit::audit_opening_check,
            commands::eval::eval_state,
            commands::eval::eval_apply_template,
            commands::eval::eval_import_model,
            commands::eval::eval_export_model,
            commands::eval::eval_copy_model,
            commands::eval::eval_approve,
            commands::eval::eval_import_bids,
            commands::eval::eval_add_panel,
            commands::eval::eval_declare,
            commands::eval::eval_save_score,
            commands::eval::eval_submit,
            commands::eval::eval_import_scores,
            commands::eval::eval_import_consensus,
            commands::eval::eval_moderation,
            commands::eval::eval_moderate,
            commands::eval::eval_sign_off,
            commands::eval::eval_reopen,
            commands::eval::eval_results,
            commands::eval::eval_scoresheet_export,
            commands::eval::eval_scoresheet_import,
            commands::papers::paper_view,
            commands::papers::paper_save,
            commands::papers::paper_restore,
            commands::papers::paper_preview,
            commands::papers::paper_generate,
            commands::papers::paper_open,
            commands::papers::paper_open_html,
            commands::award::award_view,
            commands::award::award_set_dates,
            commands::award::award_record_representation,
            commands::award::award_record_further_decision,
            commands::award::award_build_pack,
            commands::award::award_pack_bytes,
            commands::award::award_review,
            commands::award::award_pack_open,
            commands::finance::finance_view,
            commands::finance::finance_set_budget,
            commands::finance::finance_set_lot_budget,
            commands::finance::finance_set_contribution,
            commands::finance::finance_remove_contribution,
            commands::finance::finance_set_savings,
            commands::finance::finance_clear_savings,
            commands::finance::allocation_preview,
            commands::finance::allocation_save,
            commands::route::route_view,
            commands::route::route_set,
            commands::route::route_record_conflicts,
            commands::route::route_set_section75_item,
            commands::route::notices_view,
            commands::route::notices_publish,
            commands::tender::engagement_view,
            commands::tender::engagement_add_event,
            commands::tender::engagement_add_attendee,
            commands::tender::engagement_add_question,
            commands::tender::engagement_add_interest,
            commands::tender::engagement_set_none,
            commands::tender::spec_view,
            commands::tender::spec_save,
            commands::tender::spec_approve,
            commands::tender::spec_compare,
            commands::tender::spec_add_comment,
            commands::tender::spec_respond,
            commands::tender::tender_view,
            commands::tender::tender_set_closing_time,
            commands::tender::tender_add_clarification,
            commands::tender::tender_publish_clarification,
            commands::tender::tender_record_receipt,
            commands::tender::tender_decide_late,
            commands::tender::tender_to_evaluation,
            commands::tupe::tupe_view,
            commands::tupe::tupe_overdue,
            commands::tupe::tupe_set_plan,
            commands::tupe::tupe_import_staff,
            commands::tupe::tupe_set_obligation,
            commands::tupe::tupe_checklist_bytes,
            commands::tupe::tupe_checklist_open,
        ])
        .run(tauri::generate_context!())
        .expect("the Lotwise window could not be started");
}
