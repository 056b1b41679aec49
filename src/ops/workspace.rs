//! What the app shows about the open workspace.
use chrono::NaiveDate;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

use super::Ctx;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkspaceInfo {
    pub path: String,
    pub user: String,
    pub today: NaiveDate,
    pub amber_days: i64,
}

pub fn info(ctx: &Ctx, path: &Path) -> WorkspaceInfo {
    WorkspaceInfo {
        path: path.display().to_string(),
        user: ctx.user.clone(),
        today: ctx.clock.today(),
        amber_days: ctx.amber_days,
    }
}

/// Opens a workspace file for the desktop app, creating it and seeding the demo workspace
/// when it is new (or empty), so a first run opens on something real.
pub async fn open_for_app(path: &Path) -> crate::Result<Ctx> {
    let store = std::sync::Arc::new(crate::store::sqlite::SqliteStore::open(path).await?);
    let ctx = Ctx::new(
        store,
        std::sync::Arc::new(super::SystemClock),
        super::current_user(),
    )
    .with_amber_days(super::amber_days_from_env()?)?;
    if ctx.store.is_empty().await? {
        super::demo::create(&ctx).await?;
    }
    Ok(ctx)
}
