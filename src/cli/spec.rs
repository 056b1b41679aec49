//! `lotwise spec`: save a draft as a new version from Markdown, comment on a section,
//! compare two versions, approve the newest.
use super::LotRef;
use clap::Subcommand;
use std::path::PathBuf;

use super::json;
use crate::domain::dates::short;
use crate::domain::spec::{SectionChange, SegmentChange, SpecDiff};
use crate::error::Result;
use crate::ops::Ctx;
use crate::ops::spec::{self, AddSpecComment, SpecView};

#[derive(Subcommand, Debug)]
pub enum SpecCmd {
    /// The versions, which is approved, which the tender references, and the comments.
    Show {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// Save a Markdown file (each section starts with `## Heading`) as the next version.
    Save {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        file: PathBuf,
        /// What changed in this version.
        #[arg(long)]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Approve the newest version: it is frozen and the tender will reference it.
    Approve {
        #[command(flatten)]
        lot: LotRef,
        version: u32,
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions section by section; removed words in [-...-], added in {+...+}.
    Compare {
        #[command(flatten)]
        lot: LotRef,
        from: u32,
        to: u32,
        #[arg(long)]
        json: bool,
    },
    /// Record a comment on a section of a version.
    Comment {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        version: u32,
        /// The section's number in that version (1 for the first).
        #[arg(long)]
        section: u32,
        /// stakeholder or market.
        #[arg(long)]
        source: String,
        #[arg(long)]
        author: String,
        #[arg(long, default_value = "")]
        organisation: String,
        /// The date it was received (2026-11-24 or 24/11/2026).
        #[arg(long)]
        on: String,
        #[arg(long)]
        text: String,
        #[arg(long)]
        json: bool,
    },
}

fn print_view(v: &SpecView) {
    if v.versions.is_empty() {
        println!(
            "No specification saved yet (save one with `lotwise spec save LOT --file FILE --note ...`)."
        );
        return;
    }
    for ver in &v.versions {
        let approved = match (&ver.approved_by, ver.approved_at) {
            (Some(by), Some(at)) => format!(", approved by {by} on {}", short(at.date_naive())),
            _ => String::new(),
        };
        println!(
            "Version {} ({} sections), saved by {} on {}{approved}: {}",
            ver.version,
            ver.sections.len(),
            ver.saved_by,
            short(ver.saved_at.date_naive()),
            ver.note
        );
    }
    match v.tender_version {
        Some(t) => println!("The tender references version {t}."),
        None if v.approved.is_none() => {
            println!("No version is approved yet: the tender stage needs one.")
        }
        None => {}
    }
    for c in &v.comments {
        println!(
            "Comment on version {} section {} “{}” ({}, {}{}): {}{}",
            c.version,
            c.position,
            c.heading,
            c.source.key(),
            c.author,
            if c.organisation.is_empty() {
                String::new()
            } else {
                format!(", {}", c.organisation)
            },
            c.comment,
            if c.response.is_empty() {
                String::new()
            } else {
                format!(" Response: {}", c.response)
            }
        );
    }
}

fn print_diff(d: &SpecDiff) {
    println!(
        "Version {} compared with version {}: {}.",
        d.from, d.to, d.summary
    );
    for s in &d.sections {
        let what = match s.change {
            SectionChange::Unchanged => continue,
            SectionChange::Changed => "changed",
            SectionChange::Added => "added",
            SectionChange::Removed => "removed",
        };
        println!("\n## {} ({what})", s.heading);
        let text: String = s
            .inline
            .iter()
            .map(|seg| match seg.change {
                SegmentChange::Same => seg.text.clone(),
                SegmentChange::Removed if s.change == SectionChange::Changed => {
                    format!("[-{}-]", seg.text)
                }
                SegmentChange::Added if s.change == SectionChange::Changed => {
                    format!("{{+{}+}}", seg.text)
                }
                _ => seg.text.clone(),
            })
            .collect();
        println!("{text}");
    }
}

pub async fn run(ctx: &Ctx, cmd: SpecCmd) -> Result<()> {
    let (view, as_json) = match cmd {
        SpecCmd::Show { lot, json } => (spec::view(ctx, lot.id(ctx).await?).await?, json),
        SpecCmd::Save {
            lot,
            file,
            note,
            json,
        } => {
            let v = spec::save_file(ctx, lot.id(ctx).await?, &file, &note).await?;
            if !json {
                println!("Saved version {}.", v.versions[0].version);
            }
            (v, json)
        }
        SpecCmd::Approve { lot, version, json } => {
            let v = spec::approve(ctx, lot.id(ctx).await?, version).await?;
            if !json {
                println!("Version {version} is approved; the tender will reference it.");
            }
            (v, json)
        }
        SpecCmd::Compare {
            lot,
            from,
            to,
            json: as_json,
        } => {
            let d = spec::compare(ctx, lot.id(ctx).await?, from, to).await?;
            if as_json {
                json(&d);
            } else {
                print_diff(&d);
            }
            return Ok(());
        }
        SpecCmd::Comment {
            lot,
            version,
            section,
            source,
            author,
            organisation,
            on,
            text,
            json,
        } => {
            let v = spec::add_comment(
                ctx,
                AddSpecComment {
                    lot_id: lot.id(ctx).await?,
                    version,
                    section,
                    source,
                    author,
                    organisation,
                    comment: text,
                    received_on: on,
                },
            )
            .await?;
            (v, json)
        }
    };
    if as_json {
        json(&view);
    } else {
        print_view(&view);
    }
    Ok(())
}
