//! Setting up a team workspace on a PostgreSQL server, and its accounts: an owner role that
//! owns every table, a group role per Lotwise role, one LOGIN role per person (SCRAM), and
//! the row-level security in `team.sql`. Run with an administrator's connection (a role
//! with CREATEROLE that may create tables in the database).
use serde::Serialize;
use sqlx::{Connection, PgConnection};
use ts_rs::TS;

use crate::domain::roles::Role;
use crate::error::{Error, ErrorCode, Result};

/// The role that owns the schema: migrations and `workspace push` act as it.
pub const OWNER: &str = "lotwise_owner";
/// Every person's group roles are members of this one.
pub const MEMBER: &str = "lotwise_member";

/// The group role of a Lotwise role.
pub fn group(role: Role) -> String {
    format!("lotwise_{}", role.key())
}

const SECURITY: &str = include_str!("team.sql");

/// The revision of `team.sql`, recorded on the server by `team init`. A person's app refuses
/// a team workspace whose security is older than the revision it was built with (IT runs
/// `team init`, which refreshes it), so a corrected policy reaches every server that a
/// corrected app opens, even when no migration came with it. A server set up before
/// revisions were recorded counts as revision 1. Raise it with every change to `team.sql`:
/// a test holds the file's digest to this number.
pub const SECURITY_REVISION: i32 = 3;

/// Records the revision inside the same transaction as the security it names.
fn record_revision() -> String {
    format!(
        "CREATE OR REPLACE FUNCTION lotwise_security_revision() RETURNS integer
         LANGUAGE sql IMMUTABLE AS $$ SELECT {SECURITY_REVISION} $$;
         REVOKE ALL ON FUNCTION lotwise_security_revision() FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION lotwise_security_revision() TO {MEMBER};"
    )
}

async fn connect(admin_url: &str) -> Result<PgConnection> {
    let location = crate::ops::workspace::redact(admin_url);
    PgConnection::connect(admin_url)
        .await
        .map_err(|e| super::connect_error(&location, e))
}

fn refused(what: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Workspace, what.to_string())
}

/// A role name as PostgreSQL quotes it, for the statements that cannot take parameters.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A person's user name: what the audit trail, the panel and the server all call them.
pub fn check_user_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !ok {
        return Err(Error::validation(
            "name",
            format!(
                "“{name}” cannot be a user name: use lower-case letters, digits, dots, hyphens and underscores, starting with a letter, at most 63 characters (for example r.hughes)"
            ),
        ));
    }
    if name.starts_with("lotwise_") || name.starts_with("pg_") {
        return Err(Error::validation(
            "name",
            format!("“{name}” is reserved for the server and Lotwise's own roles"),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamInit {
    pub server: String,
    pub schema_version: i64,
    pub tables_secured: i64,
}

/// Creates the roles (when missing), the schema (owned by the owner role) and the security.
/// Run again after an upgrade, it brings the schema and the policies up to date.
pub async fn init(admin_url: &str) -> Result<TeamInit> {
    let server = crate::ops::workspace::redact(admin_url);
    let mut conn = connect(admin_url).await?;
    let db: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut conn)
        .await?;
    let mut roles = vec![OWNER.to_string(), MEMBER.to_string()];
    roles.extend(Role::ALL.into_iter().map(group));
    // Roles belong to the whole server: another database's `team init` may be making the
    // same ones at this moment, so a role that appears meanwhile is fine, and a clash on
    // the shared catalogue is tried again.
    let mut setup = String::new();
    for r in &roles {
        setup += &format!(
            "DO $$ BEGIN CREATE ROLE {} NOLOGIN NOBYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;\n",
            ident(r)
        );
    }
    for role in Role::ALL {
        setup += &format!("GRANT {MEMBER} TO {};\n", ident(&group(role)));
    }
    setup += &format!("GRANT {OWNER} TO CURRENT_USER;\n");
    setup += &format!("GRANT USAGE, CREATE ON SCHEMA public TO {OWNER};\n");
    setup += &format!("GRANT USAGE ON SCHEMA public TO {MEMBER};\n");
    setup += &format!(
        "REVOKE ALL ON DATABASE {db} FROM PUBLIC;\nGRANT CONNECT, TEMPORARY ON DATABASE {db} TO {MEMBER}, {OWNER};\n",
        db = ident(&db)
    );
    let mut attempt = 0;
    loop {
        match sqlx::raw_sql(sqlx::AssertSqlSafe(setup.clone()))
            .execute(&mut conn)
            .await
        {
            Ok(_) => break,
            Err(e) if attempt < 5 && e.as_database_error().is_some() => {
                // Idempotent, so a clash with a concurrent set-up is simply tried again.
                tracing::info!(error = %e, "team init: roles step clashed; trying again");
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "team init: roles and grants failed");
                return Err(refused(format!(
                    "{server}: the roles could not be created or given their rights: connect as an administrator with CREATEROLE (details are in the log)"
                )));
            }
        }
    }
    // Everything made from here on belongs to the owner role, not to the administrator.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SET ROLE {OWNER}")))
        .execute(&mut conn)
        .await?;
    let other_tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> $1",
    )
    .bind(OWNER)
    .fetch_one(&mut conn)
    .await?;
    if other_tables > 0 {
        return Err(refused(format!(
            "{server}: this database holds tables Lotwise did not make; a team workspace needs an empty database (createdb lotwise)"
        )));
    }
    super::MIGRATOR.run(&mut conn).await.map_err(|e| {
        tracing::error!(error = %e, "team init: migration failed");
        refused(format!(
            "{server}: the workspace schema could not be created; nothing was changed (details are in the log)"
        ))
    })?;
    let mut tx = conn.begin().await?;
    sqlx::raw_sql(SECURITY).execute(&mut *tx).await.map_err(|e| {
        tracing::error!(error = %e, "team init: security failed");
        refused(format!(
            "{server}: the row-level security could not be set up; nothing was changed (details are in the log)"
        ))
    })?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(record_revision()))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let schema_version: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await?;
    let tables_secured: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await.ok();
    Ok(TeamInit {
        server,
        schema_version: schema_version.unwrap_or(0),
        tables_secured,
    })
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamUser {
    pub name: String,
    pub role: Role,
    pub can_log_in: bool,
}

/// Creates a person's LOGIN role in the group of their Lotwise role. The password is
/// stored by the server as a SCRAM verifier; Lotwise keeps no copy.
pub async fn add_user(admin_url: &str, name: &str, role: Role, password: &str) -> Result<()> {
    check_user_name(name)?;
    if password.chars().count() < 12 {
        return Err(Error::validation(
            "password",
            "the password must be at least 12 characters",
        ));
    }
    let mut conn = connect(admin_url).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if exists {
        return Err(Error::conflict(format!(
            "the server already has a user called {name}"
        )));
    }
    let mut tx = conn.begin().await?;
    // SCRAM whatever the server's default, so the password never travels or rests as MD5.
    sqlx::raw_sql("SET LOCAL password_encryption = 'scram-sha-256'")
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE ROLE {} LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {} IN ROLE {}",
        ident(name),
        literal(password),
        ident(&group(role))
    )))
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "team add-user failed");
        refused("the user could not be created (details are in the log)")
    })?;
    tx.commit().await?;
    Ok(())
}

/// Everyone with a Lotwise role on the server.
pub async fn users(admin_url: &str) -> Result<Vec<TeamUser>> {
    let mut conn = connect(admin_url).await?;
    let rows: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT u.rolname, g.rolname, u.rolcanlogin FROM pg_roles u
         JOIN pg_auth_members am ON am.member = u.oid JOIN pg_roles g ON g.oid = am.roleid
         WHERE g.rolname = ANY($1) ORDER BY u.rolname",
    )
    .bind(Role::ALL.into_iter().map(group).collect::<Vec<_>>())
    .fetch_all(&mut conn)
    .await?;
    rows.into_iter()
        .map(|(name, g, can_log_in)| {
            let role = Role::ALL
                .into_iter()
                .find(|r| group(*r) == g)
                .ok_or_else(|| refused("unknown group"))?;
            Ok(TeamUser {
                name,
                role,
                can_log_in,
            })
        })
        .collect()
}

/// Removes a person's login. What they did stays in the record under their name.
pub async fn remove_user(admin_url: &str, name: &str) -> Result<()> {
    check_user_name(name)?;
    let known = users(admin_url).await?.into_iter().any(|u| u.name == name);
    if !known {
        return Err(Error::not_found(format!("Lotwise user {name}")));
    }
    let mut conn = connect(admin_url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP ROLE {}", ident(name))))
        .execute(&mut conn)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "team remove-user failed");
            refused(format!(
                "{name} could not be removed (details are in the log)"
            ))
        })?;
    Ok(())
}

/// A password for a new account: 24 characters from the OS's random source, shown once.
pub fn one_time_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Bytes at or above the last whole multiple of the alphabet's length are drawn again,
    // so every character is equally likely.
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    let mut out = String::with_capacity(24);
    while out.len() < 24 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| refused(format!("no random source for a password: {e}")))?;
        for b in bytes.into_iter().filter(|b| *b < limit) {
            if out.len() < 24 {
                out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    /// `team.sql` at each revision. A change to the file without a new revision would leave
    /// servers behind on the old policies with nothing to tell IT; this fails first.
    #[test]
    fn the_security_revision_is_raised_with_every_change_to_team_sql() {
        let text = super::SECURITY.replace("\r\n", "\n");
        let digest = hex::encode(Sha256::digest(text.as_bytes()));
        assert_eq!(
            (super::SECURITY_REVISION, digest.as_str()),
            (
                3,
                "fca8dd8e37da1837574bbe1b4c240f9cc95c15474cd192d7c510ff1e1ac1518c"
            ),
            "team.sql has changed: raise SECURITY_REVISION and record the new revision and digest here"
        );
    }
}
