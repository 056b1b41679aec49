//! `lotwise calendar`: bank holidays, working days and standstill periods.
use clap::Subcommand;

use super::json;
use crate::domain::dates;
use crate::error::Result;
use crate::ops::{self, Ctx};

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// The last day of standstill and the first day the contract may be entered into.
    Standstill {
        /// pa2023 (contract award notice) or psr (notice of intention to award).
        #[arg(long)]
        regime: String,
        /// The day the notice was published: 2026-11-24 or 24/11/2026.
        #[arg(long)]
        published: String,
        #[arg(long)]
        json: bool,
    },
    /// The date N working days after a date, and the days skipped on the way.
    WorkingDays {
        #[arg(long)]
        from: String,
        #[arg(long)]
        add: u32,
        /// england-wales, scotland, northern-ireland, or uk-any (the Procurement Act's working day).
        #[arg(long, default_value = "england-wales")]
        nation: String,
        #[arg(long)]
        json: bool,
    },
    /// The bank holidays of a year.
    Holidays {
        year: i32,
        #[arg(long, default_value = "uk-any")]
        nation: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a bank holiday the government has announced, with its source.
    AddHoliday {
        #[arg(long)]
        date: String,
        #[arg(long)]
        name: String,
        /// Repeat for each nation; uk-any for all three.
        #[arg(long = "nation", required = true)]
        nations: Vec<String>,
        #[arg(long)]
        source: String,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: &Ctx, cmd: CalendarCmd) -> Result<()> {
    match cmd {
        CalendarCmd::Standstill {
            regime,
            published,
            json: j,
        } => {
            let s = ops::calendar::standstill(ctx, &regime, &published).await?;
            if j {
                json(&s);
            } else {
                println!("Notice published: {}", dates::long(s.published));
                println!("Standstill begins: {}", dates::long(s.first_day));
                println!(
                    "Standstill ends at midnight at the end of: {}",
                    dates::long(s.last_day)
                );
                println!(
                    "The contract may be entered into from: {}",
                    dates::long(s.contract_may_be_entered_from)
                );
                for k in &s.skipped {
                    println!("  skipped {}: {}", dates::long(k.date), k.reason);
                }
                println!("{}", s.rule);
            }
        }
        CalendarCmd::WorkingDays {
            from,
            add,
            nation,
            json: j,
        } => {
            let r = ops::calendar::working_days(ctx, &from, add, &nation).await?;
            if j {
                json(&r);
            } else {
                println!(
                    "{} working day{} after {} ({}): {}",
                    r.add,
                    if r.add == 1 { "" } else { "s" },
                    dates::long(r.from),
                    r.nation.label(),
                    dates::long(r.result)
                );
                for k in &r.skipped {
                    println!("  skipped {}: {}", dates::long(k.date), k.reason);
                }
            }
        }
        CalendarCmd::Holidays {
            year,
            nation,
            json: j,
        } => {
            let hs = ops::calendar::holidays(ctx, year, &nation).await?;
            if j {
                json(&hs);
            } else {
                for h in hs {
                    let parts: Vec<&str> = h.nations.iter().map(|n| n.label()).collect();
                    println!(
                        "{:<20} {:<10} {} ({})",
                        dates::long(h.date),
                        h.date.format("%A").to_string(),
                        h.name,
                        parts.join(", ")
                    );
                }
            }
        }
        CalendarCmd::AddHoliday {
            date,
            name,
            nations,
            source,
            json: j,
        } => {
            let h = ops::calendar::add_holiday(ctx, &date, &name, &nations, &source).await?;
            if j {
                json(&h);
                return Ok(());
            }
            println!(
                "Added {} on {}: every deadline in this workspace now skips it.",
                h.name,
                dates::long(h.date)
            );
        }
    }
    Ok(())
}
