//! The budget position of a procurement: budget and funders' contributions by financial
//! year, what contracts already commit, the headroom left, and what would break the budget.
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

use super::FinancialYear;
use crate::domain::ids::LotId;
use crate::domain::money::Money;
use crate::error::{Error, Result};

/// How a funder's money is held (NHS Act 2006 s75 and s65Z5 arrangements, or simply side by
/// side): in one pooled fund spent as one budget, or aligned: each partner keeps its own
/// budget but commissions to shared outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Arrangement {
    Pooled,
    Aligned,
}

impl Arrangement {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pooled" => Ok(Self::Pooled),
            "aligned" => Ok(Self::Aligned),
            other => Err(Error::validation(
                "arrangement",
                format!("“{other}” is not an arrangement; expected pooled or aligned"),
            )),
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Self::Pooled => "pooled",
            Self::Aligned => "aligned",
        }
    }
}

/// One funder's contribution to one financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contribution {
    pub id: i64,
    pub funder_id: i64,
    pub funder: String,
    #[ts(type = "string")]
    pub financial_year: FinancialYear,
    pub amount: Money,
    pub arrangement: Arrangement,
    /// What the money is for ("public health grant: preventative services").
    pub purpose: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CommitmentKind {
    /// The contract a lot replaces, over its core term and the options taken.
    CurrentContract,
    /// A lot's award at the winning annual price, over the core term from contract start.
    Award,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct YearAmount {
    #[ts(type = "string")]
    pub financial_year: FinancialYear,
    pub amount: Money,
}

/// Money a contract already commits, year by year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Commitment {
    pub kind: CommitmentKind,
    pub lot_id: LotId,
    /// "KCC-PH-0147 Health Trainers (current contract)".
    pub label: String,
    pub annual: Money,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
    pub by_year: Vec<YearAmount>,
}

/// Money that is not committed yet but would be by one decision: an extension option of a
/// current contract, or an award a panel has not yet made final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Prospect {
    pub lot_id: LotId,
    /// "Taking option 1 of KCC-PH-0147 (1 April 2027 to 31 March 2028)".
    pub label: String,
    pub by_year: Vec<YearAmount>,
    /// The years this would take over budget, with by how much.
    pub overruns: Vec<YearAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FunderAmount {
    pub funder: String,
    pub arrangement: Arrangement,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BudgetYear {
    #[ts(type = "string")]
    pub financial_year: FinancialYear,
    pub budget: Money,
    /// Contributions by funder, in the order the funders were first recorded.
    pub funders: Vec<FunderAmount>,
    pub funded: Money,
    pub pooled: Money,
    pub aligned: Money,
    pub committed: Money,
    /// Budget less committed; negative when over budget.
    pub headroom: Money,
    pub over_budget: bool,
}

/// A lot's own budget line against what its contracts commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LotYear {
    #[ts(type = "string")]
    pub financial_year: FinancialYear,
    pub budget: Option<Money>,
    pub committed: Money,
    pub headroom: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LotBudget {
    pub lot_id: LotId,
    pub lot: String,
    pub years: Vec<LotYear>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BudgetPosition {
    pub years: Vec<BudgetYear>,
    pub lots: Vec<LotBudget>,
    pub commitments: Vec<Commitment>,
    pub prospects: Vec<Prospect>,
    /// Plain sentences, most serious first.
    pub warnings: Vec<String>,
}

/// A lot's own budget lines.
pub struct LotLines {
    pub lot_id: LotId,
    pub lot: String,
    pub lines: Vec<(FinancialYear, Money)>,
}

/// One decision's money by year, not yet committed.
#[derive(Clone)]
pub struct ProspectInput {
    pub lot_id: LotId,
    pub label: String,
    pub by_year: BTreeMap<FinancialYear, Money>,
}

pub struct Inputs<'a> {
    pub budget: &'a [(FinancialYear, Money)],
    pub contributions: &'a [Contribution],
    pub lot_budgets: &'a [LotLines],
    pub commitments: Vec<Commitment>,
    pub prospects: Vec<ProspectInput>,
    /// Years before this are history and left out.
    pub from: FinancialYear,
}

pub fn year_amounts(m: &BTreeMap<FinancialYear, Money>) -> Vec<YearAmount> {
    m.iter()
        .map(|(fy, amount)| YearAmount {
            financial_year: *fy,
            amount: *amount,
        })
        .collect()
}

fn add(a: Money, b: Money) -> Money {
    Money::from_pence(a.pence().saturating_add(b.pence()))
}
fn sub(a: Money, b: Money) -> Money {
    Money::from_pence(a.pence().saturating_sub(b.pence()))
}

pub fn position(i: Inputs) -> BudgetPosition {
    let budget: BTreeMap<FinancialYear, Money> = i.budget.iter().copied().collect();
    let mut committed: BTreeMap<FinancialYear, Money> = BTreeMap::new();
    for c in &i.commitments {
        for y in &c.by_year {
            let e = committed.entry(y.financial_year).or_default();
            *e = add(*e, y.amount);
        }
    }
    let mut years: BTreeSet<FinancialYear> = budget.keys().copied().collect();
    years.extend(i.contributions.iter().map(|c| c.financial_year));
    years.extend(
        committed
            .iter()
            .filter(|(_, m)| m.pence() != 0)
            .map(|(fy, _)| *fy),
    );
    years.retain(|fy| *fy >= i.from);

    let mut funder_order: Vec<&str> = Vec::new();
    for c in i.contributions {
        if !funder_order.contains(&c.funder.as_str()) {
            funder_order.push(&c.funder);
        }
    }
    let mut warnings = Vec::new();
    let mut unfunded = Vec::new();
    let mut no_budget = Vec::new();
    let rows: Vec<BudgetYear> = years
        .iter()
        .map(|fy| {
            let b = budget.get(fy).copied().unwrap_or_default();
            let c = committed.get(fy).copied().unwrap_or_default();
            let mut funders = Vec::new();
            let (mut pooled, mut aligned) = (Money::ZERO, Money::ZERO);
            for name in &funder_order {
                for x in i
                    .contributions
                    .iter()
                    .filter(|x| x.funder == *name && x.financial_year == *fy)
                {
                    funders.push(FunderAmount {
                        funder: x.funder.clone(),
                        arrangement: x.arrangement,
                        amount: x.amount,
                    });
                    match x.arrangement {
                        Arrangement::Pooled => pooled = add(pooled, x.amount),
                        Arrangement::Aligned => aligned = add(aligned, x.amount),
                    }
                }
            }
            let funded = add(pooled, aligned);
            let headroom = sub(b, c);
            if !budget.contains_key(fy) && c.pence() > 0 {
                no_budget.push(format!(
                    "{fy}: {} is committed but no budget is set for the year.",
                    c.display()
                ));
            } else if headroom.pence() < 0 {
                warnings.push(format!(
                    "{fy}: {} is committed against a budget of {}: {} over budget.",
                    c.display(),
                    b.display(),
                    Money::from_pence(-headroom.pence()).display()
                ));
            }
            if !i.contributions.is_empty() && funded < b {
                unfunded.push(format!(
                    "{fy}: funders’ contributions of {} leave {} of the {} budget unfunded.",
                    funded.display(),
                    sub(b, funded).display(),
                    b.display()
                ));
            }
            BudgetYear {
                financial_year: *fy,
                budget: b,
                funders,
                funded,
                pooled,
                aligned,
                committed: c,
                headroom,
                over_budget: headroom.pence() < 0,
            }
        })
        .collect();

    let headroom: BTreeMap<FinancialYear, Money> = rows
        .iter()
        .map(|r| (r.financial_year, r.headroom))
        .collect();
    let prospects: Vec<Prospect> = i
        .prospects
        .into_iter()
        .map(
            |ProspectInput {
                 lot_id,
                 label,
                 by_year,
             }| {
                let overruns: BTreeMap<FinancialYear, Money> = by_year
                    .iter()
                    .filter(|(fy, _)| **fy >= i.from)
                    .filter_map(|(fy, amount)| {
                        let left = headroom.get(fy).copied().unwrap_or_default();
                        let after = sub(left, *amount);
                        // Already over budget, the whole amount adds to the overrun.
                        let over = if left.pence() >= 0 {
                            -after.pence()
                        } else {
                            amount.pence()
                        };
                        (amount.pence() > 0 && after.pence() < 0)
                            .then(|| (*fy, Money::from_pence(over)))
                    })
                    .collect();
                Prospect {
                    lot_id,
                    label,
                    by_year: year_amounts(&by_year),
                    overruns: year_amounts(&overruns),
                }
            },
        )
        .collect();
    for p in &prospects {
        if !p.overruns.is_empty() {
            let years: Vec<String> = p
                .overruns
                .iter()
                .map(|y| format!("{} by {}", y.financial_year, y.amount.display()))
                .collect();
            warnings.push(format!(
                "{} would exceed the budget in {}.",
                p.label,
                years.join(" and ")
            ));
        }
    }
    warnings.extend(no_budget);

    let mut lots = Vec::new();
    for LotLines { lot_id, lot, lines } in i.lot_budgets {
        let lb: BTreeMap<FinancialYear, Money> = lines.iter().copied().collect();
        let mut lc: BTreeMap<FinancialYear, Money> = BTreeMap::new();
        for c in i.commitments.iter().filter(|c| c.lot_id == *lot_id) {
            for y in &c.by_year {
                let e = lc.entry(y.financial_year).or_default();
                *e = add(*e, y.amount);
            }
        }
        let mut ys: BTreeSet<FinancialYear> = lb.keys().copied().collect();
        ys.extend(lc.keys().copied());
        ys.retain(|fy| *fy >= i.from);
        let years: Vec<LotYear> = ys
            .into_iter()
            .map(|fy| {
                let budget = lb.get(&fy).copied();
                let committed = lc.get(&fy).copied().unwrap_or_default();
                let headroom = budget.map(|b| sub(b, committed));
                if let Some(h) = headroom.filter(|h| h.pence() < 0) {
                    warnings.push(format!(
                        "{lot}, {fy}: {} committed is {} over the lot’s budget of {}.",
                        committed.display(),
                        Money::from_pence(-h.pence()).display(),
                        budget.unwrap_or_default().display()
                    ));
                }
                LotYear {
                    financial_year: fy,
                    budget,
                    committed,
                    headroom,
                }
            })
            .collect();
        lots.push(LotBudget {
            lot_id: *lot_id,
            lot: lot.clone(),
            years,
        });
    }
    for fy in &years {
        let total: i64 = i
            .lot_budgets
            .iter()
            .flat_map(|l| {
                l.lines
                    .iter()
                    .filter(|(y, _)| y == fy)
                    .map(|(_, m)| m.pence())
            })
            .sum();
        let b = budget.get(fy).copied().unwrap_or_default();
        if total > b.pence() {
            warnings.push(format!(
                "{fy}: the lots’ budgets add up to {}, more than the procurement’s {}.",
                Money::from_pence(total).display(),
                b.display()
            ));
        }
    }
    warnings.extend(unfunded);
    BudgetPosition {
        years: rows,
        lots,
        commitments: i.commitments,
        prospects,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn fy(y: i32) -> FinancialYear {
        FinancialYear(y)
    }
    fn contribution(id: i64, funder: &str, y: i32, pounds: i64, a: Arrangement) -> Contribution {
        Contribution {
            id,
            funder_id: id,
            funder: funder.into(),
            financial_year: fy(y),
            amount: Money::from_pounds(pounds),
            arrangement: a,
            purpose: String::new(),
        }
    }
    fn commitment(lot: i64, by: &[(i32, i64)]) -> Commitment {
        Commitment {
            kind: CommitmentKind::Award,
            lot_id: LotId(lot),
            label: "award".into(),
            annual: Money::ZERO,
            start: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2029, 3, 31).unwrap(),
            by_year: by
                .iter()
                .map(|(y, p)| YearAmount {
                    financial_year: fy(*y),
                    amount: Money::from_pounds(*p),
                })
                .collect(),
        }
    }

    #[test]
    fn pooled_and_aligned_contributions_headroom_and_overruns() {
        let budget = [
            (fy(2026), Money::from_pounds(2_000_000)),
            (fy(2027), Money::from_pounds(2_000_000)),
        ];
        let contributions = [
            contribution(
                1,
                "Kent County Council",
                2026,
                1_000_000,
                Arrangement::Pooled,
            ),
            contribution(
                2,
                "Sevenoaks District Council",
                2026,
                340_000,
                Arrangement::Aligned,
            ),
            contribution(
                3,
                "Tonbridge and Malling Borough Council",
                2026,
                330_000,
                Arrangement::Aligned,
            ),
            contribution(
                4,
                "Tunbridge Wells Borough Council",
                2026,
                330_000,
                Arrangement::Aligned,
            ),
            contribution(
                5,
                "Kent County Council",
                2027,
                1_000_000,
                Arrangement::Pooled,
            ),
        ];
        let p = position(Inputs {
            budget: &budget,
            contributions: &contributions,
            lot_budgets: &[LotLines {
                lot_id: LotId(1),
                lot: "Lot 1".into(),
                lines: vec![(fy(2026), Money::from_pounds(400_000))],
            }],
            commitments: vec![commitment(
                1,
                &[
                    (2025, 9),
                    (2026, 1_500_000),
                    (2027, 2_100_000),
                    (2028, 700_000),
                ],
            )],
            prospects: vec![ProspectInput {
                lot_id: LotId(1),
                label: "Taking option 1".into(),
                by_year: [(fy(2026), Money::from_pounds(600_000))].into(),
            }],
            from: fy(2026),
        });
        let y: Vec<_> = p.years.iter().map(|r| r.financial_year.0).collect();
        assert_eq!(
            y,
            vec![2026, 2027, 2028],
            "history before the first year is left out"
        );
        let first = &p.years[0];
        assert_eq!(first.pooled, Money::from_pounds(1_000_000));
        assert_eq!(first.aligned, Money::from_pounds(1_000_000));
        assert_eq!(first.funded, first.budget);
        assert_eq!(first.funders[0].funder, "Kent County Council");
        assert_eq!(first.headroom, Money::from_pounds(500_000));
        assert!(p.years[1].over_budget);
        assert_eq!(p.years[1].headroom, Money::from_pounds(-100_000));
        assert_eq!(
            p.prospects[0].overruns[0].amount,
            Money::from_pounds(100_000)
        );
        let w = p.warnings.join("\n");
        assert!(w.contains("2027/28: £2,100,000 is committed against a budget of £2,000,000: £100,000 over budget."), "{w}");
        assert!(
            w.contains("Taking option 1 would exceed the budget in 2026/27 by £100,000."),
            "{w}"
        );
        assert!(
            w.contains("2028/29: £700,000 is committed but no budget is set for the year."),
            "{w}"
        );
        assert!(w.contains("Lot 1, 2026/27: £1,500,000 committed is £1,100,000 over the lot’s budget of £400,000."), "{w}");
        assert!(w.contains("2027/28: funders’ contributions of £1,000,000 leave £1,000,000 of the £2,000,000 budget unfunded."), "{w}");
    }
}
