//! Market engagement records: events with attendees and questions, expressions of interest,
//! and the reasons for having none. Each write is audited against its lot.
use super::Conn;
use super::rows::Day;
use super::rows::decode;
use sqlx::FromRow;

use super::rows::{date, iso, unreadable};

use super::rows::timestamp;
use crate::domain::engagement::{
    Attendee, EngagementEvent, EngagementQuestion, EngagementRecords, EventFormat,
    ExpressionOfInterest, consortium,
};
use crate::domain::ids::LotId;
use crate::error::Result;
use crate::store::{NewEngagementEvent, NewInterest, WriteCtx};

#[derive(FromRow)]
struct EventRow {
    id: i64,
    held_on: Day,
    format: String,
    title: String,
    agenda: String,
    recorded_by: String,
}

#[derive(FromRow)]
struct AttendeeRow {
    event_id: i64,
    name: String,
    organisation: String,
}

#[derive(FromRow)]
struct QuestionRow {
    event_id: i64,
    question: String,
    answer: String,
}

#[derive(FromRow)]
struct InterestRow {
    id: i64,
    organisation: String,
    received_on: Day,
    consortium_with: String,
    note: String,
}

async fn records_in(conn: &mut Conn, lot: LotId) -> Result<EngagementRecords> {
    let events = decode::<EventRow>(
        sqlx::query(
            "SELECT id, held_on, format, title, agenda, recorded_by FROM engagement_events
         WHERE lot_id = $1 ORDER BY held_on, id",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?;
    let attendees = decode::<AttendeeRow>(
        sqlx::query(
            "SELECT a.event_id, a.name, a.organisation FROM engagement_attendees a
         JOIN engagement_events e ON e.id = a.event_id WHERE e.lot_id = $1 ORDER BY a.id",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?;
    let questions = decode::<QuestionRow>(
        sqlx::query(
            "SELECT q.event_id, q.question, q.answer FROM engagement_questions q
         JOIN engagement_events e ON e.id = q.event_id WHERE e.lot_id = $1 ORDER BY q.id",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )?;
    let mut out = EngagementRecords::default();
    for r in events {
        out.events.push(EngagementEvent {
            id: r.id,
            held_on: date(&r.held_on)?,
            format: EventFormat::parse(&r.format).map_err(|_| unreadable("format"))?,
            title: r.title,
            agenda: r.agenda,
            recorded_by: r.recorded_by,
            attendees: attendees
                .iter()
                .filter(|a| a.event_id == r.id)
                .map(|a| Attendee {
                    name: a.name.clone(),
                    organisation: a.organisation.clone(),
                })
                .collect(),
            questions: questions
                .iter()
                .filter(|q| q.event_id == r.id)
                .map(|q| EngagementQuestion {
                    question: q.question.clone(),
                    answer: q.answer.clone(),
                })
                .collect(),
        });
    }
    for r in decode::<InterestRow>(
        sqlx::query(
            "SELECT id, organisation, received_on, consortium_with, note FROM engagement_interests
         WHERE lot_id = $1 ORDER BY received_on, id",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?,
    )? {
        out.interests.push(ExpressionOfInterest {
            id: r.id,
            received_on: date(&r.received_on)?,
            consortium_with: consortium(&r.consortium_with),
            organisation: r.organisation,
            note: r.note,
        });
    }
    out.no_engagement_reason =
        sqlx::query_scalar("SELECT reason FROM engagement_none WHERE lot_id = $1")
            .bind(lot.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(out)
}

/// Whether an engagement event has been held by `today`, for the notices a route needs.
pub(super) async fn held_in(conn: &mut Conn, lot: LotId, today: chrono::NaiveDate) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM engagement_events WHERE lot_id = $1 AND held_on <= $2)",
    )
    .bind(lot.0)
    .bind(iso(today))
    .fetch_one(&mut *conn)
    .await?)
}

#[async_trait::async_trait]
impl crate::store::EngagementStore for super::BackendTx {
    async fn records(&mut self, lot: LotId) -> Result<EngagementRecords> {
        records_in(self.conn(), lot).await
    }

    async fn held_by(&mut self, lot: LotId, by: chrono::NaiveDate) -> Result<bool> {
        held_in(self.conn(), lot, by).await
    }

    async fn insert_event(
        &mut self,
        lot: LotId,
        e: &NewEngagementEvent,
        w: &WriteCtx,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO engagement_events (lot_id, held_on, format, title, agenda, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(lot.0)
        .bind(iso(e.held_on))
        .bind(e.format.key())
        .bind(&e.title)
        .bind(&e.agenda)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(self.conn())
        .await?)
    }

    async fn event_lot(&mut self, event: i64) -> Result<Option<LotId>> {
        let lot: Option<i64> =
            sqlx::query_scalar("SELECT lot_id FROM engagement_events WHERE id = $1")
                .bind(event)
                .fetch_optional(self.conn())
                .await?;
        Ok(lot.map(LotId))
    }

    async fn insert_attendee(&mut self, event: i64, a: &Attendee) -> Result<()> {
        sqlx::query(
            "INSERT INTO engagement_attendees (event_id, name, organisation) VALUES ($1, $2, $3)",
        )
        .bind(event)
        .bind(&a.name)
        .bind(&a.organisation)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn insert_question(&mut self, event: i64, q: &EngagementQuestion) -> Result<()> {
        sqlx::query(
            "INSERT INTO engagement_questions (event_id, question, answer) VALUES ($1, $2, $3)",
        )
        .bind(event)
        .bind(&q.question)
        .bind(&q.answer)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn insert_interest(&mut self, lot: LotId, i: &NewInterest, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO engagement_interests (lot_id, organisation, received_on, consortium_with, note, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(lot.0)
        .bind(&i.organisation)
        .bind(iso(i.received_on))
        .bind(i.consortium_with.join("; "))
        .bind(&i.note)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn set_no_engagement_reason(
        &mut self,
        lot: LotId,
        reason: &str,
        w: &WriteCtx,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO engagement_none (lot_id, reason, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (lot_id) DO UPDATE SET reason = excluded.reason, recorded_by = excluded.recorded_by,
               recorded_at = excluded.recorded_at",
        )
        .bind(lot.0)
        .bind(reason)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
