//! One error type for every layer. It carries a machine-readable code the UI branches on,
//! a message for people, and, for validation, the field it belongs beside.
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// Input could not be accepted; `field` says where.
    Validation,
    /// The thing asked for does not exist.
    NotFound,
    /// A stage transition was refused; `details` lists what is missing.
    GatesFailed,
    /// The request clashes with the current state (e.g. the workspace is not empty).
    Conflict,
    /// The workspace file could not be read or written. Details go to the log, not the user.
    Storage,
    /// The audit trail does not verify.
    Integrity,
    /// The person's role may not take this action (`domain::roles`).
    Forbidden,
    /// The workspace file cannot be used as it is: missing, not a workspace, made by a newer
    /// version, read-only for a write. The message says what to do.
    Workspace,
}

#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub details: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            details: Vec::new(),
        }
    }
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(ErrorCode::Validation, message)
        }
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(
            ErrorCode::NotFound,
            format!("{} was not found", what.into()),
        )
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }
    /// Prefix the field with an enclosing name, so nested input errors point at the right place.
    pub fn in_field(mut self, prefix: &str) -> Self {
        self.field = Some(match self.field {
            Some(f) => format!("{prefix}.{f}"),
            None => prefix.to_string(),
        });
        self
    }
}

impl From<std::io::Error> for Error {
    /// The operating system's words go to the log; people get what happened in theirs.
    fn from(e: std::io::Error) -> Self {
        tracing::error!(error = %e, "file error");
        let what = match e.kind() {
            std::io::ErrorKind::NotFound => "a file or folder it needs is not there",
            std::io::ErrorKind::PermissionDenied => "you do not have permission",
            std::io::ErrorKind::StorageFull => "the disk is full",
            std::io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only",
            std::io::ErrorKind::AlreadyExists => "the file already exists",
            _ => "see the log for details",
        };
        Error::new(
            ErrorCode::Storage,
            format!("a file could not be read or written: {what}"),
        )
    }
}
