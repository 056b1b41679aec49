//! The Procurement Act 2023 thresholds (Schedule 1), VAT inclusive, as dated tables: a
//! procurement is measured against the figures in force on the day it begins (its tender
//! notice), so older procurements keep theirs when the figures change every two years.
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::domain::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ThresholdSet {
    /// The first day these figures apply (to procurements begun on or after it).
    pub from: NaiveDate,
    /// Where the figures are set.
    pub source: &'static str,
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
    source: &'static str,
    central: i64,
    sub_central: i64,
    light: i64,
    works: i64,
) -> ThresholdSet {
    ThresholdSet {
        from: NaiveDate::from_ymd_opt(from.0, from.1, from.2).expect("a valid table date"),
        source,
        central: Money::from_pounds(central),
        sub_central: Money::from_pounds(sub_central),
        light_touch: Money::from_pounds(light),
        works: Money::from_pounds(works),
    }
}

/// Oldest first. The Act came into force on 24 February 2025 with Schedule 1 carrying the
/// figures then in force (goods and services £139,688 central, £214,904 sub-central; works
/// £5,372,609; light touch £663,540). The Procurement Act 2023 (Threshold Amounts)
/// Regulations 2025 (SI 2025/1200) set new figures for procurements begun on or after
/// 1 January 2026. Before 24 February 2025 the Public Contracts Regulations 2015 applied:
/// the route assessment says so rather than testing against these.
pub fn table() -> Vec<ThresholdSet> {
    vec![
        set(
            (2025, 2, 24),
            "Procurement Act 2023, Schedule 1",
            139_688,
            214_904,
            663_540,
            5_372_609,
        ),
        set(
            (2026, 1, 1),
            "Procurement Act 2023, Schedule 1 as amended by SI 2025/1200",
            135_018,
            207_720,
            663_540,
            5_193_000,
        ),
    ]
}

/// The figures in force on a date (the first set for dates before the Act, which the
/// assessment reports as begun under the Public Contracts Regulations 2015).
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
    fn the_act_s_first_figures_apply_from_24_february_2025() {
        let s = in_force(d(2025, 2, 24));
        assert_eq!(s.from, d(2025, 2, 24));
        assert_eq!(s.sub_central, Money::from_pounds(214_904));
        assert_eq!(s.source, "Procurement Act 2023, Schedule 1");
    }

    #[test]
    fn the_set_changes_on_its_first_day() {
        assert_eq!(
            in_force(d(2025, 12, 31)).sub_central,
            Money::from_pounds(214_904)
        );
        assert!(in_force(d(2026, 1, 1)).source.contains("SI 2025/1200"));
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
        assert_eq!(in_force(d(2018, 4, 1)).from, d(2025, 2, 24));
    }
}
