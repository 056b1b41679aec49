//! Appending to and verifying the hash-chained audit trail.
use serde::Serialize;
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::super::WriteCtx;
use crate::domain::audit::{self, EventFields, GENESIS};
use crate::domain::ids::LotId;
use crate::domain::model::{AuditEvent, AuditPage, AuditVerification};
use crate::error::Result;

/// The newest event's sequence number and hash (0 and the genesis hash when empty).
pub async fn head(conn: &mut SqliteConnection) -> Result<(i64, String)> {
    Ok(
        sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or((0, GENESIS.to_string())),
    )
}

/// The hash the chain holds at `seq`, if the event exists.
pub async fn hash_at(pool: &SqlitePool, seq: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT hash FROM audit_events WHERE seq = ?")
            .bind(seq)
            .fetch_optional(pool)
            .await?,
    )
}

/// Appends the event for something added to a lot (no "before"): most front-half records.
pub async fn added_to_lot<A: Serialize>(
    conn: &mut SqliteConnection,
    w: &WriteCtx,
    action: &str,
    lot: crate::domain::ids::LotId,
    after: &A,
) -> Result<()> {
    append(
        conn,
        w,
        action,
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(after),
    )
    .await
}

/// Appends one event in the caller's transaction; the chain head is read under the same
/// write lock, so two writers can never fork the chain.
pub async fn append<B: Serialize, A: Serialize>(
    conn: &mut SqliteConnection,
    w: &WriteCtx,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    let (last_seq, prev) = head(conn).await?;
    let before = before.map(|b| serde_json::to_string(b).expect("serialisable"));
    let after = after.map(|a| serde_json::to_string(a).expect("serialisable"));
    let fields = EventFields {
        seq: last_seq + 1,
        at: audit::truncate(w.at),
        actor: &w.actor,
        action,
        entity,
        entity_id,
        before: before.as_deref(),
        after: after.as_deref(),
    };
    let hash = audit::hash(&prev, &fields);
    sqlx::query(
        "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(fields.seq)
    .bind(audit::timestamp(fields.at))
    .bind(&w.actor)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(&before)
    .bind(&after)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

struct Raw {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
    prev_hash: String,
    hash: String,
}

fn raw(row: &sqlx::sqlite::SqliteRow) -> Raw {
    Raw {
        seq: row.get("seq"),
        at: row.get("at"),
        actor: row.get("actor"),
        action: row.get("action"),
        entity: row.get("entity"),
        entity_id: row.get("entity_id"),
        before: row.get("before"),
        after: row.get("after"),
        prev_hash: row.get("prev_hash"),
        hash: row.get("hash"),
    }
}

const SELECT: &str = "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_events";

pub async fn page(pool: &SqlitePool, offset: i64, limit: i64) -> Result<AuditPage> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events")
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} ORDER BY seq DESC LIMIT ? OFFSET ?"
    )))
    .bind(limit.clamp(1, 1000))
    .bind(offset.max(0))
    .fetch_all(pool)
    .await?;
    let events = rows.iter().map(event).collect();
    Ok(AuditPage { total, events })
}

fn event(row: &sqlx::sqlite::SqliteRow) -> AuditEvent {
    let e = raw(row);
    AuditEvent {
        seq: e.seq,
        at: super::rows::instant(&e.at),
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id,
        before: e.before.and_then(|s| serde_json::from_str(&s).ok()),
        after: e.after.and_then(|s| serde_json::from_str(&s).ok()),
        hash: e.hash,
    }
}

/// The lot's part of the trail up to and including `upto` (the chain head when an award
/// pack was built): the lot itself, its milestones and its bids.
pub async fn lot_events(pool: &SqlitePool, lot: LotId, upto: i64) -> Result<Vec<AuditEvent>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE seq <= ? AND (
            (entity = 'lot' AND entity_id = ?)
            OR (entity = 'milestone' AND entity_id IN (SELECT id FROM milestones WHERE lot_id = ?))
            OR (entity = 'bid' AND entity_id IN (SELECT id FROM bids WHERE lot_id = ?)))
         ORDER BY seq"
    )))
    .bind(upto)
    .bind(lot.0)
    .bind(lot.0)
    .bind(lot.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(event).collect())
}

/// Walks the whole chain from the start, recomputing every hash.
pub async fn verify(pool: &SqlitePool) -> Result<AuditVerification> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY seq")))
        .fetch_all(pool)
        .await?;
    let mut prev = GENESIS.to_string();
    let length = rows.len() as i64;
    for (expected_seq, row) in (1i64..).zip(rows.iter()) {
        let e = raw(row);
        let broken = |reason: String| {
            Ok(AuditVerification::Broken {
                length,
                first_broken_seq: e.seq,
                reason,
            })
        };
        if e.seq != expected_seq {
            return broken(format!(
                "event {expected_seq} is missing (next event is {})",
                e.seq
            ));
        }
        if e.prev_hash != prev {
            return broken("its link to the previous event does not match".into());
        }
        let at = match chrono::DateTime::parse_from_rfc3339(&e.at) {
            Ok(d) => d.to_utc(),
            Err(_) => return broken(format!("its timestamp “{}” is not valid", e.at)),
        };
        let fields = EventFields {
            seq: e.seq,
            at,
            actor: &e.actor,
            action: &e.action,
            entity: &e.entity,
            entity_id: e.entity_id,
            before: e.before.as_deref(),
            after: e.after.as_deref(),
        };
        if audit::hash(&prev, &fields) != e.hash {
            return broken(
                "its contents do not match its hash: the event was changed after it was written"
                    .into(),
            );
        }
        prev = e.hash;
    }
    Ok(AuditVerification::Ok { length, head: prev })
}
