//! Sharing a whole number of posts, or an amount of money, across areas in proportion to a
//! population, by largest remainder (Hamilton). Arithmetic is exact: quotas are compared as
//! integer numerators over one denominator, never as floats.
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::money::Money;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub name: String,
    pub population: u64,
}

/// What is being shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    /// A fixed number of posts.
    Posts(u64),
    /// One post per this many people; the total is the sum of quotas rounded up, so every
    /// area's need is covered ("1 per 20,000").
    PostsPer(u64),
    /// An amount of money, shared to the penny.
    Money(Money),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AllocationRow {
    pub area: String,
    pub population: u64,
    /// Exact quota, shown to four decimal places (posts) or pence (money).
    #[ts(type = "string")]
    pub quota: Decimal,
    /// The whole part of the quota.
    pub floor: u64,
    /// Posts (or pence) added by largest remainder: 0 or 1.
    pub remainder_award: u64,
    /// For posts: floor + award. For money: in pence.
    pub allocation: u64,
    /// For money, the allocation as money; otherwise none.
    pub amount: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Allocation {
    /// "posts" or "money".
    pub unit: String,
    pub total: u64,
    pub total_amount: Option<Money>,
    pub total_population: u64,
    pub rows: Vec<AllocationRow>,
    /// How ties between equal remainders were broken.
    pub tie_rule: String,
}

/// Which lot an area's share goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AreaLot {
    pub area: String,
    pub lot_id: Option<crate::domain::ids::LotId>,
}

/// An allocation saved against a procurement's lots, kept exactly as it was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedAllocation {
    pub id: i64,
    pub basis: String,
    pub allocation: Allocation,
    pub areas: Vec<AreaLot>,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

/// More people than live on Earth is a slip, not an area.
pub const MAX_POPULATION: u64 = 10_000_000_000;
/// A million posts is more than any service commissions.
pub const MAX_POSTS: u64 = 1_000_000;

pub const TIE_RULE: &str = "equal remainders: the larger population first, then the order given";

pub fn allocate(areas: &[Area], share: Share) -> Result<Allocation> {
    if areas.is_empty() {
        return Err(Error::validation("areas", "give at least one area"));
    }
    if let Some(a) = areas.iter().find(|a| a.population > MAX_POPULATION) {
        return Err(Error::validation(
            "population",
            format!(
                "the population of {} is more than {}",
                a.name,
                crate::domain::money::group_thousands(MAX_POPULATION)
            ),
        ));
    }
    // Bounded per area, so u64 holds the sum of any file Lotwise reads; checked regardless.
    let population = areas
        .iter()
        .try_fold(0u64, |sum, a| sum.checked_add(a.population))
        .ok_or_else(|| {
            Error::validation(
                "population",
                "the populations add up to more than Lotwise can hold",
            )
        })?;
    if population == 0 {
        return Err(Error::validation(
            "population",
            "the populations add up to zero, so there is nothing to share in proportion to",
        ));
    }
    let (unit, total) = match share {
        Share::Posts(n) => ("posts", n),
        Share::PostsPer(0) => {
            return Err(Error::validation(
                "per",
                "the ratio must be at least 1 person per post",
            ));
        }
        Share::PostsPer(per) => ("posts", population.div_ceil(per)),
        Share::Money(m) if m.pence() < 0 => {
            return Err(Error::validation("total", "the amount cannot be negative"));
        }
        Share::Money(m) if m > Money::MAX_INPUT => {
            return Err(Error::validation(
                "total",
                format!("the amount is more than {}", Money::MAX_INPUT.display()),
            ));
        }
        Share::Money(m) => ("money", m.pence() as u64),
    };
    if unit == "posts" && total > MAX_POSTS {
        return Err(Error::validation(
            "total",
            format!(
                "that makes {} posts; Lotwise shares up to {}",
                crate::domain::money::group_thousands(total),
                crate::domain::money::group_thousands(MAX_POSTS)
            ),
        ));
    }
    let den = u128::from(population);
    let mut rows: Vec<(usize, u128, AllocationRow)> = areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let num = u128::from(a.population) * u128::from(total);
            let floor = (num / den) as u64;
            let quota = Decimal::from_i128_with_scale(num as i128, 0)
                / Decimal::from_i128_with_scale(den as i128, 0);
            let quota = if unit == "money" {
                quota / Decimal::from(100)
            } else {
                quota
            };
            (
                i,
                num % den,
                AllocationRow {
                    area: a.name.clone(),
                    population: a.population,
                    quota: quota.round_dp(4),
                    floor,
                    remainder_award: 0,
                    allocation: floor,
                    amount: None,
                },
            )
        })
        .collect();
    let given: u64 = rows.iter().map(|r| r.2.floor).sum();
    let left = (total - given) as usize;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&rows[a], &rows[b]);
        rb.1.cmp(&ra.1)
            .then(rb.2.population.cmp(&ra.2.population))
            .then(ra.0.cmp(&rb.0))
    });
    for &i in order.iter().take(left) {
        rows[i].2.remainder_award = 1;
        rows[i].2.allocation += 1;
    }
    let rows: Vec<AllocationRow> = rows
        .into_iter()
        .map(|(_, _, mut r)| {
            if unit == "money" {
                r.amount = Some(Money::from_pence(r.allocation as i64));
            }
            r
        })
        .collect();
    Ok(Allocation {
        unit: unit.into(),
        total,
        total_amount: (unit == "money").then(|| Money::from_pence(total as i64)),
        total_population: population,
        rows,
        tie_rule: TIE_RULE.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Vec<Area> {
        [
            ("Ashford", 38_479),
            ("C&C", 68_319),
            ("DGS", 73_868),
            ("SKC", 75_499),
            ("Swale", 34_481),
            ("Thanet", 50_285),
            ("West Kent", 147_289),
        ]
        .iter()
        .map(|(n, p)| Area {
            name: n.to_string(),
            population: *p,
        })
        .collect()
    }

    fn posts(a: &Allocation) -> Vec<u64> {
        a.rows.iter().map(|r| r.allocation).collect()
    }

    #[test]
    fn huge_numbers_are_refused_not_wrapped() {
        let huge = vec![Area {
            name: "A".into(),
            population: u64::MAX,
        }];
        let e = allocate(&huge, Share::Posts(u64::MAX)).unwrap_err();
        assert!(
            e.message.contains("is more than 10,000,000,000"),
            "{}",
            e.message
        );
        let e = allocate(&seed(), Share::Posts(MAX_POSTS + 1)).unwrap_err();
        assert!(
            e.message.contains("Lotwise shares up to 1,000,000"),
            "{}",
            e.message
        );
        // At the limits, every quota is exact and non-negative.
        let big = vec![
            Area {
                name: "A".into(),
                population: MAX_POPULATION,
            },
            Area {
                name: "B".into(),
                population: MAX_POPULATION - 1,
            },
        ];
        let e = allocate(&big, Share::PostsPer(1)).unwrap_err();
        assert!(
            e.message.contains("that makes 19,999,999,999 posts"),
            "{}",
            e.message
        );
        let a = allocate(&big, Share::Money(Money::MAX_INPUT)).unwrap();
        assert_eq!(
            a.rows.iter().map(|r| r.allocation).sum::<u64>(),
            Money::MAX_INPUT.pence() as u64
        );
        assert!(a.rows.iter().all(|r| r.quota > Decimal::ZERO));
    }

    #[test]
    fn seed_004_twenty_five_posts() {
        let a = allocate(&seed(), Share::Posts(25)).unwrap();
        assert_eq!(posts(&a), vec![2, 3, 4, 4, 2, 3, 7]);
        assert_eq!(a.total_population, 488_220);
        assert_eq!(a.rows[0].quota.to_string(), "1.9704"); // 961,975 / 488,220
        assert_eq!(a.rows.iter().map(|r| r.remainder_award).sum::<u64>(), 5);
    }

    #[test]
    fn seed_004_one_per_twenty_thousand() {
        let a = allocate(&seed(), Share::PostsPer(20_000)).unwrap();
        assert_eq!(a.total, 25, "488,220 / 20,000 = 24.41, rounded up");
        assert_eq!(posts(&a), vec![2, 3, 4, 4, 2, 3, 7]);
    }

    #[test]
    fn totals_are_preserved() {
        for total in [0, 1, 7, 24, 25, 26, 1000] {
            let a = allocate(&seed(), Share::Posts(total)).unwrap();
            assert_eq!(posts(&a).iter().sum::<u64>(), total);
        }
        let m = allocate(&seed(), Share::Money(Money::from_pounds(5_950_000))).unwrap();
        assert_eq!(
            m.rows
                .iter()
                .map(|r| r.amount.unwrap().pence())
                .sum::<i64>(),
            595_000_000
        );
    }

    #[test]
    fn ties_go_to_the_larger_population_then_the_first_given() {
        let areas = vec![
            Area {
                name: "A".into(),
                population: 100,
            },
            Area {
                name: "B".into(),
                population: 100,
            },
            Area {
                name: "C".into(),
                population: 100,
            },
        ];
        assert_eq!(
            posts(&allocate(&areas, Share::Posts(2)).unwrap()),
            vec![1, 1, 0]
        );
        let uneven = vec![
            Area {
                name: "Small".into(),
                population: 1,
            },
            Area {
                name: "Big".into(),
                population: 3,
            },
        ];
        // Quotas 0.5 and 1.5: equal remainders, the larger population wins.
        assert_eq!(
            posts(&allocate(&uneven, Share::Posts(2)).unwrap()),
            vec![0, 2]
        );
    }

    #[test]
    fn refuses_nonsense() {
        assert!(allocate(&[], Share::Posts(3)).is_err());
        assert!(
            allocate(
                &[Area {
                    name: "A".into(),
                    population: 0
                }],
                Share::Posts(3)
            )
            .is_err()
        );
        assert!(allocate(&seed(), Share::PostsPer(0)).is_err());
    }
}
