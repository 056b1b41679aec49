//! A workspace whose commits are witnessed in this person's anchor journal
//! (`store::journal`). It wraps any backend unchanged: every write transaction, as it
//! commits, reads the head it is leaving and the journal records it once the commit holds.
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

use super::journal::Journal;
use super::{Store, Tx};
use crate::error::Result;

pub struct Journaled {
    inner: Arc<dyn Store>,
    journal: Arc<Journal>,
}

impl Journaled {
    /// Wraps `inner` when it can be written and the system has a data folder; otherwise the
    /// workspace is returned as it was.
    pub async fn wrap(inner: Arc<dyn Store>) -> Result<Arc<dyn Store>> {
        if inner.read_only() {
            return Ok(inner);
        }
        let (id, events) = {
            let mut tx = inner.read().await?;
            let id = tx.audit().workspace_id().await?;
            (id, tx.audit().head().await?.0)
        };
        // A place is remembered when first seen, and again when a new workspace (nothing
        // recorded yet) is made there; another workspace's record copied over it is not.
        let place = super::journal::place_of(&inner.location());
        match super::journal::known_at(&place) {
            Some(known) if known == id => {}
            Some(_) if events > 0 => {}
            _ => super::journal::remember(&place, &id),
        }
        Ok(match Journal::for_workspace(&id) {
            Some(j) => Arc::new(Journaled {
                inner,
                journal: Arc::new(j),
            }),
            None => inner,
        })
    }

    fn tx(&self, inner: Box<dyn Tx>) -> Box<dyn Tx> {
        Box::new(JournaledTx {
            inner,
            journal: self.journal.clone(),
        })
    }
}

#[async_trait]
impl Store for Journaled {
    async fn begin(&self) -> Result<Box<dyn Tx>> {
        Ok(self.tx(self.inner.begin().await?))
    }
    async fn begin_scoring(
        &self,
        lot: crate::domain::ids::LotId,
        evaluator: &str,
    ) -> Result<Box<dyn Tx>> {
        Ok(self.tx(self.inner.begin_scoring(lot, evaluator).await?))
    }
    async fn read(&self) -> Result<Box<dyn Tx>> {
        self.inner.read().await
    }
    fn location(&self) -> String {
        self.inner.location()
    }
    fn identity(&self) -> Option<(String, crate::domain::roles::Role)> {
        self.inner.identity()
    }
    fn read_only(&self) -> bool {
        self.inner.read_only()
    }
    fn copy_of(&self) -> Option<super::CopyOf> {
        self.inner.copy_of()
    }
    async fn check_storage(&self) -> Result<()> {
        self.inner.check_storage().await
    }
    async fn backup(&self, out: &Path) -> Result<()> {
        self.inner.backup(out).await
    }
    async fn watch(&self) -> Result<Option<tokio::sync::mpsc::Receiver<()>>> {
        self.inner.watch().await
    }
    async fn close(&self) {
        self.inner.close().await
    }
}

struct JournaledTx {
    inner: Box<dyn Tx>,
    journal: Arc<Journal>,
}

#[async_trait]
impl Tx for JournaledTx {
    fn audit(&mut self) -> &mut dyn super::AuditStore {
        self.inner.audit()
    }
    fn calendar(&mut self) -> &mut dyn super::CalendarStore {
        self.inner.calendar()
    }
    fn lots(&mut self) -> &mut dyn super::LotsStore {
        self.inner.lots()
    }
    fn finance(&mut self) -> &mut dyn super::FinanceStore {
        self.inner.finance()
    }
    fn tupe(&mut self) -> &mut dyn super::TupeStore {
        self.inner.tupe()
    }
    fn papers(&mut self) -> &mut dyn super::PapersStore {
        self.inner.papers()
    }
    fn award(&mut self) -> &mut dyn super::AwardStore {
        self.inner.award()
    }
    fn tender(&mut self) -> &mut dyn super::TenderStore {
        self.inner.tender()
    }
    fn eval(&mut self) -> &mut dyn super::EvalStore {
        self.inner.eval()
    }
    fn route(&mut self) -> &mut dyn super::RouteStore {
        self.inner.route()
    }
    fn spec(&mut self) -> &mut dyn super::SpecStore {
        self.inner.spec()
    }
    fn engagement(&mut self) -> &mut dyn super::EngagementStore {
        self.inner.engagement()
    }
    fn registers(&mut self) -> &mut dyn super::RegistersStore {
        self.inner.registers()
    }
    fn contracts(&mut self) -> &mut dyn super::ContractsStore {
        self.inner.contracts()
    }
    async fn commit(self: Box<Self>) -> Result<()> {
        let journal = self.journal.clone();
        if let Some((events, hash)) = self.inner.commit_witnessed().await? {
            journal.record(events, &hash);
        }
        Ok(())
    }
}
