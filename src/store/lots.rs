//! Lots: their records, the board's rows, milestones and stage changes.
use async_trait::async_trait;

use super::WriteCtx;
use crate::domain::board::BoardLot;
use crate::domain::ids::{ContractId, LotId, MilestoneId, ProcurementId};
use crate::domain::lot::{LotName, LotRecord, MilestoneRecord};
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::domain::term::Term;
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct NewLot {
    pub procurement: ProcurementId,
    pub reference: String,
    pub title: String,
    pub geography: String,
    pub estimated_annual_value: Option<Money>,
    pub term: Option<Term>,
    pub replaces_contract: Option<ContractId>,
    pub parts: Vec<(String, String)>,
    /// Where the lot enters the pipeline: market engagement unless it is being recorded late.
    pub stage: Stage,
}

#[derive(Debug, Clone)]
pub struct MilestoneInput {
    pub key: Option<String>,
    pub title: String,
    pub planned: chrono::NaiveDate,
    pub actual: Option<chrono::NaiveDate>,
}

#[async_trait]
pub trait LotsStore: Send {
    async fn lot(&mut self, id: LotId) -> Result<Option<LotRecord>>;
    /// The lot's stage, or None when there is no such lot.
    async fn stage(&mut self, id: LotId) -> Result<Option<Stage>>;
    /// Every lot's id, reference, title and procurement, for naming lots.
    async fn names(&mut self) -> Result<Vec<LotName>>;
    /// Every lot with its open milestones, in a fixed number of queries however many lots.
    async fn board(&mut self) -> Result<Vec<BoardLot>>;
    async fn in_procurement(&mut self, p: ProcurementId) -> Result<Vec<LotId>>;
    async fn insert(&mut self, new: &NewLot) -> Result<LotId>;
    async fn set_stage(
        &mut self,
        id: LotId,
        to: Stage,
        abandoned_reason: Option<&str>,
    ) -> Result<()>;
    /// Appends to the lot's stage history.
    async fn record_stage_change(
        &mut self,
        id: LotId,
        from: Option<Stage>,
        to: Stage,
        reason: Option<&str>,
        w: &WriteCtx,
    ) -> Result<()>;
    async fn milestone_by_key(&mut self, lot: LotId, key: &str) -> Result<Option<MilestoneRecord>>;
    async fn insert_milestone(&mut self, lot: LotId, m: &MilestoneInput) -> Result<MilestoneId>;
    async fn update_milestone(&mut self, id: MilestoneId, m: &MilestoneInput) -> Result<()>;
}
