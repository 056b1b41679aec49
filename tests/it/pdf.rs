//! The PDF engine, read back with poppler and qpdf: every heading and figure is text, every
//! font is embedded and subset, the file is structurally sound, and the outline is nested.
use lotwise::docs::{self, Align, Block, Column, DocSpec, Run, Table};
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

pub fn synthetic(sections: usize) -> DocSpec {
    let mut blocks = vec![Block::Heading {
        level: 1,
        text: "Synthetic pack".into(),
    }];
    for s in 1..=sections {
        blocks.push(Block::Heading {
            level: 2,
            text: format!("{s}. Section on the Health Trainers service"),
        });
        blocks.push(Block::Paragraph(vec![
            Run::plain("The current contract with "),
            Run::bold("Kent Community Health NHS Foundation Trust"),
            Run::plain(" is worth £1,462,000 a year and buys 30 full-time equivalent posts. "),
            Run::italic("Extension is recommended"),
            Run::plain(
                " for nine months so that the re-procurement can align with Community Navigation. "
                    .repeat(3),
            ),
        ]));
        blocks.push(Block::Heading {
            level: 3,
            text: format!("{s}.1 Options considered"),
        });
        blocks.push(Block::List {
            ordered: true,
            items: vec![
                vec![Run::plain("Do nothing: the contract ends and the service stops, with a TUPE risk for 30 staff.")],
                vec![Run::plain("Extend for nine months at the same price, aligning the re-procurement.")],
                vec![Run::plain("Re-procure now, without the Community Navigation evidence.")],
            ],
        });
        blocks.push(Block::Table(Table {
            columns: vec![
                Column {
                    header: "Year".into(),
                    width: 1.0,
                    align: Align::Left,
                },
                Column {
                    header: "Funder".into(),
                    width: 3.0,
                    align: Align::Left,
                },
                Column {
                    header: "Amount".into(),
                    width: 1.5,
                    align: Align::Right,
                },
            ],
            rows: (0..40)
                .map(|i| {
                    vec![
                        format!("20{:02}/{:02}", 26 + i % 5, 27 + i % 5),
                        format!("Funder {i} ’s contribution"),
                        format!("£{},000", 100 + i),
                    ]
                })
                .collect(),
        }));
    }
    // A row taller than a page splits cleanly.
    blocks.push(Block::Table(Table {
        columns: vec![
            Column {
                header: "Risk".into(),
                width: 1.0,
                align: Align::Left,
            },
            Column {
                header: "Mitigation".into(),
                width: 3.0,
                align: Align::Left,
            },
        ],
        rows: vec![vec![
            "TUPE".into(),
            "Staff consultation under regulation 13. ".repeat(200),
        ]],
    }));
    DocSpec {
        title: "Synthetic decision pack".into(),
        author: "Lotwise test".into(),
        subject: "PDF engine check".into(),
        reference: "TEST/0001".into(),
        marking: "OFFICIAL".into(),
        created: chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
            .unwrap()
            .to_utc(),
        blocks,
    }
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
