//! What each evaluation write requires of the record as it stands. Use cases load the
//! `EvalState` inside their transaction, ask here, and apply only what passes.
use sha2::{Digest, Sha256};
use std::collections::HashSet;

use super::model::{EvalModel, Question};
use super::{Access, EvalState, PanelMember, PanelRole, check_score, may_read_score};
use crate::domain::ids::BidId;
use crate::domain::stage::Stage;
use crate::error::{Error, ErrorCode, Result};

/// How much of the evaluation a read loads. Results need only the consensus; the
/// moderation board needs every score the viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalScope {
    Consensus,
    OwnScores,
    AllVisible,
}

/// The evaluators whose scores `viewer` may read in this scope: the blind-scoring rule
/// (`may_read_score`) applied to every author, so the store reads only theirs.
pub fn readable_authors(
    access: &Access,
    viewer: &str,
    panel: &[PanelMember],
    scope: EvalScope,
) -> Vec<String> {
    let submitted: HashSet<&str> = panel
        .iter()
        .filter(|m| m.submitted_at.is_some())
        .map(|m| m.person.as_str())
        .collect();
    let mut readable: Vec<String> = match scope {
        EvalScope::Consensus => vec![],
        EvalScope::OwnScores => vec![viewer.to_string()],
        EvalScope::AllVisible => {
            let mut v: Vec<String> = panel.iter().map(|m| m.person.clone()).collect();
            v.push(viewer.to_string());
            v
        }
    };
    readable.retain(|author| {
        may_read_score(access, viewer, author, submitted.contains(author.as_str()))
    });
    readable.sort();
    readable.dedup();
    readable
}

/// An error from one line of an imported file says which line.
pub fn at_line(line: Option<usize>, e: Error) -> Error {
    match line {
        Some(l) => Error {
            message: format!("line {l}: {}", e.message),
            ..e
        },
        None => e,
    }
}

/// Refuses `what` unless the lot is at one of the `allowed` stages.
pub fn stage_allows(st: &EvalState, what: &str, allowed: &[Stage]) -> Result<()> {
    if allowed.contains(&st.stage) {
        return Ok(());
    }
    let names: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
    Err(Error::conflict(format!(
        "{what} only while the lot is at {}; lot {} is at {}",
        names.join(" or "),
        st.lot_reference,
        st.stage
    )))
}

const BEFORE_TENDER: &[Stage] = &[Stage::MarketEngagement, Stage::DraftSpecification];

/// The model is published with the tender: it changes only before, and not once approved.
pub fn may_change_model(st: &EvalState) -> Result<()> {
    stage_allows(st, "the evaluation model can be changed", BEFORE_TENDER)?;
    if let Some(a) = &st.approved {
        return Err(Error::conflict(format!(
            "the evaluation model was approved by {} on {}; withdraw the approval (with a reason) before changing it",
            a.by,
            crate::domain::dates::long(a.at.date_naive())
        )));
    }
    Ok(())
}

pub fn may_approve_model(st: &EvalState) -> Result<()> {
    stage_allows(st, "the evaluation model can be approved", BEFORE_TENDER)?;
    st.model()?.validate()?;
    if st.approved.is_some() {
        return Err(Error::conflict("the evaluation model is already approved"));
    }
    Ok(())
}

pub fn may_withdraw_approval(st: &EvalState) -> Result<()> {
    stage_allows(st, "the approval can be withdrawn", BEFORE_TENDER)?;
    if st.approved.is_none() {
        return Err(Error::conflict("the evaluation model is not approved"));
    }
    Ok(())
}

/// A limit on lots per supplier is at least one, or none.
pub fn award_limit(limit: Option<u32>) -> Result<Option<u32>> {
    if limit == Some(0) {
        return Err(Error::validation(
            "limit",
            "the lot award limit must be at least 1, or none",
        ));
    }
    Ok(limit)
}

/// Bids are recorded at tender or evaluation, and none once an evaluator has submitted
/// (their scores would not cover it).
pub fn may_record_bids(st: &EvalState) -> Result<()> {
    stage_allows(
        st,
        "bids can be recorded",
        &[Stage::Tender, Stage::Evaluation],
    )?;
    if st.panel.iter().any(|m| m.submitted_at.is_some()) {
        return Err(Error::conflict(format!(
            "an evaluator has already submitted scores for lot {}, so no bid can be added",
            st.lot_reference
        )));
    }
    if !st.access.may_see_bids {
        return Err(Error::conflict(
            st.access.withheld.clone().unwrap_or_default(),
        ));
    }
    Ok(())
}

/// The panel is open until the award; one person, one seat; one moderator.
pub fn may_join_panel(st: &EvalState, person: &str, role: PanelRole) -> Result<()> {
    if st.stage.is_closed() || matches!(st.stage, Stage::Award | Stage::Contract) {
        return Err(Error::conflict(format!(
            "lot {} is at {}: its panel is closed",
            st.lot_reference, st.stage
        )));
    }
    if st.member(person).is_some() {
        return Err(Error::validation(
            "person",
            format!(
                "{person} is already on the panel of lot {}",
                st.lot_reference
            ),
        ));
    }
    if role == PanelRole::Moderator && st.panel.iter().any(|m| m.role == PanelRole::Moderator) {
        return Err(Error::validation(
            "role",
            format!("lot {} already has a moderator", st.lot_reference),
        ));
    }
    Ok(())
}

/// A panel member declares once; a declared conflict is final, and "no conflict" may
/// later become a conflict but not the reverse.
pub fn may_declare(st: &EvalState, who: &str, conflict: Option<&str>) -> Result<()> {
    let Some(me) = st.member(who) else {
        return Err(Error::conflict(format!(
            "{who} is not on the panel of lot {}",
            st.lot_reference
        )));
    };
    match (&me.declared_at, &me.conflict, conflict) {
        (_, Some(_), _) => Err(Error::conflict(
            "you have already declared a conflict of interest for this lot",
        )),
        (Some(_), None, None) => Err(Error::conflict(
            "you have already declared that you have no conflict of interest",
        )),
        _ => Ok(()),
    }
}

/// Seals a score for the audit trail without revealing it: the hash is checked against the
/// scores recorded at submission.
pub fn seal(score: u32, justification: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{score}\u{1f}{justification}").as_bytes(),
    ))
}

fn evaluator(st: &EvalState, who: &str) -> Result<()> {
    match st.member(who) {
        Some(m) if m.role == PanelRole::Evaluator && m.active() => Ok(()),
        Some(m) if m.role == PanelRole::Moderator => {
            Err(Error::conflict("the moderator does not score"))
        }
        Some(_) => Err(Error::conflict(
            st.access.withheld.clone().unwrap_or_default(),
        )),
        None => Err(Error::conflict(format!(
            "{who} is not an evaluator on lot {}",
            st.lot_reference
        ))),
    }
}

fn moderator(st: &EvalState, who: &str) -> Result<()> {
    match st.member(who) {
        Some(m) if m.role == PanelRole::Moderator && m.active() => Ok(()),
        Some(m) if m.role == PanelRole::Moderator => Err(Error::conflict(
            st.access.withheld.clone().unwrap_or_default(),
        )),
        _ => Err(Error::conflict(format!(
            "only the moderator of lot {} records consensus scores",
            st.lot_reference
        ))),
    }
}

/// An active evaluator scores during evaluation, until they submit.
pub fn may_score(st: &EvalState, who: &str) -> Result<()> {
    stage_allows(st, "scores can be recorded", &[Stage::Evaluation])?;
    evaluator(st, who)?;
    if st.member(who).is_some_and(|m| m.submitted_at.is_some()) {
        return Err(Error::conflict(
            "you have submitted your scores for this lot; submitted scores never change",
        ));
    }
    Ok(())
}

/// The question a score or consensus line names, on a bid of this lot.
pub fn entry<'m>(
    st: &EvalState,
    model: &'m EvalModel,
    line: Option<usize>,
    question: &str,
    bid: BidId,
) -> Result<&'m Question> {
    let (_, q) = model.question(question).ok_or_else(|| {
        at_line(
            line,
            Error::validation(
                "question",
                format!("there is no question “{question}” in this lot’s model"),
            ),
        )
    })?;
    if !st.bids.iter().any(|b| b.id == bid) {
        return Err(at_line(
            line,
            Error::validation(
                "bidder",
                format!("bid {bid} is not a bid for lot {}", st.lot_reference),
            ),
        ));
    }
    Ok(q)
}

/// Submission: every bid scored on every question, once. `st` holds the evaluator's own
/// scores.
pub fn may_submit(st: &EvalState, who: &str) -> Result<()> {
    stage_allows(st, "scores can be submitted", &[Stage::Evaluation])?;
    evaluator(st, who)?;
    if st.member(who).is_some_and(|m| m.submitted_at.is_some()) {
        return Err(Error::conflict(
            "you have already submitted your scores for this lot",
        ));
    }
    let model = st.model()?;
    let have: HashSet<(BidId, &str)> = st
        .scores
        .iter()
        .filter(|s| s.evaluator == who)
        .map(|s| (s.bid_id, s.question.as_str()))
        .collect();
    if st.bids.is_empty() {
        return Err(Error::conflict("there are no bids to score"));
    }
    let mut gaps = Vec::new();
    for b in &st.bids {
        for (_, q) in model.questions() {
            if !have.contains(&(b.id, q.key.as_str())) {
                gaps.push(format!("{}: {}", b.label(), q.key));
            }
        }
    }
    if !gaps.is_empty() {
        let mut e = Error::new(
            ErrorCode::Validation,
            format!(
                "{} scores are still to be given before you can submit",
                gaps.len()
            ),
        );
        e.field = Some("scores".into());
        e.details = gaps;
        return Err(e);
    }
    Ok(())
}

/// Consensus is the moderator's, once every active evaluator has submitted and before
/// anyone signs the record off.
pub fn may_moderate(st: &EvalState, who: &str) -> Result<()> {
    stage_allows(st, "consensus scores can be recorded", &[Stage::Evaluation])?;
    moderator(st, who)?;
    let waiting: Vec<&str> = st
        .active_evaluators()
        .filter(|m| m.submitted_at.is_none())
        .map(|m| m.person.as_str())
        .collect();
    if st.active_evaluators().next().is_none() || !waiting.is_empty() {
        return Err(Error::conflict(format!(
            "consensus starts once every evaluator has submitted; still to submit: {}",
            if waiting.is_empty() {
                "no evaluator has declared yet".to_string()
            } else {
                waiting.join(", ")
            }
        )));
    }
    if st.any_signed() {
        return Err(Error::conflict(
            "the moderated record has been signed off; reopen it (with a reason) before changing a consensus score",
        ));
    }
    Ok(())
}

/// A consensus score: on the question's scale, with a reason tied to the evidence.
pub fn check_consensus(
    model: &EvalModel,
    q: &Question,
    line: Option<usize>,
    score: u32,
    reason: &str,
) -> Result<()> {
    check_score(model, q, score, reason).map_err(|e| {
        let e = if e.field.as_deref() == Some("justification") {
            Error::validation(
                "reason",
                format!(
                    "give the reason for the consensus score on {}, tied to the bid’s evidence: at least {} characters",
                    q.key, model.justification_min_chars
                ),
            )
        } else {
            e
        };
        at_line(line, e)
    })
}

/// Each active panel member signs off a complete moderated record once per round.
pub fn may_sign_off(st: &EvalState, who: &str) -> Result<()> {
    stage_allows(
        st,
        "the moderated record can be signed off",
        &[Stage::Evaluation],
    )?;
    let Some(me) = st.member(who).filter(|m| m.active()) else {
        return Err(Error::conflict(format!(
            "{who} is not an active member of the panel of lot {}",
            st.lot_reference
        )));
    };
    if me.signed_off_at.is_some() {
        return Err(Error::conflict(
            "you have already signed off this moderated record",
        ));
    }
    let agreed = st.consensus.len();
    let required = st.bids.len() * st.model()?.questions().count();
    if required == 0 || agreed < required {
        return Err(Error::conflict(format!(
            "the moderated record is not complete: {agreed} of {required} consensus scores are agreed"
        )));
    }
    Ok(())
}

/// The moderator reopens a signed-off record, starting a new round.
pub fn may_reopen(st: &EvalState, who: &str) -> Result<()> {
    stage_allows(
        st,
        "the moderated record can be reopened",
        &[Stage::Evaluation],
    )?;
    moderator(st, who)?;
    if !st.any_signed() {
        return Err(Error::conflict(
            "the moderated record is open: nobody has signed it off yet",
        ));
    }
    Ok(())
}
