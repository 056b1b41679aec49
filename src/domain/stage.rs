//! The lifecycle of a lot and the one table every stage change goes through.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Stage {
    MarketEngagement,
    DraftSpecification,
    Tender,
    Evaluation,
    Award,
    Contract,
    Abandoned,
}

impl Stage {
    pub const PIPELINE: [Stage; 6] = [
        Stage::MarketEngagement,
        Stage::DraftSpecification,
        Stage::Tender,
        Stage::Evaluation,
        Stage::Award,
        Stage::Contract,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stage::MarketEngagement => "market_engagement",
            Stage::DraftSpecification => "draft_specification",
            Stage::Tender => "tender",
            Stage::Evaluation => "evaluation",
            Stage::Award => "award",
            Stage::Contract => "contract",
            Stage::Abandoned => "abandoned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::MarketEngagement => "Market engagement",
            Stage::DraftSpecification => "Draft specification",
            Stage::Tender => "Tender",
            Stage::Evaluation => "Evaluation",
            Stage::Award => "Award",
            Stage::Contract => "Contract",
            Stage::Abandoned => "Abandoned",
        }
    }

    /// Accepts the key (`draft_specification`), the label, or a hyphenated form.
    pub fn parse(s: &str) -> Result<Stage> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Stage::PIPELINE
            .iter()
            .chain([Stage::Abandoned].iter())
            .copied()
            .find(|st| st.key() == norm)
            .ok_or_else(|| {
                Error::validation(
                    "to",
                    format!(
                        "“{s}” is not a stage; expected one of: market_engagement, draft_specification, tender, evaluation, award, contract, abandoned"
                    ),
                )
            })
    }

    fn next(self) -> Option<Stage> {
        let i = Stage::PIPELINE.iter().position(|s| *s == self)?;
        Stage::PIPELINE.get(i + 1).copied()
    }

    fn previous(self) -> Option<Stage> {
        let i = Stage::PIPELINE.iter().position(|s| *s == self)?;
        i.checked_sub(1).map(|j| Stage::PIPELINE[j])
    }

    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Contract | Stage::Abandoned)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How a lot may move: one step on; one step back with a reason (a specification sent back
/// for rework, a tender re-run); or abandoned, with a reason, from any open stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Forward,
    Back,
    Abandon,
}

pub fn classify(from: Stage, to: Stage) -> Result<Move> {
    let refuse = |why: String| Err(Error::validation("to", why));
    if from == to {
        return refuse(format!("the lot is already at {from}"));
    }
    if from.is_closed() {
        return refuse(format!("the lot is at {from}; a closed lot cannot move"));
    }
    if !allowed_moves(from).contains(&to) {
        let allowed: Vec<&str> = allowed_moves(from).iter().map(|s| s.label()).collect();
        return refuse(format!(
            "a lot at {from} cannot move to {to}; it can move to: {}",
            allowed.join(", ")
        ));
    }
    Ok(if to == Stage::Abandoned {
        Move::Abandon
    } else if from.next() == Some(to) {
        Move::Forward
    } else {
        Move::Back
    })
}

/// The transition table: every stage a lot at `from` may be moved to, in the order a person
/// would choose them (forward, back, abandoned). The UI offers exactly these.
pub fn allowed_moves(from: Stage) -> Vec<Stage> {
    if from.is_closed() {
        return Vec::new();
    }
    // Going back from award would reopen a decision already told to bidders.
    let back = from.previous().filter(|_| from != Stage::Award);
    [from.next(), back, Some(Stage::Abandoned)]
        .into_iter()
        .flatten()
        .collect()
}

/// What the gates look at: a snapshot of the lot, read inside the write transaction.
#[derive(Debug, Clone)]
pub struct LotFacts {
    pub stage: Stage,
    pub has_estimated_value: bool,
    pub has_term: bool,
    /// The lot's evaluation model has been approved for publication.
    pub eval_model_approved: bool,
    /// Every active panel member has signed off the moderated record.
    pub moderation_signed_off: bool,
    /// Milestone key -> (planned, actual).
    pub milestones: Vec<(String, Option<NaiveDate>, Option<NaiveDate>)>,
    /// What the award still lacks before a contract may be entered into (standstill,
    /// legal's approval of the pack): `domain::award::contract_gate`.
    pub award_missing: Vec<String>,
    /// What the route to market still lacks before tenders may be invited (a route, a
    /// conflicts assessment, dates that meet the minimum time limits): `domain::route::tender_gate`.
    pub route_missing: Vec<String>,
}

impl LotFacts {
    fn milestone(&self, key: &str) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        self.milestones
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, p, a)| (*p, *a))
    }
}

/// One gate: a check for entering a stage. Later capabilities (evaluation, award, TUPE)
/// add theirs to `gates_for`.
pub struct Gate {
    pub entering: Stage,
    pub check: fn(&LotFacts, NaiveDate) -> Option<String>,
}

const GATES: &[Gate] = &[
    Gate {
        entering: Stage::DraftSpecification,
        check: |f, _| {
            (!f.has_estimated_value).then(|| "an estimated annual value for the lot".to_string())
        },
    },
    Gate {
        entering: Stage::Tender,
        check: |f, _| match f.milestone(crate::domain::milestone::SUBMISSION_DEADLINE) {
            Some((Some(_), _)) => None,
            _ => Some(
                "a planned tender submission deadline (milestone “Tender submission deadline”)"
                    .into(),
            ),
        },
    },
    Gate {
        entering: Stage::Tender,
        check: |f, _| {
            (!f.has_term).then(|| "a contract term for the lot (for example 5+2+2)".to_string())
        },
    },
    Gate {
        entering: Stage::Tender,
        check: |f, _| {
            (!f.eval_model_approved).then(|| {
                "an approved evaluation model (criteria, weightings and price method)".to_string()
            })
        },
    },
    Gate {
        entering: Stage::Award,
        check: |f, _| {
            (!f.moderation_signed_off).then(|| {
                "the moderated evaluation record signed off by every panel member".to_string()
            })
        },
    },
    Gate {
        entering: Stage::Evaluation,
        check: |f, today| match f.milestone(crate::domain::milestone::SUBMISSION_DEADLINE) {
            Some((_, Some(actual))) if actual <= today => None,
            Some((_, Some(actual))) => Some(format!(
                "the tender submission deadline to have passed (it is recorded as {})",
                crate::domain::dates::long(actual)
            )),
            _ => Some("the actual date the tender submission deadline closed".into()),
        },
    },
    Gate {
        entering: Stage::Contract,
        check: |f, _| match f.milestone(crate::domain::milestone::CONTRACT_START) {
            Some((Some(_), _)) => None,
            _ => Some("a planned contract start date (milestone “Contract start”)".into()),
        },
    },
];

/// Checks a move against the table and every gate of the stage entered. Returns the move, or
/// an error listing exactly what is missing.
pub fn check_transition(
    facts: &LotFacts,
    to: Stage,
    reason: Option<&str>,
    today: NaiveDate,
) -> Result<Move> {
    let mv = classify(facts.stage, to)?;
    let reason_given = reason.is_some_and(|r| r.trim().len() >= 10);
    match mv {
        Move::Abandon | Move::Back if !reason_given => {
            return Err(Error::validation(
                "reason",
                match mv {
                    Move::Abandon => {
                        "give the reason for abandoning the lot (at least 10 characters); it is kept in the record"
                    }
                    _ => {
                        "give the reason for moving the lot back a stage (at least 10 characters); it is kept in the record"
                    }
                },
            ));
        }
        Move::Forward => {
            let mut missing: Vec<String> = GATES
                .iter()
                .filter(|g| g.entering == to)
                .filter_map(|g| (g.check)(facts, today))
                .collect();
            if to == Stage::Contract {
                missing.extend(facts.award_missing.iter().cloned());
            }
            if to == Stage::Tender {
                missing.extend(facts.route_missing.iter().cloned());
            }
            if !missing.is_empty() {
                let mut e = Error::new(
                    ErrorCode::GatesFailed,
                    format!(
                        "the lot cannot enter {to} yet: it needs {}",
                        missing.join("; ")
                    ),
                );
                e.details = missing;
                e.field = Some("to".into());
                return Err(e);
            }
        }
        _ => {}
    }
    Ok(mv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::milestone::{CONTRACT_START, SUBMISSION_DEADLINE};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }
    fn facts(stage: Stage) -> LotFacts {
        LotFacts {
            stage,
            has_estimated_value: true,
            has_term: true,
            eval_model_approved: true,
            moderation_signed_off: true,
            milestones: vec![],
            award_missing: vec![],
            route_missing: vec![],
        }
    }

    #[test]
    fn moves_one_step_forward_only() {
        assert_eq!(
            classify(Stage::MarketEngagement, Stage::DraftSpecification).unwrap(),
            Move::Forward
        );
        let e = classify(Stage::MarketEngagement, Stage::Tender).unwrap_err();
        assert!(e.message.contains("cannot move to Tender"), "{}", e.message);
        assert!(e.message.contains("Draft specification"));
    }

    #[test]
    fn back_one_step_but_never_out_of_award() {
        assert_eq!(
            classify(Stage::Tender, Stage::DraftSpecification).unwrap(),
            Move::Back
        );
        assert!(classify(Stage::Award, Stage::Evaluation).is_err());
    }

    #[test]
    fn allowed_moves_follow_the_table() {
        use Stage::*;
        assert_eq!(
            allowed_moves(MarketEngagement),
            vec![DraftSpecification, Abandoned]
        );
        assert_eq!(
            allowed_moves(Tender),
            vec![Evaluation, DraftSpecification, Abandoned]
        );
        assert_eq!(allowed_moves(Award), vec![Contract, Abandoned]);
        assert!(allowed_moves(Contract).is_empty() && allowed_moves(Abandoned).is_empty());
    }

    #[test]
    fn closed_lots_do_not_move() {
        assert!(classify(Stage::Contract, Stage::Abandoned).is_err());
        assert!(classify(Stage::Abandoned, Stage::MarketEngagement).is_err());
        assert!(classify(Stage::Tender, Stage::Tender).is_err());
    }

    #[test]
    fn abandoning_needs_a_reason() {
        let f = facts(Stage::Tender);
        let e = check_transition(&f, Stage::Abandoned, None, today()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("reason"));
        assert_eq!(
            check_transition(
                &f,
                Stage::Abandoned,
                Some("No compliant bids received"),
                today()
            )
            .unwrap(),
            Move::Abandon
        );
    }

    #[test]
    fn tender_gate_lists_exactly_what_is_missing() {
        let mut f = facts(Stage::DraftSpecification);
        f.has_term = false;
        let e = check_transition(&f, Stage::Tender, None, today()).unwrap_err();
        assert_eq!(e.code, ErrorCode::GatesFailed);
        assert_eq!(e.details.len(), 2, "{:?}", e.details);
        assert!(e.details[0].contains("submission deadline"));
        f.has_term = true;
        f.milestones
            .push((SUBMISSION_DEADLINE.into(), Some(today()), None));
        assert_eq!(
            check_transition(&f, Stage::Tender, None, today()).unwrap(),
            Move::Forward
        );
    }

    #[test]
    fn evaluation_needs_the_deadline_passed() {
        let mut f = facts(Stage::Tender);
        f.milestones.push((
            SUBMISSION_DEADLINE.into(),
            Some(today()),
            Some(today().succ_opt().unwrap()),
        ));
        let e = check_transition(&f, Stage::Evaluation, None, today()).unwrap_err();
        assert!(e.details[0].contains("25 November 2026"), "{:?}", e.details);
        f.milestones[0].2 = Some(today());
        assert!(check_transition(&f, Stage::Evaluation, None, today()).is_ok());
    }

    #[test]
    fn contract_needs_a_start_date_and_draft_spec_a_value() {
        let f = facts(Stage::Award);
        assert!(check_transition(&f, Stage::Contract, None, today()).is_err());
        let mut f2 = f.clone();
        f2.milestones
            .push((CONTRACT_START.into(), Some(today()), None));
        assert!(check_transition(&f2, Stage::Contract, None, today()).is_ok());
        f2.award_missing = vec!["legal’s approval of the award pack".into()];
        let e = check_transition(&f2, Stage::Contract, None, today()).unwrap_err();
        assert_eq!(e.details, vec!["legal’s approval of the award pack"]);
        let mut f3 = facts(Stage::MarketEngagement);
        f3.has_estimated_value = false;
        assert!(check_transition(&f3, Stage::DraftSpecification, None, today()).is_err());
    }

    #[test]
    fn tender_needs_an_approved_model_and_award_a_signed_record() {
        let mut f = facts(Stage::DraftSpecification);
        f.milestones
            .push((SUBMISSION_DEADLINE.into(), Some(today()), None));
        f.eval_model_approved = false;
        let e = check_transition(&f, Stage::Tender, None, today()).unwrap_err();
        assert_eq!(
            e.details,
            vec!["an approved evaluation model (criteria, weightings and price method)"]
        );
        let mut f = facts(Stage::Evaluation);
        f.moderation_signed_off = false;
        let e = check_transition(&f, Stage::Award, None, today()).unwrap_err();
        assert!(e.details[0].contains("signed off by every panel member"));
    }

    #[test]
    fn parses_stage_names() {
        assert_eq!(
            Stage::parse("draft-specification").unwrap(),
            Stage::DraftSpecification
        );
        assert_eq!(
            Stage::parse("Market engagement").unwrap(),
            Stage::MarketEngagement
        );
        assert!(Stage::parse("signed").is_err());
    }
}
