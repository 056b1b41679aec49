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
    ctx.store.check_storage().await?;
    let chain = ctx.store.read().await?.audit().chain().await?;
    Ok(crate::domain::audit::verify(&chain))
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

/// Checks each anchor against the chain as stored now: the domain decides.
pub async fn check_anchors(
    ctx: &Ctx,
    anchors: &[(String, crate::domain::anchor::Anchor)],
) -> Result<Vec<AnchorReport>> {
    use crate::domain::anchor::{AnchorCheck, check, explain};
    let mut tx = ctx.store.read().await?;
    let id = tx.audit().workspace_id().await?;
    let chain = tx.audit().chain().await?;
    Ok(anchors
        .iter()
        .map(|(from, a)| {
            let found = check(a, &id, &chain);
            AnchorReport {
                from: from.clone(),
                anchor: a.clone(),
                holds: found == AnchorCheck::Holds,
                message: explain(a, &found, from),
                check: found,
            }
        })
        .collect())
}
