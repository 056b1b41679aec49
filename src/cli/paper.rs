//! `lotwise paper`: decision papers from the command line.
use super::LotRef;
use clap::Args;
use std::path::PathBuf;

use super::json;
use crate::domain::paper::{Edition, PaperKind};
use crate::error::{Error, Result};
use crate::ops::{self, Ctx};

#[derive(Args, Debug)]
pub struct PaperArgs {
    /// The lot's id.
    #[command(flatten)]
    lot: LotRef,
    /// extension, procurement or award.
    #[arg(long)]
    kind: String,
    /// Where to write the PDF (or, with --format html or a FILE.html, the web edition).
    #[arg(long, value_name = "FILE.pdf")]
    out: Option<PathBuf>,
    /// pdf, or html: the same paper as one self-contained web page to publish (the PDF is
    /// still what is kept). Without it, a FILE.html --out means html.
    #[arg(long, value_name = "pdf|html")]
    format: Option<String>,
    /// open (for publication: exempt appendices left out) or full (with Part B).
    #[arg(long, default_value = "open")]
    edition: String,
    /// Make a DRAFT copy even though sections are still to be written (not kept).
    #[arg(long)]
    draft: bool,
    /// Save this narrative (JSON, see README) as a new version first.
    #[arg(long, value_name = "FILE.json")]
    narrative: Option<PathBuf>,
    /// Print the current narrative as JSON (the saved one, or the first draft from the data).
    #[arg(long)]
    show_narrative: bool,
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PaperOut {
    out: String,
    /// "pdf" or "html": what `out` holds. `sha256` is always the PDF's (the kept paper's).
    format: &'static str,
    pages: u32,
    sha256: String,
    draft: bool,
    document: Option<crate::domain::paper::PaperDocument>,
}

pub async fn run(ctx: &Ctx, a: PaperArgs) -> Result<()> {
    let lot = a.lot.id(ctx).await?;
    let kind = PaperKind::parse(&a.kind)?;
    let edition = Edition::parse(&a.edition)?;
    if let Some(f) = &a.narrative {
        let v = ops::papers::import_narrative(ctx, lot, kind, f).await?;
        if !a.json {
            println!(
                "Saved the narrative of the {} paper as version {}.",
                kind.label().to_lowercase(),
                v.version.unwrap_or(0)
            );
            for g in &v.gaps {
                println!("  still to write: {}", g.message);
            }
        }
    }
    if a.show_narrative {
        let v = ops::papers::view(ctx, lot, kind).await?;
        json(&v.draft);
        for g in &v.gaps {
            eprintln!("still to write ({}): {}", g.field, g.message);
        }
        if let Some(b) = &v.blocked {
            eprintln!("{b}");
        }
    }
    let format = match &a.format {
        Some(f) => Some(ops::papers::PaperFormat::parse(f)?),
        None => None,
    };
    let Some(out) = a.out else {
        if a.narrative.is_none() && !a.show_narrative {
            return Err(Error::validation(
                "out",
                "give --out FILE.pdf (or --narrative FILE.json / --show-narrative)",
            ));
        }
        return Ok(());
    };
    let format = format.unwrap_or_else(|| ops::papers::PaperFormat::of_path(&out));
    let html = format == ops::papers::PaperFormat::Html;
    let g = ops::papers::generate_to(
        ctx,
        lot,
        kind,
        edition,
        a.draft,
        &mut |p| {
            if !a.json && p.total > 20 && p.done % 20 == 0 && p.done > 0 {
                eprintln!("{}", p.step);
            }
        },
        Some((out.as_path(), format)),
    )
    .await?;
    let sha = g
        .document
        .as_ref()
        .map(|d| d.sha256.clone())
        .unwrap_or_else(|| {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&g.bytes))
        });
    if a.json {
        json(&PaperOut {
            out: out.display().to_string(),
            format: if html { "html" } else { "pdf" },
            pages: g.pages,
            sha256: sha,
            draft: g.document.is_none(),
            document: g.document,
        });
    } else if html {
        match &g.document {
            Some(d) => println!(
                "Wrote {}: the web edition of the {} paper, version {}, {} edition (the {}-page PDF is kept, SHA-256 {})",
                out.display(),
                kind.label().to_lowercase(),
                d.number,
                edition.key(),
                g.pages,
                sha
            ),
            None => println!(
                "Wrote {}: the web edition of a DRAFT, not kept; gaps are shown in square brackets.",
                out.display()
            ),
        }
    } else {
        match &g.document {
            Some(d) => println!(
                "Wrote {} ({} pages): {} paper, version {}, {} edition, SHA-256 {}",
                out.display(),
                g.pages,
                kind.label().to_lowercase(),
                d.number,
                edition.key(),
                sha
            ),
            None => println!(
                "Wrote {} ({} pages): a DRAFT, not kept; gaps are shown in square brackets.",
                out.display(),
                g.pages
            ),
        }
    }
    Ok(())
}
