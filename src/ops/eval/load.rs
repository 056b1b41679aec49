//! Loading a lot's evaluation for a viewer: the store's records, filtered by the blind-
//! scoring rule before they are read.
use std::collections::HashMap;

use crate::domain::eval::{self as ev, EvalScope, EvalState, PanelRole, Progress};
use crate::domain::ids::{BidId, LotId};
use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::Tx;

/// Everything about the lot's evaluation that `viewer` may see, read in the caller's
/// transaction. Scores are read only for the authors `domain::eval::rules::readable_authors`
/// allows, so an unsubmitted score never leaves the store for someone who may not read it.
pub async fn state(
    tx: &mut dyn Tx,
    lot: LotId,
    viewer: &str,
    scope: EvalScope,
) -> Result<EvalState> {
    state_with(tx, lot, viewer, scope).await
}

/// What a save of scores is checked against (`domain::eval::rules::may_score` and
/// `entry`): the lot, its model, the panel in the current round and only the bids among
/// `bids` that are the lot's, read at once (`EvalStore::scoring_facts`; on a team workspace
/// one round trip). No scores, consensus or progress: no rule a save asks reads them, and
/// on a team workspace ten evaluators save at once (bench: team).
pub async fn for_scoring(
    tx: &mut dyn Tx,
    lot: LotId,
    viewer: &str,
    bids: &[BidId],
) -> Result<EvalState> {
    let mut wanted = bids.to_vec();
    wanted.sort();
    wanted.dedup();
    let facts = tx
        .eval()
        .scoring_facts(lot, &wanted)
        .await?
        .ok_or_else(|| Error::not_found(format!("lot {lot}")))?;
    let access = ev::access(viewer, &facts.panel);
    // The blind rule, whatever the backend returned: an undeclared member sees no bid.
    let bids = if access.may_see_bids {
        facts.bids
    } else {
        Vec::new()
    };
    // Which edit of the model this is (`model_version`, for the model editor's optimistic
    // lock and a scoresheet's stamp) is not asked: a save checks against the model as it
    // is in this transaction.
    Ok(assemble(
        facts.head,
        facts.model,
        facts.reopenings,
        facts.panel,
        Parts {
            viewer,
            lot,
            access,
            bids,
            scores: Vec::new(),
            consensus: Vec::new(),
            progress: Vec::new(),
            model_version: 0,
        },
    ))
}

async fn state_with(
    tx: &mut dyn Tx,
    lot: LotId,
    viewer: &str,
    scope: EvalScope,
) -> Result<EvalState> {
    let head = tx
        .eval()
        .head(lot)
        .await?
        .ok_or_else(|| Error::not_found(format!("lot {lot}")))?;
    let (model, approved) = match tx.eval().model(lot).await? {
        Some((m, a)) => (Some(m), a),
        None => (None, None),
    };
    let reopenings = tx.eval().reopenings(lot).await?;
    let round = reopenings.last().map(|r| r.round).unwrap_or(1);
    let panel = tx.eval().panel(lot, round).await?;
    let access = ev::access(viewer, &panel);
    let bids = if access.may_see_bids {
        tx.eval().bids(lot).await?
    } else {
        Vec::new()
    };
    let readable = ev::rules::readable_authors(&access, viewer, &panel, scope);
    let scores = if readable.is_empty() {
        Vec::new()
    } else {
        tx.eval().scores_by(lot, &readable).await?
    };
    let consensus = if access.may_see_submitted {
        tx.eval().consensus(lot).await?
    } else {
        Vec::new()
    };
    // Counts only: how far each evaluator has got, never what they scored. Writes and
    // results skip this: counting 60,000 scores costs more than saving one.
    let progress = if scope == EvalScope::Consensus {
        Vec::new()
    } else {
        let bid_count = tx.eval().bid_count(lot).await?;
        let counts: HashMap<String, u32> = tx.eval().score_counts(lot).await?.into_iter().collect();
        let questions = model.as_ref().map(|m| m.questions().count()).unwrap_or(0) as u32;
        panel
            .iter()
            .filter(|m| m.role == PanelRole::Evaluator && m.active())
            .map(|m| Progress {
                evaluator: m.person.clone(),
                scored: counts.get(&m.person).copied().unwrap_or(0),
                required: bid_count * questions,
                submitted: m.submitted_at.is_some(),
            })
            .collect()
    };
    let model_version = tx
        .audit()
        .last_change("lot", lot.0, super::record::MODEL_CHANGES)
        .await?
        .map_or(0, |c| c.version);
    Ok(assemble(
        head,
        model.map(|m| (m, approved)),
        reopenings,
        panel,
        Parts {
            viewer,
            lot,
            access,
            bids,
            scores,
            consensus,
            progress,
            model_version,
        },
    ))
}

/// What a read adds to the lot's head, model, reopenings and panel.
struct Parts<'a> {
    viewer: &'a str,
    lot: LotId,
    access: ev::Access,
    bids: Vec<ev::Bid>,
    scores: Vec<ev::ScoreEntry>,
    consensus: Vec<ev::ConsensusEntry>,
    progress: Vec<Progress>,
    model_version: i64,
}

fn assemble(
    head: crate::store::EvalHead,
    model: Option<(ev::model::EvalModel, Option<ev::Approval>)>,
    reopenings: Vec<ev::Reopening>,
    panel: Vec<ev::PanelMember>,
    p: Parts<'_>,
) -> EvalState {
    let (model, approved) = match model {
        Some((m, a)) => (Some(m), a),
        None => (None, None),
    };
    EvalState {
        model_version: p.model_version,
        lot_id: p.lot,
        lot_title: head.title,
        lot_reference: head.reference,
        stage: head.stage,
        viewer: p.viewer.to_string(),
        access: p.access,
        price_method: model.as_ref().and_then(|m| {
            m.price_section()
                .and_then(|s| s.price.as_ref().map(|p| p.describe(s.weight)))
        }),
        model,
        approved,
        panel,
        bids: p.bids,
        scores: p.scores,
        consensus: p.consensus,
        progress: p.progress,
        round: reopenings.last().map(|r| r.round).unwrap_or(1),
        reopenings,
        award_limit: head.award_limit,
    }
}

/// The lot's evaluation as `viewer` may see it, in a read transaction of its own.
pub async fn read(ctx: &Ctx, lot: LotId, viewer: &str, scope: EvalScope) -> Result<EvalState> {
    state(&mut *ctx.store.read().await?, lot, viewer, scope).await
}
