//! Moving a whole workspace between the backends, row for row:
//! - `push`: a laptop workspace file into an empty team workspace (`lotwise workspace push`);
//!   every row and every audit event as stored, so the chain head is the same afterwards.
//! - `snapshot`: a team workspace into a new workspace file (`lotwise backup`), read in one
//!   REPEATABLE READ transaction so it is one consistent moment, marked as a copy.
//!
//! The two schemas have the same tables and columns (tests check the migrations match); only
//! how a value is kept differs (see each backend's `dialect`): dates and instants are text in
//! SQLite and DATE/TIMESTAMPTZ here, flags 0/1 against BOOLEAN. The server's catalogue says
//! which column is which, and the order foreign keys need.
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Row, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use ts_rs::TS;

use super::PgStore;
use crate::error::{Error, ErrorCode, Result};
use crate::store::sqlite::SqliteStore;
use crate::store::{CopyOf, Store};

/// How a column is kept on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Flag,
    Bytes,
    Date,
    Instant,
    Text,
}

#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
    /// Has an identity `id` column, whose sequence must follow the copied ids.
    identity: bool,
}

/// Tables that belong to the machinery, not the record.
const SKIP: [&str; 3] = ["_sqlx_migrations", "copy_of", "audit_pending"];
/// The workspace's id: made when a workspace is created, so the destination already has
/// one; the copy carries the source's instead (it is the same record, continued or copied).
const IDENTITY: &str = "workspace_identity";

/// Most values bound in one statement: PostgreSQL's protocol allows 65,535 and SQLite
/// 32,766, so one limit under both.
const MAX_BINDS: usize = 30_000;

fn rows_per_insert(t: &Table) -> usize {
    (MAX_BINDS / t.columns.len()).max(1)
}

/// `INSERT INTO t (a, b) VALUES ($1<cast a>, $2<cast b>), …` for `rows` rows, each column's
/// placeholder followed by what `cast` gives for its kind.
fn insert_sql(t: &Table, rows: usize, cast: impl Fn(Kind) -> &'static str) -> String {
    let names: Vec<String> = t.columns.iter().map(|(c, _)| ident(c)).collect();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        ident(&t.name),
        names.join(", ")
    );
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for (i, (_, kind)) in t.columns.iter().enumerate() {
            n += 1;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${n}{})", cast(*kind)));
        }
        sql.push(')');
    }
    sql
}

/// Every table of the team workspace, parents before children, with its columns.
async fn layout(conn: &mut sqlx::PgConnection) -> Result<Vec<Table>> {
    let cols: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_identity = 'YES'
         FROM information_schema.columns c JOIN pg_catalog.pg_tables t
           ON t.tablename = c.table_name AND t.schemaname = c.table_schema
         WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for (table, column, ty, identity) in cols {
        if SKIP.contains(&table.as_str()) {
            continue;
        }
        let kind = match ty.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "boolean" => Kind::Flag,
            "bytea" => Kind::Bytes,
            "date" => Kind::Date,
            "timestamp with time zone" => Kind::Instant,
            "text" => Kind::Text,
            other => {
                return Err(Error::new(
                    ErrorCode::Workspace,
                    format!("{table}.{column} is kept as {other}, which Lotwise does not copy"),
                ));
            }
        };
        let t = tables.entry(table.clone()).or_insert_with(|| Table {
            name: table,
            columns: vec![],
            identity: false,
        });
        t.identity |= identity && column == "id";
        t.columns.push((column, kind));
    }
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
         WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace",
    )
    .fetch_all(&mut *conn)
    .await?;
    // A submission freezes the evaluator's scores (the scores_frozen trigger refuses a score
    // added after it), so scores are copied first, as they were written.
    let mut edges = edges;
    edges.push(("submissions".into(), "scores".into()));
    // Kahn's algorithm, by name among equals so the order is always the same.
    let mut needs: BTreeMap<String, BTreeSet<String>> = tables
        .keys()
        .map(|t| (t.clone(), BTreeSet::new()))
        .collect();
    for (child, parent) in edges {
        if child != parent
            && tables.contains_key(&parent)
            && let Some(n) = needs.get_mut(&child)
        {
            n.insert(parent);
        }
    }
    let mut order = Vec::new();
    while !needs.is_empty() {
        let ready: Vec<String> = needs
            .iter()
            .filter(|(_, n)| n.is_empty())
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            return Err(Error::new(
                ErrorCode::Workspace,
                "the workspace's tables refer to each other in a circle; nothing was copied",
            ));
        }
        for t in &ready {
            needs.remove(t);
            for n in needs.values_mut() {
                n.remove(t);
            }
            order.push(tables.remove(t).expect("listed"));
        }
    }
    Ok(order)
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// What `workspace push` did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PushReport {
    pub from: String,
    pub to: String,
    pub tables: u32,
    pub rows: u64,
    pub audit_events: i64,
    /// The newest audit event's hash, the same in the file and on the server.
    pub chain_head: String,
}

/// Moves every row of the workspace file at `source` into the empty team workspace `target`
/// (opened by its owner or an administrator), in one transaction: all of it or none.
pub async fn push(source: &SqliteStore, target: &PgStore) -> Result<PushReport> {
    let to = target.location();
    if let Some(copy) = source.copy_of() {
        return Err(Error::new(
            ErrorCode::Workspace,
            format!(
                "{} is {}; the record is kept there, and a copy is never pushed back",
                source.location(),
                copy.describe()
            ),
        ));
    }
    if let Some((user, _)) = target.identity() {
        return Err(Error::new(
            ErrorCode::Forbidden,
            format!(
                "{to}: {user} is a team member; a workspace is pushed by the owner or an administrator (the login that ran `lotwise team init`)"
            ),
        ));
    }
    let mut src = source.pool().begin().await?;
    let (src_seq, src_head) = crate::store::sqlite::head(&mut src).await?;
    let mut tx = target.begin_tx().await?;
    let conn = tx.conn();
    let tables = layout(conn).await?;
    for t in tables.iter().filter(|t| t.name != IDENTITY) {
        let any: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT EXISTS (SELECT 1 FROM {})",
            ident(&t.name)
        )))
        .fetch_one(&mut *conn)
        .await?;
        if any {
            return Err(Error::new(
                ErrorCode::Workspace,
                format!(
                    "{to} already holds records (in {}); a workspace is pushed only into an empty team workspace",
                    t.name
                ),
            ));
        }
    }
    let mut rows = 0u64;
    sqlx::query("DELETE FROM workspace_identity")
        .execute(&mut *conn)
        .await?;
    for t in &tables {
        rows += copy_into_server(&mut src, conn, t).await?;
        if t.identity {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce((SELECT max(id) FROM {t}), 0) + 1, false)",
                name = t.name.replace('\'', "''"),
                t = ident(&t.name)
            )))
            .execute(&mut *conn)
            .await?;
        }
    }
    let (seq, head): (i64, String) = super::audit::head(conn).await?;
    if (seq, &head) != (src_seq, &src_head) {
        return Err(Error::new(
            ErrorCode::Integrity,
            format!(
                "the audit trail did not arrive whole (file: {src_seq} events, head {src_head}; server: {seq}, head {head}); nothing was kept"
            ),
        ));
    }
    tx.tx.commit().await?;
    Ok(PushReport {
        from: source.location(),
        to,
        tables: tables.len() as u32,
        rows,
        audit_events: seq,
        chain_head: head,
    })
}

async fn copy_into_server(
    src: &mut SqliteConnection,
    dst: &mut sqlx::PgConnection,
    t: &Table,
) -> Result<u64> {
    let names: Vec<String> = t.columns.iter().map(|(c, _)| ident(c)).collect();
    let fetched = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM {} ORDER BY rowid",
        names.join(", "),
        ident(&t.name)
    )))
    .fetch_all(&mut *src)
    .await
    .map_err(|e| {
        tracing::error!(table = %t.name, error = %e, "reading the workspace file failed");
        Error::new(
            ErrorCode::Workspace,
            format!(
                "the workspace file's {} table is not the one this version of Lotwise knows; nothing was copied",
                t.name
            ),
        )
    })?;
    for chunk in fetched.chunks(rows_per_insert(t)) {
        let sql = insert_sql(t, chunk.len(), |kind| match kind {
            Kind::Int => "::bigint",
            Kind::Flag => "::bigint <> 0",
            Kind::Bytes => "::bytea",
            Kind::Date => "::date",
            Kind::Instant => "::timestamptz",
            Kind::Text => "::text",
        });
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for (i, (_, kind)) in t.columns.iter().enumerate() {
                q = match kind {
                    Kind::Int | Kind::Flag => q.bind(row.try_get::<Option<i64>, _>(i)?),
                    Kind::Bytes => q.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
                    _ => q.bind(row.try_get::<Option<String>, _>(i)?),
                };
            }
        }
        q.execute(&mut *dst).await?;
    }
    Ok(fetched.len() as u64)
}

/// Writes the team workspace, as this login may see it, to a new workspace file at `out`,
/// read in one REPEATABLE READ transaction, marked as a copy of the server at this moment.
/// Built under a temporary name and renamed into place: `out` is whole or untouched.
pub async fn snapshot(store: &PgStore, out: &Path, now: DateTime<Utc>) -> Result<CopyOf> {
    let temp = crate::store::sqlite::temp_beside(out, "partial");
    let r = snapshot_into(store, &temp, now).await;
    let copy = match r {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    std::fs::rename(&temp, out).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        tracing::error!(out = %out.display(), error = %e, "renaming the copy into place failed");
        Error::validation(
            "out",
            format!(
                "{} could not be written (see the log for details); nothing was left behind",
                out.display()
            ),
        )
    })?;
    Ok(copy)
}

async fn snapshot_into(store: &PgStore, temp: &Path, now: DateTime<Utc>) -> Result<CopyOf> {
    let file = SqliteStore::create(temp).await?;
    let mut read = store.read_tx().await?;
    let conn = read.conn();
    let tables = layout(conn).await?;
    let taken_by: String = sqlx::query_scalar("SELECT session_user::text")
        .fetch_one(&mut *conn)
        .await?;
    let copy = CopyOf {
        server: store.location(),
        taken_at: crate::domain::audit::truncate(now),
        taken_by,
    };
    let mut dst = file.pool().begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query("DELETE FROM workspace_identity")
        .execute(&mut *dst)
        .await?;
    for t in &tables {
        copy_into_file(conn, &mut dst, t).await?;
    }
    sqlx::query("INSERT INTO copy_of (server, taken_at, taken_by) VALUES ($1, $2, $3)")
        .bind(&copy.server)
        .bind(crate::domain::audit::timestamp(copy.taken_at))
        .bind(&copy.taken_by)
        .execute(&mut *dst)
        .await?;
    dst.commit().await?;
    drop(read);
    file.close().await;
    Ok(copy)
}

async fn copy_into_file(
    src: &mut sqlx::PgConnection,
    dst: &mut SqliteConnection,
    t: &Table,
) -> Result<()> {
    let exprs: Vec<String> = t
        .columns
        .iter()
        .map(|(c, kind)| {
            let c = ident(c);
            match kind {
                Kind::Int => format!("{c}::bigint"),
                Kind::Flag => format!("{c}::int::int8"),
                Kind::Bytes | Kind::Text => c,
                Kind::Date => format!("to_char({c}, 'YYYY-MM-DD')"),
                // As domain::audit::timestamp writes it, so the chain hashes the same text.
                Kind::Instant => {
                    format!("to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
                }
            }
        })
        .collect();
    let order = if t.columns.iter().any(|(c, _)| c == "id") {
        " ORDER BY id"
    } else {
        ""
    };
    let fetched = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM {}{order}",
        exprs.join(", "),
        ident(&t.name)
    )))
    .fetch_all(&mut *src)
    .await?;
    for chunk in fetched.chunks(rows_per_insert(t)) {
        // The file keeps each value as read: the SELECT above wrote it in SQLite's form.
        let sql = insert_sql(t, chunk.len(), |_| "");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for (i, (_, kind)) in t.columns.iter().enumerate() {
                q = match kind {
                    Kind::Int | Kind::Flag => q.bind(row.try_get::<Option<i64>, _>(i)?),
                    Kind::Bytes => q.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
                    _ => q.bind(row.try_get::<Option<String>, _>(i)?),
                };
            }
        }
        q.execute(&mut *dst).await?;
    }
    Ok(())
}
