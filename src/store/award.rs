//! The award: its dates, the packs built for legal and legal's decisions, and a PSR
//! standstill's representations and further decisions.
use async_trait::async_trait;
use chrono::NaiveDate;

use super::WriteCtx;
use crate::domain::award::{
    AwardDates, AwardPack, FurtherDecisionKind, PackComment, PackDecision, PackManifest,
    StandstillRecords,
};
use crate::domain::ids::{LotId, PackId};
use crate::error::Result;

/// A built award pack to keep: the store adds its SHA-256. `number` is printed in the pack,
/// so it is chosen before rendering; another pack kept meanwhile makes the write a conflict.
#[derive(Debug, Clone)]
pub struct NewAwardPack {
    pub number: u32,
    pub pages: u32,
    pub manifest: PackManifest,
    pub bytes: Vec<u8>,
}

#[async_trait]
pub trait AwardStore: Send {
    async fn dates(&mut self, lot: LotId) -> Result<Option<AwardDates>>;
    /// Records the dates, replacing any before them.
    async fn set_dates(&mut self, lot: LotId, d: &AwardDates, w: &WriteCtx) -> Result<()>;
    /// Newest first, each with legal's decision if made.
    async fn packs(&mut self, lot: LotId) -> Result<Vec<AwardPack>>;
    async fn pack(&mut self, id: PackId) -> Result<Option<AwardPack>>;
    /// A kept pack with its bytes as stored (the caller checks them against the hash).
    async fn pack_bytes(&mut self, id: PackId) -> Result<Option<(AwardPack, Vec<u8>)>>;
    async fn pack_by_hash(&mut self, sha256: &str) -> Result<Option<AwardPack>>;
    async fn insert_pack(
        &mut self,
        lot: LotId,
        new: &NewAwardPack,
        sha256: &str,
        w: &WriteCtx,
    ) -> Result<PackId>;
    async fn insert_review(
        &mut self,
        pack: PackId,
        decision: PackDecision,
        comments: &[PackComment],
        w: &WriteCtx,
    ) -> Result<()>;
    /// Oldest first.
    async fn standstill_records(&mut self, lot: LotId) -> Result<StandstillRecords>;
    async fn insert_representation(
        &mut self,
        lot: LotId,
        received_on: NaiveDate,
        provider: &str,
        summary: &str,
        w: &WriteCtx,
    ) -> Result<i64>;
    async fn insert_further_decision(
        &mut self,
        lot: LotId,
        communicated_on: NaiveDate,
        decision: FurtherDecisionKind,
        reasons: &str,
        w: &WriteCtx,
    ) -> Result<i64>;
}
