//! Reading the CSV files officers and evaluators bring: named columns in any order, and
//! every error naming the file, the line and the column.
use std::collections::HashMap;

use crate::error::{Error, Result};

/// Reads a file someone brought, the error naming it and the form field it came through.
pub fn read_text(path: &std::path::Path, field: &str) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::validation(field, format!("{}: cannot be read: {e}", path.display())))
}

pub struct Sheet {
    pub file: String,
    columns: HashMap<String, usize>,
    pub rows: Vec<Row>,
}

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

impl Sheet {
    pub fn parse(text: &str, file: &str, required: &[&str]) -> Result<Sheet> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::validation("csv", format!("{file}, line 1: {e}")))?
            .clone();
        let columns: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (norm(h), i))
            .collect();
        for r in required {
            if !columns.contains_key(&norm(r)) {
                return Err(Error::validation(
                    "csv",
                    format!(
                        "{file}, line 1: no “{r}” column; the header must name the columns {} (found: {})",
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
                Error::validation("csv", format!("{file}, line {line}: {e}"))
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
                format!("{file}: there are no rows after the header"),
            ));
        }
        Ok(Sheet {
            file: file.to_string(),
            columns,
            rows,
        })
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
