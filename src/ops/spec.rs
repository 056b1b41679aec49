//! Specification use cases: save a draft as a new version, comment on a section, compare
//! any two versions, and approve the newest, which the tender then references.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Ctx, long_text, past_date, required};
use crate::domain::ids::LotId;
use crate::domain::roles::Action;
use crate::domain::spec::{
    self, CommentSource, SpecComment, SpecDiff, SpecVersion, parse_sections,
};
use crate::domain::stage::Stage;
use crate::error::{Error, Result};
use crate::store::{NewAuditEvent, NewSpecComment};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpecView {
    pub lot_id: LotId,
    pub stage: Stage,
    /// New versions may be saved and approved only before the tender stage.
    pub editable: bool,
    /// Newest first.
    pub versions: Vec<SpecVersion>,
    /// The newest version as Markdown, for the editor ("" before the first).
    pub draft_text: String,
    /// The newest approved version.
    pub approved: Option<u32>,
    /// The version the tender references, once the lot has entered the tender stage.
    pub tender_version: Option<u32>,
    /// Oldest first.
    pub comments: Vec<SpecComment>,
}

pub async fn view(ctx: &Ctx, lot_id: LotId) -> Result<SpecView> {
    let lot = super::lots::show(ctx, lot_id).await?;
    let mut versions = versions(ctx, lot_id).await?;
    versions.reverse();
    let tender_version = super::tender::records(ctx, lot_id)
        .await?
        .opened
        .map(|o| o.spec_version);
    Ok(SpecView {
        lot_id,
        stage: lot.stage,
        editable: matches!(
            lot.stage,
            Stage::MarketEngagement | Stage::DraftSpecification
        ),
        draft_text: versions
            .first()
            .map(|v| spec::to_text(&v.sections))
            .unwrap_or_default(),
        approved: versions
            .iter()
            .find(|v| v.approved_at.is_some())
            .map(|v| v.version),
        tender_version,
        versions,
        comments: comments(ctx, lot_id).await?,
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SaveSpec {
    pub lot_id: LotId,
    /// Markdown: each section starts with a `## Heading` line.
    pub text: String,
    /// What changed in this version.
    pub note: String,
    /// The version number the person started from (0 when there was none). A save started
    /// from an older version is refused with `conflict`, naming who saved the newer one.
    #[serde(default)]
    #[ts(optional)]
    pub based_on: Option<u32>,
}

pub async fn save(ctx: &Ctx, input: SaveSpec) -> Result<SpecView> {
    let w = ctx.act(Action::ManageTender)?;
    let sections = parse_sections(&input.text)?;
    let note = required("note", "note of what changed in this version", &input.note)?;
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    spec::may_change(super::lots::require(&mut *tx, lot).await?, "be changed")?;
    let versions = tx.spec().versions(lot).await?;
    let current = versions.last().map(|v| crate::domain::edit::LastChange {
        version: i64::from(v.version),
        by: v.saved_by.clone(),
        at: v.saved_at,
    });
    crate::domain::edit::check_not_stale(
        "the specification",
        input.based_on.map(i64::from),
        current.as_ref(),
    )?;
    if let Some(newest) = versions.last()
        && newest.sections == sections
    {
        return Err(Error::validation(
            "text",
            format!(
                "nothing has changed since version {}; edit the text before saving a new version",
                newest.version
            ),
        ));
    }
    let next = versions.last().map_or(1, |v| v.version + 1);
    tx.spec()
        .insert_version(lot, next, &note, &sections, &w)
        .await?;
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    let after = serde_json::json!({"version": next, "note": note, "sections": headings});
    tx.audit()
        .append(NewAuditEvent::on_lot(&w, "spec.version_saved", lot, &after))
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

/// Saves a specification from a Markdown file, naming the file in any error.
pub async fn save_file(
    ctx: &Ctx,
    lot: LotId,
    path: &std::path::Path,
    note: &str,
) -> Result<SpecView> {
    let f = super::textfile::TextFile::read(path, "text")?;
    save(
        ctx,
        SaveSpec {
            based_on: None,
            lot_id: lot,
            text: f.text,
            note: note.to_string(),
        },
    )
    .await
    .map_err(|e| {
        if e.field.as_deref() == Some("text") {
            Error {
                message: format!("{}, {}", path.display(), e.message),
                ..e
            }
        } else {
            e
        }
    })
}

pub async fn approve(ctx: &Ctx, lot: LotId, version: u32) -> Result<SpecView> {
    let w = ctx.act(Action::ManageTender)?;
    let mut tx = ctx.store.begin().await?;
    spec::may_change(super::lots::require(&mut *tx, lot).await?, "be approved")?;
    spec::check_approval(tx.spec().newest(lot).await?, version)?;
    tx.spec().approve(lot, version, &w).await?;
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "spec.version_approved",
            lot,
            &serde_json::json!({"version": version}),
        ))
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

/// Any two versions side by side, the older on the left.
pub async fn compare(ctx: &Ctx, lot: LotId, a: u32, b: u32) -> Result<SpecDiff> {
    let versions = versions(ctx, lot).await?;
    let find = |n: u32, field: &str| {
        versions.iter().find(|v| v.version == n).ok_or_else(|| {
            Error::validation(
                field,
                match versions.last() {
                    Some(last) => format!(
                        "there is no version {n}; this lot has versions 1 to {}",
                        last.version
                    ),
                    None => "no specification has been saved for this lot yet".to_string(),
                },
            )
        })
    };
    let (from, to) = if a <= b { (a, b) } else { (b, a) };
    let old = find(from, "from")?;
    let new = find(to, "to")?;
    Ok(spec::compare(from, &old.sections, to, &new.sections))
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddSpecComment {
    pub lot_id: LotId,
    pub version: u32,
    /// The section's position in that version (1 for the first).
    pub section: u32,
    /// stakeholder or market.
    pub source: String,
    pub author: String,
    pub organisation: String,
    pub comment: String,
    pub received_on: String,
}

pub async fn add_comment(ctx: &Ctx, input: AddSpecComment) -> Result<SpecView> {
    let w = ctx.act(Action::ManageTender)?;
    let c = NewSpecComment {
        version: input.version,
        position: input.section,
        source: CommentSource::parse(&input.source)?,
        author: required("author", "name of who made the comment", &input.author)?,
        organisation: input.organisation.trim().to_string(),
        comment: long_text("comment", "comment", &input.comment)?,
        received_on: past_date("receivedOn", "date received", &input.received_on, w.today)?,
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let heading = match tx.spec().heading(lot, c.version, c.position).await? {
        Some(h) => h,
        None => {
            let has_version = tx
                .spec()
                .newest(lot)
                .await?
                .is_some_and(|(n, _)| c.version >= 1 && c.version <= n);
            return Err(if has_version {
                Error::validation(
                    "section",
                    format!("version {} has no section {}", c.version, c.position),
                )
            } else {
                Error::validation(
                    "version",
                    format!("this lot has no specification version {}", c.version),
                )
            });
        }
    };
    tx.spec().insert_comment(lot, &c, &w).await?;
    let after = serde_json::json!({"version": c.version, "section": heading, "source": c.source, "author": c.author, "organisation": c.organisation});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "spec.comment_recorded",
            lot,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RespondToComment {
    pub lot_id: LotId,
    pub comment_id: i64,
    /// How the comment was dealt with, e.g. "Accepted: section 3 now says...".
    pub response: String,
}

pub async fn respond(ctx: &Ctx, input: RespondToComment) -> Result<SpecView> {
    let w = ctx.act(Action::ManageTender)?;
    let response = long_text("response", "response to the comment", &input.response)?;
    let (lot, comment) = (input.lot_id, input.comment_id);
    let mut tx = ctx.store.begin().await?;
    let before = tx
        .spec()
        .response(lot, comment)
        .await?
        .ok_or_else(|| Error::not_found(format!("comment {comment} on lot {lot}")))?;
    tx.spec().set_response(comment, &response).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "spec.comment_answered", "lot", Some(lot.0))
                .before(&serde_json::json!({"commentId": comment, "response": before}))
                .after(&serde_json::json!({"commentId": comment, "response": response})),
        )
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

/// Oldest first; not found, named, for a lot that does not exist.
pub async fn versions(ctx: &Ctx, lot: LotId) -> Result<Vec<spec::SpecVersion>> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.spec().versions(lot).await
}

pub async fn comments(ctx: &Ctx, lot: LotId) -> Result<Vec<SpecComment>> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.spec().comments(lot).await
}
