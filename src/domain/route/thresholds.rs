//! The Procurement Act 2023 thresholds (Schedule 1), VAT inclusive, as dated tables: a
//! procurement is measured against the figures in force when it starts, so older
//! procurements keep theirs when the figures change every two years.
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::domain::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ThresholdSet {
    /// The first day these figures apply.
    pub from: NaiveDate,
    /// Goods and services bought by central government authorities.
    pub central: Money,
    /// Goods and services bought by sub-central authorities (councils).
    pub sub_central: Money,
    /// Light-touch services (social, health, education and similar).
    pub light_touch: Money,
    pub works: Money,
}

fn set(
    from: (i32, u32, u32),
    central: i64,
    sub_central: i64,
    light: i64,
    works: i64,
) -> ThresholdSet {
    ThresholdSet {
        from: NaiveDate::from_ymd_opt(from.0, from.1, from.2).expect("a valid table date"),
        central: Money::from_pounds(central),
        sub_central: Money::from_pounds(sub_central),
        light_touch: Money::from_pounds(light),
        works: Money::from_pounds(works),
    }
}

/// Oldest first. The 2022 and 2024 figures are those published for the Public Contracts
/// Regulations 2015 and carried into the Act; the 2026 figures are in ../shared/domain.md.
pub fn table() -> Vec<ThresholdSet> {
    vec![
        set((2022, 1, 1), 138_760, 213_477, 663_540, 5_336_937),
        set((2024, 1, 1), 139_688, 214_904, 663_540, 5_372_609),
        set((2026, 1, 1), 135_018, 207_720, 663_540, 5_193_000),
    ]
}

/// The figures in force on a date (the earliest set for dates before the table starts, so an
/// old procurement is still measured against something and says which).
pub fn in_force(on: NaiveDate) -> ThresholdSet {
    let t = table();
    t.iter()
        .rev()
        .find(|s| s.from <= on)
        .copied()
        .unwrap_or(t[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_set_changes_on_its_first_day() {
        assert_eq!(
            in_force(d(2025, 12, 31)).sub_central,
            Money::from_pounds(214_904)
        );
        assert_eq!(
            in_force(d(2026, 1, 1)).sub_central,
            Money::from_pounds(207_720)
        );
        assert_eq!(
            in_force(d(2026, 11, 25)).light_touch,
            Money::from_pounds(663_540)
        );
        assert_eq!(
            in_force(d(2026, 11, 25)).works,
            Money::from_pounds(5_193_000)
        );
        assert_eq!(
            in_force(d(2026, 11, 25)).central,
            Money::from_pounds(135_018)
        );
        assert_eq!(in_force(d(2018, 4, 1)).from, d(2022, 1, 1));
    }
}
