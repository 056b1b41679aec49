//! The web edition of a document: one self-contained, semantic HTML file written from the
//! same `DocSpec` as the PDF, so a council can publish a committee paper as a web page with
//! the same headings, tables and words. Nothing is fetched: the styles are inline, there is
//! no script, and it reads without Lotwise in any browser or screen reader.
//!
//! What the PDF draws on every page (the reference and the protective marking) is said once,
//! in the page's header and footer; the outline is the headings themselves.
use super::{Align, Block, DocSpec, Run, Table};

/// Escapes text for HTML (and the XMP packet's XML) element content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn runs(rs: &[Run]) -> String {
    rs.iter()
        .map(|r| {
            let t = esc(&r.text);
            match (r.bold, r.italic) {
                (true, true) => format!("<strong><em>{t}</em></strong>"),
                (true, false) => format!("<strong>{t}</strong>"),
                (false, true) => format!("<em>{t}</em>"),
                (false, false) => t,
            }
        })
        .collect()
}

fn table(t: &Table, out: &mut String) {
    let align = |a: Align| match a {
        Align::Left => "",
        Align::Right => " class=\"num\"",
    };
    out.push_str("<table>\n<thead>\n<tr>");
    for c in &t.columns {
        out.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            align(c.align),
            esc(&c.header)
        ));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let a = t.columns.get(i).map_or(Align::Left, |c| c.align);
            // Body cells are data cells: a table's first column is sometimes what names the
            // row (a bidder) and sometimes not (a rank), so no row is given a header it lacks.
            out.push_str(&format!("<td{}>{}</td>", align(a), esc(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

const STYLE: &str = "body{font-family:\"Liberation Sans\",Arial,sans-serif;font-size:1.0625rem;line-height:1.5;color:#0b0c0c;max-width:48rem;margin:0 auto;padding:1rem 1.25rem 3rem}\
header.doc,footer.doc{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;font-size:.9rem;border-bottom:1px solid #b1b4b6;padding:.5rem 0;margin-bottom:1.5rem}\
footer.doc{border-bottom:0;border-top:1px solid #b1b4b6;margin:2rem 0 0}\
.marking{font-weight:700}\
h1{font-size:2rem;line-height:1.2}h2{font-size:1.5rem;margin-top:2rem}h3{font-size:1.2rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.95rem}\
th,td{border-bottom:1px solid #b1b4b6;padding:.4rem .5rem;text-align:left;vertical-align:top}\
thead th{border-bottom:2px solid #0b0c0c}.num{text-align:right}\
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.5rem}dl.facts dt{font-weight:700}dl.facts dd{margin:0}\
.notice{border-left:8px solid #0b0c0c;background:#f3f2f1;padding:.75rem 1rem;margin:1rem 0}\
a{color:#1d70b8}";

/// The document as one HTML file, en-GB.
pub fn render(spec: &DocSpec) -> String {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", esc(&spec.title)));
    for (name, value) in [
        ("author", &spec.author),
        ("description", &spec.subject),
        ("generator", &"Lotwise".to_string()),
    ] {
        if !value.is_empty() {
            out.push_str(&format!(
                "<meta name=\"{name}\" content=\"{}\">\n",
                esc(value)
            ));
        }
    }
    out.push_str(&format!(
        "<meta name=\"dcterms.created\" content=\"{}\">\n",
        spec.created.format("%Y-%m-%dT%H:%M:%SZ")
    ));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    let top = |out: &mut String, tag: &str| {
        out.push_str(&format!(
            "<{tag} class=\"doc\"><span>{}</span><span class=\"marking\">{}</span></{tag}>\n",
            esc(&spec.reference),
            esc(&spec.marking)
        ));
    };
    top(&mut out, "header");
    out.push_str("<main>\n");
    let mut blocks: Vec<Block> = spec.blocks.clone();
    if let Some(a) = &spec.anchor {
        blocks.push(super::render::anchor_block(a));
    }
    // The PDF's title page starts with a level-1 heading; a document without one still has
    // its title as the page's only h1.
    if !blocks
        .iter()
        .any(|b| matches!(b, Block::Heading { level: 1, .. }))
    {
        out.push_str(&format!("<h1>{}</h1>\n", esc(&spec.title)));
    }
    for b in &blocks {
        match b {
            Block::Heading { level, text } => {
                let l = (*level).clamp(1, 3);
                out.push_str(&format!("<h{l}>{}</h{l}>\n", esc(text)));
            }
            Block::Paragraph(rs) => out.push_str(&format!("<p>{}</p>\n", runs(rs))),
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>\n"));
                for it in items {
                    out.push_str(&format!("<li>{}</li>\n", runs(it)));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Table(t) => table(t, &mut out),
            Block::Facts(pairs) => {
                out.push_str("<dl class=\"facts\">\n");
                for (k, v) in pairs {
                    out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(v)));
                }
                out.push_str("</dl>\n");
            }
            Block::Notice(rs) => out.push_str(&format!(
                "<div class=\"notice\" role=\"note\"><p>{}</p></div>\n",
                runs(rs)
            )),
            Block::PageBreak => {}
        }
    }
    out.push_str("</main>\n");
    top(&mut out, "footer");
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{Column, col};
    use chrono::TimeZone;

    fn spec(blocks: Vec<Block>) -> DocSpec {
        DocSpec {
            title: "Award of <Lot 1> & more".into(),
            author: "r.hughes".into(),
            subject: "Award recommendation".into(),
            reference: "KCC/PH/0147".into(),
            marking: "OFFICIAL".into(),
            created: chrono::Utc
                .with_ymd_and_hms(2026, 11, 24, 10, 0, 0)
                .unwrap(),
            blocks,
            info: vec![],
            anchor: None,
        }
    }

    #[test]
    fn headings_tables_and_text_are_semantic_and_escaped() {
        let t = Table {
            columns: vec![
                col("Bidder", 2.0, Align::Left),
                Column {
                    header: "Score".into(),
                    width: 1.0,
                    align: Align::Right,
                },
            ],
            rows: vec![vec!["A & B <Ltd>".into(), "£1,462,000".into()]],
        };
        let html = render(&spec(vec![
            Block::Heading {
                level: 1,
                text: "Award".into(),
            },
            Block::Paragraph(vec![Run::plain("Plain "), Run::bold("bold")]),
            Block::Table(t),
            Block::List {
                ordered: true,
                items: vec![vec![Run::plain("first")]],
            },
            Block::Facts(vec![("Decision number".into(), "26/00001".into())]),
            Block::Notice(vec![Run::plain("Results are required")]),
        ]));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
        assert!(html.contains("<title>Award of &lt;Lot 1&gt; &amp; more</title>"));
        assert_eq!(html.matches("<h1>").count(), 1, "one h1: {html}");
        assert!(html.contains("<p>Plain <strong>bold</strong></p>"));
        assert!(
            html.contains(
                "<th scope=\"col\">Bidder</th><th scope=\"col\" class=\"num\">Score</th>"
            )
        );
        assert!(html.contains("<td>A &amp; B &lt;Ltd&gt;</td><td class=\"num\">£1,462,000</td>"));
        assert!(html.contains("<ol>\n<li>first</li>\n</ol>"));
        assert!(html.contains("<dt>Decision number</dt><dd>26/00001</dd>"));
        assert!(html.contains("role=\"note\""));
        assert!(html.contains("<span class=\"marking\">OFFICIAL</span>"));
        // Self-contained: nothing to fetch, nothing to run.
        assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));
    }

    #[test]
    fn a_document_without_a_level_one_heading_has_its_title_as_one() {
        let html = render(&spec(vec![Block::Heading {
            level: 2,
            text: "Background".into(),
        }]));
        assert!(html.contains("<h1>Award of &lt;Lot 1&gt; &amp; more</h1>\n<h2>Background</h2>"));
    }
}
