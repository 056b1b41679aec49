//! The route to market of a lot: the regime and procedure chosen, with its reason, the
//! estimated value tested against the thresholds in force, and what follows from the route
//! (the notices required and the minimum time limits).
pub mod conflicts;
pub mod notices;
pub mod section75;
pub mod thresholds;
pub mod time_limits;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::dates;
use crate::domain::finance::whole_life::{vat_rate_on, with_vat};
use crate::domain::money::Money;
use crate::domain::term::{Term, duration};
use crate::error::{Error, Result};
use notices::NoticeKind;
use thresholds::ThresholdSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Route {
    Open,
    CompetitiveFlexible,
    DirectAward,
    FrameworkCallOff,
    LightTouch,
    PsrDirectA,
    PsrDirectB,
    PsrDirectC,
    PsrMostSuitable,
    PsrCompetitive,
    Section75,
    Extension,
    Grant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Regime {
    ProcurementAct,
    ProviderSelection,
    /// Section 75 agreements, extensions and grants: not a new competition under either.
    Other,
}

impl Route {
    pub const ALL: [Route; 13] = [
        Route::Open,
        Route::CompetitiveFlexible,
        Route::DirectAward,
        Route::FrameworkCallOff,
        Route::LightTouch,
        Route::PsrDirectA,
        Route::PsrDirectB,
        Route::PsrDirectC,
        Route::PsrMostSuitable,
        Route::PsrCompetitive,
        Route::Section75,
        Route::Extension,
        Route::Grant,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Route::Open => "open",
            Route::CompetitiveFlexible => "competitive_flexible",
            Route::DirectAward => "direct_award",
            Route::FrameworkCallOff => "framework_call_off",
            Route::LightTouch => "light_touch",
            Route::PsrDirectA => "psr_direct_a",
            Route::PsrDirectB => "psr_direct_b",
            Route::PsrDirectC => "psr_direct_c",
            Route::PsrMostSuitable => "psr_most_suitable",
            Route::PsrCompetitive => "psr_competitive",
            Route::Section75 => "section_75",
            Route::Extension => "extension",
            Route::Grant => "grant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Route::Open => "Open procedure (Procurement Act 2023)",
            Route::CompetitiveFlexible => "Competitive flexible procedure (Procurement Act 2023)",
            Route::DirectAward => "Direct award (Procurement Act 2023)",
            Route::FrameworkCallOff => "Call-off from a framework (Procurement Act 2023)",
            Route::LightTouch => "Light-touch contract (Procurement Act 2023)",
            Route::PsrDirectA => "Direct Award Process A (Provider Selection Regime)",
            Route::PsrDirectB => "Direct Award Process B (Provider Selection Regime)",
            Route::PsrDirectC => "Direct Award Process C (Provider Selection Regime)",
            Route::PsrMostSuitable => "Most Suitable Provider Process (Provider Selection Regime)",
            Route::PsrCompetitive => "Competitive Process (Provider Selection Regime)",
            Route::Section75 => "Section 75 partnership agreement (NHS Act 2006)",
            Route::Extension => "Contract extension or modification",
            Route::Grant => "Grant",
        }
    }

    pub fn regime(self) -> Regime {
        match self {
            Route::Open
            | Route::CompetitiveFlexible
            | Route::DirectAward
            | Route::FrameworkCallOff
            | Route::LightTouch => Regime::ProcurementAct,
            Route::PsrDirectA
            | Route::PsrDirectB
            | Route::PsrDirectC
            | Route::PsrMostSuitable
            | Route::PsrCompetitive => Regime::ProviderSelection,
            Route::Section75 | Route::Extension | Route::Grant => Regime::Other,
        }
    }

    /// Routes that award without a competition must record why they may (Schedule 5 or
    /// section 43 for the Act; the basis in the PSR regulations for its direct awards).
    pub fn needs_justification(self) -> bool {
        matches!(
            self,
            Route::DirectAward
                | Route::PsrDirectA
                | Route::PsrDirectB
                | Route::PsrDirectC
                | Route::PsrMostSuitable
                | Route::Extension
        )
    }

    /// Routes with a tender: bidders, a submission deadline, clarifications.
    pub fn is_competed(self) -> bool {
        matches!(
            self,
            Route::Open
                | Route::CompetitiveFlexible
                | Route::FrameworkCallOff
                | Route::LightTouch
                | Route::PsrCompetitive
        )
    }

    pub fn parse(s: &str) -> Result<Route> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Route::ALL
            .iter()
            .copied()
            .find(|r| r.key() == norm)
            .ok_or_else(|| {
                let keys: Vec<&str> = Route::ALL.iter().map(|r| r.key()).collect();
                Error::validation(
                    "route",
                    format!("“{s}” is not a route; expected one of: {}", keys.join(", ")),
                )
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Authority {
    SubCentral,
    Central,
}

impl Authority {
    pub fn key(self) -> &'static str {
        match self {
            Authority::SubCentral => "sub_central",
            Authority::Central => "central",
        }
    }
    pub fn parse(s: &str) -> Result<Authority> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "sub_central" => Ok(Authority::SubCentral),
            "central" => Ok(Authority::Central),
            _ => Err(Error::validation(
                "authority",
                format!(
                    "“{s}” is not an authority type; expected sub_central (councils) or central"
                ),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContractKind {
    Services,
    Goods,
    Works,
}

impl ContractKind {
    pub fn key(self) -> &'static str {
        match self {
            ContractKind::Services => "services",
            ContractKind::Goods => "goods",
            ContractKind::Works => "works",
        }
    }
    pub fn parse(s: &str) -> Result<ContractKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "services" => Ok(ContractKind::Services),
            "goods" => Ok(ContractKind::Goods),
            "works" => Ok(ContractKind::Works),
            _ => Err(Error::validation(
                "kind",
                format!("“{s}” is not a kind of contract; expected services, goods or works"),
            )),
        }
    }
}

/// What the officer decides and records for a lot.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RouteChoice {
    pub route: Route,
    pub reason: String,
    /// Direct awards: the ground relied on (for example Schedule 5 paragraph 5, or the PSR
    /// basis for Direct Award C).
    pub justification: Option<String>,
    pub authority: Authority,
    pub kind: ContractKind,
    /// Whether VAT is charged on the service: thresholds are tested VAT inclusive.
    pub vat_chargeable: bool,
    /// Tenders may be submitted electronically (s54(4) rows 7 and 8, or 9 and 10).
    pub electronic: bool,
    /// The tender notice and every associated tender document are provided at the same time
    /// (s54(4) rows 7 and 9, or 8 and 10).
    pub documents_with_notice: bool,
    /// The state of urgency the authority relies on for the 10-day period (s54(4) row 5),
    /// with its reason; None when it does not.
    pub urgency: Option<String>,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ThresholdTest {
    pub label: String,
    pub amount: Money,
    /// The first day of the table the figure comes from.
    pub table_from: NaiveDate,
    /// Where the figure is set: "Procurement Act 2023, Schedule 1" or the amending SI.
    pub source: String,
    /// At or above: a contract whose value equals the threshold is above it.
    pub applies: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ValueTest {
    pub annual: Money,
    pub term_months: u32,
    pub net: Money,
    /// "20%", or "none" when VAT is not charged.
    pub vat: String,
    pub including_vat: Money,
    /// The day the procurement is taken to begin, which decides the thresholds in force: the
    /// tender notice (planned or published), or today if none is planned.
    pub measured_on: NaiveDate,
    /// None for regimes with no threshold (PSR, Section 75, grants).
    pub threshold: Option<ThresholdTest>,
}

/// The route and everything that follows from it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RouteAssessment {
    pub choice: RouteChoice,
    pub route_label: String,
    pub value: Option<ValueTest>,
    /// One sentence: "£700,000 ... is above the light-touch threshold of £663,540: light-touch
    /// rules apply".
    pub outcome: String,
    /// The rules that apply, one sentence each (time limits, standstill, notice deadlines),
    /// each naming its provision.
    pub rules: Vec<String>,
    /// The minimum tendering period's days (None: no statutory minimum), as in
    /// `tendering_period`.
    pub min_tendering_days: Option<u32>,
    /// The tendering period: the rule, the s54(4) row, the earliest lawful deadline. None for
    /// routes without a tender.
    pub tendering_period: Option<time_limits::TenderingPeriod>,
    pub notices: Vec<NoticeKind>,
    /// What is wrong with the route as recorded.
    pub problems: Vec<String>,
}

/// The facts about the lot the assessment needs.
#[derive(Debug, Clone)]
pub struct LotValueFacts {
    pub annual: Option<Money>,
    pub term: Option<Term>,
    pub measured_on: NaiveDate,
    pub engagement_held: bool,
    /// The tender notice and the planned procurement notice, for the tendering period.
    pub period: time_limits::PeriodFacts,
}

impl LotValueFacts {
    /// Thresholds are read on the tender notice date (planned or actual), or today when no
    /// notice is planned; engagement counts as held once an engagement event is recorded as
    /// held (`events_held`) or its milestone has an actual date.
    pub fn of(
        lot: &crate::domain::lot::Lot,
        today: NaiveDate,
        events_held: bool,
        published: &[notices::PublishedNotice],
    ) -> LotValueFacts {
        use crate::domain::milestone::{MARKET_ENGAGEMENT_EVENT, TENDER_NOTICE};
        let on = |k: NoticeKind| {
            published
                .iter()
                .find(|n| n.kind == k)
                .map(|n| n.published_on)
        };
        // A published tender notice is the fact; until then, the planned date.
        let tender_notice = on(NoticeKind::Uk4).or(lot.milestone_date(TENDER_NOTICE));
        LotValueFacts {
            annual: lot.estimated_annual_value,
            term: lot.term.clone(),
            measured_on: tender_notice.unwrap_or(today),
            period: time_limits::PeriodFacts {
                tender_notice,
                planned_notice: on(NoticeKind::Uk3),
            },
            engagement_held: events_held
                || lot.milestones.iter().any(|m| {
                    m.key.as_deref() == Some(MARKET_ENGAGEMENT_EVENT) && m.actual.is_some()
                }),
        }
    }
}

/// The tender's dates as planned (or as they happened).
pub fn tender_dates(lot: &crate::domain::lot::Lot) -> time_limits::TenderDates {
    use crate::domain::milestone::{CLARIFICATION_DEADLINE, SUBMISSION_DEADLINE, TENDER_NOTICE};
    time_limits::TenderDates {
        notice: lot.milestone_date(TENDER_NOTICE),
        clarification: lot.milestone_date(CLARIFICATION_DEADLINE),
        submission: lot.milestone_date(SUBMISSION_DEADLINE),
    }
}

fn value_test(choice: &RouteChoice, facts: &LotValueFacts) -> Option<ValueTest> {
    let (annual, term) = (facts.annual?, facts.term.as_ref()?);
    let months = term.total_months();
    let net = annual.for_months(months)?;
    let (vat, including_vat) = if choice.vat_chargeable {
        let rate = vat_rate_on(facts.measured_on);
        (format!("{}%", rate.normalize()), with_vat(net, rate))
    } else {
        ("none".into(), net)
    };
    let set = thresholds::in_force(facts.measured_on);
    let threshold = threshold_for(choice, &set).map(|(label, amount)| ThresholdTest {
        label: label.into(),
        amount,
        table_from: set.from,
        source: set.source.into(),
        applies: including_vat >= amount,
    });
    Some(ValueTest {
        annual,
        term_months: months,
        net,
        vat,
        including_vat,
        measured_on: facts.measured_on,
        threshold,
    })
}

fn threshold_for(choice: &RouteChoice, set: &ThresholdSet) -> Option<(&'static str, Money)> {
    match choice.route.regime() {
        Regime::ProviderSelection => None,
        Regime::Other if choice.route != Route::Extension => None,
        _ if choice.route == Route::LightTouch => Some(("light-touch threshold", set.light_touch)),
        _ => Some(match (choice.kind, choice.authority) {
            (ContractKind::Works, _) => ("threshold for works", set.works),
            (_, Authority::SubCentral) => (
                "threshold for goods and services bought by sub-central authorities",
                set.sub_central,
            ),
            (_, Authority::Central) => (
                "threshold for goods and services bought by central government",
                set.central,
            ),
        }),
    }
}

/// Whether the Act's full rules apply: a Procurement Act route at or above its threshold.
fn above(value: Option<&ValueTest>) -> Option<bool> {
    value.and_then(|v| v.threshold.as_ref()).map(|t| t.applies)
}

pub fn assess(choice: RouteChoice, facts: &LotValueFacts) -> RouteAssessment {
    let value = value_test(&choice, facts);
    let mut problems = Vec::new();
    if choice.reason.trim().len() < 10 {
        problems.push("the reason for the route is missing".to_string());
    }
    if choice.route.needs_justification()
        && choice
            .justification
            .as_deref()
            .is_none_or(|j| j.trim().is_empty())
    {
        problems.push(format!(
            "{} needs its justification recorded",
            choice.route.label()
        ));
    }
    if value.is_none() && matches!(choice.route.regime(), Regime::ProcurementAct) {
        problems.push(
            "the lot needs an estimated annual value and a term before its value can be tested against the thresholds".into(),
        );
    }
    if choice
        .urgency
        .as_deref()
        .is_some_and(|u| u.trim().chars().count() < 10)
    {
        problems.push("the reason for relying on urgency is missing".into());
    }
    let above_threshold = above(value.as_ref());
    let outcome = outcome(&choice, value.as_ref(), facts.measured_on);
    let tendering_period =
        time_limits::tendering_period(&choice, above_threshold, facts.measured_on, facts.period);
    let notices = notices::required(choice.route, above_threshold, facts.engagement_held);
    let rules = rules(&choice, above_threshold, tendering_period.as_ref());
    RouteAssessment {
        route_label: choice.route.label().into(),
        choice,
        value,
        outcome,
        rules,
        min_tendering_days: tendering_period.as_ref().and_then(|p| p.min_days),
        tendering_period,
        notices,
        problems,
    }
}

fn outcome(choice: &RouteChoice, value: Option<&ValueTest>, measured_on: NaiveDate) -> String {
    if choice.route.regime() == Regime::ProcurementAct && measured_on < time_limits::act_in_force()
    {
        return format!(
            "A procurement begun on {} falls under the Public Contracts Regulations 2015: the Procurement Act 2023 applies only to procurements begun on or after 24 February 2025, and Lotwise does not test the 2015 rules",
            dates::long(measured_on)
        );
    }
    let what = |v: &ValueTest| {
        format!(
            "{} {} over the whole term ({}, extensions included)",
            v.including_vat.display(),
            if v.vat == "none" {
                "(no VAT charged)"
            } else {
                "including VAT"
            },
            duration(v.term_months)
        )
    };
    match choice.route.regime() {
        Regime::ProviderSelection => {
            "The Provider Selection Regime has no value threshold: its rules apply to these health care services whatever their value".into()
        }
        Regime::Other if choice.route == Route::Section75 => {
            "A Section 75 agreement is a partnership between the council and the NHS, not a procurement by itself: any services bought under it follow their own route".into()
        }
        Regime::Other if choice.route == Route::Grant => {
            "A grant is not a public contract under the Act: no tender or contract notices are required".into()
        }
        _ => match value {
            None => "The value cannot be tested against the thresholds until the lot has an estimated annual value and a term".into(),
            Some(v) => {
                let t = v.threshold.as_ref().expect("Act routes have a threshold");
                let side = if t.applies {
                    if v.including_vat == t.amount { "exactly at" } else { "above" }
                } else {
                    "below"
                };
                let consequence = match (choice.route, t.applies) {
                    (Route::LightTouch, true) => "light-touch rules apply",
                    (Route::Extension, true) => {
                        "a modification must be permitted by section 74 and Schedule 8, and a contract change notice (UK10) published before it takes effect"
                    }
                    (Route::Extension, false) => "the contract was below threshold: no contract change notice is required",
                    (_, true) => "the Procurement Act 2023 applies in full",
                    (_, false) => "the Act's below-threshold rules apply (no minimum time limits and no standstill)",
                };
                format!(
                    "{} is {side} the {} of {} ({}, for procurements begun on or after {}): {consequence}",
                    crate::domain::capitalised(&what(v)),
                    t.label,
                    t.amount.display(),
                    t.source,
                    dates::long(t.table_from)
                )
            }
        },
    }
}

fn rules(
    choice: &RouteChoice,
    above: Option<bool>,
    period: Option<&time_limits::TenderingPeriod>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = period {
        out.push(match p.min_days {
            Some(d) => format!(
                "The tendering period must be at least {d} days ({}: {}), counted in {}",
                p.provision,
                p.row,
                time_limits::COUNTING
            ),
            None => format!(
                "No statutory minimum tendering period ({}): {}",
                p.provision, p.row
            ),
        });
    }
    match (choice.route, above) {
        (Route::Open | Route::CompetitiveFlexible | Route::DirectAward, Some(true) | None) => {
            out.push("Mandatory standstill of 8 working days beginning with the day the contract award notice (UK6) is published (s51(1), (2)); working days exclude weekends and any day that is a bank holiday anywhere in the United Kingdom (s123)".into());
            out.push("Contract details notice (UK7) before the end of 30 days beginning with the day the contract is entered into: the signature date is day 1 (s53(1)(b)); over £5 million, a copy of the contract within 90 days (s53(3)(b))".into());
        }
        (Route::FrameworkCallOff, Some(true) | None) => {
            out.push("No mandatory standstill for a contract awarded in accordance with a framework (s51(3)(d)); a voluntary one, if given in the award notice, is at least 8 working days (s51(4), (5))".into());
            out.push("Contract details notice (UK7) before the end of 30 days beginning with the day the contract is entered into (s53(1)(b))".into());
        }
        (Route::LightTouch, Some(true) | None) => {
            out.push("No mandatory standstill for a light-touch contract (s51(3)(f)); a voluntary one, if given in the award notice, is at least 8 working days (s51(4), (5))".into());
            out.push("Contract details notice (UK7) before the end of 120 days beginning with the day the contract is entered into (s53(1)(a)); over £5 million, a copy of the contract within 180 days (s53(3)(a))".into());
        }
        (Route::PsrDirectC | Route::PsrMostSuitable | Route::PsrCompetitive, _) => {
            out.push("Notice of intention to award, then a standstill that begins on the day after the notice is published (SI 2023/1348 reg 12(2)) and, with no representations, ends at midnight at the end of the 8th working day after that day (reg 12(9)); representations keep it open until 5 working days after the further decision (reg 12(10))".into());
            out.push("The five key criteria must each be considered and recorded".into());
        }
        (Route::PsrDirectA | Route::PsrDirectB, _) => {
            out.push("No standstill; publish the notice of the award within 30 days of the contract being awarded".into());
        }
        _ => {}
    }
    if choice.route == Route::DirectAward && above != Some(false) {
        out.push(
            "A transparency notice (UK5) must be published before the contract is awarded (s44)"
                .into(),
        );
    }
    out
}

/// What a lot still lacks before tenders may be invited: a route with its reason (and
/// justification), a conflicts assessment (section 83), and tender dates that meet the
/// route's minimum tendering period. Each entry completes "it needs ...".
pub fn tender_gate(
    assessment: Option<&RouteAssessment>,
    conflicts_recorded: bool,
    approved_spec: Option<u32>,
    dates: time_limits::TenderDates,
) -> Vec<String> {
    let mut missing = Vec::new();
    let no_spec = || "an approved specification for the tender to reference".to_string();
    let Some(a) = assessment else {
        missing.push("a route to market, with the reason for it".into());
        if !conflicts_recorded {
            missing.push("a conflicts assessment recorded before the tender notice".into());
        }
        if approved_spec.is_none() {
            missing.push(no_spec());
        }
        return missing;
    };
    missing.extend(a.problems.iter().map(|p| format!("{p} (route to market)")));
    if !conflicts_recorded {
        missing.push("a conflicts assessment recorded before the tender notice".into());
    }
    if approved_spec.is_none() {
        missing.push(no_spec());
    }
    if a.choice.route.is_competed() {
        for c in time_limits::check(a.tendering_period.as_ref(), dates) {
            if !c.ok {
                missing.push(format!(
                    "tender dates that meet the time limits: {}",
                    c.message
                ));
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests;
