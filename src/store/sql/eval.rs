//! Evaluation records in the store: kept and mapped, nothing decided here.
use super::Conn;
use super::rows::Instant;
use super::rows::decode;
use sqlx::FromRow;
use std::collections::HashMap;

use super::BackendTx;
use super::rows::instant;
use super::rows::timestamp;
use crate::domain::eval::model::EvalModel;
use crate::domain::eval::{
    Approval, Bid, BidParty, ConsensusEntry, PanelMember, PanelRole, Reopening, ScoreEntry,
};
use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{EvalHead, NewAuditEvent, ScoringFacts, WriteCtx};

#[derive(FromRow)]
struct HeadRow {
    reference: String,
    title: String,
    stage: String,
    max_lots_per_supplier: Option<i64>,
}

#[derive(FromRow)]
pub(super) struct PanelRow {
    pub(super) person: String,
    pub(super) role: String,
    pub(super) declared_at: Option<Instant>,
    pub(super) conflict: Option<String>,
    pub(super) submitted_at: Option<Instant>,
    pub(super) signed_at: Option<Instant>,
}

impl TryFrom<PanelRow> for PanelMember {
    type Error = Error;
    fn try_from(r: PanelRow) -> Result<Self> {
        Ok(PanelMember {
            role: PanelRole::parse(&r.role).map_err(|_| super::rows::unreadable("panel role"))?,
            person: r.person,
            declared_at: r.declared_at.map(super::rows::instant_owned),
            conflict: r.conflict,
            submitted_at: r.submitted_at.map(super::rows::instant_owned),
            signed_off_at: r.signed_at.map(super::rows::instant_owned),
        })
    }
}

#[derive(FromRow)]
struct ScoreRow {
    bid_id: i64,
    question: String,
    evaluator: String,
    score: i64,
    justification: String,
    at: Instant,
}

impl From<ScoreRow> for ScoreEntry {
    fn from(r: ScoreRow) -> Self {
        ScoreEntry {
            bid_id: BidId(r.bid_id),
            question: r.question,
            evaluator: r.evaluator,
            score: r.score as u32,
            justification: r.justification,
            at: instant(&r.at),
        }
    }
}

#[derive(FromRow)]
struct ConsensusRow {
    bid_id: i64,
    question: String,
    score: i64,
    reason: String,
    moderator: String,
    at: Instant,
}

impl From<ConsensusRow> for ConsensusEntry {
    fn from(r: ConsensusRow) -> Self {
        ConsensusEntry {
            bid_id: BidId(r.bid_id),
            question: r.question,
            score: r.score as u32,
            reason: r.reason,
            moderator: r.moderator,
            at: instant(&r.at),
        }
    }
}

#[async_trait::async_trait]
impl crate::store::EvalStore for BackendTx {
    async fn head(&mut self, lot: LotId) -> Result<Option<EvalHead>> {
        sqlx::query_as::<_, HeadRow>(
            "SELECT l.reference, l.title, l.stage, p.max_lots_per_supplier FROM lots l
             JOIN procurements p ON p.id = l.procurement_id WHERE l.id = $1",
        )
        .bind(lot.0)
        .fetch_optional(self.conn())
        .await?
        .map(|h| {
            Ok(EvalHead {
                stage: super::rows::stage(&h.stage)?,
                reference: h.reference,
                title: h.title,
                award_limit: h.max_lots_per_supplier.map(|n| n as u32),
            })
        })
        .transpose()
    }

    fn facts_were_kept(&self) -> bool {
        self.facts_guard().is_some()
    }

    fn forget_kept_facts(&mut self, lot: LotId) {
        self.forget_facts(lot);
    }

    async fn scoring_facts(&mut self, lot: LotId, bids: &[BidId]) -> Result<Option<ScoringFacts>> {
        if let Some(read) = super::dialect::scoring_facts(self, lot, bids).await? {
            return Ok(read);
        }
        let Some(head) = self.head(lot).await? else {
            return Ok(None);
        };
        let model = self.model(lot).await?;
        let reopenings = self.reopenings(lot).await?;
        let round = reopenings.last().map(|r| r.round).unwrap_or(1);
        let panel = self.panel(lot, round).await?;
        let found = if bids.len() <= FEW_BIDS {
            let mut found = Vec::with_capacity(bids.len());
            for id in bids {
                found.extend(self.bid(lot, *id).await?);
            }
            found
        } else {
            let mut all = self.bids(lot).await?;
            all.retain(|b| bids.contains(&b.id));
            all
        };
        Ok(Some(ScoringFacts {
            head,
            model,
            reopenings,
            panel,
            bids: found,
        }))
    }

    async fn model(&mut self, lot: LotId) -> Result<Option<(EvalModel, Option<Approval>)>> {
        let row: Option<(String, Option<String>, Option<Instant>)> = sqlx::query_as(
            "SELECT model, approved_by, approved_at FROM eval_models WHERE lot_id = $1",
        )
        .bind(lot.0)
        .fetch_optional(self.conn())
        .await?;
        let Some((text, by, at)) = row else {
            return Ok(None);
        };
        stored_model(lot, &text, by, at).map(Some)
    }

    async fn reopenings(&mut self, lot: LotId) -> Result<Vec<Reopening>> {
        let rows: Vec<(i64, String, Instant, String)> = decode(sqlx::query(
            "SELECT round, by, at, reason FROM moderation_reopenings WHERE lot_id = $1 ORDER BY round",
        )
        .bind(lot.0)
        .fetch_all(self.conn())
        .await?)?;
        Ok(rows
            .into_iter()
            .map(|(round, by, at, reason)| Reopening {
                round: round as u32,
                by,
                at: instant(&at),
                reason,
            })
            .collect())
    }

    async fn panel(&mut self, lot: LotId, round: u32) -> Result<Vec<PanelMember>> {
        decode::<PanelRow>(sqlx::query(
            "SELECT m.person, m.role, m.declared_at, m.conflict, s.at AS submitted_at, g.at AS signed_at
             FROM panel_members m
             LEFT JOIN submissions s ON s.lot_id = m.lot_id AND s.evaluator = m.person
             LEFT JOIN signoffs g ON g.lot_id = m.lot_id AND g.person = m.person AND g.round = $1
             WHERE m.lot_id = $2 ORDER BY m.role DESC, m.person",
        )
        .bind(i64::from(round))
        .bind(lot.0)
        .fetch_all(self.conn())
        .await?)?
        .into_iter()
        .map(PanelMember::try_from)
        .collect()
    }

    async fn bids(&mut self, lot: LotId) -> Result<Vec<Bid>> {
        bids(self.conn(), lot, None).await
    }

    async fn bid(&mut self, lot: LotId, bid: BidId) -> Result<Option<Bid>> {
        Ok(bids(self.conn(), lot, Some(bid)).await?.pop())
    }

    async fn bid_count(&mut self, lot: LotId) -> Result<u32> {
        // A team member's rows are filtered by the server's blind rule; how many bids there
        // are is not hidden, so it is asked of a function that counts them all.
        let sql = if self.server_audit() {
            "SELECT lotwise_bid_count($1)"
        } else {
            "SELECT count(*) FROM bids WHERE lot_id = $1"
        };
        let n: i64 = sqlx::query_scalar(sql)
            .bind(lot.0)
            .fetch_one(self.conn())
            .await?;
        Ok(n as u32)
    }

    async fn scores_by(&mut self, lot: LotId, authors: &[String]) -> Result<Vec<ScoreEntry>> {
        let mut out = Vec::new();
        for author in authors {
            let rows = decode::<ScoreRow>(
                sqlx::query(
                    "SELECT bid_id, question, evaluator, score, justification, at FROM scores
                 WHERE lot_id = $1 AND evaluator = $2",
                )
                .bind(lot.0)
                .bind(author)
                .fetch_all(self.conn())
                .await?,
            )?;
            out.extend(rows.into_iter().map(ScoreEntry::from));
        }
        Ok(out)
    }

    async fn score_counts(&mut self, lot: LotId) -> Result<Vec<(String, u32)>> {
        // Progress is counts, which everyone may see; the scores themselves a team member's
        // connection reads only as the blind rule allows, so the server counts them.
        let sql = if self.server_audit() {
            "SELECT evaluator, n FROM lotwise_score_counts($1)"
        } else {
            "SELECT evaluator, count(*) FROM scores WHERE lot_id = $1 GROUP BY evaluator"
        };
        let rows: Vec<(String, i64)> =
            decode(sqlx::query(sql).bind(lot.0).fetch_all(self.conn()).await?)?;
        Ok(rows.into_iter().map(|(e, n)| (e, n as u32)).collect())
    }

    async fn consensus(&mut self, lot: LotId) -> Result<Vec<ConsensusEntry>> {
        Ok(decode::<ConsensusRow>(sqlx::query(
            "SELECT bid_id, question, score, reason, moderator, at FROM consensus WHERE lot_id = $1",
        )
        .bind(lot.0)
        .fetch_all(self.conn())
        .await?)?
        .into_iter()
        .map(ConsensusEntry::from)
        .collect())
    }

    async fn bid_from(&mut self, lot: LotId, supplier: SupplierId) -> Result<Option<BidId>> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM bids WHERE lot_id = $1 AND supplier_id = $2")
                .bind(lot.0)
                .bind(supplier.0)
                .fetch_optional(self.conn())
                .await?;
        Ok(id.map(BidId))
    }

    async fn set_model(&mut self, lot: LotId, model: &EvalModel) -> Result<()> {
        sqlx::query("INSERT INTO eval_models (lot_id, model) VALUES ($1, $2) ON CONFLICT (lot_id) DO UPDATE SET model = excluded.model")
            .bind(lot.0)
            .bind(serde_json::to_string(model).expect("serialisable"))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn set_approval(&mut self, lot: LotId, by: Option<&WriteCtx>) -> Result<()> {
        sqlx::query("UPDATE eval_models SET approved_by = $1, approved_at = $2 WHERE lot_id = $3")
            .bind(by.map(|w| w.actor.clone()))
            .bind(by.map(|w| timestamp(w.at)))
            .bind(lot.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn set_award_limit(&mut self, p: ProcurementId, limit: Option<u32>) -> Result<()> {
        sqlx::query("UPDATE procurements SET max_lots_per_supplier = $1 WHERE id = $2")
            .bind(limit.map(i64::from))
            .bind(p.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn insert_bid(&mut self, lot: LotId, lead: SupplierId, price: Money) -> Result<BidId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO bids (lot_id, supplier_id, price_pence) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(lot.0)
        .bind(lead.0)
        .bind(price.pence())
        .fetch_one(self.conn())
        .await?;
        Ok(BidId(id))
    }

    async fn insert_bid_member(
        &mut self,
        bid: BidId,
        supplier: SupplierId,
        position: u32,
    ) -> Result<()> {
        sqlx::query("INSERT INTO bid_members (bid_id, supplier_id, position) VALUES ($1, $2, $3)")
            .bind(bid.0)
            .bind(supplier.0)
            .bind(i64::from(position))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn insert_panel_member(
        &mut self,
        lot: LotId,
        person: &str,
        role: PanelRole,
    ) -> Result<()> {
        sqlx::query("INSERT INTO panel_members (lot_id, person, role) VALUES ($1, $2, $3)")
            .bind(lot.0)
            .bind(person)
            .bind(role.key())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn set_declaration(
        &mut self,
        lot: LotId,
        person: &str,
        at: chrono::DateTime<chrono::Utc>,
        conflict: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE panel_members SET declared_at = $1, conflict = $2 WHERE lot_id = $3 AND person = $4",
        )
        .bind(timestamp(at))
        .bind(conflict)
        .bind(lot.0)
        .bind(person)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn save_score(&mut self, lot: LotId, s: &ScoreEntry) -> Result<()> {
        score_bound(upsert_score!(), lot, s)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn save_score_audited(
        &mut self,
        lot: LotId,
        s: &ScoreEntry,
        e: NewAuditEvent,
    ) -> Result<bool> {
        if !self.server_audit() {
            self.save_score(lot, s).await?;
            crate::store::AuditStore::append(self, e).await?;
            return Ok(true);
        }
        // A member's connection: the score and its event in one round trip. The event is
        // appended only once the score is kept (it reads the score's row), and the server
        // still sets who, when and the link (`lotwise_audit_append`). Checked against the
        // store's copy of the facts, the score is kept only while their generation is the
        // copy's (`team.sql`, lotwise_facts_generation).
        let guard = self.facts_guard();
        let query = score_bound(
            if guard.is_some() {
                concat!(
                    "WITH saved AS (",
                    upsert_score_if!("(SELECT g.last_value FROM lotwise_facts_generation g) = $13"),
                    " RETURNING 1) SELECT lotwise_audit_append($8, $9, $10, $11, $12) FROM saved"
                )
            } else {
                concat!(
                    "WITH saved AS (",
                    upsert_score!(),
                    " RETURNING 1) SELECT lotwise_audit_append($8, $9, $10, $11, $12) FROM saved"
                )
            },
            lot,
            s,
        )
        .bind(&e.action)
        .bind(&e.entity)
        .bind(e.entity_id)
        .bind(&e.before)
        .bind(&e.after);
        let query = match guard {
            Some(generation) => query.bind(generation),
            None => query,
        };
        let saved = query.fetch_optional(self.conn()).await?;
        if saved.is_none() {
            self.forget_facts(lot);
            return Ok(false);
        }
        // The copy is the server's facts as they are: they cannot change while this
        // transaction holds the write lock, so the rest of its scores need no check.
        self.facts_confirmed();
        Ok(true)
    }

    async fn panel_key(&mut self, lot: LotId, person: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT public_key FROM panel_keys WHERE lot_id = $1 AND person = $2",
        )
        .bind(lot.0)
        .bind(person)
        .fetch_optional(self.conn())
        .await?)
    }

    async fn register_panel_key(
        &mut self,
        lot: LotId,
        person: &str,
        public_key: &str,
        fingerprint: &str,
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO panel_keys (lot_id, person, public_key, fingerprint, confirmed_by, confirmed_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(lot.0)
        .bind(person)
        .bind(public_key)
        .bind(fingerprint)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn scoresheet_import(
        &mut self,
        sheet_id: &str,
        submission_id: &str,
    ) -> Result<Option<(String, chrono::DateTime<chrono::Utc>)>> {
        let row: Option<(String, Instant)> = sqlx::query_as(
            "SELECT imported_by, imported_at FROM scoresheet_imports
             WHERE sheet_id = $1 OR submission_id = $2 LIMIT 1",
        )
        .bind(sheet_id)
        .bind(submission_id)
        .fetch_optional(self.conn())
        .await?;
        Ok(row.map(|(by, at)| (by, super::rows::instant_owned(at))))
    }

    async fn scoresheet_imports(
        &mut self,
        lot: LotId,
    ) -> Result<Vec<crate::store::eval::ScoresheetImport>> {
        let rows: Vec<(
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT submission_id, sheet_id, evaluator, sha256, signature, public_key
                 FROM scoresheet_imports WHERE lot_id = $1 ORDER BY imported_at, submission_id",
        )
        .bind(lot.0)
        .fetch_all(self.conn())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(submission_id, sheet_id, evaluator, sha256, signature, public_key)| {
                    crate::store::eval::ScoresheetImport {
                        submission_id,
                        sheet_id,
                        evaluator,
                        sha256,
                        signature,
                        public_key,
                    }
                },
            )
            .collect())
    }

    async fn insert_scoresheet_import(
        &mut self,
        lot: LotId,
        i: &crate::store::eval::ScoresheetImport,
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO scoresheet_imports (submission_id, sheet_id, lot_id, evaluator, sha256, signature, public_key, imported_by, imported_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&i.submission_id)
        .bind(&i.sheet_id)
        .bind(lot.0)
        .bind(&i.evaluator)
        .bind(&i.sha256)
        .bind(&i.signature)
        .bind(&i.public_key)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn insert_submission(
        &mut self,
        lot: LotId,
        evaluator: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        sqlx::query("INSERT INTO submissions (lot_id, evaluator, at) VALUES ($1, $2, $3)")
            .bind(lot.0)
            .bind(evaluator)
            .bind(timestamp(at))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn save_consensus(&mut self, lot: LotId, c: &ConsensusEntry) -> Result<()> {
        sqlx::query(
            "INSERT INTO consensus (lot_id, bid_id, question, score, reason, moderator, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (bid_id, question) DO UPDATE SET score = excluded.score, reason = excluded.reason,
               moderator = excluded.moderator, at = excluded.at",
        )
        .bind(lot.0)
        .bind(c.bid_id.0)
        .bind(&c.question)
        .bind(i64::from(c.score))
        .bind(&c.reason)
        .bind(&c.moderator)
        .bind(timestamp(c.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn insert_signoff(
        &mut self,
        lot: LotId,
        round: u32,
        person: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        sqlx::query("INSERT INTO signoffs (lot_id, round, person, at) VALUES ($1, $2, $3, $4)")
            .bind(lot.0)
            .bind(i64::from(round))
            .bind(person)
            .bind(timestamp(at))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn insert_reopening(&mut self, lot: LotId, r: &Reopening) -> Result<()> {
        sqlx::query(
            "INSERT INTO moderation_reopenings (lot_id, round, by, at, reason) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(lot.0)
        .bind(i64::from(r.round))
        .bind(&r.by)
        .bind(timestamp(r.at))
        .bind(&r.reason)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

#[derive(FromRow)]
pub(super) struct PartyRow {
    pub(super) sid: i64,
    pub(super) name: String,
    pub(super) ch: Option<String>,
    pub(super) charity: Option<String>,
}

impl From<PartyRow> for BidParty {
    fn from(r: PartyRow) -> Self {
        BidParty {
            supplier_id: SupplierId(r.sid),
            name: r.name,
            registration_number: r.ch.or(r.charity),
        }
    }
}

#[derive(FromRow)]
struct MemberRow {
    bid_id: i64,
    #[sqlx(flatten)]
    party: PartyRow,
}

#[derive(FromRow)]
struct BidRow {
    id: i64,
    price_pence: i64,
    #[sqlx(flatten)]
    party: PartyRow,
}

/// A score kept, replacing the evaluator's unsubmitted one for the same question; its
/// values are $1 to $7 (`score_bound`).
macro_rules! upsert_score {
    () => {
        concat!(
            "INSERT INTO scores (lot_id, bid_id, question, evaluator, score, justification, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            replace_unsubmitted!()
        )
    };
}
use upsert_score;

/// `upsert_score!` kept only when `$condition` holds (then no row is inserted or changed).
macro_rules! upsert_score_if {
    ($condition:literal) => {
        concat!(
            "INSERT INTO scores (lot_id, bid_id, question, evaluator, score, justification, at) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE ",
            $condition,
            replace_unsubmitted!()
        )
    };
}
use upsert_score_if;

/// A score saved again replaces the one the evaluator saved before for that question.
macro_rules! replace_unsubmitted {
    () => {
        " ON CONFLICT (bid_id, question, evaluator) DO UPDATE SET score = excluded.score, justification = excluded.justification, at = excluded.at"
    };
}
use replace_unsubmitted;

/// `sql` with a score's values bound as $1 to $7.
fn score_bound<'q>(
    sql: &'static str,
    lot: LotId,
    s: &'q ScoreEntry,
) -> sqlx::query::Query<'q, super::Db, <super::Db as sqlx::Database>::Arguments> {
    sqlx::query(sql)
        .bind(lot.0)
        .bind(s.bid_id.0)
        .bind(&s.question)
        .bind(&s.evaluator)
        .bind(i64::from(s.score))
        .bind(&s.justification)
        .bind(timestamp(s.at))
}

/// Up to this many bids a save reads one by one, rather than all of the lot's.
const FEW_BIDS: usize = 8;

/// A stored evaluation model, read back.
pub(super) fn stored_model(
    lot: LotId,
    text: &str,
    by: Option<String>,
    at: Option<Instant>,
) -> Result<(EvalModel, Option<Approval>)> {
    let model: EvalModel = serde_json::from_str(text).map_err(|e| {
        tracing::error!(lot = lot.0, error = %e, "stored evaluation model unreadable");
        Error::new(
            ErrorCode::Storage,
            format!("the evaluation model of lot {lot} is unreadable"),
        )
    })?;
    let approved = by.map(|by| Approval {
        by,
        at: super::rows::opt_instant(at),
    });
    Ok((model, approved))
}

/// The lot's bids, or only `only` (a save reads the one bid it scores, not all of them).
async fn bids(conn: &mut Conn, lot: LotId, only: Option<BidId>) -> Result<Vec<Bid>> {
    let one = if only.is_some() { " AND b.id = $2" } else { "" };
    let mut members: HashMap<i64, Vec<BidParty>> = HashMap::new();
    let sql = format!(
        "SELECT m.bid_id, s.id AS sid, s.name, s.companies_house_number AS ch, s.charity_number AS charity
         FROM bid_members m JOIN bids b ON b.id = m.bid_id JOIN suppliers s ON s.id = m.supplier_id
         WHERE b.lot_id = $1{one} ORDER BY m.position"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lot.0);
    if let Some(b) = only {
        q = q.bind(b.0);
    }
    for r in decode::<MemberRow>(q.fetch_all(&mut *conn).await?)? {
        members.entry(r.bid_id).or_default().push(r.party.into());
    }
    let sql = format!(
        "SELECT b.id, b.price_pence, s.id AS sid, s.name, s.companies_house_number AS ch, s.charity_number AS charity
         FROM bids b JOIN suppliers s ON s.id = b.supplier_id WHERE b.lot_id = $1{one} ORDER BY s.name, b.id"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lot.0);
    if let Some(b) = only {
        q = q.bind(b.0);
    }
    Ok(decode::<BidRow>(q.fetch_all(&mut *conn).await?)?
        .into_iter()
        .map(|r| Bid {
            id: BidId(r.id),
            lot_id: lot,
            members: members.remove(&r.id).unwrap_or_default(),
            price: Money::from_pence(r.price_pence),
            lead: r.party.into(),
        })
        .collect())
}
