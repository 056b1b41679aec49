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
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::WriteCtx;
use crate::domain::audit::{AuditEvent, AuditPage};
use crate::error::Result;

/// An open transaction and its areas.
#[async_trait]
pub trait Tx: Send {
    fn audit(&mut self) -> &mut dyn AuditStore;
    fn calendar(&mut self) -> &mut dyn CalendarStore;
    fn lots(&mut self) -> &mut dyn super::LotsStore;
    fn award(&mut self) -> &mut dyn super::AwardStore;
    fn tender(&mut self) -> &mut dyn super::TenderStore;
    fn eval(&mut self) -> &mut dyn super::EvalStore;
    fn route(&mut self) -> &mut dyn super::RouteStore;
    fn spec(&mut self) -> &mut dyn super::SpecStore;
    fn engagement(&mut self) -> &mut dyn super::EngagementStore;
    fn registers(&mut self) -> &mut dyn RegistersStore;
    fn contracts(&mut self) -> &mut dyn ContractsStore;
    async fn commit(self: Box<Self>) -> Result<()>;
}

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
    /// Newest first.
    async fn page(&mut self, offset: i64, limit: i64) -> Result<AuditPage>;
    /// Every event in order, as stored, for verifying the chain.
    async fn chain(&mut self) -> Result<Vec<crate::domain::audit::ChainEvent>>;
    /// The lot's part of the trail up to `upto`: the lot, its milestones and its bids.
    async fn lot_events(
        &mut self,
        lot: crate::domain::ids::LotId,
        upto: i64,
    ) -> Result<Vec<AuditEvent>>;
}

#[async_trait]
pub trait CalendarStore: Send {
    async fn extra_holidays(&mut self) -> Result<Vec<crate::domain::calendar::Holiday>>;
    async fn add_extra_holiday(
        &mut self,
        h: &crate::domain::calendar::Holiday,
        w: &WriteCtx,
    ) -> Result<()>;
}

use crate::domain::contract::Contract;
use crate::domain::ids::{ContractId, OrganisationId, ProcurementId, SupplierId};
use crate::domain::procurement::Procurement;
use crate::domain::registers::{Organisation, Supplier};
use crate::domain::term::OptionStatus;

#[async_trait]
pub trait RegistersStore: Send {
    /// True when the workspace holds no organisations, contracts or procurements.
    async fn is_empty(&mut self) -> Result<bool>;
    async fn organisations(&mut self) -> Result<Vec<Organisation>>;
    async fn insert_organisation(&mut self, new: &super::NewOrganisation) -> Result<Organisation>;
    async fn suppliers(&mut self) -> Result<Vec<Supplier>>;
    async fn supplier(&mut self, id: SupplierId) -> Result<Option<Supplier>>;
    async fn insert_supplier(&mut self, new: &super::NewSupplier) -> Result<Supplier>;
    /// The supplier holding either registration number.
    async fn supplier_by_numbers(
        &mut self,
        companies_house_number: Option<&str>,
        charity_number: Option<&str>,
    ) -> Result<Option<SupplierId>>;
    /// A supplier of this name (case aside) with no registration number.
    async fn unregistered_supplier_named(&mut self, name: &str) -> Result<Option<SupplierId>>;
    async fn procurements(&mut self) -> Result<Vec<Procurement>>;
    async fn procurement(&mut self, id: ProcurementId) -> Result<Option<Procurement>>;
    async fn insert_procurement(&mut self, new: &super::NewProcurement) -> Result<ProcurementId>;
}

/// A contract to keep, its provider already in the register.
#[derive(Debug, Clone)]
pub struct ContractRow {
    pub reference: String,
    pub title: String,
    pub service: String,
    pub provider: SupplierId,
    pub commissioner: Option<OrganisationId>,
    pub annual_value: crate::domain::money::Money,
    pub start: chrono::NaiveDate,
    pub term: crate::domain::term::Term,
    pub option_statuses: Vec<OptionStatus>,
    pub notice_period_months: u32,
}

#[async_trait]
pub trait ContractsStore: Send {
    async fn contracts(&mut self) -> Result<Vec<Contract>>;
    async fn contract(&mut self, id: ContractId) -> Result<Option<Contract>>;
    async fn insert_contract(&mut self, c: &ContractRow) -> Result<ContractId>;
    async fn set_option_statuses(&mut self, id: ContractId, s: &[OptionStatus]) -> Result<()>;
}
