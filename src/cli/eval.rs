//! `lotwise eval ...`: the evaluation of a lot from the command line. You act as the
//! signed-in user (`--user` or LOTWISE_USER to act as a named panel member).
use super::LotRef;
use clap::Subcommand;
use std::path::PathBuf;

use super::{json, resolve_procurement};
use crate::domain::eval::moderation::ModerationBoard;
use crate::domain::eval::results::shown;
use crate::error::{Error, Result};
use crate::ops::{self, Ctx};

#[derive(Subcommand, Debug)]
pub enum EvalCmd {
    /// Offline scoresheets: export one for a panel member to score away from the network,
    /// or import one they signed and sent back.
    #[command(subcommand)]
    Scoresheet(ScoresheetCmd),
    /// Set the lot's evaluation model (import a JSON file, apply a template or copy another
    /// lot's), or export it.
    Model {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long, value_name = "FILE", group = "how")]
        import: Option<PathBuf>,
        #[arg(long, value_name = "FILE", group = "how")]
        export: Option<PathBuf>,
        /// standard (quality 60, social value 10, price 30) or psr (the five key criteria).
        #[arg(long, group = "how")]
        template: Option<String>,
        /// Copy the model of another lot (its id or reference).
        #[arg(long, value_name = "LOT", group = "how")]
        copy_from: Option<String>,
        /// Approve the model once set: its weightings are then published and frozen.
        #[arg(long)]
        approve: bool,
    },
    /// Approve the lot's evaluation model (a gate for entering tender).
    Approve {
        #[command(flatten)]
        lot: LotRef,
    },
    /// Withdraw the approval before tender, with a reason.
    Withdraw {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        reason: String,
    },
    /// The evaluation as you may see it: model, panel, bids and progress.
    Show {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// "No more than N lots per supplier" across a procurement.
    AwardLimit {
        /// The procurement's id or reference.
        procurement: String,
        #[arg(long, conflicts_with = "none", required_unless_present = "none")]
        max: Option<u32>,
        #[arg(long)]
        none: bool,
    },
    /// Import bids from CSV: supplier, registration_number, lot, price[, members].
    ImportBids {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        csv: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Add evaluators and the (non-scoring) moderator to the lot's panel, by user name.
    Panel {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long = "evaluator")]
        evaluators: Vec<String>,
        #[arg(long)]
        moderator: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record your conflict-of-interest declaration for the lot.
    Declare {
        #[command(flatten)]
        lot: LotRef,
        /// I have no conflict of interest.
        #[arg(
            long,
            conflicts_with = "conflict",
            required_unless_present = "conflict"
        )]
        none: bool,
        /// The conflict: you are then removed from the lot.
        #[arg(long)]
        conflict: Option<String>,
    },
    /// Give one score, with its justification.
    Score {
        #[command(flatten)]
        lot: LotRef,
        /// The bidder's name, registration number or bid id.
        #[arg(long)]
        bidder: String,
        #[arg(long)]
        question: String,
        #[arg(long)]
        score: String,
        #[arg(long)]
        justification: String,
    },
    /// Import your scores from CSV: evaluator, bidder, question, score, justification.
    ImportScores {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        csv: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Submit your scores; they never change afterwards. Gaps are listed and refused.
    Submit {
        #[command(flatten)]
        lot: LotRef,
    },
    /// The moderation board: each evaluator's score, the spread and the consensus.
    Moderation {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// Record consensus scores with reasons (moderator only).
    Moderate {
        #[command(flatten)]
        lot: LotRef,
        /// CSV of bidder, question, score, reason.
        #[arg(long, conflicts_with_all = ["bidder", "question", "score", "reason"])]
        csv: Option<PathBuf>,
        #[arg(long, required_unless_present = "csv")]
        bidder: Option<String>,
        #[arg(long, required_unless_present = "csv")]
        question: Option<String>,
        #[arg(long, required_unless_present = "csv")]
        score: Option<String>,
        #[arg(long, required_unless_present = "csv")]
        reason: Option<String>,
        /// With --csv: print the import summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign off the moderated record.
    Signoff {
        #[command(flatten)]
        lot: LotRef,
    },
    /// Reopen a signed-off moderated record, with a reason (moderator only).
    Reopen {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        reason: String,
    },
    /// Weighted scores, exclusions, ranking and sensitivity.
    Results {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
}

impl EvalCmd {
    /// The lot of a command a panel member runs (declare, score, submit, moderate, sign off),
    /// whose role can come from their seat on the panel.
    fn panel_lot(&self) -> Option<&LotRef> {
        match self {
            EvalCmd::Declare { lot, .. }
            | EvalCmd::Score { lot, .. }
            | EvalCmd::ImportScores { lot, .. }
            | EvalCmd::Submit { lot }
            | EvalCmd::Moderation { lot, .. }
            | EvalCmd::Moderate { lot, .. }
            | EvalCmd::Signoff { lot }
            | EvalCmd::Reopen { lot, .. } => Some(lot),
            _ => None,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ScoresheetCmd {
    /// Write the scoresheet for one evaluator on the lot: the model, the bidders and the
    /// declaration, never another evaluator's score or a price. As a .lwsheet for Lotwise,
    /// or (--format xlsx) an Excel workbook for an evaluator without it.
    Export {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        evaluator: String,
        #[arg(long, value_name = "FILE.lwsheet|FILE.xlsx")]
        out: PathBuf,
        /// lwsheet or xlsx (default: from the --out file's extension, else lwsheet).
        #[arg(long, value_name = "lwsheet|xlsx")]
        format: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Import a signed scoresheet (.lwscores) as the evaluator's submitted scores: the
    /// signature, lot, model version and key are checked; all or nothing.
    Import {
        #[arg(value_name = "FILE.lwscores")]
        file: PathBuf,
        /// The lot you are importing into (the file names its own; this checks it).
        #[arg(long, value_name = "LOT")]
        lot: Option<String>,
        /// On the first sheet from an evaluator: the six words of their key's fingerprint,
        /// as they read them to you (`lotwise scoresheet key` on their computer).
        #[arg(long, value_name = "WORDS")]
        fingerprint: Option<String>,
        /// For an Excel workbook (unsigned): the evaluator you received it from yourself.
        #[arg(long, value_name = "EVALUATOR")]
        received_from: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SheetCmd {
    /// Your signing key's fingerprint (six words to read to the officer), made on first use
    /// and kept in your data folder.
    Key {
        #[arg(long)]
        json: bool,
    },
    /// Fill a scoresheet with your scores (CSV: evaluator, bidder, question, score,
    /// justification), affirm your declaration and sign: writes FILE.lwscores to send back.
    Fill {
        #[arg(value_name = "FILE.lwsheet")]
        sheet: PathBuf,
        #[arg(long, value_name = "SCORES.csv")]
        scores: PathBuf,
        /// `none`: you have no conflict of interest with any bidder.
        #[arg(long, value_name = "none")]
        declare: String,
        #[arg(long, value_name = "FILE.lwscores")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn run_sheet(cmd: SheetCmd) -> Result<()> {
    use crate::ops::eval::scoresheet;
    match cmd {
        SheetCmd::Key { json: j } => {
            let k = scoresheet::key_info()?;
            if j {
                json(&k)
            } else {
                if k.created {
                    println!("Made your signing key: {}", k.path);
                }
                println!("Your key's fingerprint: {}", k.fingerprint);
                println!(
                    "Read these six words to the procurement officer when they import your first scoresheet."
                );
            }
        }
        SheetCmd::Fill {
            sheet,
            scores,
            declare,
            out,
            json: j,
        } => {
            let sheet_bytes = crate::ops::textfile::read_bytes(&sheet, "sheet")?;
            let csv = crate::ops::textfile::TextFile::read(&scores, "scores")?;
            let (key, _, _) = scoresheet::signing_key()?;
            let file = scoresheet::fill(
                &sheet_bytes,
                &sheet.display().to_string(),
                &csv,
                &declare,
                &key,
                chrono::Utc::now(),
            )?;
            let text = serde_json::to_string_pretty(&file).expect("serialisable");
            std::fs::write(&out, text.as_bytes())?;
            if j {
                json(&file)
            } else {
                let words = crate::domain::eval::scoresheet::fingerprint(&key.verifying_key());
                println!(
                    "Signed your scores and declaration with your key (“{words}”) and wrote {}: send it to the procurement officer.",
                    out.display()
                );
            }
        }
    }
    Ok(())
}

async fn run_scoresheet(ctx: &Ctx, cmd: ScoresheetCmd) -> Result<()> {
    use crate::ops::eval::scoresheet;
    match cmd {
        ScoresheetCmd::Export {
            lot,
            evaluator,
            out,
            format,
            json: j,
        } => {
            let xlsx = match format.as_deref().map(|f| f.trim().to_ascii_lowercase()) {
                Some(f) if f == "xlsx" => true,
                Some(f) if f == "lwsheet" => false,
                Some(other) => {
                    return Err(Error::validation(
                        "format",
                        format!("“{other}” is not a scoresheet format; expected lwsheet or xlsx"),
                    ));
                }
                None => out
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx")),
            };
            let (sheet, bytes) = if xlsx {
                scoresheet::export_workbook(ctx, lot.id(ctx).await?, &evaluator).await?
            } else {
                scoresheet::export(ctx, lot.id(ctx).await?, &evaluator).await?
            };
            std::fs::write(&out, &bytes)?;
            if j {
                json(&sheet)
            } else {
                println!(
                    "Wrote {}: the scoresheet for {} on lot {} ({} bidders × {} questions{}).",
                    out.display(),
                    sheet.evaluator,
                    sheet.lot_reference,
                    sheet.bidders.len(),
                    sheet.model.questions().count(),
                    match sheet.saved.len() {
                        0 => String::new(),
                        n => format!(", {n} saved already"),
                    }
                );
            }
        }
        ScoresheetCmd::Import {
            file,
            lot,
            fingerprint,
            received_from,
            json: j,
        } => {
            let bytes = crate::ops::textfile::read_bytes(&file, "file")?;
            let expected = match &lot {
                Some(l) => Some(ops::lots::resolve(ctx, l, None).await?),
                None => None,
            };
            let r = scoresheet::import_from(
                ctx,
                &bytes,
                &file.display().to_string(),
                expected,
                fingerprint.as_deref(),
                received_from.as_deref(),
            )
            .await?;
            if j {
                json(&r)
            } else {
                let how = match &r.fingerprint {
                    Some(words) => format!(
                        "signed by {} (key “{words}”{})",
                        r.evaluator,
                        if r.key_registered {
                            ", now registered on the panel"
                        } else {
                            ""
                        }
                    ),
                    None => format!("unsigned, received from {} (as you confirmed)", r.evaluator),
                };
                println!(
                    "Imported {} scores from {} for lot {}, {how}, and submitted them. File SHA-256 {}.",
                    r.scores, r.evaluator, r.lot_reference, r.sha256
                );
            }
        }
    }
    Ok(())
}

/// `role_chosen`: the person gave --role (or LOTWISE_ROLE). Otherwise a panel member acts in
/// the role of their seat on the lot's panel.
pub async fn run(ctx: &Ctx, cmd: EvalCmd, role_chosen: bool) -> Result<()> {
    let seated;
    let ctx = match cmd.panel_lot() {
        Some(lot) if !role_chosen => {
            let id = lot.id(ctx).await?;
            match ops::eval::panel_role(ctx, id).await? {
                Some(role) => {
                    seated = ctx.acting_as(ctx.user.clone(), role);
                    &seated
                }
                None => ctx,
            }
        }
        _ => ctx,
    };
    match cmd {
        EvalCmd::Scoresheet(c) => run_scoresheet(ctx, c).await?,
        EvalCmd::Model {
            lot,
            import,
            export,
            template,
            copy_from,
            approve,
        } => {
            let lot = lot.id(ctx).await?;
            if let Some(out) = export {
                let text = ops::eval::export_model(ctx, lot).await?;
                ops::write_file(&out, (text + "\n").as_bytes())?;
                println!("Exported the evaluation model to {}", out.display());
                return Ok(());
            }
            let model = match (import, template, copy_from) {
                (Some(f), _, _) => ops::eval::import_model(ctx, lot, &f).await?,
                (_, Some(t), _) => ops::eval::apply_template(ctx, lot, &t).await?,
                (_, _, Some(from)) => {
                    let from = ops::lots::resolve(ctx, &from, None).await?;
                    ops::eval::copy_model(ctx, lot, from).await?
                }
                _ if approve => {
                    ops::eval::approve_model(ctx, lot).await?;
                    println!("Approved the evaluation model of lot {lot}.");
                    return Ok(());
                }
                _ => {
                    return Err(Error::validation(
                        "model",
                        "give --import FILE, --export FILE, --template NAME or --copy-from LOT",
                    ));
                }
            };
            println!(
                "Set the evaluation model of lot {lot}: {} sections, {} questions.",
                model.sections.len(),
                model.questions().count()
            );
            if approve {
                ops::eval::approve_model(ctx, lot).await?;
                println!("Approved it: its weightings are now published and frozen.");
            }
        }
        EvalCmd::Approve { lot } => {
            ops::eval::approve_model(ctx, lot.id(ctx).await?).await?;
            println!("Approved the evaluation model of lot {lot}.");
        }
        EvalCmd::Withdraw { lot, reason } => {
            ops::eval::withdraw_approval(ctx, lot.id(ctx).await?, &reason).await?;
            println!("Withdrew the approval of lot {lot}'s evaluation model.");
        }
        EvalCmd::Show { lot, json: j } => {
            let st = ops::eval::state(ctx, lot.id(ctx).await?).await?;
            if j {
                json(&st);
            } else {
                println!(
                    "Lot {} {}: {} ({})",
                    st.lot_id, st.lot_reference, st.lot_title, st.stage
                );
                match (&st.model, &st.approved) {
                    (None, _) => println!("No evaluation model yet."),
                    (Some(m), a) => {
                        println!(
                            "Model: {} sections, {} questions; {}",
                            m.sections.len(),
                            m.questions().count(),
                            match a {
                                Some(a) => format!("approved by {}", a.by),
                                None => "not approved".into(),
                            }
                        );
                        for s in &m.sections {
                            println!("  {:>6}%  {}", s.weight.to_string(), s.title);
                        }
                    }
                }
                println!("Panel:");
                for m in &st.panel {
                    let status = match (&m.declared_at, &m.conflict, &m.submitted_at) {
                        (None, _, _) => "no declaration yet".to_string(),
                        (_, Some(c), _) => format!("conflict declared: {c}"),
                        (_, _, Some(_)) => "submitted".into(),
                        _ => "declared, no conflict".into(),
                    };
                    println!("  {:<20} {:<10} {}", m.person, m.role.key(), status);
                }
                if let Some(w) = &st.access.withheld {
                    println!("{w}");
                }
                println!("Bids: {}", st.bids.len());
                for b in &st.bids {
                    println!("  {:>4}  {:<40} {}", b.id, b.label(), b.price);
                }
                for p in &st.progress {
                    println!(
                        "  {} scored {} of {}{}",
                        p.evaluator,
                        p.scored,
                        p.required,
                        if p.submitted { " (submitted)" } else { "" }
                    );
                }
            }
        }
        EvalCmd::AwardLimit {
            procurement,
            max,
            none,
        } => {
            let p = resolve_procurement(ctx, &procurement).await?;
            let limit = if none { None } else { max };
            ops::eval::set_award_limit(ctx, p, limit).await?;
            match limit {
                Some(n) => {
                    println!("No supplier may be awarded more than {n} lots of {procurement}.")
                }
                None => println!("Procurement {procurement} has no lot award limit."),
            }
        }
        EvalCmd::ImportBids { lot, csv, json: j } => {
            let n = ops::eval::import_bids(ctx, lot.id(ctx).await?, &csv).await?;
            if j {
                json(&n)
            } else {
                println!("Imported {}.", super::print::imported(&n, "bid"));
            }
        }
        EvalCmd::Panel {
            lot,
            evaluators,
            moderator,
            json: j,
        } => {
            if evaluators.is_empty() && moderator.is_none() {
                return Err(Error::validation(
                    "evaluator",
                    "name at least one --evaluator or the --moderator",
                ));
            }
            for e in &evaluators {
                ops::eval::add_panel_member(ctx, lot.id(ctx).await?, e, "evaluator").await?;
            }
            if let Some(m) = &moderator {
                ops::eval::add_panel_member(ctx, lot.id(ctx).await?, m, "moderator").await?;
            }
            if j {
                json(&ops::eval::state(ctx, lot.id(ctx).await?).await?.panel);
            } else {
                println!("Added to the panel of lot {lot}.");
            }
        }
        EvalCmd::Declare {
            lot,
            none,
            conflict,
        } => {
            let _ = none;
            ops::eval::declare(ctx, lot.id(ctx).await?, conflict.as_deref()).await?;
            match conflict {
                Some(_) => println!(
                    "Recorded your conflict of interest: you take no part in evaluating lot {lot}."
                ),
                None => println!("Recorded that you have no conflict of interest in lot {lot}."),
            }
        }
        EvalCmd::Score {
            lot,
            bidder,
            question,
            score,
            justification,
        } => {
            let st = ops::eval::state(ctx, lot.id(ctx).await?).await?;
            let bid = ops::eval::bid_named(&st, &bidder)?;
            ops::eval::save_score(
                ctx,
                ops::eval::SaveScore {
                    lot_id: lot.id(ctx).await?,
                    bid_id: bid,
                    question,
                    score,
                    justification,
                },
            )
            .await?;
            println!("Saved.");
        }
        EvalCmd::ImportScores { lot, csv, json: j } => {
            let n = ops::eval::import_scores(ctx, lot.id(ctx).await?, &csv).await?;
            if j {
                json(&n)
            } else {
                println!("Imported {}.", super::print::imported(&n, "score"));
            }
        }
        EvalCmd::Submit { lot } => {
            ops::eval::submit(ctx, lot.id(ctx).await?).await?;
            println!("Submitted your scores for lot {lot}. They can no longer change.");
        }
        EvalCmd::Moderation { lot, json: j } => {
            let b = ops::eval::moderation(ctx, lot.id(ctx).await?).await?;
            if j {
                json(&b)
            } else {
                print_board(ctx, lot, &b).await?
            }
        }
        EvalCmd::Moderate {
            lot,
            csv,
            bidder,
            question,
            score,
            reason,
            json: j,
        } => {
            if let Some(f) = csv {
                let n = ops::eval::import_consensus(ctx, lot.id(ctx).await?, &f).await?;
                if j {
                    json(&n)
                } else {
                    println!(
                        "Recorded {}.",
                        super::print::imported(&n, "consensus score")
                    );
                }
            } else {
                let st = ops::eval::state(ctx, lot.id(ctx).await?).await?;
                let bid = ops::eval::bid_named(&st, bidder.as_deref().unwrap_or(""))?;
                ops::eval::moderate(
                    ctx,
                    ops::eval::Moderate {
                        lot_id: lot.id(ctx).await?,
                        bid_id: bid,
                        question: question.unwrap_or_default(),
                        score: score.unwrap_or_default(),
                        reason: reason.unwrap_or_default(),
                    },
                )
                .await?;
                if j {
                    json(&serde_json::json!({ "rows": 1, "file": null, "readAs": null }));
                } else {
                    println!("Recorded the consensus score.");
                }
            }
        }
        EvalCmd::Signoff { lot } => {
            ops::eval::sign_off(ctx, lot.id(ctx).await?).await?;
            println!("Signed off the moderated record of lot {lot}.");
        }
        EvalCmd::Reopen { lot, reason } => {
            ops::eval::reopen(ctx, lot.id(ctx).await?, &reason).await?;
            println!(
                "Reopened the moderated record of lot {lot}; every panel member signs it again."
            );
        }
        EvalCmd::Results { lot, json: j } => {
            let r = ops::eval::results(ctx, lot.id(ctx).await?).await?;
            if j {
                json(&r);
                return Ok(());
            }
            println!(
                "Results for lot {} ({}){}",
                r.lot_reference,
                r.lot_title,
                if r.signed_off { "" } else { ": NOT SIGNED OFF" }
            );
            if !r.scored.complete {
                println!(
                    "Provisional: {} consensus scores still to agree.",
                    r.scored.missing.len()
                );
            }
            let names: Vec<&str> = r
                .scored
                .bids
                .first()
                .map(|b| b.sections.iter().map(|s| s.title.as_str()).collect())
                .unwrap_or_default();
            println!(
                "{:<5} {:<36} {:>14} {}  {:>8}",
                "Rank",
                "Bidder",
                "Price",
                names
                    .iter()
                    .map(|n| format!("{:>12}", truncate(n, 12)))
                    .collect::<String>(),
                "Total"
            );
            for b in &r.scored.bids {
                println!(
                    "{:<5} {:<36} {:>14} {}  {:>8}",
                    b.rank.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
                    truncate(&b.bidder, 36),
                    b.price.to_string(),
                    b.sections
                        .iter()
                        .map(|s| format!("{:>12}", shown(s.score.0)))
                        .collect::<String>(),
                    shown(b.total.0)
                );
                for e in &b.exclusions {
                    println!("      excluded: {e}");
                }
            }
            println!("{}", r.scored.rounding_rule);
            println!("{}", r.scored.tie_break);
            if let Some(p) = &r.scored.price_method {
                println!("Price: {p}");
            }
            if let Some(s) = &r.sensitivity {
                for line in &s.summary {
                    println!("Sensitivity: {line}");
                }
            }
            if let Some(l) = &r.award_limit {
                println!("Lot award limit: {} per supplier. {}", l.limit, l.rule);
                for a in &l.awards {
                    println!(
                        "  {}: {}{}",
                        a.reference,
                        a.bidder.as_deref().unwrap_or("no eligible bid"),
                        if a.passed_over.is_empty() {
                            String::new()
                        } else {
                            format!(" (passed over: {})", a.passed_over.join(", "))
                        }
                    );
                }
            }
        }
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

async fn print_board(ctx: &Ctx, lot: LotRef, b: &ModerationBoard) -> Result<()> {
    let st = ops::eval::state(ctx, lot.id(ctx).await?).await?;
    let name = |id| {
        st.bids
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.label())
            .unwrap_or_default()
    };
    println!(
        "{} of {} consensus scores agreed; {} flagged for a wide spread; {}",
        b.agreed,
        b.required,
        b.flagged,
        if b.signed_off {
            "signed off"
        } else if b.ready {
            "open for moderation"
        } else {
            "waiting for evaluators to submit"
        }
    );
    for c in &b.cells {
        let originals: Vec<String> = c
            .originals
            .iter()
            .map(|o| format!("{} {}", o.evaluator, o.score))
            .collect();
        println!(
            "{:<30} {:<6} {:<40} spread {:<3}{} consensus {}",
            truncate(&name(c.bid_id), 30),
            c.question,
            originals.join(", "),
            c.spread
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into()),
            if c.flagged { " FLAG" } else { "     " },
            c.consensus
                .as_ref()
                .map(|x| x.score.to_string())
                .unwrap_or_else(|| "-".into())
        );
    }
    Ok(())
}
