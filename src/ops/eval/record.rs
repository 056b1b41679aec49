//! The evaluation's writes: each loads the record inside its transaction, asks
//! `domain::eval::rules`, applies what passed, audits it and commits.
use std::collections::HashMap;

use super::load::state;
use crate::domain::eval::model::EvalModel;
use crate::domain::eval::rules::{self, at_line};
use crate::domain::eval::{
    self as ev, ConsensusEntry, EvalScope, EvalState, PanelRole, Reopening, ScoreEntry,
};
use crate::domain::ids::{BidId, LotId, ProcurementId, SupplierId};
use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::{ConsensusInput, NewAuditEvent, NewBid, NewSupplier, ScoreInput, Tx, WriteCtx};

/// The audit actions that change a lot's model (its version for domain::edit).
pub const MODEL_CHANGES: &str = "eval.model_set";

async fn mine(tx: &mut dyn Tx, w: &WriteCtx, lot: LotId, scope: EvalScope) -> Result<EvalState> {
    state(tx, lot, &w.actor, scope).await
}

/// `expected`: the model version the person saw (`modelVersion`); a newer one refuses the
/// save with `conflict` (domain::edit).
pub async fn set_model(
    ctx: &Ctx,
    w: &WriteCtx,
    lot: LotId,
    model: &EvalModel,
    expected: Option<i64>,
) -> Result<()> {
    model.validate()?;
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    let current = tx.audit().last_change("lot", lot.0, MODEL_CHANGES).await?;
    crate::domain::edit::check_not_stale("the evaluation model", expected, current.as_ref())?;
    rules::may_change_model(&st)?;
    tx.eval().set_model(lot, model).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "eval.model_set", "lot", Some(lot.0))
                .before_opt(st.model.as_ref())
                .after(model),
        )
        .await?;
    tx.commit().await
}

pub async fn approve(ctx: &Ctx, w: &WriteCtx, lot: LotId) -> Result<()> {
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    rules::may_approve_model(&st)?;
    tx.eval().set_approval(lot, Some(w)).await?;
    let mut event = NewAuditEvent::new(w, "eval.model_approved", "lot", Some(lot.0));
    if let Some(m) = &st.model {
        event = event.after(m);
    }
    tx.audit().append(event).await?;
    tx.commit().await
}

pub async fn withdraw(ctx: &Ctx, w: &WriteCtx, lot: LotId, reason: &str) -> Result<()> {
    let reason = ev::reason(
        "reason",
        "for withdrawing the approval",
        reason,
        ev::MIN_REASON_CHARS,
    )?;
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    rules::may_withdraw_approval(&st)?;
    tx.eval().set_approval(lot, None).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "eval.approval_withdrawn", "lot", Some(lot.0))
                .after(&serde_json::json!({"reason": reason})),
        )
        .await?;
    tx.commit().await
}

pub async fn set_award_limit(
    ctx: &Ctx,
    w: &WriteCtx,
    p: ProcurementId,
    limit: Option<u32>,
) -> Result<()> {
    let limit = rules::award_limit(limit)?;
    let mut tx = ctx.store.begin().await?;
    tx.registers()
        .procurement(p)
        .await?
        .ok_or_else(|| Error::not_found(format!("procurement {p}")))?;
    tx.eval().set_award_limit(p, limit).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "procurement.award_limit_set", "procurement", Some(p.0))
                .after(&serde_json::json!({"maxLotsPerSupplier": limit})),
        )
        .await?;
    tx.commit().await
}

/// The supplier a bid names: found by registration number (or, without one, by name among
/// unregistered suppliers), or added to the register.
async fn supplier_for(tx: &mut dyn Tx, w: &WriteCtx, s: &NewSupplier) -> Result<SupplierId> {
    let found = if s.companies_house_number.is_some() || s.charity_number.is_some() {
        tx.registers()
            .supplier_by_numbers(
                s.companies_house_number.as_deref(),
                s.charity_number.as_deref(),
            )
            .await?
    } else {
        tx.registers().unregistered_supplier_named(&s.name).await?
    };
    match found {
        Some(id) => Ok(id),
        None => Ok(crate::ops::registers::add_supplier(tx, w, s).await?.id),
    }
}

pub async fn import_bids(ctx: &Ctx, w: &WriteCtx, bids: Vec<NewBid>) -> Result<usize> {
    let mut tx = ctx.store.begin().await?;
    let n = import_bids_in(&mut *tx, w, bids).await?.len();
    tx.commit().await?;
    Ok(n)
}

/// Records bids inside the caller's transaction, all or none, returning their ids in order.
pub async fn import_bids_in(
    tx: &mut dyn Tx,
    w: &WriteCtx,
    bids: Vec<NewBid>,
) -> Result<Vec<BidId>> {
    let mut states: HashMap<LotId, EvalState> = HashMap::new();
    let mut ids = Vec::with_capacity(bids.len());
    for b in bids {
        if let std::collections::hash_map::Entry::Vacant(e) = states.entry(b.lot) {
            e.insert(mine(tx, w, b.lot, EvalScope::Consensus).await?);
        }
        let st = &states[&b.lot];
        rules::may_record_bids(st).map_err(|e| at_line(b.line, e))?;
        let reference = st.lot_reference.clone();
        let lead = supplier_for(tx, w, &b.lead)
            .await
            .map_err(|e| at_line(b.line, e))?;
        if tx.eval().bid_from(b.lot, lead).await?.is_some() {
            return Err(at_line(
                b.line,
                Error::validation(
                    "supplier",
                    format!("{} has already bid for lot {reference}", b.lead.name),
                ),
            ));
        }
        let id = tx.eval().insert_bid(b.lot, lead, b.price).await?;
        ids.push(id);
        let mut member_ids: Vec<SupplierId> = Vec::new();
        for (i, m) in b.members.iter().enumerate() {
            let mid = supplier_for(tx, w, m)
                .await
                .map_err(|e| at_line(b.line, e))?;
            if mid == lead || member_ids.contains(&mid) {
                return Err(at_line(
                    b.line,
                    Error::validation(
                        "members",
                        format!("{} is named twice in the consortium", m.name),
                    ),
                ));
            }
            member_ids.push(mid);
            tx.eval().insert_bid_member(id, mid, i as u32).await?;
        }
        tx.audit()
            .append(NewAuditEvent::new(w, "bid.recorded", "bid", Some(id.0)).after(
                &serde_json::json!({
                    "lotId": b.lot, "leadSupplierId": lead, "memberSupplierIds": member_ids, "price": b.price,
                }),
            ))
            .await?;
    }
    Ok(ids)
}

pub async fn add_panel_member(
    ctx: &Ctx,
    w: &WriteCtx,
    lot: LotId,
    person: &str,
    role: PanelRole,
) -> Result<()> {
    let person = person.trim();
    if person.is_empty() {
        return Err(Error::validation(
            "person",
            "enter the panel member’s user name",
        ));
    }
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    rules::may_join_panel(&st, person, role)?;
    tx.eval().insert_panel_member(lot, person, role).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "eval.panel_member_added", "lot", Some(lot.0))
                .after(&serde_json::json!({"person": person, "role": role})),
        )
        .await?;
    tx.commit().await
}

pub async fn declare(ctx: &Ctx, w: &WriteCtx, lot: LotId, conflict: Option<&str>) -> Result<()> {
    let conflict = conflict.map(str::trim).filter(|c| !c.is_empty());
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    rules::may_declare(&st, &w.actor, conflict)?;
    tx.eval()
        .set_declaration(lot, &w.actor, w.at, conflict)
        .await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "eval.interests_declared", "lot", Some(lot.0))
                .after(&serde_json::json!({"person": w.actor, "conflict": conflict})),
        )
        .await?;
    tx.commit().await
}

pub async fn save_scores(
    ctx: &Ctx,
    w: &WriteCtx,
    lot: LotId,
    scores: Vec<ScoreInput>,
) -> Result<()> {
    let bids: Vec<BidId> = scores.iter().map(|s| s.bid).collect();
    save_scores_read(ctx, w, lot, &bids, |_| Ok(scores.clone())).await
}

/// One score as typed (`"3"`, `"pass"`), read against the question's scale in the same
/// transaction as the save: one read of the model, under the lock that decides.
pub async fn save_typed_score(
    ctx: &Ctx,
    w: &WriteCtx,
    lot: LotId,
    bid: BidId,
    question: &str,
    typed: &str,
    justification: String,
) -> Result<()> {
    save_scores_read(ctx, w, lot, &[bid], |model| {
        let (_, q) = model.question(question).ok_or_else(|| {
            Error::validation("question", format!("there is no question “{question}”"))
        })?;
        Ok(vec![ScoreInput {
            line: None,
            bid,
            question: q.key.clone(),
            score: ev::parse_score(q, typed)?,
            justification: justification.clone(),
        }])
    })
    .await
}

/// Saves the scores `read` makes from the lot's model, once the rules allow the actor to
/// score.
async fn save_scores_read(
    ctx: &Ctx,
    w: &WriteCtx,
    lot: LotId,
    bids: &[BidId],
    read: impl Fn(&EvalModel) -> Result<Vec<ScoreInput>>,
) -> Result<()> {
    // An evaluator's own scores: on a team workspace, saves by different evaluators run
    // side by side (Store::begin_scoring says why that is safe).
    let mut tx = ctx.store.begin_scoring(lot, &w.actor).await?;
    // A team member's store may check a save against the facts it read for the previous
    // one. If they have changed since, nothing is written (EvalStore::save_score_audited);
    // and a refusal may rest on what has changed since. Either way they are read again
    // here, in the same transaction, and the rules decide again.
    for _ in 0..2 {
        match save_checked(&mut *tx, w, lot, bids, &read).await {
            Ok(true) => return tx.commit().await,
            Ok(false) => {}
            Err(_) if tx.eval().facts_were_kept() => tx.eval().forget_kept_facts(lot),
            Err(e) => return Err(e),
        }
    }
    Err(Error::conflict(
        "the evaluation changed while the score was being saved; nothing was saved: try again",
    ))
}

/// False, with nothing written, when the facts it was checked against were out of date.
async fn save_checked(
    tx: &mut dyn crate::store::Tx,
    w: &WriteCtx,
    lot: LotId,
    bids: &[BidId],
    read: &impl Fn(&EvalModel) -> Result<Vec<ScoreInput>>,
) -> Result<bool> {
    let st = super::load::for_scoring(tx, lot, &w.actor, bids).await?;
    rules::may_score(&st, &w.actor)?;
    let model = st.model()?;
    let scores = read(model)?;
    for sc in scores {
        let q = rules::entry(&st, model, sc.line, &sc.question, sc.bid)?;
        ev::check_score(model, q, sc.score, &sc.justification).map_err(|e| at_line(sc.line, e))?;
        let justification = sc.justification.trim();
        let event = NewAuditEvent::new(w, "eval.score_saved", "bid", Some(sc.bid.0)).after(
            &serde_json::json!({"lotId": lot, "question": q.key, "evaluator": w.actor,
                                "sealed": rules::seal(sc.score, justification)}),
        );
        let kept = tx
            .eval()
            .save_score_audited(
                lot,
                &ScoreEntry {
                    bid_id: sc.bid,
                    question: q.key.clone(),
                    evaluator: w.actor.clone(),
                    score: sc.score,
                    justification: justification.to_string(),
                    at: w.at,
                },
                event,
            )
            .await?;
        if !kept {
            // Only the first can be refused: the facts cannot change while this
            // transaction holds the workspace's write lock (shared), so nothing was written.
            return Ok(false);
        }
    }
    Ok(true)
}

pub async fn submit(ctx: &Ctx, w: &WriteCtx, lot: LotId) -> Result<()> {
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::OwnScores).await?;
    rules::may_submit(&st, &w.actor)?;
    tx.eval().insert_submission(lot, &w.actor, w.at).await?;
    let record: Vec<_> = st
        .scores
        .iter()
        .filter(|s| s.evaluator == w.actor)
        .map(|s| serde_json::json!({"bidId": s.bid_id, "question": s.question, "score": s.score, "justification": s.justification}))
        .collect();
    tx.audit()
        .append(
            NewAuditEvent::new(w, "eval.scores_submitted", "lot", Some(lot.0))
                .after(&serde_json::json!({"evaluator": w.actor, "scores": record})),
        )
        .await?;
    tx.commit().await
}

pub async fn record_consensus(
    ctx: &Ctx,
    w: &WriteCtx,
    lot: LotId,
    entries: Vec<ConsensusInput>,
) -> Result<()> {
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    rules::may_moderate(&st, &w.actor)?;
    let model = st.model()?;
    for c in entries {
        let q = rules::entry(&st, model, c.line, &c.question, c.bid)?;
        rules::check_consensus(model, q, c.line, c.score, &c.reason)?;
        let before = st
            .consensus
            .iter()
            .find(|x| x.bid_id == c.bid && x.question == q.key);
        let reason = c.reason.trim();
        tx.eval()
            .save_consensus(
                lot,
                &ConsensusEntry {
                    bid_id: c.bid,
                    question: q.key.clone(),
                    score: c.score,
                    reason: reason.to_string(),
                    moderator: w.actor.clone(),
                    at: w.at,
                },
            )
            .await?;
        tx.audit()
            .append(
                NewAuditEvent::new(w, "eval.consensus_recorded", "bid", Some(c.bid.0))
                    .before_opt(before.map(|b| serde_json::json!({"lotId": lot, "question": b.question, "score": b.score, "reason": b.reason})).as_ref())
                    .after(&serde_json::json!({"lotId": lot, "question": q.key, "score": c.score, "reason": reason})),
            )
            .await?;
    }
    tx.commit().await
}

pub async fn sign_off(ctx: &Ctx, w: &WriteCtx, lot: LotId) -> Result<()> {
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    rules::may_sign_off(&st, &w.actor)?;
    tx.eval()
        .insert_signoff(lot, st.round, &w.actor, w.at)
        .await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "eval.signed_off", "lot", Some(lot.0))
                .after(&serde_json::json!({"person": w.actor, "round": st.round})),
        )
        .await?;
    tx.commit().await
}

pub async fn reopen(ctx: &Ctx, w: &WriteCtx, lot: LotId, reason: &str) -> Result<()> {
    let reason = ev::reason(
        "reason",
        "for reopening the moderated record",
        reason,
        ev::MIN_REASON_CHARS,
    )?;
    let mut tx = ctx.store.begin().await?;
    let st = mine(&mut *tx, w, lot, EvalScope::Consensus).await?;
    rules::may_reopen(&st, &w.actor)?;
    let r = Reopening {
        round: st.round + 1,
        by: w.actor.clone(),
        at: w.at,
        reason,
    };
    tx.eval().insert_reopening(lot, &r).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "eval.moderation_reopened", "lot", Some(lot.0))
                .after(&serde_json::json!({"round": r.round, "reason": r.reason})),
        )
        .await?;
    tx.commit().await
}
