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
    state_with(tx, lot, viewer, scope, None, true).await
}

/// A save needs the bids it scores, not every bid with its suppliers: on a team workspace
/// reading a hundred bids through the blind rule is most of a save's work, and ten
/// evaluators save at once (bench: team). Up to this many bids are read one by one.
const FEW_BIDS: usize = 8;

/// The evaluation as `state` reads it in `EvalScope::Consensus`, with only the bids among
/// `bids` that are the lot's (`st.bids` is what the rules check a scored bid against).
pub async fn for_scoring(
    tx: &mut dyn Tx,
    lot: LotId,
    viewer: &str,
    bids: &[BidId],
) -> Result<EvalState> {
    let mut wanted = bids.to_vec();
    wanted.sort();
    wanted.dedup();
    let only = (wanted.len() <= FEW_BIDS).then_some(wanted.as_slice());
    // A save checks its scores against the model as it is in this transaction: which edit
    // of the model that is (`model_version`, for the model editor's optimistic lock and a
    // scoresheet's stamp) is not asked, one query fewer in every save.
    state_with(tx, lot, viewer, EvalScope::Consensus, only, false).await
}

async fn state_with(
    tx: &mut dyn Tx,
    lot: LotId,
    viewer: &str,
    scope: EvalScope,
    only_bids: Option<&[BidId]>,
    with_model_version: bool,
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
    let bids = match only_bids {
        _ if !access.may_see_bids => Vec::new(),
        None => tx.eval().bids(lot).await?,
        Some(ids) => {
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                found.extend(tx.eval().bid(lot, *id).await?);
            }
            found
        }
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
    let model_version = if with_model_version {
        tx.audit()
            .last_change("lot", lot.0, super::record::MODEL_CHANGES)
            .await?
            .map_or(0, |c| c.version)
    } else {
        0
    };
    Ok(EvalState {
        model_version,
        lot_id: lot,
        lot_title: head.title,
        lot_reference: head.reference,
        stage: head.stage,
        viewer: viewer.to_string(),
        access,
        price_method: model.as_ref().and_then(|m| {
            m.price_section()
                .and_then(|s| s.price.as_ref().map(|p| p.describe(s.weight)))
        }),
        model,
        approved,
        panel,
        bids,
        scores,
        consensus,
        progress,
        round,
        reopenings,
        award_limit: head.award_limit,
    })
}

/// The lot's evaluation as `viewer` may see it, in a read transaction of its own.
pub async fn read(ctx: &Ctx, lot: LotId, viewer: &str, scope: EvalScope) -> Result<EvalState> {
    state(&mut *ctx.store.read().await?, lot, viewer, scope).await
}
