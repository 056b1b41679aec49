//! Specification versions, their sections and comments. A version is written once and
//! changes once more only to be approved; the triggers in migration 0009 hold to that.
use super::Conn;
use super::rows::decode;
use super::rows::{Day, Instant};
use sqlx::FromRow;

use super::rows::timestamp;
use super::rows::{date, instant, iso, unreadable};
use crate::domain::ids::LotId;
use crate::domain::spec::{CommentSource, SpecComment, SpecSection, SpecVersion};
use crate::error::Result;
use crate::store::{NewSpecComment, WriteCtx};

#[derive(FromRow)]
struct VersionRow {
    id: i64,
    version: i64,
    note: String,
    saved_by: String,
    saved_at: Instant,
    approved_by: Option<String>,
    approved_at: Option<Instant>,
}

#[derive(FromRow)]
struct SectionRow {
    version_id: i64,
    position: i64,
    heading: String,
    body: String,
}

async fn versions_in(conn: &mut Conn, lot: LotId) -> Result<Vec<SpecVersion>> {
    let rows = decode::<VersionRow>(sqlx::query(
        "SELECT id, version, note, saved_by, saved_at, approved_by, approved_at FROM spec_versions
         WHERE lot_id = $1 ORDER BY version",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?)?;
    let mut sections: std::collections::HashMap<i64, Vec<SpecSection>> =
        std::collections::HashMap::new();
    for s in decode::<SectionRow>(sqlx::query(
        "SELECT s.version_id, s.position, s.heading, s.body FROM spec_sections s
         JOIN spec_versions v ON v.id = s.version_id WHERE v.lot_id = $1 ORDER BY s.version_id, s.position",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?)?
    {
        sections.entry(s.version_id).or_default().push(SpecSection {
            position: s.position as u32,
            heading: s.heading,
            body: s.body,
        });
    }
    Ok(rows
        .into_iter()
        .map(|r| SpecVersion {
            sections: sections.remove(&r.id).unwrap_or_default(),
            version: r.version as u32,
            note: r.note,
            saved_by: r.saved_by,
            saved_at: instant(&r.saved_at),
            approved_by: r.approved_by,
            approved_at: r.approved_at.map(super::rows::instant_owned),
        })
        .collect())
}

/// The newest approved version, which the tender stage references.
pub(super) async fn approved_in(conn: &mut Conn, lot: LotId) -> Result<Option<(i64, u32)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, version FROM spec_versions WHERE lot_id = $1 AND approved_at IS NOT NULL
         ORDER BY version DESC LIMIT 1",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id, v)| (id, v as u32)))
}

#[async_trait::async_trait]
impl crate::store::SpecStore for super::BackendTx {
    async fn versions(&mut self, lot: LotId) -> Result<Vec<SpecVersion>> {
        versions_in(self.conn(), lot).await
    }

    async fn newest(&mut self, lot: LotId) -> Result<Option<(u32, bool)>> {
        let newest: Option<(i64, Option<Instant>)> = sqlx::query_as(
            "SELECT version, approved_at FROM spec_versions WHERE lot_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(lot.0)
        .fetch_optional(self.conn())
        .await?;
        Ok(newest.map(|(v, a)| (v as u32, a.is_some())))
    }

    async fn approved(&mut self, lot: LotId) -> Result<Option<u32>> {
        Ok(approved_in(self.conn(), lot).await?.map(|(_, v)| v))
    }

    async fn insert_version(
        &mut self,
        lot: LotId,
        version: u32,
        note: &str,
        sections: &[SpecSection],
        w: &WriteCtx,
    ) -> Result<()> {
        let conn = self.conn();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO spec_versions (lot_id, version, note, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(lot.0)
        .bind(i64::from(version))
        .bind(note)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(&mut *conn)
        .await?;
        // Many rows to a statement: a long specification is one round trip per 500 sections.
        for chunk in sections.chunks(500) {
            let mut q = sqlx::QueryBuilder::<super::Db>::new(
                "INSERT INTO spec_sections (version_id, position, heading, body) ",
            );
            q.push_values(chunk, |mut b, sec| {
                b.push_bind(id)
                    .push_bind(i64::from(sec.position))
                    .push_bind(&sec.heading)
                    .push_bind(&sec.body);
            });
            q.build().execute(&mut *conn).await?;
        }
        Ok(())
    }

    async fn approve(&mut self, lot: LotId, version: u32, w: &WriteCtx) -> Result<()> {
        sqlx::query("UPDATE spec_versions SET approved_by = $1, approved_at = $2 WHERE lot_id = $3 AND version = $4")
            .bind(&w.actor)
            .bind(timestamp(w.at))
            .bind(lot.0)
            .bind(i64::from(version))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn heading(&mut self, lot: LotId, version: u32, position: u32) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT s.heading FROM spec_sections s JOIN spec_versions v ON v.id = s.version_id
             WHERE v.lot_id = $1 AND v.version = $2 AND s.position = $3",
        )
        .bind(lot.0)
        .bind(i64::from(version))
        .bind(i64::from(position))
        .fetch_optional(self.conn())
        .await?)
    }

    async fn comments(&mut self, lot: LotId) -> Result<Vec<SpecComment>> {
        decode::<CommentRow>(sqlx::query(
            "SELECT c.id, v.version, c.position, s.heading, c.source, c.author, c.organisation, c.comment,
                    c.received_on, c.response, c.recorded_by
             FROM spec_comments c
             JOIN spec_versions v ON v.id = c.version_id
             JOIN spec_sections s ON s.version_id = c.version_id AND s.position = c.position
             WHERE v.lot_id = $1 ORDER BY c.id",
        )
        .bind(lot.0)
        .fetch_all(self.conn())
        .await?)?
        .into_iter()
        .map(SpecComment::try_from)
        .collect()
    }

    async fn insert_comment(&mut self, lot: LotId, c: &NewSpecComment, w: &WriteCtx) -> Result<()> {
        sqlx::query(
            "INSERT INTO spec_comments (version_id, position, source, author, organisation, comment, received_on, recorded_by, recorded_at)
             SELECT id, $1, $2, $3, $4, $5, $6, $7, $8 FROM spec_versions WHERE lot_id = $9 AND version = $10",
        )
        .bind(i64::from(c.position))
        .bind(c.source.key())
        .bind(&c.author)
        .bind(&c.organisation)
        .bind(&c.comment)
        .bind(iso(c.received_on))
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .bind(lot.0)
        .bind(i64::from(c.version))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn response(&mut self, lot: LotId, comment: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT c.response FROM spec_comments c JOIN spec_versions v ON v.id = c.version_id
             WHERE c.id = $1 AND v.lot_id = $2",
        )
        .bind(comment)
        .bind(lot.0)
        .fetch_optional(self.conn())
        .await?)
    }

    async fn set_response(&mut self, comment: i64, response: &str) -> Result<()> {
        sqlx::query("UPDATE spec_comments SET response = $1 WHERE id = $2")
            .bind(response)
            .bind(comment)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    version: i64,
    position: i64,
    heading: String,
    source: String,
    author: String,
    organisation: String,
    comment: String,
    received_on: Day,
    response: String,
    recorded_by: String,
}

impl TryFrom<CommentRow> for SpecComment {
    type Error = crate::error::Error;
    fn try_from(r: CommentRow) -> Result<Self> {
        Ok(SpecComment {
            id: r.id,
            version: r.version as u32,
            position: r.position as u32,
            heading: r.heading,
            source: CommentSource::parse(&r.source).map_err(|_| unreadable("comment source"))?,
            author: r.author,
            organisation: r.organisation,
            comment: r.comment,
            received_on: date(&r.received_on)?,
            response: r.response,
            recorded_by: r.recorded_by,
        })
    }
}
