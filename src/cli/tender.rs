//! `lotwise engagement` and `lotwise tender`: market engagement records, and the tender's
//! clarifications, bid receipt log, late-bid decisions and hand-over to evaluation.
use super::LotRef;
use clap::Subcommand;

use super::json;
use crate::domain::dates::{long, short};
use crate::error::Result;
use crate::ops::Ctx;
use crate::ops::engagement::{self, AddEngagementEvent, AddInterest, EngagementView};
use crate::ops::tender::{
    self, AddClarification, DecideLateBid, PublishClarification, RecordBidReceipt, TenderView,
};

#[derive(Subcommand, Debug)]
pub enum EngagementCmd {
    /// Events, attendees, questions, expressions of interest and the UK2's state.
    Show {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// Record an engagement event (held, or planned).
    Event {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        title: String,
        #[arg(long)]
        on: String,
        /// in_person, online, hybrid or written.
        #[arg(long)]
        format: String,
        #[arg(long)]
        agenda: String,
        #[arg(long)]
        json: bool,
    },
    /// Record an expression of interest, alone or as a potential consortium.
    Interest {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        on: String,
        /// The other members, `;` between them.
        #[arg(long, default_value = "")]
        consortium: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Record why there was no preliminary market engagement (the tender notice says so).
    None {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TenderCmd {
    /// Dates, the specification referenced, clarifications and the bid receipt log.
    Show {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// The time submissions close on the submission deadline (24-hour clock, UK time).
    ClosingTime {
        #[command(flatten)]
        lot: LotRef,
        time: String,
        #[arg(long)]
        json: bool,
    },
    /// Record a clarification question, written as it will be published (no bidder's name).
    Clarification {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        on: String,
        /// The bidder who asked: kept for the record, never published.
        #[arg(long)]
        asked_by: String,
        #[arg(long)]
        question: String,
        #[arg(long)]
        json: bool,
    },
    /// Publish the answer to clarification question NUMBER to every bidder.
    Answer {
        #[command(flatten)]
        lot: LotRef,
        number: u32,
        #[arg(long)]
        answer: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        json: bool,
    },
    /// Log a bid as received, with the time the portal recorded.
    Receipt {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        supplier: String,
        #[arg(long, default_value = "")]
        registration: String,
        #[arg(long, default_value = "")]
        members: String,
        /// The annual price tendered.
        #[arg(long)]
        price: String,
        /// "24/11/2026 11:58".
        #[arg(long)]
        received: String,
        #[arg(long)]
        json: bool,
    },
    /// Record the decision on a late bid: accepted or rejected, with the reason.
    Late {
        #[command(flatten)]
        lot: LotRef,
        receipt: i64,
        #[arg(long)]
        decision: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Pass every bid that may be evaluated to the evaluation (after the deadline).
    ToEvaluation {
        #[command(flatten)]
        lot: LotRef,
        #[arg(long)]
        json: bool,
    },
}

fn print_engagement(v: &EngagementView) {
    let r = &v.records;
    if r.events.is_empty() {
        match &r.no_engagement_reason {
            Some(reason) => println!("No preliminary market engagement: {reason}"),
            None => println!("No engagement events recorded."),
        }
    }
    for e in &r.events {
        println!(
            "{} — {} ({}{}): {}",
            long(e.held_on),
            e.title,
            e.format.label().to_lowercase(),
            if e.held_on > v.today { ", planned" } else { "" },
            e.agenda
        );
        for a in &e.attendees {
            println!("  Attended: {}, {}", a.name, a.organisation);
        }
        for q in &e.questions {
            println!("  Q: {}\n  A: {}", q.question, q.answer);
        }
    }
    for i in &r.interests {
        let with = if i.consortium_with.is_empty() {
            String::new()
        } else {
            format!(
                " (potential consortium with {})",
                i.consortium_with.join(", ")
            )
        };
        println!(
            "Interest: {} on {}{with}",
            i.organisation,
            short(i.received_on)
        );
    }
    for c in &v.market_feedback {
        println!(
            "Feedback on “{}” (version {}): {} — {}",
            c.heading, c.version, c.organisation, c.comment
        );
    }
    if let Some(uk2) = &v.uk2 {
        println!(
            "UK2: {:?}{}",
            uk2.status,
            if uk2.missing.is_empty() {
                String::new()
            } else {
                format!("; needs {}", uk2.missing.join("; "))
            }
        );
    }
}

fn print_tender(v: &TenderView) {
    match &v.opened {
        Some(o) => println!(
            "Tender opened by {}; it references specification version {}.",
            o.opened_by, o.spec_version
        ),
        None => println!("The lot has not entered the tender stage."),
    }
    let d = |x: Option<chrono::NaiveDate>| x.map(long).unwrap_or_else(|| "not planned".into());
    println!("Tender notice: {}", d(v.notice_date));
    println!("Clarification deadline: {}", d(v.clarification_deadline));
    match v.closes_at {
        Some(c) => println!(
            "Submissions close: {} on {}",
            c.format("%H:%M"),
            long(c.date())
        ),
        None => println!("Submissions close: not planned"),
    }
    for c in &v.date_checks {
        println!("  {} {}", if c.ok { "Meets:" } else { "Fails:" }, c.message);
    }
    for row in &v.clarifications {
        let c = &row.clarification;
        println!(
            "CQ{} received {}{} (asked by {}, not published): {}",
            c.number,
            short(c.received_on),
            if row.late {
                ", after the clarification deadline"
            } else {
                ""
            },
            c.asked_by,
            c.question
        );
        match (&c.answer, c.published_on) {
            (Some(a), Some(on)) => println!("  Answer published {}: {a}", short(on)),
            _ => println!("  Not yet answered"),
        }
    }
    for row in &v.receipts {
        let r = &row.receipt;
        println!(
            "Receipt {}: {} at {} — {} a year — {}",
            r.id,
            r.supplier,
            r.received_at.format("%d/%m/%Y %H:%M"),
            r.price.display(),
            row.status
        );
    }
    if v.ready_for_evaluation > 0 {
        println!(
            "{} bid(s) ready to go to evaluation.",
            v.ready_for_evaluation
        );
    }
    for b in &v.evaluation_blockers {
        println!("Before evaluation: {b}");
    }
}

pub async fn engagement(ctx: &Ctx, cmd: EngagementCmd) -> Result<()> {
    let (v, as_json) = match cmd {
        EngagementCmd::Show { lot, json } => {
            (engagement::view(ctx, lot.id(ctx).await?).await?, json)
        }
        EngagementCmd::Event {
            lot,
            title,
            on,
            format,
            agenda,
            json,
        } => (
            engagement::add_event(
                ctx,
                AddEngagementEvent {
                    lot_id: lot.id(ctx).await?,
                    held_on: on,
                    format,
                    title,
                    agenda,
                },
            )
            .await?,
            json,
        ),
        EngagementCmd::Interest {
            lot,
            organisation,
            on,
            consortium,
            note,
            json,
        } => (
            engagement::add_interest(
                ctx,
                AddInterest {
                    lot_id: lot.id(ctx).await?,
                    organisation,
                    received_on: on,
                    consortium_with: consortium,
                    note,
                },
            )
            .await?,
            json,
        ),
        EngagementCmd::None { lot, reason, json } => (
            engagement::set_no_engagement_reason(ctx, lot.id(ctx).await?, &reason).await?,
            json,
        ),
    };
    if as_json {
        json(&v)
    } else {
        print_engagement(&v)
    }
    Ok(())
}

pub async fn tender(ctx: &Ctx, cmd: TenderCmd) -> Result<()> {
    let (v, as_json) = match cmd {
        TenderCmd::Show { lot, json } => (tender::view(ctx, lot.id(ctx).await?).await?, json),
        TenderCmd::ClosingTime { lot, time, json } => (
            tender::set_closing_time(ctx, lot.id(ctx).await?, &time).await?,
            json,
        ),
        TenderCmd::Clarification {
            lot,
            on,
            asked_by,
            question,
            json,
        } => (
            tender::add_clarification(
                ctx,
                AddClarification {
                    lot_id: lot.id(ctx).await?,
                    received_on: on,
                    asked_by,
                    question,
                },
            )
            .await?,
            json,
        ),
        TenderCmd::Answer {
            lot,
            number,
            answer,
            on,
            json,
        } => (
            tender::publish_clarification(
                ctx,
                PublishClarification {
                    lot_id: lot.id(ctx).await?,
                    number,
                    answer,
                    published_on: on,
                },
            )
            .await?,
            json,
        ),
        TenderCmd::Receipt {
            lot,
            supplier,
            registration,
            members,
            price,
            received,
            json,
        } => (
            tender::record_receipt(
                ctx,
                RecordBidReceipt {
                    lot_id: lot.id(ctx).await?,
                    supplier,
                    registration_number: registration,
                    members,
                    price,
                    received_at: received,
                },
            )
            .await?,
            json,
        ),
        TenderCmd::Late {
            lot,
            receipt,
            decision,
            reason,
            json,
        } => (
            tender::decide_late(
                ctx,
                DecideLateBid {
                    lot_id: lot.id(ctx).await?,
                    receipt_id: receipt,
                    decision,
                    reason,
                },
            )
            .await?,
            json,
        ),
        TenderCmd::ToEvaluation { lot, json } => (
            tender::send_to_evaluation(ctx, lot.id(ctx).await?).await?,
            json,
        ),
    };
    if as_json {
        json(&v)
    } else {
        print_tender(&v)
    }
    Ok(())
}
