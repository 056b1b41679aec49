//! Market engagement: events with attendees and questions, expressions of interest, and the
//! reason for having none.
use async_trait::async_trait;
use chrono::NaiveDate;

use super::WriteCtx;
use crate::domain::engagement::{Attendee, EngagementQuestion, EngagementRecords, EventFormat};
use crate::domain::ids::LotId;
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct NewEngagementEvent {
    pub held_on: NaiveDate,
    pub format: EventFormat,
    pub title: String,
    pub agenda: String,
}

#[derive(Debug, Clone)]
pub struct NewInterest {
    pub organisation: String,
    pub received_on: NaiveDate,
    pub consortium_with: Vec<String>,
    pub note: String,
}

#[async_trait]
pub trait EngagementStore: Send {
    async fn records(&mut self, lot: LotId) -> Result<EngagementRecords>;
    /// Whether an event was held on or before `by`.
    async fn held_by(&mut self, lot: LotId, by: NaiveDate) -> Result<bool>;
    async fn insert_event(
        &mut self,
        lot: LotId,
        e: &NewEngagementEvent,
        w: &WriteCtx,
    ) -> Result<i64>;
    /// The lot an event belongs to, or None when there is no such event.
    async fn event_lot(&mut self, event: i64) -> Result<Option<LotId>>;
    async fn insert_attendee(&mut self, event: i64, a: &Attendee) -> Result<()>;
    async fn insert_question(&mut self, event: i64, q: &EngagementQuestion) -> Result<()>;
    async fn insert_interest(&mut self, lot: LotId, i: &NewInterest, w: &WriteCtx) -> Result<()>;
    async fn set_no_engagement_reason(
        &mut self,
        lot: LotId,
        reason: &str,
        w: &WriteCtx,
    ) -> Result<()>;
}
