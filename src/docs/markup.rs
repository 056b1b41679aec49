//! The narrative an officer writes, as light Markdown (CommonMark via pulldown-cmark):
//! paragraphs, **bold**, *italic*, bulleted and numbered lists. Anything else (links, code,
//! images) is kept as its plain text, so nothing the officer wrote silently disappears.
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Block, Run};

pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut bold = 0u32;
    let mut italic = 0u32;
    // Open lists: (ordered, items so far). Nested lists are flattened into their parent.
    let mut lists: Vec<(bool, Vec<Vec<Run>>)> = Vec::new();
    let push_text = |runs: &mut Vec<Run>, t: &str, bold: u32, italic: u32| {
        let (b, i) = (bold > 0, italic > 0);
        match runs.last_mut() {
            Some(r) if r.bold == b && r.italic == i => r.text.push_str(t),
            _ => runs.push(Run {
                text: t.to_string(),
                bold: b,
                italic: i,
            }),
        }
    };
    for ev in Parser::new(text) {
        match ev {
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::List(first)) => {
                if !lists.is_empty() && !runs.is_empty() {
                    // A nested list starts: what came before it is its parent item.
                    let item = std::mem::take(&mut runs);
                    lists.last_mut().expect("open").1.push(item);
                }
                lists.push((first.is_some(), Vec::new()));
            }
            Event::End(TagEnd::List(_)) => {
                let (ordered, items) = lists.pop().expect("balanced");
                match lists.last_mut() {
                    Some(parent) => parent.1.extend(items),
                    None => out.push(Block::List { ordered, items }),
                }
            }
            Event::End(TagEnd::Item) if !runs.is_empty() => {
                let item = std::mem::take(&mut runs);
                if let Some(l) = lists.last_mut() {
                    l.1.push(item);
                }
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                if lists.is_empty() && !runs.is_empty() {
                    out.push(Block::Paragraph(std::mem::take(&mut runs)));
                } else if !runs.is_empty() {
                    push_text(&mut runs, " ", bold, italic);
                }
            }
            Event::Text(t) | Event::Code(t) => push_text(&mut runs, &t, bold, italic),
            Event::SoftBreak | Event::HardBreak => push_text(&mut runs, " ", bold, italic),
            _ => {}
        }
    }
    if !runs.is_empty() {
        out.push(Block::Paragraph(runs));
    }
    for b in &mut out {
        trim_block(b);
    }
    out
}

fn trim_runs(runs: &mut Vec<Run>) {
    if let Some(r) = runs.last_mut() {
        let t = r.text.trim_end().to_string();
        r.text = t;
    }
    runs.retain(|r| !r.text.is_empty());
}

fn trim_block(b: &mut Block) {
    match b {
        Block::Paragraph(r) => trim_runs(r),
        Block::List { items, .. } => items.iter_mut().for_each(trim_runs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_styles_and_lists() {
        let b = blocks(
            "The contract is worth **£1,462,000** a year, *block* funded.\n\n1. Extend it.\n2. Re-procure.\n\n- one\n- two",
        );
        assert_eq!(b.len(), 3);
        match &b[0] {
            Block::Paragraph(r) => {
                assert_eq!(r[1], Run::bold("£1,462,000"));
                assert_eq!(r[3], Run::italic("block"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&b[1], Block::List { ordered: true, items } if items.len() == 2));
        assert!(matches!(&b[2], Block::List { ordered: false, items } if items.len() == 2));
    }

    #[test]
    fn nothing_written_is_lost() {
        let b = blocks("See [the review](http://example.org) and `code`.\nNext line.");
        match &b[0] {
            Block::Paragraph(r) => {
                let all: String = r.iter().map(|x| x.text.as_str()).collect();
                assert_eq!(all, "See the review and code. Next line.");
            }
            other => panic!("{other:?}"),
        }
    }
}
