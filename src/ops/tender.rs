//! Tender use cases: the closing time, clarification questions (published without the
//! asker's name) and answers, the bid receipt log with late bids flagged and decided, and
//! the hand-over of the bids to evaluation once the deadline has passed.
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Ctx, field, long_text, past_date, required};
use crate::domain::dates;
use crate::domain::ids::LotId;
use crate::domain::milestone::{CLARIFICATION_DEADLINE, SUBMISSION_DEADLINE, TENDER_NOTICE};
use crate::domain::money::Money;
use crate::domain::roles::Action;
use crate::domain::route::time_limits::DateCheck;
use crate::domain::stage::Stage;
use crate::domain::tender::{
    self, BidReceipt, Clarification, DEFAULT_CLOSING_TIME, LateDecision, TenderOpened,
};
use crate::error::{Error, Result};
use crate::store::{NewAuditEvent, NewBid, NewBidReceipt, NewClarification};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClarificationRow {
    #[serde(flatten)]
    pub clarification: Clarification,
    /// Received after the clarification deadline.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptRow {
    #[serde(flatten)]
    pub receipt: BidReceipt,
    /// Received after the submission deadline's closing time.
    pub late: bool,
    /// "On time", "Late: decision needed", "Late: accepted", "Late: rejected", then
    /// "with evaluation" once handed over.
    pub status: String,
}

/// Everything the tender tab shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TenderView {
    pub lot_id: LotId,
    pub stage: Stage,
    /// Set when the lot entered the tender stage: the specification version referenced.
    pub opened: Option<TenderOpened>,
    pub notice_date: Option<NaiveDate>,
    pub clarification_deadline: Option<NaiveDate>,
    pub submission_deadline: Option<NaiveDate>,
    /// The submission deadline with its closing time.
    pub closes_at: Option<NaiveDateTime>,
    /// The dates against the route's minimum time limits.
    pub date_checks: Vec<DateCheck>,
    pub clarifications: Vec<ClarificationRow>,
    pub receipts: Vec<ReceiptRow>,
    /// Bids ready to go to evaluation now.
    pub ready_for_evaluation: usize,
    /// Why bids cannot go to evaluation yet (empty when they can, or none are waiting).
    pub evaluation_blockers: Vec<String>,
}

fn closing_time(opened: Option<&TenderOpened>) -> chrono::NaiveTime {
    opened
        .and_then(|o| tender::parse_time(&o.closing_time).ok())
        .unwrap_or_else(|| tender::parse_time(DEFAULT_CLOSING_TIME).expect("valid default"))
}

/// Which receipts may go to evaluation and what stops the rest.
fn readiness(
    rows: &[ReceiptRow],
    closes: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> (Vec<&ReceiptRow>, Vec<String>) {
    let waiting: Vec<&ReceiptRow> = rows.iter().filter(|r| r.receipt.bid_id.is_none()).collect();
    let mut blockers = Vec::new();
    if waiting.is_empty() {
        return (Vec::new(), blockers);
    }
    // Nothing is opened before the deadline, whatever else is ready.
    let open = match closes {
        None => {
            blockers.push("a submission deadline (the lot's milestones)".to_string());
            false
        }
        Some(c) if now <= c => {
            blockers.push(format!(
                "the submission deadline to pass: bids are opened after {} on {}",
                c.format("%H:%M"),
                dates::long(c.date())
            ));
            false
        }
        _ => true,
    };
    for r in waiting
        .iter()
        .filter(|r| r.late && r.receipt.decision.is_none())
    {
        blockers.push(format!(
            "a decision on the late bid from {}",
            r.receipt.supplier
        ));
    }
    let ready = waiting
        .into_iter()
        .filter(|r| open && (!r.late || r.receipt.decision == Some(LateDecision::Accepted)))
        .collect();
    (ready, blockers)
}

fn now_local(ctx: &Ctx) -> NaiveDateTime {
    // Deadlines are in UK time, as the officer's machine keeps it.
    ctx.clock.now().with_timezone(&chrono::Local).naive_local()
}

pub async fn view(ctx: &Ctx, lot_id: LotId) -> Result<TenderView> {
    let lot = super::lots::show(ctx, lot_id).await?;
    let records = records(ctx, lot_id).await?;
    let clarification_deadline = lot.milestone_date(CLARIFICATION_DEADLINE);
    let submission_deadline = lot.milestone_date(SUBMISSION_DEADLINE);
    let closes_at =
        submission_deadline.map(|d| tender::closing(d, closing_time(records.opened.as_ref())));
    let receipts: Vec<ReceiptRow> = records
        .receipts
        .into_iter()
        .map(|r| {
            let late = closes_at.is_some_and(|c| tender::is_late(r.received_at, c));
            let mut status = match (late, r.decision) {
                (false, _) => "On time".to_string(),
                (true, None) => "Late: decision needed".to_string(),
                (true, Some(LateDecision::Accepted)) => "Late: accepted".to_string(),
                (true, Some(LateDecision::Rejected)) => "Late: rejected".to_string(),
            };
            if r.bid_id.is_some() {
                status.push_str(", with evaluation");
            }
            ReceiptRow {
                receipt: r,
                late,
                status,
            }
        })
        .collect();
    let (ready, evaluation_blockers) = readiness(&receipts, closes_at, now_local(ctx));
    let ready_for_evaluation = ready.len();
    Ok(TenderView {
        lot_id,
        stage: lot.stage,
        notice_date: lot.milestone_date(TENDER_NOTICE),
        clarification_deadline,
        submission_deadline,
        closes_at,
        date_checks: super::route::view(ctx, lot_id).await?.tender_checks,
        clarifications: records
            .clarifications
            .into_iter()
            .map(|c| ClarificationRow {
                late: clarification_deadline.is_some_and(|d| c.received_on > d),
                clarification: c,
            })
            .collect(),
        receipts,
        ready_for_evaluation,
        evaluation_blockers,
        opened: records.opened,
    })
}

pub async fn set_closing_time(ctx: &Ctx, lot: LotId, time: &str) -> Result<TenderView> {
    let w = ctx.act(Action::ManageTender)?;
    let t = tender::parse_time(time)?;
    let time = t.format("%H:%M").to_string();
    let mut tx = ctx.store.begin().await?;
    tender::stage_allows(
        super::lots::require(&mut *tx, lot).await?,
        &[Stage::Tender],
        "the closing time can be changed",
    )?;
    let before = tx
        .tender()
        .records(lot)
        .await?
        .opened
        .map(|o| o.closing_time);
    tx.tender().set_closing_time(lot, &time).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "tender.closing_time_set", "lot", Some(lot.0))
                .before_opt(
                    before
                        .map(|b| serde_json::json!({"closingTime": b}))
                        .as_ref(),
                )
                .after(&serde_json::json!({"closingTime": time})),
        )
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddClarification {
    pub lot_id: LotId,
    pub received_on: String,
    /// Who asked: kept for the record, never published.
    pub asked_by: String,
    /// The question as it will be published to every bidder, without the asker's name.
    pub question: String,
}

pub async fn add_clarification(ctx: &Ctx, input: AddClarification) -> Result<TenderView> {
    let w = ctx.act(Action::ManageTender)?;
    let asked_by = required("askedBy", "name of the bidder who asked", &input.asked_by)?;
    let question = long_text("question", "question", &input.question)?;
    if let Some(name) = tender::names_asker(&question, &asked_by) {
        return Err(Error::validation(
            "question",
            format!(
                "the question names the bidder who asked it (“{name}”): take the name out, as questions are published to every bidder without saying who asked"
            ),
        ));
    }
    let c = NewClarification {
        received_on: past_date("receivedOn", "date received", &input.received_on, w.today)?,
        asked_by,
        question,
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    tender::stage_allows(
        super::lots::require(&mut *tx, lot).await?,
        &[Stage::Tender],
        "clarification questions can be recorded",
    )?;
    let number = tx
        .tender()
        .records(lot)
        .await?
        .clarifications
        .iter()
        .map(|c| c.number)
        .max()
        .unwrap_or(0)
        + 1;
    tx.tender()
        .insert_clarification(lot, number, &c, &w)
        .await?;
    let after = serde_json::json!({"number": number, "receivedOn": c.received_on, "askedBy": c.asked_by, "question": c.question});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "tender.clarification_received",
            lot,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublishClarification {
    pub lot_id: LotId,
    pub number: u32,
    /// The answer, published to every bidder.
    pub answer: String,
    pub published_on: String,
}

pub async fn publish_clarification(ctx: &Ctx, input: PublishClarification) -> Result<TenderView> {
    let w = ctx.act(Action::ManageTender)?;
    let answer = long_text("answer", "answer", &input.answer)?;
    let on = past_date(
        "publishedOn",
        "publication date",
        &input.published_on,
        w.today,
    )?;
    let (lot, number) = (input.lot_id, input.number);
    let mut tx = ctx.store.begin().await?;
    tender::stage_allows(
        super::lots::require(&mut *tx, lot).await?,
        &[Stage::Tender],
        "clarifications can be answered",
    )?;
    let records = tx.tender().records(lot).await?;
    let question = records.clarifications.iter().find(|c| c.number == number);
    tender::may_publish(lot, number, question, on)?;
    tx.tender()
        .publish_clarification(lot, number, &answer, on)
        .await?;
    let after = serde_json::json!({"number": number, "answer": answer, "publishedOn": on});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "tender.clarification_published",
            lot,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordBidReceipt {
    pub lot_id: LotId,
    pub supplier: String,
    /// Companies House or charity number (optional).
    pub registration_number: String,
    /// Other consortium members as `Name (number); Name` (optional).
    pub members: String,
    /// The annual price tendered, e.g. £1,395,000.
    pub price: String,
    /// As the portal logged it: 24/11/2026 11:58.
    pub received_at: String,
}

pub async fn record_receipt(ctx: &Ctx, input: RecordBidReceipt) -> Result<TenderView> {
    let w = ctx.act(Action::ManageTender)?;
    let lead = field(
        "registrationNumber",
        super::eval::registration(&input.supplier, &input.registration_number),
    )?;
    if lead.name.is_empty() {
        return Err(Error::validation("supplier", "enter the bidder’s name"));
    }
    field("members", super::eval::members(&input.members))?;
    let price = field("price", Money::parse(&input.price))?;
    if price.pence() <= 0 {
        return Err(Error::validation("price", "the price must be above £0"));
    }
    let received_at = tender::parse_received(&input.received_at)?;
    if received_at.date() > w.today {
        return Err(Error::validation(
            "receivedAt",
            format!(
                "{} is in the future: log a bid once it has arrived",
                dates::long(received_at.date())
            ),
        ));
    }
    let r = NewBidReceipt {
        supplier: lead.name,
        registration_number: input.registration_number.trim().to_string(),
        members: input.members.trim().to_string(),
        price,
        received_at,
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    tender::stage_allows(
        super::lots::require(&mut *tx, lot).await?,
        &[Stage::Tender],
        "bids can be logged as received",
    )?;
    if tx
        .tender()
        .records(lot)
        .await?
        .receipts
        .iter()
        .any(|x| x.supplier.to_lowercase() == r.supplier.to_lowercase())
    {
        return Err(Error::validation(
            "supplier",
            format!(
                "a bid from {} is already in the receipt log for this lot",
                r.supplier
            ),
        ));
    }
    tx.tender().insert_receipt(lot, &r, &w).await?;
    let received = r.received_at.format("%Y-%m-%dT%H:%M").to_string();
    let after =
        serde_json::json!({"supplier": r.supplier, "receivedAt": received, "price": r.price});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "tender.bid_received",
            lot,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DecideLateBid {
    pub lot_id: LotId,
    pub receipt_id: i64,
    /// accepted or rejected.
    pub decision: String,
    /// Why, e.g. the portal's outage log shows the upload started before the deadline.
    pub reason: String,
}

pub async fn decide_late(ctx: &Ctx, input: DecideLateBid) -> Result<TenderView> {
    let w = ctx.act(Action::ManageTender)?;
    let decision = LateDecision::parse(&input.decision)?;
    let reason = long_text("reason", "reason for the decision", &input.reason)?;
    let current = view(ctx, input.lot_id).await?;
    let row = current
        .receipts
        .iter()
        .find(|r| r.receipt.id == input.receipt_id)
        .ok_or_else(|| {
            Error::not_found(format!(
                "bid receipt {} on lot {}",
                input.receipt_id, input.lot_id
            ))
        })?;
    if !row.late {
        return Err(Error::validation(
            "decision",
            format!(
                "the bid from {} arrived on time; only a late bid needs a decision",
                row.receipt.supplier
            ),
        ));
    }
    let (lot, receipt) = (input.lot_id, input.receipt_id);
    let mut tx = ctx.store.begin().await?;
    tender::stage_allows(
        super::lots::require(&mut *tx, lot).await?,
        &[Stage::Tender, Stage::Evaluation],
        "a late bid can be decided",
    )?;
    let records = tx.tender().records(lot).await?;
    let Some(r) = records.receipts.iter().find(|r| r.id == receipt) else {
        return Err(Error::not_found(format!(
            "bid receipt {receipt} on lot {lot}"
        )));
    };
    if r.decision.is_some() {
        return Err(Error::conflict(format!(
            "the decision on {}’s late bid is already recorded",
            r.supplier
        )));
    }
    tx.tender()
        .decide_late(receipt, decision, &reason, &w)
        .await?;
    let after = serde_json::json!({"supplier": r.supplier, "decision": decision, "reason": reason});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "tender.late_bid_decided",
            lot,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

/// Hands every bid that may be evaluated (on time, or late and accepted) to the evaluation,
/// all or nothing; refused before the deadline or while a late bid awaits its decision.
pub async fn send_to_evaluation(ctx: &Ctx, lot: LotId) -> Result<TenderView> {
    let w = ctx.act(Action::SetUpEvaluation)?;
    ctx.role.require(Action::ManageTender)?;
    let current = view(ctx, lot).await?;
    let (ready, blockers) = readiness(&current.receipts, current.closes_at, now_local(ctx));
    if !blockers.is_empty() {
        let mut e = Error::new(
            crate::error::ErrorCode::GatesFailed,
            format!(
                "the bids cannot go to evaluation yet: it needs {}",
                blockers.join("; ")
            ),
        );
        e.details = blockers;
        return Err(e);
    }
    if ready.is_empty() {
        return Err(Error::conflict(
            "no logged bid is waiting to go to evaluation",
        ));
    }
    let mut bids = Vec::new();
    for r in ready {
        let lead = super::eval::registration(&r.receipt.supplier, &r.receipt.registration_number)?;
        bids.push((
            r.receipt.id,
            NewBid {
                line: None,
                lot,
                lead,
                members: super::eval::members(&r.receipt.members)?,
                price: r.receipt.price,
            },
        ));
    }
    let mut tx = ctx.store.begin().await?;
    tender::stage_allows(
        super::lots::require(&mut *tx, lot).await?,
        &[Stage::Tender, Stage::Evaluation],
        "bids can be passed to evaluation",
    )?;
    let (receipts, new): (Vec<i64>, Vec<NewBid>) = bids.into_iter().unzip();
    let ids = super::eval::record::import_bids_in(&mut *tx, &w, new).await?;
    for (receipt, bid) in receipts.iter().zip(&ids) {
        if !tx.tender().link_receipt(lot, *receipt, *bid).await? {
            return Err(Error::conflict(format!(
                "bid receipt {receipt} has already been passed to evaluation"
            )));
        }
    }
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "tender.bids_to_evaluation",
            lot,
            &serde_json::json!({"receipts": receipts, "bids": ids}),
        ))
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

/// The lot's tender records; not found, named, for a lot that does not exist.
pub async fn records(ctx: &Ctx, lot: LotId) -> Result<crate::domain::tender::TenderRecords> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.tender().records(lot).await
}
