//! Bank holidays added to the workspace after this release.
use async_trait::async_trait;

use super::WriteCtx;
use crate::error::Result;

#[async_trait]
pub trait CalendarStore: Send {
    async fn extra_holidays(&mut self) -> Result<Vec<crate::domain::calendar::Holiday>>;
    async fn add_extra_holiday(
        &mut self,
        h: &crate::domain::calendar::Holiday,
        w: &WriteCtx,
    ) -> Result<()>;
}
