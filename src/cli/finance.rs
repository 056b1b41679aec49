//! `lotwise finance` and `lotwise term`: budgets and funders by financial year, savings
//! against a baseline, and whole-life values with extension arithmetic.
use super::LotRef;
use clap::Subcommand;

use super::{json, resolve_procurement};
use crate::domain::dates::long;
use crate::domain::finance::savings::SavingStatus;
use crate::domain::finance::whole_life::WholeLife;
use crate::error::Result;
use crate::ops::Ctx;
use crate::ops::finance::{
    self, FinanceView, SetBudget, SetContribution, SetLotBudget, SetSavings,
};

#[derive(Subcommand, Debug)]
pub enum FinanceCmd {
    /// Budget against committed by financial year and funder, headroom, warnings, savings and
    /// whole-life values.
    Show {
        /// The procurement's id or reference.
        procurement: String,
        #[arg(long)]
        json: bool,
    },
    /// Set the procurement's budget for a financial year (`--amount ""` removes it).
    Budget {
        procurement: String,
        /// 2026/27
        #[arg(long)]
        year: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        json: bool,
    },
    /// Set a lot's own budget for a financial year (`--amount ""` removes it).
    LotBudget {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        year: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        json: bool,
    },
    /// Record a funder's contribution for a year (replaces its earlier one for that year).
    Funder {
        procurement: String,
        /// The organisation's name or id.
        #[arg(long)]
        funder: String,
        #[arg(long)]
        year: String,
        #[arg(long)]
        amount: String,
        /// pooled or aligned.
        #[arg(long, default_value = "pooled")]
        arrangement: String,
        /// What the money is for.
        #[arg(long)]
        purpose: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a funder's contribution (ids as in `finance show --json`).
    RemoveFunder {
        procurement: String,
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Set the savings target, or `--clear` it.
    Savings {
        procurement: String,
        /// Current annual spend the savings are measured against.
        #[arg(long, required_unless_present = "clear")]
        baseline: Option<String>,
        /// 10% or an amount a year (£200,000).
        #[arg(long, required_unless_present = "clear")]
        target: Option<String>,
        /// Phased evenly over this many financial years.
        #[arg(long, default_value = "1")]
        years: String,
        /// The first year of the plan (2026/27).
        #[arg(long = "from", required_unless_present = "clear")]
        first_year: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long, conflicts_with_all = ["baseline", "target", "first_year"])]
        clear: bool,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: &Ctx, cmd: FinanceCmd) -> Result<()> {
    let (v, j) = match cmd {
        FinanceCmd::Show { procurement, json } => {
            let id = resolve_procurement(ctx, &procurement).await?;
            (finance::view(ctx, id).await?, json)
        }
        FinanceCmd::Budget {
            procurement,
            year,
            amount,
            json,
        } => {
            let procurement_id = resolve_procurement(ctx, &procurement).await?;
            let v = finance::set_budget(
                ctx,
                SetBudget {
                    procurement_id,
                    financial_year: year,
                    amount,
                },
            )
            .await?;
            (v, json)
        }
        FinanceCmd::LotBudget {
            lot,
            year,
            amount,
            json,
        } => {
            let v = finance::set_lot_budget(
                ctx,
                SetLotBudget {
                    lot_id: lot.id(ctx).await?,
                    financial_year: year,
                    amount,
                },
            )
            .await?;
            (v, json)
        }
        FinanceCmd::Funder {
            procurement,
            funder,
            year,
            amount,
            arrangement,
            purpose,
            json,
        } => {
            let procurement_id = resolve_procurement(ctx, &procurement).await?;
            let v = finance::set_contribution(
                ctx,
                SetContribution {
                    procurement_id,
                    funder,
                    financial_year: year,
                    amount,
                    arrangement,
                    purpose,
                },
            )
            .await?;
            (v, json)
        }
        FinanceCmd::RemoveFunder {
            procurement,
            id,
            json,
        } => {
            let p = resolve_procurement(ctx, &procurement).await?;
            (finance::remove_contribution(ctx, p, id).await?, json)
        }
        FinanceCmd::Savings {
            procurement,
            baseline,
            target,
            years,
            first_year,
            notes,
            clear,
            json,
        } => {
            let procurement_id = resolve_procurement(ctx, &procurement).await?;
            let v = if clear {
                finance::clear_savings(ctx, procurement_id).await?
            } else {
                finance::set_savings(
                    ctx,
                    SetSavings {
                        procurement_id,
                        baseline: baseline.unwrap_or_default(),
                        target: target.unwrap_or_default(),
                        years,
                        first_year: first_year.unwrap_or_default(),
                        notes,
                    },
                )
                .await?
            };
            (v, json)
        }
    };
    if j {
        json(&v);
    } else {
        show(&v);
    }
    Ok(())
}

fn show(v: &FinanceView) {
    println!("{} {}", v.procurement.reference, v.procurement.title);
    println!();
    println!(
        "{:<9} {:>14} {:>14} {:>14} {:>14} {:>14}",
        "YEAR", "BUDGET", "POOLED", "ALIGNED", "COMMITTED", "HEADROOM"
    );
    for y in &v.position.years {
        println!(
            "{:<9} {:>14} {:>14} {:>14} {:>14} {:>14}{}",
            y.financial_year.to_string(),
            y.budget.display(),
            y.pooled.display(),
            y.aligned.display(),
            y.committed.display(),
            y.headroom.display(),
            if y.over_budget { "  OVER BUDGET" } else { "" }
        );
    }
    if !v.contributions.is_empty() {
        println!("\nFunders:");
        for c in &v.contributions {
            println!(
                "  [{}] {} {}: {} ({}) for {}",
                c.id,
                c.financial_year,
                c.funder,
                c.amount.display(),
                c.arrangement.key(),
                c.purpose
            );
        }
    }
    if !v.position.commitments.is_empty() {
        println!("\nCommitted:");
        for c in &v.position.commitments {
            println!(
                "  {}: {} a year, {} to {}",
                c.label,
                c.annual.display(),
                long(c.start),
                long(c.end)
            );
        }
    }
    if !v.position.warnings.is_empty() {
        println!("\nWarnings:");
        for w in &v.position.warnings {
            println!("  ! {w}");
        }
    }
    if let Some(s) = &v.savings {
        println!("\nSavings: {}", s.description);
        for y in &s.years {
            let status = match y.status {
                SavingStatus::Met => "met".to_string(),
                SavingStatus::Delayed => format!(
                    "delayed to {}",
                    y.delayed_to.map(|f| f.to_string()).unwrap_or_default()
                ),
                SavingStatus::Short => "short".to_string(),
            };
            println!(
                "  {} target {} saving {} ({}){}",
                y.financial_year,
                y.target.display(),
                y.saving.display(),
                status,
                if y.secured { "" } else { " forecast" }
            );
        }
        println!("  {}", s.summary);
    }
    println!("\nWhole-life values (excluding VAT / including VAT):");
    for l in &v.lots {
        match &l.whole_life {
            Some(w) => println!(
                "  {} {}: {} ({}): {} / {}",
                l.reference,
                l.title,
                w.term,
                l.basis,
                w.total.display(),
                w.total_inc_vat.display()
            ),
            None => println!("  {} {}: no annual value or term yet", l.reference, l.title),
        }
    }
    for c in &v.contracts {
        println!(
            "  {} {} (current contract): {}: {} / {}",
            c.reference,
            c.provider,
            c.whole_life.term,
            c.whole_life.total.display(),
            c.whole_life.total_inc_vat.display()
        );
    }
}

pub fn print_term(w: &WholeLife) {
    println!("{}", w.term_description);
    println!(
        "{:<20} {:>8} {:<19} {:<19} {:>16} {:>16}",
        "PERIOD", "MONTHS", "FROM", "TO", "VALUE", "INC. VAT"
    );
    for p in &w.periods {
        println!(
            "{:<20} {:>8} {:<19} {:<19} {:>16} {:>16}",
            p.label,
            p.months,
            p.start.map(long).unwrap_or_default(),
            p.end.map(long).unwrap_or_default(),
            p.value.display(),
            p.value_inc_vat.display()
        );
    }
    if let Some(e) = w.core_end {
        println!("Core term ends: {}", long(e));
    }
    if let Some(e) = w.final_possible_end {
        println!("Final possible end: {}", long(e));
    }
    println!(
        "Whole-life value: {} excluding VAT, {} including VAT at {}%",
        w.total.display(),
        w.total_inc_vat.display(),
        w.vat_rate
    );
}
