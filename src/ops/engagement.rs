//! Market engagement use cases: events (date, format, agenda) with attendees and the
//! questions asked, expressions of interest and potential consortia, or the reasons for
//! having none; with the market's feedback on the draft specification and the UK2 it feeds.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::route::NoticeForm;
use super::{Ctx, long_text, past_date, required};
use crate::domain::dates;
use crate::domain::engagement::{
    Attendee, EngagementQuestion, EngagementRecords, EventFormat, consortium,
};
use crate::domain::ids::LotId;
use crate::domain::roles::Action;
use crate::domain::route::notices::NoticeKind;
use crate::domain::spec::{CommentSource, SpecComment};
use crate::error::Result;
use crate::store::{NewAuditEvent, NewEngagementEvent, NewInterest, Tx};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FormatOption {
    pub format: EventFormat,
    pub label: String,
}

/// Everything the engagement tab shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EngagementView {
    pub lot_id: LotId,
    pub today: NaiveDate,
    pub records: EngagementRecords,
    /// Every organisation that attended or expressed interest, once each.
    pub organisations: Vec<String>,
    /// Comments on the draft specification from the market.
    pub market_feedback: Vec<SpecComment>,
    /// The preliminary market engagement notice, when the route requires one.
    pub uk2: Option<NoticeForm>,
    /// Whether the lot has a route yet: without one, whether a UK2 is needed is not known.
    pub route_recorded: bool,
    pub formats: Vec<FormatOption>,
}

pub async fn view(ctx: &Ctx, lot: LotId) -> Result<EngagementView> {
    let records = records(ctx, lot).await?;
    let market_feedback = super::spec::comments(ctx, lot)
        .await?
        .into_iter()
        .filter(|c| c.source == CommentSource::Market)
        .collect();
    let notices = super::route::notices(ctx, lot).await?;
    let route_recorded = notices.route.is_some();
    let uk2 = notices
        .notices
        .into_iter()
        .find(|n| n.kind == NoticeKind::Uk2);
    Ok(EngagementView {
        lot_id: lot,
        today: ctx.clock.today(),
        organisations: records.organisations(),
        records,
        market_feedback,
        uk2,
        route_recorded,
        formats: EventFormat::ALL
            .iter()
            .map(|f| FormatOption {
                format: *f,
                label: f.label().into(),
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddEngagementEvent {
    pub lot_id: LotId,
    /// 24/11/2026 or 2026-11-24; a planned event may be in the future.
    pub held_on: String,
    /// in_person, online, hybrid or written.
    pub format: String,
    pub title: String,
    pub agenda: String,
}

pub async fn add_event(ctx: &Ctx, input: AddEngagementEvent) -> Result<EngagementView> {
    let w = ctx.act(Action::ManageTender)?;
    let held_on = super::field("heldOn", dates::parse(&input.held_on))?;
    let e = NewEngagementEvent {
        held_on,
        format: EventFormat::parse(&input.format)?,
        title: required("title", "event’s title", &input.title)?,
        agenda: long_text("agenda", "agenda", &input.agenda)?,
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let id = tx.engagement().insert_event(lot, &e, &w).await?;
    let after = serde_json::json!({"eventId": id, "heldOn": e.held_on, "format": e.format, "title": e.title});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "engagement.event_recorded",
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
pub struct AddAttendee {
    pub lot_id: LotId,
    pub event_id: i64,
    pub name: String,
    pub organisation: String,
}

pub async fn add_attendee(ctx: &Ctx, input: AddAttendee) -> Result<EngagementView> {
    let w = ctx.act(Action::ManageTender)?;
    let a = Attendee {
        name: required("name", "attendee’s name", &input.name)?,
        organisation: required(
            "organisation",
            "attendee’s organisation",
            &input.organisation,
        )?,
    };
    let mut tx = ctx.store.begin().await?;
    event_of(&mut *tx, input.lot_id, input.event_id).await?;
    tx.engagement().insert_attendee(input.event_id, &a).await?;
    let after = serde_json::json!({"eventId": input.event_id, "attendee": a});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "engagement.attendee_added",
            input.lot_id,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddEngagementQuestion {
    pub lot_id: LotId,
    pub event_id: i64,
    pub question: String,
    pub answer: String,
}

pub async fn add_question(ctx: &Ctx, input: AddEngagementQuestion) -> Result<EngagementView> {
    let w = ctx.act(Action::ManageTender)?;
    let q = EngagementQuestion {
        question: long_text("question", "question asked", &input.question)?,
        answer: long_text("answer", "answer given", &input.answer)?,
    };
    let mut tx = ctx.store.begin().await?;
    event_of(&mut *tx, input.lot_id, input.event_id).await?;
    tx.engagement().insert_question(input.event_id, &q).await?;
    let after = serde_json::json!({"eventId": input.event_id, "question": q});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "engagement.question_recorded",
            input.lot_id,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddInterest {
    pub lot_id: LotId,
    pub organisation: String,
    pub received_on: String,
    /// The other members of a potential consortium, `;` between them (optional).
    pub consortium_with: String,
    pub note: String,
}

pub async fn add_interest(ctx: &Ctx, input: AddInterest) -> Result<EngagementView> {
    let w = ctx.act(Action::ManageTender)?;
    let organisation = required("organisation", "organisation’s name", &input.organisation)?;
    let members = consortium(&input.consortium_with);
    if let Some(m) = members
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&organisation))
    {
        return Err(crate::error::Error::validation(
            "consortiumWith",
            format!("{m} is the organisation itself; list only the other members"),
        ));
    }
    let i = NewInterest {
        organisation,
        received_on: past_date("receivedOn", "date received", &input.received_on, w.today)?,
        consortium_with: members,
        note: input.note.trim().to_string(),
    };
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, input.lot_id).await?;
    tx.engagement()
        .insert_interest(input.lot_id, &i, &w)
        .await?;
    let after = serde_json::json!({"organisation": i.organisation, "receivedOn": i.received_on, "consortiumWith": i.consortium_with});
    tx.audit()
        .append(NewAuditEvent::on_lot(
            &w,
            "engagement.interest_recorded",
            input.lot_id,
            &after,
        ))
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

/// Records why there was no preliminary market engagement: the tender notice gives it.
pub async fn set_no_engagement_reason(
    ctx: &Ctx,
    lot: LotId,
    reason: &str,
) -> Result<EngagementView> {
    let w = ctx.act(Action::ManageTender)?;
    let reason = long_text(
        "reason",
        "reason for having no preliminary market engagement",
        reason,
    )?;
    if reason.chars().count() < 10 {
        return Err(crate::error::Error::validation(
            "reason",
            "give the reason in a sentence (at least 10 characters); it is published in the tender notice",
        ));
    }
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let before = tx.engagement().records(lot).await?.no_engagement_reason;
    tx.engagement()
        .set_no_engagement_reason(lot, &reason, &w)
        .await?;
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "engagement.none_reason_recorded", "lot", Some(lot.0))
                .before_opt(before.map(|r| serde_json::json!({"reason": r})).as_ref())
                .after(&serde_json::json!({"reason": reason})),
        )
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

/// The lot's engagement records; not found, named, for a lot that does not exist.
pub async fn records(ctx: &Ctx, lot: LotId) -> Result<EngagementRecords> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.engagement().records(lot).await
}

/// An attendee or question is recorded against an event of the lot named, not another's.
async fn event_of(tx: &mut dyn Tx, lot: LotId, event: i64) -> Result<()> {
    match tx.engagement().event_lot(event).await? {
        Some(l) if l == lot => Ok(()),
        _ => Err(crate::error::Error::validation(
            "event",
            format!("engagement event {event} is not an event of lot {lot}"),
        )),
    }
}
