//! The store as a transaction seam. A use case begins a transaction, reads the facts its
//! rule needs through the area accessors, lets a pure domain function decide, applies the
//! change that was decided, appends the audit event and commits:
//!
//! ```text
//! let mut tx = ctx.store.begin().await?;
//! let facts = tx.lots().gate_facts(id).await?;   // reads return facts
//! let change = stage::decide(&facts, to, ...)?;    // the domain decides
//! tx.lots().apply_stage_change(id, &change).await?; // writes apply what was decided
//! tx.audit().append(event).await?;
//! tx.commit().await?;
//! ```
//!
//! A backend fills these traits by mapping rows; no rule lives behind them. Dropping a
//! transaction without committing rolls it back.
use crate::error::Result;
use async_trait::async_trait;

/// An open transaction and its areas.
#[async_trait]
pub trait Tx: Send {
    fn audit(&mut self) -> &mut dyn super::AuditStore;
    fn calendar(&mut self) -> &mut dyn super::CalendarStore;
    fn lots(&mut self) -> &mut dyn super::LotsStore;
    fn finance(&mut self) -> &mut dyn super::FinanceStore;
    fn tupe(&mut self) -> &mut dyn super::TupeStore;
    fn papers(&mut self) -> &mut dyn super::PapersStore;
    fn award(&mut self) -> &mut dyn super::AwardStore;
    fn tender(&mut self) -> &mut dyn super::TenderStore;
    fn eval(&mut self) -> &mut dyn super::EvalStore;
    fn route(&mut self) -> &mut dyn super::RouteStore;
    fn spec(&mut self) -> &mut dyn super::SpecStore;
    fn engagement(&mut self) -> &mut dyn super::EngagementStore;
    fn registers(&mut self) -> &mut dyn super::RegistersStore;
    fn contracts(&mut self) -> &mut dyn super::ContractsStore;
    async fn commit(self: Box<Self>) -> Result<()>;
    /// Commits, and says the chain's length and head as the commit left it, for the anchor
    /// journal (`None` when it could not be read: the commit still holds, and a journal
    /// line is never worth failing a save for). Read inside the transaction here, where
    /// what it appended is already linked; a backend that links at commit reads after.
    async fn commit_witnessed(mut self: Box<Self>) -> Result<Option<(i64, String)>> {
        let head = self.audit().head().await;
        self.commit().await?;
        Ok(match head {
            Ok(h) => Some(h),
            Err(e) => {
                tracing::warn!(error = %e, "could not read the head for the anchor journal");
                None
            }
        })
    }
}
