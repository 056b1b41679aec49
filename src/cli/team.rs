//! `lotwise team …`: setting up a team workspace on a PostgreSQL server and its accounts.
//! These connect as an administrator (`--server postgres://ADMIN@HOST:PORT/DB`), not as a
//! workspace user.
use clap::Subcommand;
use std::path::PathBuf;

use crate::domain::roles::Role;
use crate::error::{Error, Result};
use crate::store::postgres::team;

#[derive(Subcommand, Debug)]
pub enum TeamCmd {
    /// Create the schema, the owner and group roles and the row-level security in an empty
    /// database (again after an upgrade: brings them up to date).
    Init {
        /// The database, as an administrator: postgres://ADMIN@HOST:PORT/DB (the password
        /// from PGPASSWORD or ~/.pgpass).
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long)]
        json: bool,
    },
    /// Create a person's login with a Lotwise role; prints a one-time password unless
    /// --password-file gives one.
    AddUser {
        /// Their user name, as the audit trail will show it (e.g. r.hughes).
        name: String,
        /// officer, evaluator, moderator or legal.
        #[arg(long)]
        role: String,
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        #[arg(long, value_name = "URL")]
        server: String,
    },
    /// Everyone with a Lotwise role on the server.
    Users {
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a person's login (what they did stays in the record under their name).
    RemoveUser {
        name: String,
        #[arg(long, value_name = "URL")]
        server: String,
    },
}

pub async fn run(cmd: TeamCmd) -> Result<()> {
    match cmd {
        TeamCmd::Init { server, json } => {
            let r = team::init(&server).await?;
            if json {
                super::json(&r);
            } else {
                println!(
                    "Team workspace ready on {}: schema {}, {} tables with row-level security forced.",
                    r.server, r.schema_version, r.tables_secured
                );
                println!(
                    "Add people with: lotwise team add-user NAME --role officer|evaluator|moderator|legal --server …"
                );
            }
        }
        TeamCmd::AddUser {
            name,
            role,
            password_file,
            server,
        } => {
            let role = Role::parse(&role)?;
            let (password, shown) = match &password_file {
                Some(f) => {
                    let text = std::fs::read_to_string(f).map_err(|e| {
                        Error::validation(
                            "passwordFile",
                            format!("{} could not be read: {e}", f.display()),
                        )
                    })?;
                    let first = text
                        .trim_start_matches('\u{feff}')
                        .lines()
                        .next()
                        .unwrap_or("")
                        .trim_end_matches('\r')
                        .to_string();
                    (first, false)
                }
                None => (team::one_time_password()?, true),
            };
            team::add_user(&server, &name, role, &password).await?;
            println!("Added {name} as {}.", role.with_article());
            if shown {
                println!("One-time password (shown once, not kept by Lotwise): {password}");
            }
        }
        TeamCmd::Users { server, json } => {
            let users = team::users(&server).await?;
            if json {
                super::json(&users);
            } else if users.is_empty() {
                println!("No Lotwise users yet.");
            } else {
                for u in users {
                    println!(
                        "{:<24} {}{}",
                        u.name,
                        u.role.label(),
                        if u.can_log_in { "" } else { " (cannot log in)" }
                    );
                }
            }
        }
        TeamCmd::RemoveUser { name, server } => {
            team::remove_user(&server, &name).await?;
            println!("Removed {name}'s login; their acts stay in the record under their name.");
        }
    }
    Ok(())
}
