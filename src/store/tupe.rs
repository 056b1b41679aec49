//! TUPE: the transfer plan, the staff lists kept version by version, and the officer's record
//! against each obligation.
use async_trait::async_trait;

use super::WriteCtx;
use crate::domain::ids::{LotId, StaffListId};
use crate::domain::tupe::StaffListMeta;
use crate::domain::tupe::obligations::{ObligationRecord, StaffCounts, TupePlan};
use crate::domain::tupe::staff::StaffMember;
use crate::error::Result;

/// One planned transfer as the pipeline board reads it: the plan, the tender notice date,
/// the newest staff list and the officer's records.
#[derive(Debug, Clone)]
pub struct TupeLotFacts {
    pub lot: LotId,
    pub plan: TupePlan,
    pub tender_notice: Option<chrono::NaiveDate>,
    pub list: Option<StaffListMeta>,
    /// Counted in the database: the board needs the numbers, not the people.
    pub staff: StaffCounts,
    pub records: Vec<ObligationRecord>,
}

#[async_trait]
pub trait TupeStore: Send {
    async fn plan(&mut self, lot: LotId) -> Result<Option<TupePlan>>;
    /// Records the plan, replacing any before it.
    async fn set_plan(&mut self, lot: LotId, p: &TupePlan, w: &WriteCtx) -> Result<()>;
    /// The lot's staff lists, newest version first.
    async fn lists(&mut self, lot: LotId) -> Result<Vec<StaffListMeta>>;
    async fn staff(&mut self, list: StaffListId) -> Result<Vec<StaffMember>>;
    /// Keeps a staff list as version `version` of the lot's, every row of it.
    async fn insert_list(
        &mut self,
        lot: LotId,
        version: u32,
        file_name: &str,
        staff: &[StaffMember],
        w: &WriteCtx,
    ) -> Result<StaffListId>;
    async fn obligation_records(&mut self, lot: LotId) -> Result<Vec<ObligationRecord>>;
    /// Records the officer's status and evidence for one obligation, replacing the last.
    async fn set_obligation(&mut self, lot: LotId, r: &ObligationRecord) -> Result<()>;
    /// What the board needs to count overdue obligations, for every lot with a transfer
    /// planned, in a fixed number of queries.
    async fn board_facts(&mut self) -> Result<Vec<TupeLotFacts>>;
}
