//! Reading and verifying the audit trail.
use std::collections::HashMap;

use super::Ctx;
use crate::domain::audit::{AuditEvent, AuditPage, AuditVerification};
use crate::domain::eval::Access;
use crate::domain::eval::EvalScope;
use crate::domain::ids::LotId;
use crate::error::Result;

/// A page of the trail as the viewer may see it. The trail is a read path like any other:
/// bids are withheld from panel members who have not declared, and submitted scores and
/// consensus from evaluators who have not submitted. The events themselves (and their
/// hashes) are unchanged; only their contents are hidden from this viewer.
pub async fn page(ctx: &Ctx, offset: i64, limit: i64) -> Result<AuditPage> {
    let mut p = ctx.store.read().await?.audit().page(offset, limit).await?;
    let mut access: HashMap<i64, Access> = HashMap::new();
    for e in &mut p.events {
        let needs_submitted = match e.action.as_str() {
            "bid.recorded" => false,
            "eval.scores_submitted" | "eval.consensus_recorded" => true,
            _ => continue,
        };
        let Some(lot) = lot_of(e) else { continue };
        let a = match access.get(&lot) {
            Some(a) => a,
            None => {
                let st =
                    crate::ops::eval::load::read(ctx, LotId(lot), &ctx.user, EvalScope::Consensus)
                        .await?;
                access.entry(lot).or_insert(st.access)
            }
        };
        let allowed = if needs_submitted {
            a.may_see_submitted
        } else {
            a.may_see_bids
        };
        if !allowed {
            let why = serde_json::json!({
                "withheld": a.withheld.clone().unwrap_or_else(|| "not shown to you".into())
            });
            e.before = e.before.as_ref().map(|_| why.clone());
            e.after = e.after.as_ref().map(|_| why.clone());
        }
    }
    Ok(p)
}

fn lot_of(e: &AuditEvent) -> Option<i64> {
    if e.entity == "lot" {
        return e.entity_id;
    }
    e.after
        .as_ref()
        .and_then(|a| a.get("lotId"))
        .and_then(|v| v.as_i64())
}

/// Checks the storage first (a damaged page is reported as such, with the way to restore
/// from a backup), then recomputes the hash chain.
pub async fn verify(ctx: &Ctx) -> Result<AuditVerification> {
    use crate::domain::audit::{ChainWalk, GENESIS};
    // The page check runs on a connection of its own while two more walk the two halves of
    // the chain, each hashing its events as they are read and keeping none of them; a
    // damaged page is still reported first.
    let store = ctx.store.clone();
    let pages = tokio::spawn(async move { store.check_storage().await });
    let (last, mid, mid_hash) = {
        let mut tx = ctx.store.read().await?;
        let (last, _) = tx.audit().head().await?;
        let mid = last / 2;
        let mid_hash = match mid {
            0 => Some(GENESIS.to_string()),
            m => tx.audit().hash_at(m).await?,
        };
        (last, mid, mid_hash)
    };
    let half = |after: i64, hash: String, upto: i64| {
        let store = ctx.store.clone();
        tokio::spawn(async move {
            let mut walk = ChainWalk::after(after, &hash);
            let n = store
                .read()
                .await?
                .audit()
                .walk_chain(after, upto, &mut |e| walk.step(e))
                .await?;
            walk.end_at(upto);
            Ok::<_, crate::error::Error>((walk, n))
        })
    };
    let joined = |e: tokio::task::JoinError| {
        crate::error::Error::new(crate::error::ErrorCode::Storage, e.to_string())
    };
    let first = half(0, GENESIS.to_string(), mid);
    // Event `mid` itself missing: the first half says so; the second then starts from a
    // hash no event has, and its finding comes second.
    let second = half(mid, mid_hash.unwrap_or_default(), last);
    let (first, second) = (first.await, second.await);
    // A damaged file is reported as such (with how to restore it) before anything the
    // walks met while reading it.
    pages.await.map_err(joined)??;
    let (first, n1) = first.map_err(joined)??;
    let (second, n2) = second.map_err(joined)??;
    let length = if first.broken().is_some() || second.broken().is_some() {
        ctx.store.read().await?.audit().page(0, 1).await?.total
    } else {
        n1 + n2
    };
    Ok(if first.broken().is_some() {
        first.finish(length)
    } else {
        second.finish(length)
    })
}

pub async fn backup(ctx: &Ctx, out: &std::path::Path) -> Result<()> {
    if out.exists() {
        return Err(crate::error::Error::validation(
            "out",
            format!("{} already exists; choose a new file", out.display()),
        ));
    }
    if let Some(d) = out.parent().filter(|d| !d.as_os_str().is_empty())
        && !d.is_dir()
    {
        return Err(crate::error::Error::validation(
            "out",
            format!(
                "{} cannot be written: there is no folder {}",
                out.display(),
                d.display()
            ),
        ));
    }
    ctx.store.backup(out).await
}

/// The workspace's anchor now: its id, how many events its trail has, the head hash, and
/// when (`lotwise audit anchor`).
pub async fn anchor(ctx: &Ctx) -> Result<crate::domain::anchor::Anchor> {
    let mut tx = ctx.store.read().await?;
    let id = tx.audit().workspace_id().await?;
    let (events, head) = tx.audit().head().await?;
    Ok(crate::domain::anchor::Anchor::new(
        &id,
        events,
        &head,
        ctx.clock.now(),
    ))
}

/// The anchor of a document made on the record as it stood after event `events`, at `at`:
/// the same every time the document is laid out again, so a kept document can be
/// reproduced byte for byte (and is not, once that event has been rewritten).
pub async fn anchor_upto(
    ctx: &Ctx,
    events: i64,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<crate::domain::anchor::Anchor> {
    let mut tx = ctx.store.read().await?;
    let id = tx.audit().workspace_id().await?;
    let head = match events {
        0 => crate::domain::audit::GENESIS.to_string(),
        n => tx.audit().hash_at(n).await?.unwrap_or_default(),
    };
    Ok(crate::domain::anchor::Anchor::new(&id, events, &head, at))
}

/// One anchor checked against the chain, with the finding in plain words.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnchorReport {
    /// Where the anchor came from (the file named with `--anchor`).
    pub from: String,
    pub anchor: crate::domain::anchor::Anchor,
    pub check: crate::domain::anchor::AnchorCheck,
    pub holds: bool,
    pub message: String,
}

/// Reads an anchor file (`lotwise audit anchor --out`), naming the file and field of any
/// mistake.
pub fn read_anchor_file(path: &std::path::Path) -> Result<crate::domain::anchor::Anchor> {
    let f = super::textfile::TextFile::read(path, "anchor")?;
    let a: crate::domain::anchor::Anchor =
        crate::domain::json::parse(&f.text, &f.name, "anchor", "an anchor")?;
    if a.lotwise_anchor != 1 {
        return Err(crate::error::Error::validation(
            "anchor",
            format!(
                "{}: lotwiseAnchor is {}, a format this version of Lotwise does not know (it reads 1)",
                f.name, a.lotwise_anchor
            ),
        ));
    }
    Ok(a)
}

/// The anchor any Lotwise file carries, for `audit verify --anchor FILE`: an anchor file
/// (`audit anchor --out`), a PDF Lotwise made (its `LotwiseAnchor` entry), an OCDS export
/// (its `lotwiseAnchor` field), or a workspace file or backup (the record it holds).
pub async fn read_anchor_from(path: &std::path::Path) -> Result<crate::domain::anchor::Anchor> {
    use crate::error::Error;
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Error::validation("anchor", format!("{name}: cannot be read: {e}")))?;
    if bytes.starts_with(b"%PDF-") {
        let text = crate::docs::render::info_entry(&bytes, crate::docs::ANCHOR_KEY)
            .ok_or_else(|| {
                Error::validation(
                    "anchor",
                    format!(
                        "{name}: this PDF has no Lotwise anchor (it was made before Lotwise wrote anchors into documents, or not by Lotwise)"
                    ),
                )
            })?;
        return crate::domain::json::parse(&text, &name, "LotwiseAnchor", "an anchor");
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        return workspace_file_anchor(path).await;
    }
    let value: serde_json::Value = crate::domain::json::parse(
        &String::from_utf8_lossy(&bytes),
        &name,
        "anchor",
        "an anchor file, a Lotwise PDF, an OCDS export or a workspace file",
    )?;
    match value.get("lotwiseAnchor") {
        Some(serde_json::Value::Object(_)) => crate::domain::json::parse(
            &value["lotwiseAnchor"].to_string(),
            &name,
            "lotwiseAnchor",
            "an anchor",
        ),
        Some(_) => read_anchor_file(path),
        None => Err(Error::validation(
            "anchor",
            format!(
                "{name}: holds no Lotwise anchor (expected an anchor file from lotwise audit anchor --out, a PDF or OCDS export Lotwise made, or a workspace file)"
            ),
        )),
    }
}

/// A workspace file or backup as an anchor: its id, its events and head, and when its last
/// event was made. Read without opening it as a workspace, so nothing in it is changed.
async fn workspace_file_anchor(path: &std::path::Path) -> Result<crate::domain::anchor::Anchor> {
    use crate::error::Error;
    use sqlx::ConnectOptions;
    let name = path.display().to_string();
    let unreadable = |what: &str| {
        Error::validation(
            "anchor",
            format!(
                "{name}: is an SQLite file but not a Lotwise workspace Lotwise can anchor ({what})"
            ),
        )
    };
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| unreadable(&e.to_string()))?;
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM workspace_identity LIMIT 1")
        .fetch_optional(&mut conn)
        .await
        .map_err(|_| {
            unreadable(
                "it was made before workspaces had ids; open it with this version of Lotwise once",
            )
        })?;
    let id = id.ok_or_else(|| unreadable("it has no workspace id"))?;
    let head: Option<(i64, String, String)> =
        sqlx::query_as("SELECT seq, hash, at FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut conn)
            .await
            .map_err(|e| unreadable(&e.to_string()))?;
    let (events, hash, at) = match head {
        Some((seq, hash, at)) => (
            seq,
            hash,
            chrono::DateTime::parse_from_rfc3339(&at)
                .map(|d| d.with_timezone(&chrono::Utc))
                .map_err(|_| unreadable("its last audit event has no readable time"))?,
        ),
        None => (
            0,
            crate::domain::audit::GENESIS.to_string(),
            chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        ),
    };
    Ok(crate::domain::anchor::Anchor::new(&id, events, &hash, at))
}

/// Checks each anchor against the chain as stored now: the domain decides. Only the
/// chain's length and the hashes after the anchored events are read, so checking a journal
/// of thousands of anchors over a long chain stays quick.
pub async fn check_anchors(
    ctx: &Ctx,
    anchors: &[(String, crate::domain::anchor::Anchor)],
) -> Result<Vec<AnchorReport>> {
    check_anchors_reporting(ctx, anchors, |_| true).await
}

/// As `check_anchors`, with a report only for the checks `report` picks: the app's check
/// as it opens shows only the anchors that fail, and putting ten thousand holding ones into
/// words (each time in UK time) was a third of that check.
async fn check_anchors_reporting(
    ctx: &Ctx,
    anchors: &[(String, crate::domain::anchor::Anchor)],
    report: impl Fn(&crate::domain::anchor::AnchorCheck) -> bool,
) -> Result<Vec<AnchorReport>> {
    use crate::domain::anchor::{AnchorCheck, check_head, explain};
    let mut tx = ctx.store.read().await?;
    let id = tx.audit().workspace_id().await?;
    let (events_now, _) = tx.audit().head().await?;
    let mut seqs: Vec<i64> = anchors
        .iter()
        .map(|(_, a)| a.events)
        .filter(|n| (1..=events_now).contains(n))
        .collect();
    seqs.sort_unstable();
    seqs.dedup();
    let hashes = tx.audit().hashes_at(&seqs).await?;
    Ok(anchors
        .iter()
        .filter_map(|(from, a)| {
            let found = check_head(
                a,
                &id,
                events_now,
                hashes.get(&a.events).map(String::as_str),
            );
            report(&found).then(|| AnchorReport {
                from: from.clone(),
                anchor: a.clone(),
                holds: found == AnchorCheck::Holds,
                message: explain(a, &found, from),
                check: found,
            })
        })
        .collect())
}

/// What this computer's anchor journal holds for the workspace.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalSummary {
    /// The journal file (none when the system names no data folder).
    pub path: Option<String>,
    /// Lines read (one per commit), and the distinct anchors among them that were checked.
    pub entries: usize,
    pub checked: usize,
    /// Lines that could not be read, by number (a line cut short by a crash mid-write).
    pub unreadable: Vec<usize>,
    /// Anchors not checked because this workspace is a copy taken before they were made.
    pub after_copy: usize,
}

/// The journal's anchors for this workspace, labelled for the report. On a copy of a team
/// workspace only anchors made before the copy was taken are expected to hold.
pub async fn journal_anchors(
    ctx: &Ctx,
) -> Result<(JournalSummary, Vec<(String, crate::domain::anchor::Anchor)>)> {
    let id = ctx.store.read().await?.audit().workspace_id().await?;
    let (path, read) = crate::store::journal::read(&id).map_err(|e| {
        crate::error::Error::new(
            crate::error::ErrorCode::Storage,
            format!("the anchor journal could not be read: {e}"),
        )
    })?;
    let entries = read.anchors.len();
    let mut anchors = crate::store::journal::distinct(read.anchors);
    let mut after_copy = 0;
    if let Some(copy) = ctx.store.copy_of() {
        let before = anchors.len();
        anchors.retain(|(_, a)| a.at <= copy.taken_at);
        after_copy = before - anchors.len();
    }
    let summary = JournalSummary {
        path: path.map(|p| p.display().to_string()),
        entries,
        checked: anchors.len(),
        unreadable: read.unreadable,
        after_copy,
    };
    let mut labelled: Vec<_> = anchors
        .into_iter()
        .map(|(line, a)| (format!("this computer's anchor journal, line {line}"), a))
        .collect();
    // Another workspace's file put where this computer knew a different one: the most it
    // knew of the one that was there fails against this file, naming both.
    let place = crate::store::journal::place_of(&ctx.store.location());
    if let Some(known) = crate::store::journal::known_at(&place).filter(|k| *k != id)
        && let Some((line, a)) = crate::store::journal::last_anchor(&known)
    {
        labelled.push((
            format!(
                "this computer's anchor journal of the workspace that was at {place}, line {line}"
            ),
            a,
        ));
    }
    Ok((summary, labelled))
}

/// `lotwise audit verify`: the storage, the chain, then every anchor this computer's
/// journal holds for the workspace and every anchor given (from files).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VerifyReport {
    #[serde(flatten)]
    #[ts(flatten)]
    pub chain: AuditVerification,
    pub anchors: Vec<AnchorReport>,
    pub journal: JournalSummary,
    /// True when the chain verifies and every anchor holds.
    pub ok: bool,
}

pub async fn verify_all(
    ctx: &Ctx,
    given: &[(String, crate::domain::anchor::Anchor)],
) -> Result<VerifyReport> {
    let chain = verify(ctx).await?;
    let (journal, mut anchors) = journal_anchors(ctx).await?;
    anchors.extend(given.iter().cloned());
    let anchors = check_anchors(ctx, &anchors).await?;
    let ok = matches!(chain, AuditVerification::Ok { .. }) && anchors.iter().all(|r| r.holds);
    Ok(VerifyReport {
        chain,
        anchors,
        journal,
        ok,
    })
}

/// What the app found when it checked this computer's journal as the workspace opened.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OpeningCheck {
    /// The failures that say the most (the longest record now cut short, the earliest
    /// event rewritten, another workspace), in plain words.
    pub failed: Vec<AnchorReport>,
    /// How many more anchors fail the same way.
    pub more: usize,
    /// How many of the journal's anchors were checked, and how long it took.
    pub checked: usize,
    pub took_ms: u64,
}

/// What the app checks as it opens a workspace: the journal's anchors, not the whole chain
/// (`audit verify` recomputes that). Only the chain's length and the hashes after the
/// anchored events are read.
pub async fn check_journal(ctx: &Ctx) -> Result<OpeningCheck> {
    let started = std::time::Instant::now();
    let (_, anchors) = journal_anchors(ctx).await?;
    let failing = check_anchors_reporting(ctx, &anchors, |c| {
        *c != crate::domain::anchor::AnchorCheck::Holds
    })
    .await?;
    let failed: Vec<AnchorReport> = crate::domain::anchor::telling(&failing, |r| &r.check)
        .into_iter()
        .cloned()
        .collect();
    Ok(OpeningCheck {
        more: failing.len() - failed.len(),
        failed,
        checked: anchors.len(),
        took_ms: started.elapsed().as_millis() as u64,
    })
}
