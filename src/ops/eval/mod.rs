//! Evaluation use cases: the model, bids, panel, blind scoring, moderation and results.
//! The person acting is always the signed-in user (`ctx.user`); `domain::eval::access`
//! decides what they may see, and `load` reads only that.
use crate::domain::roles::Action;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use ts_rs::TS;

use super::Ctx;
pub use super::ImportSummary;
use super::csvfile::Sheet;
use super::textfile::TextFile;
use crate::domain::eval::EvalScope;
use crate::domain::eval::limits::{self, LotRanking};
use crate::domain::eval::model::{self, EvalModel};
use crate::domain::eval::moderation::{self, ModerationBoard};
use crate::domain::eval::results::{self, Agreed, BidEntry, Scored, Sensitivity, Table};
use crate::domain::eval::{self as ev, EvalState, PanelRole};
use crate::domain::ids::{BidId, LotId, ProcurementId};
use crate::domain::money::Money;
use crate::domain::registers;
use crate::error::{Error, Result};
use crate::store::{ConsensusInput, NewBid, NewSupplier, ScoreInput};

pub mod load;
pub mod offline;
pub mod record;
pub mod scoresheet;
pub mod workbook;

pub use crate::domain::eval::results::{AwardLimitView, EvalResults};

/// Everything the viewer may see of a lot's evaluation.
pub async fn state(ctx: &Ctx, lot: LotId) -> Result<EvalState> {
    crate::ops::eval::load::read(ctx, lot, &ctx.user, EvalScope::AllVisible).await
}

/// The role the signed-in person holds on this lot's panel, when that is unambiguous: the
/// command line uses it when no role was chosen.
pub async fn panel_role(ctx: &Ctx, lot: LotId) -> Result<Option<crate::domain::roles::Role>> {
    let st = state(ctx, lot).await?;
    let seats: Vec<PanelRole> = st
        .panel
        .iter()
        .filter(|m| m.person == ctx.user)
        .map(|m| m.role)
        .collect();
    Ok(crate::domain::roles::from_panel(&seats))
}

// ----- The model -----

pub async fn set_model_json(ctx: &Ctx, lot: LotId, text: &str, file: &str) -> Result<EvalModel> {
    set_model_json_from(ctx, lot, text, file, None).await
}

/// `expected`: the model version the person saw; see `record::set_model`.
pub async fn set_model_json_from(
    ctx: &Ctx,
    lot: LotId,
    text: &str,
    file: &str,
    expected: Option<i64>,
) -> Result<EvalModel> {
    let m = EvalModel::from_json(text, file)?;
    record::set_model(ctx, &ctx.act(Action::SetUpEvaluation)?, lot, &m, expected).await?;
    Ok(m)
}

pub async fn import_model(ctx: &Ctx, lot: LotId, path: &Path) -> Result<EvalModel> {
    let f = TextFile::read(path, "file")?;
    set_model_json(ctx, lot, &f.text, &f.name).await
}

/// The model from a file's bytes, as the app reads it.
pub async fn import_model_bytes(
    ctx: &Ctx,
    lot: LotId,
    bytes: &[u8],
    name: &str,
    expected: Option<i64>,
) -> Result<EvalModel> {
    let f = TextFile::decode(bytes, name, "file")?;
    set_model_json_from(ctx, lot, &f.text, &f.name, expected).await
}

pub async fn export_model(ctx: &Ctx, lot: LotId) -> Result<String> {
    let st = crate::ops::eval::load::read(ctx, lot, &ctx.user, EvalScope::Consensus).await?;
    Ok(st.model()?.to_json())
}

pub async fn apply_template(ctx: &Ctx, lot: LotId, name: &str) -> Result<EvalModel> {
    apply_template_from(ctx, lot, name, None).await
}

/// `expected`: the model version the person saw; see `record::set_model`.
pub async fn apply_template_from(
    ctx: &Ctx,
    lot: LotId,
    name: &str,
    expected: Option<i64>,
) -> Result<EvalModel> {
    let m = model::template(name)?;
    record::set_model(ctx, &ctx.act(Action::SetUpEvaluation)?, lot, &m, expected).await?;
    Ok(m)
}

pub async fn copy_model(ctx: &Ctx, lot: LotId, from: LotId) -> Result<EvalModel> {
    copy_model_from(ctx, lot, from, None).await
}

/// `expected`: the model version the person saw; see `record::set_model`.
pub async fn copy_model_from(
    ctx: &Ctx,
    lot: LotId,
    from: LotId,
    expected: Option<i64>,
) -> Result<EvalModel> {
    let src = crate::ops::eval::load::read(ctx, from, &ctx.user, EvalScope::Consensus).await?;
    let m = src.model.clone().ok_or_else(|| {
        Error::validation(
            "fromLotId",
            format!("lot {} has no evaluation model to copy", src.lot_reference),
        )
    })?;
    record::set_model(ctx, &ctx.act(Action::SetUpEvaluation)?, lot, &m, expected).await?;
    Ok(m)
}

pub async fn approve_model(ctx: &Ctx, lot: LotId) -> Result<()> {
    record::approve(ctx, &ctx.act(Action::SetUpEvaluation)?, lot).await
}

pub async fn withdraw_approval(ctx: &Ctx, lot: LotId, reason: &str) -> Result<()> {
    record::withdraw(ctx, &ctx.act(Action::SetUpEvaluation)?, lot, reason).await
}

pub async fn set_award_limit(ctx: &Ctx, p: ProcurementId, limit: Option<u32>) -> Result<()> {
    record::set_award_limit(ctx, &ctx.act(Action::SetUpEvaluation)?, p, limit).await
}

// ----- Bids -----

/// A registration number is a Companies House number (8 characters) or a charity number.
pub(crate) fn registration(name: &str, number: &str) -> Result<NewSupplier> {
    let n = number.trim();
    let (ch, charity) = if n.is_empty() {
        (None, None)
    } else if let Ok(c) = registers::companies_house_number(n)
        && n.replace(' ', "").len() == 8
    {
        (Some(c), None)
    } else if let Ok(c) = registers::charity_number(n) {
        (None, Some(c))
    } else {
        return Err(Error::validation(
            "registration_number",
            format!(
                "“{n}” is neither a Companies House number (8 characters, e.g. 01234567 or SC123456) nor a charity number (6 or 7 digits)"
            ),
        ));
    };
    Ok(NewSupplier {
        name: name.trim().to_string(),
        companies_house_number: ch,
        charity_number: charity,
    })
}

/// "Name (number); Name" -> the consortium's other members.
pub(crate) fn members(text: &str) -> Result<Vec<NewSupplier>> {
    text.split(';')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| match m.rsplit_once('(') {
            Some((name, rest)) if rest.ends_with(')') => {
                registration(name, rest.trim_end_matches(')'))
            }
            _ => registration(m, ""),
        })
        .collect()
}

/// Anchors a store error that names only a line at the file it came from.
fn in_file(file: &str, e: Error) -> Error {
    if e.message.starts_with("line ") {
        Error {
            message: format!("{file}, {}", e.message),
            ..e
        }
    } else {
        e
    }
}

/// Bids from CSV: `supplier, registration_number, lot, price[, members]`. `lot` may be blank
/// (this lot) or the reference of another lot of the same procurement. Nothing is written
/// unless every row is right.
pub async fn import_bids_file(ctx: &Ctx, lot: LotId, f: &TextFile) -> Result<ImportSummary> {
    let file = f.name.as_str();
    let sheet = Sheet::parse(f, &["supplier", "registration_number", "lot", "price"])?;
    let this = super::lots::show(ctx, lot).await?;
    let siblings = crate::ops::lots::in_procurement(ctx, this.procurement.id).await?;
    let mut refs = HashMap::new();
    for id in siblings {
        let l = super::lots::show(ctx, id).await?;
        refs.insert(l.reference.to_lowercase(), id);
        refs.insert(l.id.0.to_string(), id);
    }
    let mut bids = Vec::new();
    for row in &sheet.rows {
        let name = sheet.get(row, "supplier");
        if name.is_empty() {
            return Err(sheet.error(row, "supplier", "the supplier’s name is empty"));
        }
        let lead = registration(name, sheet.get(row, "registration_number"))
            .map_err(|e| sheet.at(row, "registration_number", e))?;
        let lot_text = sheet.get(row, "lot");
        let bid_lot = if lot_text.is_empty() {
            lot
        } else {
            *refs.get(&lot_text.to_lowercase()).ok_or_else(|| {
                sheet.error(
                    row,
                    "lot",
                    format!(
                        "“{lot_text}” is not a lot of procurement {}",
                        this.procurement.reference
                    ),
                )
            })?
        };
        let price_text = sheet.get(row, "price");
        let price = Money::parse(price_text).map_err(|e| sheet.at(row, "price", e))?;
        if price.pence() <= 0 {
            return Err(sheet.error(row, "price", "the price must be above £0"));
        }
        let members =
            members(sheet.get(row, "members")).map_err(|e| sheet.at(row, "members", e))?;
        bids.push(NewBid {
            line: Some(row.line),
            lot: bid_lot,
            lead,
            members,
            price,
        });
    }
    let n = record::import_bids(ctx, &ctx.act(Action::SetUpEvaluation)?, bids)
        .await
        .map_err(|e| in_file(file, e))?;
    Ok(ImportSummary::of(n, &sheet))
}

pub async fn import_bids_text(ctx: &Ctx, lot: LotId, text: &str, file: &str) -> Result<usize> {
    let f = TextFile::from_text(text, file);
    Ok(import_bids_file(ctx, lot, &f).await?.rows)
}

pub async fn import_bids(ctx: &Ctx, lot: LotId, path: &Path) -> Result<ImportSummary> {
    import_bids_file(ctx, lot, &TextFile::read(path, "csv")?).await
}

// ----- Panel -----

pub async fn add_panel_member(ctx: &Ctx, lot: LotId, person: &str, role: &str) -> Result<()> {
    let role = PanelRole::parse(role)?;
    record::add_panel_member(ctx, &ctx.act(Action::SetUpEvaluation)?, lot, person, role).await
}

/// Records the signed-in user's declaration: none, or the conflict (which removes them).
pub async fn declare(ctx: &Ctx, lot: LotId, conflict: Option<&str>) -> Result<()> {
    record::declare(ctx, &ctx.act(Action::DeclareInterests)?, lot, conflict).await
}

// ----- Scoring -----

fn find_bid(st: &EvalState, text: &str) -> Option<BidId> {
    let t = text.trim();
    st.bids
        .iter()
        .find(|b| {
            b.lead.name.eq_ignore_ascii_case(t)
                || b.lead
                    .registration_number
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(t))
                || b.id.0.to_string() == t
        })
        .map(|b| b.id)
}

/// The bid a person named (by bidder, registration number or id). When the viewer may not
/// see the bids yet (no declaration), that is what they are told, not that nobody bid.
pub fn bid_named(st: &EvalState, text: &str) -> Result<BidId> {
    find_bid(st, text).ok_or_else(|| match &st.access.withheld {
        Some(w) if !st.access.may_see_bids => Error::conflict(w.clone()),
        _ => Error::validation(
            "bidder",
            format!("“{}” has not bid for lot {}", text.trim(), st.lot_reference),
        ),
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SaveScore {
    pub lot_id: LotId,
    pub bid_id: BidId,
    pub question: String,
    /// As typed: a whole number on the question's scale, or pass/fail.
    pub score: String,
    pub justification: String,
}

pub async fn save_score(ctx: &Ctx, input: SaveScore) -> Result<()> {
    record::save_typed_score(
        ctx,
        &ctx.act(Action::Score)?,
        input.lot_id,
        input.bid_id,
        &input.question,
        &input.score,
        input.justification,
    )
    .await
}

/// An evaluator's own scores from CSV: `evaluator, bidder, question, score, justification`.
/// Every row must be the signed-in evaluator's; nothing is written unless every row is right.
pub async fn import_scores_file(ctx: &Ctx, lot: LotId, f: &TextFile) -> Result<ImportSummary> {
    let file = f.name.as_str();
    let sheet = Sheet::parse(
        f,
        &["evaluator", "bidder", "question", "score", "justification"],
    )?;
    let st = crate::ops::eval::load::read(ctx, lot, &ctx.user, EvalScope::Consensus).await?;
    if !st.access.may_see_bids {
        return Err(Error::conflict(
            st.access
                .withheld
                .clone()
                .unwrap_or_else(|| "you cannot score this lot".into()),
        ));
    }
    let model = st.model()?;
    let mut scores = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in &sheet.rows {
        let who = sheet.get(row, "evaluator");
        if who != ctx.user {
            return Err(sheet.error(
                row,
                "evaluator",
                format!(
                    "“{who}” is not you ({}): evaluators import only their own scores",
                    ctx.user
                ),
            ));
        }
        let bidder = sheet.get(row, "bidder");
        let bid = find_bid(&st, bidder).ok_or_else(|| {
            sheet.error(
                row,
                "bidder",
                format!("“{bidder}” has not bid for lot {}", st.lot_reference),
            )
        })?;
        let qtext = sheet.get(row, "question");
        let (_, q) = model.question(qtext).ok_or_else(|| {
            sheet.error(
                row,
                "question",
                format!("there is no question “{qtext}” in this lot’s model"),
            )
        })?;
        if !seen.insert((bid, q.key.clone())) {
            return Err(sheet.error(
                row,
                "question",
                format!("{} for {bidder} appears twice", q.key),
            ));
        }
        let score =
            ev::parse_score(q, sheet.get(row, "score")).map_err(|e| sheet.at(row, "score", e))?;
        let justification = sheet.get(row, "justification");
        ev::check_score(model, q, score, justification).map_err(|e| {
            let col = if e.field.as_deref() == Some("score") {
                "score"
            } else {
                "justification"
            };
            sheet.at(row, col, e)
        })?;
        scores.push(ScoreInput {
            line: Some(row.line),
            bid,
            question: q.key.clone(),
            score,
            justification: justification.to_string(),
        });
    }
    let n = scores.len();
    record::save_scores(ctx, &ctx.act(Action::Score)?, lot, scores)
        .await
        .map_err(|e| in_file(file, e))?;
    Ok(ImportSummary::of(n, &sheet))
}

pub async fn import_scores_text(ctx: &Ctx, lot: LotId, text: &str, file: &str) -> Result<usize> {
    let f = TextFile::from_text(text, file);
    Ok(import_scores_file(ctx, lot, &f).await?.rows)
}

pub async fn import_scores(ctx: &Ctx, lot: LotId, path: &Path) -> Result<ImportSummary> {
    import_scores_file(ctx, lot, &TextFile::read(path, "csv")?).await
}

pub async fn submit(ctx: &Ctx, lot: LotId) -> Result<()> {
    record::submit(ctx, &ctx.act(Action::Score)?, lot).await
}

// ----- Moderation -----

pub async fn moderation(ctx: &Ctx, lot: LotId) -> Result<ModerationBoard> {
    let st = state(ctx, lot).await?;
    if !st.access.may_see_submitted {
        return Err(Error::conflict(
            st.access.withheld.clone().unwrap_or_default(),
        ));
    }
    moderation::board(&st)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Moderate {
    pub lot_id: LotId,
    pub bid_id: BidId,
    pub question: String,
    pub score: String,
    /// Tied to the bid's evidence, never a comparison with other bids.
    pub reason: String,
}

pub async fn moderate(ctx: &Ctx, input: Moderate) -> Result<()> {
    let st =
        crate::ops::eval::load::read(ctx, input.lot_id, &ctx.user, EvalScope::Consensus).await?;
    let model = st.model()?;
    let (_, q) = model.question(&input.question).ok_or_else(|| {
        Error::validation(
            "question",
            format!("there is no question “{}”", input.question),
        )
    })?;
    let score = ev::parse_score(q, &input.score)?;
    record::record_consensus(
        ctx,
        &ctx.act(Action::Moderate)?,
        input.lot_id,
        vec![ConsensusInput {
            line: None,
            bid: input.bid_id,
            question: q.key.clone(),
            score,
            reason: input.reason,
        }],
    )
    .await
}

/// Consensus scores from CSV: `bidder, question, score, reason`.
pub async fn import_consensus_file(ctx: &Ctx, lot: LotId, f: &TextFile) -> Result<ImportSummary> {
    let file = f.name.as_str();
    let sheet = Sheet::parse(f, &["bidder", "question", "score", "reason"])?;
    let st = crate::ops::eval::load::read(ctx, lot, &ctx.user, EvalScope::Consensus).await?;
    // A moderator who has not declared sees no bids; say that, not that a bidder has not bid.
    if !st.access.may_see_bids {
        return Err(Error::conflict(
            st.access
                .withheld
                .clone()
                .unwrap_or_else(|| "you cannot moderate this lot".into()),
        ));
    }
    let model = st.model()?;
    let mut entries = Vec::new();
    for row in &sheet.rows {
        let bidder = sheet.get(row, "bidder");
        let bid = find_bid(&st, bidder).ok_or_else(|| {
            sheet.error(
                row,
                "bidder",
                format!("“{bidder}” has not bid for lot {}", st.lot_reference),
            )
        })?;
        let qtext = sheet.get(row, "question");
        let (_, q) = model.question(qtext).ok_or_else(|| {
            sheet.error(
                row,
                "question",
                format!("there is no question “{qtext}” in this lot’s model"),
            )
        })?;
        let score =
            ev::parse_score(q, sheet.get(row, "score")).map_err(|e| sheet.at(row, "score", e))?;
        let reason = sheet.get(row, "reason");
        if reason.chars().count() < model.justification_min_chars as usize {
            return Err(sheet.error(
                row,
                "reason",
                format!("give the reason for the consensus score, tied to the bid’s evidence: at least {} characters", model.justification_min_chars),
            ));
        }
        ev::check_score(model, q, score, reason).map_err(|e| sheet.at(row, "score", e))?;
        entries.push(ConsensusInput {
            line: Some(row.line),
            bid,
            question: q.key.clone(),
            score,
            reason: reason.to_string(),
        });
    }
    let n = entries.len();
    record::record_consensus(ctx, &ctx.act(Action::Moderate)?, lot, entries)
        .await
        .map_err(|e| in_file(file, e))?;
    Ok(ImportSummary::of(n, &sheet))
}

pub async fn import_consensus_text(ctx: &Ctx, lot: LotId, text: &str, file: &str) -> Result<usize> {
    let f = TextFile::from_text(text, file);
    Ok(import_consensus_file(ctx, lot, &f).await?.rows)
}

pub async fn import_consensus(ctx: &Ctx, lot: LotId, path: &Path) -> Result<ImportSummary> {
    import_consensus_file(ctx, lot, &TextFile::read(path, "csv")?).await
}

pub async fn sign_off(ctx: &Ctx, lot: LotId) -> Result<()> {
    record::sign_off(ctx, &ctx.act(Action::SignOff)?, lot).await
}

pub async fn reopen(ctx: &Ctx, lot: LotId, reason: &str) -> Result<()> {
    record::reopen(ctx, &ctx.act(Action::Moderate)?, lot, reason).await
}

// ----- Results -----

fn table(st: &EvalState) -> Result<Table> {
    let model = st.model()?;
    let bids = st
        .bids
        .iter()
        .map(|b| BidEntry {
            id: b.id,
            supplier: b.lead.supplier_id,
            bidder: b.label(),
            price: b.price,
        })
        .collect();
    let agreed: HashMap<(BidId, String), Agreed> = st
        .consensus
        .iter()
        .map(|c| {
            (
                (c.bid_id, c.question.clone()),
                Agreed {
                    score: c.score,
                    reason: c.reason.clone(),
                },
            )
        })
        .collect();
    Ok(Table::new(model, bids, &agreed))
}

/// Scores and ranks from an already loaded state (the benchmark times this with the load).
pub fn compute(st: &EvalState) -> Result<(Scored, Option<Sensitivity>)> {
    let model = st.model()?;
    let t = table(st)?;
    let scored = results::score(model, &t);
    let sens = results::sensitivity(model, &t, &scored);
    Ok((scored, sens))
}

/// The tender the panel recommends, once its moderated scores are complete and signed off.
pub async fn winning_tender(ctx: &Ctx, lot: &crate::domain::lot::Lot) -> Option<(String, Money)> {
    if !matches!(
        lot.stage,
        crate::domain::stage::Stage::Evaluation
            | crate::domain::stage::Stage::Award
            | crate::domain::stage::Stage::Contract
    ) {
        return None;
    }
    // Results withheld from this viewer (blind scoring) simply leave the estimate in place.
    let r = results(ctx, lot.id).await.ok()?;
    r.settled_winner().map(|b| (b.bidder.clone(), b.price))
}

pub async fn results(ctx: &Ctx, lot: LotId) -> Result<EvalResults> {
    let st = crate::ops::eval::load::read(ctx, lot, &ctx.user, EvalScope::Consensus).await?;
    if !st.access.may_see_submitted {
        return Err(Error::conflict(
            st.access.withheld.clone().unwrap_or_default(),
        ));
    }
    let (scored, sensitivity) = compute(&st)?;
    let mut recommended = scored.leader;
    let award_limit = match st.award_limit {
        None => None,
        Some(limit) => {
            let this = super::lots::show(ctx, lot).await?;
            let mut rankings = Vec::new();
            let mut unsettled = Vec::new();
            for id in crate::ops::lots::in_procurement(ctx, this.procurement.id).await? {
                let l = super::lots::show(ctx, id).await?;
                let other =
                    crate::ops::eval::load::read(ctx, id, &ctx.user, EvalScope::Consensus).await?;
                if other.model.is_none() || other.bids.is_empty() || l.stage.is_closed() {
                    continue;
                }
                let (s, _) = compute(&other)?;
                if !s.complete {
                    unsettled.push(l.reference.clone());
                    continue;
                }
                rankings.push(LotRanking {
                    lot: id,
                    reference: l.reference.clone(),
                    value: l.estimated_annual_value,
                    ranked: s
                        .bids
                        .iter()
                        .filter(|b| b.rank.is_some())
                        .map(|b| (b.bid_id, b.supplier_id, b.bidder.clone()))
                        .collect(),
                });
            }
            let awards = limits::apply(rankings, limit);
            if let Some(a) = awards.iter().find(|a| a.lot_id == lot) {
                recommended = a.bid_id;
            }
            Some(AwardLimitView {
                limit,
                rule: limits::LIMIT_RULE.into(),
                awards,
                unsettled,
            })
        }
    };
    Ok(EvalResults {
        lot_id: lot,
        lot_reference: st.lot_reference.clone(),
        lot_title: st.lot_title.clone(),
        signed_off: st.signed_off(),
        scored,
        sensitivity,
        award_limit,
        recommended,
    })
}
