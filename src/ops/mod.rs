//! Use cases: `async fn(&Ctx, Input) -> Result<Output>`, called alike by the desktop shell,
//! the CLI and the tests. Inputs arrive as people typed them and are parsed here into
//! domain types, so every error names the field it belongs to.
use chrono::{DateTime, Local, NaiveDate, Utc};
use std::path::PathBuf;
use std::sync::Arc;

use crate::domain::milestone::DEFAULT_AMBER_DAYS;
use crate::domain::roles::{Action, Role};
use crate::error::{Error, Result};
use crate::store::{ReadCtx, Store, WriteCtx};

pub mod allocation;
pub mod audit;
pub mod award;
pub mod calendar;
pub mod contracts;
pub(crate) mod csvfile;
pub mod demo;
pub mod demo_front;
pub mod demo_papers;
pub mod engagement;
pub mod eval;
pub mod finance;
pub mod lots;
pub mod ocds;
pub mod papers;
pub mod registers;
pub mod route;
pub mod spec;
pub mod tender;
pub mod textfile;
pub mod tupe;
pub mod workspace;

/// What an import of a file did: how many rows it recorded, and how the file was read when
/// that is worth saying (a Windows-1252 file from Excel).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportSummary {
    pub rows: usize,
    pub file: String,
    /// "read as Windows-1252", or nothing for UTF-8.
    pub read_as: Option<String>,
}

impl ImportSummary {
    pub(crate) fn of(rows: usize, sheet: &csvfile::Sheet) -> ImportSummary {
        ImportSummary {
            rows,
            file: sheet.file.clone(),
            read_as: sheet.read_as.note().map(str::to_string),
        }
    }
}

/// Time is passed in, never read from a global, so deadlines can be tested.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    fn today(&self) -> NaiveDate;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn today(&self) -> NaiveDate {
        // The officer's calendar day, in the machine's own time zone.
        Local::now().date_naive()
    }
}

pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
    fn today(&self) -> NaiveDate {
        self.0.date_naive()
    }
}

#[derive(Clone)]
pub struct Ctx {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub user: String,
    /// The hat the person is wearing; every write checks it (`domain::roles`).
    pub role: Role,
    pub amber_days: i64,
}

impl Ctx {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, user: impl Into<String>) -> Ctx {
        Ctx {
            store,
            clock,
            user: user.into(),
            role: Role::Officer,
            amber_days: DEFAULT_AMBER_DAYS,
        }
    }

    /// The same workspace, acting as another person in a given role.
    pub fn acting_as(&self, user: impl Into<String>, role: Role) -> Ctx {
        Ctx {
            user: user.into(),
            role,
            ..self.clone()
        }
    }

    /// The write context for an action, refused when the role may not take it.
    pub fn act(&self, action: Action) -> Result<WriteCtx> {
        self.role.require(action)?;
        Ok(self.write_unchecked())
    }

    /// Milestones due within this many days show as amber (0 to 365).
    pub fn with_amber_days(mut self, days: i64) -> Result<Ctx> {
        if !(0..=365).contains(&days) {
            return Err(Error::validation(
                "amberDays",
                "the amber window must be between 0 and 365 days",
            ));
        }
        self.amber_days = days;
        Ok(self)
    }
    /// For seeding and benchmarks that write through the store directly; use cases go
    /// through `act`.
    pub fn write_unchecked(&self) -> WriteCtx {
        WriteCtx {
            actor: self.user.clone(),
            at: self.clock.now(),
            today: self.clock.today(),
        }
    }
    pub fn read(&self) -> ReadCtx {
        ReadCtx {
            today: self.clock.today(),
            amber_days: self.amber_days,
        }
    }
}

/// The user's name as the operating system knows it, for the audit trail.
pub fn current_user() -> String {
    std::env::var("LOTWISE_USER")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("LOGNAME"))
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| {
            dirs::home_dir().and_then(|h| h.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The role from `LOTWISE_ROLE`, or officer.
pub fn role_from_env() -> Result<Role> {
    match std::env::var("LOTWISE_ROLE") {
        Ok(v) if !v.trim().is_empty() => field("LOTWISE_ROLE", Role::parse(&v)),
        _ => Ok(Role::Officer),
    }
}

/// The amber window from `LOTWISE_AMBER_DAYS`, or the default of 14 days.
pub fn amber_days_from_env() -> Result<i64> {
    match std::env::var("LOTWISE_AMBER_DAYS") {
        Ok(v) => v.trim().parse().map_err(|_| {
            Error::validation(
                "LOTWISE_AMBER_DAYS",
                format!("“{v}” is not a whole number of days"),
            )
        }),
        Err(_) => Ok(DEFAULT_AMBER_DAYS),
    }
}

/// The desktop app's workspace file; the CLI uses the same one unless told otherwise.
/// `LOTWISE_WORKSPACE` overrides it (tests point it at a temp file).
pub fn default_workspace_path() -> PathBuf {
    if let Ok(p) = std::env::var("LOTWISE_WORKSPACE") {
        return PathBuf::from(p);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("uk.lotwise.desktop")
        .join("workspace.lotwise")
}

/// Text made safe for a file name on any system: letters, digits and hyphens kept, every
/// other run of characters one underscore.
pub(crate) fn file_name_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// A generated file written under a temporary name beside where it is going. Only `place`
/// puts it there; dropped unplaced, it is removed. Use cases that also keep a record write
/// the file first and record it only once the bytes are safely on disk, so a missing folder
/// or a full disk never leaves a record of a file that was not written (or a half file).
pub(crate) struct Staged {
    temp: std::path::PathBuf,
    out: std::path::PathBuf,
    placed: bool,
}

fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> Error {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => format!(
            "there is no folder {}",
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."))
                .display()
        ),
        std::io::ErrorKind::PermissionDenied => "you do not have permission to write there".into(),
        std::io::ErrorKind::StorageFull => "the disk is full".into(),
        _ => e.to_string(),
    };
    tracing::warn!(path = %path.display(), error = %e, "a file could not be written");
    Error::validation(
        "out",
        format!("{} could not be written: {why}", path.display()),
    )
}

pub(crate) fn stage(out: &std::path::Path, bytes: &[u8]) -> Result<Staged> {
    use std::io::Write;
    let mut name = out.as_os_str().to_owned();
    name.push(format!(".part-{}", std::process::id()));
    let temp = std::path::PathBuf::from(name);
    let staged = Staged {
        temp: temp.clone(),
        out: out.to_path_buf(),
        placed: false,
    };
    let written = std::fs::File::create(&temp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    // On failure `staged` is dropped here, removing whatever part was written.
    written.map_err(|e| cannot_write(out, &e))?;
    Ok(staged)
}

impl Staged {
    pub(crate) fn place(mut self) -> Result<()> {
        std::fs::rename(&self.temp, &self.out).map_err(|e| cannot_write(&self.out, &e))?;
        self.placed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes a generated file whole or not at all, the error naming where it could not go.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    stage(path, bytes)?.place()
}

// Parsing helpers shared by the use cases: each names its field in the error.

pub(crate) fn required(field: &str, label: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        Err(Error::validation(field, format!("enter the {label}")))
    } else if v.chars().count() > 300 {
        Err(Error::validation(
            field,
            format!("the {label} must be 300 characters or fewer"),
        ))
    } else {
        Ok(v.to_string())
    }
}

/// Free text people write at length (reasons, answers, agendas): required, at most 4,000
/// characters.
pub(crate) fn long_text(field: &str, label: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        Err(Error::validation(field, format!("enter the {label}")))
    } else if v.chars().count() > 4000 {
        Err(Error::validation(
            field,
            format!("the {label} must be 4,000 characters or fewer"),
        ))
    } else {
        Ok(v.to_string())
    }
}

/// A date that has already happened (received, held, published), named by its field.
pub(crate) fn past_date(
    field_name: &str,
    what: &str,
    value: &str,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let d = field(field_name, crate::domain::dates::parse(value))?;
    if d > today {
        return Err(Error::validation(
            field_name,
            format!(
                "the {what}, {}, is in the future",
                crate::domain::dates::long(d)
            ),
        ));
    }
    Ok(d)
}

pub(crate) fn optional(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

pub(crate) fn field<T>(field: &str, r: Result<T>) -> Result<T> {
    r.map_err(|mut e| {
        e.field = Some(field.to_string());
        e
    })
}
