//! Dates as people in UK councils write them, and the calendar arithmetic terms need.
use crate::error::{Error, Result};
use chrono::{Datelike, Months, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `24 November 2026`
pub fn long(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// `24/11/2026`
pub fn short(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Accepts ISO `2026-11-24` and en-GB `24/11/2026`; never the US order.
pub fn parse(input: &str) -> Result<NaiveDate> {
    let s = input.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| {
            Error::validation(
                "",
                format!("“{s}” is not a date: use 24/11/2026 or 2026-11-24"),
            )
        })
}

/// The last day of a period of `months` starting on `start`: 1 April 2018 + 60 months
/// ends on 31 March 2023.
pub fn period_end(start: NaiveDate, months: u32) -> NaiveDate {
    // Count from the first of the month so a term starting on 29 February runs to
    // 28 February, not to the 27th as clamping the anniversary would give.
    let first = start.with_day(1).expect("day 1 exists");
    let anniversary = add_months(first, months) + chrono::Days::new(u64::from(start.day() - 1));
    anniversary.pred_opt().expect("date within chrono's range")
}

pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months))
        .expect("date within chrono's range")
}

pub fn sub_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(months))
        .expect("date within chrono's range")
}

#[cfg(test)]
mod tests {
    use super::*;
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats_en_gb() {
        assert_eq!(long(d(2026, 11, 24)), "24 November 2026");
        assert_eq!(short(d(2026, 11, 4)), "04/11/2026");
    }

    #[test]
    fn parses_iso_and_en_gb_only() {
        assert_eq!(parse("2026-11-24").unwrap(), d(2026, 11, 24));
        assert_eq!(parse("24/11/2026").unwrap(), d(2026, 11, 24));
        assert!(parse("11/24/2026").is_err());
        assert!(parse("31/02/2026").is_err());
    }

    #[test]
    fn period_ends_the_day_before_the_anniversary() {
        assert_eq!(period_end(d(2018, 4, 1), 60), d(2023, 3, 31));
        assert_eq!(period_end(d(2024, 2, 29), 12), d(2025, 2, 28));
        assert_eq!(period_end(d(2023, 10, 1), 84), d(2030, 9, 30));
    }
}
