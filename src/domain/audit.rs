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
    hex::encode(digest(prev, e, &timestamp(e.at)))
}

/// The hash of an event whose time is already written as `timestamp` writes it.
fn digest(prev: &str, e: &EventFields<'_>, at: &str) -> [u8; 32] {
    // The encoding is laid out in one buffer and hashed in one call: the same bytes as
    // feeding the fields one by one, without 27 small updates per event (a third of the
    // time of verifying a long chain).
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buf| {
        buf.clear();
        let mut field = |tag: u8, bytes: Option<&[u8]>| {
            buf.push(tag);
            match bytes {
                None => buf.push(0u8),
                Some(b) => {
                    buf.push(1u8);
                    buf.extend_from_slice(&(b.len() as u64).to_be_bytes());
                    buf.extend_from_slice(b);
                }
            }
        };
        field(b'p', Some(prev.as_bytes()));
        field(b's', Some(&e.seq.to_be_bytes()));
        field(b't', Some(at.as_bytes()));
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
        Sha256::digest(&buf[..]).into()
    })
}

/// True when `at` is exactly as `timestamp` writes a real instant
/// ("2026-12-05T14:32:00.000000Z"): it is then hashed as it is, without being parsed and
/// written again (most of the cost of verifying a long chain, after SHA-256 itself).
fn is_canonical_time(at: &str) -> bool {
    let b = at.as_bytes();
    if b.len() != 27
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[26] != b'Z'
    {
        return false;
    }
    let digits = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(sec), Some(_)) = (
        digits(0, 4),
        digits(5, 7),
        digits(8, 10),
        digits(11, 13),
        digits(14, 16),
        digits(17, 19),
        digits(20, 26),
    ) else {
        return false;
    };
    chrono::NaiveDate::from_ymd_opt(y as i32, mo, d).is_some() && h < 24 && mi < 60 && sec < 60
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
/// mislinked or changed is reported. The work is spread over the machine's cores.
pub fn verify(events: &[ChainEvent]) -> crate::domain::audit::AuditVerification {
    verify_on(
        events,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    )
}

/// As `verify`, on `threads` threads. Each event is checked on its own: its number follows
/// the one before, its link equals the stored hash of the one before, and its hash is that
/// of its link and contents. Together these are exactly the walk from the start, so the
/// chain can be cut into pieces checked side by side; the earliest failure is reported.
pub fn verify_on(events: &[ChainEvent], threads: usize) -> crate::domain::audit::AuditVerification {
    use crate::domain::audit::AuditVerification;
    let length = events.len() as i64;
    let piece = events.len().div_ceil(threads.max(1)).max(4_096);
    let first_failure = std::thread::scope(|s| {
        let handles: Vec<_> = events
            .chunks(piece)
            .enumerate()
            .map(|(k, chunk)| s.spawn(move || check_piece(events, k * piece, chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .expect("verifying a piece of the chain does not panic")
            })
            .find_map(|f| f)
    });
    match first_failure {
        Some((i, reason)) => AuditVerification::Broken {
            length,
            first_broken_seq: events[i].seq,
            reason,
        },
        None => AuditVerification::Ok {
            length,
            head: events
                .last()
                .map_or_else(|| GENESIS.to_string(), |e| e.hash.clone()),
        },
    }
}

/// The first failure in `chunk`, which starts at `start` in `all`, with why.
fn check_piece(all: &[ChainEvent], start: usize, chunk: &[ChainEvent]) -> Option<(usize, String)> {
    for (offset, e) in chunk.iter().enumerate() {
        let i = start + offset;
        let prev = if i == 0 {
            GENESIS
        } else {
            all[i - 1].hash.as_str()
        };
        if let Some(why) = check_event(i as i64 + 1, prev, &e.as_ref()) {
            return Some((i, why));
        }
    }
    None
}

/// An event as stored, borrowed from wherever the store read it (a row of SQLite's).
#[derive(Debug, Clone, Copy)]
pub struct EventRef<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

impl EventRef<'_> {
    pub fn into_event(self) -> ChainEvent {
        ChainEvent {
            seq: self.seq,
            at: self.at.to_string(),
            actor: self.actor.to_string(),
            action: self.action.to_string(),
            entity: self.entity.to_string(),
            entity_id: self.entity_id,
            before: self.before.map(str::to_string),
            after: self.after.map(str::to_string),
            prev_hash: self.prev_hash.to_string(),
            hash: self.hash.to_string(),
        }
    }
}

impl ChainEvent {
    pub fn as_ref(&self) -> EventRef<'_> {
        EventRef {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            entity: &self.entity,
            entity_id: self.entity_id,
            before: self.before.as_deref(),
            after: self.after.as_deref(),
            prev_hash: &self.prev_hash,
            hash: &self.hash,
        }
    }
}

/// Why event `e`, expected to be number `expected_seq` and to follow an event whose stored
/// hash is `prev`, breaks the chain; None when it holds. The one rule every way of
/// verifying applies.
fn check_event(expected_seq: i64, prev: &str, e: &EventRef<'_>) -> Option<String> {
    if e.seq != expected_seq {
        return Some(format!(
            "event {expected_seq} is missing (next event is {})",
            e.seq
        ));
    }
    if e.prev_hash != prev {
        return Some("its link to the previous event does not match".into());
    }
    let fields = |at| EventFields {
        seq: e.seq,
        at,
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id,
        before: e.before,
        after: e.after,
    };
    // `digest` hashes the time as written; the instant in `fields` is not read by it.
    let d = if is_canonical_time(e.at) {
        digest(prev, &fields(DateTime::<Utc>::UNIX_EPOCH), e.at)
    } else {
        match DateTime::parse_from_rfc3339(e.at) {
            Ok(at) => {
                let at = at.to_utc();
                digest(prev, &fields(at), &timestamp(at))
            }
            Err(_) => return Some(format!("its timestamp “{}” is not valid", e.at)),
        }
    };
    let mut expected = [0u8; 64];
    hex::encode_to_slice(d, &mut expected).expect("64 hex digits for 32 bytes");
    if expected != e.hash.as_bytes() {
        return Some(
            "its contents do not match its hash: the event was changed after it was written".into(),
        );
    }
    None
}

/// What a store hands each event to as it walks the chain (`AuditStore::walk_chain`);
/// false stops the walk.
pub type Visit<'v> = dyn for<'e> FnMut(EventRef<'e>) -> bool + Send + 'v;

/// Verifies the chain as the store reads it, one event at a time, keeping nothing but the
/// last hash: a million events need no memory, and hashing keeps pace with reading.
pub struct ChainWalk {
    prev: String,
    length: i64,
    broken: Option<(i64, String)>,
}

impl Default for ChainWalk {
    fn default() -> Self {
        ChainWalk::after(0, GENESIS)
    }
}

impl ChainWalk {
    /// A walk of the events after number `seq`, whose stored hash is `hash` (the genesis
    /// hash before event 1). Walks of consecutive pieces together check exactly what one
    /// walk from the start would: each piece checks its own events against the stored hash
    /// before it, and the piece before checks that stored hash.
    pub fn after(seq: i64, hash: &str) -> ChainWalk {
        ChainWalk {
            prev: hash.to_string(),
            length: seq,
            broken: None,
        }
    }

    /// Checks the next event; false once the chain is broken (nothing more need be read).
    pub fn step(&mut self, e: EventRef<'_>) -> bool {
        if self.broken.is_some() {
            return false;
        }
        self.length += 1;
        match check_event(self.length, &self.prev, &e) {
            Some(why) => {
                self.broken = Some((e.seq, why));
                false
            }
            None => {
                self.prev.clear();
                self.prev.push_str(e.hash);
                true
            }
        }
    }

    /// The walk of a piece that should end at event `upto`: a piece whose last events are
    /// missing is broken at the first of them.
    pub fn end_at(&mut self, upto: i64) {
        if self.broken.is_none() && self.length < upto {
            let missing = self.length + 1;
            self.broken = Some((
                missing,
                format!("event {missing} is missing (the events after it are not)"),
            ));
        }
    }

    /// The first break, if any.
    pub fn broken(&self) -> Option<&(i64, String)> {
        self.broken.as_ref()
    }

    /// The finding; `length` is the number of events the chain has (the walk may have
    /// stopped reading at the first broken one).
    pub fn finish(self, length: i64) -> AuditVerification {
        match self.broken {
            Some((first_broken_seq, reason)) => AuditVerification::Broken {
                length,
                first_broken_seq,
                reason,
            },
            None => AuditVerification::Ok {
                length,
                head: self.prev,
            },
        }
    }
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

    /// sha256 of the encoding of `ev("officer")` after the genesis hash, worked out by hand
    /// (in Python) from the encoding described above.
    const PINNED: &str = "21d4382f43143361b5f3b443695ff258bb0dde2dad0fd618559b1a21e090df79";

    #[test]
    fn the_encoding_is_fixed_an_event_hashes_as_it_always_has() {
        // Computed when the encoding was made; a workspace's chain depends on it.
        assert_eq!(
            hash(GENESIS, &ev("officer")),
            PINNED,
            "the audit hash encoding changed: every existing chain would break"
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

    /// A chain of `n` events, linked as the store links them; `at` written as given.
    fn chain(n: usize, at: impl Fn(usize) -> String) -> Vec<ChainEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|i| {
                let written = at(i);
                let t = DateTime::parse_from_rfc3339(&written).unwrap().to_utc();
                let after = format!("{{\"n\":{i}}}");
                let h = hash(
                    &prev,
                    &EventFields {
                        seq: i as i64,
                        at: t,
                        actor: "officer",
                        action: "lot.created",
                        entity: "lot",
                        entity_id: Some(i as i64),
                        before: None,
                        after: Some(&after),
                    },
                );
                let e = ChainEvent {
                    seq: i as i64,
                    at: written,
                    actor: "officer".into(),
                    action: "lot.created".into(),
                    entity: "lot".into(),
                    entity_id: Some(i as i64),
                    before: None,
                    after: Some(after),
                    prev_hash: prev.clone(),
                    hash: h.clone(),
                };
                prev = h;
                e
            })
            .collect()
    }

    #[test]
    fn verifying_in_pieces_finds_the_same_first_failure_as_one_walk() {
        let n = 10_000;
        let good = chain(n, |i| {
            format!("2026-11-24T10:{:02}:{:02}.000001Z", i / 60 % 60, i % 60)
        });
        for threads in [1, 2, 3, 8] {
            assert!(
                matches!(verify_on(&good, threads), AuditVerification::Ok { length, .. } if length == n as i64)
            );
        }
        // Failures either side of a piece's edge (4,096), and two at once: the earlier wins.
        for broken in [1, 4_096, 4_097, 8_192, n] {
            let mut c = good.clone();
            c[broken - 1].actor = "someone-else".into();
            let mut twice = c.clone();
            twice[n - 1].actor = "another".into();
            for threads in [1, 2, 3] {
                for chain in [&c, &twice] {
                    match verify_on(chain, threads) {
                        AuditVerification::Broken {
                            first_broken_seq,
                            reason,
                            ..
                        } => {
                            assert_eq!(first_broken_seq, broken as i64);
                            assert!(reason.contains("do not match its hash"), "{reason}");
                        }
                        ok => panic!("{ok:?}"),
                    }
                }
            }
        }
        // The walk one event at a time finds the same.
        for broken in [1, 4_097, n] {
            let mut c = good.clone();
            c[broken - 1].actor = "someone-else".into();
            let mut walk = ChainWalk::default();
            for e in &c {
                if !walk.step(e.as_ref()) {
                    break;
                }
            }
            assert_eq!(
                format!("{:?}", walk.finish(n as i64)),
                format!("{:?}", verify_on(&c, 2))
            );
        }
        // Two walks of consecutive pieces find what one does, wherever the break is, and a
        // piece whose last events are gone is broken at the first of them.
        for broken in [1, 4_999, 5_000, 5_001, n] {
            let mut c = good.clone();
            c[broken - 1].actor = "someone-else".into();
            let mid = n / 2;
            let mut a = ChainWalk::default();
            for e in c.iter().take(mid) {
                if !a.step(e.as_ref()) {
                    break;
                }
            }
            a.end_at(mid as i64);
            let mut b = ChainWalk::after(mid as i64, &c[mid - 1].hash);
            for e in c.iter().skip(mid) {
                if !b.step(e.as_ref()) {
                    break;
                }
            }
            let found = if a.broken().is_some() { a } else { b };
            assert_eq!(
                format!("{:?}", found.finish(n as i64)),
                format!("{:?}", verify_on(&c, 1))
            );
        }
        let mut cut = ChainWalk::default();
        for e in good.iter().take(4_000) {
            cut.step(e.as_ref());
        }
        cut.end_at(5_000);
        assert!(matches!(
            cut.finish(9_000),
            AuditVerification::Broken {
                first_broken_seq: 4_001,
                ..
            }
        ));
        // A deleted event in the middle, and a mislink.
        let mut gap = good.clone();
        gap.remove(5_000);
        assert!(matches!(
            verify_on(&gap, 2),
            AuditVerification::Broken {
                first_broken_seq: 5_002,
                ..
            }
        ));
    }

    #[test]
    fn a_time_written_otherwise_is_read_as_the_instant_it_names() {
        // The same instant with an offset, or without microseconds, hashes as the canonical
        // form does; an impossible date is refused, never hashed as it stands.
        let good = chain(3, |_| "2026-11-24T10:00:00.000000Z".into());
        let mut other = good.clone();
        other[1].at = "2026-11-24T10:00:00+00:00".into();
        assert!(matches!(verify_on(&other, 1), AuditVerification::Ok { .. }));
        let mut impossible = good.clone();
        impossible[1].at = "2026-02-30T10:00:00.000000Z".into();
        assert!(matches!(
            verify_on(&impossible, 1),
            AuditVerification::Broken { first_broken_seq: 2, reason, .. } if reason.contains("not valid")
        ));
        assert!(is_canonical_time("2026-11-24T23:59:59.999999Z"));
        assert!(!is_canonical_time("2026-11-24T24:00:00.000000Z"));
        assert!(!is_canonical_time("2026-11-24 10:00:00.000000Z"));
    }
}
