//! Scoring-only mode: a scoresheet scored on the evaluator's own computer, with no workspace.
//! Every score is checked as it is saved and kept at once in the person's data folder
//! (written whole to a new file, then renamed over the old), so a crash or a closed lid loses
//! nothing; submitting signs the lot and writes the `.lwscores` beside the sheet.
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::super::textfile::TextFile;
use super::scoresheet::{read_sheet, rows_from_csv, signed, signing_key};
use crate::domain::eval::scoresheet::{self as sheet, Scoresheet, SheetScore};
use crate::domain::eval::{self as ev};
use crate::domain::ids::BidId;
use crate::error::{Error, ErrorCode, Result};

/// How the desktop app was opened: on a workspace, or on a scoresheet (scoring only).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppMode {
    /// The scoresheet being scored; none for the workspace.
    pub sheet: Option<String>,
    /// A workspace is open behind the scoresheet (it was opened from the app), to go back to.
    pub workspace: bool,
}

/// What the scoring-only screen shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetView {
    pub path: String,
    pub sheet: Scoresheet,
    /// The scores given so far (the sheet's saved ones, then the person's own).
    pub scores: Vec<SheetScore>,
    /// This computer's key, in words to read to the officer.
    pub fingerprint: String,
    pub submitted: Option<SheetSubmitted>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetSubmitted {
    /// The signed scores file written, to send to the officer.
    pub path: String,
    pub at: DateTime<Utc>,
}

/// What is kept between sessions, per sheet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kept {
    sheet_sha256: String,
    scores: Vec<SheetScore>,
    submitted: Option<SheetSubmitted>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetScoreInput {
    pub bid_id: BidId,
    pub question: String,
    pub score: String,
    pub justification: String,
}

pub struct OfflineSheet {
    path: PathBuf,
    bytes: Vec<u8>,
    sheet: Scoresheet,
    kept: Kept,
}

fn kept_path(sheet_id: &str) -> Result<PathBuf> {
    // The id is made by Lotwise (hex), but the file came from elsewhere: only hex names a file.
    if sheet_id.is_empty() || !sheet_id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::validation(
            "sheet",
            "the scoresheet's id is not one Lotwise made",
        ));
    }
    dirs::data_dir()
        .map(|d| {
            d.join("lotwise")
                .join("sheets")
                .join(format!("{sheet_id}.json"))
        })
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Storage,
                "this computer has no data folder to keep your scores in (set XDG_DATA_HOME)",
            )
        })
}

/// A scoresheet picked in the app (which hands over its bytes, not where it is): kept in the
/// data folder under its id, where it is scored and its `.lwscores` is written. Returns that
/// place. Only a Lotwise scoresheet is kept.
pub fn receive(bytes: &[u8], name: &str) -> Result<PathBuf> {
    let sheet = read_sheet(bytes, name)?;
    let kept = kept_path(&sheet.sheet_id)?;
    let path = kept
        .with_file_name("received")
        .join(format!("{}.lwsheet", sheet.sheet_id));
    match std::fs::read(&path) {
        Ok(old) if old == bytes => {}
        // Another file under the same id: opening it says it was changed since (`open`).
        Ok(_) => {}
        Err(_) => write_whole(&path, bytes)?,
    }
    Ok(path)
}

impl OfflineSheet {
    /// Opens a `.lwsheet`, with whatever was scored on it here before.
    pub fn open(path: &Path) -> Result<OfflineSheet> {
        let bytes = crate::ops::textfile::read_bytes(path, "sheet")?;
        let sheet = read_sheet(&bytes, &path.display().to_string())?;
        let sha = sheet::sha256_hex(&bytes);
        let kept = match std::fs::read(kept_path(&sheet.sheet_id)?) {
            Ok(k) => match serde_json::from_slice::<Kept>(&k) {
                Ok(k) if k.sheet_sha256 == sha => Some(k),
                // A different file with the same id: it was changed after it was sent.
                Ok(_) => {
                    return Err(Error::validation(
                        "sheet",
                        format!(
                            "{} is not the scoresheet you started scoring on this computer (it has been changed since); ask the officer for a new one",
                            path.display()
                        ),
                    ));
                }
                Err(e) => {
                    tracing::error!(error = %e, "the scores kept for a scoresheet cannot be read");
                    return Err(Error::new(
                        ErrorCode::Storage,
                        format!(
                            "the scores kept on this computer for {} cannot be read (see the log); they are left as they are",
                            path.display()
                        ),
                    ));
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let kept = kept.unwrap_or_else(|| Kept {
            sheet_sha256: sha,
            scores: sheet.saved.clone(),
            submitted: None,
        });
        Ok(OfflineSheet {
            path: path.to_path_buf(),
            bytes,
            sheet,
            kept,
        })
    }

    pub fn view(&self) -> Result<SheetView> {
        let (key, _, _) = signing_key()?;
        Ok(SheetView {
            path: self.path.display().to_string(),
            sheet: self.sheet.clone(),
            scores: self.kept.scores.clone(),
            fingerprint: sheet::fingerprint(&key.verifying_key()),
            submitted: self.kept.submitted.clone(),
        })
    }

    fn not_submitted(&self) -> Result<()> {
        match &self.kept.submitted {
            Some(s) => Err(Error::conflict(format!(
                "you have submitted these scores (signed in {}); submitted scores never change",
                s.path
            ))),
            None => Ok(()),
        }
    }

    /// One score, checked as the app checks it, kept at once.
    pub fn save(&mut self, input: &SheetScoreInput) -> Result<()> {
        self.not_submitted()?;
        let b = self
            .sheet
            .bidders
            .iter()
            .find(|b| b.bid_id == input.bid_id)
            .ok_or_else(|| {
                Error::validation(
                    "bidder",
                    format!("bid {} is not on this scoresheet", input.bid_id),
                )
            })?;
        let (_, q) = self.sheet.model.question(&input.question).ok_or_else(|| {
            Error::validation(
                "question",
                format!(
                    "there is no question “{}” on this scoresheet",
                    input.question
                ),
            )
        })?;
        let score = ev::parse_score(q, &input.score)?;
        let justification = input.justification.trim();
        ev::check_score(&self.sheet.model, q, score, justification)?;
        let s = SheetScore {
            bid_id: b.bid_id,
            question: q.key.clone(),
            score,
            justification: justification.to_string(),
        };
        let mut next = self.kept.clone();
        next.scores
            .retain(|x| !(x.bid_id == s.bid_id && x.question == s.question));
        next.scores.push(s);
        self.keep(next)
    }

    /// Scores from CSV, every row checked; all or nothing. Returns how many rows.
    pub fn import_csv(&mut self, f: &TextFile) -> Result<usize> {
        self.not_submitted()?;
        let (scores, rows) = rows_from_csv(&self.sheet, f, self.kept.scores.clone())?;
        let mut next = self.kept.clone();
        next.scores = scores;
        self.keep(next)?;
        Ok(rows)
    }

    /// Signs the scores and the declaration with this computer's key and writes the
    /// `.lwscores` beside the sheet. `declared`: the evaluator ticked the declaration.
    pub fn submit(&mut self, declared: bool, now: DateTime<Utc>) -> Result<SheetSubmitted> {
        self.not_submitted()?;
        if !declared {
            return Err(Error::validation(
                "declaration",
                "tick the declaration to confirm you have no conflict of interest; if you have one, do not score: tell the procurement officer",
            ));
        }
        self.sheet.check_complete(&self.kept.scores)?;
        let (key, _, _) = signing_key()?;
        let file = signed(
            &self.sheet,
            &self.bytes,
            self.kept.scores.clone(),
            &key,
            now,
        )?;
        let out = self.path.with_extension("lwscores");
        write_whole(
            &out,
            serde_json::to_string_pretty(&file)
                .expect("serialisable")
                .as_bytes(),
        )?;
        let done = SheetSubmitted {
            path: out.display().to_string(),
            at: now,
        };
        let mut next = self.kept.clone();
        next.submitted = Some(done.clone());
        self.keep(next)?;
        Ok(done)
    }

    fn keep(&mut self, next: Kept) -> Result<()> {
        let path = kept_path(&self.sheet.sheet_id)?;
        write_whole(
            &path,
            &serde_json::to_vec_pretty(&next).expect("serialisable"),
        )?;
        self.kept = next;
        Ok(())
    }
}

/// Written to a new file, flushed to disk, then renamed over the old: the old stays whole
/// until the new one is.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}
