//! Weighted scores, exclusions, ranking and the price formulae. Everything is exact decimal
//! arithmetic; the one rounding rule is applied in `shown`, for display only.
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::collections::HashMap;
use ts_rs::TS;

use super::limits::LotAward;
use super::model::{EvalModel, Exact, PriceMethod, Scale, SectionKind, TieBreak};
use crate::domain::ids::{BidId, LotId, SupplierId};
use crate::domain::money::Money;

pub const ROUNDING_RULE: &str = "Scores are calculated exactly and shown to 2 decimal places (half away from zero); bids are ranked on the exact, unrounded totals.";

/// The one rounding rule: 2 decimal places, half away from zero.
pub fn shown(d: Decimal) -> String {
    format!(
        "{:.2}",
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    )
}

/// A score: exact for ranking and checking, rounded once for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, TS)]
#[ts(export, rename = "Points", as = "PointsJson")]
pub struct Points(pub Decimal);

#[derive(TS)]
#[ts(rename = "PointsJson")]
#[allow(dead_code)]
struct PointsJson {
    /// Rounded to 2 dp: what people read.
    shown: String,
    /// The unrounded value ranking uses.
    exact: String,
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Points", 2)?;
        st.serialize_field("shown", &shown(self.0))?;
        st.serialize_field("exact", &self.0.normalize().to_string())?;
        st.end()
    }
}

/// One bid as the results see it.
#[derive(Debug, Clone)]
pub struct BidEntry {
    pub id: BidId,
    pub supplier: SupplierId,
    pub bidder: String,
    pub price: Money,
}

/// A moderated (consensus) score and its reason.
#[derive(Debug, Clone)]
pub struct Agreed {
    pub score: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SectionScore {
    pub key: String,
    pub title: String,
    pub kind: SectionKind,
    pub weight: Exact,
    pub score: Points,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BidResult {
    pub bid_id: BidId,
    pub supplier_id: SupplierId,
    pub bidder: String,
    pub price: Money,
    pub sections: Vec<SectionScore>,
    /// All sections but price.
    pub quality: Points,
    /// Quality marks as a percentage of those available (what the threshold tests).
    pub quality_percent: Points,
    pub price_score: Option<Points>,
    pub total: Points,
    /// Why the bid cannot win; empty for a compliant bid.
    pub exclusions: Vec<String>,
    /// 1 is the leading bid; equal ranks are a tie the tie-break could not settle.
    pub rank: Option<u32>,
}

/// Precomputed per question: where it sits and what one scale point is worth.
#[derive(Debug, Clone)]
struct QInfo {
    key: String,
    section: usize,
    /// Weighted marks per scale point: question weight % × section weight ÷ scale max.
    factor: Decimal,
    min: Option<u32>,
    pass_fail: bool,
    max: u32,
}

/// The model and bids laid out for fast, repeated scoring (sensitivity re-scores often).
#[derive(Debug, Clone)]
pub struct Table {
    questions: Vec<QInfo>,
    section_weights: Vec<Decimal>,
    price_section: Option<usize>,
    quality_available: Decimal,
    pub bids: Vec<BidEntry>,
    /// bid-major: scores[b * nq + q].
    scores: Vec<Option<u32>>,
    reasons: HashMap<(usize, usize), String>,
}

/// Per bid, from its scores alone (before prices are compared).
#[derive(Debug, Clone)]
struct Partial {
    sections: Vec<Decimal>,
    quality: Decimal,
    exclusions: Vec<String>,
}

impl Table {
    pub fn new(
        model: &EvalModel,
        bids: Vec<BidEntry>,
        agreed: &HashMap<(BidId, String), Agreed>,
    ) -> Table {
        let mut questions = Vec::new();
        for (si, s) in model.sections.iter().enumerate() {
            for q in &s.questions {
                let max = q.scale.max();
                questions.push(QInfo {
                    key: q.key.clone(),
                    section: si,
                    factor: model.question_share(s, q) / Decimal::from(max),
                    min: q.min_score,
                    pass_fail: q.scale == Scale::PassFail,
                    max,
                });
            }
        }
        let nq = questions.len();
        let mut scores = vec![None; bids.len() * nq];
        let mut reasons = HashMap::new();
        for (bi, b) in bids.iter().enumerate() {
            for (qi, q) in questions.iter().enumerate() {
                if let Some(a) = agreed.get(&(b.id, q.key.clone())) {
                    scores[bi * nq + qi] = Some(a.score);
                    if q.pass_fail {
                        reasons.insert((bi, qi), a.reason.clone());
                    }
                }
            }
        }
        let price_section = model
            .sections
            .iter()
            .position(|s| s.kind == SectionKind::Price);
        let quality_available = model
            .sections
            .iter()
            .filter(|s| s.kind != SectionKind::Price)
            .map(|s| s.weight.0)
            .sum();
        Table {
            questions,
            section_weights: model.sections.iter().map(|s| s.weight.0).collect(),
            price_section,
            quality_available,
            bids,
            scores,
            reasons,
        }
    }

    fn nq(&self) -> usize {
        self.questions.len()
    }

    pub fn missing(&self) -> Vec<String> {
        let nq = self.nq();
        let mut out = Vec::new();
        for (bi, b) in self.bids.iter().enumerate() {
            for (qi, q) in self.questions.iter().enumerate() {
                if self.scores[bi * nq + qi].is_none() {
                    out.push(format!("{}: {}", b.bidder, q.key));
                }
            }
        }
        out
    }

    fn partial(&self, model: &EvalModel, bi: usize) -> Partial {
        self.partial_with(model, bi, None)
    }

    /// The bid's partial result, optionally with one question's score replaced.
    fn partial_with(&self, model: &EvalModel, bi: usize, change: Option<(usize, u32)>) -> Partial {
        let nq = self.nq();
        let mut sections = vec![Decimal::ZERO; self.section_weights.len()];
        let mut exclusions = Vec::new();
        let bid = &self.bids[bi];
        if let Some(rule) = self
            .price_section
            .and_then(|p| model.sections[p].price.as_ref())
            && let Some(ceiling) = rule.affordability_ceiling
            && bid.price > ceiling
        {
            exclusions.push(format!(
                "Its price of {} is above the affordability ceiling of {}.",
                bid.price.display(),
                ceiling.display()
            ));
        }
        // Reasons are listed in the order README gives: the affordability ceiling, then
        // every pass/fail question failed, then every minimum score missed, then the
        // quality threshold; within each, in the model's question order.
        let mut minimums = Vec::new();
        for (qi, q) in self.questions.iter().enumerate() {
            let s = match change {
                Some((cq, v)) if cq == qi => Some(v),
                _ => self.scores[bi * nq + qi],
            };
            let Some(s) = s else { continue };
            if q.pass_fail {
                if s == 0 {
                    let why = self
                        .reasons
                        .get(&(bi, qi))
                        .map(String::as_str)
                        .unwrap_or("");
                    exclusions.push(format!(
                        "It failed {} (pass or fail): {}",
                        q.key,
                        why.trim()
                    ));
                }
                continue;
            }
            sections[q.section] += q.factor * Decimal::from(s);
            if let Some(m) = q.min
                && s < m
            {
                minimums.push(format!(
                    "It scored {s} on {}, below the minimum of {m}.",
                    q.key
                ));
            }
        }
        exclusions.extend(minimums);
        let quality: Decimal = sections
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.price_section)
            .map(|(_, v)| *v)
            .sum();
        if let Some(t) = model.quality_threshold {
            let pct = self.quality_percent(quality);
            if pct < t.0 {
                exclusions.push(format!(
                    "Its quality score of {}% is below the threshold of {}%.",
                    shown(pct),
                    t
                ));
            }
        }
        Partial {
            sections,
            quality,
            exclusions,
        }
    }

    fn quality_percent(&self, quality: Decimal) -> Decimal {
        if self.quality_available.is_zero() {
            Decimal::ZERO
        } else {
            quality * Decimal::from(100) / self.quality_available
        }
    }

    /// Price marks for each compliant bid, by the model's method.
    fn price_scores(&self, model: &EvalModel, compliant: &[usize]) -> HashMap<usize, Decimal> {
        let mut out = HashMap::new();
        let Some(ps) = self.price_section else {
            return out;
        };
        let w = self.section_weights[ps];
        let rule = model.sections[ps].price.as_ref().expect("validated");
        if compliant.is_empty() {
            return out;
        }
        let prices: Vec<Decimal> = compliant
            .iter()
            .map(|&b| self.bids[b].price.to_decimal())
            .collect();
        let lowest = prices.iter().copied().min().expect("not empty");
        let mean = prices.iter().copied().sum::<Decimal>() / Decimal::from(prices.len());
        for (&b, &p) in compliant.iter().zip(&prices) {
            let score = match rule.method {
                PriceMethod::LowestOverBid => {
                    if p.is_zero() {
                        w
                    } else {
                        w * lowest / p
                    }
                }
                PriceMethod::FixedDeduction { points_per_percent } => {
                    let pct = if lowest.is_zero() {
                        Decimal::ZERO
                    } else {
                        (p - lowest) * Decimal::from(100) / lowest
                    };
                    (w - points_per_percent.0 * pct).max(Decimal::ZERO)
                }
                PriceMethod::RelativeToMean => {
                    if mean.is_zero() {
                        w
                    } else {
                        (w / Decimal::from(2) * (Decimal::from(2) - p / mean))
                            .clamp(Decimal::ZERO, w)
                    }
                }
            };
            out.insert(b, score);
        }
        out
    }
}

/// Ordering of two compliant bids: total first, then the stated tie-break. `Greater` = better.
fn better(tb: TieBreak, a: (Decimal, Decimal, Money), b: (Decimal, Decimal, Money)) -> Ordering {
    let (ta, qa, pa) = a;
    let (tb_, qb, pb) = b;
    ta.cmp(&tb_).then_with(|| match tb {
        TieBreak::QualityThenPrice => qa.cmp(&qb).then(pb.cmp(&pa)),
        TieBreak::PriceThenQuality => pb.cmp(&pa).then(qa.cmp(&qb)),
    })
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Scored {
    /// Every bid has a consensus score for every question.
    pub complete: bool,
    /// "Bidder: question" for each consensus score still to be agreed.
    pub missing: Vec<String>,
    pub rounding_rule: String,
    pub tie_break: String,
    pub price_method: Option<String>,
    /// Ranked bids first, in rank order, then excluded bids.
    pub bids: Vec<BidResult>,
    pub leader: Option<BidId>,
}

/// Scores every bid. With consensus missing the totals are provisional and nothing is ranked.
pub fn score(model: &EvalModel, table: &Table) -> Scored {
    let missing = table.missing();
    let complete = missing.is_empty();
    let partials: Vec<Partial> = (0..table.bids.len())
        .map(|b| table.partial(model, b))
        .collect();
    let compliant: Vec<usize> = (0..table.bids.len())
        .filter(|&b| partials[b].exclusions.is_empty())
        .collect();
    let prices = table.price_scores(model, &compliant);
    let mut results: Vec<BidResult> = table
        .bids
        .iter()
        .enumerate()
        .map(|(bi, b)| {
            let p = &partials[bi];
            let price_score = prices.get(&bi).copied();
            let sections = model
                .sections
                .iter()
                .enumerate()
                .map(|(si, s)| SectionScore {
                    key: s.key.clone(),
                    title: s.title.clone(),
                    kind: s.kind,
                    weight: s.weight,
                    score: Points(if Some(si) == table.price_section {
                        price_score.unwrap_or_default()
                    } else {
                        p.sections[si]
                    }),
                })
                .collect();
            BidResult {
                bid_id: b.id,
                supplier_id: b.supplier,
                bidder: b.bidder.clone(),
                price: b.price,
                sections,
                quality: Points(p.quality),
                quality_percent: Points(table.quality_percent(p.quality)),
                price_score: price_score.map(Points),
                total: Points(p.quality + price_score.unwrap_or_default()),
                exclusions: p.exclusions.clone(),
                rank: None,
            }
        })
        .collect();
    let tb = model.tie_break;
    let key = |r: &BidResult| (r.total.0, r.quality.0, r.price);
    results.sort_by(|a, b| {
        a.exclusions
            .is_empty()
            .cmp(&b.exclusions.is_empty())
            .reverse()
            .then_with(|| better(tb, key(b), key(a)))
            .then_with(|| a.bidder.cmp(&b.bidder))
    });
    let mut leader = None;
    if complete {
        let mut rank = 0;
        let mut prev: Option<(Decimal, Decimal, Money)> = None;
        for (i, r) in results.iter_mut().enumerate() {
            if !r.exclusions.is_empty() {
                break;
            }
            let k = key(r);
            if prev.is_none_or(|p| better(tb, p, k) != Ordering::Equal) {
                rank = i as u32 + 1;
            }
            prev = Some(k);
            r.rank = Some(rank);
        }
        leader = results
            .first()
            .filter(|r| r.rank == Some(1))
            .map(|r| r.bid_id);
    }
    Scored {
        complete,
        missing,
        rounding_rule: ROUNDING_RULE.into(),
        tie_break: tb.describe().into(),
        price_method: model
            .price_section()
            .and_then(|s| s.price.as_ref().map(|p| p.describe(s.weight))),
        bids: results,
        leader,
    }
}

/// The winner of a table: best compliant bid by total and tie-break (None if none compliant).
fn winner(model: &EvalModel, table: &Table, partials: &[Partial]) -> Option<usize> {
    let compliant: Vec<usize> = (0..table.bids.len())
        .filter(|&b| partials[b].exclusions.is_empty())
        .collect();
    let prices = table.price_scores(model, &compliant);
    compliant.into_iter().max_by(|&a, &b| {
        let ka = (
            partials[a].quality + prices[&a],
            partials[a].quality,
            table.bids[a].price,
        );
        let kb = (
            partials[b].quality + prices[&b],
            partials[b].quality,
            table.bids[b].price,
        );
        better(model.tie_break, ka, kb).then(b.cmp(&a))
    })
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SplitShift {
    pub price_weight_now: Exact,
    /// The price weight (rounded to 2 dp) at which another bid draws level.
    pub price_weight_at: Exact,
    pub bidder: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreChange {
    pub bidder: String,
    pub question: String,
    pub from: u32,
    pub to: u32,
    pub new_leader: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Sensitivity {
    pub leader: String,
    pub split: Option<SplitShift>,
    pub score_change: Option<ScoreChange>,
    /// The two findings in plain words.
    pub summary: Vec<String>,
}

/// How robust the leading bid is: the smallest change in the quality/price split, and the
/// smallest single consensus score change, that would hand the lead to another bid.
pub fn sensitivity(model: &EvalModel, table: &Table, scored: &Scored) -> Option<Sensitivity> {
    let leader_id = scored.leader?;
    let li = table.bids.iter().position(|b| b.id == leader_id)?;
    let leader = table.bids[li].bidder.clone();
    let split = split_shift(model, table, scored, leader_id);
    let score_change = smallest_score_change(model, table, li);
    let mut summary = Vec::new();
    match &split {
        Some(s) => summary.push(format!(
            "If the price weight moved from {}% to {}% (quality and social value taking the rest in the same proportions), {} would draw level with {}, and overtake it beyond that.",
            s.price_weight_now, s.price_weight_at, s.bidder, leader
        )),
        None => summary.push(format!(
            "No split between quality and price from 0% to 100% would put another bid ahead of {leader}."
        )),
    }
    match &score_change {
        Some(c) => summary.push(format!(
            "Changing the consensus score of {} on {} from {} to {} would make {} the leading bid.",
            c.bidder, c.question, c.from, c.to, c.new_leader
        )),
        None => summary.push(format!(
            "No single consensus score change would change the leading bid ({leader})."
        )),
    }
    Some(Sensitivity {
        leader,
        split,
        score_change,
        summary,
    })
}

fn split_shift(
    model: &EvalModel,
    table: &Table,
    scored: &Scored,
    leader: BidId,
) -> Option<SplitShift> {
    let ps = table.price_section?;
    let p = table.section_weights[ps];
    let hundred = Decimal::from(100);
    let q = hundred - p;
    if p.is_zero() || q.is_zero() {
        return None;
    }
    let norm = |r: &BidResult| {
        (
            r.quality.0 / q,
            r.price_score.map(|x| x.0).unwrap_or_default() / p,
        )
    };
    let l = scored.bids.iter().find(|r| r.bid_id == leader)?;
    let (ql, pl) = norm(l);
    let mut best: Option<(Decimal, Decimal, String)> = None;
    for r in scored
        .bids
        .iter()
        .filter(|r| r.rank.is_some() && r.bid_id != leader)
    {
        let (qj, pj) = norm(r);
        let a = ql - qj;
        let b = pl - pj;
        // The lead is linear in the price weight: the rival can only overtake if it is ahead
        // at one end (all quality, a < 0; or all price, b < 0). Merely meeting at an end
        // point is a tie the tie-break settles, not a change of winner.
        if a == b || (a >= Decimal::ZERO && b >= Decimal::ZERO) {
            continue;
        }
        let w = hundred * a / (a - b);
        if w < Decimal::ZERO || w > hundred {
            continue;
        }
        let shift = (w - p).abs();
        if best.as_ref().is_none_or(|(s, _, _)| shift < *s) {
            best = Some((shift, w, r.bidder.clone()));
        }
    }
    let _ = model;
    best.map(|(_, w, bidder)| SplitShift {
        price_weight_now: Exact(p.normalize()),
        price_weight_at: Exact(
            w.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
        ),
        bidder,
    })
}

fn smallest_score_change(model: &EvalModel, table: &Table, leader: usize) -> Option<ScoreChange> {
    let nq = table.nq();
    let partials: Vec<Partial> = (0..table.bids.len())
        .map(|b| table.partial(model, b))
        .collect();
    let compliant: Vec<usize> = (0..table.bids.len())
        .filter(|&b| partials[b].exclusions.is_empty())
        .collect();
    let prices = table.price_scores(model, &compliant);
    let key = |b: usize, quality: Decimal| {
        (
            quality + prices.get(&b).copied().unwrap_or_default(),
            quality,
            table.bids[b].price,
        )
    };
    let tb = model.tie_break;
    // The best compliant rival to the leader, for checks where only the leader moves.
    let runner_up = compliant
        .iter()
        .copied()
        .filter(|&b| b != leader)
        .max_by(|&a, &b| {
            better(tb, key(a, partials[a].quality), key(b, partials[b].quality)).then(b.cmp(&a))
        });
    let max_scale = table.questions.iter().map(|q| q.max).max().unwrap_or(0);
    for d in 1..=max_scale {
        for bi in 0..table.bids.len() {
            // Pass/fail outcomes are not points on a scale: a fail always excludes, which the
            // exclusions already say. The search is over scored questions.
            for (qi, q) in table
                .questions
                .iter()
                .enumerate()
                .filter(|(_, q)| !q.pass_fail)
            {
                let Some(old) = table.scores[bi * nq + qi] else {
                    continue;
                };
                for new in [
                    old.checked_sub(d),
                    old.checked_add(d).filter(|n| *n <= q.max),
                ]
                .into_iter()
                .flatten()
                {
                    let was_compliant = partials[bi].exclusions.is_empty();
                    let delta = q.factor * (Decimal::from(new) - Decimal::from(old));
                    // Only a change that can alter exclusions needs the bid re-checked; when
                    // its exclusion stands, only this bid's total moves.
                    let may_cross = q.pass_fail
                        || q.min.is_some_and(|m| (old < m) != (new < m))
                        || model.quality_threshold.is_some_and(|t| {
                            let before = table.quality_percent(partials[bi].quality) < t.0;
                            let after = table.quality_percent(partials[bi].quality + delta) < t.0;
                            before != after
                        });
                    let rechecked = may_cross
                        .then(|| table.partial_with(model, bi, Some((qi, new))))
                        .filter(|p| p.exclusions.is_empty() != was_compliant);
                    let new_winner = match rechecked {
                        Some(p) => {
                            let mut p2 = partials.clone();
                            p2[bi] = p;
                            winner(model, table, &p2)
                        }
                        None if !was_compliant => Some(leader),
                        None => {
                            let moved = key(bi, partials[bi].quality + delta);
                            if bi == leader {
                                match runner_up {
                                    Some(r)
                                        if better(tb, key(r, partials[r].quality), moved)
                                            == Ordering::Greater =>
                                    {
                                        Some(r)
                                    }
                                    _ => Some(leader),
                                }
                            } else if better(tb, moved, key(leader, partials[leader].quality))
                                == Ordering::Greater
                            {
                                Some(bi)
                            } else {
                                Some(leader)
                            }
                        }
                    };
                    if let Some(w) = new_winner
                        && w != leader
                    {
                        return Some(ScoreChange {
                            bidder: table.bids[bi].bidder.clone(),
                            question: q.key.clone(),
                            from: old,
                            to: new,
                            new_leader: table.bids[w].bidder.clone(),
                        });
                    }
                }
            }
        }
    }
    None
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AwardLimitView {
    pub limit: u32,
    pub rule: String,
    /// Lots with complete results, in the order they are settled.
    pub awards: Vec<LotAward>,
    /// Lots whose results are not complete yet, so the outcome may still change.
    pub unsettled: Vec<String>,
}

/// A lot's results as the panel settled them, with any lot award limit applied: what the
/// results screen, the award paper and the award pack show.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvalResults {
    pub lot_id: LotId,
    pub lot_reference: String,
    pub lot_title: String,
    /// Moderated and signed off by every panel member.
    pub signed_off: bool,
    pub scored: Scored,
    pub sensitivity: Option<Sensitivity>,
    pub award_limit: Option<AwardLimitView>,
    /// The bid recommended for award once any lot award limit is applied.
    pub recommended: Option<BidId>,
}

impl EvalResults {
    /// The recommended bid's scores, ranking and price.
    pub fn recommended_bid(&self) -> Option<&BidResult> {
        let w = self.recommended?;
        self.scored.bids.iter().find(|b| b.bid_id == w)
    }

    /// The recommended bid once the moderated scores are complete and signed off: the
    /// outcome the panel has settled, which other records (TUPE, finance) may rely on.
    pub fn settled_winner(&self) -> Option<&BidResult> {
        if self.signed_off && self.scored.complete {
            self.recommended_bid()
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::*;
    use super::*;

    fn d(s: &str) -> Exact {
        Exact::parse(s).unwrap()
    }

    /// Quality 60 (Q1 60%, Q2 40%, 0-5) and price 40, lowest ÷ bid.
    fn model(method: PriceMethod) -> EvalModel {
        EvalModel {
            sections: vec![
                Section {
                    key: "Q".into(),
                    title: "Quality".into(),
                    kind: SectionKind::Quality,
                    weight: d("60"),
                    questions: vec![
                        Question {
                            key: "Q1".into(),
                            text: "Approach".into(),
                            weight: d("60"),
                            scale: Scale::ZeroToFive,
                            min_score: Some(2),
                        },
                        Question {
                            key: "Q2".into(),
                            text: "Staff".into(),
                            weight: d("40"),
                            scale: Scale::ZeroToFive,
                            min_score: None,
                        },
                        Question {
                            key: "PF".into(),
                            text: "Insurance".into(),
                            weight: d("0"),
                            scale: Scale::PassFail,
                            min_score: None,
                        },
                    ],
                    price: None,
                },
                Section {
                    key: "P".into(),
                    title: "Price".into(),
                    kind: SectionKind::Price,
                    weight: d("40"),
                    questions: vec![],
                    price: Some(PriceRule {
                        method,
                        affordability_ceiling: None,
                    }),
                },
            ],
            question_weights: Default::default(),
            quality_threshold: None,
            justification_min_chars: 10,
            spread_gap: None,
            tie_break: TieBreak::QualityThenPrice,
        }
    }

    fn table(m: &EvalModel, bids: &[(&str, i64, [u32; 3])]) -> Table {
        let entries: Vec<BidEntry> = bids
            .iter()
            .enumerate()
            .map(|(i, (name, price, _))| BidEntry {
                id: BidId(i as i64 + 1),
                supplier: SupplierId(i as i64 + 1),
                bidder: name.to_string(),
                price: Money::from_pounds(*price),
            })
            .collect();
        let mut agreed = HashMap::new();
        for (i, (_, _, s)) in bids.iter().enumerate() {
            for (k, v) in ["Q1", "Q2", "PF"].iter().zip(s) {
                agreed.insert(
                    (BidId(i as i64 + 1), k.to_string()),
                    Agreed {
                        score: *v,
                        reason: "No insurance certificate was provided with the bid".into(),
                    },
                );
            }
        }
        Table::new(m, entries, &agreed)
    }

    fn price_shown(s: &Scored, bidder: &str) -> String {
        let r = s.bids.iter().find(|b| b.bidder == bidder).unwrap();
        shown(r.price_score.unwrap().0)
    }

    #[test]
    fn lowest_over_bid_worked_example() {
        // Price weight 40: bids of 100, 105, 108 score 40.00, 38.10, 37.04.
        let m = model(PriceMethod::LowestOverBid);
        let t = table(
            &m,
            &[
                ("A", 100, [3, 3, 1]),
                ("B", 105, [3, 3, 1]),
                ("C", 108, [3, 3, 1]),
            ],
        );
        let s = score(&m, &t);
        assert_eq!(price_shown(&s, "A"), "40.00");
        assert_eq!(price_shown(&s, "B"), "38.10");
        assert_eq!(price_shown(&s, "C"), "37.04");
        // Quality: 3/5 × 60% × 60 + 3/5 × 40% × 60 = 36.
        assert_eq!(shown(s.bids[0].quality.0), "36.00");
        assert_eq!(s.bids[0].bidder, "A");
        assert_eq!(
            s.bids.iter().map(|b| b.rank).collect::<Vec<_>>(),
            vec![Some(1), Some(2), Some(3)]
        );
    }

    #[test]
    fn fixed_deduction_and_relative_to_mean() {
        let m = model(PriceMethod::FixedDeduction {
            points_per_percent: d("0.5"),
        });
        let t = table(
            &m,
            &[
                ("A", 100, [3, 3, 1]),
                ("B", 110, [3, 3, 1]),
                ("C", 200, [3, 3, 1]),
            ],
        );
        let s = score(&m, &t);
        assert_eq!(price_shown(&s, "B"), "35.00", "10% above: 5 marks off");
        assert_eq!(price_shown(&s, "C"), "0.00", "never below 0");
        let m = model(PriceMethod::RelativeToMean);
        let t = table(
            &m,
            &[
                ("A", 90, [3, 3, 1]),
                ("B", 100, [3, 3, 1]),
                ("C", 110, [3, 3, 1]),
            ],
        );
        let s = score(&m, &t);
        assert_eq!(
            price_shown(&s, "B"),
            "20.00",
            "at the mean: half the weight"
        );
        assert_eq!(price_shown(&s, "A"), "22.00", "10% below the mean");
        assert_eq!(price_shown(&s, "C"), "18.00");
    }

    #[test]
    fn exclusions_keep_their_reasons_and_leave_price_to_the_compliant() {
        let mut m = model(PriceMethod::LowestOverBid);
        m.sections[1].price.as_mut().unwrap().affordability_ceiling = Some(Money::from_pounds(150));
        m.quality_threshold = Some(d("50"));
        let t = table(
            &m,
            &[
                ("Cheap but failed", 50, [5, 5, 0]),
                ("Low Q1", 60, [1, 5, 1]),
                ("Too dear", 200, [5, 5, 1]),
                ("Weak", 70, [2, 2, 1]),
                ("Good", 100, [4, 4, 1]),
            ],
        );
        let s = score(&m, &t);
        let r = |n: &str| s.bids.iter().find(|b| b.bidder == n).unwrap();
        assert!(
            r("Cheap but failed").exclusions[0]
                .contains("failed PF (pass or fail): No insurance certificate")
        );
        assert!(r("Low Q1").exclusions[0].contains("scored 1 on Q1, below the minimum of 2"));
        assert!(r("Too dear").exclusions[0].contains("above the affordability ceiling of £150"));
        assert!(
            r("Weak").exclusions[0]
                .contains("quality score of 40.00% is below the threshold of 50%")
        );
        assert_eq!(r("Good").rank, Some(1));
        assert_eq!(
            shown(r("Good").price_score.unwrap().0),
            "40.00",
            "lowest compliant price"
        );
        assert!(r("Weak").rank.is_none() && r("Weak").price_score.is_none());
    }

    #[test]
    fn exclusion_reasons_follow_the_readme_order_not_the_question_order() {
        // Q1's minimum comes before PF in the model; the reasons still read: ceiling,
        // pass/fail, minimum, threshold.
        let mut m = model(PriceMethod::LowestOverBid);
        m.sections[1].price.as_mut().unwrap().affordability_ceiling = Some(Money::from_pounds(150));
        m.quality_threshold = Some(d("50"));
        let t = table(
            &m,
            &[("All wrong", 200, [1, 1, 0]), ("Good", 100, [4, 4, 1])],
        );
        let s = score(&m, &t);
        let all = &s
            .bids
            .iter()
            .find(|b| b.bidder == "All wrong")
            .unwrap()
            .exclusions;
        assert_eq!(all.len(), 4, "{all:?}");
        assert!(all[0].contains("affordability ceiling"), "{all:?}");
        assert!(all[1].contains("failed PF"), "{all:?}");
        assert!(all[2].contains("below the minimum of 2"), "{all:?}");
        assert!(all[3].contains("below the threshold of 50%"), "{all:?}");
    }

    #[test]
    fn tie_break_quality_then_price() {
        let m = model(PriceMethod::LowestOverBid);
        // Equal totals are rare with real prices; build them with equal quality and price.
        let t = table(
            &m,
            &[
                ("Beta", 100, [4, 3, 1]),
                ("Alpha", 100, [4, 3, 1]),
                ("Gamma", 100, [3, 3, 1]),
            ],
        );
        let s = score(&m, &t);
        assert_eq!(s.bids[0].rank, Some(1));
        assert_eq!(
            s.bids[1].rank,
            Some(1),
            "identical on every count: a tie, ranked equal"
        );
        assert_eq!(s.bids[2].rank, Some(3));
        // Same total, different split: A 36 + 40 = 76; B 40.8 + (40 - 0.8 × 6) = 76.
        let mut m = model(PriceMethod::FixedDeduction {
            points_per_percent: d("0.8"),
        });
        let t = table(&m, &[("A", 100, [3, 3, 1]), ("B", 106, [3, 4, 1])]);
        let s = score(&m, &t);
        assert_eq!(s.bids[0].total, s.bids[1].total);
        assert_eq!(
            (s.bids[0].bidder.as_str(), s.bids[0].rank, s.bids[1].rank),
            ("B", Some(1), Some(2)),
            "higher quality first"
        );
        m.tie_break = TieBreak::PriceThenQuality;
        let s = score(&m, &t);
        assert_eq!(s.bids[0].bidder, "A", "lower price first");
    }

    #[test]
    fn provisional_without_every_consensus() {
        let m = model(PriceMethod::LowestOverBid);
        let mut t = table(&m, &[("A", 100, [3, 3, 1]), ("B", 105, [3, 3, 1])]);
        t.scores[1] = None;
        let s = score(&m, &t);
        assert!(!s.complete);
        assert_eq!(s.missing, vec!["A: Q2".to_string()]);
        assert!(s.bids.iter().all(|b| b.rank.is_none()) && s.leader.is_none());
        assert!(sensitivity(&m, &t, &s).is_none());
    }

    #[test]
    fn sensitivity_finds_the_split_and_the_score() {
        let m = model(PriceMethod::LowestOverBid);
        // A: quality 48 (4,4), price 100 -> 40: 88. B: quality 60 (5,5), price 125 -> 32: 92.
        let t = table(&m, &[("A", 100, [4, 4, 1]), ("B", 125, [5, 5, 1])]);
        let s = score(&m, &t);
        assert_eq!(s.bids[0].bidder, "B");
        let sens = sensitivity(&m, &t, &s).unwrap();
        // Normalised: A q .8 p 1; B q 1 p .8. Level where (100-w)(.2) = w(.2): w = 50.
        let split = sens.split.unwrap();
        assert_eq!(split.price_weight_at.to_string(), "50");
        assert_eq!(split.bidder, "A");
        // One point on Q1 is worth 7.2, enough either way (A up to 95.2, or B down to 84.8);
        // the first found, in bid then question order, is reported.
        let c = sens.score_change.unwrap();
        assert_eq!(
            (c.bidder.as_str(), c.question.as_str(), c.from, c.to),
            ("A", "Q1", 4, 5)
        );
        assert_eq!(c.new_leader, "A");
        assert_eq!(sens.summary.len(), 2);
    }

    #[test]
    fn equal_quality_is_not_a_split_finding() {
        let m = model(PriceMethod::LowestOverBid);
        // Same quality, A cheaper: at 0% price they only tie, which the tie-break settles.
        let t = table(&m, &[("A", 100, [3, 3, 1]), ("B", 110, [3, 3, 1])]);
        let s = score(&m, &t);
        let sens = sensitivity(&m, &t, &s).unwrap();
        assert!(sens.split.is_none(), "{:?}", sens.split);
        assert!(sens.summary[0].starts_with("No split"));
    }

    #[test]
    fn sensitivity_counts_an_exclusion_as_a_change() {
        let m = model(PriceMethod::LowestOverBid);
        // B leads comfortably, but Q1 at 2 is on the minimum: one point down excludes B.
        let t = table(&m, &[("A", 100, [2, 0, 1]), ("B", 100, [2, 5, 1])]);
        let s = score(&m, &t);
        assert_eq!(s.bids[0].bidder, "B");
        let c = sensitivity(&m, &t, &s).unwrap().score_change.unwrap();
        assert_eq!(c.new_leader, "A");
        assert_eq!(c.from.abs_diff(c.to), 1);
    }
}
