//! Decision papers: the officer's narrative (saved as versions), a live preview, and
//! generation of the PDF, kept with its SHA-256.
use crate::domain::roles::Action;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::Ctx;
use crate::docs::DocSpec;
use crate::docs::font::Fonts;
use crate::docs::paper::{AwardFacts, PaperInput, build};
use crate::docs::render::render_with_progress;
use crate::domain::contract::Contract;
use crate::domain::eval::EvalScope;
use crate::domain::eval::PanelRole;
use crate::domain::ids::{LotId, PaperId};
use crate::domain::lot::Lot;
use crate::domain::money::Money;
use crate::domain::paper::{
    self, Edition, Gap, PaperDocument, PaperDraft, PaperKind, PaperOption, SavedDraft, SectionSpec,
};
use crate::domain::term::OptionStatus;
use crate::error::{Error, Result};
use crate::store::{NewAuditEvent, NewPaperDocument, WriteCtx};

/// The whole-life value at which a paper is proposed as a key decision. Councils set their
/// own threshold (often £500,000); the officer can change the answer in the header.
pub const KEY_DECISION_THRESHOLD_POUNDS: i64 = 500_000;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DraftVersionInfo {
    pub version: u32,
    pub saved_by: String,
    pub saved_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExtensionChoice {
    pub number: u32,
    pub label: String,
}

/// Everything the Documents tab needs for one kind of paper on one lot.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaperView {
    pub lot_id: LotId,
    pub kind: PaperKind,
    pub kind_label: String,
    pub sections: Vec<SectionSpec>,
    pub draft: PaperDraft,
    /// The saved version shown; none until the first save.
    pub version: Option<u32>,
    pub versions: Vec<DraftVersionInfo>,
    /// What must be written before the paper can be generated, by field.
    pub gaps: Vec<Gap>,
    pub advice: Vec<String>,
    /// Why this kind cannot be generated for this lot from its data (e.g. no evaluation
    /// results yet, or no current contract to extend).
    pub blocked: Option<String>,
    pub extension_choices: Vec<ExtensionChoice>,
    /// Generated papers of this kind, newest first.
    pub documents: Vec<PaperDocument>,
}

/// How far a generation has got, for a progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GenerationProgress {
    pub step: String,
    pub done: u32,
    pub total: u32,
}

pub struct Generated {
    pub document: Option<PaperDocument>,
    pub bytes: Vec<u8>,
    pub pages: u32,
}

struct Facts {
    lot: Lot,
    contract: Option<Contract>,
    award: std::result::Result<AwardFacts, String>,
    tendering: Option<crate::domain::route::time_limits::TenderingPeriod>,
}

async fn facts(ctx: &Ctx, lot: LotId, kind: PaperKind) -> Result<Facts> {
    let l = super::lots::show(ctx, lot).await?;
    let contract = match &l.replaces_contract {
        Some(r) => super::contracts::list(ctx)
            .await?
            .into_iter()
            .find(|c| c.id == r.id),
        None => None,
    };
    let award = if kind == PaperKind::Award {
        award_facts(ctx, lot).await
    } else {
        Err(String::new())
    };
    Ok(Facts {
        tendering: super::route::tendering_period(ctx, lot).await?,
        lot: l,
        contract,
        award,
    })
}

/// The evaluation behind an award paper, or in plain words why there is none yet.
async fn award_facts(ctx: &Ctx, lot: LotId) -> std::result::Result<AwardFacts, String> {
    let st = crate::ops::eval::load::read(ctx, lot, &ctx.user, EvalScope::Consensus)
        .await
        .map_err(|e| e.message)?;
    let Some(model) = st.model.clone() else {
        return Err("this lot has no evaluation model yet.".into());
    };
    if st.bids.is_empty() {
        return Err("no bids have been recorded for this lot.".into());
    }
    let results = super::eval::results(ctx, lot)
        .await
        .map_err(|e| e.message)?;
    if !results.scored.complete {
        return Err(format!(
            "consensus scores are still to be agreed for {} question{} across the bids.",
            results.scored.missing.len(),
            if results.scored.missing.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    if !results.signed_off {
        return Err(
            "the moderated scores have not yet been signed off by every member of the panel."
                .into(),
        );
    }
    let active = |r: PanelRole| {
        st.panel
            .iter()
            .filter(|m| m.role == r && m.active())
            .count()
    };
    Ok(AwardFacts {
        evaluators: active(PanelRole::Evaluator),
        moderators: active(PanelRole::Moderator),
        conflicted: st.panel.iter().filter(|m| m.conflict.is_some()).count(),
        results,
        model,
    })
}

fn blocked(kind: PaperKind, f: &Facts) -> Option<String> {
    match kind {
        PaperKind::Extension if f.contract.is_none() => Some(format!(
            "{} {} does not record the contract it replaces, so there is no contract to extend. Record the current contract on the lot first.",
            f.lot.reference, f.lot.title
        )),
        PaperKind::Award => f
            .award
            .as_ref()
            .err()
            .map(|why| format!("Evaluation results are required: {why}")),
        _ => None,
    }
}

/// A first draft filled from the data: what the app knows, never the officer's words.
pub fn default_draft(kind: PaperKind, lot: &Lot, contract: Option<&Contract>) -> PaperDraft {
    let mut d = PaperDraft::default();
    d.header.classification = "Unrestricted".into();
    d.header.electoral_divisions = lot.geography.clone();
    d.header.key_decision = lot
        .whole_life_value
        .is_some_and(|v| v.pence() >= Money::from_pounds(KEY_DECISION_THRESHOLD_POUNDS).pence());
    let titled = |t: &str| PaperOption {
        title: t.into(),
        ..Default::default()
    };
    match kind {
        PaperKind::Extension => {
            let what = contract
                .map(|c| format!("the {} contract", c.title))
                .unwrap_or_else(|| "the contract".into());
            d.header.subject = format!("Extending {what}");
            d.options = vec![
                titled("Do nothing: let the contract end"),
                titled("Extend the current contract"),
                titled("Re-procure now"),
            ];
            d.extension_option = contract.and_then(|c| {
                c.dates
                    .options
                    .iter()
                    .find(|o| o.status == OptionStatus::Available)
                    .map(|o| o.number)
            });
        }
        PaperKind::Procurement => {
            d.header.subject = format!("{}: approval to procure", lot.title);
            d.options = vec![
                titled("Do nothing"),
                titled("Procure the service as proposed"),
                titled("Bring the service in house"),
            ];
        }
        PaperKind::Award => {
            d.header.subject = format!("{}: award of contract", lot.title);
            d.options = vec![
                titled("Do nothing: make no award"),
                titled("Award the contract to the recommended bidder"),
                titled("Abandon the procurement and re-procure"),
            ];
        }
    }
    d
}

pub async fn view(ctx: &Ctx, lot: LotId, kind: PaperKind) -> Result<PaperView> {
    let f = facts(ctx, lot, kind).await?;
    let saved = drafts(ctx, lot, kind).await?;
    let (draft, version) = match saved.first() {
        Some(s) => (s.draft.clone(), Some(s.version)),
        None => (default_draft(kind, &f.lot, f.contract.as_ref()), None),
    };
    let documents = documents(ctx, lot)
        .await?
        .into_iter()
        .filter(|d| d.kind == kind)
        .collect();
    Ok(PaperView {
        lot_id: lot,
        kind,
        kind_label: kind.label().into(),
        sections: paper::sections(kind),
        gaps: paper::gaps(kind, &draft),
        advice: paper::advice(&draft),
        blocked: blocked(kind, &f),
        extension_choices: f
            .contract
            .as_ref()
            .map(|c| {
                c.dates
                    .options
                    .iter()
                    .map(|o| ExtensionChoice {
                        number: o.number,
                        label: format!(
                            "Option {}: {} to {} ({})",
                            o.number,
                            crate::domain::dates::long(o.start),
                            crate::domain::dates::long(o.end),
                            o.status.key()
                        ),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        draft,
        version,
        versions: saved
            .iter()
            .map(|s| DraftVersionInfo {
                version: s.version,
                saved_by: s.saved_by.clone(),
                saved_at: s.saved_at,
            })
            .collect(),
        documents,
    })
}

/// Every piece of text in a draft with the field it belongs to, for checks that must be
/// reported beside the field.
fn texts(d: &PaperDraft) -> Vec<(String, &str)> {
    let h = &d.header;
    let mut v: Vec<(String, &str)> = vec![
        ("header.decisionNumber".into(), &h.decision_number),
        ("header.decisionMaker".into(), &h.decision_maker),
        ("header.from".into(), &h.from),
        ("header.to".into(), &h.to),
        ("header.subject".into(), &h.subject),
        ("header.classification".into(), &h.classification),
        ("header.electoralDivisions".into(), &h.electoral_divisions),
    ];
    for (k, t) in &d.sections {
        v.push((format!("sections.{k}"), t));
    }
    for (i, o) in d.options.iter().enumerate() {
        v.push((format!("options.{i}.title"), &o.title));
        v.push((format!("options.{i}.description"), &o.description));
        v.push((format!("options.{i}.benefits"), &o.benefits));
        v.push((format!("options.{i}.risks"), &o.risks));
    }
    for (i, c) in d.contacts.iter().enumerate() {
        v.push((format!("contacts.{i}.name"), &c.name));
        v.push((format!("contacts.{i}.role"), &c.role));
        v.push((format!("contacts.{i}.phone"), &c.phone));
        v.push((format!("contacts.{i}.email"), &c.email));
    }
    for (i, a) in d.appendices.iter().enumerate() {
        v.push((format!("appendices.{i}.title"), &a.title));
        v.push((format!("appendices.{i}.body"), &a.body));
    }
    v
}

fn check_draft(kind: PaperKind, d: &PaperDraft) -> Result<()> {
    paper::validate(kind, d)?;
    let fonts = Fonts::shared();
    for (field, text) in texts(d) {
        fonts.check(text).map_err(|mut e| {
            e.field = Some(field.clone());
            e
        })?;
    }
    Ok(())
}

/// Saves the narrative as a new version; nothing is saved if any field is refused.
pub async fn save(ctx: &Ctx, lot: LotId, kind: PaperKind, draft: PaperDraft) -> Result<PaperView> {
    save_from(ctx, lot, kind, draft, None).await
}

/// Saves the narrative as a new version, refusing (`conflict`) when someone has saved a
/// newer version than `based_on` (the version the person opened; 0 when there was none).
pub async fn save_from(
    ctx: &Ctx,
    lot: LotId,
    kind: PaperKind,
    draft: PaperDraft,
    based_on: Option<u32>,
) -> Result<PaperView> {
    check_draft(kind, &draft)?;
    let w = ctx.act(Action::WritePapers)?;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let latest = tx.papers().drafts(lot, kind).await?.into_iter().next();
    let current = latest.as_ref().map(|l| crate::domain::edit::LastChange {
        version: i64::from(l.version),
        by: l.saved_by.clone(),
        at: l.saved_at,
    });
    crate::domain::edit::check_not_stale(
        &format!("the {} narrative", kind.label().to_lowercase()),
        based_on.map(i64::from),
        current.as_ref(),
    )?;
    // Saving what is already the newest version keeps it, rather than adding a copy.
    if latest.as_ref().is_none_or(|l| l.draft != draft) {
        let version = latest.as_ref().map_or(1, |l| l.version + 1);
        tx.papers()
            .insert_draft(lot, kind, version, &draft, &w)
            .await?;
        #[derive(serde::Serialize)]
        struct Ev<'a> {
            kind: &'a str,
            version: u32,
            draft: &'a PaperDraft,
        }
        tx.audit()
            .append(
                NewAuditEvent::new(&w, "paper.draft_saved", "lot", Some(lot.0))
                    .before_opt(
                        latest
                            .as_ref()
                            .map(|l| Ev {
                                kind: kind.key(),
                                version: l.version,
                                draft: &l.draft,
                            })
                            .as_ref(),
                    )
                    .after(&Ev {
                        kind: kind.key(),
                        version,
                        draft: &draft,
                    }),
            )
            .await?;
        tx.commit().await?;
    }
    view(ctx, lot, kind).await
}

/// Restores an earlier version by saving it again as the newest.
pub async fn restore(ctx: &Ctx, lot: LotId, kind: PaperKind, version: u32) -> Result<PaperView> {
    let saved = drafts(ctx, lot, kind).await?;
    let old = saved
        .into_iter()
        .find(|s| s.version == version)
        .ok_or_else(|| Error::not_found(format!("version {version} of this paper")))?;
    save(ctx, lot, kind, old.draft).await
}

/// Who generated a paper and when: both are printed in it, so a kept paper can be
/// reproduced byte for byte from them.
struct Made {
    author: String,
    created: DateTime<Utc>,
    /// The audit record it was made on (none on a preview, which is not a document).
    anchor: Option<crate::domain::anchor::Anchor>,
}

fn spec_of(
    kind: PaperKind,
    f: &Facts,
    draft: &PaperDraft,
    edition: Edition,
    draft_mode: bool,
    made: &Made,
) -> DocSpec {
    let mut spec = build(&PaperInput {
        kind,
        draft,
        lot: &f.lot,
        contract: f.contract.as_ref(),
        award: f.award.as_ref().map_err(|e| e.clone()),
        tendering: f.tendering.as_ref(),
        edition,
        draft_mode,
        author: made.author.clone(),
        created: made.created,
    });
    spec.anchor = made.anchor.clone();
    spec
}

#[allow(clippy::too_many_arguments)]
fn render(
    kind: PaperKind,
    f: &Facts,
    draft: &PaperDraft,
    edition: Edition,
    draft_mode: bool,
    made: &Made,
    progress: &mut dyn FnMut(GenerationProgress),
) -> Result<(DocSpec, Vec<u8>, usize)> {
    progress(GenerationProgress {
        step: "Laying out the paper".into(),
        done: 0,
        total: 0,
    });
    let spec = spec_of(kind, f, draft, edition, draft_mode, made);
    let (bytes, pages) = render_with_progress(Fonts::shared(), &spec, &mut |n, total| {
        progress(GenerationProgress {
            step: format!("Drawing page {n} of {total}"),
            done: n as u32,
            total: total as u32,
        })
    })?;
    Ok((spec, bytes, pages))
}

/// What `generate_to` writes to its file: the PDF, or the web edition made from the same
/// laid-out content (`docs::html`). The PDF is what is kept either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperFormat {
    Pdf,
    Html,
}

impl PaperFormat {
    pub fn parse(s: &str) -> Result<PaperFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Ok(PaperFormat::Pdf),
            "html" | "htm" => Ok(PaperFormat::Html),
            other => Err(Error::validation(
                "format",
                format!("“{other}” is not a format: expected pdf or html"),
            )),
        }
    }

    /// The format a file's name asks for, when no format is given.
    pub fn of_path(p: &std::path::Path) -> PaperFormat {
        match p.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => {
                PaperFormat::Html
            }
            _ => PaperFormat::Pdf,
        }
    }
}

/// The paper as it stands, unsaved changes included, marked DRAFT with its gaps shown.
pub async fn preview(ctx: &Ctx, lot: LotId, kind: PaperKind, draft: PaperDraft) -> Result<Vec<u8>> {
    check_draft(kind, &draft)?;
    let f = facts(ctx, lot, kind).await?;
    if let Some(why) = blocked(kind, &f)
        && kind == PaperKind::Extension
    {
        return Err(Error::conflict(why));
    }
    let made = Made {
        author: ctx.user.clone(),
        created: ctx.clock.now(),
        anchor: None,
    };
    Ok(render(kind, &f, &draft, Edition::Open, true, &made, &mut |_| {})?.1)
}

/// Generates the paper from the latest saved draft. A final paper is kept with its hash;
/// `allow_draft` makes a DRAFT copy with the gaps shown, which is not kept.
pub async fn generate(
    ctx: &Ctx,
    lot: LotId,
    kind: PaperKind,
    edition: Edition,
    allow_draft: bool,
    progress: &mut (dyn FnMut(GenerationProgress) + Send),
) -> Result<Generated> {
    generate_to(ctx, lot, kind, edition, allow_draft, progress, None).await
}

/// As `generate`, writing the PDF (or its web edition) to `out` too: the file is written
/// first and the paper is kept (and audited) only once it is, so a failed write keeps nothing.
pub async fn generate_to(
    ctx: &Ctx,
    lot: LotId,
    kind: PaperKind,
    edition: Edition,
    allow_draft: bool,
    progress: &mut (dyn FnMut(GenerationProgress) + Send),
    out: Option<(&std::path::Path, PaperFormat)>,
) -> Result<Generated> {
    // One instant for the paper's date and the kept record, so it can be reproduced.
    let w = ctx.act(Action::WritePapers)?;
    let (events, _) = ctx.store.read().await?.audit().head().await?;
    let made = Made {
        author: w.actor.clone(),
        created: w.at,
        anchor: Some(super::audit::anchor_upto(ctx, events, w.at).await?),
    };
    progress(GenerationProgress {
        step: "Reading the workspace".into(),
        done: 0,
        total: 0,
    });
    let f = facts(ctx, lot, kind).await?;
    let saved = drafts(ctx, lot, kind).await?;
    let (draft, version) = match saved.into_iter().next() {
        Some(s) => (s.draft, Some(s.version)),
        None => (default_draft(kind, &f.lot, f.contract.as_ref()), None),
    };
    if let Some(why) = blocked(kind, &f)
        && !(allow_draft && kind == PaperKind::Award)
    {
        return Err(Error::conflict(why));
    }
    let gaps = paper::gaps(kind, &draft);
    let version = match version {
        Some(v) if gaps.is_empty() => Some(v),
        _ if allow_draft => None,
        None => {
            return Err(Error {
                details: gaps.iter().map(|g| g.message.clone()).collect(),
                ..Error::validation(
                    "draft",
                    format!(
                        "nothing has been written for the {} paper yet; write and save its narrative first",
                        kind.label().to_lowercase()
                    ),
                )
            });
        }
        Some(_) => {
            return Err(Error {
                details: gaps.iter().map(|g| g.message.clone()).collect(),
                ..Error::validation(
                    gaps[0].field.clone(),
                    format!(
                        "the paper cannot be generated yet: {} thing{} still to write ({})",
                        gaps.len(),
                        if gaps.len() == 1 { " is" } else { "s are" },
                        gaps.iter()
                            .take(3)
                            .map(|g| g.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                )
            });
        }
    };
    let (spec, bytes, pages) = render(
        kind,
        &f,
        &draft,
        edition,
        version.is_none(),
        &made,
        progress,
    )?;
    let staged = out
        .map(|(o, format)| match format {
            PaperFormat::Pdf => super::stage(o, &bytes),
            PaperFormat::Html => super::stage(o, crate::docs::html::render(&spec).as_bytes()),
        })
        .transpose()?;
    let document = match version {
        Some(v) => {
            progress(GenerationProgress {
                step: "Keeping this version".into(),
                done: pages as u32,
                total: pages as u32,
            });
            let new = NewPaperDocument {
                draft_version: v,
                edition,
                pages: pages as u32,
                bytes: bytes.clone(),
                anchor_events: Some(events),
            };
            Some(keep(ctx, &w, lot, kind, &new).await?)
        }
        None => None,
    };
    if let Some(s) = staged {
        s.place()?;
    }
    Ok(Generated {
        document,
        bytes,
        pages: pages as u32,
    })
}

/// A kept paper laid out again from the workspace as it is now, with the author and date
/// it was generated with: its bytes equal the kept ones while nothing it shows has changed.
pub(crate) async fn reproduce(ctx: &Ctx, doc: &PaperDocument) -> Result<(DocSpec, Vec<u8>)> {
    let f = facts(ctx, doc.lot_id, doc.kind).await?;
    let draft = drafts(ctx, doc.lot_id, doc.kind)
        .await?
        .into_iter()
        .find(|s| s.version == doc.draft_version)
        .ok_or_else(|| Error::not_found(format!("draft version {}", doc.draft_version)))?
        .draft;
    let anchor = match doc.anchor_events {
        Some(n) => Some(super::audit::anchor_upto(ctx, n, doc.generated_at).await?),
        None => None,
    };
    let made = Made {
        author: doc.generated_by.clone(),
        created: doc.generated_at,
        anchor,
    };
    let spec = spec_of(doc.kind, &f, &draft, doc.edition, false, &made);
    let (bytes, _) = crate::docs::render::render(Fonts::shared(), &spec)?;
    Ok((spec, bytes))
}

/// Keeps a generated paper, numbered within its lot and kind, with its SHA-256.
async fn keep(
    ctx: &Ctx,
    w: &WriteCtx,
    lot: LotId,
    kind: PaperKind,
    new: &NewPaperDocument,
) -> Result<PaperDocument> {
    let sha256 = crate::domain::kept::sha256(&new.bytes);
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    if !tx
        .papers()
        .drafts(lot, kind)
        .await?
        .iter()
        .any(|d| d.version == new.draft_version)
    {
        return Err(Error::validation(
            "draftVersion",
            format!("there is no saved draft version {}", new.draft_version),
        ));
    }
    let number = tx
        .papers()
        .documents(lot)
        .await?
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| d.number)
        .max()
        .unwrap_or(0)
        + 1;
    let id = tx
        .papers()
        .insert_document(lot, kind, number, new, &sha256, w)
        .await?;
    let doc = tx
        .papers()
        .document(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("generated paper {id}")))?;
    tx.audit()
        .append(NewAuditEvent::new(w, "paper.generated", "lot", Some(lot.0)).after(&doc))
        .await?;
    tx.commit().await?;
    Ok(doc)
}

/// A generated paper and its bytes, checked against its stored SHA-256.
pub async fn document(ctx: &Ctx, id: PaperId) -> Result<(PaperDocument, Vec<u8>)> {
    let (doc, bytes) = ctx
        .store
        .read()
        .await?
        .papers()
        .document_bytes(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("generated paper {id}")))?;
    crate::domain::kept::check(&bytes, &doc.sha256, &format!("generated paper {id}"))?;
    Ok((doc, bytes))
}

/// Every saved version of a paper's narrative, newest first.
pub async fn drafts(ctx: &Ctx, lot: LotId, kind: PaperKind) -> Result<Vec<SavedDraft>> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.papers().drafts(lot, kind).await
}

/// The lot's generated papers, newest first (without their bytes).
pub async fn documents(ctx: &Ctx, lot: LotId) -> Result<Vec<PaperDocument>> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.papers().documents(lot).await
}

/// Writes a generated paper to a file for the system PDF viewer, named so people can tell
/// the versions apart.
pub async fn export_document(
    ctx: &Ctx,
    id: PaperId,
    dir: &std::path::Path,
) -> Result<std::path::PathBuf> {
    let (doc, bytes) = document(ctx, id).await?;
    let lot = super::lots::show(ctx, doc.lot_id).await?;
    let safe = super::file_name_part(&format!(
        "{} {} {} v{} {}",
        lot.procurement.reference,
        lot.reference,
        doc.kind.key(),
        doc.number,
        doc.edition.key()
    ));
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{safe}.pdf"));
    super::write_file(&path, &bytes)?;
    Ok(path)
}

/// The web edition of a kept paper, written beside the PDF's copy: laid out again from the
/// workspace exactly as `verify` does, and refused if that no longer makes the kept PDF's
/// bytes (something it shows has changed since), so the web page never says other than the
/// paper that was decided on.
pub async fn export_document_html(
    ctx: &Ctx,
    id: PaperId,
    dir: &std::path::Path,
) -> Result<std::path::PathBuf> {
    let (doc, kept) = document(ctx, id).await?;
    let (spec, again) = reproduce(ctx, &doc).await?;
    if again != kept {
        return Err(Error::conflict(format!(
            "{} paper {} no longer matches the workspace (something it shows has changed since it was generated): generate the paper again, then save its web page",
            doc.kind.label(),
            doc.number
        )));
    }
    let pdf = export_document(ctx, id, dir).await?;
    let path = pdf.with_extension("html");
    super::write_file(&path, crate::docs::html::render(&spec).as_bytes())?;
    Ok(path)
}

/// Reads a narrative from the documented JSON format (`PaperDraft`); errors name the file,
/// line and column, and an unknown field is refused (with the nearest known one) rather than
/// silently dropped. A file with nothing in it is refused too, not saved as an empty version.
pub fn parse_narrative(text: &str, file: &str) -> Result<PaperDraft> {
    let d: PaperDraft = crate::domain::json::parse(text, file, "narrative", "a paper narrative")?;
    if d == PaperDraft::default() {
        return Err(Error::validation(
            "narrative",
            format!(
                "{file}: the narrative has nothing in it (see README, Decision papers, for its fields)"
            ),
        ));
    }
    Ok(d)
}

pub async fn import_narrative(
    ctx: &Ctx,
    lot: LotId,
    kind: PaperKind,
    path: &std::path::Path,
) -> Result<PaperView> {
    let f = super::textfile::TextFile::read(path, "file")?;
    let d = parse_narrative(&f.text, &f.name)?;
    save(ctx, lot, kind, d).await
}
