//! Evaluation: the model published to bidders, the bids, the panel, blind individual
//! scoring, moderation to consensus, and the results.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::ids::{BidId, LotId, SupplierId};
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::error::{Error, Result};

pub mod limits;
pub mod model;
pub mod moderation;
pub mod results;
pub mod rules;
pub mod scoresheet;

pub use rules::EvalScope;

use model::{EvalModel, Question, Scale};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PanelRole {
    Evaluator,
    /// Runs consensus; does not score.
    Moderator,
}

impl PanelRole {
    pub fn key(self) -> &'static str {
        match self {
            PanelRole::Evaluator => "evaluator",
            PanelRole::Moderator => "moderator",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PanelRole::Evaluator => "Evaluator",
            PanelRole::Moderator => "Moderator",
        }
    }
    pub fn parse(s: &str) -> Result<PanelRole> {
        match s.trim().to_lowercase().as_str() {
            "evaluator" => Ok(PanelRole::Evaluator),
            "moderator" => Ok(PanelRole::Moderator),
            other => Err(Error::validation(
                "role",
                format!("“{other}” is not a panel role; expected evaluator or moderator"),
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PanelMember {
    pub person: String,
    pub role: PanelRole,
    /// When they recorded their conflict-of-interest declaration.
    pub declared_at: Option<DateTime<Utc>>,
    /// The conflict they declared; a conflict removes them from the lot.
    pub conflict: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Their sign-off of the moderated record in the current round.
    pub signed_off_at: Option<DateTime<Utc>>,
}

impl PanelMember {
    /// On the panel, declared, and not conflicted.
    pub fn active(&self) -> bool {
        self.declared_at.is_some() && self.conflict.is_none()
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BidParty {
    pub supplier_id: SupplierId,
    pub name: String,
    pub registration_number: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Bid {
    pub id: BidId,
    pub lot_id: LotId,
    /// The bidder, or the lead of a consortium.
    pub lead: BidParty,
    /// Other consortium members; empty for a bid made alone.
    pub members: Vec<BidParty>,
    pub price: Money,
}

impl Bid {
    /// How the bid is named on screen and in documents.
    pub fn label(&self) -> String {
        if self.members.is_empty() {
            self.lead.name.clone()
        } else {
            format!("{} (consortium lead)", self.lead.name)
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreEntry {
    pub bid_id: BidId,
    pub question: String,
    pub evaluator: String,
    pub score: u32,
    pub justification: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConsensusEntry {
    pub bid_id: BidId,
    pub question: String,
    pub score: u32,
    pub reason: String,
    pub moderator: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Approval {
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reopening {
    pub round: u32,
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// How many scores an evaluator has entered: a count only, never the scores.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Progress {
    pub evaluator: String,
    pub scored: u32,
    pub required: u32,
    pub submitted: bool,
}

/// What a viewer may see of a lot's evaluation. Decided here, once, and applied by the store
/// to every read, so the UI cannot leak what the engine withholds.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Access {
    pub role: Option<PanelRole>,
    pub may_see_bids: bool,
    /// Scores other evaluators have submitted, and the consensus.
    pub may_see_submitted: bool,
    /// Why something is withheld, in words for the viewer.
    pub withheld: Option<String>,
}

pub fn access(viewer: &str, panel: &[PanelMember]) -> Access {
    let Some(me) = panel.iter().find(|m| m.person == viewer) else {
        // Officers who run the procurement but do not score: they see the record, and like
        // everyone else only what evaluators have submitted.
        return Access {
            role: None,
            may_see_bids: true,
            may_see_submitted: true,
            withheld: None,
        };
    };
    let role = Some(me.role);
    if me.declared_at.is_none() {
        return Access {
            role,
            may_see_bids: false,
            may_see_submitted: false,
            withheld: Some(
                "Record your conflict-of-interest declaration before the bids and scores of this lot are shown to you.".into(),
            ),
        };
    }
    if me.conflict.is_some() {
        return Access {
            role,
            may_see_bids: false,
            may_see_submitted: false,
            withheld: Some(
                "You declared a conflict of interest, so you take no part in evaluating this lot."
                    .into(),
            ),
        };
    }
    match me.role {
        PanelRole::Moderator => Access {
            role,
            may_see_bids: true,
            may_see_submitted: true,
            withheld: None,
        },
        PanelRole::Evaluator if me.submitted_at.is_some() => Access {
            role,
            may_see_bids: true,
            may_see_submitted: true,
            withheld: None,
        },
        PanelRole::Evaluator => Access {
            role,
            may_see_bids: true,
            may_see_submitted: false,
            withheld: Some(
                "Other evaluators’ scores and the consensus are shown once you have submitted your own.".into(),
            ),
        },
    }
}

/// Whether `viewer` may read a score written by `author`.
pub fn may_read_score(a: &Access, viewer: &str, author: &str, author_submitted: bool) -> bool {
    if !a.may_see_bids {
        return false;
    }
    viewer == author || (a.may_see_submitted && author_submitted)
}

/// Everything about a lot's evaluation that the viewer may see.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvalState {
    pub lot_id: LotId,
    pub lot_title: String,
    pub lot_reference: String,
    pub stage: Stage,
    pub viewer: String,
    pub access: Access,
    pub model: Option<EvalModel>,
    /// The model's version, sent back when replacing it (domain::edit; 0 before any).
    pub model_version: i64,
    /// The price method in plain words, as published.
    pub price_method: Option<String>,
    pub approved: Option<Approval>,
    pub panel: Vec<PanelMember>,
    pub bids: Vec<Bid>,
    /// Only the scores the viewer may read.
    pub scores: Vec<ScoreEntry>,
    pub consensus: Vec<ConsensusEntry>,
    pub progress: Vec<Progress>,
    /// The moderation round: 1, and one more for each reopening.
    pub round: u32,
    pub reopenings: Vec<Reopening>,
    /// "No more than N lots per supplier" across the procurement.
    pub award_limit: Option<u32>,
}

impl EvalState {
    pub fn model(&self) -> Result<&EvalModel> {
        self.model.as_ref().ok_or_else(|| {
            Error::conflict(format!(
                "lot {} has no evaluation model yet",
                self.lot_reference
            ))
        })
    }
    pub fn member(&self, person: &str) -> Option<&PanelMember> {
        self.panel.iter().find(|m| m.person == person)
    }
    /// Evaluators taking part: on the panel, declared and not conflicted.
    pub fn active_evaluators(&self) -> impl Iterator<Item = &PanelMember> {
        self.panel
            .iter()
            .filter(|m| m.role == PanelRole::Evaluator && m.active())
    }
    /// Every active panel member has signed off the current round.
    pub fn signed_off(&self) -> bool {
        let mut active = self.panel.iter().filter(|m| m.active()).peekable();
        active.peek().is_some() && active.all(|m| m.signed_off_at.is_some())
    }
    pub fn any_signed(&self) -> bool {
        self.panel
            .iter()
            .any(|m| m.active() && m.signed_off_at.is_some())
    }
}

/// Checks a score against its question's scale and the model's justification rule.
pub fn check_score(model: &EvalModel, q: &Question, score: u32, justification: &str) -> Result<()> {
    if score > q.scale.max() {
        return Err(Error::validation(
            "score",
            match q.scale {
                Scale::PassFail => format!(
                    "{} is pass or fail: enter 1 (pass) or 0 (fail), not {score}",
                    q.key
                ),
                _ => format!(
                    "{} is scored {}: {score} is not on the scale",
                    q.key,
                    q.scale.label()
                ),
            },
        ));
    }
    let len = justification.trim().chars().count() as u32;
    if len < model.justification_min_chars {
        return Err(Error::validation(
            "justification",
            format!(
                "give a justification for the score on {} that refers to the bid: at least {} characters ({} given)",
                q.key, model.justification_min_chars, len
            ),
        ));
    }
    Ok(())
}

/// Parses a score as typed: a whole number, or pass/fail words for pass/fail questions.
pub fn parse_score(q: &Question, text: &str) -> Result<u32> {
    let t = text.trim();
    if q.scale == Scale::PassFail {
        match t.to_lowercase().as_str() {
            "pass" | "p" | "1" | "yes" => return Ok(1),
            "fail" | "f" | "0" | "no" => return Ok(0),
            _ => {}
        }
    }
    t.parse::<u32>().map_err(|_| {
        Error::validation(
            "score",
            format!(
                "“{t}” is not a score for {}: expected a whole number from {}",
                q.key,
                q.scale.label()
            ),
        )
    })
}

/// The shortest reason a reopening, withdrawal or consensus score may carry.
pub const MIN_REASON_CHARS: usize = 10;

pub fn reason(field: &str, what: &str, text: &str, min: usize) -> Result<String> {
    let t = text.trim();
    if t.chars().count() < min {
        return Err(Error::validation(
            field,
            format!("give the reason {what} (at least {min} characters); it is kept in the record"),
        ));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(
        person: &str,
        role: PanelRole,
        declared: bool,
        conflict: bool,
        submitted: bool,
    ) -> PanelMember {
        let at = chrono::Utc::now();
        PanelMember {
            person: person.into(),
            role,
            declared_at: declared.then_some(at),
            conflict: conflict.then(|| "Trustee of a bidder".into()),
            submitted_at: submitted.then_some(at),
            signed_off_at: None,
        }
    }

    #[test]
    fn blind_until_submitted() {
        let panel = vec![
            member("ann", PanelRole::Evaluator, true, false, false),
            member("bob", PanelRole::Evaluator, true, false, true),
            member("cat", PanelRole::Evaluator, false, false, false),
            member("dan", PanelRole::Evaluator, true, true, false),
            member("mo", PanelRole::Moderator, true, false, false),
        ];
        let ann = access("ann", &panel);
        assert!(ann.may_see_bids && !ann.may_see_submitted);
        assert!(may_read_score(&ann, "ann", "ann", false));
        assert!(
            !may_read_score(&ann, "ann", "bob", true),
            "ann has not submitted"
        );
        let bob = access("bob", &panel);
        assert!(
            !may_read_score(&bob, "bob", "ann", false),
            "ann's are unsubmitted"
        );
        assert!(may_read_score(&bob, "bob", "bob", true));
        let cat = access("cat", &panel);
        assert!(!cat.may_see_bids, "no declaration, no bids");
        assert!(!may_read_score(&cat, "cat", "cat", false));
        assert!(!access("dan", &panel).may_see_bids, "conflicted");
        let mo = access("mo", &panel);
        assert!(may_read_score(&mo, "mo", "bob", true));
        assert!(!may_read_score(&mo, "mo", "ann", false));
        let officer = access("olivia", &panel);
        assert!(officer.may_see_bids && !may_read_score(&officer, "olivia", "ann", false));
    }
}
