//! The specification: a lot's versioned draft, written as sections (`## Heading` lines in
//! Markdown), and the comparison of any two versions with the changes marked.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use similar::{Algorithm, ChangeTag, DiffTag, TextDiff, capture_diff_slices};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpecSection {
    /// 1 for the first section.
    pub position: u32,
    pub heading: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpecVersion {
    pub version: u32,
    /// What changed in this version, in the author's words.
    pub note: String,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sections: Vec<SpecSection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CommentSource {
    /// Colleagues, partners, service users and clinicians.
    Stakeholder,
    /// Potential providers, at engagement events or in writing.
    Market,
}

impl CommentSource {
    pub fn key(self) -> &'static str {
        match self {
            CommentSource::Stakeholder => "stakeholder",
            CommentSource::Market => "market",
        }
    }
    pub fn parse(s: &str) -> Result<CommentSource> {
        match s.trim().to_ascii_lowercase().as_str() {
            "stakeholder" => Ok(CommentSource::Stakeholder),
            "market" => Ok(CommentSource::Market),
            _ => Err(Error::validation(
                "source",
                format!("“{s}” is not a source of comment; expected stakeholder or market"),
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpecComment {
    pub id: i64,
    pub version: u32,
    pub position: u32,
    pub heading: String,
    pub source: CommentSource,
    pub author: String,
    pub organisation: String,
    pub comment: String,
    pub received_on: NaiveDate,
    /// How it was dealt with; empty until someone responds.
    pub response: String,
    pub recorded_by: String,
}

/// Splits a Markdown draft into its sections. Every section starts with a `#` or `##`
/// heading; text before the first heading, an empty draft and a heading used twice are
/// refused with the line they are on.
pub fn parse_sections(text: &str) -> Result<Vec<SpecSection>> {
    // A byte-order mark (Notepad, Word's "Plain text") is not text before the first section,
    // and an old Mac file's lone CRs are line breaks.
    let text = text.trim_start_matches('\u{feff}');
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    let mut out: Vec<SpecSection> = Vec::new();
    // Headings seen so far, by their case-folded text: one look-up per heading keeps a
    // long specification linear.
    let mut heading_lines: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim_end();
        let heading = trimmed
            .strip_prefix("## ")
            .or_else(|| trimmed.strip_prefix("# "))
            .map(str::trim);
        match heading {
            Some(h) if !h.is_empty() => {
                if let Some(first) = heading_lines.get(&h.to_ascii_lowercase()) {
                    return Err(Error::validation(
                        "text",
                        format!(
                            "line {n}: the heading “{h}” is already used on line {first}; each section needs its own heading"
                        ),
                    ));
                }
                if h.chars().count() > 200 {
                    return Err(Error::validation(
                        "text",
                        format!("line {n}: a heading must be 200 characters or fewer"),
                    ));
                }
                heading_lines.insert(h.to_ascii_lowercase(), n);
                out.push(SpecSection {
                    position: out.len() as u32 + 1,
                    heading: h.to_string(),
                    body: String::new(),
                });
            }
            _ => match out.last_mut() {
                Some(s) => {
                    s.body.push_str(trimmed);
                    s.body.push('\n');
                }
                None if trimmed.trim().is_empty() => {}
                None => {
                    return Err(Error::validation(
                        "text",
                        format!(
                            "line {n}: text before the first section; start each section with a heading line such as “## Service outcomes”"
                        ),
                    ));
                }
            },
        }
    }
    for s in &mut out {
        s.body = s.body.trim().to_string();
    }
    if out.is_empty() {
        return Err(Error::validation(
            "text",
            "the specification has no sections; start each with a heading line such as “## Service outcomes”",
        ));
    }
    Ok(out)
}

/// The sections back as the Markdown they were written in.
pub fn to_text(sections: &[SpecSection]) -> String {
    sections
        .iter()
        .map(|s| {
            if s.body.is_empty() {
                format!("## {}\n", s.heading)
            } else {
                format!("## {}\n\n{}\n", s.heading, s.body)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SectionChange {
    Unchanged,
    Changed,
    Added,
    Removed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SegmentChange {
    Same,
    Removed,
    Added,
}

/// A run of words, shown plain, struck through (removed) or highlighted (added).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Segment {
    pub text: String,
    pub change: SegmentChange,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SectionDiff {
    pub heading: String,
    pub change: SectionChange,
    /// The older version's text, with what it lost marked `removed`.
    pub left: Vec<Segment>,
    /// The newer version's text, with what it gained marked `added`.
    pub right: Vec<Segment>,
    /// One reading of the change: each removed run followed by what replaced it.
    pub inline: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpecDiff {
    pub from: u32,
    pub to: u32,
    pub sections: Vec<SectionDiff>,
    /// "3 sections changed, 1 added, 1 removed", or "No changes".
    pub summary: String,
}

fn push(segments: &mut Vec<Segment>, text: &str, change: SegmentChange) {
    match segments.last_mut() {
        Some(last) if last.change == change => last.text.push_str(text),
        _ => segments.push(Segment {
            text: text.to_string(),
            change,
        }),
    }
}

fn whole(text: &str, change: SegmentChange) -> Vec<Segment> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Segment {
            text: text.to_string(),
            change,
        }]
    }
}

/// The word diff of two bodies as (left, right, inline). A space between two changed words
/// joins them into one run, so "[-Each intervention lasts-]{+Interventions are guided+}"
/// reads as a phrase rather than word by word.
fn body_diff(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>, Vec<Segment>) {
    let diff = TextDiff::from_words(old, new);
    let changes: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let (mut left, mut right, mut inline) = (Vec::new(), Vec::new(), Vec::new());
    let (mut removed, mut added) = (String::new(), String::new());
    let flush = |removed: &mut String, added: &mut String, inline: &mut Vec<Segment>| {
        if !removed.is_empty() {
            push(inline, removed, SegmentChange::Removed);
        }
        if !added.is_empty() {
            push(inline, added, SegmentChange::Added);
        }
        removed.clear();
        added.clear();
    };
    for (i, (tag, text)) in changes.iter().enumerate() {
        let between_changes = *tag == ChangeTag::Equal
            && text.trim().is_empty()
            && (!removed.is_empty() || !added.is_empty())
            && changes
                .get(i + 1)
                .is_some_and(|(t, _)| *t != ChangeTag::Equal);
        match tag {
            ChangeTag::Equal if between_changes => {
                push(&mut left, text, SegmentChange::Removed);
                push(&mut right, text, SegmentChange::Added);
                removed.push_str(text);
                added.push_str(text);
            }
            ChangeTag::Equal => {
                flush(&mut removed, &mut added, &mut inline);
                push(&mut left, text, SegmentChange::Same);
                push(&mut right, text, SegmentChange::Same);
                push(&mut inline, text, SegmentChange::Same);
            }
            ChangeTag::Delete => {
                push(&mut left, text, SegmentChange::Removed);
                removed.push_str(text);
            }
            ChangeTag::Insert => {
                push(&mut right, text, SegmentChange::Added);
                added.push_str(text);
            }
        }
    }
    flush(&mut removed, &mut added, &mut inline);
    (left, right, inline)
}

/// Sections are matched by heading (ignoring case), in order; within a matched section the
/// bodies are compared word by word.
pub fn compare(from: u32, old: &[SpecSection], to: u32, new: &[SpecSection]) -> SpecDiff {
    let key = |s: &SpecSection| s.heading.to_lowercase();
    let old_keys: Vec<String> = old.iter().map(key).collect();
    let new_keys: Vec<String> = new.iter().map(key).collect();
    let mut sections = Vec::new();
    let removed = |s: &SpecSection| SectionDiff {
        heading: s.heading.clone(),
        change: SectionChange::Removed,
        left: whole(&s.body, SegmentChange::Removed),
        right: Vec::new(),
        inline: whole(&s.body, SegmentChange::Removed),
    };
    let added = |s: &SpecSection| SectionDiff {
        heading: s.heading.clone(),
        change: SectionChange::Added,
        left: Vec::new(),
        right: whole(&s.body, SegmentChange::Added),
        inline: whole(&s.body, SegmentChange::Added),
    };
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (a, b) in old[o].iter().zip(&new[n]) {
                    if a.body == b.body && a.heading == b.heading {
                        sections.push(SectionDiff {
                            heading: b.heading.clone(),
                            change: SectionChange::Unchanged,
                            left: whole(&a.body, SegmentChange::Same),
                            right: whole(&b.body, SegmentChange::Same),
                            inline: whole(&b.body, SegmentChange::Same),
                        });
                    } else {
                        let (left, right, inline) = body_diff(&a.body, &b.body);
                        sections.push(SectionDiff {
                            heading: b.heading.clone(),
                            change: SectionChange::Changed,
                            left,
                            right,
                            inline,
                        });
                    }
                }
            }
            DiffTag::Delete => sections.extend(old[o].iter().map(removed)),
            DiffTag::Insert => sections.extend(new[n].iter().map(added)),
            DiffTag::Replace => {
                sections.extend(old[o].iter().map(removed));
                sections.extend(new[n].iter().map(added));
            }
        }
    }
    let count = |c: SectionChange| sections.iter().filter(|s| s.change == c).count();
    let parts: Vec<String> = [
        (count(SectionChange::Changed), "changed"),
        (count(SectionChange::Added), "added"),
        (count(SectionChange::Removed), "removed"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    let summary = if parts.is_empty() {
        "No changes".to_string()
    } else {
        let first_n = sections
            .iter()
            .filter(|s| s.change != SectionChange::Unchanged)
            .count();
        let noun = if first_n == 1 { "section" } else { "sections" };
        format!("{} {noun}: {}", first_n, parts.join(", "))
    };
    SpecDiff {
        from,
        to,
        sections,
        summary,
    }
}

/// The specification may change only before the tender notice; after it, by clarification.
pub fn may_change(stage: crate::domain::stage::Stage, what: &str) -> Result<()> {
    use crate::domain::stage::Stage;
    if matches!(stage, Stage::MarketEngagement | Stage::DraftSpecification) {
        return Ok(());
    }
    Err(Error::conflict(format!(
        "the specification cannot {what} at the {} stage: the tender references its approved version, and later changes are made by clarification",
        stage.label().to_lowercase()
    )))
}

/// Only the newest version may be approved, and only once. `newest` is its number and
/// whether it is approved.
pub fn check_approval(newest: Option<(u32, bool)>, version: u32) -> Result<()> {
    match newest {
        None => Err(Error::validation(
            "version",
            "no specification has been saved for this lot yet",
        )),
        Some((n, _)) if n != version => Err(Error::validation(
            "version",
            format!(
                "only the newest version, version {n}, can be approved (asked for version {version})"
            ),
        )),
        Some((_, true)) => Err(Error::conflict(format!(
            "version {version} is already approved"
        ))),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "## Scope\n\nNavigation for people aged 55 and over.\n\n## Outcomes\n\nFewer crises.\n\n## Staffing\n\n25 navigators.\n";
    const V2: &str = "# Scope\n\nNavigation for people aged 55 and over and their carers.\n\n## Outcomes\n\nFewer crises.\n\n## Social value\n\nLocal recruitment.\n";

    #[test]
    fn sections_are_read_from_headings() {
        let s = parse_sections(V1).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].heading, "Scope");
        assert_eq!(s[0].body, "Navigation for people aged 55 and over.");
        assert_eq!(s[2].position, 3);
        assert_eq!(parse_sections(&to_text(&s)).unwrap(), s);
    }

    #[test]
    fn bad_drafts_name_the_line() {
        let e = parse_sections("Intro first\n## Scope\n").unwrap_err();
        assert!(
            e.message
                .starts_with("line 1: text before the first section"),
            "{}",
            e.message
        );
        let e = parse_sections("## Scope\nA\n## scope\nB\n").unwrap_err();
        assert!(
            e.message.contains("line 3") && e.message.contains("line 1"),
            "{}",
            e.message
        );
        assert!(parse_sections("\n  \n").is_err());
        assert_eq!(parse_sections("\n## A\n").unwrap()[0].body, "");
    }

    #[test]
    fn compare_marks_words_and_sections() {
        let a = parse_sections(V1).unwrap();
        let b = parse_sections(V2).unwrap();
        let d = compare(1, &a, 2, &b);
        let kinds: Vec<(&str, SectionChange)> = d
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.change))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("Scope", SectionChange::Changed),
                ("Outcomes", SectionChange::Unchanged),
                ("Staffing", SectionChange::Removed),
                ("Social value", SectionChange::Added),
            ]
        );
        let scope = &d.sections[0];
        let added: String = scope
            .right
            .iter()
            .filter(|s| s.change == SegmentChange::Added)
            .map(|s| s.text.as_str())
            .collect();
        // Words are compared with their punctuation: "over." became "over and their carers.".
        assert_eq!(added.trim(), "over and their carers.");
        let removed: Vec<&str> = scope
            .left
            .iter()
            .filter(|s| s.change == SegmentChange::Removed)
            .map(|s| s.text.trim())
            .collect();
        assert_eq!(removed, vec!["over."]);
        // Each side, read plainly, is that version's text.
        let left: String = scope.left.iter().map(|s| s.text.as_str()).collect();
        let right: String = scope.right.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(left, a[0].body);
        assert_eq!(right, b[0].body);
        assert_eq!(d.summary, "3 sections: 1 changed, 1 added, 1 removed");
        assert_eq!(compare(2, &b, 2, &b).summary, "No changes");
    }

    #[test]
    fn changed_words_read_as_phrases() {
        let (left, right, inline) = body_diff(
            "Each intervention lasts up to 12 weeks.",
            "Interventions are guided by a 12 week limit.",
        );
        let marked = |segs: &[Segment]| -> String {
            segs.iter()
                .map(|s| match s.change {
                    SegmentChange::Same => s.text.clone(),
                    SegmentChange::Removed => format!("[-{}-]", s.text),
                    SegmentChange::Added => format!("{{+{}+}}", s.text),
                })
                .collect()
        };
        assert_eq!(
            marked(&inline),
            "[-Each intervention lasts up to-]{+Interventions are guided by a+} 12 [-weeks.-]{+week limit.+}"
        );
        assert_eq!(
            marked(&left),
            "[-Each intervention lasts up to-] 12 [-weeks.-]"
        );
        assert_eq!(
            marked(&right),
            "{+Interventions are guided by a+} 12 {+week limit.+}"
        );
    }
}
