//! Reading the CSV files officers and evaluators bring: named columns in any order, and
//! every error naming the file, the line and the column. The bytes are decoded first by
//! `textfile`, so Windows-1252, a byte-order mark and CRLF are all dealt with before here.
use std::collections::HashMap;

use super::textfile::{ReadAs, TextFile};
use crate::error::{Error, Result};

#[derive(Debug)]
pub struct Sheet {
    pub file: String,
    pub read_as: ReadAs,
    columns: HashMap<String, usize>,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Row {
    pub line: usize,
    fields: Vec<String>,
}

/// Header names compared without case, spaces, hyphens or underscores.
fn norm(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A file whose header has no commas but another separator was written by a system set for
/// another locale (Excel in much of Europe writes `;`, and `0,6` for six tenths), or is
/// tab-separated text. Read with commas, it would be one column; guessing its decimal commas
/// could store wrong numbers, so it is refused, naming the separator.
fn other_separator(header_line: &str) -> Option<&'static str> {
    if header_line.contains(',') {
        return None;
    }
    if header_line.contains(';') {
        Some("; (semicolons)")
    } else if header_line.contains('\t') {
        Some("tabs")
    } else {
        None
    }
}

impl Sheet {
    /// Reads a sheet; `required` columns must be in the header, and no column may be named
    /// twice (the second would otherwise silently win, or lose).
    pub fn parse(file: &TextFile, required: &[&str]) -> Result<Sheet> {
        let name = &file.name;
        let first_line = file.text.lines().next().unwrap_or("");
        if let Some(sep) = other_separator(first_line) {
            return Err(Error::validation(
                "csv",
                format!(
                    "{name}, line 1: this file uses {sep} between columns, not commas; save it from Excel as “CSV UTF-8 (Comma delimited)” (Lotwise reads comma-separated files only, so that 0,6 is never taken for 6)"
                ),
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(file.text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::validation("csv", format!("{name}, line 1: {e}")))?
            .clone();
        let mut columns: HashMap<String, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let key = norm(h);
            if key.is_empty() {
                continue;
            }
            if let Some(&first) = columns.get(&key) {
                return Err(Error::validation(
                    "csv",
                    format!(
                        "{name}, line 1: the column “{}” appears twice (columns {} and {}{}); remove one so it is clear which to read",
                        headers.get(first).unwrap_or(""),
                        first + 1,
                        i + 1,
                        if headers.get(first) == Some(h) {
                            String::new()
                        } else {
                            format!(", as “{h}”")
                        }
                    ),
                ));
            }
            columns.insert(key, i);
        }
        for r in required {
            if !columns.contains_key(&norm(r)) {
                return Err(Error::validation(
                    "csv",
                    format!(
                        "{name}, line 1: no “{r}” column; the header must name the columns {} (found: {})",
                        required.join(", "),
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                Error::validation("csv", format!("{name}, line {line}: {e}"))
            })?;
            if record.iter().all(|f| f.is_empty()) {
                continue;
            }
            rows.push(Row {
                line: record.position().map(|p| p.line() as usize).unwrap_or(0),
                fields: record.iter().map(str::to_string).collect(),
            });
        }
        if rows.is_empty() {
            return Err(Error::validation(
                "csv",
                format!("{name}: there are no rows after the header"),
            ));
        }
        Ok(Sheet {
            file: name.clone(),
            read_as: file.read_as,
            columns,
            rows,
        })
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(&norm(column))
    }

    pub fn get<'a>(&self, row: &'a Row, column: &str) -> &'a str {
        self.columns
            .get(&norm(column))
            .and_then(|&i| row.fields.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// An error at a cell: "bids.csv, line 4, column price: ...".
    pub fn error(&self, row: &Row, column: &str, message: impl std::fmt::Display) -> Error {
        Error::validation(
            column,
            format!(
                "{}, line {}, column {column}: {message}",
                self.file, row.line
            ),
        )
    }

    /// Re-anchors an error from a domain check at the row and column it came from.
    pub fn at(&self, row: &Row, column: &str, e: Error) -> Error {
        Error {
            message: format!(
                "{}, line {}, column {column}: {}",
                self.file, row.line, e.message
            ),
            field: Some(column.to_string()),
            ..e
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(bytes: &[u8]) -> Result<Sheet> {
        let f = TextFile::decode(bytes, "scores.csv", "csv")?;
        Sheet::parse(&f, &["bidder", "score"])
    }

    #[test]
    fn a_column_named_twice_is_refused_in_any_case_or_spacing() {
        for header in [
            "bidder,score,Score",
            "bidder,score, SCORE ",
            "bidder,score,sc_ore",
        ] {
            let e = sheet(format!("{header}\nA,3,0\n").as_bytes()).unwrap_err();
            assert!(
                e.message.contains(
                    "scores.csv, line 1: the column “score” appears twice (columns 2 and 3"
                ),
                "{header}: {}",
                e.message
            );
        }
    }

    #[test]
    fn line_numbers_are_right_for_lf_crlf_cr_and_quoted_newlines() {
        for (eol, what) in [("\n", "LF"), ("\r\n", "CRLF"), ("\r", "CR")] {
            let text = ["bidder,score", "A,3", "\"B", "Ltd\",4", "C,5"].join(eol);
            let s = sheet(text.as_bytes()).unwrap();
            let lines: Vec<usize> = s.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, vec![2, 3, 5], "{what}");
            assert_eq!(s.get(&s.rows[1], "bidder"), "B\nLtd", "{what}");
        }
    }

    #[test]
    fn other_separators_are_named() {
        let e = sheet(b"bidder;score\nA;3\n").unwrap_err();
        assert!(
            e.message
                .contains("this file uses ; (semicolons) between columns"),
            "{}",
            e.message
        );
        let e = sheet(b"bidder\tscore\nA\t3\n").unwrap_err();
        assert!(
            e.message.contains("uses tabs between columns"),
            "{}",
            e.message
        );
        // A semicolon inside a comma-separated file is just text.
        assert!(sheet(b"bidder,score\n\"A; B\",3\n").is_ok());
    }

    #[test]
    fn the_header_of_a_file_with_a_byte_order_mark_is_found() {
        let s = sheet(b"\xEF\xBB\xBFbidder,score\r\nA,3\r\n").unwrap();
        assert_eq!(s.get(&s.rows[0], "bidder"), "A");
        assert_eq!(s.rows[0].line, 2);
    }
}
