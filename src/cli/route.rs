//! `lotwise route`, `lotwise conflicts` and `lotwise notices`: the route to market of a lot,
//! its conflicts assessment, and the notices the route requires.
use super::LotRef;
use clap::Args;

use super::json;
use crate::docs::capitalised;
use crate::domain::dates::long;
use crate::error::{Error, Result};
use crate::ops::route::{
    NoticeStatus, NoticesView, PublishNotice, RecordConflicts, RouteView, SetRoute,
};
use crate::ops::{self, Ctx};

#[derive(Args, Debug)]
pub struct RouteArgs {
    #[command(flatten)]
    pub lot: LotRef,
    /// Record the route: open, competitive_flexible, direct_award, framework_call_off,
    /// light_touch, psr_direct_a, psr_direct_b, psr_direct_c, psr_most_suitable,
    /// psr_competitive, section_75, extension or grant.
    #[arg(long, value_name = "ROUTE", requires = "reason")]
    pub set: Option<String>,
    /// Why this route (required with --set).
    #[arg(long)]
    pub reason: Option<String>,
    /// For direct awards and extensions: the ground relied on.
    #[arg(long, default_value = "")]
    pub justification: String,
    /// sub_central (councils) or central.
    #[arg(long, default_value = "sub_central")]
    pub authority: String,
    /// services, goods or works.
    #[arg(long, default_value = "services")]
    pub kind: String,
    /// VAT is charged on the contract (thresholds are tested including it).
    #[arg(long)]
    pub vat: bool,
    /// Whether tenders may be submitted electronically (s54(4)): yes or no.
    #[arg(long, value_name = "yes|no", default_value = "yes")]
    pub electronic: String,
    /// Whether the tender notice and every associated tender document are provided at the
    /// same time (s54(4)): yes or no.
    #[arg(long, value_name = "yes|no", default_value = "yes")]
    pub documents_with_notice: String,
    /// The state of urgency relied on for the 10-day minimum, with why any other minimum is
    /// impractical (s54(4) row 5). A planned procurement notice is not claimed here: record
    /// the UK3 with `notices LOT --publish uk3 --on DATE` and its date decides (s15(3)).
    #[arg(long, value_name = "REASON", default_value = "")]
    pub urgency: String,
    /// Gone: it merged three rows of s54(4). Use --electronic no (and --documents-with-notice).
    #[arg(long, hide = true)]
    pub paper_tenders: bool,
    /// Gone: it merged a planned procurement notice with urgency. Record the UK3 with its
    /// date, or give --urgency REASON.
    #[arg(long, hide = true)]
    pub reduced_period: bool,
    #[arg(long)]
    pub json: bool,
}

fn yes_no(flag: &str, v: &str) -> Result<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        other => Err(Error::validation(
            flag,
            format!("“{other}” is not yes or no"),
        )),
    }
}

#[derive(Args, Debug)]
pub struct ConflictsArgs {
    #[command(flatten)]
    pub lot: LotRef,
    /// The date of the assessment (2026-09-20 or 20/09/2026).
    #[arg(long)]
    pub on: String,
    /// The people and roles assessed.
    #[arg(long)]
    pub scope: String,
    /// Conflicts found, or "none identified".
    #[arg(long)]
    pub findings: String,
    #[arg(long, default_value = "")]
    pub mitigations: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct NoticesArgs {
    #[command(flatten)]
    pub lot: LotRef,
    /// Record a notice as published: uk2, uk3, uk4, uk5, uk6, uk7, uk10, psr_contract,
    /// psr_intention, psr_direct_award or psr_confirmation.
    #[arg(long, value_name = "KIND", requires = "on")]
    pub publish: Option<String>,
    /// The date it was published.
    #[arg(long)]
    pub on: Option<String>,
    /// Its identifier on Find a Tender.
    #[arg(long, default_value = "")]
    pub reference: String,
    #[arg(long)]
    pub json: bool,
}

fn show_route(v: &RouteView) {
    let Some(a) = &v.assessment else {
        println!(
            "No route to market recorded (record one with `lotwise route LOT --set ROUTE --reason ...`)."
        );
        print_gate(v);
        return;
    };
    println!("Route: {}", a.route_label);
    println!("Reason: {}", a.choice.reason);
    if let Some(j) = &a.choice.justification {
        println!("Justification: {j}");
    }
    if let Some(val) = &a.value {
        println!(
            "Value: {} a year for {} months = {} net; VAT {}; {} in all",
            val.annual.display(),
            val.term_months,
            val.net.display(),
            val.vat,
            val.including_vat.display()
        );
    }
    println!("{}.", a.outcome);
    for r in &a.rules {
        println!("  - {r}");
    }
    for p in &a.problems {
        println!("Problem: {}", capitalised(p));
    }
    if !a.notices.is_empty() {
        let codes: Vec<String> = a
            .notices
            .iter()
            .map(|k| format!("{} {}", k.code(), k.title().to_lowercase()))
            .collect();
        println!("Notices required: {}", codes.join("; "));
    }
    for c in &v.tender_checks {
        println!(
            "{} {}",
            if c.ok { "OK  " } else { "FAIL" },
            capitalised(&c.message)
        );
    }
    match v.conflicts.first() {
        Some(c) => println!(
            "Conflicts assessment: {} by {}: {}",
            long(c.assessed_on),
            c.recorded_by,
            c.findings
        ),
        None => println!("Conflicts assessment: none recorded"),
    }
    if let Some(items) = &v.section75 {
        let agreed = items.iter().filter(|i| i.agreed).count();
        println!(
            "Section 75 agreement: {agreed} of {} elements agreed",
            items.len()
        );
        for i in items {
            println!("  [{}] {}", if i.agreed { "x" } else { " " }, i.title);
        }
    }
    print_gate(v);
}

fn print_gate(v: &RouteView) {
    use crate::domain::stage::Stage;
    if !matches!(v.stage, Stage::MarketEngagement | Stage::DraftSpecification) {
        return;
    }
    if v.tender_gate.is_empty() {
        println!("Ready for the tender stage.");
    } else {
        println!("Before the tender stage the lot needs:");
        for m in &v.tender_gate {
            println!("  - {m}");
        }
    }
}

fn show_notices(v: &NoticesView) {
    if let Some(n) = &v.note {
        println!("{n}");
    }
    for f in &v.notices {
        let status = match (&f.status, &f.published) {
            (NoticeStatus::Published, Some(p)) => format!("published {}", long(p.published_on)),
            (NoticeStatus::Ready, _) => "ready".into(),
            _ => "draft".into(),
        };
        let due = f.due.map(long).unwrap_or_else(|| "date not planned".into());
        println!(
            "{} {}: {status}; due {due} ({}){}",
            f.code,
            f.title,
            f.due_rule,
            if f.overdue { " OVERDUE" } else { "" }
        );
        for m in &f.missing {
            println!("    missing: {m}");
        }
    }
}

pub async fn route(ctx: &Ctx, a: RouteArgs) -> Result<()> {
    if a.paper_tenders {
        return Err(Error::validation(
            "paperTenders",
            "--paper-tenders is gone: it merged three rows of s54(4). Say --electronic no, and --documents-with-notice yes (row 9, 30 days) or no (row 10, 35 days); or --electronic yes --documents-with-notice no (row 8, 30 days)",
        ));
    }
    if a.reduced_period {
        return Err(Error::validation(
            "reducedPeriod",
            "--reduced-period is gone: a planned procurement notice shortens the period only if it qualifies under s15(3), so record it with `lotwise notices LOT --publish uk3 --on DATE` and its date decides; for urgency give --urgency REASON (s54(4) row 5)",
        ));
    }
    let lot = a.lot.id(ctx).await?;
    let v = match a.set {
        Some(route) => {
            ops::route::set_route(
                ctx,
                SetRoute {
                    lot_id: lot,
                    route,
                    reason: a.reason.unwrap_or_default(),
                    justification: a.justification,
                    authority: a.authority,
                    kind: a.kind,
                    vat_chargeable: a.vat,
                    electronic: yes_no("electronic", &a.electronic)?,
                    documents_with_notice: yes_no("documentsWithNotice", &a.documents_with_notice)?,
                    urgency: a.urgency,
                },
            )
            .await?
        }
        None => ops::route::view(ctx, lot).await?,
    };
    if a.json {
        json(&v)
    } else {
        show_route(&v)
    }
    Ok(())
}

pub async fn conflicts(ctx: &Ctx, a: ConflictsArgs) -> Result<()> {
    let v = ops::route::record_conflicts(
        ctx,
        RecordConflicts {
            lot_id: a.lot.id(ctx).await?,
            assessed_on: a.on,
            scope: a.scope,
            findings: a.findings,
            mitigations: a.mitigations,
        },
    )
    .await?;
    if a.json {
        json(&v)
    } else {
        show_route(&v)
    }
    Ok(())
}

pub async fn notices(ctx: &Ctx, a: NoticesArgs) -> Result<()> {
    let lot = a.lot.id(ctx).await?;
    let v = match a.publish {
        Some(kind) => {
            let on = a
                .on
                .ok_or_else(|| Error::validation("on", "give the date the notice was published"))?;
            ops::route::publish_notice(
                ctx,
                PublishNotice {
                    lot_id: lot,
                    kind,
                    published_on: on,
                    reference: a.reference,
                },
            )
            .await?
        }
        None => ops::route::notices(ctx, lot).await?,
    };
    if a.json {
        json(&v)
    } else {
        show_notices(&v)
    }
    Ok(())
}
