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
}

impl AwardRegime {
    pub const ALL: [AwardRegime; 4] = [
        AwardRegime::Pa2023,
        AwardRegime::LightTouch,
        AwardRegime::Psr,
        AwardRegime::PsrDirectAb,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AwardRegime::Pa2023 => "pa2023",
            AwardRegime::LightTouch => "light-touch",
            AwardRegime::Psr => "psr",
            AwardRegime::PsrDirectAb => "psr-direct-ab",
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
        }
    }

    /// The notice whose publication starts the standstill.
    pub fn notice(self) -> &'static str {
        match self {
            AwardRegime::Pa2023 | AwardRegime::LightTouch => "contract award notice (UK6)",
            AwardRegime::Psr | AwardRegime::PsrDirectAb => "notice of intention to award",
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
                        "“{s}” is not an award regime; expected pa2023, light-touch, psr or psr-direct-ab"
                    ),
                )
            })
    }

    /// Days after the contract start within which the contract details notice is due.
    pub fn details_notice_days(self) -> u64 {
        match self {
            AwardRegime::LightTouch => 120,
            _ => 30,
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
            AwardRegime::LightTouch => self.voluntary_standstill,
            AwardRegime::PsrDirectAb => false,
        }
    }

    fn standstill_regime(&self) -> StandstillRegime {
        match self.regime {
            AwardRegime::Psr | AwardRegime::PsrDirectAb => StandstillRegime::Psr,
            _ => StandstillRegime::Pa2023,
        }
    }
}

/// Everything that follows from the award dates, with the rule behind each.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AwardTimeline {
    pub standstill_applies: bool,
    /// Why there is, or is no, standstill.
    pub standstill_rule: String,
    pub standstill: Option<Standstill>,
    /// The first day the contract may be entered into, once the notice is published.
    pub contract_may_be_entered_from: Option<NaiveDate>,
    pub contract_start: Option<NaiveDate>,
    pub contract_details_notice_due: Option<NaiveDate>,
    pub contract_details_rule: String,
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
    let applies = d.standstill_applies();
    let standstill_rule = match d.regime {
        AwardRegime::Pa2023 => "A standstill of 8 working days applies (Procurement Act 2023 s51).",
        AwardRegime::LightTouch if applies => {
            "A light-touch contract needs no standstill (s51(3)); the council has chosen to observe one voluntarily."
        }
        AwardRegime::LightTouch => {
            "A light-touch contract needs no standstill (s51(3)); the council has chosen not to observe one."
        }
        AwardRegime::Psr => {
            "A standstill of 8 working days applies after the notice of intention to award (Provider Selection Regime)."
        }
        AwardRegime::PsrDirectAb => {
            "Direct Award A and B under the Provider Selection Regime have no standstill."
        }
    }
    .to_string();
    let standstill = match (applies, d.notice_published) {
        (true, Some(p)) => Some(standstill(d.standstill_regime(), p, extra)?),
        _ => None,
    };
    let may_from = match (&standstill, d.notice_published) {
        (Some(s), _) => Some(s.contract_may_be_entered_from),
        (None, Some(p)) if !applies => Some(p),
        _ => None,
    };
    let waiting_for = match (d.notice_published, may_from) {
        (None, _) => Some(format!("the {} to be published", d.regime.notice())),
        (Some(_), Some(from)) if today < from => Some(format!(
            "the standstill to end: the contract may be entered into from {}",
            long(from)
        )),
        _ => None,
    };
    let days = d.regime.details_notice_days();
    Ok(AwardTimeline {
        standstill_applies: applies,
        standstill_rule,
        standstill,
        contract_may_be_entered_from: may_from,
        contract_start,
        contract_details_notice_due: contract_start
            .and_then(|s| s.checked_add_days(Days::new(days))),
        contract_details_rule: format!(
            "The contract details notice (UK7) is due within {days} days of the contract start{}.",
            if days == 120 {
                " for a light-touch contract"
            } else {
                ""
            }
        ),
        may_enter_contract: waiting_for.is_none(),
        waiting_for,
    })
}

/// Checks the dates an officer enters against each other: a contract signed during standstill
/// would be open to being set aside.
pub fn check_dates(d: &AwardDates, extra: &[Holiday]) -> Result<()> {
    if d.regime != AwardRegime::LightTouch && d.voluntary_standstill {
        return Err(Error::validation(
            "voluntaryStandstill",
            "a voluntary standstill is only a choice for light-touch contracts; under this regime the rules decide",
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
        let t = timeline(d, None, extra, signed)?;
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
    pub paper_document_id: i64,
    pub entries: Vec<ManifestEntry>,
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
    pub id: i64,
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
    extra: &[Holiday],
    today: NaiveDate,
    status: PackStatus,
) -> Vec<String> {
    let mut missing = Vec::new();
    match dates {
        None => missing.push(
            "the award dates (regime and the date the award notice was published)".to_string(),
        ),
        Some(d) => match timeline(d, None, extra, today) {
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
        assert_eq!(t.contract_details_notice_due, Some(d(2027, 2, 3)));
        let t = timeline(&a, None, &[], d(2026, 12, 17)).unwrap();
        assert!(t.may_enter_contract);
    }

    #[test]
    fn light_touch_standstill_is_the_officers_choice_and_uk7_is_120_days() {
        let mut a = dates(AwardRegime::LightTouch, Some(d(2026, 12, 7)));
        let t = timeline(&a, Some(d(2027, 1, 4)), &[], d(2026, 12, 7)).unwrap();
        assert!(!t.standstill_applies && t.may_enter_contract);
        assert_eq!(t.contract_details_notice_due, Some(d(2027, 5, 4)));
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
        // From the day after: 8 to 17 December.
        assert_eq!(t.standstill.unwrap().last_day, d(2026, 12, 17));
    }

    #[test]
    fn signing_inside_standstill_is_refused_with_the_first_allowed_day() {
        let mut a = dates(AwardRegime::Pa2023, Some(d(2026, 12, 7)));
        a.contract_signed = Some(d(2026, 12, 16));
        let e = check_dates(&a, &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("contractSigned"));
        assert_eq!(
            e.message,
            "the contract may not be entered into before 17 December 2026, the day after the standstill ends"
        );
        a.contract_signed = Some(d(2026, 12, 17));
        assert!(check_dates(&a, &[]).is_ok());
        a.notice_published = None;
        assert!(check_dates(&a, &[]).is_err());
        let mut v = dates(AwardRegime::Pa2023, None);
        v.voluntary_standstill = true;
        assert_eq!(
            check_dates(&v, &[]).unwrap_err().field.as_deref(),
            Some("voluntaryStandstill")
        );
    }

    #[test]
    fn the_contract_gate_lists_the_notice_the_standstill_and_legal() {
        let g = contract_gate(None, &[], d(2026, 12, 1), PackStatus::NotBuilt);
        assert_eq!(g.len(), 2);
        let a = dates(AwardRegime::Pa2023, Some(d(2026, 12, 7)));
        let g = contract_gate(Some(&a), &[], d(2026, 12, 10), PackStatus::Returned);
        assert!(g[0].starts_with("the standstill to end"), "{g:?}");
        assert!(g[1].contains("returned with comments"));
        assert!(contract_gate(Some(&a), &[], d(2026, 12, 17), PackStatus::Approved).is_empty());
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
