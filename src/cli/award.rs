//! `lotwise award`: what is sent and kept after evaluation.
use clap::Subcommand;

use super::json;
use crate::error::Result;
use crate::ops::{self, Ctx};

#[derive(Subcommand, Debug)]
pub enum AwardCmd {
    /// One assessment summary PDF per bidder, written into DIR.
    Summaries {
        lot: i64,
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: &Ctx, cmd: AwardCmd) -> Result<()> {
    match cmd {
        AwardCmd::Summaries { lot, out, json: j } => {
            let files = ops::award::summaries(ctx, crate::domain::ids::LotId(lot), &out).await?;
            if j {
                json(&files);
            } else {
                for f in &files {
                    println!(
                        "{} ({} page{}{}): {}",
                        f.bidder,
                        f.pages,
                        if f.pages == 1 { "" } else { "s" },
                        if f.successful { ", successful" } else { "" },
                        f.path.display()
                    );
                }
            }
        }
    }
    Ok(())
}
