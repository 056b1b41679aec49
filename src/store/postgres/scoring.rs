//! What a score save is checked against, read from the team server in one statement.
//!
//! Ten evaluators save side by side, each save a transaction of its own; read query by
//! query (lot, model, reopenings, panel, bid and its members) these facts were six of a
//! save's ten round trips. Here they come back as one row of arrays: on a server across a
//! network each round trip is a wait, and with ten saving at once on two cores a save's
//! p99 went from 23–26 ms to 17–22 ms (bench: team; the server's own work per save, not the
//! round trips, is most of what is left). The statement runs as the person's login like any
//! other read, so the server's row-level security filters it exactly as it filters the
//! separate queries: a bid the person may not see is not in the row.
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::eval::{PanelRow, PartyRow, stored_model};
use crate::domain::eval::{Bid, BidParty, PanelMember, Reopening};
use crate::domain::ids::{BidId, LotId};
use crate::domain::money::Money;
use crate::error::Result;
use crate::store::{EvalHead, ScoringFacts};

/// Each part in its own LATERAL subquery, so a lot with no model, reopening, panel or
/// matching bid still gives its one row (array_agg over no rows is NULL). The orders are
/// those of the separate reads in `src/store/sql/eval.rs`. Members are asked by bid only:
/// they are attached to the bids found, which are this lot's and readable, so a member of
/// another lot's bid is never used, and the lot's hundred bids are not read again for it.
const FACTS: &str = "
SELECT l.reference, l.title, l.stage, p.max_lots_per_supplier::bigint AS award_limit,
       m.model, m.approved_by, m.approved_at,
       r.rounds, r.reopened_by, r.reopened_at, r.reasons,
       pm.persons, pm.roles, pm.declared, pm.conflicts, pm.submitted, pm.signed,
       b.ids, b.prices, b.sids, b.names, b.chs, b.charities,
       bm.bid_ids AS m_bids, bm.sids AS m_sids, bm.names AS m_names, bm.chs AS m_chs,
       bm.charities AS m_charities
FROM lots l
JOIN procurements p ON p.id = l.procurement_id
LEFT JOIN eval_models m ON m.lot_id = l.id
CROSS JOIN LATERAL (
    SELECT array_agg(x.round::bigint ORDER BY x.round) AS rounds,
           array_agg(x.by ORDER BY x.round) AS reopened_by,
           array_agg(x.at ORDER BY x.round) AS reopened_at,
           array_agg(x.reason ORDER BY x.round) AS reasons,
           coalesce(max(x.round), 1) AS current
    FROM moderation_reopenings x WHERE x.lot_id = l.id
) r
CROSS JOIN LATERAL (
    SELECT array_agg(y.person ORDER BY y.role DESC, y.person) AS persons,
           array_agg(y.role ORDER BY y.role DESC, y.person) AS roles,
           array_agg(y.declared_at ORDER BY y.role DESC, y.person) AS declared,
           array_agg(y.conflict ORDER BY y.role DESC, y.person) AS conflicts,
           array_agg(s.at ORDER BY y.role DESC, y.person) AS submitted,
           array_agg(g.at ORDER BY y.role DESC, y.person) AS signed
    FROM panel_members y
    LEFT JOIN submissions s ON s.lot_id = y.lot_id AND s.evaluator = y.person
    LEFT JOIN signoffs g ON g.lot_id = y.lot_id AND g.person = y.person AND g.round = r.current
    WHERE y.lot_id = l.id
) pm
CROSS JOIN LATERAL (
    SELECT array_agg(z.id ORDER BY s.name, z.id) AS ids,
           array_agg(z.price_pence ORDER BY s.name, z.id) AS prices,
           array_agg(s.id ORDER BY s.name, z.id) AS sids,
           array_agg(s.name ORDER BY s.name, z.id) AS names,
           array_agg(s.companies_house_number ORDER BY s.name, z.id) AS chs,
           array_agg(s.charity_number ORDER BY s.name, z.id) AS charities
    FROM bids z JOIN suppliers s ON s.id = z.supplier_id
    WHERE z.lot_id = l.id AND z.id = ANY($2)
) b
CROSS JOIN LATERAL (
    SELECT array_agg(k.bid_id ORDER BY k.bid_id, k.position) AS bid_ids,
           array_agg(s.id ORDER BY k.bid_id, k.position) AS sids,
           array_agg(s.name ORDER BY k.bid_id, k.position) AS names,
           array_agg(s.companies_house_number ORDER BY k.bid_id, k.position) AS chs,
           array_agg(s.charity_number ORDER BY k.bid_id, k.position) AS charities
    FROM bid_members k JOIN suppliers s ON s.id = k.supplier_id
    WHERE k.bid_id = ANY($2)
) bm
WHERE l.id = $1";

/// The facts for `lot` and those of `bids` that are its (Some(None): no such lot). Always
/// Some on this backend; the shared SQL reads them query by query where this gives None.
pub async fn scoring_facts(
    conn: &mut sqlx::PgConnection,
    lot: LotId,
    bids: &[BidId],
) -> Result<Option<Option<ScoringFacts>>> {
    let ids: Vec<i64> = bids.iter().map(|b| b.0).collect();
    let Some(row) = sqlx::query(FACTS)
        .bind(lot.0)
        .bind(&ids)
        .fetch_optional(conn)
        .await?
    else {
        return Ok(Some(None));
    };
    let head = EvalHead {
        stage: super::rows::stage(&row.try_get::<String, _>("stage")?)?,
        reference: row.try_get("reference")?,
        title: row.try_get("title")?,
        award_limit: row
            .try_get::<Option<i64>, _>("award_limit")?
            .map(|n| n as u32),
    };
    let model = match row.try_get::<Option<String>, _>("model")? {
        Some(text) => Some(stored_model(
            lot,
            &text,
            row.try_get("approved_by")?,
            row.try_get("approved_at")?,
        )?),
        None => None,
    };

    let rounds: Vec<i64> = list(&row, "rounds")?;
    let reopened_by: Vec<String> = list(&row, "reopened_by")?;
    let reopened_at: Vec<DateTime<Utc>> = list(&row, "reopened_at")?;
    let reasons: Vec<String> = list(&row, "reasons")?;
    same_length(
        rounds.len(),
        &[reopened_by.len(), reopened_at.len(), reasons.len()],
    )?;
    let reopenings = rounds
        .into_iter()
        .zip(reopened_by)
        .zip(reopened_at)
        .zip(reasons)
        .map(|(((round, by), at), reason)| Reopening {
            round: round as u32,
            by,
            at,
            reason,
        })
        .collect();

    let persons: Vec<String> = list(&row, "persons")?;
    let roles: Vec<String> = list(&row, "roles")?;
    let declared: Vec<Option<DateTime<Utc>>> = list(&row, "declared")?;
    let conflicts: Vec<Option<String>> = list(&row, "conflicts")?;
    let submitted: Vec<Option<DateTime<Utc>>> = list(&row, "submitted")?;
    let signed: Vec<Option<DateTime<Utc>>> = list(&row, "signed")?;
    let n = persons.len();
    same_length(
        n,
        &[
            roles.len(),
            declared.len(),
            conflicts.len(),
            submitted.len(),
            signed.len(),
        ],
    )?;
    let mut panel = Vec::with_capacity(n);
    for (i, person) in persons.into_iter().enumerate() {
        panel.push(PanelMember::try_from(PanelRow {
            person,
            role: roles[i].clone(),
            declared_at: declared[i],
            conflict: conflicts[i].clone(),
            submitted_at: submitted[i],
            signed_at: signed[i],
        })?);
    }

    let parties = |prefix: &str| -> Result<Vec<BidParty>> {
        let sids: Vec<i64> = list(&row, &format!("{prefix}sids"))?;
        let names: Vec<String> = list(&row, &format!("{prefix}names"))?;
        let chs: Vec<Option<String>> = list(&row, &format!("{prefix}chs"))?;
        let charities: Vec<Option<String>> = list(&row, &format!("{prefix}charities"))?;
        same_length(sids.len(), &[names.len(), chs.len(), charities.len()])?;
        Ok(sids
            .into_iter()
            .zip(names)
            .zip(chs)
            .zip(charities)
            .map(|(((sid, name), ch), charity)| {
                BidParty::from(PartyRow {
                    sid,
                    name,
                    ch,
                    charity,
                })
            })
            .collect())
    };
    let member_bids: Vec<i64> = list(&row, "m_bids")?;
    let members = parties("m_")?;
    same_length(member_bids.len(), &[members.len()])?;
    let mut members: Vec<(i64, BidParty)> = member_bids.into_iter().zip(members).collect();
    let ids: Vec<i64> = list(&row, "ids")?;
    let prices: Vec<i64> = list(&row, "prices")?;
    let leads = parties("")?;
    same_length(ids.len(), &[prices.len(), leads.len()])?;
    let bids = ids
        .into_iter()
        .zip(prices)
        .zip(leads)
        .map(|((id, price), lead)| {
            // Members come ordered by bid, then position: take this bid's, keeping the order.
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut members)
                .into_iter()
                .partition(|(b, _)| *b == id);
            members = rest;
            Bid {
                id: BidId(id),
                lot_id: lot,
                lead,
                members: mine.into_iter().map(|(_, p)| p).collect(),
                price: Money::from_pence(price),
            }
        })
        .collect();

    Ok(Some(Some(ScoringFacts {
        head,
        model,
        reopenings,
        panel,
        bids,
    })))
}

/// An aggregated column: NULL when the subquery found no rows.
fn list<T>(row: &sqlx::postgres::PgRow, column: &str) -> Result<Vec<T>>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    Vec<T>: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    Ok(row
        .try_get::<Option<Vec<T>>, _>(column)?
        .unwrap_or_default())
}

/// The arrays of one subquery are aggregated from the same rows, so they are as long as
/// each other; if they ever were not, the row is not read rather than read askew.
fn same_length(n: usize, others: &[usize]) -> Result<()> {
    if others.iter().all(|m| *m == n) {
        Ok(())
    } else {
        Err(super::rows::unreadable("scoring facts"))
    }
}
