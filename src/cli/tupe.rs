//! `lotwise tupe`: plan the transfer, import the incumbent's staff list, record progress on
//! each obligation and produce the TUPE checklist.
use super::LotRef;
use clap::Subcommand;
use std::path::PathBuf;

use super::json;
use crate::domain::dates::{long, short};
use crate::domain::tupe::obligations::Applies;
use crate::error::Result;
use crate::ops::tupe::{SetObligation, SetTupePlan, TupeView};
use crate::ops::{self, Ctx};

#[derive(Subcommand, Debug)]
pub enum TupeCmd {
    /// The plan, the newest staff list's summary and the checklist as at today.
    Show {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// Record the transfer date T, the providers and the service provision change assessment.
    Plan {
        #[command(flatten)]
        lot: LotRef,
        /// T, as 2027-04-01 or 01/04/2027.
        #[arg(long)]
        transfer_date: String,
        /// The current employer; defaults to the provider of the contract the lot replaces.
        #[arg(long)]
        outgoing: Option<String>,
        /// The new employer, once known.
        #[arg(long, default_value = "")]
        incoming: String,
        /// not-assessed, applies or does-not-apply (TUPE reg 3(1)(b)).
        #[arg(long, default_value = "not-assessed")]
        assessment: String,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
    /// Import the incumbent's anonymised staff list; a newer list replaces the older one.
    Import {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Record progress on one obligation (keys as in `tupe show`).
    Obligation {
        #[command(flatten)]
        lot: LotRef,
        key: String,
        /// to-do, in-progress or done.
        #[arg(long)]
        status: String,
        /// What shows it was done, or where it has got to (required for done).
        #[arg(long, default_value = "")]
        evidence: String,
        #[arg(long)]
        json: bool,
    },
    /// The TUPE checklist as at today: printed, as JSON, or written as a PDF.
    Checklist {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

fn show(v: &TupeView) {
    match &v.plan {
        None => println!("No transfer planned (record one with `lotwise tupe plan`)."),
        Some(p) => {
            println!("Transfer date (T): {}", long(p.transfer_date));
            println!("Outgoing provider: {}", p.outgoing);
            println!(
                "Incoming provider: {}",
                if p.incoming.is_empty() {
                    "not yet known"
                } else {
                    &p.incoming
                }
            );
            println!("Service provision change: {}", p.assessment.label());
        }
    }
    match (&v.summary, v.lists.first()) {
        (Some(s), Some(l)) => {
            println!("{}", l.describe());
            println!(
                "Expected to transfer: {} people, {:.2} FTE, pay bill {}",
                s.assigned.headcount,
                s.assigned.fte,
                s.assigned.pay_bill.display()
            );
            println!(
                "Not wholly or mainly assigned: {} people, {:.2} FTE",
                s.not_assigned.headcount, s.not_assigned.fte
            );
            let pensions: Vec<String> = s
                .pensions
                .iter()
                .filter(|p| p.assigned > 0)
                .map(|p| format!("{} {}", p.label, p.assigned))
                .collect();
            println!("Pensions (expected to transfer): {}", pensions.join(", "));
        }
        _ => println!("No staff list imported."),
    }
    if let Some(d) = &v.diff {
        println!(
            "Since the previous list: {} joined, {} left, {} changed",
            d.joined.len(),
            d.left.len(),
            d.changed.len()
        );
    }
    if let Some(c) = &v.checklist {
        println!(
            "Obligations: {} of {} done, {} overdue (as at {})",
            c.done,
            c.applicable,
            c.overdue,
            short(c.as_at)
        );
        for o in &c.obligations {
            let due = match o.due {
                Some(d) if o.ongoing => format!("from {}", short(d)),
                Some(d) => short(d),
                None => "no date".into(),
            };
            let state = match (&o.applies, o.overdue) {
                (Applies::No(r), _) => format!("not applicable: {r}"),
                (Applies::ToConfirm(r), _) => format!("to confirm: {r}"),
                (_, true) => format!("OVERDUE ({})", o.status.label().to_lowercase()),
                _ => o.status.label().to_string(),
            };
            println!(
                "  [{}] {} · {} · {} · {}",
                o.key,
                o.name,
                o.owner.label(),
                due,
                state
            );
        }
    }
}

pub async fn run(ctx: &Ctx, cmd: TupeCmd) -> Result<()> {
    match cmd {
        TupeCmd::Show { lot, json: j } => {
            let v = ops::tupe::view(ctx, lot.id(ctx).await?).await?;
            if j { json(&v) } else { show(&v) }
        }
        TupeCmd::Plan {
            lot,
            transfer_date,
            outgoing,
            incoming,
            assessment,
            notes,
            json: j,
        } => {
            let outgoing = match outgoing {
                Some(o) => o,
                None => {
                    ops::tupe::view(ctx, lot.id(ctx).await?)
                        .await?
                        .suggested_outgoing
                }
            };
            let v = ops::tupe::set_plan(
                ctx,
                SetTupePlan {
                    expected_version: None,
                    lot_id: lot.id(ctx).await?,
                    transfer_date,
                    outgoing,
                    incoming,
                    assessment,
                    notes,
                },
            )
            .await?;
            if j { json(&v) } else { show(&v) }
        }
        TupeCmd::Import { lot, csv, json: j } => {
            let r = ops::tupe::import_staff(ctx, lot.id(ctx).await?, &csv).await?;
            if j {
                json(&r);
            } else {
                println!("{}", r.list.describe());
                if let Some(note) = &r.read_as {
                    println!("The file was {note}.");
                }
                println!(
                    "Expected to transfer: {} people, {:.2} FTE, pay bill {}",
                    r.summary.assigned.headcount,
                    r.summary.assigned.fte,
                    r.summary.assigned.pay_bill.display()
                );
                if let Some(d) = &r.diff {
                    println!(
                        "Since the previous list: {} joined, {} left, {} changed",
                        d.joined.len(),
                        d.left.len(),
                        d.changed.len()
                    );
                }
            }
        }
        TupeCmd::Obligation {
            lot,
            key,
            status,
            evidence,
            json: j,
        } => {
            let v = ops::tupe::set_obligation(
                ctx,
                SetObligation {
                    lot_id: lot.id(ctx).await?,
                    key,
                    status,
                    evidence,
                },
            )
            .await?;
            if j { json(&v) } else { show(&v) }
        }
        TupeCmd::Checklist { lot, out, json: j } => match &out {
            Some(path) => {
                let (checklist, pages) =
                    ops::tupe::checklist_pdf(ctx, lot.id(ctx).await?, path).await?;
                if j {
                    json(&checklist);
                } else {
                    println!(
                        "TUPE checklist ({} page{}) written to {}",
                        pages,
                        if pages == 1 { "" } else { "s" },
                        path.display()
                    );
                }
            }
            None => {
                let v = ops::tupe::view(ctx, lot.id(ctx).await?).await?;
                let Some(checklist) = &v.checklist else {
                    return Err(ops::tupe::no_plan());
                };
                if j { json(checklist) } else { show(&v) }
            }
        },
    }
    Ok(())
}
