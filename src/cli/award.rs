//! `lotwise award`: the recommendation and dates, assessment summaries, the award pack for
//! legal, legal's review and checking a pack against the workspace.
use super::LotRef;
use clap::Subcommand;
use std::path::PathBuf;

use super::json;
use crate::domain::award::{PackComment, PackStatus};
use crate::domain::dates::long;
use crate::error::{Error, Result};
use crate::ops::award::{ReviewPack, SetAwardDates};
use crate::ops::{self, Ctx};

#[derive(Subcommand, Debug)]
pub enum AwardCmd {
    /// The recommendation, award dates, standstill, packs and what the contract stage waits for.
    Show {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// Record the regime and the award dates (dates as 2026-12-07 or 07/12/2026).
    Dates {
        #[command(flatten)]
        lot: LotRef,
        /// pa2023, light-touch, framework-call-off, dynamic-market, urgent-direct-award, psr
        /// or psr-direct-ab.
        #[arg(long)]
        regime: String,
        /// Where no mandatory standstill applies (s51(3)): give a voluntary one of 8 working
        /// days (s51(4), (5)).
        #[arg(long)]
        voluntary_standstill: bool,
        /// The day the contract award notice (or PSR notice of intention to award) was published.
        #[arg(long)]
        notice_published: Option<String>,
        /// The day the contract was entered into (signed): day 1 of the contract details
        /// notice's period (s53(1)); also the lot's `contract_signed` milestone.
        #[arg(long)]
        contract_signed: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// PSR standstill: record written representations received from a provider (SI
    /// 2023/1348 reg 12(3)); they keep the standstill open until the further decision.
    Representation {
        #[command(flatten)]
        lot: LotRef,
        /// The day they were received.
        #[arg(long)]
        received: String,
        /// The provider who made them.
        #[arg(long)]
        from: String,
        #[arg(long)]
        summary: String,
        #[arg(long)]
        json: bool,
    },
    /// PSR standstill: record the further decision on representations, as communicated to
    /// the providers (reg 12(4)(d), (6)-(8)); the standstill ends 5 working days after it.
    FurtherDecision {
        #[command(flatten)]
        lot: LotRef,
        /// The day it was communicated in writing to the providers.
        #[arg(long)]
        communicated: String,
        /// proceed, repeat or abandon.
        #[arg(long)]
        decision: String,
        #[arg(long)]
        reasons: String,
        #[arg(long)]
        json: bool,
    },
    /// One assessment summary PDF per bidder, written into DIR.
    Summaries {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Build the award pack for legal, keep it in the workspace and write it to FILE.pdf.
    Pack {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Does this pack still match the workspace? Exit code 1 when it does not.
    VerifyPack {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Legal's decision on the lot's newest pack (run with --role legal).
    Review {
        #[command(flatten)]
        lot: LotRef,
        /// approve or return.
        #[arg(long)]
        decision: String,
        /// A comment on one section: "Section name=comment". Repeat for more.
        #[arg(long = "comment", value_name = "SECTION=TEXT")]
        comments: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

fn status_text(s: PackStatus) -> &'static str {
    match s {
        PackStatus::NotBuilt => "not built",
        PackStatus::AwaitingReview => "awaiting legal review",
        PackStatus::Approved => "approved by legal",
        PackStatus::Returned => "returned by legal with comments",
    }
}

fn show(v: &ops::award::AwardView) {
    println!("{} {} ({})", v.lot_reference, v.lot_title, v.stage);
    match (&v.recommendation, &v.results_blocker) {
        (Some(r), _) => {
            println!(
                "Recommended: {} (total {}, price {})",
                r.winner,
                r.winner_total,
                r.winner_price.display()
            );
            println!("Reserve: {}", r.reserve.as_deref().unwrap_or("none"));
            for e in &r.excluded {
                println!("Excluded: {} ({})", e.bidder, e.reasons.join("; "));
            }
        }
        (None, Some(why)) => println!("No recommendation yet: {why}"),
        _ => {}
    }
    if let (Some(d), Some(t)) = (&v.dates, &v.timeline) {
        println!("Regime: {}", d.regime.label());
        println!(
            "Notice published: {}",
            d.notice_published
                .map(long)
                .unwrap_or_else(|| "not yet".into())
        );
        println!("{}", t.standstill_rule);
        if let Some(s) = &t.standstill {
            println!(
                "Standstill: begins {}; ends at midnight at the end of {}",
                long(s.first_day),
                long(t.standstill_extended_to.unwrap_or(s.last_day))
            );
            println!("  {}", s.rule);
        }
        for r in &t.representations {
            println!(
                "Representations received {} from {}{}: {}",
                long(r.received_on),
                r.provider,
                if r.out_of_time { " (out of time)" } else { "" },
                r.summary
            );
        }
        for f in &t.further_decisions {
            println!(
                "Further decision communicated {}: {} ({})",
                long(f.communicated_on),
                f.decision.label(),
                f.reasons
            );
        }
        if let Some(e) = &t.standstill_extension {
            println!("{e}");
        }
        match t.contract_may_be_entered_from {
            Some(f) => println!("Contract may be entered into from: {}", long(f)),
            None => {
                if let Some(w) = &t.waiting_for {
                    println!("Contract may not be entered into yet: waiting for {w}");
                }
            }
        }
        if let Some(signed) = t.contract_signed {
            println!("Contract entered into (signed): {}", long(signed));
        }
        println!("{}", t.contract_details_rule);
        if let Some(due) = t.contract_details_notice_due {
            println!("Contract details notice due by: {}", long(due));
        }
        if let Some(r) = &t.contract_copy_rule {
            println!("{r}");
            if let Some(due) = t.contract_copy_due {
                println!("Copy of the contract due by: {}", long(due));
            }
        }
    } else {
        println!("Award dates: not recorded");
    }
    println!("Award pack: {}", status_text(v.status));
    if let Some(p) = v.packs.first() {
        println!(
            "  pack {} ({} pages, SHA-256 {})",
            p.number, p.pages, p.sha256
        );
        if let Some(r) = &p.review {
            for c in &r.comments {
                println!("  {}: {}", c.section, c.comment);
            }
        }
    }
    if v.contract_missing.is_empty() {
        println!("Ready for contract.");
    } else {
        println!("Before contract: {}", v.contract_missing.join("; "));
    }
}

pub async fn run(ctx: &Ctx, cmd: AwardCmd) -> Result<()> {
    match cmd {
        AwardCmd::Show { lot, json: j } => {
            let v = ops::award::view(ctx, lot.id(ctx).await?).await?;
            if j { json(&v) } else { show(&v) }
        }
        AwardCmd::Dates {
            lot,
            regime,
            voluntary_standstill,
            notice_published,
            contract_signed,
            json: j,
        } => {
            let v = ops::award::set_dates(
                ctx,
                SetAwardDates {
                    lot_id: lot.id(ctx).await?,
                    regime,
                    voluntary_standstill,
                    notice_published,
                    contract_signed,
                },
            )
            .await?;
            if j { json(&v) } else { show(&v) }
        }
        AwardCmd::Representation {
            lot,
            received,
            from,
            summary,
            json: j,
        } => {
            let v = ops::award::record_representation(
                ctx,
                ops::award::RecordRepresentation {
                    lot_id: lot.id(ctx).await?,
                    received_on: received,
                    provider: from,
                    summary,
                },
            )
            .await?;
            if j { json(&v) } else { show(&v) }
        }
        AwardCmd::FurtherDecision {
            lot,
            communicated,
            decision,
            reasons,
            json: j,
        } => {
            let v = ops::award::record_further_decision(
                ctx,
                ops::award::RecordFurtherDecision {
                    lot_id: lot.id(ctx).await?,
                    communicated_on: communicated,
                    decision,
                    reasons,
                },
            )
            .await?;
            if j { json(&v) } else { show(&v) }
        }
        AwardCmd::Summaries { lot, out, json: j } => {
            let files = ops::award::summaries(ctx, lot.id(ctx).await?, &out).await?;
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
        AwardCmd::Pack { lot, out, json: j } => {
            let p =
                ops::award::build_pack_to(ctx, lot.id(ctx).await?, &mut |_| {}, Some(&out)).await?;
            if j {
                json(&p);
            } else {
                println!(
                    "Award pack {} ({} pages) written to {}\nSHA-256 {}\nAudit chain head: event {} {}",
                    p.number,
                    p.pages,
                    out.display(),
                    p.sha256,
                    p.manifest.audit_head_seq,
                    p.manifest.audit_head_hash
                );
                for e in &p.manifest.entries {
                    println!("  {}  {}: {}", e.sha256, e.section, e.document);
                }
            }
        }
        AwardCmd::VerifyPack { file, json: j } => {
            let v = ops::award::verify_pack(ctx, &file).await?;
            if j {
                json(&v);
            } else {
                println!("{}", v.summary);
                for e in &v.entries {
                    println!(
                        "  {}  {}: {}",
                        if e.matches { "same   " } else { "CHANGED" },
                        e.section,
                        e.document
                    );
                }
                println!(
                    "  {}  the audit trail's record of this pack being built (award.pack_built)",
                    if v.pack_event_found {
                        "found  "
                    } else {
                        "MISSING"
                    }
                );
                if let Some(a) = &v.anchor {
                    println!("  anchor {}", a.message);
                }
            }
            if !v.matches {
                return Err(Error::conflict(v.summary));
            }
        }
        AwardCmd::Review {
            lot,
            decision,
            comments,
            json: j,
        } => {
            let packs = ops::award::packs(ctx, lot.id(ctx).await?).await?;
            let newest = packs
                .first()
                .ok_or_else(|| Error::conflict("no award pack has been built for this lot"))?;
            let comments = comments
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    c.split_once('=')
                        .map(|(s, t)| PackComment {
                            section: s.trim().to_string(),
                            comment: t.trim().to_string(),
                        })
                        .ok_or_else(|| {
                            Error::validation(
                                format!("comment.{i}"),
                                format!("“{c}” should be SECTION=TEXT, e.g. \"Standstill calculation=Check the dates\""),
                            )
                        })
                })
                .collect::<Result<Vec<_>>>()?;
            let p = ops::award::review(
                ctx,
                ReviewPack {
                    pack_id: newest.id,
                    decision,
                    comments,
                },
            )
            .await?;
            if j {
                json(&p);
            } else if let Some(r) = &p.review {
                println!("Award pack {} {} by {}", p.number, r.decision.key(), r.by);
            }
        }
    }
    Ok(())
}
