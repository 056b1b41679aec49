//! The PDF engine, read back with poppler and qpdf: every heading and figure is text, every
//! font is embedded and subset, the file is structurally sound, and the outline is nested.
use lotwise::docs::sample::synthetic;
use lotwise::docs::{self, Block, Run};
use std::process::Command;

pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is installed (make test installs poppler-utils and qpdf): {e}")
    });
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Checks, as poppler reads it, that every font in the file is embedded and subset (a
/// `XXXXXX+` tag), and that there is at least one.
pub fn assert_fonts_embedded_and_subset(path: &str) {
    let out = tool("pdffonts", &[path]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{out}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            (cols[n - 5], cols[n - 4]),
            ("yes", "yes"),
            "embedded and subset: {r}"
        );
        assert!(cols[0].contains('+'), "subset: {r}");
    }
}

/// The outline as qpdf reads it, and the titles of its top level.
pub fn outline(path: &str) -> serde_json::Value {
    let json = tool("qpdf", &["--json", "--json-key=outlines", path]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["outlines"].clone()
}

pub fn top_titles(outline: &serde_json::Value) -> Vec<String> {
    outline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_long_document_reads_back() {
    let fonts = docs::font::Fonts::load();
    let (pdf, pages) = docs::render::render(&fonts, &synthetic(6)).unwrap();
    assert!(pages > 8, "{pages} pages");
    // Kept beside the other test output so its pages can be rendered and looked at.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("synthetic-pack.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let p = path.to_str().unwrap();
    let text = tool("pdftotext", &["-layout", p, "-"]);
    for needle in [
        "Synthetic pack",
        "3. Section on the Health Trainers service",
        "6.1 Options considered",
        "£1,462,000",
        "£139,000",
        "Page 1 of",
        &format!("Page {pages} of {pages}"),
        "OFFICIAL",
        "TEST/0001",
        "Kent Community Health NHS Foundation Trust",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    // The header row repeats on the pages a table runs onto.
    assert!(text.matches("Funder").filter(|_| true).count() > 6 * 40);
    let fonts_out = tool("pdffonts", &[p]);
    let rows: Vec<&str> = fonts_out.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{fonts_out}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            (cols[n - 5], cols[n - 4]),
            ("yes", "yes"),
            "embedded and subset: {r}"
        );
        assert!(
            cols[0].contains('+') && cols[0].contains("LiberationSans"),
            "{r}"
        );
    }
    tool("qpdf", &["--check", p]);
    // Tagged: the tables run over many pages, their header rows repeated, are still one table
    // each, the repeats artifacts.
    let tree = crate::tagged::assert_tagged(p);
    let mut tables = Vec::new();
    crate::tagged::all(&tree, &["Table"], &mut tables);
    let long = tables
        .iter()
        .map(|t| crate::tagged::rows(t))
        .max_by_key(Vec::len)
        .unwrap();
    assert!(long.len() > 40, "{} rows", long.len());
    assert_eq!(
        long.iter().filter(|r| r[0].0 == "TH").count(),
        1,
        "the header row is read once"
    );
    let json = tool("qpdf", &["--json", "--json-key=outlines", p]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let top = v["outlines"].as_array().unwrap();
    assert_eq!(top.len(), 1, "one level-1 heading");
    assert_eq!(top[0]["title"], "Synthetic pack");
    let second = top[0]["kids"].as_array().unwrap();
    assert_eq!(second.len(), 6);
    assert_eq!(second[2]["kids"][0]["title"], "3.1 Options considered");
    let info = tool("pdfinfo", &[p]);
    assert!(
        info.contains("Title:           Synthetic decision pack"),
        "{info}"
    );
    assert!(info.contains("Author:          Lotwise test"), "{info}");
    assert!(
        info.contains("24 Nov 2026") || info.contains("Nov 24"),
        "{info}"
    );
}

#[test]
fn a_character_the_font_lacks_is_an_error_naming_it() {
    let fonts = docs::font::Fonts::load();
    let mut spec = synthetic(1);
    spec.blocks
        .push(Block::Paragraph(vec![Run::plain("Budget ✓ agreed")]));
    let e = docs::render::render(&fonts, &spec).unwrap_err();
    assert!(e.message.contains("“✓” (U+2713)"), "{}", e.message);
}
