//! The moderation board: each evaluator's submitted score beside the others, the spread,
//! the flag, and the consensus with its reason.
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

use super::{ConsensusEntry, EvalState};
use crate::domain::ids::BidId;
use crate::error::Result;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OriginalScore {
    pub evaluator: String,
    pub score: u32,
    pub justification: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ModerationCell {
    pub bid_id: BidId,
    pub question: String,
    /// Submitted scores only, one per active evaluator who has submitted.
    pub originals: Vec<OriginalScore>,
    /// Highest less lowest score.
    pub spread: Option<u32>,
    /// The spread exceeds the model's gap: discuss before agreeing.
    pub flagged: bool,
    pub consensus: Option<ConsensusEntry>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ModerationBoard {
    pub cells: Vec<ModerationCell>,
    pub flagged: u32,
    pub agreed: u32,
    pub required: u32,
    /// Every active evaluator has submitted, so consensus can be recorded.
    pub ready: bool,
    pub signed_off: bool,
}

/// Builds the board from what the viewer may see (the state is already filtered).
pub fn board(state: &EvalState) -> Result<ModerationBoard> {
    let model = state.model()?;
    let active: Vec<&str> = state
        .active_evaluators()
        .filter(|m| m.submitted_at.is_some())
        .map(|m| m.person.as_str())
        .collect();
    let ready = state.active_evaluators().all(|m| m.submitted_at.is_some())
        && state.active_evaluators().next().is_some();
    let mut by_cell: HashMap<(BidId, &str), Vec<OriginalScore>> = HashMap::new();
    for s in &state.scores {
        if active.contains(&s.evaluator.as_str()) {
            by_cell
                .entry((s.bid_id, s.question.as_str()))
                .or_default()
                .push(OriginalScore {
                    evaluator: s.evaluator.clone(),
                    score: s.score,
                    justification: s.justification.clone(),
                });
        }
    }
    let consensus: HashMap<(BidId, &str), &ConsensusEntry> = state
        .consensus
        .iter()
        .map(|c| ((c.bid_id, c.question.as_str()), c))
        .collect();
    let mut cells = Vec::new();
    let (mut flagged, mut agreed) = (0, 0);
    for b in &state.bids {
        for (_, q) in model.questions() {
            let mut originals = by_cell.remove(&(b.id, q.key.as_str())).unwrap_or_default();
            originals.sort_by(|a, b| a.evaluator.cmp(&b.evaluator));
            let spread = originals
                .iter()
                .map(|o| o.score)
                .max()
                .zip(originals.iter().map(|o| o.score).min())
                .map(|(hi, lo)| hi - lo);
            let flag = spread.is_some_and(|s| s > model.gap(q));
            flagged += flag as u32;
            let c = consensus.get(&(b.id, q.key.as_str())).map(|c| (*c).clone());
            agreed += c.is_some() as u32;
            cells.push(ModerationCell {
                bid_id: b.id,
                question: q.key.clone(),
                originals,
                spread,
                flagged: flag,
                consensus: c,
            });
        }
    }
    let required = cells.len() as u32;
    Ok(ModerationBoard {
        cells,
        flagged,
        agreed,
        required,
        ready,
        signed_off: state.signed_off(),
    })
}
