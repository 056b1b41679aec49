//! Award: the assessment summaries, one letter per bidder.
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use ts_rs::TS;

use super::Ctx;
use crate::docs::font::Fonts;
use crate::docs::render::render;
use crate::docs::summary::{SummaryInput, build};
use crate::domain::ids::{BidId, LotId};
use crate::error::{Error, ErrorCode, Result};
use crate::store::EvalScope;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SummaryFile {
    pub bid_id: BidId,
    pub bidder: String,
    pub successful: bool,
    #[ts(type = "string")]
    pub path: PathBuf,
    pub pages: u32,
    pub sha256: String,
}

/// Writes one assessment summary per bidder into `dir`. Refused until the moderated scores
/// are complete and signed off, since the letters give the reasons for them.
pub async fn summaries(ctx: &Ctx, lot: LotId, dir: &Path) -> Result<Vec<SummaryFile>> {
    let results = super::eval::results(ctx, lot).await?;
    if !results.scored.complete || !results.signed_off {
        return Err(Error::conflict(
            "Evaluation results are required: the moderated scores must be complete and signed off by every member of the panel before assessment summaries are sent",
        ));
    }
    let winner = results.recommended.ok_or_else(|| {
        Error::conflict("no tender can be recommended: every tender was excluded")
    })?;
    let st = ctx
        .store
        .eval_state(lot, &ctx.user, EvalScope::Consensus)
        .await?;
    let model = st.model()?.clone();
    let l = ctx.store.get_lot(lot, ctx.read()).await?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::validation(
            "out",
            format!("{} could not be created: {e}", dir.display()),
        )
    })?;
    let input = SummaryInput {
        lot: &l,
        model: &model,
        bids: &results.scored.bids,
        consensus: &st.consensus,
        price_method: results.scored.price_method.as_deref(),
        winner,
        created: ctx.clock.now(),
        author: String::new(),
    };
    let mut out = Vec::new();
    for b in &results.scored.bids {
        let spec = build(&input, b);
        let (bytes, pages) = render(Fonts::shared(), &spec)?;
        let path = dir.join(format!(
            "{}_{}_assessment_summary_{}.pdf",
            super::file_name_part(&l.procurement.reference),
            super::file_name_part(&l.reference),
            super::file_name_part(&b.bidder)
        ));
        std::fs::write(&path, &bytes).map_err(|e| {
            Error::new(
                ErrorCode::Validation,
                format!("{} could not be written: {e}", path.display()),
            )
            .in_field("out")
        })?;
        out.push(SummaryFile {
            bid_id: b.bid_id,
            bidder: b.bidder.clone(),
            successful: b.bid_id == winner,
            path,
            pages: pages as u32,
            sha256: hex::encode(Sha256::digest(&bytes)),
        });
    }
    Ok(out)
}
