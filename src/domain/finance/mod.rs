//! Commissioning finance. Financial years run from 1 April to 31 March and are written 2026/27.
pub mod budget;
pub mod savings;
pub mod spread;
pub mod whole_life;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    pub fn containing(d: NaiveDate) -> Self {
        if d.month() >= 4 {
            FinancialYear(d.year())
        } else {
            FinancialYear(d.year() - 1)
        }
    }
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).expect("valid")
    }
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).expect("valid")
    }
    /// Accepts `2026/27`, `2026-27` and `2026/2027`.
    pub fn parse(s: &str) -> Result<Self> {
        let t = s.trim();
        let bad = || {
            Error::validation(
                "financialYear",
                format!("“{t}” is not a financial year: write it as 2026/27"),
            )
        };
        let (a, b) = t.split_once(['/', '-']).ok_or_else(bad)?;
        let start: i32 = a.parse().map_err(|_| bad())?;
        let next: i32 = b.parse().map_err(|_| bad())?;
        let ok = match b.len() {
            2 => next == (start + 1) % 100,
            4 => next == start + 1,
            _ => false,
        };
        if a.len() == 4 && ok {
            Ok(FinancialYear(start))
        } else {
            Err(bad())
        }
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}
impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        FinancialYear::parse(&String::deserialize(d)?)
            .map_err(|e| serde::de::Error::custom(e.message))
    }
}

crate::domain::ts_string!(FinancialYear);

#[cfg(test)]
mod tests {
    use super::*;
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn april_to_march() {
        assert_eq!(
            FinancialYear::containing(d(2026, 3, 31)).to_string(),
            "2025/26"
        );
        assert_eq!(
            FinancialYear::containing(d(2026, 4, 1)).to_string(),
            "2026/27"
        );
        assert_eq!(FinancialYear(2099).to_string(), "2099/00");
        assert_eq!(FinancialYear(2026).end(), d(2027, 3, 31));
    }

    #[test]
    fn parses_the_ways_people_write_it() {
        assert_eq!(
            FinancialYear::parse("2026/27").unwrap(),
            FinancialYear(2026)
        );
        assert_eq!(
            FinancialYear::parse("2026-2027").unwrap(),
            FinancialYear(2026)
        );
        assert_eq!(
            FinancialYear::parse("2099/00").unwrap(),
            FinancialYear(2099)
        );
        for bad in ["2026/28", "26/27", "2026", "abc/de"] {
            assert!(FinancialYear::parse(bad).is_err(), "{bad}");
        }
    }
}
