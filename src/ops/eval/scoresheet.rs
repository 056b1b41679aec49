//! Offline scoresheets (`domain::eval::scoresheet`): exported for one evaluator, filled and
//! signed where there is no workspace, and imported as that evaluator's submitted scores.
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use serde::Serialize;
use ts_rs::TS;

use super::super::csvfile::Sheet;
use super::super::textfile::TextFile;
use super::load::state;
use crate::domain::eval::rules;
use crate::domain::eval::scoresheet::{
    self as sheet, DECLARATION, ImportFacts, KeyDecision, ScoresFile, Scoresheet, SheetBidder,
    SheetScore, SignedScores,
};
use crate::domain::eval::{self as ev, EvalScope, PanelRole, ScoreEntry};
use crate::domain::ids::LotId;
use crate::domain::roles::Action;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::eval::ScoresheetImport;
use crate::store::{NewAuditEvent, WriteCtx};

fn random_hex() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|_| Error::new(ErrorCode::Storage, "the system gave no random numbers"))?;
    Ok(hex::encode(b))
}

/// The scoresheet for `evaluator` on `lot`, as the bytes of the `.lwsheet` file, with what it
/// holds. Only an active (declared, unconflicted) evaluator who has not submitted gets one.
/// Their own saved scores are in it only when they export it themselves: nobody else may
/// read an evaluator's unsubmitted scores (domain::eval::access), the officer included.
pub async fn export(ctx: &Ctx, lot: LotId, evaluator: &str) -> Result<(Scoresheet, Vec<u8>)> {
    export_as(ctx, lot, evaluator, "lwsheet").await
}

async fn export_as(
    ctx: &Ctx,
    lot: LotId,
    evaluator: &str,
    format: &str,
) -> Result<(Scoresheet, Vec<u8>)> {
    let evaluator = evaluator.trim();
    let own = evaluator == ctx.user;
    let w = ctx.act(if own {
        Action::Score
    } else {
        Action::SetUpEvaluation
    })?;
    let mut tx = ctx.store.begin().await?;
    let scope = if own {
        EvalScope::OwnScores
    } else {
        EvalScope::Consensus
    };
    let st = state(&mut *tx, lot, evaluator, scope).await?;
    match st.member(evaluator) {
        Some(m) if m.role == PanelRole::Evaluator => {}
        Some(_) => {
            return Err(Error::validation(
                "evaluator",
                format!(
                    "{evaluator} moderates lot {}: a moderator does not score",
                    st.lot_reference
                ),
            ));
        }
        None => {
            return Err(Error::validation(
                "evaluator",
                format!(
                    "{evaluator} is not on the panel of lot {}",
                    st.lot_reference
                ),
            ));
        }
    }
    rules::may_score(&st, evaluator).map_err(|e| Error {
        message: format!("no scoresheet for {evaluator}: {}", e.message),
        ..e
    })?;
    let model = st.model()?.clone();
    let sheet = Scoresheet {
        format: sheet::SHEET_FORMAT.into(),
        version: sheet::VERSION,
        sheet_id: random_hex()?,
        workspace_id: tx.audit().workspace_id().await?,
        issued_at: w.at,
        issued_by: w.actor.clone(),
        lot_id: lot,
        lot_reference: st.lot_reference.clone(),
        lot_title: st.lot_title.clone(),
        evaluator: evaluator.to_string(),
        model_version: st.model_version,
        model,
        // Names only: never a price (the price is scored by formula, not by evaluators).
        bidders: st
            .bids
            .iter()
            .map(|b| SheetBidder {
                bid_id: b.id,
                name: b.lead.name.clone(),
                label: b.label(),
                registration_number: b.lead.registration_number.clone(),
                members: b.members.iter().map(|m| m.name.clone()).collect(),
            })
            .collect(),
        saved: st
            .scores
            .iter()
            .filter(|s| own && s.evaluator == evaluator)
            .map(|s| SheetScore {
                bid_id: s.bid_id,
                question: s.question.clone(),
                score: s.score,
                justification: s.justification.clone(),
            })
            .collect(),
        declaration: DECLARATION.into(),
    };
    let bytes = match format {
        "xlsx" => super::workbook::write(&sheet)?,
        _ => serde_json::to_vec_pretty(&sheet).expect("serialisable"),
    };
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "eval.scoresheet_exported", "lot", Some(lot.0)).after(
                &serde_json::json!({"evaluator": evaluator, "sheetId": sheet.sheet_id,
                                    "modelVersion": sheet.model_version, "format": format,
                                    "sha256": sheet::sha256_hex(&bytes)}),
            ),
        )
        .await?;
    tx.commit().await?;
    Ok((sheet, bytes))
}

/// The same scoresheet as an Excel workbook (`workbook`), for an evaluator without Lotwise.
pub async fn export_workbook(
    ctx: &Ctx,
    lot: LotId,
    evaluator: &str,
) -> Result<(Scoresheet, Vec<u8>)> {
    export_as(ctx, lot, evaluator, "xlsx").await
}

/// Reads a `.lwsheet`, naming the file in every error.
pub fn read_sheet(bytes: &[u8], name: &str) -> Result<Scoresheet> {
    let s: Scoresheet = serde_json::from_slice(bytes).map_err(|e| {
        Error::validation(
            "sheet",
            if e.is_data() {
                format!("{name} is not a scoresheet this version of Lotwise can read: {e}")
            } else {
                format!(
                    "{name} is not a Lotwise scoresheet (.lwsheet): it is another kind of file, or it was damaged on the way"
                )
            },
        )
    })?;
    if s.format != sheet::SHEET_FORMAT || s.version != sheet::VERSION {
        return Err(Error::validation(
            "sheet",
            format!(
                "{name} is a “{}” version {} file, not a Lotwise scoresheet version {}",
                s.format,
                s.version,
                sheet::VERSION
            ),
        ));
    }
    Ok(s)
}

/// The evaluator's scores from CSV (`evaluator, bidder, question, score, justification`, as
/// `eval import-scores` reads it), checked against the sheet row by row, on top of the
/// scores saved in the sheet; complete, or refused naming what is missing.
pub fn scores_from_csv(s: &Scoresheet, f: &TextFile) -> Result<Vec<SheetScore>> {
    let (scores, _) = rows_from_csv(s, f, s.saved.clone())?;
    s.check_complete(&scores)
        .map_err(|e| Error::validation("scores", format!("{}: {}", f.name, e.message)))?;
    Ok(scores)
}

/// `base` with the CSV's rows laid over it, every row checked against the sheet (errors name
/// the file, line and column); complete or not. Also says how many rows the CSV had.
pub fn rows_from_csv(
    s: &Scoresheet,
    f: &TextFile,
    base: Vec<SheetScore>,
) -> Result<(Vec<SheetScore>, usize)> {
    let csv = Sheet::parse(
        f,
        &["evaluator", "bidder", "question", "score", "justification"],
    )?;
    let mut scores = base;
    let mut seen = std::collections::HashSet::new();
    for row in &csv.rows {
        let who = csv.get(row, "evaluator");
        if who.trim() != s.evaluator {
            return Err(csv.error(
                row,
                "evaluator",
                format!("“{who}” is not {}, whose scoresheet this is", s.evaluator),
            ));
        }
        let bidder = csv.get(row, "bidder");
        let b = s.bidder(bidder).ok_or_else(|| {
            csv.error(
                row,
                "bidder",
                format!("“{bidder}” is not a bidder on this scoresheet"),
            )
        })?;
        let qtext = csv.get(row, "question");
        let (_, q) = s.model.question(qtext.trim()).ok_or_else(|| {
            csv.error(
                row,
                "question",
                format!("there is no question “{qtext}” on this scoresheet"),
            )
        })?;
        if !seen.insert((b.bid_id, q.key.clone())) {
            return Err(csv.error(
                row,
                "question",
                format!("{} for {} appears twice", q.key, b.label),
            ));
        }
        let score =
            ev::parse_score(q, csv.get(row, "score")).map_err(|e| csv.at(row, "score", e))?;
        let justification = csv.get(row, "justification").trim();
        ev::check_score(&s.model, q, score, justification).map_err(|e| {
            let col = if e.field.as_deref() == Some("score") {
                "score"
            } else {
                "justification"
            };
            csv.at(row, col, e)
        })?;
        put(
            &mut scores,
            SheetScore {
                bid_id: b.bid_id,
                question: q.key.clone(),
                score,
                justification: justification.to_string(),
            },
        );
    }
    Ok((scores, csv.rows.len()))
}

/// Replaces the score for the same bid and question, or adds it.
fn put(scores: &mut Vec<SheetScore>, s: SheetScore) {
    scores.retain(|x| !(x.bid_id == s.bid_id && x.question == s.question));
    scores.push(s);
}

/// Fills a sheet with scores and signs them with this person's key: the `.lwscores` file.
/// `declare` must be "none": an evaluator with a conflict tells the officer and does not score.
pub fn fill(
    sheet_bytes: &[u8],
    sheet_name: &str,
    scores: &TextFile,
    declare: &str,
    key: &SigningKey,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ScoresFile> {
    let s = read_sheet(sheet_bytes, sheet_name)?;
    if !declare.trim().eq_ignore_ascii_case("none") {
        return Err(Error::validation(
            "declare",
            format!(
                "--declare none affirms: “{DECLARATION}” If you have a conflict of interest with a bidder, do not score: tell the procurement officer, who records it on the panel"
            ),
        ));
    }
    let scores = scores_from_csv(&s, scores)?;
    signed(&s, sheet_bytes, scores, key, now)
}

pub(crate) fn signed(
    s: &Scoresheet,
    sheet_bytes: &[u8],
    scores: Vec<SheetScore>,
    key: &SigningKey,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ScoresFile> {
    Ok(sheet::sign(
        key,
        &SignedScores {
            submission_id: random_hex()?,
            sheet_id: s.sheet_id.clone(),
            sheet_sha256: sheet::sha256_hex(sheet_bytes),
            workspace_id: s.workspace_id.clone(),
            lot_id: s.lot_id,
            lot_reference: s.lot_reference.clone(),
            evaluator: s.evaluator.clone(),
            model_version: s.model_version,
            declaration: DECLARATION.into(),
            signed_at: crate::domain::audit::truncate(now),
            scores,
        },
    ))
}

/// Where this person's scoresheet signing key is kept: their data folder (XDG_DATA_HOME).
pub fn key_path() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("lotwise").join("keys").join("scoresheet.ed25519"))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Storage,
                "this computer has no data folder for your signing key (set XDG_DATA_HOME)",
            )
        })
}

/// This person's signing key, made on first use (readable by them alone).
pub fn signing_key() -> Result<(SigningKey, PathBuf, bool)> {
    let path = key_path()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes: [u8; 32] = hex::decode(text.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::Storage,
                        format!(
                            "{} is not a Lotwise signing key (it may be damaged): move it aside and a new key is made, which the officer must confirm again",
                            path.display()
                        ),
                    )
                })?;
            Ok((SigningKey::from_bytes(&bytes), path, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret)
                .map_err(|_| Error::new(ErrorCode::Storage, "the system gave no random numbers"))?;
            write_private(&path, &hex::encode(secret))?;
            Ok((SigningKey::from_bytes(&secret), path, true))
        }
        Err(e) => Err(e.into()),
    }
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// What `scoresheet key` says.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyInfo {
    pub path: String,
    pub public_key: String,
    /// Six words to read to the officer over the telephone.
    pub fingerprint: String,
    /// Made just now.
    pub created: bool,
}

pub fn key_info() -> Result<KeyInfo> {
    let (key, path, created) = signing_key()?;
    let public = key.verifying_key();
    Ok(KeyInfo {
        path: path.display().to_string(),
        public_key: hex::encode(public.to_bytes()),
        fingerprint: sheet::fingerprint(&public),
        created,
    })
}

/// What an import did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportedScoresheet {
    pub lot_id: LotId,
    pub lot_reference: String,
    pub evaluator: String,
    pub scores: usize,
    pub submission_id: String,
    pub sha256: String,
    /// The signing key's words; none for an unsigned workbook.
    pub fingerprint: Option<String>,
    /// The evaluator's key was registered on the panel by this import.
    pub key_registered: bool,
    /// When the evaluator signed; none for an unsigned workbook.
    pub signed_at: Option<chrono::DateTime<chrono::Utc>>,
}

enum Arrived {
    Signed(Box<(ScoresFile, SignedScores, ed25519_dalek::VerifyingKey)>),
    Workbook(super::workbook::Filled),
}

/// Imports a scoresheet as the evaluator's submitted scores: all or nothing. The file is a
/// signed `.lwscores`, or the Excel workbook (`.xlsx`, unsigned: `received_from` is the
/// officer's word that it came from the evaluator). `expected_lot`: the lot the officer is
/// importing into (the file's own when None). `confirmed`: the key's fingerprint as the
/// evaluator read it to the officer (the first signed sheet).
pub async fn import(
    ctx: &Ctx,
    bytes: &[u8],
    name: &str,
    expected_lot: Option<LotId>,
    confirmed: Option<&str>,
) -> Result<ImportedScoresheet> {
    import_from(ctx, bytes, name, expected_lot, confirmed, None).await
}

pub async fn import_from(
    ctx: &Ctx,
    bytes: &[u8],
    name: &str,
    expected_lot: Option<LotId>,
    confirmed: Option<&str>,
    received_from: Option<&str>,
) -> Result<ImportedScoresheet> {
    // What is wrong with the file names the file; the fingerprint is about the person.
    let in_file = |e: Error| match e.field.as_deref() {
        Some("fingerprint") | Some("receivedFrom") => e,
        _ if e.message.starts_with(name) => e,
        _ => Error {
            message: format!("{name}: {}", e.message),
            ..e
        },
    };
    let arrived = if super::workbook::is_workbook(bytes) {
        Arrived::Workbook(super::workbook::read(bytes, name)?)
    } else {
        let file: ScoresFile = serde_json::from_slice(bytes).map_err(|e| {
            Error::validation(
                "file",
                format!("{name} is not a Lotwise signed scores file (.lwscores) or scoresheet workbook (.xlsx): {e}"),
            )
        })?;
        let (signed, key) = sheet::open(&file).map_err(in_file)?;
        Arrived::Signed(Box::new((file, signed, key)))
    };
    let (file_lot, file_workspace, file_reference, evaluator) = match &arrived {
        Arrived::Signed(b) => (
            b.1.lot_id,
            b.1.workspace_id.clone(),
            b.1.lot_reference.clone(),
            b.1.evaluator.clone(),
        ),
        Arrived::Workbook(f) => (
            f.meta.lot_id,
            f.meta.workspace_id.clone(),
            f.meta.lot_reference.clone(),
            f.meta.evaluator.clone(),
        ),
    };
    // On a team workspace the server writes an evaluator's scores only through their own
    // login; there the login is who they are. On a laptop the officer imports.
    let team = ctx.store.identity().is_some();
    let by_the_evaluator = team && ctx.user == evaluator;
    if team && !by_the_evaluator {
        return Err(Error::new(
            ErrorCode::Forbidden,
            format!(
                "on a team workspace an evaluator's scores are written only through their own login: ask {evaluator} to import their scoresheet, signed in as themselves"
            ),
        ));
    }
    let w = ctx.act(if by_the_evaluator {
        Action::Score
    } else {
        Action::SetUpEvaluation
    })?;
    let lot = expected_lot.unwrap_or(file_lot);
    let mut tx = ctx.store.begin().await?;
    let workspace_id = tx.audit().workspace_id().await?;
    if file_workspace != workspace_id {
        return Err(in_file(Error::conflict(format!(
            "these scores are for lot {file_reference} of another workspace"
        ))));
    }
    let st = state(&mut *tx, lot, &evaluator, EvalScope::OwnScores).await?;
    let sha256 = sheet::sha256_hex(bytes);
    let (signed, key, signature) = match arrived {
        Arrived::Signed(b) => {
            let (file, signed, key) = *b;
            (signed, Some(key), Some(file.signature))
        }
        Arrived::Workbook(f) => {
            let model = st.model()?.clone();
            // Checked against the lot only when it is the lot the workbook is for.
            let scores = if f.meta.lot_id == lot {
                super::workbook::scores(&f, name, &model, &st.bids)?
            } else {
                Vec::new()
            };
            (
                SignedScores {
                    submission_id: sha256[..32].to_string(),
                    sheet_id: f.meta.sheet_id.clone(),
                    sheet_sha256: String::new(),
                    workspace_id: f.meta.workspace_id.clone(),
                    lot_id: f.meta.lot_id,
                    lot_reference: f.meta.lot_reference.clone(),
                    evaluator: f.meta.evaluator.clone(),
                    model_version: f.meta.model_version,
                    declaration: DECLARATION.into(),
                    signed_at: w.at,
                    scores,
                },
                None,
                None,
            )
        }
    };
    let registered = tx.eval().panel_key(lot, &signed.evaluator).await?;
    let before = tx
        .eval()
        .scoresheet_import(&signed.sheet_id, &signed.submission_id)
        .await?
        .map(|(by, at)| {
            format!(
                "by {by} on {}",
                crate::domain::dates::long(
                    at.with_timezone(&chrono_tz::Europe::London).date_naive()
                )
            )
        });
    let decision = sheet::check_import(
        &signed,
        key.as_ref(),
        &ImportFacts {
            workspace_id: &workspace_id,
            lot_id: lot,
            lot_reference: &st.lot_reference,
            model_version: st.model_version,
            registered_key: registered.as_deref(),
            imported_before: before,
            by_the_evaluator,
        },
        confirmed,
        received_from,
    )
    .map_err(in_file)?;
    rules::may_score(&st, &signed.evaluator).map_err(in_file)?;
    let model = st.model()?.clone();
    // The evaluator's own acts, at the time of the import, as if scored in the app.
    let as_evaluator = WriteCtx {
        actor: signed.evaluator.clone(),
        at: w.at,
        today: w.today,
    };
    for s in &signed.scores {
        let q = rules::entry(&st, &model, None, &s.question, s.bid_id).map_err(in_file)?;
        ev::check_score(&model, q, s.score, &s.justification).map_err(in_file)?;
        tx.eval()
            .save_score(
                lot,
                &ScoreEntry {
                    bid_id: s.bid_id,
                    question: q.key.clone(),
                    evaluator: signed.evaluator.clone(),
                    score: s.score,
                    justification: s.justification.clone(),
                    at: w.at,
                },
            )
            .await?;
        tx.audit()
            .append(
                NewAuditEvent::new(&as_evaluator, "eval.score_saved", "bid", Some(s.bid_id.0))
                    .after(&serde_json::json!({"lotId": lot, "question": q.key,
                        "evaluator": signed.evaluator,
                        "sealed": rules::seal(s.score, &s.justification),
                        "submissionId": signed.submission_id})),
            )
            .await?;
    }
    // Every bid on every question, read back as saved: what submitting in the app checks.
    let saved = state(&mut *tx, lot, &signed.evaluator, EvalScope::OwnScores).await?;
    rules::may_submit(&saved, &signed.evaluator).map_err(in_file)?;
    let fingerprint = key.as_ref().map(sheet::fingerprint);
    let public_key = key.as_ref().map(|k| hex::encode(k.to_bytes()));
    let key_registered = matches!(decision, KeyDecision::Register { .. });
    if let KeyDecision::Register {
        public_key,
        fingerprint,
    } = &decision
    {
        tx.eval()
            .register_panel_key(lot, &signed.evaluator, public_key, fingerprint, &w)
            .await?;
        tx.audit()
            .append(
                NewAuditEvent::new(&w, "eval.scoresheet_key_registered", "lot", Some(lot.0))
                    .after(&serde_json::json!({"evaluator": signed.evaluator,
                        "publicKey": public_key, "fingerprint": fingerprint})),
            )
            .await?;
    }
    tx.eval()
        .insert_submission(lot, &signed.evaluator, w.at)
        .await?;
    let record: Vec<_> = saved
        .scores
        .iter()
        .filter(|s| s.evaluator == signed.evaluator)
        .map(|s| serde_json::json!({"bidId": s.bid_id, "question": s.question, "score": s.score, "justification": s.justification}))
        .collect();
    tx.audit()
        .append(
            NewAuditEvent::new(&as_evaluator, "eval.scores_submitted", "lot", Some(lot.0)).after(
                &serde_json::json!({"evaluator": signed.evaluator, "scores": record,
                                    "submissionId": signed.submission_id}),
            ),
        )
        .await?;
    tx.eval()
        .insert_scoresheet_import(
            lot,
            &ScoresheetImport {
                submission_id: signed.submission_id.clone(),
                sheet_id: signed.sheet_id.clone(),
                evaluator: signed.evaluator.clone(),
                sha256: sha256.clone(),
                signature: signature.clone(),
                public_key: public_key.clone(),
            },
            &w,
        )
        .await?;
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "eval.scoresheet_imported", "lot", Some(lot.0)).after(
                &serde_json::json!({"evaluator": signed.evaluator,
                    "sheetId": signed.sheet_id, "submissionId": signed.submission_id,
                    "sha256": sha256, "signature": signature, "publicKey": public_key,
                    "fingerprint": fingerprint, "signedAt": key.as_ref().map(|_| signed.signed_at),
                    "unsigned": key.is_none(),
                    "receivedFrom": key.is_none().then_some(&signed.evaluator),
                    "scores": signed.scores.len()}),
            ),
        )
        .await?;
    tx.commit().await?;
    Ok(ImportedScoresheet {
        lot_id: lot,
        lot_reference: st.lot_reference.clone(),
        evaluator: signed.evaluator.clone(),
        scores: signed.scores.len(),
        submission_id: signed.submission_id,
        sha256,
        fingerprint,
        key_registered,
        signed_at: key.as_ref().map(|_| signed.signed_at),
    })
}
