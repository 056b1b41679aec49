//! Opening a workspace, and what the app shows about the open one.
use chrono::NaiveDate;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

use super::Ctx;
use crate::domain::roles::Role;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoleChoice {
    pub role: Role,
    pub label: String,
}

/// Who the desktop user says they are, remembered beside the workspace file.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Identity {
    user: String,
    role: Role,
}

fn identity_path(workspace: &Path) -> std::path::PathBuf {
    workspace.with_extension("identity.json")
}

/// The person and role the app starts as: LOTWISE_USER and LOTWISE_ROLE when set, then the
/// last choice made on this machine, then the login name as a procurement officer.
fn starting_identity(workspace: &Path) -> Result<(String, Role)> {
    let remembered: Option<Identity> = std::fs::read_to_string(identity_path(workspace))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let user = match std::env::var("LOTWISE_USER") {
        Ok(u) if !u.trim().is_empty() => u.trim().to_string(),
        _ => remembered
            .as_ref()
            .map(|i| i.user.clone())
            .unwrap_or_else(super::current_user),
    };
    let role = match std::env::var("LOTWISE_ROLE") {
        Ok(r) if !r.trim().is_empty() => super::role_from_env()?,
        _ => remembered.map(|i| i.role).unwrap_or(Role::Officer),
    };
    Ok((user, role))
}

/// On a single-user laptop the person says who they are and which role they act in; the
/// choice is remembered for the next start. Returns the context to act with from now on.
pub fn switch_identity(ctx: &Ctx, workspace: &Path, user: &str, role: &str) -> Result<Ctx> {
    if let Some((server_user, server_role)) = ctx.store.identity() {
        return Err(Error::new(
            crate::error::ErrorCode::Forbidden,
            format!(
                "on a team workspace the server says who you are: you are signed in as {server_user} ({}); to act as someone else, open the team workspace with their login",
                server_role.with_article()
            ),
        ));
    }
    let name = user.trim();
    if name.is_empty() {
        return Err(Error::validation("user", "enter your name"));
    }
    if name.chars().count() > 80 {
        return Err(Error::validation(
            "user",
            "the name must be 80 characters or fewer",
        ));
    }
    let role = super::field("role", Role::parse(role))?;
    let id = Identity {
        user: name.to_string(),
        role,
    };
    let path = identity_path(workspace);
    std::fs::write(&path, serde_json::to_vec_pretty(&id).expect("serialisable")).map_err(|e| {
        Error::validation(
            "user",
            format!("{} could not be written: {e}", path.display()),
        )
    })?;
    Ok(ctx.acting_as(name, role))
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkspaceInfo {
    pub path: String,
    pub user: String,
    pub role: Role,
    pub role_label: String,
    /// Every role the person may choose, with its label, in the order offered.
    pub roles: Vec<RoleChoice>,
    pub today: NaiveDate,
    pub amber_days: i64,
    /// On a team workspace: the server, as people may see it (no password). The identity
    /// is then the server's, and cannot be switched.
    pub team: Option<String>,
    /// When this file is a copy of a team workspace: whose, of which server, and when.
    pub copy_of: Option<String>,
    pub read_only: bool,
}

pub fn info(ctx: &Ctx, path: &Path) -> WorkspaceInfo {
    let team = ctx.store.identity().map(|_| ctx.store.location());
    WorkspaceInfo {
        path: team.clone().unwrap_or_else(|| path.display().to_string()),
        team,
        copy_of: ctx.store.copy_of().map(|c| c.describe()),
        read_only: ctx.store.read_only(),
        user: ctx.user.clone(),
        role: ctx.role,
        role_label: ctx.role.label().into(),
        roles: Role::ALL
            .into_iter()
            .map(|r| RoleChoice {
                role: r,
                label: r.label().into(),
            })
            .collect(),
        today: ctx.clock.today(),
        amber_days: ctx.amber_days,
    }
}

/// Opens a workspace file for the desktop app, creating it and seeding the demo workspace
/// when it is new (or empty), so a first run opens on something real. Every page is checked
/// first, so a damaged file is reported before anyone works in it.
pub async fn open_for_app(path: &Path) -> Result<Ctx> {
    let store = open(&Location::File(path.to_path_buf()), Open::OrCreate).await?;
    store.check_storage().await?;
    let read_only = store.read_only();
    let (user, role) = starting_identity(path)?;
    let ctx = Ctx::new(store, std::sync::Arc::new(super::SystemClock), user)
        .with_amber_days(super::amber_days_from_env()?)?;
    if !read_only && ctx.store.read().await?.registers().is_empty().await? {
        // The demo is seeded by the officer who set it up, whoever opens it first.
        super::demo::create(&ctx.acting_as(ctx.user.clone(), Role::Officer)).await?;
    }
    Ok(ctx.acting_as(ctx.user.clone(), role))
}

/// Where a workspace lives: a file on this machine (the embedded SQLite workspace), or a
/// shared workspace on a PostgreSQL server (`postgres://…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(std::path::PathBuf),
    Server(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names a server; anything else is a file path.
    pub fn parse(s: &str) -> Location {
        let t = s.trim();
        if t.starts_with("postgres://") || t.starts_with("postgresql://") {
            Location::Server(t.to_string())
        } else {
            Location::File(std::path::PathBuf::from(s))
        }
    }

    pub fn of_path(p: &Path) -> Location {
        match p.to_str() {
            Some(s) => Location::parse(s),
            None => Location::File(p.to_path_buf()),
        }
    }
}

/// Whether opening may create the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// It must exist: a mistyped location is an error, not a new empty workspace.
    Existing,
    /// It must not exist yet (`lotwise init`).
    New,
    /// Created when missing (`lotwise demo`, the desktop app's own workspace).
    OrCreate,
}

/// Opens the workspace at `location` on the backend the location names. The CLI and the
/// desktop app open workspaces only through here.
pub async fn open(
    location: &Location,
    how: Open,
) -> Result<std::sync::Arc<dyn crate::store::Store>> {
    use crate::store::sqlite::SqliteStore;
    let store: std::sync::Arc<dyn crate::store::Store> = match location {
        Location::File(path) => std::sync::Arc::new(match how {
            Open::Existing => SqliteStore::open(path).await?,
            Open::New => SqliteStore::create(path).await?,
            Open::OrCreate => SqliteStore::open_or_create(path).await?,
        }),
        Location::Server(url) => {
            use crate::store::postgres::{Create, PgStore};
            std::sync::Arc::new(
                PgStore::open(
                    url,
                    match how {
                        Open::Existing => Create::No,
                        Open::New => Create::New,
                        Open::OrCreate => Create::IfEmpty,
                    },
                )
                .await?,
            )
        }
    };
    // Every commit through the CLI or the app is witnessed in this person's journal.
    crate::store::journaled::Journaled::wrap(store).await
}

/// Opens a team workspace with a password the person typed (the CLI's prompt): it goes to
/// the server in this connection and is kept nowhere.
pub async fn open_server_with_password(
    url: &str,
    password: &str,
    how: Open,
) -> Result<std::sync::Arc<dyn crate::store::Store>> {
    use crate::store::postgres::{Create, PgStore, connect_error};
    use std::str::FromStr;
    let location = redact(url);
    let options = sqlx::postgres::PgConnectOptions::from_str(url)
        .map_err(|e| connect_error(&location, e))?
        .password(password);
    let create = match how {
        Open::Existing => Create::No,
        Open::New => Create::New,
        Open::OrCreate => Create::IfEmpty,
    };
    crate::store::journaled::Journaled::wrap(std::sync::Arc::new(
        PgStore::open_with(options, location, create).await?,
    ))
    .await
}

/// A server address as it may be shown: without its password.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// `lotwise workspace push FILE --to URL`: moves a laptop workspace into an empty team
/// workspace, every row and every audit event as stored. The file's trail must verify first
/// (a broken record is not made the team's), and the server's chain head must be the file's
/// afterwards; either failing keeps nothing on the server.
pub async fn push(file: &Path, to: &str) -> Result<crate::store::postgres::transfer::PushReport> {
    use crate::store::Store;
    use crate::store::postgres::{Create, PgStore, transfer};
    let source = crate::store::sqlite::SqliteStore::open(file).await?;
    source.check_storage().await?;
    let chain = source.read().await?.audit().chain().await?;
    if let crate::domain::audit::AuditVerification::Broken {
        first_broken_seq: seq,
        reason,
        ..
    } = crate::domain::audit::verify(&chain)
    {
        source.close().await;
        return Err(Error::new(
            crate::error::ErrorCode::Integrity,
            format!(
                "{}: the audit trail does not verify at event {seq} ({reason}); nothing was pushed (see `lotwise audit verify`)",
                file.display()
            ),
        ));
    }
    let target = match PgStore::open(to, Create::IfEmpty).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(e);
        }
    };
    let r = transfer::push(&source, &target).await;
    source.close().await;
    target.close().await;
    r
}

/// How the desktop's "Open a team workspace" form names a server. The password goes from
/// the form to the server and is never written anywhere by Lotwise.
#[derive(Debug, Clone, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct TeamConnection {
    pub host: String,
    /// As typed; 5432 when left empty.
    pub port: String,
    pub database: String,
    pub user: String,
    pub password: String,
    /// disable, prefer, require, verify-ca or verify-full.
    pub tls_mode: String,
    /// The council's CA certificate (PEM), needed for verify-ca and verify-full.
    pub ca_file: String,
}

/// Checks the form, connects, and returns the context to act in: the person is the login
/// the server names. An administrator's or the owner's login is refused here (they act for
/// no one in the record; they use `lotwise team` and `workspace push`).
pub async fn open_team(c: &TeamConnection) -> Result<Ctx> {
    use sqlx::postgres::{PgConnectOptions, PgSslMode};
    let host = c.host.trim();
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
        return Err(Error::validation(
            "host",
            "enter the server's name or address, for example db.kent.gov.uk",
        ));
    }
    let port = match c.port.trim() {
        "" => 5432,
        p => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            Error::validation(
                "port",
                "enter the port as a number from 1 to 65535 (usually 5432)",
            )
        })?,
    };
    let database = c.database.trim();
    if database.is_empty() {
        return Err(Error::validation(
            "database",
            "enter the database's name, for example lotwise",
        ));
    }
    let user = c.user.trim();
    if user.is_empty() {
        return Err(Error::validation(
            "user",
            "enter your user name, for example r.hughes",
        ));
    }
    if c.password.is_empty() {
        return Err(Error::validation("password", "enter your password"));
    }
    let mode = match c.tls_mode.trim() {
        "disable" => PgSslMode::Disable,
        "" | "prefer" => PgSslMode::Prefer,
        "require" => PgSslMode::Require,
        "verify-ca" => PgSslMode::VerifyCa,
        "verify-full" => PgSslMode::VerifyFull,
        other => {
            return Err(Error::validation(
                "tlsMode",
                format!(
                    "“{other}” is not a TLS mode; expected disable, prefer, require, verify-ca or verify-full"
                ),
            ));
        }
    };
    let mut options = PgConnectOptions::new()
        .host(host)
        .port(port)
        .database(database)
        .username(user)
        .password(&c.password)
        .ssl_mode(mode);
    if matches!(mode, PgSslMode::VerifyCa | PgSslMode::VerifyFull) {
        let ca = c.ca_file.trim();
        if ca.is_empty() {
            return Err(Error::validation(
                "caFile",
                "choose the CA certificate file (PEM) that signed the server's certificate; ask IT for it",
            ));
        }
        let text = std::fs::read(ca)
            .map_err(|e| Error::validation("caFile", format!("{ca} could not be read: {e}")))?;
        if !text
            .windows(27)
            .any(|w| w == b"-----BEGIN CERTIFICATE-----")
        {
            return Err(Error::validation(
                "caFile",
                format!("{ca} is not a PEM certificate (it has no BEGIN CERTIFICATE line)"),
            ));
        }
        options = options.ssl_root_cert(ca);
    }
    let location = format!("postgres://{user}@{host}:{port}/{database}");
    // On the form the message stands beside its field, which already says where.
    let prefix = format!("{location}: ");
    let store = crate::store::postgres::PgStore::open_with(
        options,
        location.clone(),
        crate::store::postgres::Create::No,
    )
    .await
    .map_err(|mut e| {
        if e.field.is_some()
            && let Some(rest) = e.message.strip_prefix(&prefix)
        {
            e.message = rest.to_string();
        }
        e
    })?;
    use crate::store::Store;
    let Some((name, role)) = store.identity() else {
        store.close().await;
        return Err(Error::validation(
            "user",
            format!(
                "{user} is not a Lotwise team member (it is an administrator's or the owner's login): sign in with your own login, which IT adds with `lotwise team add-user`"
            ),
        ));
    };
    store.check_storage().await?;
    Ok(Ctx::new(
        crate::store::journaled::Journaled::wrap(std::sync::Arc::new(store)).await?,
        std::sync::Arc::new(super::SystemClock),
        name.clone(),
    )
    .with_amber_days(super::amber_days_from_env()?)?
    .acting_as(name, role))
}

#[cfg(test)]
mod location_tests {
    use super::*;

    #[test]
    fn a_url_names_a_server_and_anything_else_a_file() {
        assert_eq!(
            Location::parse("postgres://lotwise@db.council.gov.uk/lotwise"),
            Location::Server("postgres://lotwise@db.council.gov.uk/lotwise".into())
        );
        assert_eq!(
            Location::parse("/home/ann/Kent.lotwise"),
            Location::File("/home/ann/Kent.lotwise".into())
        );
        assert_eq!(
            Location::parse("postgres.lotwise"),
            Location::File("postgres.lotwise".into())
        );
    }

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            redact("postgres://ann:s3cret@db/lotwise"),
            "postgres://ann:***@db/lotwise"
        );
        assert_eq!(
            redact("postgres://ann@db/lotwise"),
            "postgres://ann@db/lotwise"
        );
    }
}
