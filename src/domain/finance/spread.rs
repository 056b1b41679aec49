//! Spreading an annual value over a period, financial year by financial year.
//!
//! Councils pay and budget by the month, so each calendar month counts as exactly a twelfth
//! of the annual value; a month only partly covered counts in proportion to its days. A
//! contract from 1 October to 30 September therefore falls half in each year, as a finance
//! officer would write it, not 182/365 and 183/365.
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

use super::FinancialYear;
use crate::domain::money::Money;

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid month");
    (next - first).num_days() as u32
}

/// Months of each financial year the period `start..=end` covers, exactly (part months as
/// a fraction of their days). Empty when `end` is before `start`.
pub fn months_by_year(start: NaiveDate, end: NaiveDate) -> BTreeMap<FinancialYear, Decimal> {
    let mut out: BTreeMap<FinancialYear, Decimal> = BTreeMap::new();
    if end < start {
        return out;
    }
    let (mut y, mut m) = (start.year(), start.month());
    loop {
        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid");
        let dim = days_in_month(y, m);
        let last = NaiveDate::from_ymd_opt(y, m, dim).expect("valid");
        if first > end {
            break;
        }
        let from = first.max(start);
        let to = last.min(end);
        let covered = (to - from).num_days() + 1;
        let share = if covered as u32 == dim {
            Decimal::ONE
        } else {
            Decimal::from(covered) / Decimal::from(dim)
        };
        *out.entry(FinancialYear::containing(first)).or_default() += share;
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Rounds a run of exact amounts to pence so that the rounded parts add up to the rounded
/// whole: each part is the difference of rounded running totals.
pub fn to_pence(parts: &BTreeMap<FinancialYear, Decimal>) -> BTreeMap<FinancialYear, Money> {
    let round = |d: Decimal| Money::round_from(d).pence();
    let mut running = Decimal::ZERO;
    let mut previous = 0i64;
    parts
        .iter()
        .map(|(fy, amount)| {
            running += *amount;
            let now = round(running);
            let part = Money::from_pence(now - previous);
            previous = now;
            (*fy, part)
        })
        .collect()
}

/// The annual value falling in each financial year of `start..=end`.
pub fn by_year(annual: Money, start: NaiveDate, end: NaiveDate) -> BTreeMap<FinancialYear, Money> {
    let twelfth = annual.to_decimal() / Decimal::from(12);
    let exact = months_by_year(start, end)
        .into_iter()
        .map(|(fy, months)| (fy, twelfth * months))
        .collect();
    to_pence(&exact)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn fy(y: i32) -> FinancialYear {
        FinancialYear(y)
    }

    #[test]
    fn a_whole_financial_year_is_the_annual_value() {
        let s = by_year(Money::from_pounds(1_462_000), d(2026, 4, 1), d(2027, 3, 31));
        assert_eq!(s.len(), 1);
        assert_eq!(s[&fy(2026)], Money::from_pounds(1_462_000));
    }

    #[test]
    fn october_to_september_falls_half_in_each_year() {
        let s = by_year(
            Money::from_pounds(7_965_000),
            d(2023, 10, 1),
            d(2024, 9, 30),
        );
        assert_eq!(s[&fy(2023)], Money::from_pence(398_250_000));
        assert_eq!(s[&fy(2024)], Money::from_pence(398_250_000));
    }

    #[test]
    fn part_months_count_by_their_days_and_pence_add_up() {
        // 16 to 30 June is 15 of June's 30 days: half a month.
        let m = months_by_year(d(2026, 6, 16), d(2026, 8, 31));
        assert_eq!(m[&fy(2026)], Decimal::new(25, 1));
        // £100 a year over a third of a year in odd pieces still totals exactly.
        let s = by_year(Money::from_pounds(100), d(2027, 2, 1), d(2027, 5, 31));
        let total: i64 = s.values().map(|m| m.pence()).sum();
        assert_eq!(total, 3333);
        assert_eq!(s[&fy(2026)], Money::from_pence(1667));
        assert_eq!(s[&fy(2027)], Money::from_pence(1666));
    }

    #[test]
    fn an_empty_period_has_nothing() {
        assert!(by_year(Money::from_pounds(1), d(2026, 5, 1), d(2026, 4, 30)).is_empty());
    }
}
