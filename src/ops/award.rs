//! Award: the recommendation, the award dates and standstill, assessment summaries (one
//! letter per bidder), the award pack for legal with its manifest, legal's review and
//! checking a pack against the workspace.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use ts_rs::TS;

use super::{Ctx, write_file};
use crate::docs::pack::{
    MANIFEST_KEY, PackInput, PackSection, audit_blocks, declaration_blocks, model_blocks, nested,
    score_blocks, signoff_blocks, standstill_blocks,
};
use crate::docs::render::{info_entry, render, render_with_progress};
use crate::docs::summary::{SummaryInput, build};
use crate::docs::{Block, DocSpec, Run, font::Fonts};
use crate::domain::award::{
    AwardDates, AwardPack, AwardRegime, AwardTimeline, FurtherDecisionKind, ManifestEntry,
    PackComment, PackDecision, PackManifest, PackReview, PackStatus, TimelineFacts, check_dates,
    check_review, contract_gate, pack_status, timeline_with,
};
use crate::domain::calendar::Standstill;
use crate::domain::eval::EvalScope;
use crate::domain::eval::results::{BidResult, shown};
use crate::domain::eval::{Approval, PanelRole, Reopening};
use crate::domain::ids::{BidId, LotId, PackId, PaperId};
use crate::domain::lot::Lot;
use crate::domain::milestone::{CONTRACT_SIGNED, CONTRACT_START};
use crate::domain::money::Money;
use crate::domain::paper::{Edition, PaperDocument, PaperKind};
use crate::domain::roles::{Action, Role};
use crate::domain::stage::Stage;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{MilestoneInput, NewAuditEvent, NewAwardPack, Tx};

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

/// What the letters are made from, loaded once: the results, the moderated record and the lot.
struct Evaluated {
    results: super::eval::EvalResults,
    state: crate::domain::eval::EvalState,
    lot: Lot,
    winner: BidId,
}

/// Loads the evaluation behind the letters (and the pack), refused until the moderated
/// scores are complete and signed off, since the letters give the reasons for them.
async fn evaluated(ctx: &Ctx, lot: LotId, scope: EvalScope) -> Result<Evaluated> {
    let results = super::eval::results(ctx, lot).await?;
    if !results.scored.complete || !results.signed_off {
        return Err(Error::conflict(
            "Evaluation results are required: the moderated scores must be complete and signed off by every member of the panel before assessment summaries are sent",
        ));
    }
    let winner = results.recommended.ok_or_else(|| {
        Error::conflict("no tender can be recommended: every tender was excluded")
    })?;
    Ok(Evaluated {
        results,
        state: crate::ops::eval::load::read(ctx, lot, &ctx.user, scope).await?,
        lot: super::lots::show(ctx, lot).await?,
        winner,
    })
}

/// One letter per bidder as a document dated `created`, with whether it is the winner's.
fn letters(
    e: &Evaluated,
    created: DateTime<Utc>,
    anchor: &crate::domain::anchor::Anchor,
) -> Result<Vec<(BidResult, bool, DocSpec)>> {
    let input = SummaryInput {
        lot: &e.lot,
        model: e.state.model()?,
        bids: &e.results.scored.bids,
        consensus: &e.state.consensus,
        price_method: e.results.scored.price_method.as_deref(),
        winner: e.winner,
        created,
        author: String::new(),
    };
    Ok(e.results
        .scored
        .bids
        .iter()
        .map(|b| {
            let mut spec = build(&input, b);
            spec.anchor = Some(anchor.clone());
            (b.clone(), b.bid_id == e.winner, spec)
        })
        .collect())
}

/// Writes one assessment summary per bidder into `dir`.
pub async fn summaries(ctx: &Ctx, lot: LotId, dir: &Path) -> Result<Vec<SummaryFile>> {
    ctx.role.require(Action::ManageAward)?;
    let e = evaluated(ctx, lot, EvalScope::Consensus).await?;
    let l = &e.lot;
    let letters = letters(&e, ctx.clock.now(), &super::audit::anchor(ctx).await?)?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::validation(
            "out",
            format!("{} could not be created: {e}", dir.display()),
        )
    })?;
    let mut out = Vec::new();
    for (b, successful, spec) in letters {
        let (bytes, pages) = render(Fonts::shared(), &spec)?;
        let path = dir.join(format!(
            "{}_{}_assessment_summary_{}.pdf",
            super::file_name_part(&l.procurement.reference),
            super::file_name_part(&l.reference),
            super::file_name_part(&b.bidder)
        ));
        write_file(&path, &bytes)?;
        out.push(SummaryFile {
            bid_id: b.bid_id,
            bidder: b.bidder.clone(),
            successful,
            path,
            pages: pages as u32,
            sha256: sha(&bytes),
        });
    }
    Ok(out)
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn sha_json<T: Serialize>(v: &T) -> String {
    sha(&serde_json::to_vec(v).expect("serialisable"))
}

// ----- The recommendation and the dates -----

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Excluded {
    pub bidder: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Recommendation {
    pub winner: String,
    /// The winner's total score, as shown (e.g. "76.00").
    pub winner_total: String,
    pub winner_price: Money,
    /// The next-ranked tender, if the winner cannot go ahead.
    pub reserve: Option<String>,
    pub excluded: Vec<Excluded>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegimeChoice {
    pub regime: AwardRegime,
    pub label: String,
    pub notice: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AwardView {
    pub lot_id: LotId,
    pub lot_reference: String,
    pub lot_title: String,
    pub stage: Stage,
    /// None while the results are not signed off; `results_blocker` says why.
    pub recommendation: Option<Recommendation>,
    pub results_blocker: Option<String>,
    pub dates: Option<AwardDates>,
    pub timeline: Option<AwardTimeline>,
    pub regimes: Vec<RegimeChoice>,
    /// The newest kept award decision paper, which the pack includes.
    pub award_paper: Option<PaperDocument>,
    /// Newest first.
    pub packs: Vec<AwardPack>,
    pub status: PackStatus,
    /// What still stands between the lot and the contract stage.
    pub contract_missing: Vec<String>,
    /// The pack's sections in order: what legal may comment on.
    pub sections: Vec<String>,
    /// The person's role, so the screen offers only what it may do.
    pub role: Role,
}

fn recommendation(r: &super::eval::EvalResults) -> Option<Recommendation> {
    let w = r.recommended_bid()?;
    let winner = w.bid_id;
    let mut ranked: Vec<_> = r.scored.bids.iter().filter(|b| b.rank.is_some()).collect();
    ranked.sort_by_key(|b| b.rank);
    Some(Recommendation {
        winner: w.bidder.clone(),
        winner_total: shown(w.total.0),
        winner_price: w.price,
        reserve: ranked
            .iter()
            .find(|b| b.bid_id != winner)
            .map(|b| b.bidder.clone()),
        excluded: r
            .scored
            .bids
            .iter()
            .filter(|b| !b.exclusions.is_empty())
            .map(|b| Excluded {
                bidder: b.bidder.clone(),
                reasons: b.exclusions.clone(),
            })
            .collect(),
    })
}

async fn newest_award_paper(ctx: &Ctx, lot: LotId) -> Result<Option<PaperDocument>> {
    let docs = super::papers::documents(ctx, lot).await?;
    let award: Vec<_> = docs
        .into_iter()
        .filter(|d| d.kind == PaperKind::Award)
        .collect();
    // Legal needs the full results: the full edition when one has been kept.
    Ok(award
        .iter()
        .find(|d| d.edition == Edition::Full)
        .or(award.first())
        .cloned())
}

pub async fn view(ctx: &Ctx, lot: LotId) -> Result<AwardView> {
    let l = super::lots::show(ctx, lot).await?;
    let (recommendation, results_blocker) = match super::eval::results(ctx, lot).await {
        Ok(r) if r.signed_off && r.scored.complete => match recommendation(&r) {
            Some(rec) => (Some(rec), None),
            None => (
                None,
                Some("No tender can be recommended: every tender was excluded.".to_string()),
            ),
        },
        Ok(_) => (
            None,
            Some(
                "The moderated scores are not yet complete and signed off by the whole panel."
                    .into(),
            ),
        ),
        Err(e) => (None, Some(e.message)),
    };
    let extra = ctx.store.read().await?.calendar().extra_holidays().await?;
    let dates = dates(ctx, lot).await?;
    let facts = timeline_facts(&mut *ctx.store.read().await?, &l).await?;
    let timeline = match &dates {
        Some(d) => Some(timeline_with(d, &facts, &extra, ctx.clock.today())?),
        None => None,
    };
    let packs = packs(ctx, lot).await?;
    let sections = pack_sections(match packs.first() {
        Some(p) => has_tupe(&p.manifest),
        None => ctx.store.read().await?.tupe().plan(lot).await?.is_some(),
    });
    let status = pack_status(&packs);
    Ok(AwardView {
        lot_id: lot,
        lot_reference: l.reference.clone(),
        lot_title: l.title.clone(),
        stage: l.stage,
        recommendation,
        results_blocker,
        contract_missing: contract_gate(dates.as_ref(), &facts, &extra, ctx.clock.today(), status),
        dates,
        timeline,
        regimes: AwardRegime::ALL
            .into_iter()
            .map(|r| RegimeChoice {
                regime: r,
                label: r.label().into(),
                notice: r.notice().into(),
            })
            .collect(),
        award_paper: newest_award_paper(ctx, lot).await?,
        packs,
        status,
        sections,
        role: ctx.role,
    })
}

/// The award dates as typed: dates as 2026-12-07 or 07/12/2026, empty for not yet.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetAwardDates {
    pub lot_id: LotId,
    pub regime: String,
    #[serde(default)]
    pub voluntary_standstill: bool,
    pub notice_published: Option<String>,
    pub contract_signed: Option<String>,
}

pub async fn set_dates(ctx: &Ctx, input: SetAwardDates) -> Result<AwardView> {
    let w = ctx.act(Action::ManageAward)?;
    let date = |field: &str, v: &Option<String>| -> Result<Option<NaiveDate>> {
        match super::optional(v.as_deref()) {
            None => Ok(None),
            Some(t) => super::field(field, crate::domain::dates::parse(t)).map(Some),
        }
    };
    let d = AwardDates {
        regime: AwardRegime::parse(&input.regime)?,
        voluntary_standstill: input.voluntary_standstill,
        notice_published: date("noticePublished", &input.notice_published)?,
        contract_signed: date("contractSigned", &input.contract_signed)?,
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    let extra = tx.calendar().extra_holidays().await?;
    let l = super::lots::view(&mut *tx, lot, ctx.read()).await?;
    check_dates(&d, &timeline_facts(&mut *tx, &l).await?, &extra)?;
    if !matches!(l.stage, Stage::Award | Stage::Contract) {
        return Err(Error::validation(
            "regime",
            format!(
                "the lot is at {}: award dates are recorded once it has reached Award",
                l.stage
            ),
        ));
    }
    let before = tx.award().dates(lot).await?;
    if before.as_ref() != Some(&d) {
        tx.award().set_dates(lot, &d, &w).await?;
        // The signature is also the lot's `contract_signed` milestone: the notices' deadlines
        // count from it (s53(1)). Written in the same transaction, so the two never differ.
        if let Some(signed) = d.contract_signed {
            let m = MilestoneInput {
                key: Some(CONTRACT_SIGNED.to_string()),
                title: crate::domain::milestone::standard_title(CONTRACT_SIGNED)
                    .unwrap_or(CONTRACT_SIGNED)
                    .to_string(),
                planned: signed,
                actual: Some(signed),
            };
            match tx.lots().milestone_by_key(lot, CONTRACT_SIGNED).await? {
                Some(old) => {
                    // Its title stays as the officer may have worded it.
                    let m = MilestoneInput {
                        title: old.title,
                        ..m
                    };
                    tx.lots().update_milestone(old.id, &m).await?
                }
                None => {
                    tx.lots().insert_milestone(lot, &m).await?;
                }
            }
        }
        tx.audit()
            .append(
                NewAuditEvent::new(&w, "award.dates_set", "lot", Some(lot.0))
                    .before_opt(before.as_ref())
                    .after(&d),
            )
            .await?;
        tx.commit().await?;
    }
    view(ctx, lot).await
}

/// The facts beyond the award dates that decide the timeline: the service start, whether the
/// contract is over £5 million (s53(3)), and a PSR standstill's representations.
pub(crate) async fn timeline_facts(tx: &mut dyn Tx, l: &Lot) -> Result<TimelineFacts> {
    Ok(TimelineFacts {
        contract_start: l.milestone_date(CONTRACT_START),
        over_five_million: l
            .whole_life_value
            .is_some_and(|v| v > crate::domain::money::Money::from_pounds(5_000_000)),
        records: tx.award().standstill_records(l.id).await?,
    })
}

/// A written representation received during a PSR standstill (SI 2023/1348 reg 12(3)).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordRepresentation {
    pub lot_id: LotId,
    /// 24/11/2026 or 2026-11-24.
    pub received_on: String,
    pub provider: String,
    pub summary: String,
}

pub async fn record_representation(ctx: &Ctx, input: RecordRepresentation) -> Result<AwardView> {
    let w = ctx.act(Action::ManageAward)?;
    let received_on = super::past_date(
        "receivedOn",
        "date it was received",
        &input.received_on,
        w.today,
    )?;
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    psr_standstill_open(tx.award().dates(lot).await?, "representations")?;
    let provider = super::required(
        "provider",
        "provider who made the representations",
        &input.provider,
    )?;
    let summary = super::long_text("summary", "summary of the representations", &input.summary)?;
    let id = tx
        .award()
        .insert_representation(lot, received_on, &provider, &summary, &w)
        .await?;
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let after = serde_json::json!({"lotId": lot, "id": id, "receivedOn": iso(received_on),
        "provider": provider, "summary": summary});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "award.representation_recorded",
            lot,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

/// A further decision on representations, communicated in writing with reasons to the
/// providers (reg 12(4)(d), (6), (7), (8)).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordFurtherDecision {
    pub lot_id: LotId,
    /// The day it was communicated to the providers.
    pub communicated_on: String,
    /// proceed, repeat or abandon.
    pub decision: String,
    pub reasons: String,
}

pub async fn record_further_decision(ctx: &Ctx, input: RecordFurtherDecision) -> Result<AwardView> {
    let w = ctx.act(Action::ManageAward)?;
    let communicated_on = super::past_date(
        "communicatedOn",
        "date it was communicated",
        &input.communicated_on,
        w.today,
    )?;
    let decision = super::field("decision", FurtherDecisionKind::parse(&input.decision))?;
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    psr_standstill_open(tx.award().dates(lot).await?, "further decisions")?;
    let records = tx.award().standstill_records(lot).await?;
    let Some(first) = records.representations.iter().map(|r| r.received_on).min() else {
        return Err(Error::validation(
            "decision",
            "record the representations first: a further decision answers them (reg 12(4))",
        ));
    };
    if communicated_on < first {
        return Err(Error::validation(
            "communicatedOn",
            format!(
                "the further decision, {}, comes before the first representations were received ({})",
                crate::domain::dates::long(communicated_on),
                crate::domain::dates::long(first)
            ),
        ));
    }
    let reasons = super::long_text("reasons", "reasons given to the providers", &input.reasons)?;
    let id = tx
        .award()
        .insert_further_decision(lot, communicated_on, decision, &reasons, &w)
        .await?;
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let after = serde_json::json!({"lotId": lot, "id": id, "communicatedOn": iso(communicated_on),
        "decision": decision.key(), "reasons": reasons});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "award.further_decision_recorded",
            lot,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

/// Representations belong to a PSR standstill that has begun: the regime recorded is the
/// PSR's and its notice of intention is published.
fn psr_standstill_open(dates: Option<AwardDates>, what: &str) -> Result<()> {
    match dates {
        Some(d) if d.regime == AwardRegime::Psr && d.notice_published.is_some() => Ok(()),
        _ => Err(Error::validation(
            "regime",
            format!(
                "{what} are recorded during a Provider Selection Regime standstill: record the award dates with the PSR regime and the date the notice of intention was published first"
            ),
        )),
    }
}

// ----- The award pack -----

/// What a pack shows, and the hash of each document and record in it.
struct Gathered {
    lot: Lot,
    cover: Vec<(String, String)>,
    sections: Vec<PackSection>,
    entries: Vec<ManifestEntry>,
    paper_id: PaperId,
    head_hash: String,
}

pub const SECTION_PAPER: &str = "Award decision paper";
pub const SECTION_MODEL: &str = "Evaluation model";
pub const SECTION_DECLARATIONS: &str = "Conflict-of-interest declarations";
pub const SECTION_SCORES: &str = "Individual and moderated scores";
pub const SECTION_SIGNOFFS: &str = "Sign-offs";
pub const SECTION_STANDSTILL: &str = "Standstill calculation";
pub const SECTION_TUPE: &str = "TUPE checklist";
pub const SECTION_SUMMARIES: &str = "Assessment summaries";
pub const SECTION_AUDIT: &str = "Audit trail extract";

/// The pack's sections in order, for legal's comments; the TUPE checklist is there when the
/// lot has a transfer planned.
pub fn pack_sections(tupe: bool) -> Vec<String> {
    [
        crate::docs::pack::COVER,
        SECTION_PAPER,
        SECTION_MODEL,
        SECTION_DECLARATIONS,
        SECTION_SCORES,
        SECTION_SIGNOFFS,
        SECTION_STANDSTILL,
        SECTION_TUPE,
        SECTION_SUMMARIES,
        SECTION_AUDIT,
        crate::docs::pack::MANIFEST,
    ]
    .iter()
    .filter(|s| tupe || **s != SECTION_TUPE)
    .map(|s| s.to_string())
    .collect()
}

/// Whether a pack carries the TUPE checklist.
fn has_tupe(m: &PackManifest) -> bool {
    m.entries.iter().any(|e| e.section == SECTION_TUPE)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeclarationRecord<'a> {
    person: &'a str,
    role: PanelRole,
    declared_at: Option<DateTime<Utc>>,
    conflict: Option<&'a str>,
}

/// A panel member's submission and sign-off times.
type MemberSignoff<'a> = (&'a str, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignoffRecord<'a> {
    approved: Option<&'a Approval>,
    round: u32,
    reopenings: &'a [Reopening],
    members: Vec<MemberSignoff<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StandstillRecord {
    // Not the signature date: the contract is signed after legal approves the pack.
    regime: AwardRegime,
    voluntary_standstill: bool,
    notice_published: Option<NaiveDate>,
    standstill: Option<Standstill>,
    representations: Vec<crate::domain::award::Representation>,
    further_decisions: Vec<crate::domain::award::FurtherDecision>,
    contract_may_be_entered_from: Option<NaiveDate>,
    contract_start: Option<NaiveDate>,
}

async fn gather(
    ctx: &Ctx,
    lot: LotId,
    built_at: DateTime<Utc>,
    head_seq: i64,
    paper_id: Option<PaperId>,
) -> Result<Gathered> {
    let e = evaluated(ctx, lot, EvalScope::AllVisible).await?;
    // The letters in the pack carry the pack's own anchor: the record it was built on.
    let anchor = super::audit::anchor_upto(ctx, head_seq, built_at).await?;
    let letters = letters(&e, crate::domain::audit::truncate(built_at), &anchor)?;
    let Evaluated {
        results,
        state: st,
        lot: l,
        ..
    } = e;
    let model = st.model()?.clone();
    let dates = dates(ctx, lot).await?.ok_or_else(|| {
        Error::validation(
            "regime",
            "record the award dates first: the regime, and the date the award notice is (or will be) published",
        )
    })?;
    let paper = match paper_id {
        Some(id) => super::papers::document(ctx, id).await?.0,
        None => newest_award_paper(ctx, lot).await?.ok_or_else(|| {
            Error::conflict(
                "generate the award decision paper first (Documents tab, or lotwise paper LOT --kind award): the pack includes it",
            )
        })?,
    };
    let (paper_spec, paper_bytes) = super::papers::reproduce(ctx, &paper).await?;
    let extra = ctx.store.read().await?.calendar().extra_holidays().await?;
    let t = timeline_with(
        &dates,
        &timeline_facts(&mut *ctx.store.read().await?, &l).await?,
        &extra,
        ctx.clock.today(),
    )?;
    let mut tx = ctx.store.read().await?;
    let events = tx.audit().lot_events(lot, head_seq).await?;
    let head_hash = tx
        .audit()
        .hash_at(head_seq)
        .await?
        .unwrap_or_else(|| crate::domain::audit::GENESIS.to_string());
    drop(tx);

    let mut entries = Vec::new();
    let mut entry = |section: &str, document: String, sha256: String| {
        entries.push(ManifestEntry {
            section: section.into(),
            document,
            sha256,
        })
    };
    entry(
        SECTION_PAPER,
        format!(
            "Award decision paper no. {} ({} edition), PDF",
            paper.number,
            paper.edition.key()
        ),
        sha(&paper_bytes),
    );
    entry(
        SECTION_MODEL,
        "Evaluation model as approved, JSON".into(),
        sha(model.to_json().as_bytes()),
    );
    let declarations: Vec<DeclarationRecord> = st
        .panel
        .iter()
        .map(|m| DeclarationRecord {
            person: &m.person,
            role: m.role,
            declared_at: m.declared_at,
            conflict: m.conflict.as_deref(),
        })
        .collect();
    entry(
        SECTION_DECLARATIONS,
        "Panel declarations, JSON".into(),
        sha_json(&declarations),
    );
    entry(
        SECTION_SCORES,
        "Submitted scores, moderated scores with reasons, prices and results, JSON".into(),
        sha_json(&(&st.scores, &st.consensus, &st.bids, &results.scored)),
    );
    // Scores that came back on signed scoresheets: each file by its SHA-256, with the key
    // that signed it, so legal can check who scored what against the files themselves.
    let sheets = ctx
        .store
        .read()
        .await?
        .eval()
        .scoresheet_imports(lot)
        .await?;
    for i in &sheets {
        let key = i
            .public_key
            .as_deref()
            .and_then(|k| crate::domain::eval::scoresheet::public_key(k).ok())
            .map(|k| {
                format!(
                    ", signed with the key “{}”",
                    crate::domain::eval::scoresheet::fingerprint(&k)
                )
            })
            .unwrap_or_else(|| ", unsigned".into());
        entry(
            SECTION_SCORES,
            format!(
                "Scoresheet from {} (submission {}{key}), .lwscores",
                i.evaluator,
                &i.submission_id[..i.submission_id.len().min(12)]
            ),
            i.sha256.clone(),
        );
    }
    let signoffs = SignoffRecord {
        approved: st.approved.as_ref(),
        round: st.round,
        reopenings: &st.reopenings,
        members: st
            .panel
            .iter()
            .map(|m| (m.person.as_str(), m.submitted_at, m.signed_off_at))
            .collect(),
    };
    entry(
        SECTION_SIGNOFFS,
        "Model approval, submissions and sign-offs, JSON".into(),
        sha_json(&signoffs),
    );
    entry(
        SECTION_STANDSTILL,
        "Award dates and standstill calculation, JSON".into(),
        sha_json(&StandstillRecord {
            regime: dates.regime,
            voluntary_standstill: dates.voluntary_standstill,
            notice_published: dates.notice_published,
            standstill: t.standstill.clone(),
            representations: t.representations.clone(),
            further_decisions: t.further_decisions.clone(),
            contract_may_be_entered_from: t.contract_may_be_entered_from,
            contract_start: t.contract_start,
        }),
    );
    // What the pack fixes is the transfer plan legal saw. Progress on the obligations and
    // newer staff lists are expected after award, so they are shown as at the pack's date
    // but do not make an approved pack stale.
    let tupe = super::tupe::checklist_doc(ctx, lot, built_at.date_naive(), built_at).await?;
    let tupe_blocks = match &tupe {
        None => None,
        Some((plan, _, spec)) => {
            entry(
                SECTION_TUPE,
                "TUPE transfer plan (transfer date, providers, service provision change assessment), JSON".into(),
                sha_json(plan),
            );
            Some(
                std::iter::once(Block::Notice(vec![Run::plain(format!(
                    "The checklist as at {}, the day the pack was built. The transfer plan is part of what this pack fixes; progress on the obligations and newer staff lists are kept up to date in Lotwise after award.",
                    crate::domain::dates::long(built_at.date_naive())
                ))]))
                .chain(nested(&spec.blocks))
                .collect::<Vec<_>>(),
            )
        }
    };
    let mut letter_blocks = Vec::new();
    for (b, successful, spec) in &letters {
        let (bytes, _) = render(Fonts::shared(), spec)?;
        entry(
            SECTION_SUMMARIES,
            format!("Assessment summary to {}, PDF", b.bidder),
            sha(&bytes),
        );
        letter_blocks.push(Block::Heading {
            level: 2,
            text: format!(
                "{} ({})",
                b.bidder,
                if *successful {
                    "successful"
                } else {
                    "unsuccessful"
                }
            ),
        });
        letter_blocks.extend(nested(&spec.blocks));
    }
    entry(
        SECTION_AUDIT,
        format!(
            "{} audit events for this lot, to event {head_seq}, JSON",
            events.len()
        ),
        sha_json(&events),
    );

    let rec = recommendation(&results);
    let mut cover = Vec::new();
    if let Some(r) = &rec {
        cover.push((
            "Recommended for award".to_string(),
            format!(
                "{} (total {}, price {})",
                r.winner,
                r.winner_total,
                r.winner_price.display()
            ),
        ));
        cover.push((
            "Reserve".into(),
            r.reserve.clone().unwrap_or_else(|| "None".into()),
        ));
        cover.push((
            "Excluded tenders".into(),
            if r.excluded.is_empty() {
                "None".into()
            } else {
                r.excluded
                    .iter()
                    .map(|e| format!("{} ({})", e.bidder, e.reasons.join("; ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ));
    }
    cover.push(("Regime".into(), dates.regime.label().into()));

    let paper_note = Block::Notice(vec![
        Run::plain(format!(
            "Paper no. {}, {} edition, generated by {} on {}. SHA-256 ",
            paper.number,
            paper.edition.key(),
            paper.generated_by,
            crate::domain::dates::long(paper.generated_at.date_naive())
        )),
        Run::bold(crate::docs::pack::grouped(&paper.sha256)),
    ]);
    let mut sections = vec![
        PackSection {
            title: SECTION_PAPER.into(),
            blocks: std::iter::once(paper_note)
                .chain(nested(&paper_spec.blocks))
                .collect(),
        },
        PackSection {
            title: SECTION_MODEL.into(),
            blocks: model_blocks(&model, st.price_method.as_deref()),
        },
        PackSection {
            title: SECTION_DECLARATIONS.into(),
            blocks: declaration_blocks(&st),
        },
        PackSection {
            title: SECTION_SCORES.into(),
            blocks: score_blocks(&st, &results.scored),
        },
        PackSection {
            title: SECTION_SIGNOFFS.into(),
            blocks: signoff_blocks(&st),
        },
        PackSection {
            title: SECTION_STANDSTILL.into(),
            blocks: standstill_blocks(&dates, &t),
        },
        PackSection {
            title: SECTION_SUMMARIES.into(),
            blocks: letter_blocks,
        },
        PackSection {
            title: SECTION_AUDIT.into(),
            blocks: audit_blocks(&events, head_seq, &head_hash),
        },
    ];
    if let Some(blocks) = tupe_blocks {
        let at = sections
            .iter()
            .position(|s| s.title == SECTION_SUMMARIES)
            .unwrap_or(sections.len());
        sections.insert(
            at,
            PackSection {
                title: SECTION_TUPE.into(),
                blocks,
            },
        );
    }
    if paper_id.is_none() && sha(&paper_bytes) != paper.sha256 {
        return Err(Error::conflict(format!(
            "award decision paper no. {} no longer matches the workspace (the evaluation, the lot or its narrative changed after it was generated): generate it again before building the pack",
            paper.number
        )));
    }
    Ok(Gathered {
        lot: l,
        cover,
        sections,
        entries,
        paper_id: paper.id,
        head_hash,
    })
}

/// Progress while a pack is built, for the desktop's progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackProgress {
    pub step: String,
    pub done: u32,
    pub total: u32,
}

/// Builds the award pack from the workspace as it is now and keeps it with its manifest,
/// ready for legal. Refused until the lot is at award with signed-off results, recorded
/// award dates and a kept award decision paper that still matches the workspace.
pub async fn build_pack(
    ctx: &Ctx,
    lot: LotId,
    progress: &mut (dyn FnMut(PackProgress) + Send),
) -> Result<AwardPack> {
    build_pack_to(ctx, lot, progress, None).await
}

/// As `build_pack`, writing the pack to `out` first: it is kept only once the file is.
pub async fn build_pack_to(
    ctx: &Ctx,
    lot: LotId,
    progress: &mut (dyn FnMut(PackProgress) + Send),
    out: Option<&Path>,
) -> Result<AwardPack> {
    let w = ctx.act(Action::ManageAward)?;
    let l = super::lots::show(ctx, lot).await?;
    if l.stage != Stage::Award {
        return Err(Error::conflict(format!(
            "the lot is at {}: the award pack is built while the lot is at Award",
            l.stage
        )));
    }
    progress(PackProgress {
        step: "Gathering the records".into(),
        done: 0,
        total: 0,
    });
    let (head_seq, _) = ctx.store.read().await?.audit().head().await?;
    let g = gather(ctx, lot, w.at, head_seq, None).await?;
    let number = packs(ctx, lot).await?.len() as u32 + 1;
    let manifest = PackManifest {
        lot_id: lot,
        lot_reference: g.lot.reference.clone(),
        built_at: crate::domain::audit::truncate(w.at),
        audit_head_seq: head_seq,
        audit_head_hash: g.head_hash.clone(),
        paper_document_id: g.paper_id,
        entries: g.entries,
        workspace: Some(ctx.store.read().await?.audit().workspace_id().await?),
    };
    let spec = crate::docs::pack::build(
        Fonts::shared(),
        &PackInput {
            lot: &g.lot,
            number,
            built_by: &w.actor,
            built_at: manifest.built_at,
            cover: g.cover,
            sections: g.sections,
            manifest: &manifest,
            anchor: manifest.anchor(),
        },
    )?;
    let (bytes, pages) = render_with_progress(Fonts::shared(), &spec, &mut |n, total| {
        progress(PackProgress {
            step: format!("Drawing page {n} of {total}"),
            done: n as u32,
            total: total as u32,
        })
    })?;
    progress(PackProgress {
        step: "Keeping the pack".into(),
        done: pages as u32,
        total: pages as u32,
    });
    let staged = out.map(|o| super::stage(o, &bytes)).transpose()?;
    let new = NewAwardPack {
        number,
        pages: pages as u32,
        manifest,
        bytes,
    };
    let sha256 = crate::domain::kept::sha256(&new.bytes);
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    // The number is printed in the pack: another pack kept meanwhile makes this one stale.
    if tx.award().packs(lot).await?.first().map_or(0, |p| p.number) + 1 != number {
        return Err(Error::conflict(format!(
            "award pack {number} was kept by someone else meanwhile: build the pack again"
        )));
    }
    let id = tx.award().insert_pack(lot, &new, &sha256, &w).await?;
    let pack = tx
        .award()
        .pack(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("award pack {id}")))?;
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "award.pack_built",
            lot,
            &serde_json::json!({"pack": pack.number, "sha256": pack.sha256, "pages": pack.pages,
                                 "manifest": pack.manifest.entries}),
        ))
        .await?;
    tx.commit().await?;
    if let Some(s) = staged {
        s.place()?;
    }
    Ok(pack)
}

/// A kept pack and its bytes (checked against its SHA-256), for reading in the app.
pub async fn pack(ctx: &Ctx, id: PackId) -> Result<(AwardPack, Vec<u8>)> {
    let (p, bytes) = ctx
        .store
        .read()
        .await?
        .award()
        .pack_bytes(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("award pack {id}")))?;
    crate::domain::kept::check(&bytes, &p.sha256, &format!("award pack {id}"))?;
    Ok((p, bytes))
}

/// The lot's packs, newest first; not found, named, for a lot that does not exist.
pub async fn packs(ctx: &Ctx, lot: LotId) -> Result<Vec<AwardPack>> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.award().packs(lot).await
}

/// The lot's award dates, if recorded.
pub async fn dates(ctx: &Ctx, lot: LotId) -> Result<Option<AwardDates>> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.award().dates(lot).await
}

/// Writes a kept pack to `dir` for the system PDF viewer.
pub async fn export_pack(ctx: &Ctx, id: PackId, dir: &Path) -> Result<PathBuf> {
    let (p, bytes) = pack(ctx, id).await?;
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!(
        "{}_award_pack_{}.pdf",
        super::file_name_part(&p.manifest.lot_reference),
        p.number
    ));
    write_file(&path, &bytes)?;
    Ok(path)
}

/// Writes a kept pack to `out`.
pub async fn write_pack(ctx: &Ctx, p: &AwardPack, out: &Path) -> Result<()> {
    let (_, bytes) = pack(ctx, p.id).await?;
    write_file(out, &bytes)
}

/// Legal's comment as sent from the app or the CLI.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewPack {
    pub pack_id: PackId,
    /// approve or return
    pub decision: String,
    #[serde(default)]
    pub comments: Vec<PackComment>,
}

/// Legal approves the lot's newest pack, or returns it with comments per section; a
/// returned pack sends the lot back to the officer, who answers with a new pack.
pub async fn review(ctx: &Ctx, input: ReviewPack) -> Result<AwardPack> {
    let w = ctx.act(Action::ReviewPack)?;
    let decision = PackDecision::parse(&input.decision)?;
    let (p, _) = pack(ctx, input.pack_id).await?;
    let comments = check_review(
        decision,
        &input.comments,
        &pack_sections(has_tupe(&p.manifest)),
    )?;
    let l = super::lots::show(ctx, p.lot_id).await?;
    if l.stage != Stage::Award {
        return Err(Error::conflict(format!(
            "the lot is at {}: packs are reviewed while the lot is at Award",
            l.stage
        )));
    }
    if decision == PackDecision::Approved {
        let check = compare(ctx, &p.manifest).await?;
        if !check.changed.is_empty() {
            return Err(Error::conflict(format!(
                "award pack {} no longer matches the workspace ({} changed since it was built): ask the officer to build a new pack",
                p.number,
                check.changed.join(", ")
            )));
        }
    }
    let mut tx = ctx.store.begin().await?;
    let p = tx
        .award()
        .pack(input.pack_id)
        .await?
        .ok_or_else(|| Error::not_found(format!("award pack {}", input.pack_id)))?;
    let newest = tx
        .award()
        .packs(p.lot_id)
        .await?
        .first()
        .map_or(0, |n| n.number);
    crate::domain::award::may_review(&p, newest)?;
    tx.award()
        .insert_review(p.id, decision, &comments, &w)
        .await?;
    tx.audit()
        .append(
            NewAuditEvent::new(
                &w,
                match decision {
                    PackDecision::Approved => "award.pack_approved",
                    PackDecision::Returned => "award.pack_returned",
                },
                "lot",
                Some(p.lot_id.0),
            )
            .after(
                &serde_json::json!({"pack": p.number, "sha256": p.sha256, "comments": comments}),
            ),
        )
        .await?;
    let out = tx
        .award()
        .pack(p.id)
        .await?
        .ok_or_else(|| Error::not_found(format!("award pack {}", p.id)))?;
    tx.commit().await?;
    Ok(out)
}

// ----- Verifying a pack -----

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntryCheck {
    pub section: String,
    pub document: String,
    pub in_pack: Option<String>,
    pub now: Option<String>,
    pub matches: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackVerification {
    pub file: String,
    pub sha256: String,
    /// The pack's number when this exact file is kept in the workspace; None when the file
    /// is not one the workspace built (or it has been altered since).
    pub kept_as: Option<u32>,
    pub review: Option<PackReview>,
    pub lot_reference: String,
    pub built_at: DateTime<Utc>,
    pub entries: Vec<EntryCheck>,
    pub audit_head_seq: i64,
    /// The audit chain still holds the head event with the hash the pack printed.
    pub audit_head_matches: bool,
    /// The whole audit chain still verifies.
    pub audit_chain_ok: bool,
    /// The pack's own `award.pack_built` event, naming this file's SHA-256, is still in
    /// the chain.
    pub pack_event_found: bool,
    /// The pack's anchor (the record it was built on) checked against the chain; None for
    /// a pack built before workspaces had ids.
    pub anchor: Option<super::audit::AnchorReport>,
    /// Anchors in this computer's journal for the workspace that no longer hold: the record
    /// was cut or rewritten after the pack's head, where the pack cannot see it.
    pub journal_failures: Vec<super::audit::AnchorReport>,
    /// Everything above holds: the pack still matches the workspace.
    pub matches: bool,
    pub summary: String,
}

struct Comparison {
    entries: Vec<EntryCheck>,
    changed: Vec<String>,
}

/// Recomputes every manifest entry from the workspace as it is now, with the pack's date
/// and audit head, and compares.
async fn compare(ctx: &Ctx, m: &PackManifest) -> Result<Comparison> {
    let now = gather(
        ctx,
        m.lot_id,
        m.built_at,
        m.audit_head_seq,
        Some(m.paper_document_id),
    )
    .await;
    let now_entries = match now {
        Ok(g) => g.entries,
        // Whatever can no longer be gathered (results reopened, dates removed) no longer
        // matches.
        Err(_) => Vec::new(),
    };
    let mut entries = Vec::new();
    for e in &m.entries {
        let found = now_entries
            .iter()
            .find(|n| n.section == e.section && n.document == e.document);
        entries.push(EntryCheck {
            section: e.section.clone(),
            document: e.document.clone(),
            in_pack: Some(e.sha256.clone()),
            now: found.map(|n| n.sha256.clone()),
            matches: found.is_some_and(|n| n.sha256 == e.sha256),
        });
    }
    for n in &now_entries {
        if !m
            .entries
            .iter()
            .any(|e| e.section == n.section && e.document == n.document)
        {
            entries.push(EntryCheck {
                section: n.section.clone(),
                document: n.document.clone(),
                in_pack: None,
                now: Some(n.sha256.clone()),
                matches: false,
            });
        }
    }
    let mut changed: Vec<String> = Vec::new();
    for e in entries.iter().filter(|e| !e.matches) {
        if !changed.contains(&e.section) {
            changed.push(e.section.clone());
        }
    }
    Ok(Comparison { entries, changed })
}

/// Does this pack file still match the workspace? Checks that the file is a pack the
/// workspace kept, recomputes each document and record in its manifest, and checks the
/// audit chain still holds the head the pack printed.
pub async fn verify_pack(ctx: &Ctx, file: &Path) -> Result<PackVerification> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file)
        .map_err(|e| Error::validation("file", format!("{name}: cannot be read: {e}")))?;
    let digest = sha(&bytes);
    let kept = ctx
        .store
        .read()
        .await?
        .award()
        .pack_by_hash(&digest)
        .await?;
    let manifest: PackManifest = match &kept {
        Some(p) => p.manifest.clone(),
        None => {
            let text = info_entry(&bytes, MANIFEST_KEY).ok_or_else(|| {
                Error::validation(
                    "file",
                    format!("{name}: not a Lotwise award pack (it has no manifest)"),
                )
            })?;
            serde_json::from_str(&text).map_err(|e| {
                Error::validation(
                    "file",
                    format!("{name}: the pack’s manifest cannot be read: {e}"),
                )
            })?
        }
    };
    super::lots::show(ctx, manifest.lot_id).await.map_err(|_| {
        Error::validation(
            "file",
            format!(
                "{name}: the pack is for lot {}, which this workspace does not hold",
                manifest.lot_reference
            ),
        )
    })?;
    let cmp = compare(ctx, &manifest).await?;
    let mut tx = ctx.store.read().await?;
    let head_now = tx.audit().hash_at(manifest.audit_head_seq).await?;
    let audit_head_matches = head_now.as_deref() == Some(manifest.audit_head_hash.as_str());
    let audit_chain_ok = matches!(
        crate::domain::audit::verify(&tx.audit().chain().await?),
        crate::domain::audit::AuditVerification::Ok { .. }
    );
    let (head_seq_now, _) = tx.audit().head().await?;
    let pack_sha = kept.as_ref().map_or(digest.as_str(), |p| p.sha256.as_str());
    let pack_event_found = tx
        .audit()
        .lot_events(manifest.lot_id, head_seq_now)
        .await?
        .iter()
        .any(|e| {
            e.action == "award.pack_built"
                && e.after
                    .as_ref()
                    .and_then(|a| a.get("sha256"))
                    .and_then(|s| s.as_str())
                    == Some(pack_sha)
        });
    drop(tx);
    let anchor = match manifest.anchor() {
        Some(a) => super::audit::check_anchors(
            ctx,
            &[(
                format!("award pack, {} {}", manifest.lot_reference, name),
                a,
            )],
        )
        .await?
        .pop(),
        None => None,
    };
    let anchor_holds = anchor.as_ref().is_none_or(|a| a.holds);
    let (_, journal) = super::audit::journal_anchors(ctx).await?;
    let journal_failures: Vec<_> = super::audit::check_anchors(ctx, &journal)
        .await?
        .into_iter()
        .filter(|r| !r.holds)
        .collect();
    let matches = kept.is_some()
        && cmp.changed.is_empty()
        && audit_head_matches
        && audit_chain_ok
        && pack_event_found
        && anchor_holds
        && journal_failures.is_empty();
    let mut problems = Vec::new();
    if kept.is_none() {
        problems.push(
            "this file is not a pack the workspace kept: it was altered after it was built, or built elsewhere".to_string(),
        );
    }
    if !cmp.changed.is_empty() {
        problems.push(format!(
            "changed since the pack was built: {}",
            cmp.changed.join(", ")
        ));
    }
    if !audit_head_matches {
        problems.push(format!(
            "the audit trail no longer holds event {} with the hash the pack printed",
            manifest.audit_head_seq
        ));
    }
    if !audit_chain_ok {
        problems.push("the audit trail does not verify".into());
    }
    if !pack_event_found {
        problems.push(
            "the audit trail no longer holds the event that recorded this pack being built (award.pack_built)".into(),
        );
    }
    if let Some(a) = anchor.as_ref().filter(|a| !a.holds) {
        problems.push(format!("the pack's anchor {}", a.message));
    }
    if let Some(first) = journal_failures.first() {
        problems.push(format!(
            "the audit record was cut or rewritten after this computer last saw it ({} of its journal's anchors fail; the first {})",
            journal_failures.len(),
            first.message
        ));
    }
    Ok(PackVerification {
        file: name,
        sha256: digest,
        kept_as: kept.as_ref().map(|p| p.number),
        review: kept.and_then(|p| p.review),
        lot_reference: manifest.lot_reference.clone(),
        built_at: manifest.built_at,
        entries: cmp.entries,
        audit_head_seq: manifest.audit_head_seq,
        audit_head_matches,
        audit_chain_ok,
        pack_event_found,
        anchor,
        journal_failures,
        matches,
        summary: if problems.is_empty() {
            format!(
                "The pack matches the workspace: all {} documents and records are unchanged and the audit chain holds its head.",
                manifest.entries.len()
            )
        } else {
            format!(
                "The pack does not match the workspace: {}.",
                problems.join("; ")
            )
        },
    })
}

/// Before a lot enters contract: the pack legal approved must still match the workspace.
pub async fn check_approved_pack_current(ctx: &Ctx, lot: LotId) -> Result<()> {
    let packs = packs(ctx, lot).await?;
    let Some(p) = packs.first() else {
        return Ok(());
    };
    if pack_status(&packs) != PackStatus::Approved {
        return Ok(());
    }
    let cmp = compare(ctx, &p.manifest).await?;
    if cmp.changed.is_empty() {
        return Ok(());
    }
    let detail = format!(
        "the award pack legal approved (pack {}) no longer matches the workspace ({} changed): build a new pack and send it to legal",
        p.number,
        cmp.changed.join(", ")
    );
    let mut e = Error::new(
        ErrorCode::GatesFailed,
        format!("the lot cannot enter Contract yet: it needs {detail}"),
    );
    e.details = vec![detail];
    e.field = Some("to".into());
    Err(e)
}
