//! The route to market: the route chosen, conflicts assessments, the Section 75 checklist and
//! the notices published.
use async_trait::async_trait;
use chrono::NaiveDate;

use super::WriteCtx;
use crate::domain::ids::LotId;
use crate::domain::route::RouteChoice;
use crate::domain::route::conflicts::ConflictsAssessment;
use crate::domain::route::notices::PublishedNotice;
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct NewConflictsAssessment {
    pub assessed_on: NaiveDate,
    pub scope: String,
    pub findings: String,
    pub mitigations: String,
}

/// A lot's route to market records, as stored.
#[derive(Debug, Clone, Default)]
pub struct RouteRecords {
    pub route: Option<RouteChoice>,
    /// Newest first: the first is the current assessment.
    pub conflicts: Vec<ConflictsAssessment>,
    /// (item key, agreed, note) for the Section 75 checklist.
    pub section75: Vec<(String, bool, String)>,
    pub notices: Vec<PublishedNotice>,
    /// The newest approved specification version, which the tender will reference.
    pub approved_spec: Option<u32>,
}

#[async_trait]
pub trait RouteStore: Send {
    async fn route(&mut self, lot: LotId) -> Result<Option<RouteChoice>>;
    /// Newest first: the first is the current assessment.
    async fn conflicts(&mut self, lot: LotId) -> Result<Vec<ConflictsAssessment>>;
    /// (item key, agreed, note) for the Section 75 checklist.
    async fn section75(&mut self, lot: LotId) -> Result<Vec<(String, bool, String)>>;
    async fn notices(&mut self, lot: LotId) -> Result<Vec<PublishedNotice>>;
    /// Records the route, replacing any before it.
    async fn set_route(&mut self, lot: LotId, c: &RouteChoice, w: &WriteCtx) -> Result<()>;
    async fn insert_conflicts(
        &mut self,
        lot: LotId,
        a: &NewConflictsAssessment,
        w: &WriteCtx,
    ) -> Result<i64>;
    async fn set_section75_item(
        &mut self,
        lot: LotId,
        item: &str,
        agreed: bool,
        note: &str,
    ) -> Result<()>;
    /// Records a notice as published, replacing an earlier record of the same kind.
    async fn publish_notice(&mut self, lot: LotId, n: &PublishedNotice, w: &WriteCtx)
    -> Result<()>;
}
