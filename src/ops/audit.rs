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
