//! Opening a workspace file without harming anything that is not one.
//!
//! The order matters. A file is first recognised from its header bytes (read with plain
//! file I/O, so nothing is written to it); only a Lotwise workspace is then opened for
//! writing, switched to WAL and migrated. New workspaces are built under a temporary name
//! and renamed into place, so no other process ever sees half a workspace; creation and
//! migration hold a lock beside the file, so several processes opening a new or older
//! workspace at once take turns instead of racing.
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, ErrorCode, Result};

/// `PRAGMA application_id` of every Lotwise workspace: "Lotw".
pub const APPLICATION_ID: u32 = 0x4C6F_7477;
/// The same as a statement (SQL text must be a literal).
pub(crate) const SET_APPLICATION_ID: &str = "PRAGMA application_id = 1282372727";

/// Whether opening may create the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// Only an existing workspace (every command but `init` and `demo`).
    No,
    /// Create it when there is no file at the path (the desktop app's own workspace,
    /// `lotwise demo`).
    IfMissing,
    /// Create it, refusing a path that already holds a file (`lotwise init`).
    New,
}

/// What the first 100 bytes of a file say it is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Missing,
    /// Zero bytes, or fewer than a database header.
    Empty,
    NotSqlite,
    /// An SQLite database; `application_id` from the header.
    Sqlite {
        application_id: u32,
    },
}

pub(crate) fn kind(path: &Path) -> Result<Kind> {
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kind::Missing),
        Err(e) => {
            return Err(workspace(
                path,
                format!("cannot be read: {}", io_reason(&e)),
            ));
        }
    };
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(workspace(path, "is a folder, not a workspace file".into()));
    }
    let mut header = [0u8; 100];
    let mut got = 0;
    while got < header.len() {
        match f.read(&mut header[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => {
                return Err(workspace(
                    path,
                    format!("cannot be read: {}", io_reason(&e)),
                ));
            }
        }
    }
    if got == 0 {
        return Ok(Kind::Empty);
    }
    if !header.starts_with(b"SQLite format 3\0") {
        return Ok(Kind::NotSqlite);
    }
    if got < header.len() {
        return Ok(Kind::Empty);
    }
    Ok(Kind::Sqlite {
        application_id: u32::from_be_bytes([header[68], header[69], header[70], header[71]]),
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "you do not have permission".into(),
        _ => e.to_string(),
    }
}

/// An error about the workspace file itself, which the person can act on.
pub(crate) fn workspace(path: &Path, what: String) -> Error {
    Error::new(ErrorCode::Workspace, format!("{} {what}", path.display()))
}

pub(crate) fn not_a_workspace(path: &Path, kind: &Kind) -> Error {
    let what = match kind {
        Kind::Missing => {
            return Error::new(
                ErrorCode::Workspace,
                format!(
                    "there is no workspace at {}: check the path, or create one with `lotwise init --workspace {}` (or `lotwise demo`)",
                    path.display(),
                    path.display()
                ),
            );
        }
        Kind::Empty => "is an empty file, not a Lotwise workspace".to_string(),
        Kind::NotSqlite => "is not a Lotwise workspace (it is not an SQLite database)".to_string(),
        Kind::Sqlite { application_id: 0 } => {
            "is an SQLite database but not a Lotwise workspace; it has been left as it was"
                .to_string()
        }
        Kind::Sqlite { application_id } => format!(
            "is an SQLite database made by another program (application id {application_id:#010x}), not a Lotwise workspace; it has been left as it was"
        ),
    };
    workspace(path, what)
}

/// The lock taken while a workspace is created or migrated: a small file beside it, kept
/// (removing a lock file while another process waits on it would let two in at once).
pub(crate) struct SetupLock {
    _file: std::fs::File,
}

pub(crate) fn setup_lock(path: &Path) -> Result<SetupLock> {
    let lock_path = lock_path(path);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| {
            workspace(
                path,
                format!(
                    "cannot be set up: its folder cannot be written ({})",
                    io_reason(&e)
                ),
            )
        })?;
    file.lock()
        .map_err(|e| workspace(path, format!("cannot be locked for setting up: {e}")))?;
    Ok(SetupLock { _file: file })
}

pub fn lock_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

/// Can this process write the file and its folder? (WAL needs to create files beside it.)
pub(crate) fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let ok = |p: &Path| {
        let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: a valid NUL-terminated path; access only reads it.
        unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
    };
    ok(path) && ok(dir)
}

/// The connection every write uses: WAL, synchronous FULL, foreign keys, a generous busy
/// timeout so writers from several processes queue rather than fail.
pub(crate) async fn read_write_pool(path: &Path) -> Result<SqlitePool> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await
        .map_err(|e| {
            tracing::warn!(path = %path.display(), error = %e, "opening a workspace failed");
            workspace(path, "could not be opened as a workspace".into())
        })
}

/// A workspace in a folder this person cannot write: read it as it is. `immutable` lets
/// SQLite read a WAL workspace without creating its shared-memory file beside it.
pub(crate) async fn read_only_pool(path: &Path) -> Result<SqlitePool> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await
        .map_err(|e| {
            tracing::warn!(path = %path.display(), error = %e, "opening a read-only workspace failed");
            workspace(path, "could not be opened for reading".into())
        })
}

/// A read-only look inside an SQLite file whose header carries no application id: is it a
/// Lotwise workspace made before workspaces were marked? Nothing is written to the file.
pub(crate) async fn is_unmarked_workspace(path: &Path) -> Result<bool> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .foreign_keys(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .map_err(|e| {
            tracing::warn!(path = %path.display(), error = %e, "probing a file failed");
            workspace(path, "could not be read as an SQLite database".into())
        })?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('_sqlx_migrations', 'audit_events', 'lots')",
    )
    .fetch_all(&pool)
    .await
    .unwrap_or_default();
    pool.close().await;
    Ok(names.len() == 3)
}

/// A new, empty file only its owner can read: it will hold bids and scores.
pub(crate) fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

/// A name beside `path` that nothing else is using: `name.setup-PID-N`.
pub(crate) fn temp_beside(path: &Path, what: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut s = path.as_os_str().to_owned();
    s.push(format!(".{what}-{}-{n}", std::process::id()));
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_from_their_header_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        assert_eq!(kind(&p("none")).unwrap(), Kind::Missing);
        std::fs::write(p("empty"), b"").unwrap();
        assert_eq!(kind(&p("empty")).unwrap(), Kind::Empty);
        std::fs::write(p("text"), b"area,population\n").unwrap();
        assert_eq!(kind(&p("text")).unwrap(), Kind::NotSqlite);
        let mut h = b"SQLite format 3\0".to_vec();
        h.resize(100, 0);
        h[68..72].copy_from_slice(&APPLICATION_ID.to_be_bytes());
        std::fs::write(p("ws"), &h).unwrap();
        assert_eq!(
            kind(&p("ws")).unwrap(),
            Kind::Sqlite {
                application_id: APPLICATION_ID
            }
        );
        assert!(
            kind(dir.path())
                .unwrap_err()
                .message
                .contains("is a folder")
        );
    }

    #[test]
    fn the_statement_sets_the_constant() {
        assert!(SET_APPLICATION_ID.ends_with(&APPLICATION_ID.to_string()));
    }

    #[test]
    fn the_lock_sits_beside_the_workspace() {
        assert_eq!(
            lock_path(Path::new("/x/w.lotwise")),
            PathBuf::from("/x/w.lotwise.lock")
        );
    }
}
