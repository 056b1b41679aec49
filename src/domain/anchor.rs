//! Audit anchors: the record remembered outside the workspace. An anchor is the workspace's
//! id, how many events its audit trail had and the head hash after the last of them, and
//! when. The chain alone catches an event changed in the middle; it cannot catch its last
//! events deleted, or one rewritten with every later hash recomputed. An anchor kept
//! elsewhere (a file sent to the monitoring officer, a document) catches both: the chain
//! must still have at least that many events, and the hash after event N must still be H.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Anchor {
    /// Marks a file as a Lotwise anchor; always 1 for this format.
    pub lotwise_anchor: u32,
    pub workspace: String,
    pub events: i64,
    pub head: String,
    pub at: DateTime<Utc>,
}

/// What checking one anchor against the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    tag = "status"
)]
#[ts(export)]
pub enum AnchorCheck {
    Holds,
    /// Taken from another workspace (or a copy made before this one existed).
    OtherWorkspace {
        anchored: String,
        this: String,
    },
    /// The chain is shorter than it was: its last events are gone.
    Missing {
        had: i64,
        now: i64,
    },
    /// The hash after event N is not what it was: that event or one before it was rewritten.
    Rewritten {
        upto: i64,
    },
}

impl Anchor {
    pub fn new(workspace: &str, events: i64, head: &str, at: DateTime<Utc>) -> Anchor {
        Anchor {
            lotwise_anchor: 1,
            workspace: workspace.to_string(),
            events,
            head: head.to_string(),
            at: super::audit::truncate(at),
        }
    }

    /// "Audit record: 1,204 events, head 3f9a…c2, at 14:32 on 5 December 2026"
    pub fn describe(&self) -> String {
        format!(
            "Audit record: {} events, head {}, at {}",
            thousands(self.events),
            short_hash(&self.head),
            super::edit::uk_time(self.at)
        )
    }
}

/// Checks an anchor in this workspace from the chain's length now and the hash it stores
/// after event N (None when it has no event N): all an anchor needs, so a long chain need
/// not be read whole.
pub fn check_head(
    anchor: &Anchor,
    workspace: &str,
    events_now: i64,
    hash_after_n: Option<&str>,
) -> AnchorCheck {
    if anchor.workspace != workspace {
        return AnchorCheck::OtherWorkspace {
            anchored: anchor.workspace.clone(),
            this: workspace.to_string(),
        };
    }
    if events_now < anchor.events {
        return AnchorCheck::Missing {
            had: anchor.events,
            now: events_now,
        };
    }
    let head_then = match anchor.events {
        0 => Some(super::audit::GENESIS),
        _ => hash_after_n,
    };
    if head_then != Some(anchor.head.as_str()) {
        return AnchorCheck::Rewritten {
            upto: anchor.events,
        };
    }
    AnchorCheck::Holds
}

/// Of many anchors that fail, the ones that say the most: the longest record that is now
/// cut short, the earliest event rewritten, and any other workspace. (A journal gains a line
/// per commit, so a restored backup fails every line since; the rest say the same again.)
pub fn telling<T>(failed: &[T], check: impl Fn(&T) -> &AnchorCheck) -> Vec<&T> {
    let mut out: Vec<&T> = Vec::new();
    let missing = failed
        .iter()
        .filter(|f| matches!(check(f), AnchorCheck::Missing { .. }))
        .max_by_key(|f| match check(f) {
            AnchorCheck::Missing { had, .. } => *had,
            _ => 0,
        });
    let rewritten = failed
        .iter()
        .filter(|f| matches!(check(f), AnchorCheck::Rewritten { .. }))
        .min_by_key(|f| match check(f) {
            AnchorCheck::Rewritten { upto } => *upto,
            _ => 0,
        });
    let other = failed
        .iter()
        .find(|f| matches!(check(f), AnchorCheck::OtherWorkspace { .. }));
    out.extend(other);
    out.extend(missing);
    out.extend(rewritten);
    out
}

/// The finding in plain words, naming when the anchor was taken and where it came from.
pub fn explain(anchor: &Anchor, found: &AnchorCheck, from: &str) -> String {
    let when = super::edit::uk_time(anchor.at);
    match found {
        AnchorCheck::Holds => format!(
            "holds: the record had {} events at {when} ({from}) and still does, unchanged",
            thousands(anchor.events)
        ),
        AnchorCheck::OtherWorkspace { anchored, this } => format!(
            "is from another workspace ({from}: workspace {}, this is {}): this file is not the workspace the anchor was taken from",
            short_hash(anchored),
            short_hash(this)
        ),
        AnchorCheck::Missing { had, now } => format!(
            "fails: the record had {} events at {when} ({from}); it now has {}: {}",
            thousands(*had),
            thousands(*now),
            if *had == now + 1 {
                format!("event {} is missing", thousands(*had))
            } else {
                format!(
                    "events {} to {} are missing",
                    thousands(now + 1),
                    thousands(*had)
                )
            }
        ),
        AnchorCheck::Rewritten { upto } => format!(
            "fails: event {} or one before it has been rewritten since {when} ({from})",
            thousands(*upto)
        ),
    }
}

fn short_hash(h: &str) -> String {
    if h.len() > 8 {
        format!("{}…{}", &h[..4], &h[h.len() - 2..])
    } else {
        h.to_string()
    }
}

/// Event counts as people read them: 1,204. (Never negative: a count.)
fn thousands(n: i64) -> String {
    super::money::group_thousands(n.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::ChainEvent;

    /// The check against a whole chain as stored (oldest first).
    fn check(anchor: &Anchor, workspace: &str, chain: &[ChainEvent]) -> AnchorCheck {
        let n = anchor.events;
        let then =
            (n >= 1 && n <= chain.len() as i64).then(|| chain[(n - 1) as usize].hash.as_str());
        check_head(anchor, workspace, chain.len() as i64, then)
    }
    use chrono::TimeZone;

    fn chain(n: usize) -> Vec<ChainEvent> {
        (1..=n)
            .map(|i| ChainEvent {
                seq: i as i64,
                at: "2026-12-05T14:32:00.000000Z".into(),
                actor: "r.hughes".into(),
                action: "lot.created".into(),
                entity: "lot".into(),
                entity_id: Some(1),
                before: None,
                after: None,
                prev_hash: String::new(),
                hash: format!("{i:064x}"),
            })
            .collect()
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 14, 32, 0).unwrap()
    }

    #[test]
    fn an_anchor_holds_while_the_chain_keeps_its_first_n_events_unchanged() {
        let c = chain(1204);
        let a = Anchor::new("ws1", 1204, &c[1203].hash, at());
        assert_eq!(check(&a, "ws1", &c), AnchorCheck::Holds);
        // Events added since do not matter.
        let longer = chain(1300);
        assert_eq!(check(&a, "ws1", &longer), AnchorCheck::Holds);
        // An anchor of an empty record holds on any chain.
        assert_eq!(
            check(
                &Anchor::new("ws1", 0, super::super::audit::GENESIS, at()),
                "ws1",
                &c
            ),
            AnchorCheck::Holds
        );
        assert_eq!(
            a.describe(),
            "Audit record: 1,204 events, head 0000…b4, at 14:32 on 5 December 2026"
        );
    }

    #[test]
    fn a_shorter_chain_a_changed_head_or_another_workspace_fail_in_plain_words() {
        let c = chain(1204);
        let a = Anchor::new("ws1", 1204, &c[1203].hash, at());
        // One event fewer is caught: the boundary.
        let short = chain(1203);
        let found = check(&a, "ws1", &short);
        assert_eq!(
            found,
            AnchorCheck::Missing {
                had: 1204,
                now: 1203
            }
        );
        assert_eq!(
            explain(&a, &found, "anchor file"),
            "fails: the record had 1,204 events at 14:32 on 5 December 2026 (anchor file); it now has 1,203: event 1,204 is missing"
        );
        let short = chain(1199);
        assert_eq!(
            explain(
                &a,
                &check(&a, "ws1", &short),
                "award pack, Community Navigation Lot 1"
            ),
            "fails: the record had 1,204 events at 14:32 on 5 December 2026 (award pack, Community Navigation Lot 1); it now has 1,199: events 1,200 to 1,204 are missing"
        );
        let mut rewritten = chain(1204);
        rewritten[1203].hash = "f".repeat(64);
        assert_eq!(
            check(&a, "ws1", &rewritten),
            AnchorCheck::Rewritten { upto: 1204 }
        );
        assert_eq!(
            explain(&a, &AnchorCheck::Rewritten { upto: 877 }, "anchor file"),
            "fails: event 877 or one before it has been rewritten since 14:32 on 5 December 2026 (anchor file)"
        );
        assert!(matches!(
            check(&a, "ws2", &c),
            AnchorCheck::OtherWorkspace { .. }
        ));
    }
}
