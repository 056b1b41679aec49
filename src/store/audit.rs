//! The audit trail: every change appended, hash-linked, in the transaction that makes it.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::WriteCtx;
use crate::domain::audit::{AuditEvent, AuditPage};
use crate::error::Result;

/// An audit event to append; the store links it into the hash chain (`domain::audit`) in the
/// same transaction as the change it records.
#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub actor: String,
    pub at: DateTime<Utc>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    /// Serialised once, here, so the stored text (and its hash) is the event's own.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl NewAuditEvent {
    pub fn new(w: &WriteCtx, action: &str, entity: &str, entity_id: Option<i64>) -> NewAuditEvent {
        NewAuditEvent {
            actor: w.actor.clone(),
            at: w.at,
            action: action.into(),
            entity: entity.into(),
            entity_id,
            before: None,
            after: None,
        }
    }

    /// Something added to a lot: the lot is the entity, there is no "before".
    pub fn on_lot<A: Serialize>(
        w: &WriteCtx,
        action: &str,
        lot: crate::domain::ids::LotId,
        after: &A,
    ) -> NewAuditEvent {
        NewAuditEvent::new(w, action, "lot", Some(lot.0)).after(after)
    }

    pub fn before<B: Serialize + ?Sized>(mut self, b: &B) -> NewAuditEvent {
        self.before = Some(serde_json::to_string(b).expect("audit values serialise"));
        self
    }

    pub fn after<A: Serialize + ?Sized>(mut self, a: &A) -> NewAuditEvent {
        self.after = Some(serde_json::to_string(a).expect("audit values serialise"));
        self
    }

    pub fn after_opt<A: Serialize>(self, a: Option<&A>) -> NewAuditEvent {
        match a {
            Some(a) => self.after(a),
            None => self,
        }
    }

    pub fn before_opt<B: Serialize>(self, b: Option<&B>) -> NewAuditEvent {
        match b {
            Some(b) => self.before(b),
            None => self,
        }
    }
}

#[async_trait]
pub trait AuditStore: Send {
    /// Appends an event, linked to the chain head read in this same transaction.
    async fn append(&mut self, e: NewAuditEvent) -> Result<()>;
    /// The newest event's sequence number and hash (0 and the genesis hash when empty).
    async fn head(&mut self) -> Result<(i64, String)>;
    async fn hash_at(&mut self, seq: i64) -> Result<Option<String>>;
    /// The hash stored after each of these events, for those that exist (checking many
    /// anchors at once without reading the whole chain).
    async fn hashes_at(&mut self, seqs: &[i64]) -> Result<std::collections::HashMap<i64, String>>;
    /// Newest first.
    async fn page(&mut self, offset: i64, limit: i64) -> Result<AuditPage>;
    /// Every event in order, as stored, for verifying the chain.
    async fn chain(&mut self) -> Result<Vec<crate::domain::audit::ChainEvent>>;
    /// The events numbered after `after` up to `upto`, in order, as stored, handed to `visit`
    /// one at a time without being kept (verifying a long chain); reading stops when `visit`
    /// returns false. Returns how many events that part of the chain has.
    async fn walk_chain(
        &mut self,
        after: i64,
        upto: i64,
        visit: &mut crate::domain::audit::Visit<'_>,
    ) -> Result<i64>;
    /// The newest change to one thing (events on `entity`/`entity_id` whose action matches
    /// the LIKE pattern `action`), for refusing a save started from an older version.
    async fn last_change(
        &mut self,
        entity: &str,
        entity_id: i64,
        action: &str,
    ) -> Result<Option<crate::domain::edit::LastChange>>;
    /// The workspace's own random id (made once, kept for ever): what anchors name.
    async fn workspace_id(&mut self) -> Result<String>;
    /// The lot's part of the trail up to `upto`: the lot, its milestones and its bids.
    async fn lot_events(
        &mut self,
        lot: crate::domain::ids::LotId,
        upto: i64,
    ) -> Result<Vec<AuditEvent>>;
}
