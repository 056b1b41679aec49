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

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        // Constraint violations are the user's to fix; everything else is logged, not shown.
        if let sqlx::Error::Database(db) = &e {
            let msg = db.message().to_string();
            if msg.contains("UNIQUE constraint failed") {
                let field = msg.rsplit('.').next().unwrap_or("").to_string();
                return Error::validation(
                    snake_to_camel(&field),
                    format!(
                        "that {} is already used in this workspace",
                        field.replace('_', " ")
                    ),
                );
            }
        }
        tracing::error!(error = %e, "storage error");
        Error::new(
            ErrorCode::Storage,
            "the workspace could not be read or written; see the log for details",
        )
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        tracing::error!(error = %e, "migration error");
        Error::new(
            ErrorCode::Storage,
            format!("the workspace could not be upgraded: {e}"),
        )
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorCode::Storage, format!("file error: {e}"))
    }
}

pub(crate) fn snake_to_camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}
