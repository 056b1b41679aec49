//! Appending to and verifying the hash-chained audit trail.
use super::Conn;
use super::rows::Instant;
use super::rows::decode;

use super::BackendTx;
use crate::domain::audit::{self, ChainEvent, EventFields, GENESIS};
use crate::domain::audit::{AuditEvent, AuditPage};
use crate::domain::ids::LotId;
use crate::error::Result;
use crate::store::{AuditStore, NewAuditEvent};

/// The newest event's sequence number and hash (0 and the genesis hash when empty).
pub async fn head(conn: &mut Conn) -> Result<(i64, String)> {
    Ok(
        sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or((0, GENESIS.to_string())),
    )
}

/// Links the event to the chain head and writes it: the hash rule is the domain's.
pub async fn insert(conn: &mut Conn, e: NewAuditEvent) -> Result<()> {
    super::rows::lock_chain(conn).await?;
    let (last_seq, prev) = head(conn).await?;
    let fields = EventFields {
        seq: last_seq + 1,
        at: audit::truncate(e.at),
        actor: &e.actor,
        action: &e.action,
        entity: &e.entity,
        entity_id: e.entity_id,
        before: e.before.as_deref(),
        after: e.after.as_deref(),
    };
    let hash = audit::hash(&prev, &fields);
    sqlx::query(
        "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(fields.seq)
    .bind(super::rows::timestamp(fields.at))
    .bind(&e.actor)
    .bind(&e.action)
    .bind(&e.entity)
    .bind(e.entity_id)
    .bind(&e.before)
    .bind(&e.after)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Raw {
    seq: i64,
    at: Instant,
    actor: String,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
    prev_hash: String,
    hash: String,
}

const SELECT: &str = "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_events";

async fn page_in(conn: &mut Conn, offset: i64, limit: i64) -> Result<AuditPage> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events")
        .fetch_one(&mut *conn)
        .await?;
    let rows = decode::<Raw>(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} ORDER BY seq DESC LIMIT $1 OFFSET $2"
        )))
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(&mut *conn)
        .await?,
    )?;
    let events = rows.into_iter().map(event).collect();
    Ok(AuditPage { total, events })
}

fn event(e: Raw) -> AuditEvent {
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

async fn lot_events_in(conn: &mut Conn, lot: LotId, upto: i64) -> Result<Vec<AuditEvent>> {
    let rows = decode::<Raw>(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE seq <= $1 AND (
            (entity = 'lot' AND entity_id = $2)
            OR (entity = 'milestone' AND entity_id IN (SELECT id FROM milestones WHERE lot_id = $3))
            OR (entity = 'bid' AND entity_id IN (SELECT id FROM bids WHERE lot_id = $4)))
         ORDER BY seq"
        )))
        .bind(upto)
        .bind(lot.0)
        .bind(lot.0)
        .bind(lot.0)
        .fetch_all(conn)
        .await?,
    )?;
    Ok(rows.into_iter().map(event).collect())
}

/// Every event in order, as stored.
pub async fn chain(conn: &mut Conn) -> Result<Vec<ChainEvent>> {
    let mut events = Vec::new();
    let mut keep = |e: crate::domain::audit::EventRef<'_>| {
        events.push(e.into_event());
        true
    };
    if super::dialect::walk_chain(conn, 0, i64::MAX, &mut keep)
        .await?
        .is_some()
    {
        return Ok(events);
    }
    let rows = decode::<Raw>(
        sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY seq")))
            .fetch_all(conn)
            .await?,
    )?;
    Ok(rows
        .into_iter()
        .map(|e| ChainEvent {
            seq: e.seq,
            at: super::rows::instant_text(e.at),
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect())
}

#[async_trait::async_trait]
impl AuditStore for BackendTx {
    async fn append(&mut self, e: NewAuditEvent) -> Result<()> {
        if self.server_audit() {
            // A member's connection: the server sets who, when, and the link.
            sqlx::query("SELECT lotwise_audit_append($1, $2, $3, $4, $5)")
                .bind(&e.action)
                .bind(&e.entity)
                .bind(e.entity_id)
                .bind(&e.before)
                .bind(&e.after)
                .execute(self.conn())
                .await?;
            return Ok(());
        }
        insert(self.conn(), e).await
    }
    async fn head(&mut self) -> Result<(i64, String)> {
        head(self.conn()).await
    }
    async fn hash_at(&mut self, seq: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT hash FROM audit_events WHERE seq = $1")
                .bind(seq)
                .fetch_optional(self.conn())
                .await?,
        )
    }
    async fn hashes_at(&mut self, seqs: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
        let mut found = std::collections::HashMap::with_capacity(seqs.len());
        // A few hundred at a time keeps well inside both backends' limit on parameters.
        for part in seqs.chunks(500) {
            let list = (1..=part.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT seq, hash FROM audit_events WHERE seq IN ({list})");
            let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
            for s in part {
                q = q.bind(*s);
            }
            found.extend(q.fetch_all(self.conn()).await?);
        }
        Ok(found)
    }
    async fn page(&mut self, offset: i64, limit: i64) -> Result<AuditPage> {
        page_in(self.conn(), offset, limit).await
    }
    async fn chain(&mut self) -> Result<Vec<ChainEvent>> {
        chain(self.conn()).await
    }
    async fn walk_chain(
        &mut self,
        after: i64,
        upto: i64,
        visit: &mut crate::domain::audit::Visit<'_>,
    ) -> Result<i64> {
        if let Some(n) = super::dialect::walk_chain(self.conn(), after, upto, visit).await? {
            return Ok(n);
        }
        let events: Vec<ChainEvent> = chain(self.conn())
            .await?
            .into_iter()
            .filter(|e| e.seq > after && e.seq <= upto)
            .collect();
        for e in &events {
            if !visit(e.as_ref()) {
                break;
            }
        }
        Ok(events.len() as i64)
    }
    async fn lot_events(&mut self, lot: LotId, upto: i64) -> Result<Vec<AuditEvent>> {
        lot_events_in(self.conn(), lot, upto).await
    }
    async fn workspace_id(&mut self) -> Result<String> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM workspace_identity LIMIT 1")
            .fetch_optional(self.conn())
            .await?;
        id.ok_or_else(|| super::rows::unreadable("workspace id"))
    }
    async fn last_change(
        &mut self,
        entity: &str,
        entity_id: i64,
        action: &str,
    ) -> Result<Option<crate::domain::edit::LastChange>> {
        let row: Option<(i64, String, Instant)> = sqlx::query_as(
            "SELECT seq, actor, at FROM audit_events
             WHERE entity = $1 AND entity_id = $2 AND action LIKE $3 ORDER BY seq DESC LIMIT 1",
        )
        .bind(entity)
        .bind(entity_id)
        .bind(action)
        .fetch_optional(self.conn())
        .await?;
        Ok(
            row.map(|(version, by, at)| crate::domain::edit::LastChange {
                version,
                by,
                at: super::rows::instant_owned(at),
            }),
        )
    }
}
