//! UK bank holidays by nation, and working-day arithmetic for every deadline in the app.
//! Holidays come from each nation's rules (Easter, fixed days with substitute days when they
//! fall at a weekend) plus one-off and moved holidays held as data with their source.
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

use crate::error::{Error, Result};

/// The first year the rules are held for; earlier deadlines are not calculated.
pub const FIRST_YEAR: i32 = 2018;
pub const LAST_YEAR: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Nation {
    EnglandWales,
    Scotland,
    NorthernIreland,
    /// A bank holiday in any part of the UK (what the Procurement Act 2023 s123 excludes).
    UkAny,
}

impl Nation {
    pub const PARTS: [Nation; 3] = [
        Nation::EnglandWales,
        Nation::Scotland,
        Nation::NorthernIreland,
    ];
    pub fn parse(s: &str) -> Result<Nation> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "england-wales" | "england-and-wales" | "england" | "wales" => Ok(Nation::EnglandWales),
            "scotland" => Ok(Nation::Scotland),
            "northern-ireland" => Ok(Nation::NorthernIreland),
            "uk-any" | "uk" => Ok(Nation::UkAny),
            other => Err(Error::validation(
                "nation",
                format!(
                    "“{other}” is not a nation; expected england-wales, scotland, northern-ireland or uk-any"
                ),
            )),
        }
    }
    /// As written in files and on the command line (and accepted by `parse`).
    pub fn key(self) -> &'static str {
        match self {
            Nation::EnglandWales => "england-wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern-ireland",
            Nation::UkAny => "uk-any",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Nation::EnglandWales => "England and Wales",
            Nation::Scotland => "Scotland",
            Nation::NorthernIreland => "Northern Ireland",
            Nation::UkAny => "any part of the UK",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    pub nations: Vec<Nation>,
    /// "rule" for a holiday computed from the nation's rules; otherwise where it comes from
    /// (the proclamation or announcement).
    pub source: String,
}

/// One-off holidays and moved holidays, with their source. A government announcement is
/// added here (or to a workspace as an extra holiday) when it is made.
struct Special {
    date: (i32, u32, u32),
    name: &'static str,
    nations: &'static [Nation],
    /// The rule-based holiday it replaces, if it is a move.
    replaces: Option<(i32, u32, u32)>,
    source: &'static str,
}

const ALL: &[Nation] = &[
    Nation::EnglandWales,
    Nation::Scotland,
    Nation::NorthernIreland,
];

const SPECIALS: &[Special] = &[
    Special {
        date: (2020, 5, 8),
        name: "Early May bank holiday (VE Day)",
        nations: ALL,
        replaces: Some((2020, 5, 4)),
        source: "The Banking and Financial Dealings Act 1971 proclamation of 10 June 2019 (moved for the 75th anniversary of VE Day)",
    },
    Special {
        date: (2022, 6, 2),
        name: "Spring bank holiday",
        nations: ALL,
        replaces: Some((2022, 5, 30)),
        source: "Proclamation of 2021 moving the spring bank holiday for the Platinum Jubilee",
    },
    Special {
        date: (2022, 6, 3),
        name: "Platinum Jubilee bank holiday",
        nations: ALL,
        replaces: None,
        source: "Proclamation of 2021 for the Platinum Jubilee of Queen Elizabeth II",
    },
    Special {
        date: (2022, 9, 19),
        name: "Bank holiday for the State Funeral of Queen Elizabeth II",
        nations: ALL,
        replaces: None,
        source: "Proclamation of 12 September 2022",
    },
    Special {
        date: (2023, 5, 8),
        name: "Bank holiday for the coronation of King Charles III",
        nations: ALL,
        replaces: None,
        source: "Proclamation of 2022 for the coronation of King Charles III",
    },
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

fn first_monday(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(y, m, Weekday::Mon, 1).expect("a Monday")
}

fn last_monday(y: i32, m: u32) -> NaiveDate {
    let next = if m == 12 {
        ymd(y + 1, 1, 1)
    } else {
        ymd(y, m + 1, 1)
    };
    let mut d = next.pred_opt().expect("in range");
    while d.weekday() != Weekday::Mon {
        d = d.pred_opt().expect("in range");
    }
    d
}

/// One nation's rule-based holidays for a year, with substitute days: a holiday at a weekend
/// moves to the next weekday that is not already a holiday, in the order given.
fn rules(y: i32, nation: Nation) -> Vec<(NaiveDate, String)> {
    let mut fixed: Vec<(NaiveDate, &str, bool)> = Vec::new(); // (date, name, substitutable)
    let e = easter(y);
    fixed.push((ymd(y, 1, 1), "New Year’s Day", true));
    if nation == Nation::Scotland {
        fixed.push((ymd(y, 1, 2), "2nd January", true));
    }
    if nation == Nation::NorthernIreland {
        fixed.push((ymd(y, 3, 17), "St Patrick’s Day", true));
    }
    fixed.push((e - Days::new(2), "Good Friday", false));
    if nation != Nation::Scotland {
        fixed.push((e + Days::new(1), "Easter Monday", false));
    }
    fixed.push((first_monday(y, 5), "Early May bank holiday", false));
    fixed.push((last_monday(y, 5), "Spring bank holiday", false));
    if nation == Nation::NorthernIreland {
        fixed.push((ymd(y, 7, 12), "Battle of the Boyne (Orangemen’s Day)", true));
    }
    if nation == Nation::Scotland {
        fixed.push((first_monday(y, 8), "Summer bank holiday", false));
    } else {
        fixed.push((last_monday(y, 8), "Summer bank holiday", false));
    }
    if nation == Nation::Scotland {
        fixed.push((ymd(y, 11, 30), "St Andrew’s Day", true));
    }
    fixed.push((ymd(y, 12, 25), "Christmas Day", true));
    fixed.push((ymd(y, 12, 26), "Boxing Day", true));

    let mut taken: Vec<NaiveDate> = fixed
        .iter()
        .filter(|(d, _, _)| !weekend(*d))
        .map(|(d, _, _)| *d)
        .collect();
    let mut out = Vec::new();
    for (d, name, sub) in fixed {
        if !weekend(d) || !sub {
            out.push((d, name.to_string()));
            continue;
        }
        let mut s = d;
        while weekend(s) || taken.contains(&s) {
            s = s.succ_opt().expect("in range");
        }
        taken.push(s);
        out.push((s, format!("{name} (substitute day)")));
    }
    out
}

/// The bank holidays of a year in a nation (or in any part of the UK), by date.
pub fn holidays(year: i32, nation: Nation) -> Result<Vec<Holiday>> {
    holidays_with(year, nation, &[])
}

/// As `holidays`, with extra holidays announced after this release (held in the workspace).
pub fn holidays_with(year: i32, nation: Nation, extra: &[Holiday]) -> Result<Vec<Holiday>> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(Error::validation(
            "year",
            format!("bank holidays are held for {FIRST_YEAR} to {LAST_YEAR}, not {year}"),
        ));
    }
    let parts: Vec<Nation> = match nation {
        Nation::UkAny => Nation::PARTS.to_vec(),
        n => vec![n],
    };
    let mut by_date: BTreeMap<NaiveDate, Holiday> = BTreeMap::new();
    for part in &parts {
        for (date, name) in rules(year, *part) {
            let replaced = SPECIALS.iter().any(|s| {
                s.replaces.map(|(y, m, d)| ymd(y, m, d)) == Some(date) && s.nations.contains(part)
            });
            if replaced {
                continue;
            }
            add(&mut by_date, date, &name, *part, "rule");
        }
        for s in SPECIALS
            .iter()
            .filter(|s| s.date.0 == year && s.nations.contains(part))
        {
            add(
                &mut by_date,
                ymd(s.date.0, s.date.1, s.date.2),
                s.name,
                *part,
                s.source,
            );
        }
        for h in extra
            .iter()
            .filter(|h| h.date.year() == year && h.nations.contains(part))
        {
            add(&mut by_date, h.date, &h.name, *part, &h.source);
        }
    }
    Ok(by_date.into_values().collect())
}

fn add(
    map: &mut BTreeMap<NaiveDate, Holiday>,
    date: NaiveDate,
    name: &str,
    n: Nation,
    source: &str,
) {
    let h = map.entry(date).or_insert_with(|| Holiday {
        date,
        name: name.to_string(),
        nations: Vec::new(),
        source: source.to_string(),
    });
    if !h.nations.contains(&n) {
        h.nations.push(n);
        h.nations.sort();
    }
    if !h.name.split(" / ").any(|x| x == name) {
        h.name = format!("{} / {name}", h.name);
    }
}

/// Which days count as working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkingDays {
    /// Not a weekend or a bank holiday in this nation.
    In(Nation),
    /// Procurement Act 2023 s123: not a Saturday, Sunday, Christmas Day, Good Friday or a bank
    /// holiday in any part of the United Kingdom.
    ProcurementAct,
    /// Provider Selection Regime (SI 2023/1348 reg 12(12)): not a Saturday, Sunday, Christmas
    /// Day, Good Friday, the first Monday in May or a bank holiday in England. The first
    /// Monday in May counts even in a year its bank holiday was moved (8 May in 2020).
    Psr,
}

/// A day that did not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Skipped {
    pub date: NaiveDate,
    pub reason: String,
}

pub struct Calendar {
    rule: WorkingDays,
    extra: Vec<Holiday>,
    cache: BTreeMap<i32, Vec<Holiday>>,
}

impl Calendar {
    pub fn new(rule: WorkingDays, extra: Vec<Holiday>) -> Calendar {
        Calendar {
            rule,
            extra,
            cache: BTreeMap::new(),
        }
    }

    /// Why `d` is not a working day, or None if it is one.
    pub fn not_working(&mut self, d: NaiveDate) -> Result<Option<String>> {
        match d.weekday() {
            Weekday::Sat => return Ok(Some("Saturday".into())),
            Weekday::Sun => return Ok(Some("Sunday".into())),
            _ => {}
        }
        let nation = match self.rule {
            WorkingDays::In(n) => n,
            WorkingDays::ProcurementAct => Nation::UkAny,
            WorkingDays::Psr => {
                let named = if d.month() == 12 && d.day() == 25 {
                    Some("Christmas Day")
                } else if d == easter(d.year()) - Days::new(2) {
                    Some("Good Friday")
                } else if d == first_monday(d.year(), 5) {
                    Some("the first Monday in May")
                } else {
                    None
                };
                if let Some(n) = named {
                    return Ok(Some(format!(
                        "{n} (a public holiday, SI 2023/1348 reg 12(12))"
                    )));
                }
                Nation::EnglandWales
            }
        };
        if !self.cache.contains_key(&d.year()) {
            let h = holidays_with(d.year(), nation, &self.extra)?;
            self.cache.insert(d.year(), h);
        }
        let found = self.cache[&d.year()].iter().find(|h| h.date == d);
        let psr = self.rule == WorkingDays::Psr;
        Ok(found.map(|h| {
            if psr {
                return format!(
                    "{} (a bank holiday in England, SI 2023/1348 reg 12(12))",
                    h.name
                );
            }
            let parts: Vec<&str> = h.nations.iter().map(|n| n.label()).collect();
            format!("{} (bank holiday in {})", h.name, parts.join(", "))
        }))
    }

    /// The `n`th working day counting `from` as day 1 when it is a working day (n ≥ 1),
    /// with every day skipped on the way and why.
    pub fn nth_working_day_from(
        &mut self,
        from: NaiveDate,
        n: u32,
    ) -> Result<(NaiveDate, Vec<Skipped>)> {
        if n == 0 {
            return Err(Error::validation("add", "count at least one working day"));
        }
        let mut skipped = Vec::new();
        let mut d = from;
        let mut counted = 0;
        loop {
            match self.not_working(d)? {
                Some(reason) => skipped.push(Skipped { date: d, reason }),
                None => {
                    counted += 1;
                    if counted == n {
                        return Ok((d, skipped));
                    }
                }
            }
            d = d
                .succ_opt()
                .ok_or_else(|| Error::validation("from", "the date is out of range"))?;
        }
    }

    /// `n` working days after `from` (from itself not counted): the usual "add N working days".
    pub fn add_working_days(
        &mut self,
        from: NaiveDate,
        n: u32,
    ) -> Result<(NaiveDate, Vec<Skipped>)> {
        let next = from
            .succ_opt()
            .ok_or_else(|| Error::validation("from", "the date is out of range"))?;
        self.nth_working_day_from(next, n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum StandstillRegime {
    /// Procurement Act 2023 s51: 8 working days beginning with the day the contract award
    /// notice is published.
    Pa2023,
    /// Provider Selection Regime (SI 2023/1348 reg 12): begins on the day after the notice of
    /// intention is published and, with no representations, ends at midnight at the end of the
    /// 8th working day after that day.
    Psr,
}

impl StandstillRegime {
    pub fn parse(s: &str) -> Result<StandstillRegime> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pa2023" | "pa-2023" | "procurement-act" => Ok(Self::Pa2023),
            "psr" => Ok(Self::Psr),
            other => Err(Error::validation(
                "regime",
                format!("“{other}” is not a standstill regime; expected pa2023 or psr"),
            )),
        }
    }
}

pub const STANDSTILL_WORKING_DAYS: u32 = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Standstill {
    pub regime: StandstillRegime,
    pub published: NaiveDate,
    pub working_days: u32,
    /// The day the standstill begins: the day of publication under the Act (or the first
    /// working day after it), the day after publication under the PSR (whatever day it is).
    pub first_day: NaiveDate,
    /// It ends at midnight at the end of this day.
    pub last_day: NaiveDate,
    /// The contract may be entered into from this day, once the standstill has ended.
    pub contract_may_be_entered_from: NaiveDate,
    pub skipped: Vec<Skipped>,
    /// The rule applied, in words.
    pub rule: String,
}

pub fn standstill(
    regime: StandstillRegime,
    published: NaiveDate,
    extra: &[Holiday],
) -> Result<Standstill> {
    let (first, last, skipped, rule) = match regime {
        StandstillRegime::Pa2023 => {
            let mut cal = Calendar::new(WorkingDays::ProcurementAct, extra.to_vec());
            let (last, skipped) = cal.nth_working_day_from(published, STANDSTILL_WORKING_DAYS)?;
            // Day 1 is the first day of the walk that was not skipped.
            let mut first = published;
            while skipped.iter().any(|k| k.date == first) {
                first = first.succ_opt().expect("before the last day");
            }
            (
                first,
                last,
                skipped,
                "Procurement Act 2023 s51(2): 8 working days beginning with the day the contract award notice is published (day 1 is that day when it is a working day). Working days exclude Saturdays, Sundays, Christmas Day, Good Friday and bank holidays in any part of the United Kingdom (s123).",
            )
        }
        StandstillRegime::Psr => {
            // reg 12(2): it begins on the day after publication (S), whatever day that is;
            // reg 12(9): it ends at midnight at the end of the 8th working day *after* S, so
            // S itself is never counted.
            let s = published
                .succ_opt()
                .ok_or_else(|| Error::validation("published", "the date is out of range"))?;
            let mut cal = Calendar::new(WorkingDays::Psr, extra.to_vec());
            let (last, skipped) = cal.add_working_days(s, STANDSTILL_WORKING_DAYS)?;
            (
                s,
                last,
                skipped,
                "Provider Selection Regime (SI 2023/1348 reg 12): the standstill begins on the day after the notice of intention is published (reg 12(2)) and, with no representations, ends at midnight at the end of the 8th working day after that day (reg 12(9)). Working days exclude Saturdays, Sundays, Christmas Day, Good Friday, the first Monday in May and bank holidays in England (reg 12(12)).",
            )
        }
    };
    Ok(Standstill {
        regime,
        published,
        working_days: STANDSTILL_WORKING_DAYS,
        first_day: first,
        last_day: last,
        contract_may_be_entered_from: last.succ_opt().expect("in range"),
        skipped,
        rule: rule.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        ymd(y, m, day)
    }
    fn dates(y: i32, n: Nation) -> Vec<NaiveDate> {
        holidays(y, n)
            .unwrap()
            .into_iter()
            .map(|h| h.date)
            .collect()
    }

    #[test]
    fn easter_matches_the_published_dates() {
        for (y, m, day) in [
            (2018, 4, 1),
            (2019, 4, 21),
            (2020, 4, 12),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
        ] {
            assert_eq!(easter(y), d(y, m, day), "{y}");
        }
    }

    #[test]
    fn england_and_wales_2026_as_gov_uk_lists_it() {
        assert_eq!(
            dates(2026, Nation::EnglandWales),
            vec![
                d(2026, 1, 1),
                d(2026, 4, 3),
                d(2026, 4, 6),
                d(2026, 5, 4),
                d(2026, 5, 25),
                d(2026, 8, 31),
                d(2026, 12, 25),
                d(2026, 12, 28)
            ]
        );
    }

    #[test]
    fn substitute_days_and_one_offs() {
        // 2022: Christmas on a Sunday, Boxing Day Monday, substitute Tuesday 27th; the
        // jubilee moved the spring bank holiday and the Queen's funeral added a day.
        let ew = dates(2022, Nation::EnglandWales);
        for x in [
            d(2022, 1, 3),
            d(2022, 6, 2),
            d(2022, 6, 3),
            d(2022, 9, 19),
            d(2022, 12, 26),
            d(2022, 12, 27),
        ] {
            assert!(ew.contains(&x), "{x}");
        }
        assert!(!ew.contains(&d(2022, 5, 30)));
        // Scotland 2022: New Year's Day Saturday -> Monday 3rd, 2nd January Sunday -> Tuesday 4th.
        let sc = dates(2022, Nation::Scotland);
        assert!(sc.contains(&d(2022, 1, 3)) && sc.contains(&d(2022, 1, 4)));
        assert!(sc.contains(&d(2022, 8, 1)) && !sc.contains(&d(2022, 8, 29)));
        assert!(sc.contains(&d(2022, 11, 30)) && !sc.contains(&d(2022, 4, 18)));
        // Scotland 2019: St Andrew's Day on a Saturday -> Monday 2 December.
        assert!(dates(2019, Nation::Scotland).contains(&d(2019, 12, 2)));
        // Northern Ireland 2020: the Boyne on a Sunday -> Monday 13 July; VE Day moved May.
        let ni = dates(2020, Nation::NorthernIreland);
        assert!(ni.contains(&d(2020, 7, 13)) && ni.contains(&d(2020, 3, 17)));
        assert!(ni.contains(&d(2020, 5, 8)) && !ni.contains(&d(2020, 5, 4)));
        assert!(dates(2023, Nation::UkAny).contains(&d(2023, 5, 8)));
    }

    #[test]
    fn procurement_act_standstill_skips_any_uk_bank_holiday() {
        // Published Tuesday 24 November 2026: St Andrew's Day (Scotland) is Monday 30 November,
        // so an English council's standstill runs to Friday 4 December, not Thursday 3rd.
        let s = standstill(StandstillRegime::Pa2023, d(2026, 11, 24), &[]).unwrap();
        assert_eq!(s.first_day, d(2026, 11, 24));
        assert_eq!(s.last_day, d(2026, 12, 4));
        assert_eq!(s.contract_may_be_entered_from, d(2026, 12, 5));
        assert!(
            s.skipped
                .iter()
                .any(|k| k.date == d(2026, 11, 30) && k.reason.contains("Scotland"))
        );
        // Published on a Saturday: day 1 is the Monday.
        let s = standstill(StandstillRegime::Pa2023, d(2026, 11, 28), &[]).unwrap();
        assert_eq!(s.first_day, d(2026, 12, 1));
    }

    #[test]
    fn procurement_act_standstill_around_the_holidays_of_each_nation() {
        // (published, last day of standstill, a day skipped and why)
        let cases = [
            // Christmas: 25th, Boxing Day moved to Monday 28th, New Year's Day, and
            // Scotland's 2 January moved to Monday 4 January 2027.
            (d(2026, 12, 22), d(2027, 1, 6), d(2027, 1, 4), "Scotland"),
            // Easter 2027: Good Friday 26 March and Easter Monday 29 March.
            (
                d(2027, 3, 24),
                d(2027, 4, 6),
                d(2027, 3, 29),
                "Easter Monday",
            ),
            // The late-May bank holiday: Monday 31 May 2027.
            (
                d(2027, 5, 24),
                d(2027, 6, 3),
                d(2027, 5, 31),
                "Spring bank holiday",
            ),
            // St Patrick's Day (Northern Ireland), Wednesday 17 March 2027.
            (
                d(2027, 3, 15),
                d(2027, 3, 25),
                d(2027, 3, 17),
                "Northern Ireland",
            ),
            // Battle of the Boyne (Northern Ireland), Monday 12 July 2027.
            (
                d(2027, 7, 8),
                d(2027, 7, 20),
                d(2027, 7, 12),
                "Northern Ireland",
            ),
            // Scotland's summer bank holiday, Monday 2 August 2027.
            (d(2027, 7, 29), d(2027, 8, 10), d(2027, 8, 2), "Scotland"),
        ];
        for (published, last, skipped, why) in cases {
            let s = standstill(StandstillRegime::Pa2023, published, &[]).unwrap();
            assert_eq!(s.last_day, last, "published {published}");
            let k = s
                .skipped
                .iter()
                .find(|k| k.date == skipped)
                .unwrap_or_else(|| {
                    panic!("{skipped} not skipped for {published}: {:?}", s.skipped)
                });
            assert!(k.reason.contains(why), "{}: {}", skipped, k.reason);
        }
    }

    fn psr(published: NaiveDate) -> Standstill {
        standstill(StandstillRegime::Psr, published, &[]).unwrap()
    }

    #[test]
    fn psr_standstill_ends_on_the_8th_working_day_after_the_day_after() {
        // A notice on Monday 1 February 2027: S is Tuesday 2nd; the period ends at midnight
        // on Friday 12th, not Thursday 11th (reg 12(2), (9)).
        let s = psr(d(2027, 2, 1));
        assert_eq!(s.first_day, d(2027, 2, 2));
        assert_eq!(s.last_day, d(2027, 2, 12));
        assert_eq!(s.contract_may_be_entered_from, d(2027, 2, 13));
        assert!(s.rule.contains("reg 12(9)"), "{}", s.rule);
    }

    #[test]
    fn psr_standstill_for_a_notice_on_each_day_of_the_week() {
        // The week of 1 February 2027 has no holiday; each end is the 8th working day after
        // the day after publication.
        let expected = [
            (d(2027, 2, 1), d(2027, 2, 12)), // Monday: S Tue; ends Fri 12
            (d(2027, 2, 2), d(2027, 2, 15)), // Tuesday: S Wed; ends Mon 15
            (d(2027, 2, 3), d(2027, 2, 16)), // Wednesday
            (d(2027, 2, 4), d(2027, 2, 17)), // Thursday
            (d(2027, 2, 5), d(2027, 2, 17)), // Friday: S Sat; 8th working day after is Wed 17
            (d(2027, 2, 6), d(2027, 2, 17)), // Saturday: S Sun
            (d(2027, 2, 7), d(2027, 2, 18)), // Sunday: S Mon (not counted); ends Thu 18
        ];
        for (published, end) in expected {
            let s = psr(published);
            assert_eq!(s.first_day, published.succ_opt().unwrap());
            assert_eq!(
                s.last_day,
                end,
                "published {published} ({})",
                published.weekday()
            );
        }
    }

    #[test]
    fn psr_standstill_over_christmas_easter_and_the_first_monday_in_may() {
        // Tuesday 22 December 2026: S Wed 23; skips Fri 25, Mon 28 (Boxing Day substitute),
        // Fri 1 January; working days 24, 29, 30, 31, 4, 5, 6, 7: ends Thursday 7 January.
        let s = psr(d(2026, 12, 22));
        assert_eq!(s.last_day, d(2027, 1, 7));
        assert!(
            s.skipped
                .iter()
                .any(|k| k.date == d(2026, 12, 25) && k.reason.contains("Christmas Day"))
        );
        // Easter 2027 is 28 March: Good Friday 26th and Easter Monday 29th are skipped.
        // Published Tuesday 23 March: S Wed 24; 25, 30, 31, 1, 2, 5, 6, 7: ends Wed 7 April.
        let s = psr(d(2027, 3, 23));
        assert_eq!(s.last_day, d(2027, 4, 7));
        assert!(
            s.skipped
                .iter()
                .any(|k| k.date == d(2027, 3, 26) && k.reason.contains("Good Friday"))
        );
        // 2020: the early May bank holiday moved to Friday 8 May, yet Monday 4 May is still
        // not a working day for the PSR (the first Monday in May), and 8 May is not either.
        let mut cal = Calendar::new(WorkingDays::Psr, vec![]);
        assert!(
            cal.not_working(d(2020, 5, 4))
                .unwrap()
                .unwrap()
                .contains("first Monday in May")
        );
        assert!(cal.not_working(d(2020, 5, 8)).unwrap().is_some());
        // Published Thursday 30 April 2020: S Fri 1 May; skips 4 and 8 May; working days 5,
        // 6, 7, 11, 12, 13, 14, 15: ends Friday 15 May.
        assert_eq!(psr(d(2020, 4, 30)).last_day, d(2020, 5, 15));
        // A Scottish holiday is a working day for the PSR: St Andrew's Day, Monday 30 November 2026.
        assert!(cal.not_working(d(2026, 11, 30)).unwrap().is_none());
    }

    #[test]
    fn an_announced_holiday_can_be_added() {
        let extra = vec![Holiday {
            date: d(2027, 6, 7),
            name: "Bank holiday (announced)".into(),
            nations: vec![Nation::EnglandWales],
            source: "Announcement".into(),
        }];
        let mut c = Calendar::new(WorkingDays::In(Nation::EnglandWales), extra);
        assert!(c.not_working(d(2027, 6, 7)).unwrap().is_some());
        let (end, skipped) = c.add_working_days(d(2027, 6, 4), 1).unwrap();
        assert_eq!(end, d(2027, 6, 8));
        assert_eq!(skipped.len(), 3);
    }
}
