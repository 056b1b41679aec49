//! The award: the regime's standstill and notice rules, the award dates and what follows
//! from them, the award pack's manifest and legal's review of it.
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::calendar::{Holiday, Standstill, StandstillRegime, standstill};
use crate::domain::dates::long;
use crate::domain::ids::LotId;
use crate::error::{Error, Result};

/// Under which rules the contract is awarded: it decides the standstill and the deadline of
/// the contract details notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AwardRegime {
    /// Procurement Act 2023, standard rules: mandatory standstill.
    Pa2023,
    /// Procurement Act 2023 light-touch contract: standstill voluntary, UK7 within 120 days.
    LightTouch,
    /// Provider Selection Regime, Direct Award C, Most Suitable Provider or Competitive:
    /// intention-to-award notice, then standstill.
    Psr,
    /// Provider Selection Regime, Direct Award A or B: no standstill.
    PsrDirectAb,
    /// Procurement Act 2023, a contract awarded in accordance with a framework: no
    /// mandatory standstill (s51(3)(d)).
    FrameworkCallOff,
    /// Procurement Act 2023, a contract awarded by reference to a dynamic market: no
    /// mandatory standstill (s51(3)(e)).
    DynamicMarket,
    /// Procurement Act 2023, a direct award for extreme and unavoidable urgency (Schedule 5
    /// paragraph 13): no mandatory standstill (s51(3)(a)).
    UrgentDirectAward,
}

impl AwardRegime {
    pub const ALL: [AwardRegime; 7] = [
        AwardRegime::Pa2023,
        AwardRegime::LightTouch,
        AwardRegime::FrameworkCallOff,
        AwardRegime::DynamicMarket,
        AwardRegime::UrgentDirectAward,
        AwardRegime::Psr,
        AwardRegime::PsrDirectAb,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AwardRegime::Pa2023 => "pa2023",
            AwardRegime::LightTouch => "light-touch",
            AwardRegime::Psr => "psr",
            AwardRegime::PsrDirectAb => "psr-direct-ab",
            AwardRegime::FrameworkCallOff => "framework-call-off",
            AwardRegime::DynamicMarket => "dynamic-market",
            AwardRegime::UrgentDirectAward => "urgent-direct-award",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AwardRegime::Pa2023 => "Procurement Act 2023",
            AwardRegime::LightTouch => "Procurement Act 2023, light-touch contract",
            AwardRegime::Psr => {
                "Provider Selection Regime (Direct Award C, Most Suitable Provider or competitive)"
            }
            AwardRegime::PsrDirectAb => "Provider Selection Regime (Direct Award A or B)",
            AwardRegime::FrameworkCallOff => {
                "Procurement Act 2023, contract awarded in accordance with a framework"
            }
            AwardRegime::DynamicMarket => {
                "Procurement Act 2023, contract awarded by reference to a dynamic market"
            }
            AwardRegime::UrgentDirectAward => {
                "Procurement Act 2023, direct award for extreme and unavoidable urgency"
            }
        }
    }

    /// Whether the Procurement Act's rules on standstill and notices apply.
    pub fn under_the_act(self) -> bool {
        !matches!(self, AwardRegime::Psr | AwardRegime::PsrDirectAb)
    }

    /// A standstill the authority may choose to give (s51(4)): the Act's regimes with no
    /// mandatory one.
    pub fn voluntary_allowed(self) -> bool {
        matches!(
            self,
            AwardRegime::LightTouch
                | AwardRegime::FrameworkCallOff
                | AwardRegime::DynamicMarket
                | AwardRegime::UrgentDirectAward
        )
    }

    /// The notice whose publication starts the standstill.
    pub fn notice(self) -> &'static str {
        match self {
            AwardRegime::Psr | AwardRegime::PsrDirectAb => "notice of intention to award",
            _ => "contract award notice (UK6)",
        }
    }

    pub fn parse(s: &str) -> Result<AwardRegime> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        AwardRegime::ALL
            .into_iter()
            .find(|r| r.key() == norm)
            .ok_or_else(|| {
                Error::validation(
                    "regime",
                    format!(
                        "“{s}” is not an award regime; expected one of: {}",
                        AwardRegime::ALL.map(|r| r.key()).join(", ")
                    ),
                )
            })
    }

    /// The period, beginning with the day the contract is entered into, within which the
    /// contract details notice is due (s53(1)), and a copy of a contract over £5 million
    /// (s53(3)).
    pub fn details_notice_days(self) -> u64 {
        match self {
            AwardRegime::LightTouch => 120,
            _ => 30,
        }
    }
    pub fn contract_copy_days(self) -> u64 {
        match self {
            AwardRegime::LightTouch => 180,
            _ => 90,
        }
    }
}

/// What the officer records about the award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AwardDates {
    pub regime: AwardRegime,
    /// Light-touch only: the officer chose to observe a standstill anyway.
    pub voluntary_standstill: bool,
    pub notice_published: Option<NaiveDate>,
    pub contract_signed: Option<NaiveDate>,
}

impl AwardDates {
    pub fn standstill_applies(&self) -> bool {
        match self.regime {
            AwardRegime::Pa2023 | AwardRegime::Psr => true,
            AwardRegime::PsrDirectAb => false,
            r if r.voluntary_allowed() => self.voluntary_standstill,
            _ => false,
        }
    }

    fn standstill_regime(&self) -> StandstillRegime {
        match self.regime {
            AwardRegime::Psr | AwardRegime::PsrDirectAb => StandstillRegime::Psr,
            _ => StandstillRegime::Pa2023,
        }
    }
}

/// Written representations received during a PSR standstill (SI 2023/1348 reg 12(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Representation {
    pub id: i64,
    pub received_on: NaiveDate,
    pub provider: String,
    pub summary: String,
    pub recorded_by: String,
    /// Received after midnight at the end of the standstill's 8th working day: out of time
    /// (reg 12(3)), so it does not keep the standstill open.
    pub out_of_time: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum FurtherDecisionKind {
    /// Enter into the contract as intended after the standstill (reg 12(4)(d)(i)).
    Proceed,
    /// Go back to an earlier step and repeat it (reg 12(4)(d)(ii)).
    Repeat,
    /// Abandon the procurement (reg 12(4)(d)(iii), reg 15).
    Abandon,
}

impl FurtherDecisionKind {
    pub fn key(self) -> &'static str {
        match self {
            Self::Proceed => "proceed",
            Self::Repeat => "repeat",
            Self::Abandon => "abandon",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Proceed => "enter into the contract as intended",
            Self::Repeat => "go back to an earlier step and repeat it",
            Self::Abandon => "abandon the procurement",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "proceed" => Ok(Self::Proceed),
            "repeat" => Ok(Self::Repeat),
            "abandon" => Ok(Self::Abandon),
            other => Err(Error::validation(
                "decision",
                format!("“{other}” is not a further decision; expected proceed, repeat or abandon"),
            )),
        }
    }
}

/// A further decision on representations, communicated to the providers (reg 12(4)(d), (6),
/// (7), (8)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FurtherDecision {
    pub id: i64,
    pub communicated_on: NaiveDate,
    pub decision: FurtherDecisionKind,
    pub reasons: String,
    pub recorded_by: String,
}

/// The PSR standstill's representations and further decisions, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandstillRecords {
    pub representations: Vec<Representation>,
    pub further_decisions: Vec<FurtherDecision>,
}

/// What else the award's dates depend on.
#[derive(Debug, Clone, Default)]
pub struct TimelineFacts {
    pub contract_start: Option<NaiveDate>,
    /// The contract's estimated value is over £5 million: a copy is due too (s53(3)).
    pub over_five_million: bool,
    pub records: StandstillRecords,
}

/// Working days after the last further decision before a PSR standstill with
/// representations may end (reg 12(10)(a)(v), (b)(v)).
pub const PSR_DAYS_AFTER_FURTHER_DECISION: u32 = 5;

/// Everything that follows from the award dates, with the rule behind each.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AwardTimeline {
    pub standstill_applies: bool,
    /// Why there is, or is no, standstill.
    pub standstill_rule: String,
    pub standstill: Option<Standstill>,
    /// PSR only: representations received and the further decisions communicated.
    pub representations: Vec<Representation>,
    pub further_decisions: Vec<FurtherDecision>,
    /// When representations keep the standstill open: the day it now ends (at midnight), or
    /// None while the further decision is awaited; with the rule.
    pub standstill_extended_to: Option<NaiveDate>,
    pub standstill_extension: Option<String>,
    /// The first day the contract may be entered into, once the notice is published.
    pub contract_may_be_entered_from: Option<NaiveDate>,
    pub contract_start: Option<NaiveDate>,
    /// The day the contract was entered into (signed): day 1 of the notices' periods.
    pub contract_signed: Option<NaiveDate>,
    pub contract_details_notice_due: Option<NaiveDate>,
    pub contract_details_rule: String,
    /// Over £5 million under the Act: the copy of the contract and when it is due (s53(3)).
    pub contract_copy_due: Option<NaiveDate>,
    pub contract_copy_rule: Option<String>,
    /// Standstill is over (or does not apply) and the notice is published.
    pub may_enter_contract: bool,
    /// When it may not: what is still to happen.
    pub waiting_for: Option<String>,
}

pub fn timeline(
    d: &AwardDates,
    contract_start: Option<NaiveDate>,
    extra: &[Holiday],
    today: NaiveDate,
) -> Result<AwardTimeline> {
    timeline_with(
        d,
        &TimelineFacts {
            contract_start,
            ..Default::default()
        },
        extra,
        today,
    )
}

pub fn timeline_with(
    d: &AwardDates,
    f: &TimelineFacts,
    extra: &[Holiday],
    today: NaiveDate,
) -> Result<AwardTimeline> {
    let applies = d.standstill_applies();
    let no_mandatory = |why: &str| {
        if applies {
            format!(
                "No mandatory standstill: {why}. The council has chosen a voluntary standstill, which must be at least 8 working days beginning with the day the contract award notice is published (s51(4), (5))."
            )
        } else {
            format!(
                "No mandatory standstill: {why}; the council has chosen not to give a voluntary one (s51(4))."
            )
        }
    };
    let standstill_rule = match d.regime {
        AwardRegime::Pa2023 => "A mandatory standstill of 8 working days beginning with the day the contract award notice is published applies (Procurement Act 2023 s51(1), (2)).".to_string(),
        AwardRegime::LightTouch => no_mandatory("a light-touch contract (s51(3)(f))"),
        AwardRegime::FrameworkCallOff => no_mandatory("a contract awarded in accordance with a framework (s51(3)(d))"),
        AwardRegime::DynamicMarket => no_mandatory("a contract awarded by reference to a dynamic market (s51(3)(e))"),
        AwardRegime::UrgentDirectAward => no_mandatory("a direct award for extreme and unavoidable urgency under Schedule 5 paragraph 13 (s51(3)(a))"),
        AwardRegime::Psr => "A standstill applies after the notice of intention to award (Provider Selection Regime, SI 2023/1348 reg 12).".to_string(),
        AwardRegime::PsrDirectAb => "Direct Award A and B under the Provider Selection Regime have no standstill.".to_string(),
    };
    let standstill = match (applies, d.notice_published) {
        (true, Some(p)) => Some(standstill(d.standstill_regime(), p, extra)?),
        _ => None,
    };
    // PSR representations (reg 12(3), (10)): only those made in time keep it open.
    let mut representations = f.records.representations.clone();
    let mut further_decisions = f.records.further_decisions.clone();
    further_decisions.sort_by_key(|x| (x.communicated_on, x.id));
    let mut extended_to = None;
    let mut extension = None;
    let mut blocked: Option<String> = None;
    if d.regime == AwardRegime::Psr
        && let Some(s) = &standstill
    {
        for r in &mut representations {
            r.out_of_time = r.received_on > s.last_day;
        }
        let in_time = representations.iter().filter(|r| !r.out_of_time).count();
        if in_time > 0 {
            match further_decisions.last() {
                None => {
                    blocked = Some(format!(
                        "the further decision on the representations ({in_time} received in time): the standstill stays open until it is communicated and at least 5 working days have passed (SI 2023/1348 reg 12(4), (10))"
                    ));
                    extension = Some("Representations were received in time: the standstill stays open until the further decision is communicated to the providers and at least 5 working days have passed since (reg 12(10)).".into());
                }
                Some(last) => {
                    let mut cal = crate::domain::calendar::Calendar::new(
                        crate::domain::calendar::WorkingDays::Psr,
                        extra.to_vec(),
                    );
                    let (five, _) = cal
                        .add_working_days(last.communicated_on, PSR_DAYS_AFTER_FURTHER_DECISION)?;
                    // Providers may still make representations until the 8th working day
                    // (reg 12(3)), so it never ends before that either.
                    let end = five.max(s.last_day);
                    extended_to = Some(end);
                    extension = Some(format!(
                        "Representations were received in time; the further decision (to {}) was communicated on {}. The standstill ends at midnight at the end of {}: at least 5 working days after the further decision (reg 12(10)), and not before the end of the 8th working day after the day after the notice (reg 12(3), (9)).",
                        last.decision.label(),
                        long(last.communicated_on),
                        long(end)
                    ));
                    if last.decision != FurtherDecisionKind::Proceed {
                        blocked = Some(format!(
                            "a decision to enter into the contract: the further decision communicated on {} was to {} (reg 12(7) allows a later one)",
                            long(last.communicated_on),
                            last.decision.label()
                        ));
                    }
                }
            }
        }
    }
    let may_from = match (&standstill, d.notice_published) {
        (Some(_), _) if blocked.is_some() => None,
        (Some(_), _) if extended_to.is_some() => extended_to.and_then(|e| e.succ_opt()),
        (Some(s), _) => Some(s.contract_may_be_entered_from),
        (None, Some(p)) if !applies => Some(p),
        _ => None,
    };
    let waiting_for = match (d.notice_published, may_from) {
        (None, _) => Some(format!("the {} to be published", d.regime.notice())),
        (Some(_), None) => blocked.clone(),
        (Some(_), Some(from)) if today < from => Some(format!(
            "the standstill to end: the contract may be entered into from {}",
            long(from)
        )),
        _ => None,
    };
    let days = d.regime.details_notice_days();
    let signed = d.contract_signed;
    let (details_due, details_rule) = if d.regime.under_the_act() {
        (
            signed.and_then(|s| crate::domain::route::notices::beginning_with(s, days)),
            format!(
                "The contract details notice (UK7) is due before the end of {days} days beginning with the day the contract is entered into: the signature date is day 1, not the service start (s53(1)({})).",
                if days == 120 { "a" } else { "b" }
            ),
        )
    } else {
        (
            signed.and_then(|s| s.checked_add_days(Days::new(30))),
            "The notice confirming the award is due within 30 days of the contract being awarded (SI 2023/1348), counted from the day it is entered into.".into(),
        )
    };
    let (copy_due, copy_rule) = if d.regime.under_the_act() && f.over_five_million {
        let copy = d.regime.contract_copy_days();
        (
            signed.and_then(|s| crate::domain::route::notices::beginning_with(s, copy)),
            Some(format!(
                "The contract is estimated at over £5 million: publish a copy of it before the end of {copy} days beginning with the day it is entered into (s53(3)({})).",
                if copy == 180 { "a" } else { "b" }
            )),
        )
    } else {
        (None, None)
    };
    Ok(AwardTimeline {
        standstill_applies: applies,
        standstill_rule,
        standstill,
        representations,
        further_decisions,
        standstill_extended_to: extended_to,
        standstill_extension: extension,
        contract_may_be_entered_from: may_from,
        contract_start: f.contract_start,
        contract_signed: signed,
        contract_details_notice_due: details_due,
        contract_details_rule: details_rule,
        contract_copy_due: copy_due,
        contract_copy_rule: copy_rule,
        may_enter_contract: waiting_for.is_none(),
        waiting_for,
    })
}

/// Checks the dates an officer enters against each other: a contract signed during standstill
/// would be open to being set aside.
pub fn check_dates(d: &AwardDates, f: &TimelineFacts, extra: &[Holiday]) -> Result<()> {
    if !d.regime.voluntary_allowed() && d.voluntary_standstill {
        return Err(Error::validation(
            "voluntaryStandstill",
            "a voluntary standstill is a choice only where no mandatory one applies (s51(3), (4)): light-touch contracts, framework call-offs, dynamic-market awards and urgent direct awards; under this regime the rules decide",
        ));
    }
    if let Some(signed) = d.contract_signed {
        let Some(published) = d.notice_published else {
            return Err(Error::validation(
                "contractSigned",
                format!(
                    "record the date the {} was published before the contract signature",
                    d.regime.notice()
                ),
            ));
        };
        let t = timeline_with(d, f, extra, signed)?;
        if t.contract_may_be_entered_from.is_none()
            && let Some(why) = &t.waiting_for
        {
            return Err(Error::validation(
                "contractSigned",
                format!("the contract may not be entered into yet: it waits for {why}"),
            ));
        }
        let from = t.contract_may_be_entered_from.unwrap_or(published);
        if signed < from {
            return Err(Error::validation(
                "contractSigned",
                format!(
                    "the contract may not be entered into before {}{}",
                    long(from),
                    if t.standstill_applies {
                        ", the day after the standstill ends"
                    } else {
                        ", the day the notice was published"
                    }
                ),
            ));
        }
    }
    Ok(())
}

// ----- The award pack -----

/// One document or record included in the pack, with the SHA-256 it had when the pack was
/// built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ManifestEntry {
    /// The pack section it is in, e.g. "Individual and moderated scores".
    pub section: String,
    /// What was hashed, e.g. "Award decision paper no. 2 (full edition), PDF".
    pub document: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackManifest {
    pub lot_id: LotId,
    pub lot_reference: String,
    pub built_at: DateTime<Utc>,
    /// The audit chain's last event when the pack was built: deleting later events, or this
    /// one, is detectable.
    pub audit_head_seq: i64,
    pub audit_head_hash: String,
    /// The kept award decision paper the pack includes.
    pub paper_document_id: crate::domain::ids::PaperId,
    pub entries: Vec<ManifestEntry>,
    /// The workspace the pack was built from (packs built before workspaces had ids have
    /// none): with the head above, the pack's audit anchor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub workspace: Option<String>,
}

impl PackManifest {
    /// The pack's audit anchor: the record it was built on.
    pub fn anchor(&self) -> Option<crate::domain::anchor::Anchor> {
        self.workspace.as_ref().map(|w| {
            crate::domain::anchor::Anchor::new(
                w,
                self.audit_head_seq,
                &self.audit_head_hash,
                self.built_at,
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PackDecision {
    Approved,
    Returned,
}

impl PackDecision {
    pub fn key(self) -> &'static str {
        match self {
            PackDecision::Approved => "approved",
            PackDecision::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Result<PackDecision> {
        match s.trim().to_ascii_lowercase().as_str() {
            "approved" | "approve" => Ok(PackDecision::Approved),
            "returned" | "return" => Ok(PackDecision::Returned),
            other => Err(Error::validation(
                "decision",
                format!("“{other}” is not a decision; expected approve or return"),
            )),
        }
    }
}

/// Legal's comment on one section of the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackComment {
    pub section: String,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackReview {
    pub decision: PackDecision,
    pub comments: Vec<PackComment>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A built pack as kept in the workspace (without its bytes).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AwardPack {
    pub id: crate::domain::ids::PackId,
    pub lot_id: LotId,
    pub number: u32,
    pub sha256: String,
    pub pages: u32,
    pub built_by: String,
    pub built_at: DateTime<Utc>,
    pub manifest: PackManifest,
    pub review: Option<PackReview>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PackStatus {
    /// No pack has been built.
    NotBuilt,
    /// The newest pack is with legal.
    AwaitingReview,
    Approved,
    /// Legal returned the newest pack with comments: the lot is back with the officer.
    Returned,
}

/// The status of a lot's packs, newest first: only the newest counts.
pub fn pack_status(packs: &[AwardPack]) -> PackStatus {
    match packs.first().map(|p| p.review.as_ref().map(|r| r.decision)) {
        None => PackStatus::NotBuilt,
        Some(None) => PackStatus::AwaitingReview,
        Some(Some(PackDecision::Approved)) => PackStatus::Approved,
        Some(Some(PackDecision::Returned)) => PackStatus::Returned,
    }
}

/// A review as legal submits it: a return must say what to change, section by section.
pub fn check_review(
    decision: PackDecision,
    comments: &[PackComment],
    sections: &[String],
) -> Result<Vec<PackComment>> {
    let mut kept = Vec::new();
    for (i, c) in comments.iter().enumerate() {
        let text = c.comment.trim();
        if text.is_empty() {
            continue;
        }
        if !sections.iter().any(|s| s == &c.section) {
            return Err(Error::validation(
                format!("comments.{i}.section"),
                format!(
                    "“{}” is not a section of this pack; expected one of: {}",
                    c.section,
                    sections.join(", ")
                ),
            ));
        }
        if text.chars().count() > 4000 {
            return Err(Error::validation(
                format!("comments.{i}.comment"),
                "a comment must be 4,000 characters or fewer",
            ));
        }
        kept.push(PackComment {
            section: c.section.clone(),
            comment: text.to_string(),
        });
    }
    if decision == PackDecision::Returned && kept.is_empty() {
        return Err(Error::validation(
            "comments",
            "say what needs to change: a returned pack needs at least one comment on a section",
        ));
    }
    Ok(kept)
}

/// The gate for entering contract: what is still missing, in words.
pub fn contract_gate(
    dates: Option<&AwardDates>,
    f: &TimelineFacts,
    extra: &[Holiday],
    today: NaiveDate,
    status: PackStatus,
) -> Vec<String> {
    let mut missing = Vec::new();
    match dates {
        None => missing.push(
            "the award dates (regime and the date the award notice was published)".to_string(),
        ),
        Some(d) => match timeline_with(d, f, extra, today) {
            Ok(t) => missing.extend(t.waiting_for),
            Err(e) => missing.push(e.message),
        },
    }
    match status {
        PackStatus::Approved => {}
        PackStatus::NotBuilt => missing.push("the award pack, built and approved by legal".into()),
        PackStatus::AwaitingReview => {
            missing.push("legal’s approval of the award pack (it is awaiting review)".into())
        }
        PackStatus::Returned => missing.push(
            "legal’s approval of the award pack (the last one was returned with comments)".into(),
        ),
    }
    missing
}

/// Legal decides once per pack, and only on the lot's newest pack (`newest` is its number).
pub fn may_review(p: &AwardPack, newest: u32) -> crate::error::Result<()> {
    if let Some(r) = &p.review {
        return Err(crate::error::Error::conflict(format!(
            "award pack {} was already {} by {}; a decision is kept as it was made",
            p.number,
            r.decision.key(),
            r.by
        )));
    }
    if newest != p.number {
        return Err(crate::error::Error::conflict(format!(
            "award pack {} has been replaced by pack {newest}; review the newest pack",
            p.number
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn dates(regime: AwardRegime, published: Option<NaiveDate>) -> AwardDates {
        AwardDates {
            regime,
            voluntary_standstill: false,
            notice_published: published,
            contract_signed: None,
        }
    }

    #[test]
    fn pa2023_waits_for_standstill_then_opens() {
        // Published Monday 7 December 2026: eight working days end Wednesday 16 December.
        let a = dates(AwardRegime::Pa2023, Some(d(2026, 12, 7)));
        let t = timeline(&a, Some(d(2027, 1, 4)), &[], d(2026, 12, 16)).unwrap();
        assert_eq!(t.standstill.as_ref().unwrap().last_day, d(2026, 12, 16));
        assert_eq!(t.contract_may_be_entered_from, Some(d(2026, 12, 17)));
        assert!(!t.may_enter_contract);
        assert_eq!(
            t.waiting_for.as_deref(),
            Some("the standstill to end: the contract may be entered into from 17 December 2026")
        );
        // No signature yet: no UK7 date, whatever the service start.
        assert_eq!(t.contract_details_notice_due, None);
        let t = timeline(&a, None, &[], d(2026, 12, 17)).unwrap();
        assert!(t.may_enter_contract);
    }

    #[test]
    fn uk7_counts_30_days_beginning_with_the_signature() {
        // Signed Thursday 17 December 2026 (day 1): due by Friday 15 January 2027 (day 30),
        // not 30 days after the service start on 4 January.
        let mut a = dates(AwardRegime::Pa2023, Some(d(2026, 12, 7)));
        a.contract_signed = Some(d(2026, 12, 17));
        let f = TimelineFacts {
            contract_start: Some(d(2027, 1, 4)),
            over_five_million: true,
            ..Default::default()
        };
        let t = timeline_with(&a, &f, &[], d(2026, 12, 17)).unwrap();
        assert_eq!(t.contract_details_notice_due, Some(d(2027, 1, 15)));
        assert!(
            t.contract_details_rule.contains("s53(1)(b)"),
            "{}",
            t.contract_details_rule
        );
        // Over £5 million: a copy within 90 days beginning with the signature (s53(3)(b)).
        assert_eq!(t.contract_copy_due, Some(d(2027, 3, 16)));
        let small = TimelineFacts {
            over_five_million: false,
            ..f
        };
        assert_eq!(
            timeline_with(&a, &small, &[], d(2026, 12, 17))
                .unwrap()
                .contract_copy_due,
            None
        );
    }

    #[test]
    fn no_mandatory_standstill_for_call_offs_dynamic_markets_and_urgent_direct_awards() {
        for r in [
            AwardRegime::LightTouch,
            AwardRegime::FrameworkCallOff,
            AwardRegime::DynamicMarket,
            AwardRegime::UrgentDirectAward,
        ] {
            let mut a = dates(r, Some(d(2026, 12, 7)));
            let t = timeline(&a, None, &[], d(2026, 12, 7)).unwrap();
            assert!(!t.standstill_applies && t.may_enter_contract, "{r:?}");
            assert!(
                t.standstill_rule.contains("No mandatory standstill"),
                "{}",
                t.standstill_rule
            );
            assert!(
                t.standstill_rule.contains("s51(3)("),
                "{}",
                t.standstill_rule
            );
            // A voluntary one is at least 8 working days beginning with publication.
            a.voluntary_standstill = true;
            let t = timeline(&a, None, &[], d(2026, 12, 7)).unwrap();
            assert!(t.standstill_applies && !t.may_enter_contract, "{r:?}");
            assert_eq!(t.standstill.unwrap().last_day, d(2026, 12, 16));
            assert!(t.standstill_rule.contains("s51(4), (5)"));
        }
    }

    fn rep(id: i64, on: NaiveDate) -> Representation {
        Representation {
            id,
            received_on: on,
            provider: "Unsuccessful Provider CIC".into(),
            summary: "The scoring of question 2 did not follow the published method".into(),
            recorded_by: "officer".into(),
            out_of_time: false,
        }
    }

    fn decision(id: i64, on: NaiveDate, kind: FurtherDecisionKind) -> FurtherDecision {
        FurtherDecision {
            id,
            communicated_on: on,
            decision: kind,
            reasons: "Reviewed the scores with the panel".into(),
            recorded_by: "officer".into(),
        }
    }

    #[test]
    fn psr_representations_keep_the_standstill_open() {
        // Notice Monday 1 February 2027: standstill 2 to 12 February.
        let p = dates(AwardRegime::Psr, Some(d(2027, 2, 1)));
        let mut f = TimelineFacts::default();
        f.records.representations = vec![rep(1, d(2027, 2, 8))];
        // No further decision yet: open, and the contract may not be signed.
        let t = timeline_with(&p, &f, &[], d(2027, 3, 1)).unwrap();
        assert_eq!(t.contract_may_be_entered_from, None);
        assert!(!t.may_enter_contract);
        assert!(
            t.waiting_for
                .as_deref()
                .unwrap()
                .contains("further decision"),
            "{:?}",
            t.waiting_for
        );
        // Decision communicated Thursday 11 February: 5 working days after is Thursday 18th,
        // later than the 12th, so the standstill ends on the 18th.
        f.records.further_decisions =
            vec![decision(1, d(2027, 2, 11), FurtherDecisionKind::Proceed)];
        let t = timeline_with(&p, &f, &[], d(2027, 2, 12)).unwrap();
        assert_eq!(t.standstill_extended_to, Some(d(2027, 2, 18)));
        assert_eq!(t.contract_may_be_entered_from, Some(d(2027, 2, 19)));
        assert!(
            t.standstill_extension
                .as_deref()
                .unwrap()
                .contains("reg 12(10)")
        );
        // A decision on the 2nd: 5 working days is the 9th, but the 8-day period still runs
        // to the 12th (reg 12(3)).
        f.records.further_decisions =
            vec![decision(1, d(2027, 2, 2), FurtherDecisionKind::Proceed)];
        f.records.representations = vec![rep(1, d(2027, 2, 2))];
        let t = timeline_with(&p, &f, &[], d(2027, 2, 12)).unwrap();
        assert_eq!(t.standstill_extended_to, Some(d(2027, 2, 12)));
        // A later decision to repeat a step: no contract on this notice.
        f.records
            .further_decisions
            .push(decision(2, d(2027, 2, 10), FurtherDecisionKind::Repeat));
        let t = timeline_with(&p, &f, &[], d(2027, 3, 1)).unwrap();
        assert!(!t.may_enter_contract);
        assert!(
            t.waiting_for.as_deref().unwrap().contains("repeat"),
            "{:?}",
            t.waiting_for
        );
        // Representations received after the standstill ended are out of time.
        let late = TimelineFacts {
            records: StandstillRecords {
                representations: vec![rep(1, d(2027, 2, 15))],
                further_decisions: vec![],
            },
            ..Default::default()
        };
        let t = timeline_with(&p, &late, &[], d(2027, 2, 15)).unwrap();
        assert!(t.representations[0].out_of_time);
        assert!(t.may_enter_contract);
        // Signing before the extended end is refused.
        let mut signed = p.clone();
        signed.contract_signed = Some(d(2027, 2, 13));
        f.records.further_decisions =
            vec![decision(1, d(2027, 2, 11), FurtherDecisionKind::Proceed)];
        f.records.representations = vec![rep(1, d(2027, 2, 8))];
        let e = check_dates(&signed, &f, &[]).unwrap_err();
        assert!(e.message.contains("19 February 2027"), "{}", e.message);
    }

    #[test]
    fn light_touch_standstill_is_the_officers_choice_and_uk7_is_120_days() {
        let mut a = dates(AwardRegime::LightTouch, Some(d(2026, 12, 7)));
        let t = timeline(&a, Some(d(2027, 1, 4)), &[], d(2026, 12, 7)).unwrap();
        assert!(!t.standstill_applies && t.may_enter_contract);
        // 120 days beginning with a signature on 7 December 2026.
        a.contract_signed = Some(d(2026, 12, 7));
        let t = timeline(&a, None, &[], d(2026, 12, 7)).unwrap();
        assert_eq!(t.contract_details_notice_due, Some(d(2027, 4, 5)));
        a.contract_signed = None;
        a.voluntary_standstill = true;
        let t = timeline(&a, None, &[], d(2026, 12, 7)).unwrap();
        assert!(t.standstill_applies && !t.may_enter_contract);
    }

    #[test]
    fn psr_direct_award_a_and_b_have_no_standstill() {
        let a = dates(AwardRegime::PsrDirectAb, Some(d(2026, 12, 7)));
        assert!(
            timeline(&a, None, &[], d(2026, 12, 7))
                .unwrap()
                .may_enter_contract
        );
        let p = dates(AwardRegime::Psr, Some(d(2026, 12, 7)));
        let t = timeline(&p, None, &[], d(2026, 12, 7)).unwrap();
        // Notice Monday 7 December: it begins Tuesday 8th and ends at midnight on the 8th
        // working day after that day, Friday 18 December (reg 12(2), (9)).
        let s = t.standstill.unwrap();
        assert_eq!(s.first_day, d(2026, 12, 8));
        assert_eq!(s.last_day, d(2026, 12, 18));
    }

    #[test]
    fn signing_inside_standstill_is_refused_with_the_first_allowed_day() {
        let mut a = dates(AwardRegime::Pa2023, Some(d(2026, 12, 7)));
        a.contract_signed = Some(d(2026, 12, 16));
        let e = check_dates(&a, &TimelineFacts::default(), &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("contractSigned"));
        assert_eq!(
            e.message,
            "the contract may not be entered into before 17 December 2026, the day after the standstill ends"
        );
        a.contract_signed = Some(d(2026, 12, 17));
        assert!(check_dates(&a, &TimelineFacts::default(), &[]).is_ok());
        a.notice_published = None;
        assert!(check_dates(&a, &TimelineFacts::default(), &[]).is_err());
        let mut v = dates(AwardRegime::Pa2023, None);
        v.voluntary_standstill = true;
        assert_eq!(
            check_dates(&v, &TimelineFacts::default(), &[])
                .unwrap_err()
                .field
                .as_deref(),
            Some("voluntaryStandstill")
        );
    }

    #[test]
    fn the_contract_gate_lists_the_notice_the_standstill_and_legal() {
        let f = TimelineFacts::default();
        let g = contract_gate(None, &f, &[], d(2026, 12, 1), PackStatus::NotBuilt);
        assert_eq!(g.len(), 2);
        let a = dates(AwardRegime::Pa2023, Some(d(2026, 12, 7)));
        let g = contract_gate(Some(&a), &f, &[], d(2026, 12, 10), PackStatus::Returned);
        assert!(g[0].starts_with("the standstill to end"), "{g:?}");
        assert!(g[1].contains("returned with comments"));
        assert!(contract_gate(Some(&a), &f, &[], d(2026, 12, 17), PackStatus::Approved).is_empty());
    }

    #[test]
    fn a_return_needs_a_comment_on_a_real_section() {
        let sections = vec!["Standstill calculation".to_string()];
        let e = check_review(PackDecision::Returned, &[], &sections).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("comments"));
        let bad = [PackComment {
            section: "Cover".into(),
            comment: "x".into(),
        }];
        assert_eq!(
            check_review(PackDecision::Returned, &bad, &sections)
                .unwrap_err()
                .field
                .as_deref(),
            Some("comments.0.section")
        );
        let ok = [PackComment {
            section: "Standstill calculation".into(),
            comment: "  Check the Scottish holiday.  ".into(),
        }];
        assert_eq!(
            check_review(PackDecision::Returned, &ok, &sections).unwrap()[0].comment,
            "Check the Scottish holiday."
        );
        assert!(check_review(PackDecision::Approved, &[], &sections).is_ok());
    }
}
