//! Savings: a target against a baseline of current annual spend, phased evenly over a number
//! of years, against what the year's committed and forecast spend actually delivers.
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::FinancialYear;
use crate::domain::money::Money;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
#[ts(export)]
pub enum Target {
    /// Percent of the baseline ("10" for 10%).
    Percent(#[ts(type = "string")] Decimal),
    Amount(Money),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavingsTarget {
    /// Current annual spend the savings are measured against.
    pub baseline: Money,
    pub target: Target,
    /// Over how many financial years the target is reached, evenly.
    pub years: u32,
    #[ts(type = "string")]
    pub first_year: FinancialYear,
    pub notes: String,
}

impl SavingsTarget {
    pub fn validate(&self) -> Result<()> {
        if self.baseline.pence() <= 0 {
            return Err(Error::validation(
                "baseline",
                "the baseline must be more than £0",
            ));
        }
        if !(1..=20).contains(&self.years) {
            return Err(Error::validation(
                "years",
                "the savings must be phased over 1 to 20 years",
            ));
        }
        match &self.target {
            Target::Percent(p) if *p <= Decimal::ZERO || *p > Decimal::ONE_HUNDRED => {
                Err(Error::validation(
                    "target",
                    "a percentage target must be more than 0 and at most 100",
                ))
            }
            Target::Amount(m) if m.pence() <= 0 || *m > self.baseline => Err(Error::validation(
                "target",
                format!(
                    "an amount target must be more than £0 and no more than the baseline of {}",
                    self.baseline.display()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// The full annual saving to reach by the last year.
    pub fn total(&self) -> Money {
        match &self.target {
            Target::Amount(m) => *m,
            Target::Percent(p) => {
                Money::round_from(self.baseline.to_decimal() * *p / Decimal::ONE_HUNDRED)
            }
        }
    }

    /// "10% of £8,165,000 (£816,500) over 3 years from 2026/27".
    pub fn describe(&self) -> String {
        let years = if self.years == 1 {
            "1 year".to_string()
        } else {
            format!("{} years", self.years)
        };
        let what = match &self.target {
            Target::Percent(p) => format!(
                "{}% of {} ({})",
                p.normalize(),
                self.baseline.display(),
                self.total().display()
            ),
            Target::Amount(m) => {
                format!("{} a year against {}", m.display(), self.baseline.display())
            }
        };
        format!("{what} over {years} from {}", self.first_year)
    }
}

/// A year's spend on the procurement's lots: what contracts commit, plus lots' estimated
/// values for the months no contract covers yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearSpend {
    pub committed: Money,
    pub estimated: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SavingStatus {
    Met,
    /// Short this year but met in a later year of the plan.
    Delayed,
    /// Short and not met in any later year of the plan.
    Short,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavingsYear {
    #[ts(type = "string")]
    pub financial_year: FinancialYear,
    /// The annual saving to have reached this year.
    pub target: Money,
    pub committed: Money,
    pub estimated: Money,
    /// Baseline less committed and estimated spend.
    pub saving: Money,
    /// Target less saving: positive is a shortfall.
    pub gap: Money,
    /// Every month of the year is covered by contract prices, not estimates.
    pub secured: bool,
    pub status: SavingStatus,
    /// For a delayed saving, the first later year that meets this year's target.
    #[ts(type = "string | null")]
    pub delayed_to: Option<FinancialYear>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavingsTracker {
    pub target: SavingsTarget,
    pub description: String,
    pub total: Money,
    pub years: Vec<SavingsYear>,
    pub summary: String,
}

/// Years after the phasing keep the full target, so a saving that slips past the plan is
/// still tracked; at most this many.
pub const YEARS_AFTER_PLAN: i32 = 10;

/// `spend(fy)` gives each year's spend. The plan's years are tracked, then the years after it
/// up to `until` (the last budgeted or committed year), at the full target.
pub fn track(
    target: &SavingsTarget,
    until: FinancialYear,
    spend: impl Fn(FinancialYear) -> YearSpend,
) -> SavingsTracker {
    let total = target.total();
    let n = i64::from(target.years);
    let plan_end = target.first_year.0 + target.years as i32 - 1;
    let last = until.0.clamp(plan_end, plan_end + YEARS_AFTER_PLAN);
    let count = i64::from(last - target.first_year.0 + 1);
    let mut years: Vec<SavingsYear> = (0..count)
        .map(|k| {
            let fy = FinancialYear(target.first_year.0 + k as i32);
            let goal = Money::round_from(
                total.to_decimal() * Decimal::from((k + 1).min(n)) / Decimal::from(n),
            );
            let s = spend(fy);
            let saving = Money::from_pence(
                target.baseline.pence() - s.committed.pence() - s.estimated.pence(),
            );
            SavingsYear {
                financial_year: fy,
                target: goal,
                committed: s.committed,
                estimated: s.estimated,
                saving,
                gap: Money::from_pence(goal.pence() - saving.pence()),
                secured: s.estimated.pence() == 0,
                status: SavingStatus::Met,
                delayed_to: None,
            }
        })
        .collect();
    for k in 0..years.len() {
        if years[k].gap.pence() <= 0 {
            continue;
        }
        let goal = years[k].target;
        let later = years[k + 1..]
            .iter()
            .find(|y| y.saving >= goal)
            .map(|y| y.financial_year);
        years[k].status = if later.is_some() {
            SavingStatus::Delayed
        } else {
            SavingStatus::Short
        };
        years[k].delayed_to = later;
    }
    let summary = summarise(&years);
    SavingsTracker {
        description: target.describe(),
        target: target.clone(),
        total,
        years,
        summary,
    }
}

fn summarise(years: &[SavingsYear]) -> String {
    let Some(last) = years.last() else {
        return String::new();
    };
    let basis = if years.iter().all(|y| y.secured) {
        "secured by contract prices"
    } else {
        "forecast: some months are still at estimated values"
    };
    let delayed: Vec<String> = years
        .iter()
        .filter(|y| y.status == SavingStatus::Delayed)
        .map(|y| {
            format!(
                "{} of the {} saving is delayed to {}",
                y.gap.display(),
                y.financial_year,
                y.delayed_to.map(|f| f.to_string()).unwrap_or_default()
            )
        })
        .collect();
    let head = if last.gap.pence() <= 0 {
        format!(
            "The target of {} a year by {} is met ({}).",
            last.target.display(),
            last.financial_year,
            basis
        )
    } else {
        format!(
            "By {} the saving is {} a year against a target of {}: {} short ({}).",
            last.financial_year,
            last.saving.display(),
            last.target.display(),
            last.gap.display(),
            basis
        )
    };
    if delayed.is_empty() {
        head
    } else {
        format!("{head} {}.", capitalise(&delayed.join("; ")))
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(t: Target, years: u32) -> SavingsTarget {
        SavingsTarget {
            baseline: Money::from_pounds(5_000_000),
            target: t,
            years,
            first_year: FinancialYear(2026),
            notes: String::new(),
        }
    }

    #[test]
    fn ten_percent_over_three_years_is_phased_evenly() {
        let t = target(Target::Percent(Decimal::from(10)), 3);
        assert_eq!(t.total(), Money::from_pounds(500_000));
        let spend = |fy: FinancialYear| YearSpend {
            committed: Money::from_pounds(match fy.0 {
                2026 => 4_800_000,
                2027 => 4_650_000,
                _ => 4_500_000,
            }),
            estimated: Money::ZERO,
        };
        let tr = track(&t, FinancialYear(2020), spend);
        let targets: Vec<i64> = tr.years.iter().map(|y| y.target.pence()).collect();
        assert_eq!(targets, vec![16_666_667, 33_333_333, 50_000_000]);
        assert!(tr.years.iter().all(|y| y.status == SavingStatus::Met));
        assert!(
            tr.summary
                .starts_with("The target of £500,000 a year by 2028/29 is met")
        );
    }

    #[test]
    fn a_shortfall_met_later_is_delayed_and_one_never_met_is_short() {
        let t = target(Target::Amount(Money::from_pounds(200_000)), 2);
        let tr = track(&t, FinancialYear(2027), |fy| YearSpend {
            committed: Money::from_pounds(if fy.0 == 2026 { 5_000_000 } else { 4_850_000 }),
            estimated: Money::from_pounds(0),
        });
        assert_eq!(tr.years[0].status, SavingStatus::Delayed);
        assert_eq!(tr.years[0].delayed_to, Some(FinancialYear(2027)));
        assert_eq!(tr.years[0].gap, Money::from_pounds(100_000));
        assert_eq!(tr.years[1].status, SavingStatus::Short);
        assert_eq!(tr.years[1].gap, Money::from_pounds(50_000));
        assert!(
            tr.summary
                .contains("£100,000 of the 2026/27 saving is delayed to 2027/28"),
            "{}",
            tr.summary
        );
    }

    #[test]
    fn a_saving_that_slips_past_the_plan_is_delayed_into_the_years_after() {
        // Seed 002: £200,000 of savings due in 2023/24, only half made until the new
        // agreement's first full year.
        let mut t = target(Target::Amount(Money::from_pounds(200_000)), 1);
        t.baseline = Money::from_pounds(8_165_000);
        t.first_year = FinancialYear(2023);
        let tr = track(&t, FinancialYear(2025), |fy| YearSpend {
            committed: Money::from_pounds(if fy.0 == 2023 { 8_065_000 } else { 7_965_000 }),
            estimated: Money::ZERO,
        });
        assert_eq!(tr.years.len(), 3);
        assert_eq!(tr.years[2].target, Money::from_pounds(200_000));
        assert_eq!(tr.years[0].status, SavingStatus::Delayed);
        assert_eq!(tr.years[0].delayed_to, Some(FinancialYear(2024)));
        assert_eq!(tr.years[0].gap, Money::from_pounds(100_000));
    }

    #[test]
    fn estimates_make_a_year_a_forecast() {
        let t = target(Target::Percent(Decimal::new(75, 1)), 1);
        assert_eq!(t.total(), Money::from_pounds(375_000));
        let tr = track(&t, FinancialYear(2026), |_| YearSpend {
            committed: Money::from_pounds(2_000_000),
            estimated: Money::from_pounds(2_625_000),
        });
        assert!(!tr.years[0].secured);
        assert_eq!(tr.years[0].status, SavingStatus::Met);
        assert!(tr.summary.contains("forecast"));
    }

    #[test]
    fn refuses_impossible_targets() {
        assert!(
            target(Target::Percent(Decimal::ZERO), 3)
                .validate()
                .is_err()
        );
        assert!(
            target(Target::Percent(Decimal::from(101)), 3)
                .validate()
                .is_err()
        );
        assert!(
            target(Target::Amount(Money::from_pounds(6_000_000)), 3)
                .validate()
                .is_err()
        );
        assert!(
            target(Target::Percent(Decimal::from(10)), 0)
                .validate()
                .is_err()
        );
        assert!(
            target(Target::Percent(Decimal::from(10)), 3)
                .validate()
                .is_ok()
        );
    }
}
