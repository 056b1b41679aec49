//! The incumbent's anonymised staff list: one row per person, what the council needs to see
//! who would transfer under TUPE and on what terms. Each field is parsed into a type that
//! cannot be wrong, and each error says what was expected.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use ts_rs::TS;

use crate::domain::dates;
use crate::domain::money::Money;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ContractType {
    Permanent,
    FixedTerm,
    Bank,
}

impl ContractType {
    pub const ALL: [ContractType; 3] = [Self::Permanent, Self::FixedTerm, Self::Bank];
    pub fn key(self) -> &'static str {
        match self {
            Self::Permanent => "permanent",
            Self::FixedTerm => "fixed-term",
            Self::Bank => "bank",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Permanent => "Permanent",
            Self::FixedTerm => "Fixed term",
            Self::Bank => "Bank",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match squash(s).as_str() {
            "permanent" => Ok(Self::Permanent),
            "fixedterm" | "fixed" => Ok(Self::FixedTerm),
            "bank" => Ok(Self::Bank),
            _ => Err(Error::validation(
                "contractType",
                format!(
                    "“{}” is not a contract type: expected permanent, fixed term or bank",
                    s.trim()
                ),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PensionScheme {
    /// Local Government Pension Scheme.
    Lgps,
    /// NHS Pension Scheme (former NHS staff keep access under New Fair Deal).
    NhsPensionScheme,
    /// Any other occupational or workplace scheme.
    Other,
    /// Not in a pension scheme.
    None,
}

impl PensionScheme {
    pub const ALL: [PensionScheme; 4] =
        [Self::Lgps, Self::NhsPensionScheme, Self::Other, Self::None];
    pub fn key(self) -> &'static str {
        match self {
            Self::Lgps => "lgps",
            Self::NhsPensionScheme => "nhs-pension-scheme",
            Self::Other => "other",
            Self::None => "none",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Lgps => "Local Government Pension Scheme",
            Self::NhsPensionScheme => "NHS Pension Scheme",
            Self::Other => "Other scheme",
            Self::None => "No pension scheme",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match squash(s).as_str() {
            "lgps" | "localgovernmentpensionscheme" => Ok(Self::Lgps),
            "nhs" | "nhsps" | "nhspension" | "nhspensionscheme" => Ok(Self::NhsPensionScheme),
            "other" => Ok(Self::Other),
            "none" | "no" => Ok(Self::None),
            _ => Err(Error::validation(
                "pensionScheme",
                format!(
                    "“{}” is not a pension scheme: expected LGPS, NHS Pension Scheme, other or none",
                    s.trim()
                ),
            )),
        }
    }
}

/// Lower case without spaces, hyphens or underscores: "Fixed-term" and "fixed term" alike.
fn squash(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// One person on the staff list, identified only by the incumbent's reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffMember {
    pub reference: String,
    pub role: String,
    /// Grade or pay point, as the incumbent writes it ("Band 4", "SCP 12").
    pub grade: String,
    /// Actual annual pay (pro rata for part-time staff).
    pub annual_pay: Money,
    /// Full-time equivalent, 0 to 1 with up to two decimal places; 0 for bank staff.
    #[ts(type = "string")]
    pub fte: Decimal,
    /// Contracted hours a week.
    #[ts(type = "string")]
    pub hours: Decimal,
    pub contract_type: ContractType,
    pub service_start: NaiveDate,
    pub pension: PensionScheme,
    pub location: String,
    /// Works wholly or mainly on the service: the people TUPE would transfer.
    pub assigned: bool,
}

/// The columns of a staff list, as the CSV header names them (case, spaces, hyphens and
/// underscores do not matter).
pub const COLUMNS: [&str; 11] = [
    "employee_reference",
    "role",
    "grade",
    "annual_pay",
    "fte",
    "hours",
    "contract_type",
    "continuous_service_start",
    "pension_scheme",
    "work_location",
    "wholly_or_mainly_assigned",
];

fn text(column: &str, what: &str, v: &str) -> Result<String> {
    let t = v.trim();
    if t.is_empty() {
        return Err(Error::validation(column, format!("{what} is missing")));
    }
    Ok(t.to_string())
}

fn decimal(column: &str, v: &str, max: Decimal, expected: &str) -> Result<Decimal> {
    let bad = || Error::validation(column, format!("“{}” is not {expected}", v.trim()));
    let d = Decimal::from_str(v.trim()).map_err(|_| bad())?;
    if d < Decimal::ZERO || d > max || d.scale() > 2 {
        return Err(bad());
    }
    Ok(d.normalize())
}

fn yes_no(column: &str, v: &str) -> Result<bool> {
    match squash(v).as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err(Error::validation(
            column,
            format!("“{}” is not yes or no", v.trim()),
        )),
    }
}

impl StaffMember {
    /// Parses one row, given as `(column, value)` in the order of `COLUMNS`. `today` bounds
    /// the service start date. The error's field is the column it is about.
    pub fn parse(cells: &[&str; 11], today: NaiveDate) -> Result<StaffMember> {
        let [
            reference,
            role,
            grade,
            pay,
            fte,
            hours,
            contract,
            start,
            pension,
            location,
            assigned,
        ] = *cells;
        let annual_pay = Money::parse(pay).map_err(|e| {
            Error::validation(
                COLUMNS[3],
                if e.message.contains("too large") {
                    e.message
                } else {
                    format!(
                        "“{}” is not an amount of money such as 24,500 or £24,500.00",
                        pay.trim()
                    )
                },
            )
        })?;
        if annual_pay.pence() < 0 {
            return Err(Error::validation(
                COLUMNS[3],
                "annual pay cannot be negative",
            ));
        }
        if annual_pay > MAX_ANNUAL_PAY {
            return Err(Error::validation(
                COLUMNS[3],
                format!(
                    "“{}” is more than anyone in a transferring service is paid (up to {} a year); check the figure",
                    pay.trim(),
                    MAX_ANNUAL_PAY.display()
                ),
            ));
        }
        let service_start =
            dates::parse(start).map_err(|e| Error::validation(COLUMNS[7], e.message))?;
        if service_start > today {
            return Err(Error::validation(
                COLUMNS[7],
                format!(
                    "continuous service cannot start in the future ({})",
                    dates::long(service_start)
                ),
            ));
        }
        let at = |c: usize, e: Error| Error::validation(COLUMNS[c], e.message);
        Ok(StaffMember {
            reference: text(COLUMNS[0], "the employee reference", reference)?,
            role: text(COLUMNS[1], "the role", role)?,
            grade: text(COLUMNS[2], "the grade or pay point", grade)?,
            annual_pay,
            fte: decimal(
                COLUMNS[4],
                fte,
                Decimal::ONE,
                "a full-time equivalent between 0 and 1 (e.g. 0.6)",
            )?,
            hours: decimal(
                COLUMNS[5],
                hours,
                Decimal::from(60),
                "contracted weekly hours between 0 and 60 (e.g. 22.5)",
            )?,
            contract_type: ContractType::parse(contract).map_err(|e| at(6, e))?,
            service_start,
            pension: PensionScheme::parse(pension).map_err(|e| at(8, e))?,
            location: text(COLUMNS[9], "the work location", location)?,
            assigned: yes_no(COLUMNS[10], assigned)?,
        })
    }
}

/// A pay figure above this is a slip (an extra nought, pence typed as pounds), not a salary.
pub const MAX_ANNUAL_PAY: Money = Money::from_pence(1_000_000_000);

/// Headcount, FTE and pay bill of a group of staff.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Group {
    pub headcount: u32,
    #[ts(type = "string")]
    pub fte: Decimal,
    pub pay_bill: Money,
}

impl Group {
    fn of<'a>(staff: impl Iterator<Item = &'a StaffMember>) -> Group {
        let mut g = Group {
            headcount: 0,
            fte: Decimal::ZERO,
            pay_bill: Money::from_pence(0),
        };
        for s in staff {
            g.headcount = g.headcount.saturating_add(1);
            g.fte += s.fte;
            // Each pay is at most £10m, so this cannot overflow for any file Lotwise reads;
            // saturating keeps a summary from ever panicking on a stored list.
            g.pay_bill = Money::from_pence(g.pay_bill.pence().saturating_add(s.annual_pay.pence()));
        }
        g.fte = g.fte.normalize();
        g
    }
}

/// A row of a mix table: how many of those assigned to the service, and of the others.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MixRow {
    pub key: String,
    pub label: String,
    pub assigned: u32,
    pub not_assigned: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffSummary {
    pub all: Group,
    /// Wholly or mainly assigned to the service: expected to transfer.
    pub assigned: Group,
    pub not_assigned: Group,
    /// Every scheme, including those with nobody in them, so a table reads the same each time.
    pub pensions: Vec<MixRow>,
    pub contracts: Vec<MixRow>,
}

impl StaffSummary {
    pub fn of(staff: &[StaffMember]) -> StaffSummary {
        let mix = |key: &str, label: &str, f: &dyn Fn(&StaffMember) -> bool| MixRow {
            key: key.into(),
            label: label.into(),
            assigned: staff.iter().filter(|s| s.assigned && f(s)).count() as u32,
            not_assigned: staff.iter().filter(|s| !s.assigned && f(s)).count() as u32,
        };
        StaffSummary {
            all: Group::of(staff.iter()),
            assigned: Group::of(staff.iter().filter(|s| s.assigned)),
            not_assigned: Group::of(staff.iter().filter(|s| !s.assigned)),
            pensions: PensionScheme::ALL
                .iter()
                .map(|p| mix(p.key(), p.label(), &|s| s.pension == *p))
                .collect(),
            contracts: ContractType::ALL
                .iter()
                .map(|c| mix(c.key(), c.label(), &|s| s.contract_type == *c))
                .collect(),
        }
    }

    /// How many of the staff expected to transfer are in a scheme.
    pub fn assigned_in(&self, p: PensionScheme) -> u32 {
        self.pensions
            .iter()
            .find(|r| r.key == p.key())
            .map(|r| r.assigned)
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffChange {
    pub reference: String,
    pub role: String,
    pub changes: Vec<FieldChange>,
}

/// What a newer staff list changes: who joined, who left, and whose details changed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffDiff {
    pub joined: Vec<StaffMember>,
    pub left: Vec<StaffMember>,
    pub changed: Vec<StaffChange>,
}

impl StaffDiff {
    pub fn is_empty(&self) -> bool {
        self.joined.is_empty() && self.left.is_empty() && self.changed.is_empty()
    }
}

/// Each field as it is shown, for comparing two versions of one person.
fn shown(s: &StaffMember) -> [(&'static str, String); 10] {
    [
        ("Role", s.role.clone()),
        ("Grade", s.grade.clone()),
        ("Annual pay", s.annual_pay.display()),
        ("FTE", s.fte.to_string()),
        ("Hours a week", s.hours.to_string()),
        ("Contract type", s.contract_type.label().into()),
        ("Continuous service start", dates::short(s.service_start)),
        ("Pension scheme", s.pension.label().into()),
        ("Work location", s.location.clone()),
        (
            "Wholly or mainly assigned",
            if s.assigned { "Yes" } else { "No" }.into(),
        ),
    ]
}

pub fn diff(older: &[StaffMember], newer: &[StaffMember]) -> StaffDiff {
    let old: BTreeMap<&str, &StaffMember> =
        older.iter().map(|s| (s.reference.as_str(), s)).collect();
    let new: BTreeMap<&str, &StaffMember> =
        newer.iter().map(|s| (s.reference.as_str(), s)).collect();
    let mut d = StaffDiff {
        joined: Vec::new(),
        left: Vec::new(),
        changed: Vec::new(),
    };
    for (r, n) in &new {
        match old.get(r) {
            None => d.joined.push((*n).clone()),
            Some(o) => {
                let changes: Vec<FieldChange> = shown(o)
                    .into_iter()
                    .zip(shown(n))
                    .filter(|((_, a), (_, b))| a != b)
                    .map(|((f, a), (_, b))| FieldChange {
                        field: f.into(),
                        before: a,
                        after: b,
                    })
                    .collect();
                if !changes.is_empty() {
                    d.changed.push(StaffChange {
                        reference: n.reference.clone(),
                        role: n.role.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for (r, o) in &old {
        if !new.contains_key(r) {
            d.left.push((*o).clone());
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    pub(crate) fn row<'a>(
        reference: &'a str,
        pay: &'a str,
        pension: &'a str,
        assigned: &'a str,
    ) -> [&'a str; 11] {
        [
            reference,
            "Health Trainer",
            "Band 4",
            pay,
            "0.6",
            "22.5",
            "permanent",
            "01/04/2012",
            pension,
            "Ashford",
            assigned,
        ]
    }

    #[test]
    fn parses_a_row() {
        let s = StaffMember::parse(
            &row("HT-01", "£14,100.50", "NHS Pension Scheme", "yes"),
            today(),
        )
        .unwrap();
        assert_eq!(s.annual_pay.pence(), 1_410_050);
        assert_eq!(s.fte.to_string(), "0.6");
        assert_eq!(s.pension, PensionScheme::NhsPensionScheme);
        assert!(s.assigned);
        assert_eq!(
            ContractType::parse("Fixed-term").unwrap(),
            ContractType::FixedTerm
        );
        assert_eq!(PensionScheme::parse("lgps").unwrap(), PensionScheme::Lgps);
    }

    #[test]
    fn each_error_names_its_column() {
        let cases: [([&str; 11], &str, &str); 7] = [
            (row("", "1", "none", "yes"), "employee_reference", "missing"),
            (
                row("A", "lots", "none", "yes"),
                "annual_pay",
                "not an amount",
            ),
            (row("A", "-5", "none", "yes"), "annual_pay", "negative"),
            (
                row("A", "1", "stakeholder", "yes"),
                "pension_scheme",
                "expected LGPS",
            ),
            (
                row("A", "1", "none", "mostly"),
                "wholly_or_mainly_assigned",
                "yes or no",
            ),
            (
                {
                    let mut r = row("A", "1", "none", "yes");
                    r[4] = "1.2";
                    r
                },
                "fte",
                "between 0 and 1",
            ),
            (
                {
                    let mut r = row("A", "1", "none", "yes");
                    r[7] = "01/01/2027";
                    r
                },
                "continuous_service_start",
                "future",
            ),
        ];
        for (cells, field, words) in cases {
            let e = StaffMember::parse(&cells, today()).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
            assert!(e.message.contains(words), "{}", e.message);
        }
    }

    #[test]
    fn summary_and_diff() {
        let a = StaffMember::parse(&row("A", "10,000", "nhs", "yes"), today()).unwrap();
        let b = StaffMember::parse(&row("B", "20,000", "lgps", "no"), today()).unwrap();
        let c = StaffMember::parse(&row("C", "5,000.50", "none", "yes"), today()).unwrap();
        let s = StaffSummary::of(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(s.all.headcount, 3);
        assert_eq!(s.all.fte.to_string(), "1.8");
        assert_eq!(s.assigned.pay_bill.pence(), 1_500_050);
        assert_eq!(s.not_assigned.headcount, 1);
        assert_eq!(s.assigned_in(PensionScheme::NhsPensionScheme), 1);
        assert_eq!(s.assigned_in(PensionScheme::Lgps), 0);
        assert_eq!(s.pensions.len(), 4);

        let mut a2 = a.clone();
        a2.annual_pay = Money::from_pounds(10_500);
        let d = diff(&[a, b], &[a2, c]);
        assert_eq!(
            d.joined
                .iter()
                .map(|s| s.reference.as_str())
                .collect::<Vec<_>>(),
            ["C"]
        );
        assert_eq!(
            d.left
                .iter()
                .map(|s| s.reference.as_str())
                .collect::<Vec<_>>(),
            ["B"]
        );
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].changes[0].field, "Annual pay");
        assert_eq!(d.changed[0].changes[0].before, "£10,000");
        assert_eq!(d.changed[0].changes[0].after, "£10,500");
    }
}
