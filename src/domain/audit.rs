//! The audit chain: each event's hash covers a length-prefixed canonical encoding of its
//! fields and the previous hash, so editing, inserting or deleting any event breaks it.
use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub struct EventFields<'a> {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// Timestamps are truncated to microseconds before hashing so a round trip through any
/// store gives the same bytes.
pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    truncate(at).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn hash(prev: &str, e: &EventFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |tag: u8, bytes: Option<&[u8]>| {
        h.update([tag]);
        match bytes {
            None => h.update([0u8]),
            Some(b) => {
                h.update([1u8]);
                h.update((b.len() as u64).to_be_bytes());
                h.update(b);
            }
        }
    };
    field(b'p', Some(prev.as_bytes()));
    field(b's', Some(&e.seq.to_be_bytes()));
    field(b't', Some(timestamp(e.at).as_bytes()));
    field(b'u', Some(e.actor.as_bytes()));
    field(b'a', Some(e.action.as_bytes()));
    field(b'e', Some(e.entity.as_bytes()));
    field(
        b'i',
        e.entity_id
            .map(|i| i.to_be_bytes())
            .as_ref()
            .map(|b| &b[..]),
    );
    field(b'b', e.before.map(str::as_bytes));
    field(b'f', e.after.map(str::as_bytes));
    hex::encode(h.finalize())
}

/// An event as stored, with its link and hash: what verifying the chain reads.
#[derive(Debug, Clone)]
pub struct ChainEvent {
    pub seq: i64,
    /// As stored (RFC 3339), so a malformed one is reported rather than guessed.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Walks the chain from the start, recomputing every hash: the first event that is missing,
/// mislinked or changed is reported.
pub fn verify(events: &[ChainEvent]) -> crate::domain::audit::AuditVerification {
    use crate::domain::audit::AuditVerification;
    let mut prev = GENESIS.to_string();
    let length = events.len() as i64;
    for (expected_seq, e) in (1i64..).zip(events.iter()) {
        let broken = |reason: String| AuditVerification::Broken {
            length,
            first_broken_seq: e.seq,
            reason,
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
        let at = match DateTime::parse_from_rfc3339(&e.at) {
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
        if hash(&prev, &fields) != e.hash {
            return broken(
                "its contents do not match its hash: the event was changed after it was written"
                    .into(),
            );
        }
        prev = e.hash.clone();
    }
    AuditVerification::Ok { length, head: prev }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    #[ts(type = "unknown")]
    pub before: Option<serde_json::Value>,
    #[ts(type = "unknown")]
    pub after: Option<serde_json::Value>,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditPage {
    pub total: i64,
    pub events: Vec<AuditEvent>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    tag = "status"
)]
#[ts(export)]
pub enum AuditVerification {
    Ok {
        length: i64,
        head: String,
    },
    Broken {
        length: i64,
        first_broken_seq: i64,
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(actor: &str) -> EventFields<'_> {
        EventFields {
            seq: 1,
            at: DateTime::parse_from_rfc3339("2026-11-24T10:00:00.1234567Z")
                .unwrap()
                .with_timezone(&Utc),
            actor,
            action: "lot.created",
            entity: "lot",
            entity_id: Some(1),
            before: None,
            after: Some("{}"),
        }
    }

    #[test]
    fn any_field_changes_the_hash() {
        let a = hash(GENESIS, &ev("officer"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, hash(GENESIS, &ev("officer2")));
        assert_ne!(a, hash(&a, &ev("officer")));
        let mut moved = ev("officer");
        moved.before = Some("{}");
        moved.after = None;
        assert_ne!(
            a,
            hash(GENESIS, &moved),
            "before/after are not interchangeable"
        );
    }

    #[test]
    fn sub_microsecond_noise_does_not_change_the_hash() {
        let mut e = ev("officer");
        let a = hash(GENESIS, &e);
        e.at = truncate(e.at);
        assert_eq!(a, hash(GENESIS, &e));
        assert_eq!(timestamp(e.at), "2026-11-24T10:00:00.123456Z");
    }
}
