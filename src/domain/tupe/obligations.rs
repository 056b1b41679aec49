//! What the council, the outgoing provider and the incoming provider must do around a TUPE
//! transfer, and by when. Due dates count calendar days from the transfer date T, as the
//! regulations do; a weekend or bank holiday does not move them, and the checklist says so.
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::staff::{PensionScheme, StaffSummary};

/// What applicability needs from a staff list: how many people are expected to transfer,
/// and how many of them are in each pension scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StaffCounts {
    pub assigned: u32,
    pub lgps: u32,
    pub nhs: u32,
    pub other: u32,
}

impl StaffCounts {
    pub fn of(s: &StaffSummary) -> StaffCounts {
        StaffCounts {
            assigned: s.assigned.headcount,
            lgps: s.assigned_in(PensionScheme::Lgps),
            nhs: s.assigned_in(PensionScheme::NhsPensionScheme),
            other: s.assigned_in(PensionScheme::Other),
        }
    }
    fn in_scheme(&self, p: PensionScheme) -> u32 {
        match p {
            PensionScheme::Lgps => self.lgps,
            PensionScheme::NhsPensionScheme => self.nhs,
            PensionScheme::Other => self.other,
            PensionScheme::None => 0,
        }
    }
}
use crate::domain::calendar::Calendar;
use crate::domain::dates;
use crate::error::{Error, Result};

/// The council's assessment of whether TUPE reg 3(1)(b) applies: an organised grouping of
/// employees whose principal purpose is the service, and activities fundamentally the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum SpcAssessment {
    NotAssessed,
    Applies,
    DoesNotApply,
}

impl SpcAssessment {
    pub fn key(self) -> &'static str {
        match self {
            Self::NotAssessed => "not-assessed",
            Self::Applies => "applies",
            Self::DoesNotApply => "does-not-apply",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::NotAssessed => "Not yet assessed",
            Self::Applies => "A service provision change applies",
            Self::DoesNotApply => "No service provision change",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-")
            .as_str()
        {
            "not-assessed" | "" => Ok(Self::NotAssessed),
            "applies" | "yes" => Ok(Self::Applies),
            "does-not-apply" | "no" => Ok(Self::DoesNotApply),
            other => Err(Error::validation(
                "assessment",
                format!(
                    "“{other}” is not an assessment: expected not-assessed, applies or does-not-apply"
                ),
            )),
        }
    }
}

/// The lot's transfer as the officer records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TupePlan {
    /// T: the day the staff transfer to the incoming provider.
    pub transfer_date: NaiveDate,
    /// The current employer.
    pub outgoing: String,
    /// The new employer; empty until the award is known.
    pub incoming: String,
    pub assessment: SpcAssessment,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Owner {
    Council,
    OutgoingProvider,
    IncomingProvider,
    /// Each employer in turn: the outgoing provider before T, the incoming one after.
    BothProviders,
}

impl Owner {
    pub fn label(self) -> &'static str {
        match self {
            Owner::Council => "Council",
            Owner::OutgoingProvider => "Outgoing provider",
            Owner::IncomingProvider => "Incoming provider",
            Owner::BothProviders => "Outgoing and incoming providers",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ObligationStatus {
    ToDo,
    InProgress,
    Done,
}

impl ObligationStatus {
    pub fn key(self) -> &'static str {
        match self {
            Self::ToDo => "to-do",
            Self::InProgress => "in-progress",
            Self::Done => "done",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::ToDo => "To do",
            Self::InProgress => "In progress",
            Self::Done => "Done",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-")
            .as_str()
        {
            "to-do" | "todo" => Ok(Self::ToDo),
            "in-progress" => Ok(Self::InProgress),
            "done" => Ok(Self::Done),
            other => Err(Error::validation(
                "status",
                format!("“{other}” is not a status: expected to-do, in-progress or done"),
            )),
        }
    }
}

/// The officer's record against one obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ObligationRecord {
    pub key: String,
    pub status: ObligationStatus,
    pub evidence: String,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// Whether an obligation applies to this lot, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "reason")]
#[ts(export)]
pub enum Applies {
    Yes,
    No(String),
    /// Cannot be known yet (e.g. which pension schemes, before the staff list arrives).
    ToConfirm(String),
}

#[derive(Debug, Clone, Copy)]
enum Due {
    /// By the day the tender notice is published.
    ByTender,
    /// A fixed number of calendar days before T set by the regulations.
    Statutory(u64),
    /// The law sets no period; a planning date this many days before T.
    Planned(u64),
    /// In place on T.
    OnT,
    /// A continuing protection before and after T (regs 4(4), 7(1)).
    BeforeAndAfterT,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Always,
    /// Unless the assessment found no service provision change.
    Transfer,
    /// As `Transfer`, and only when someone is expected to transfer.
    People,
    /// As `People`, and only when someone expected to transfer is in the scheme.
    Pension(PensionScheme),
}

struct Def {
    key: &'static str,
    name: &'static str,
    title: &'static str,
    basis: &'static str,
    owner: Owner,
    due: Due,
    scope: Scope,
}

pub const ASSESSMENT: &str = "spc-assessment";
pub const STAFF_INFORMATION: &str = "staff-information";

const CATALOGUE: [Def; 12] = [
    Def {
        key: ASSESSMENT,
        name: "Service provision change assessment",
        title: "Assess whether a service provision change applies: an organised grouping of employees whose principal purpose is this service, with activities fundamentally the same after the change",
        basis: "TUPE 2006 reg 3(1)(b) and 3(3)",
        owner: Owner::Council,
        due: Due::ByTender,
        scope: Scope::Always,
    },
    Def {
        key: STAFF_INFORMATION,
        name: "Staff information from the incumbent",
        title: "Obtain the anonymised staff list from the incumbent, to put in the tender documents",
        basis: "Good practice before tender; the incumbent contract’s exit terms",
        owner: Owner::Council,
        due: Due::ByTender,
        scope: Scope::Transfer,
    },
    Def {
        key: "bidders-told",
        name: "TUPE and pensions in the tender documents",
        title: "Tell bidders the TUPE position, the staff information and the pension terms in the tender documents",
        basis: "TUPE 2006; Best Value Authorities Staff Transfers (Pensions) Direction 2007; New Fair Deal",
        owner: Owner::Council,
        due: Due::ByTender,
        scope: Scope::Transfer,
    },
    Def {
        key: "pension-lgps",
        name: "LGPS admission or broadly comparable scheme",
        title: "Secure the pension route for LGPS members: an admission agreement with the administering authority, or a broadly comparable scheme certified by the Government Actuary",
        basis: "Best Value Authorities Staff Transfers (Pensions) Direction 2007; LGPS Regulations 2013 Sch 2 Part 3",
        owner: Owner::IncomingProvider,
        due: Due::OnT,
        scope: Scope::Pension(PensionScheme::Lgps),
    },
    Def {
        key: "pension-nhs",
        name: "NHS Pension Scheme access",
        title: "Secure continued NHS Pension Scheme access for former NHS staff (an employer direction or access agreement)",
        basis: "New Fair Deal (HM Treasury, October 2013); NHS Pension Scheme Regulations 2015",
        owner: Owner::IncomingProvider,
        due: Due::OnT,
        scope: Scope::Pension(PensionScheme::NhsPensionScheme),
    },
    Def {
        key: "pension-other",
        name: "Pension protection for other schemes",
        title: "Offer members of other occupational schemes at least the minimum pension protection",
        basis: "TUPE 2006 reg 10; Pensions Act 2004 ss257–258; Transfer of Employment (Pension Protection) Regulations 2005",
        owner: Owner::IncomingProvider,
        due: Due::OnT,
        scope: Scope::Pension(PensionScheme::Other),
    },
    Def {
        key: "measures",
        name: "Measures letter",
        title: "Measures letter: the incoming provider tells the outgoing provider the measures it envisages for the transferring staff, or that there are none",
        basis: "TUPE 2006 reg 13(4)",
        owner: Owner::IncomingProvider,
        due: Due::Planned(56),
        scope: Scope::People,
    },
    Def {
        key: "consultation",
        name: "Informing and consulting representatives",
        title: "Inform and consult the appropriate representatives of affected staff long enough before the transfer (failure: up to 13 weeks’ pay per affected employee)",
        basis: "TUPE 2006 reg 13(2)–(6), reg 15 and 16(3)",
        owner: Owner::OutgoingProvider,
        due: Due::Planned(42),
        scope: Scope::People,
    },
    Def {
        key: "eli",
        name: "Employee liability information",
        title: "Employee liability information to the incoming provider: identity, age, particulars of employment, disciplinary and grievance records, claims, collective agreements (failure: at least £500 per employee)",
        basis: "TUPE 2006 reg 11(2) and 11(6); reg 12",
        owner: Owner::OutgoingProvider,
        due: Due::Statutory(28),
        scope: Scope::People,
    },
    Def {
        key: "eli-updates",
        name: "Updates to employee liability information",
        title: "Notify in writing any change to the employee liability information up to the transfer",
        basis: "TUPE 2006 reg 11(5)",
        owner: Owner::OutgoingProvider,
        due: Due::OnT,
        scope: Scope::People,
    },
    Def {
        key: "no-changes",
        name: "No changes to terms because of the transfer",
        title: "Before or after the transfer, make no change to a transferring employee’s terms whose sole or principal reason is the transfer: such a change is void (reg 4(4)). Where the sole or principal reason is an economic, technical or organisational reason entailing changes in the workforce, a change still needs the employee’s agreement (reg 4(5))",
        basis: "TUPE 2006 reg 4(4) and 4(5)",
        owner: Owner::BothProviders,
        due: Due::BeforeAndAfterT,
        scope: Scope::People,
    },
    Def {
        key: "no-dismissals",
        name: "No dismissals because of the transfer",
        title: "Before or after the transfer, dismiss no employee of either provider where the sole or principal reason is the transfer: such a dismissal is automatically unfair (reg 7(1)). Where the sole or principal reason is an economic, technical or organisational reason entailing changes in the workforce, the dismissal is judged under the ordinary test of fairness instead (reg 7(2), (3))",
        basis: "TUPE 2006 reg 7(1) to 7(3)",
        owner: Owner::BothProviders,
        due: Due::BeforeAndAfterT,
        scope: Scope::People,
    },
];

/// Whether a key names an obligation on the checklist.
pub fn known(key: &str) -> bool {
    CATALOGUE.iter().any(|d| d.key == key)
}

/// Items whose status follows from other records, not from the officer's tick.
pub fn derived(key: &str) -> bool {
    key == ASSESSMENT || key == STAFF_INFORMATION
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Obligation {
    pub key: String,
    /// A short name for lists and notes.
    pub name: String,
    pub title: String,
    pub legal_basis: String,
    pub owner: Owner,
    pub due: Option<NaiveDate>,
    /// How the date is set, e.g. "28 calendar days before T (statutory)".
    pub due_rule: String,
    /// Said when the due date is not a working day, or when there is no date.
    pub due_note: Option<String>,
    /// A continuing duty from T: never overdue.
    pub ongoing: bool,
    pub applies: Applies,
    pub status: ObligationStatus,
    /// What the checklist shows as evidence, including what follows from other records.
    pub evidence: String,
    /// The officer's own note, as recorded (what the form edits).
    pub note: String,
    /// Done because of another record (the assessment in the plan, an imported staff list),
    /// not the officer's tick.
    pub automatic: bool,
    pub updated_by: Option<String>,
    pub overdue: bool,
}

/// What the obligations are worked out from.
#[derive(Clone, Copy)]
pub struct Facts<'a> {
    pub plan: &'a TupePlan,
    /// The tender notice's publication date (actual, else planned), if the lot has one.
    pub tender_notice: Option<NaiveDate>,
    /// The latest staff list's counts, if one was imported.
    pub staff: Option<StaffCounts>,
    /// "Version 2, imported 12/03/2026 from staff.csv (38 rows)".
    pub staff_list: Option<&'a str>,
    pub records: &'a [ObligationRecord],
    pub as_at: NaiveDate,
}

/// The sentence every checklist carries about how dates are counted.
pub const CALENDAR_DAYS: &str = "Dates are counted in calendar days from the transfer date T, as the regulations count them: a weekend or bank holiday does not move a deadline. Where a date falls on a day that is not a working day, the last working day before it is given.";

fn applies(def: &Def, f: &Facts) -> Applies {
    if def.scope == Scope::Always {
        return Applies::Yes;
    }
    if f.plan.assessment == SpcAssessment::DoesNotApply {
        return Applies::No(
            "the assessment found no service provision change under reg 3(1)(b)".into(),
        );
    }
    let people = match def.scope {
        Scope::People | Scope::Pension(_) => true,
        Scope::Always | Scope::Transfer => false,
    };
    if !people {
        return Applies::Yes;
    }
    let Some(s) = f.staff else {
        return match def.scope {
            Scope::Pension(p) => Applies::ToConfirm(format!(
                "import the staff list to see whether anyone is in the {}",
                p.label()
            )),
            _ => Applies::Yes,
        };
    };
    if s.assigned == 0 {
        return Applies::No(
            "nobody on the staff list works wholly or mainly on the service".into(),
        );
    }
    match def.scope {
        Scope::Pension(p) if s.in_scheme(p) == 0 => Applies::No(format!(
            "nobody expected to transfer is in the {}",
            p.label()
        )),
        _ => Applies::Yes,
    }
}

fn minus(t: NaiveDate, days: u64) -> NaiveDate {
    t.checked_sub_days(Days::new(days)).unwrap_or(t)
}

/// The note for a date that is not a working day: the date stands, and here is the last
/// working day before it.
fn day_note(cal: &mut Calendar, d: NaiveDate, is_t: bool) -> Result<Option<String>> {
    let Some(why) = cal.not_working(d)? else {
        return Ok(None);
    };
    let mut before = d;
    loop {
        before = before.pred_opt().unwrap_or(before);
        if cal.not_working(before)?.is_none() {
            break;
        }
    }
    let day = format!("{} {}", d.format("%A"), dates::long(d));
    Ok(Some(if is_t {
        format!(
            "T, {day}, is not a working day ({why}). The transfer still takes effect that day, and the dates count back from it in calendar days; the last working day before it is {} {}.",
            before.format("%A"),
            dates::long(before)
        )
    } else {
        format!(
            "{day} is not a working day ({why}). The rule counts calendar days, so the date does not move: act by {} {}.",
            before.format("%A"),
            dates::long(before)
        )
    }))
}

/// The checklist's obligations, in order, with their dates, what applies and what is overdue.
/// `cal` decides which days are not working days, for the notes only.
pub fn obligations(f: &Facts, cal: &mut Calendar) -> Result<Vec<Obligation>> {
    let t = f.plan.transfer_date;
    let mut out = Vec::new();
    for def in &CATALOGUE {
        let (due, due_rule, ongoing) = match def.due {
            Due::ByTender => (
                f.tender_notice,
                "before the tender notice is published".to_string(),
                false,
            ),
            Due::Statutory(n) => (
                Some(minus(t, n)),
                format!("at least {n} calendar days before T (statutory)"),
                false,
            ),
            Due::Planned(n) => (
                Some(minus(t, n)),
                format!(
                    "planned {} weeks before T: the law sets no fixed period",
                    n / 7
                ),
                false,
            ),
            Due::OnT => (Some(t), "in place by T".to_string(), false),
            Due::BeforeAndAfterT => (
                Some(t),
                "before and after T: it protects employees throughout, not only from T".to_string(),
                true,
            ),
        };
        let due_note = match due {
            None => Some("No date: the lot has no tender notice milestone yet.".to_string()),
            Some(d) => day_note(cal, d, d == t)?,
        };
        let record = f.records.iter().find(|r| r.key == def.key);
        let automatic = match def.key {
            ASSESSMENT => f.plan.assessment != SpcAssessment::NotAssessed,
            STAFF_INFORMATION => f.staff_list.is_some(),
            _ => false,
        };
        let (status, evidence) = match def.key {
            ASSESSMENT if automatic => (
                ObligationStatus::Done,
                join(
                    f.plan.assessment.label(),
                    record.map(|r| r.evidence.as_str()),
                ),
            ),
            STAFF_INFORMATION if automatic => (
                ObligationStatus::Done,
                join(
                    f.staff_list.unwrap_or_default(),
                    record.map(|r| r.evidence.as_str()),
                ),
            ),
            _ => match record {
                Some(r) => (r.status, r.evidence.clone()),
                None => (ObligationStatus::ToDo, String::new()),
            },
        };
        let applies = applies(def, f);
        let overdue = applies == Applies::Yes
            && !ongoing
            && status != ObligationStatus::Done
            && due.is_some_and(|d| d < f.as_at);
        out.push(Obligation {
            key: def.key.into(),
            name: def.name.into(),
            title: def.title.into(),
            legal_basis: def.basis.into(),
            owner: def.owner,
            due,
            due_rule,
            due_note,
            ongoing,
            applies,
            status,
            evidence,
            note: record.map(|r| r.evidence.clone()).unwrap_or_default(),
            automatic,
            updated_by: record.map(|r| r.updated_by.clone()),
            overdue,
        });
    }
    Ok(out)
}

fn join(a: &str, b: Option<&str>) -> String {
    match b.map(str::trim).filter(|b| !b.is_empty()) {
        Some(b) => format!("{a}. {b}"),
        None => a.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{Nation, WorkingDays};
    use crate::domain::tupe::staff::{StaffMember, StaffSummary};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn cal() -> Calendar {
        Calendar::new(WorkingDays::In(Nation::EnglandWales), Vec::new())
    }
    fn plan(t: NaiveDate) -> TupePlan {
        TupePlan {
            transfer_date: t,
            outgoing: "Kent Community Health NHS Foundation Trust".into(),
            incoming: String::new(),
            assessment: SpcAssessment::Applies,
            notes: String::new(),
        }
    }
    fn staff(pensions: &[(&str, &str)]) -> StaffSummary {
        let today = d(2026, 11, 24);
        let people: Vec<StaffMember> = pensions
            .iter()
            .enumerate()
            .map(|(i, (p, assigned))| {
                let r = format!("R{i}");
                StaffMember::parse(
                    &[
                        &r,
                        "Health Trainer",
                        "Band 4",
                        "20000",
                        "1",
                        "37.5",
                        "permanent",
                        "01/04/2015",
                        p,
                        "Maidstone",
                        assigned,
                    ],
                    today,
                )
                .unwrap()
            })
            .collect();
        StaffSummary::of(&people)
    }
    fn get<'a>(o: &'a [Obligation], key: &str) -> &'a Obligation {
        o.iter().find(|x| x.key == key).unwrap()
    }

    #[test]
    fn deadlines_count_calendar_days_from_t() {
        // T is Thursday 1 April 2027: ELI by Friday 4 March, measures by 4 February,
        // consultation by 18 February.
        let p = plan(d(2027, 4, 1));
        let s = staff(&[("nhs", "yes")]);
        let f = Facts {
            plan: &p,
            tender_notice: Some(d(2026, 10, 15)),
            staff: Some(StaffCounts::of(&s)),
            staff_list: Some("Version 1"),
            records: &[],
            as_at: d(2026, 11, 24),
        };
        let o = obligations(&f, &mut cal()).unwrap();
        assert_eq!(get(&o, "eli").due, Some(d(2027, 3, 4)));
        assert_eq!(get(&o, "measures").due, Some(d(2027, 2, 4)));
        assert_eq!(get(&o, "consultation").due, Some(d(2027, 2, 18)));
        assert_eq!(get(&o, "pension-nhs").due, Some(d(2027, 4, 1)));
        assert!(get(&o, "no-dismissals").ongoing);
        // regs 4(4) and 7(1) protect before or after the transfer, not only from T.
        assert!(
            get(&o, "no-dismissals")
                .title
                .starts_with("Before or after the transfer")
        );
        assert!(get(&o, "no-changes").title.contains("agreement (reg 4(5))"));
        assert_eq!(get(&o, "eli").due_note, None);
        // The tender went out on 15 October: the items due by then and not done are overdue.
        assert!(get(&o, "bidders-told").overdue);
        assert!(
            !get(&o, STAFF_INFORMATION).overdue,
            "a staff list was imported"
        );
        assert!(!get(&o, ASSESSMENT).overdue, "the assessment is recorded");
        assert!(!get(&o, "eli").overdue);
    }

    #[test]
    fn a_weekend_or_bank_holiday_does_not_move_a_date_but_is_said() {
        // T on Sunday 3 January 2027: ELI 28 days before is Sunday 6 December 2026.
        let p = plan(d(2027, 1, 3));
        let f = Facts {
            plan: &p,
            tender_notice: None,
            staff: None,
            staff_list: None,
            records: &[],
            as_at: d(2026, 11, 24),
        };
        let o = obligations(&f, &mut cal()).unwrap();
        let eli = get(&o, "eli");
        assert_eq!(eli.due, Some(d(2026, 12, 6)));
        let note = eli.due_note.as_deref().unwrap();
        assert!(
            note.contains("Sunday 6 December 2026 is not a working day"),
            "{note}"
        );
        assert!(note.contains("act by Friday 4 December 2026"), "{note}");
        let on_t = get(&o, "eli-updates").due_note.as_deref().unwrap();
        assert!(
            on_t.starts_with("T, Sunday 3 January 2027, is not a working day"),
            "{on_t}"
        );
        assert!(
            on_t.contains("Thursday 31 December 2026"),
            "New Year's Day 2027 is a Friday: {on_t}"
        );
        // T on Easter Monday 2027 (29 March): the date stands.
        let p = plan(d(2027, 3, 29));
        let f = Facts { plan: &p, ..f };
        let o = obligations(&f, &mut cal()).unwrap();
        let note = get(&o, "pension-lgps").due_note.clone().unwrap();
        assert!(note.contains("Easter Monday"), "{note}");
        assert!(
            note.contains("Thursday 25 March 2027"),
            "Good Friday is skipped too: {note}"
        );
        assert!(
            get(&o, ASSESSMENT)
                .due_note
                .as_deref()
                .unwrap()
                .contains("no tender notice")
        );
    }

    #[test]
    fn which_items_apply() {
        let p = plan(d(2027, 4, 1));
        let base = Facts {
            plan: &p,
            tender_notice: None,
            staff: None,
            staff_list: None,
            records: &[],
            as_at: d(2026, 11, 24),
        };
        // No list yet: pension items wait for it; the rest apply.
        let o = obligations(&base, &mut cal()).unwrap();
        assert!(matches!(
            get(&o, "pension-lgps").applies,
            Applies::ToConfirm(_)
        ));
        assert_eq!(get(&o, "eli").applies, Applies::Yes);

        // NHS members only (one not assigned in the LGPS): no LGPS or other-scheme item.
        let s = staff(&[("nhs", "yes"), ("none", "yes"), ("lgps", "no")]);
        let o = obligations(
            &Facts {
                staff: Some(StaffCounts::of(&s)),
                ..base
            },
            &mut cal(),
        )
        .unwrap();
        assert_eq!(get(&o, "pension-nhs").applies, Applies::Yes);
        assert!(
            matches!(&get(&o, "pension-lgps").applies, Applies::No(r) if r.contains("Local Government"))
        );
        assert!(matches!(get(&o, "pension-other").applies, Applies::No(_)));

        // Nobody in any scheme: no pension item at all.
        let s = staff(&[("none", "yes")]);
        let o = obligations(
            &Facts {
                staff: Some(StaffCounts::of(&s)),
                ..base
            },
            &mut cal(),
        )
        .unwrap();
        assert!(
            o.iter()
                .filter(|x| x.key.starts_with("pension"))
                .all(|x| matches!(x.applies, Applies::No(_)))
        );

        // Nobody wholly or mainly assigned: the people items fall away, the tender ones stay.
        let s = staff(&[("nhs", "no")]);
        let o = obligations(
            &Facts {
                staff: Some(StaffCounts::of(&s)),
                ..base
            },
            &mut cal(),
        )
        .unwrap();
        assert!(matches!(get(&o, "eli").applies, Applies::No(_)));
        assert_eq!(get(&o, "bidders-told").applies, Applies::Yes);

        // No service provision change: only the assessment applies.
        let mut none = p.clone();
        none.assessment = SpcAssessment::DoesNotApply;
        let o = obligations(
            &Facts {
                plan: &none,
                ..base
            },
            &mut cal(),
        )
        .unwrap();
        assert_eq!(o.iter().filter(|x| x.applies == Applies::Yes).count(), 1);
    }

    #[test]
    fn overdue_only_when_it_applies_is_not_done_and_its_date_has_passed() {
        let p = plan(d(2026, 12, 1));
        let s = staff(&[("lgps", "yes")]);
        let records = [ObligationRecord {
            key: "measures".into(),
            status: ObligationStatus::Done,
            evidence: "Letter of 1 October".into(),
            updated_by: "j.smith".into(),
            updated_at: Utc::now(),
        }];
        let f = Facts {
            plan: &p,
            tender_notice: Some(d(2026, 6, 1)),
            staff: Some(StaffCounts::of(&s)),
            staff_list: Some("Version 1"),
            records: &records,
            as_at: d(2026, 11, 24),
        };
        let o = obligations(&f, &mut cal()).unwrap();
        let late: Vec<&str> = o
            .iter()
            .filter(|x| x.overdue)
            .map(|x| x.key.as_str())
            .collect();
        // ELI was due 3 November, consultation 20 October; measures is done; the tender items
        // were due 1 June; the pension is due on T, still ahead.
        assert_eq!(late, ["bidders-told", "consultation", "eli"]);
        assert_eq!(get(&o, "measures").evidence, "Letter of 1 October");
        // On and after T the continuing duties are never overdue.
        let after = Facts {
            as_at: d(2027, 1, 1),
            ..f
        };
        let o = obligations(&after, &mut cal()).unwrap();
        assert!(!get(&o, "no-changes").overdue);
        assert!(get(&o, "pension-lgps").overdue);
    }
}
