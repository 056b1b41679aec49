//! The tender: the specification version it references, clarification questions and
//! answers, and the bid receipt log.
use async_trait::async_trait;
use chrono::NaiveDate;

use super::WriteCtx;
use crate::domain::ids::{BidId, LotId};
use crate::domain::money::Money;
use crate::domain::tender::{LateDecision, TenderRecords};
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct NewClarification {
    pub received_on: NaiveDate,
    pub asked_by: String,
    pub question: String,
}

#[derive(Debug, Clone)]
pub struct NewBidReceipt {
    pub supplier: String,
    pub registration_number: String,
    pub members: String,
    pub price: Money,
    pub received_at: chrono::NaiveDateTime,
}

#[async_trait]
pub trait TenderStore: Send {
    async fn records(&mut self, lot: LotId) -> Result<TenderRecords>;
    /// Opens the tender on the lot's specification version `spec_version`.
    async fn open(&mut self, lot: LotId, spec_version: u32, w: &WriteCtx) -> Result<()>;
    async fn set_closing_time(&mut self, lot: LotId, time: &str) -> Result<()>;
    async fn insert_clarification(
        &mut self,
        lot: LotId,
        number: u32,
        c: &NewClarification,
        w: &WriteCtx,
    ) -> Result<()>;
    async fn publish_clarification(
        &mut self,
        lot: LotId,
        number: u32,
        answer: &str,
        published_on: NaiveDate,
    ) -> Result<()>;
    async fn insert_receipt(&mut self, lot: LotId, r: &NewBidReceipt, w: &WriteCtx) -> Result<()>;
    async fn decide_late(
        &mut self,
        receipt: i64,
        decision: LateDecision,
        reason: &str,
        w: &WriteCtx,
    ) -> Result<()>;
    /// Links a receipt to the bid made from it; false when it was already linked.
    async fn link_receipt(&mut self, lot: LotId, receipt: i64, bid: BidId) -> Result<bool>;
}
