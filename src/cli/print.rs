//! Plain-text tables for the terminal.
use chrono::NaiveDate;

use crate::domain::allocation::Allocation;
use crate::domain::board::BoardCard;
use crate::domain::contract::Contract;
use crate::domain::dates;
use crate::domain::lot::Lot;
use crate::domain::money::group_thousands;
use crate::domain::radar::ExpiringContract;

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

pub fn lot_table(cards: &[BoardCard]) {
    println!(
        "{:>5}  {:<6}  {:<42}  {:<20}  {:<9}  NEXT MILESTONE",
        "ID", "LOT", "TITLE", "STAGE", "STATUS"
    );
    for c in cards {
        let next = c
            .next_milestone
            .as_ref()
            .map(|m| format!("{} {}", m.title, dates::short(m.planned)))
            .unwrap_or_default();
        println!(
            "{:>5}  {:<6}  {:<42}  {:<20}  {:<9}  {}",
            c.id,
            cut(&c.reference, 6),
            cut(&c.title, 42),
            c.stage.label(),
            c.rag.label(),
            next
        );
    }
}

pub fn lot(l: &Lot) {
    println!("{} — {} ({})", l.reference, l.title, l.procurement.title);
    println!("Stage:       {}", l.stage);
    if let Some(r) = &l.abandoned_reason {
        println!("Abandoned:   {r}");
    }
    println!("Status:      {}", l.rag.label());
    println!("Geography:   {}", l.geography);
    if let Some(v) = l.estimated_annual_value {
        println!("Annual value (estimated): {v}");
    }
    if let Some(t) = &l.term {
        println!("Term:        {t}");
    }
    if let Some(v) = l.whole_life_value {
        println!("Whole-life value: {v}");
    }
    if let Some(c) = &l.replaces_contract {
        println!("Replaces:    {} {} ({})", c.reference, c.title, c.provider);
    }
    for p in &l.parts {
        println!("Part {}:      {}", p.code, p.title);
    }
    if !l.milestones.is_empty() {
        println!("\nMilestones:");
        for m in &l.milestones {
            let actual = m
                .actual
                .map(|a| format!("done {}", dates::short(a)))
                .unwrap_or_default();
            println!(
                "  {:<42} planned {}  {:<9} {}",
                m.title,
                dates::short(m.planned),
                m.rag.label(),
                actual
            );
        }
    }
    println!("\nStage history:");
    for h in &l.history {
        let from = h.from.map(|f| format!("{f} → ")).unwrap_or_default();
        let reason = h
            .reason
            .as_deref()
            .map(|r| format!(" — {r}"))
            .unwrap_or_default();
        println!(
            "  {}  {}{}  by {}{}",
            h.at.format("%d/%m/%Y %H:%M"),
            from,
            h.to,
            h.actor,
            reason
        );
    }
}

pub fn contract_table(all: &[Contract]) {
    println!(
        "{:<16}  {:<40}  {:>12}  {:<7}  {:<10}  FINAL END",
        "REFERENCE", "TITLE", "ANNUAL", "TERM", "ENDS"
    );
    for c in all {
        println!(
            "{:<16}  {:<40}  {:>12}  {:<7}  {:<10}  {}",
            cut(&c.reference, 16),
            cut(&c.title, 40),
            c.annual_value.display(),
            c.term.to_string(),
            dates::short(c.dates.current_end),
            dates::short(c.dates.final_possible_end)
        );
    }
}

pub fn radar(list: &[ExpiringContract], months: u32, today: NaiveDate) {
    if list.is_empty() {
        println!(
            "No contracts end within {months} months of {}.",
            dates::long(today)
        );
        return;
    }
    println!(
        "Contracts ending within {months} months of {}:",
        dates::long(today)
    );
    for e in list {
        let c = &e.contract;
        println!("\n{} — {} ({})", c.reference, c.title, c.provider.name);
        println!(
            "  Ends:                        {} ({} days)",
            dates::long(e.current_end),
            e.days_to_current_end
        );
        if let Some(d) = e.extension_decision_by {
            println!("  Decide on extension by:      {}", dates::long(d));
            println!(
                "  Final possible end:          {}",
                dates::long(e.final_possible_end)
            );
        }
        let late = if e.reprocurement_overdue {
            " (overdue)"
        } else {
            ""
        };
        println!(
            "  Start re-procurement by:     {}{late}",
            dates::long(e.reprocure_start_by)
        );
        println!("  {}.", e.termination_notice.rule);
    }
}

pub fn allocation(a: &Allocation) {
    let money = a.unit == "money";
    let what = if money { "AMOUNT" } else { "POSTS" };
    println!(
        "{:<24} {:>12} {:>14} {:>10} {:>14}",
        "AREA", "POPULATION", "QUOTA", "REMAINDER", what
    );
    for r in &a.rows {
        let alloc = match r.amount {
            Some(m) => m.display(),
            None => r.allocation.to_string(),
        };
        let award = if money {
            format!("+{}p", r.remainder_award)
        } else {
            format!("+{}", r.remainder_award)
        };
        println!(
            "{:<24} {:>12} {:>14} {:>10} {:>14}",
            cut(&r.area, 24),
            group_thousands(r.population),
            r.quota,
            award,
            alloc
        );
    }
    let total = a
        .total_amount
        .map(|m| m.display())
        .unwrap_or_else(|| a.total.to_string());
    println!(
        "{:<24} {:>12} {:>14} {:>10} {:>14}",
        "Total",
        group_thousands(a.total_population),
        "",
        "",
        total
    );
    println!("Largest remainder; {}.", a.tie_rule);
}

/// "12 scores from scores.csv (read as Windows-1252)".
pub fn imported(s: &crate::ops::ImportSummary, what: &str) -> String {
    let mut out = format!(
        "{} {what}{} from {}",
        s.rows,
        if s.rows == 1 { "" } else { "s" },
        s.file
    );
    if let Some(r) = &s.read_as {
        out.push_str(&format!(" ({r})"));
    }
    out
}
