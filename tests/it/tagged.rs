//! Tagged PDF (PDF/UA-1), checked with tools nobody here wrote: the PyPI package `pdfua` (a
//! checker of the machine-checkable subset of PDF/UA-1, on pikepdf), and the structure tree
//! read back with pikepdf and pdfminer.six (`tests/pdf/structure.py`), compared with what
//! poppler's pdftotext and qpdf read from the same file.
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::pdf::{outline, tool};

/// The Python of the virtual environment `make test-tools` makes with the checkers in it.
fn python() -> PathBuf {
    std::env::var_os("LOTWISE_PDF_CHECKERS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pdf-checkers"))
        .join("bin/python")
}

fn run_python(args: &[&str]) -> std::process::Output {
    Command::new(python())
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{} runs (make test-tools installs pdfua, pikepdf and pdfminer.six there): {e}",
                python().display()
            )
        })
}

/// A structure element as read back: its role, its own text, its header scope, its kids.
pub fn role(n: &Value) -> &str {
    n["role"].as_str().unwrap_or_default()
}

fn kids(n: &Value) -> &[Value] {
    n["kids"].as_array().map(Vec::as_slice).unwrap_or_default()
}

/// An element's text and its descendants', in reading order (elements apart).
pub fn text_of(n: &Value) -> String {
    let mut s = n["text"].as_str().unwrap_or_default().to_string();
    for k in kids(n) {
        s.push(' ');
        s.push_str(&text_of(k));
    }
    s
}

/// Every element with one of these roles, in reading order.
pub fn all<'a>(n: &'a Value, roles: &[&str], out: &mut Vec<&'a Value>) {
    if roles.contains(&role(n)) {
        out.push(n);
    }
    for k in kids(n) {
        all(k, roles, out);
    }
}

/// A table's rows as (role, scope, text) per cell.
pub fn rows(table: &Value) -> Vec<Vec<(String, Option<String>, String)>> {
    kids(table)
        .iter()
        .map(|tr| {
            kids(tr)
                .iter()
                .map(|c| {
                    (
                        role(c).to_string(),
                        c["scope"].as_str().map(str::to_string),
                        text_of(c).trim().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

fn outline_titles(v: &Value, out: &mut Vec<String>) {
    for e in v.as_array().into_iter().flatten() {
        out.push(e["title"].as_str().unwrap_or_default().to_string());
        outline_titles(&e["kids"], out);
    }
}

/// Checks a document Lotwise wrote is a tagged PDF a screen reader can use, and returns its
/// structure tree for the caller's own checks:
/// - `pdfua` runs all its checks (none skipped) and finds nothing;
/// - all content is tagged or an artifact, and every tagged piece is in the tree;
/// - the headings are the outline's entries, in order;
/// - every table is rows of `TH`/`TD` cells, each header cell with its scope, as many cells
///   in each row; every list item is a label and a body;
/// - the reading order is the order pdftotext reads the page: the tree's words, in order,
///   are pdftotext's with only the artifacts' words (page headers and footers, a table's
///   header row repeated on a later page) left over.
pub fn assert_tagged(path: &str) -> Value {
    let out = run_python(&["-m", "pdfua", "check", path, "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "pdfua on {path}: {e}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(report["findings"], serde_json::json!([]), "pdfua on {path}");
    assert_eq!(report["skipped"], serde_json::json!([]), "pdfua on {path}");
    assert!(
        report["summary"]["rules_run"].as_u64() >= Some(12),
        "{report}"
    );

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdf/structure.py");
    let out = run_python(&[script.to_str().unwrap(), path]);
    assert!(
        out.status.success(),
        "structure.py {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["untagged_words"], 0, "untagged text in {path}");
    assert_eq!(
        read["unreferenced"],
        serde_json::json!([]),
        "marked content no element points to, in {path}"
    );
    let tree = read["tree"].clone();
    assert_eq!(role(&tree), "Document");

    let mut headings = Vec::new();
    all(&tree, &["H1", "H2", "H3"], &mut headings);
    let headings: Vec<String> = headings
        .iter()
        .map(|h| text_of(h).trim().to_string())
        .collect();
    let mut titles = Vec::new();
    outline_titles(&outline(path), &mut titles);
    assert_eq!(headings, titles, "headings and outline of {path}");

    let mut tables = Vec::new();
    all(&tree, &["Table"], &mut tables);
    for t in tables {
        let rows = rows(t);
        assert!(!rows.is_empty(), "an empty table in {path}");
        assert!(
            kids(t).iter().all(|tr| role(tr) == "TR"),
            "a table's kids are rows"
        );
        let width = rows[0].len();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), width, "row {i} of a table in {path}: {row:?}");
            for (role, scope, text) in row {
                match role.as_str() {
                    "TH" => {
                        let want = if i == 0 && row.iter().all(|c| c.0 == "TH") {
                            "Column"
                        } else {
                            "Row"
                        };
                        assert_eq!(scope.as_deref(), Some(want), "{text} in {path}");
                    }
                    "TD" => {}
                    other => panic!("{other} in a row of a table in {path}"),
                }
            }
        }
    }
    let mut items = Vec::new();
    all(&tree, &["LI"], &mut items);
    for li in items {
        let roles: Vec<&str> = kids(li).iter().map(role).collect();
        assert_eq!(roles, ["Lbl", "LBody"], "a list item in {path}");
    }

    let tagged: Vec<String> = text_of(&tree)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let raw = tool("pdftotext", &["-raw", path, "-"]);
    let raw: Vec<&str> = raw.split_whitespace().collect();
    let mut next = 0;
    for w in &raw {
        if next < tagged.len() && *w == tagged[next] {
            next += 1;
        }
    }
    assert_eq!(
        next,
        tagged.len(),
        "the structure tree reads {:?} where pdftotext has no such word next, in {path}",
        tagged.get(next)
    );
    assert_eq!(
        raw.len(),
        tagged.len() + read["artifact_words"].as_u64().unwrap() as usize,
        "pdftotext reads words the structure tree does not have, other than artifacts, in {path}"
    );
    tree
}
