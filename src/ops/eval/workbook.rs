//! The scoresheet as an Excel workbook, for evaluators without Lotwise: written with
//! rust_xlsxwriter (a drop-down on every score, the justification's minimum length checked,
//! everything but the answers locked), read back with calamine. It comes back unsigned: the
//! rows are checked against the lot as it is, and every error names the sheet, row and column
//! as Excel shows them.
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook};

use crate::domain::eval::model::{EvalModel, Scale};
use crate::domain::eval::scoresheet::{DECLARATION, Scoresheet, SheetScore};
use crate::domain::eval::{self as ev, Bid};
use crate::domain::ids::{BidId, LotId};
use crate::error::{Error, Result};

pub const SCORES: &str = "Scores";
const META: &str = "Lotwise";
const FORMAT: &str = "lotwise-scoresheet-xlsx";
/// Rows (0-based) of the declaration's name cell and of the table's header.
const NAME_ROW: u32 = 3;
const HEADER_ROW: u32 = 5;
const COL_BID: u16 = 0;
const COL_BIDDER: u16 = 1;
const COL_QUESTION: u16 = 2;
const COL_TEXT: u16 = 3;
const COL_SCALE: u16 = 4;
const COL_SCORE: u16 = 5;
const COL_JUSTIFICATION: u16 = 6;

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    tracing::error!(error = %e, "the workbook could not be written");
    Error::new(
        crate::error::ErrorCode::Storage,
        "the workbook could not be written (see the log)",
    )
}

/// What a score cell accepts, for the drop-down.
fn choices(scale: &Scale) -> Vec<String> {
    if matches!(scale, Scale::PassFail) {
        return vec!["pass".into(), "fail".into()];
    }
    (0..=scale.max()).map(|n| n.to_string()).collect()
}

fn descriptors(scale: &Scale) -> String {
    match scale {
        Scale::PassFail => "pass or fail".into(),
        s => s
            .descriptors()
            .iter()
            .map(|d| format!("{}: {}", d.score, d.text))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The workbook's bytes.
pub fn write(s: &Scoresheet) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let open = Format::new().set_unlocked().set_text_wrap();
    let sheet = wb.add_worksheet();
    sheet.set_name(SCORES).map_err(xlsx_error)?;
    let min = s.model.justification_min_chars;
    let w = |r: rust_xlsxwriter::XlsxError| xlsx_error(r);
    sheet
        .write_string_with_format(
            0,
            0,
            format!(
                "Scoresheet for {}: {} {}",
                s.evaluator, s.lot_reference, s.lot_title
            ),
            &bold,
        )
        .map_err(w)?;
    sheet
        .write_string(
            1,
            0,
            format!(
                "Choose a score from the list in column F and write a justification of at least {min} characters in column G, referring to the bid's own evidence, never to other bids. Do not add, remove or reorder rows. Send the saved workbook back to {}.",
                s.issued_by
            ),
        )
        .map_err(w)?;
    sheet
        .write_string_with_format(2, 0, "Declaration", &bold)
        .map_err(w)?;
    sheet.write_string(2, 1, DECLARATION).map_err(w)?;
    sheet
        .write_string_with_format(NAME_ROW, 0, "Type your user name to make it", &bold)
        .map_err(w)?;
    sheet
        .write_string_with_format(NAME_ROW, 1, "", &open)
        .map_err(w)?;
    let headers = [
        "Bid id",
        "Bidder",
        "Question",
        "Question text",
        "Scale and descriptors",
        "Score",
        &format!("Justification (at least {min} characters)"),
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(HEADER_ROW, c as u16, *h, &bold)
            .map_err(w)?;
    }
    let mut r = HEADER_ROW + 1;
    for b in &s.bidders {
        for (_, q) in s.model.questions() {
            sheet
                .write_number(r, COL_BID, b.bid_id.0 as f64)
                .map_err(w)?;
            sheet.write_string(r, COL_BIDDER, &b.label).map_err(w)?;
            sheet.write_string(r, COL_QUESTION, &q.key).map_err(w)?;
            sheet
                .write_string_with_format(r, COL_TEXT, &q.text, &wrap)
                .map_err(w)?;
            sheet
                .write_string_with_format(r, COL_SCALE, descriptors(&q.scale), &wrap)
                .map_err(w)?;
            let saved = s
                .saved
                .iter()
                .find(|x| x.bid_id == b.bid_id && x.question == q.key);
            match saved {
                Some(x) if matches!(q.scale, Scale::PassFail) => sheet
                    .write_string_with_format(
                        r,
                        COL_SCORE,
                        if x.score == 1 { "pass" } else { "fail" },
                        &open,
                    )
                    .map_err(w)?,
                Some(x) => sheet
                    .write_number_with_format(r, COL_SCORE, x.score as f64, &open)
                    .map_err(w)?,
                None => sheet
                    .write_string_with_format(r, COL_SCORE, "", &open)
                    .map_err(w)?,
            };
            sheet
                .write_string_with_format(
                    r,
                    COL_JUSTIFICATION,
                    saved.map(|x| x.justification.as_str()).unwrap_or(""),
                    &open,
                )
                .map_err(w)?;
            let list = DataValidation::new()
                .allow_list_strings(&choices(&q.scale))
                .map_err(w)?
                .set_error_message(format!("Choose a score for {} from the list.", q.key))
                .map_err(w)?;
            sheet
                .add_data_validation(r, COL_SCORE, r, COL_SCORE, &list)
                .map_err(w)?;
            r += 1;
        }
    }
    if r > HEADER_ROW + 1 {
        let long_enough = DataValidation::new()
            .allow_text_length(DataValidationRule::GreaterThanOrEqualTo(min))
            .set_error_message(format!(
                "A justification needs at least {min} characters, referring to the bid's own evidence."
            ))
            .map_err(w)?;
        sheet
            .add_data_validation(
                HEADER_ROW + 1,
                COL_JUSTIFICATION,
                r - 1,
                COL_JUSTIFICATION,
                &long_enough,
            )
            .map_err(w)?;
    }
    sheet.set_column_width(COL_BIDDER, 28).map_err(w)?;
    sheet.set_column_width(COL_TEXT, 40).map_err(w)?;
    sheet.set_column_width(COL_SCALE, 30).map_err(w)?;
    sheet.set_column_width(COL_JUSTIFICATION, 60).map_err(w)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0).map_err(w)?;
    sheet.protect();

    let meta = wb.add_worksheet();
    meta.set_name(META).map_err(xlsx_error)?;
    let pairs = [
        ("format", FORMAT.to_string()),
        ("sheetId", s.sheet_id.clone()),
        ("workspaceId", s.workspace_id.clone()),
        ("lotId", s.lot_id.0.to_string()),
        ("lotReference", s.lot_reference.clone()),
        ("evaluator", s.evaluator.clone()),
        ("modelVersion", s.model_version.to_string()),
        ("rows", (r - HEADER_ROW - 1).to_string()),
    ];
    for (i, (k, v)) in pairs.iter().enumerate() {
        meta.write_string(i as u32, 0, *k).map_err(xlsx_error)?;
        meta.write_string(i as u32, 1, v).map_err(xlsx_error)?;
    }
    meta.set_very_hidden(true);
    meta.protect();
    wb.save_to_buffer().map_err(xlsx_error)
}

/// What the hidden sheet says the workbook is.
#[derive(Debug, Clone)]
pub struct Meta {
    pub sheet_id: String,
    pub workspace_id: String,
    pub lot_id: LotId,
    pub lot_reference: String,
    pub evaluator: String,
    pub model_version: i64,
    pub rows: usize,
}

/// The workbook as it came back: what it says it is, the name typed for the declaration,
/// and the table.
pub struct Filled {
    pub meta: Meta,
    pub declared_by: String,
    pub table: calamine::Range<Data>,
}

/// A cell as the text a person sees: numbers without Excel's ".0", text trimmed (numbers
/// stored as text and trailing spaces are Excel's commonest quirks).
fn text(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.into(),
        Some(other) => other.to_string().trim().to_string(),
    }
}

fn column(c: u16) -> char {
    (b'A' + c as u8) as char
}

/// "FILE, sheet Scores, row 8, column F (Score): …", as Excel numbers rows and letters columns.
fn at(
    name: &str,
    row: u32,
    col: u16,
    heading: &str,
    field: &str,
    what: impl std::fmt::Display,
) -> Error {
    Error::validation(
        field,
        format!(
            "{name}, sheet {SCORES}, row {}, column {} ({heading}): {what}",
            row + 1,
            column(col)
        ),
    )
}

/// Whether these bytes are a zip (an .xlsx is one): how an import tells a workbook from a
/// signed `.lwscores` whatever the file is called.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

pub fn read(bytes: &[u8], name: &str) -> Result<Filled> {
    let not_ours = |why: &str| {
        Error::validation(
            "file",
            format!("{name} is not a Lotwise scoresheet workbook: {why}"),
        )
    };
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec()))
        .map_err(|_| not_ours("it cannot be read as an Excel workbook (.xlsx)"))?;
    let meta = wb.worksheet_range(META).map_err(|_| {
        not_ours("its hidden Lotwise sheet is missing (was it copied into a new workbook?)")
    })?;
    let get = |key: &str| -> Result<String> {
        (0..meta.height() as u32)
            .find(|r| text(meta.get_value((*r, 0))) == key)
            .map(|r| text(meta.get_value((r, 1))))
            .ok_or_else(|| not_ours(&format!("its hidden Lotwise sheet has no {key}")))
    };
    if get("format")? != FORMAT {
        return Err(not_ours("its hidden Lotwise sheet is of another kind"));
    }
    let number = |key: &str| -> Result<i64> {
        get(key)?
            .parse()
            .map_err(|_| not_ours(&format!("its hidden Lotwise sheet's {key} is not a number")))
    };
    let meta = Meta {
        sheet_id: get("sheetId")?,
        workspace_id: get("workspaceId")?,
        lot_id: LotId(number("lotId")?),
        lot_reference: get("lotReference")?,
        evaluator: get("evaluator")?,
        model_version: number("modelVersion")?,
        rows: number("rows")? as usize,
    };
    let table = wb
        .worksheet_range(SCORES)
        .map_err(|_| not_ours(&format!("its sheet {SCORES} is missing or was renamed")))?;
    let declared_by = text(table.get_value((NAME_ROW, 1)));
    Ok(Filled {
        meta,
        declared_by,
        table,
    })
}

/// The scores in the table, checked row by row against the lot as it is now: the same bids
/// and questions in the same rows as exported, a score from the scale, a justification long
/// enough, and the declaration made. Errors name the sheet, row and column.
pub fn scores(f: &Filled, name: &str, model: &EvalModel, bids: &[Bid]) -> Result<Vec<SheetScore>> {
    if !f.declared_by.eq_ignore_ascii_case(&f.meta.evaluator) {
        return Err(at(
            name,
            NAME_ROW,
            1,
            "your user name",
            "declaration",
            format!(
                "type the user name {} to make the declaration (found “{}”)",
                f.meta.evaluator, f.declared_by
            ),
        ));
    }
    let expected: Vec<(BidId, &str)> = bids
        .iter()
        .flat_map(|b| model.questions().map(move |(_, q)| (b.id, q.key.as_str())))
        .collect();
    if expected.len() != f.meta.rows {
        return Err(Error::conflict(format!(
            "{name} was made for {} rows of bids and questions; lot {} now has {}: export a new sheet",
            f.meta.rows,
            f.meta.lot_reference,
            expected.len()
        )));
    }
    let mut out = Vec::new();
    for (i, (bid, key)) in expected.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        let cell = |c: u16| text(f.table.get_value((r, c.into())));
        if cell(COL_BID) != bid.0.to_string() {
            return Err(at(
                name,
                r,
                COL_BID,
                "Bid id",
                "rows",
                format!(
                    "expected bid {bid} here (found “{}”): rows were added, removed or reordered",
                    cell(COL_BID)
                ),
            ));
        }
        let (_, q) = model
            .question(key)
            .expect("the expected rows come from the model");
        if cell(COL_QUESTION) != q.key || cell(COL_TEXT) != q.text.trim() {
            return Err(at(
                name,
                r,
                if cell(COL_QUESTION) != q.key {
                    COL_QUESTION
                } else {
                    COL_TEXT
                },
                "Question",
                "rows",
                format!(
                    "expected question {}, “{}”: the question was changed",
                    q.key,
                    q.text.trim()
                ),
            ));
        }
        let score_text = cell(COL_SCORE);
        if score_text.is_empty() {
            return Err(at(name, r, COL_SCORE, "Score", "score", "no score given"));
        }
        let score = ev::parse_score(q, &score_text)
            .map_err(|e| at(name, r, COL_SCORE, "Score", "score", e.message))?;
        let justification = cell(COL_JUSTIFICATION);
        ev::check_score(model, q, score, &justification).map_err(|e| {
            if e.field.as_deref() == Some("score") {
                at(name, r, COL_SCORE, "Score", "score", e.message)
            } else {
                at(
                    name,
                    r,
                    COL_JUSTIFICATION,
                    "Justification",
                    "justification",
                    e.message,
                )
            }
        })?;
        out.push(SheetScore {
            bid_id: *bid,
            question: q.key.clone(),
            score,
            justification,
        });
    }
    // Anything typed below the table is a row the sheet does not have.
    let last = HEADER_ROW + f.meta.rows as u32;
    if let Some((end_r, _)) = f.table.end() {
        for r in last + 1..=end_r {
            if (0..=COL_JUSTIFICATION).any(|c| !text(f.table.get_value((r, c.into()))).is_empty()) {
                return Err(at(
                    name,
                    r,
                    COL_BID,
                    "Bid id",
                    "rows",
                    "a row was added below the table: the sheet has one row per bid and question",
                ));
            }
        }
    }
    Ok(out)
}
