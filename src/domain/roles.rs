//! Who may do what. On a shared team workspace people hold different roles; on a single-user
//! laptop the person says which hat they are wearing, and the engine refuses what that role
//! may not do. Panel membership (evaluator or moderator on a given lot) is checked as well,
//! by the evaluation rules: the role says what kind of work, the panel says which lots.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Role {
    /// Runs the procurement: lots, contracts, evaluation set-up, papers, the award.
    Officer,
    /// Scores bids on the lots whose panel they sit on.
    Evaluator,
    /// Agrees consensus scores with reasons and runs moderation.
    Moderator,
    /// Reviews the award pack and approves it or returns it with comments.
    Legal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Action {
    /// Organisations, suppliers, procurements and contracts.
    ManageRegisters,
    /// Create lots, set milestones, move lots between stages.
    ManageLots,
    /// The evaluation model, bids, panel and award limits.
    SetUpEvaluation,
    /// Declare conflicts of interest before seeing bids.
    DeclareInterests,
    /// Enter and submit individual scores.
    Score,
    /// Agree consensus scores and reopen moderation.
    Moderate,
    /// Sign off the moderated record.
    SignOff,
    /// Write and generate decision papers.
    WritePapers,
    /// Workspace bank holidays.
    ManageCalendar,
    /// Award dates, assessment summaries and building the award pack.
    ManageAward,
    /// Approve or return the award pack.
    ReviewPack,
    /// The TUPE transfer: plan, staff lists and obligations.
    ManageTupe,
    /// Budgets, funders' contributions, savings targets and allocations.
    ManageFinance,
    /// The route to market, conflicts assessment, Section 75 checklist and notices.
    ManageRoute,
    /// Market engagement, the specification, clarifications and the bid receipt log.
    ManageTender,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Officer, Role::Evaluator, Role::Moderator, Role::Legal];

    pub fn key(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Evaluator => "evaluator",
            Role::Moderator => "moderator",
            Role::Legal => "legal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Officer => "Procurement officer",
            Role::Evaluator => "Evaluator",
            Role::Moderator => "Moderator",
            Role::Legal => "Legal reviewer",
        }
    }

    /// "a procurement officer", "an evaluator": for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            Role::Officer => "a procurement officer",
            Role::Evaluator => "an evaluator",
            Role::Moderator => "a moderator",
            Role::Legal => "a legal reviewer",
        }
    }

    pub fn parse(s: &str) -> Result<Role> {
        let norm = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.key() == norm)
            .ok_or_else(|| {
                Error::validation(
                    "role",
                    format!("“{s}” is not a role; expected officer, evaluator, moderator or legal"),
                )
            })
    }

    /// The permission table: every action each role may take. Reading is open to every
    /// role, subject to the blind-scoring rule.
    pub fn may(self, a: Action) -> bool {
        use Action::*;
        match self {
            Role::Officer => matches!(
                a,
                ManageRegisters
                    | ManageLots
                    | SetUpEvaluation
                    | WritePapers
                    | ManageCalendar
                    | ManageAward
                    | ManageTupe
                    | ManageFinance
                    | ManageRoute
                    | ManageTender
            ),
            Role::Evaluator => matches!(a, DeclareInterests | Score | SignOff),
            Role::Moderator => matches!(a, DeclareInterests | Moderate | SignOff),
            Role::Legal => matches!(a, ReviewPack),
        }
    }

    pub fn require(self, a: Action) -> Result<()> {
        if self.may(a) {
            return Ok(());
        }
        let allowed: Vec<&str> = Role::ALL
            .into_iter()
            .filter(|r| r.may(a))
            .map(|r| r.label())
            .collect();
        Err(Error::new(
            ErrorCode::Forbidden,
            format!(
                "{} may not {}; this is for: {}",
                self.with_article(),
                a.description(),
                allowed.join(", ")
            ),
        ))
    }
}

/// The role a person acts in on a lot when they did not say: the one their panel seats give
/// them, when those seats all agree. None when they hold no seat, or seats of both kinds.
pub fn from_panel(seats: &[crate::domain::eval::PanelRole]) -> Option<Role> {
    use crate::domain::eval::PanelRole;
    let role = |p: &PanelRole| match p {
        PanelRole::Evaluator => Role::Evaluator,
        PanelRole::Moderator => Role::Moderator,
    };
    let first = role(seats.first()?);
    seats.iter().all(|s| role(s) == first).then_some(first)
}

impl Action {
    pub fn description(self) -> &'static str {
        match self {
            Action::ManageRegisters => "change organisations, suppliers, procurements or contracts",
            Action::ManageLots => "create lots, set their milestones or move them between stages",
            Action::SetUpEvaluation => "set up the evaluation (model, bids, panel, award limits)",
            Action::DeclareInterests => "declare interests for an evaluation panel",
            Action::Score => "score bids",
            Action::Moderate => "agree consensus scores or reopen moderation",
            Action::SignOff => "sign off the moderated record",
            Action::WritePapers => "write or generate decision papers",
            Action::ManageCalendar => "add bank holidays to the workspace",
            Action::ManageAward => {
                "record award dates, send assessment summaries or build the award pack"
            }
            Action::ReviewPack => "approve or return the award pack",
            Action::ManageTupe => {
                "plan the TUPE transfer, import staff lists or update TUPE obligations"
            }
            Action::ManageFinance => {
                "set budgets, funders’ contributions, savings targets or allocations"
            }
            Action::ManageRoute => {
                "record the route to market, the conflicts assessment or a notice"
            }
            Action::ManageTender => {
                "record market engagement, change the specification, answer clarifications or log bids"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_belongs_to_someone_and_legal_only_reviews() {
        use Action::*;
        for a in [
            ManageRegisters,
            ManageLots,
            SetUpEvaluation,
            DeclareInterests,
            Score,
            Moderate,
            SignOff,
            WritePapers,
            ManageCalendar,
            ManageAward,
            ReviewPack,
            ManageTupe,
            ManageFinance,
            ManageRoute,
            ManageTender,
        ] {
            assert!(Role::ALL.iter().any(|r| r.may(a)), "{a:?}");
        }
        assert!(Role::Legal.may(ReviewPack));
        assert!(!Role::Officer.may(ReviewPack));
        assert!(!Role::Legal.may(ManageAward));
        assert!(!Role::Evaluator.may(Moderate));
        assert!(!Role::Moderator.may(Score));
    }

    #[test]
    fn refusal_names_the_role_and_who_may() {
        let e = Role::Officer.require(Action::ReviewPack).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        assert_eq!(
            e.message,
            "a procurement officer may not approve or return the award pack; this is for: Legal reviewer"
        );
        assert!(Role::parse("Legal").is_ok());
        assert_eq!(
            Role::parse("boss").unwrap_err().field.as_deref(),
            Some("role")
        );
    }
}

#[cfg(test)]
mod panel_role_tests {
    use super::*;
    use crate::domain::eval::PanelRole;

    #[test]
    fn the_role_follows_an_unambiguous_panel_seat() {
        assert_eq!(from_panel(&[PanelRole::Evaluator]), Some(Role::Evaluator));
        assert_eq!(from_panel(&[PanelRole::Moderator]), Some(Role::Moderator));
        assert_eq!(from_panel(&[]), None);
        assert_eq!(
            from_panel(&[PanelRole::Evaluator, PanelRole::Moderator]),
            None
        );
    }
}
