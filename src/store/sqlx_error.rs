//! How a sqlx error becomes the app's: by sqlx's backend-neutral checks, never by the
//! database's message text, which goes to the log (`tracing`) and not to people. Shared by
//! every sqlx backend.
use crate::error::{Error, ErrorCode};

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            // The use cases check what people can fix before writing; a constraint that
            // still refuses is a race or a record the workspace keeps frozen.
            tracing::warn!(error = %e, code = ?db.code(), "the database refused a write");
            let refused = |what: &str| {
                Error::conflict(format!(
                    "the workspace refused the change: {what}; nothing was changed"
                ))
            };
            return match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    refused("it would repeat a record the workspace already holds")
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => {
                    refused("it refers to a record the workspace does not hold")
                }
                sqlx::error::ErrorKind::NotNullViolation
                | sqlx::error::ErrorKind::CheckViolation => {
                    refused("a value is missing or not one the workspace accepts")
                }
                _ => storage(),
            };
        }
        tracing::error!(error = %e, "storage error");
        storage()
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        tracing::error!(error = %e, "migration error");
        Error::new(
            ErrorCode::Storage,
            "the workspace could not be upgraded; see the log for details",
        )
    }
}

fn storage() -> Error {
    Error::new(
        ErrorCode::Storage,
        "the workspace could not be read or written; see the log for details",
    )
}
