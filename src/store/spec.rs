//! Specification versions, their sections and comments on them.
use async_trait::async_trait;
use chrono::NaiveDate;

use super::WriteCtx;
use crate::domain::ids::LotId;
use crate::domain::spec::{SpecComment, SpecSection, SpecVersion};
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct NewSpecComment {
    pub version: u32,
    pub position: u32,
    pub source: crate::domain::spec::CommentSource,
    pub author: String,
    pub organisation: String,
    pub comment: String,
    pub received_on: NaiveDate,
}

#[async_trait]
pub trait SpecStore: Send {
    /// Oldest first, each with its sections.
    async fn versions(&mut self, lot: LotId) -> Result<Vec<SpecVersion>>;
    /// The newest version's number and whether it is approved, without its sections.
    async fn newest(&mut self, lot: LotId) -> Result<Option<(u32, bool)>>;
    /// The newest approved version's number.
    async fn approved(&mut self, lot: LotId) -> Result<Option<u32>>;
    async fn insert_version(
        &mut self,
        lot: LotId,
        version: u32,
        note: &str,
        sections: &[SpecSection],
        w: &WriteCtx,
    ) -> Result<()>;
    async fn approve(&mut self, lot: LotId, version: u32, w: &WriteCtx) -> Result<()>;
    /// A section's heading, or None when the version has no such section.
    async fn heading(&mut self, lot: LotId, version: u32, position: u32) -> Result<Option<String>>;
    /// Oldest first.
    async fn comments(&mut self, lot: LotId) -> Result<Vec<SpecComment>>;
    async fn insert_comment(&mut self, lot: LotId, c: &NewSpecComment, w: &WriteCtx) -> Result<()>;
    /// The comment's response so far, or None when the lot has no such comment.
    async fn response(&mut self, lot: LotId, comment: i64) -> Result<Option<String>>;
    async fn set_response(&mut self, comment: i64, response: &str) -> Result<()>;
}
