//! Contract terms as councils write them ("5+2+2", "2+1+1", "9m") and extension arithmetic.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

use crate::domain::dates;
use crate::error::{Error, Result};

/// A core period and optional extension periods, each in months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub core_months: u32,
    pub extension_months: Vec<u32>,
}

impl Term {
    /// "5+2+2" means five years plus two optional extensions of two years each. A part may
    /// carry a unit: "9m" months, "2y" years; without one it is years.
    pub fn parse(s: &str) -> Result<Term> {
        let raw = s.trim();
        let bad = |why: &str| {
            Err(Error::validation(
                "term",
                format!(
                    "“{raw}” is not a contract term: {why}; write it as councils do, for example 5+2+2, 2+1+1 or 9m"
                ),
            ))
        };
        if raw.is_empty() {
            return bad("it is empty");
        }
        let mut parts = Vec::new();
        for part in raw.split('+') {
            let p = part.trim().to_ascii_lowercase();
            let (num, mult) = if let Some(n) = p.strip_suffix('m') {
                (n.trim(), 1)
            } else if let Some(n) = p.strip_suffix('y') {
                (n.trim(), 12)
            } else {
                (p.as_str(), 12)
            };
            match num.parse::<u32>() {
                Ok(n) if n > 0 && n * mult <= 600 => parts.push(n * mult),
                Ok(_) => return bad("each period must be between 1 month and 50 years"),
                Err(_) => {
                    return bad(&format!(
                        "“{}” is not a whole number of years or months",
                        part.trim()
                    ));
                }
            }
        }
        Ok(Term {
            core_months: parts[0],
            extension_months: parts[1..].to_vec(),
        })
    }

    pub fn total_months(&self) -> u32 {
        self.core_months + self.extension_months.iter().sum::<u32>()
    }

    /// In words, as a decision paper puts it: "5 years, with options to extend by 2 years
    /// and a further 2 years (5+2+2): up to 9 years in all".
    pub fn describe(&self) -> String {
        let core = duration(self.core_months);
        if self.extension_months.is_empty() {
            return format!("{core}, with no option to extend");
        }
        let opts: Vec<String> = self
            .extension_months
            .iter()
            .enumerate()
            .map(|(i, &m)| {
                if i == 0 {
                    duration(m)
                } else {
                    format!("a further {}", duration(m))
                }
            })
            .collect();
        let joined = match opts.len() {
            1 => opts[0].clone(),
            n => format!("{} and {}", opts[..n - 1].join(", "), opts[n - 1]),
        };
        let which = if self.extension_months.len() == 1 {
            "an option"
        } else {
            "options"
        };
        format!(
            "{core}, with {which} to extend by {joined} ({self}): up to {} in all",
            duration(self.total_months())
        )
    }
}

/// "2 years", "9 months", "1 year and 6 months".
pub fn duration(months: u32) -> String {
    let (y, m) = (months / 12, months % 12);
    let plural = |n: u32, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (y, m) {
        (0, m) => plural(m, "month", "months"),
        (y, 0) => plural(y, "year", "years"),
        (y, m) => format!(
            "{} and {}",
            plural(y, "year", "years"),
            plural(m, "month", "months")
        ),
    }
}

fn part(months: u32) -> String {
    if months.is_multiple_of(12) {
        (months / 12).to_string()
    } else {
        format!("{months}m")
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all: Vec<String> = std::iter::once(self.core_months)
            .chain(self.extension_months.iter().copied())
            .map(part)
            .collect();
        f.write_str(&all.join("+"))
    }
}

impl Serialize for Term {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}
impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Term::parse(&String::deserialize(d)?).map_err(|e| serde::de::Error::custom(e.message))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OptionStatus {
    Available,
    Taken,
    Declined,
}

impl OptionStatus {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "available" => Ok(Self::Available),
            "taken" => Ok(Self::Taken),
            "declined" => Ok(Self::Declined),
            other => Err(Error::validation(
                "status",
                format!("“{other}” is not an option status; expected available, taken or declined"),
            )),
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Taken => "taken",
            Self::Declined => "declined",
        }
    }
}

/// Where a contract stands given its start, term and the status of each option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TermDates {
    pub core_end: NaiveDate,
    /// Each option's period: (start, end, status), in order.
    pub options: Vec<OptionPeriod>,
    /// End of the core term plus every option taken.
    pub current_end: NaiveDate,
    /// Current end plus the options still available after it (a declined option ends the chain).
    pub final_possible_end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OptionPeriod {
    pub number: u32,
    pub months: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status: OptionStatus,
}

/// Options are taken in order: once one is declined, no later one can be taken.
/// The contract's options after one changes status: the option must exist (numbered from 1)
/// and the result must still be a term that can run (options are taken in order).
pub fn change_option(
    reference: &str,
    start: NaiveDate,
    term: &Term,
    statuses: &[OptionStatus],
    option: u32,
    status: OptionStatus,
) -> Result<Vec<OptionStatus>> {
    let idx = (option as usize)
        .checked_sub(1)
        .filter(|i| *i < statuses.len())
        .ok_or_else(|| {
            crate::error::Error::validation(
                "option",
                format!(
                    "contract {reference} has {} extension option(s); there is no option {option}",
                    statuses.len()
                ),
            )
        })?;
    let mut out = statuses.to_vec();
    out[idx] = status;
    term_dates(start, term, &out)?;
    Ok(out)
}

pub fn term_dates(start: NaiveDate, term: &Term, statuses: &[OptionStatus]) -> Result<TermDates> {
    if statuses.len() != term.extension_months.len() {
        return Err(Error::validation(
            "optionStatuses",
            format!(
                "the term {term} has {} extension option(s) but {} status(es) were given",
                term.extension_months.len(),
                statuses.len()
            ),
        ));
    }
    let mut seen_not_taken = false;
    for (i, st) in statuses.iter().enumerate() {
        if *st == OptionStatus::Taken && seen_not_taken {
            return Err(Error::validation(
                "optionStatuses",
                format!(
                    "option {} cannot be taken: an earlier option was not taken",
                    i + 1
                ),
            ));
        }
        if *st != OptionStatus::Taken {
            seen_not_taken = true;
        }
    }
    let core_end = dates::period_end(start, term.core_months);
    let mut options = Vec::new();
    let mut cursor = core_end;
    let mut months_so_far = term.core_months;
    let mut current_end = core_end;
    let mut final_end = core_end;
    let mut chain_open = true;
    for (i, (&m, &st)) in term.extension_months.iter().zip(statuses).enumerate() {
        let opt_start = cursor.succ_opt().expect("date in range");
        months_so_far += m;
        let end = dates::period_end(start, months_so_far);
        options.push(OptionPeriod {
            number: i as u32 + 1,
            months: m,
            start: opt_start,
            end,
            status: st,
        });
        match st {
            OptionStatus::Taken => {
                current_end = end;
                final_end = end;
            }
            OptionStatus::Available if chain_open => final_end = end,
            _ => chain_open = false,
        }
        cursor = end;
    }
    Ok(TermDates {
        core_end,
        options,
        current_end,
        final_possible_end: final_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use OptionStatus::*;
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn describes_terms_in_words() {
        assert_eq!(
            Term::parse("5+2+2").unwrap().describe(),
            "5 years, with options to extend by 2 years and a further 2 years (5+2+2): up to 9 years in all"
        );
        assert_eq!(
            Term::parse("3+9m").unwrap().describe(),
            "3 years, with an option to extend by 9 months (3+9m): up to 3 years and 9 months in all"
        );
        assert_eq!(
            Term::parse("7").unwrap().describe(),
            "7 years, with no option to extend"
        );
    }

    #[test]
    fn parses_council_terms() {
        assert_eq!(
            Term::parse("5+2+2").unwrap(),
            Term {
                core_months: 60,
                extension_months: vec![24, 24]
            }
        );
        assert_eq!(Term::parse("2 + 1 + 1").unwrap().to_string(), "2+1+1");
        assert_eq!(Term::parse("9m").unwrap().core_months, 9);
        assert_eq!(Term::parse("7").unwrap().total_months(), 84);
        assert_eq!(Term::parse("3+6m").unwrap().to_string(), "3+6m");
        for bad in ["", "5+", "five", "0+1", "5+-2", "100"] {
            assert!(Term::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn five_plus_two_plus_two_from_april_2018() {
        let t = Term::parse("5+2+2").unwrap();
        let td = term_dates(d(2018, 4, 1), &t, &[Available, Available]).unwrap();
        assert_eq!(td.core_end, d(2023, 3, 31));
        assert_eq!(td.options[0].start, d(2023, 4, 1));
        assert_eq!(td.options[0].end, d(2025, 3, 31));
        assert_eq!(td.options[1].end, d(2027, 3, 31));
        assert_eq!(td.current_end, d(2023, 3, 31));
        assert_eq!(td.final_possible_end, d(2027, 3, 31));
    }

    #[test]
    fn taken_and_declined_options() {
        let t = Term::parse("2+1+1").unwrap();
        let td = term_dates(d(2020, 10, 1), &t, &[Taken, Declined]).unwrap();
        assert_eq!(td.current_end, d(2023, 9, 30));
        assert_eq!(td.final_possible_end, d(2023, 9, 30));
        assert!(term_dates(d(2020, 10, 1), &t, &[Declined, Taken]).is_err());
        assert!(term_dates(d(2020, 10, 1), &t, &[Taken]).is_err());
    }
}
