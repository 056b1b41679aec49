//! What a score save is checked against, read from the team server in one statement.
//!
//! Ten evaluators save side by side, each save a transaction of its own; read query by
//! query (lot, model, reopenings, panel, bid and its members) these facts were six of a
//! save's ten round trips. Here they come back as one row: on a server across a network
//! each round trip is a wait, and with ten saving at once on two cores a save's p99 went
//! from 23–26 ms to 17–22 ms (bench: team). Each list comes as one JSON array of rows
//! (`json_agg`), not as an array per column: the server starts an aggregate, with its own
//! sort, for every one of them on every save, and with twenty-seven of them that was most
//! of the statement's time (about 210 µs a save; as four JSON lists, about 150 µs). The
//! statement runs as the person's login like any other read, so the server's row-level
//! security filters it exactly as it filters the separate queries: a bid the person may not
//! see is not in the row.
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use sqlx::Row;

use super::eval::{PanelRow, PartyRow, stored_model};
use crate::domain::eval::{Bid, BidParty, PanelMember, Reopening};
use crate::domain::ids::{BidId, LotId};
use crate::domain::money::Money;
use crate::error::Result;
use crate::store::{EvalHead, ScoringFacts};

/// Each list in its own LATERAL subquery, so a lot with no model, reopening, panel or
/// matching bid still gives its one row (json_agg over no rows is NULL). The orders are
/// those of the separate reads in `src/store/sql/eval.rs`. Members are asked by bid only:
/// they are attached to the bids found, which are this lot's and readable, so a member of
/// another lot's bid is never used, and the lot's hundred bids are not read again for it.
/// Timestamps come as JSON text with their offset and microseconds (what `to_json` writes
/// for timestamptz), so nothing is lost on the way.
macro_rules! facts_query {
    ($generation:literal) => {
        concat!(
            "SELECT ",
            $generation,
            "l.reference, l.title, l.stage, p.max_lots_per_supplier::bigint AS award_limit,
       m.model, m.approved_by, m.approved_at,
       r.reopenings::text AS reopenings, pm.panel::text AS panel, b.bids::text AS bids,
       bm.members::text AS members
FROM lots l
JOIN procurements p ON p.id = l.procurement_id
LEFT JOIN eval_models m ON m.lot_id = l.id
CROSS JOIN LATERAL (
    SELECT json_agg(json_build_array(x.round::bigint, x.by, x.at, x.reason) ORDER BY x.round)
               AS reopenings,
           coalesce(max(x.round), 1) AS current
    FROM moderation_reopenings x WHERE x.lot_id = l.id
) r
CROSS JOIN LATERAL (
    SELECT json_agg(json_build_array(y.person, y.role, y.declared_at, y.conflict, s.at, g.at)
               ORDER BY y.role DESC, y.person) AS panel
    FROM panel_members y
    LEFT JOIN submissions s ON s.lot_id = y.lot_id AND s.evaluator = y.person
    LEFT JOIN signoffs g ON g.lot_id = y.lot_id AND g.person = y.person AND g.round = r.current
    WHERE y.lot_id = l.id
) pm
CROSS JOIN LATERAL (
    SELECT json_agg(json_build_array(z.id, z.price_pence, s.id, s.name,
               s.companies_house_number, s.charity_number) ORDER BY s.name, z.id) AS bids
    FROM bids z JOIN suppliers s ON s.id = z.supplier_id
    WHERE z.lot_id = l.id AND z.id = ANY($2)
) b
CROSS JOIN LATERAL (
    SELECT json_agg(json_build_array(k.bid_id, s.id, s.name, s.companies_house_number,
               s.charity_number) ORDER BY k.bid_id, k.position) AS members
    FROM bid_members k JOIN suppliers s ON s.id = k.supplier_id
    WHERE k.bid_id = ANY($2)
) bm
WHERE l.id = $1"
        )
    };
}
const FACTS: &str = facts_query!("");
/// With the generation they were read at, for a member's store to keep (PgStore::
/// begin_scoring_tx says why it is current: the save holds the write lock shared).
const FACTS_AND_GENERATION: &str =
    facts_query!("(SELECT g.last_value FROM lotwise_facts_generation g) AS generation, ");

type At = DateTime<Utc>;
type Party = (i64, String, Option<String>, Option<String>);

/// The facts for `lot` and those of `bids` that are its (Some(None): no such lot). Always
/// Some on this backend; the shared SQL reads them query by query where this gives None.
///
/// In a member's score save, from the store's copy when it holds every bid asked for: the
/// transaction then writes each score only if the facts have not changed since the copy
/// was read (`save_score_audited`), and if they have, forgets the copy, writes nothing and
/// says so; the save reads them afresh and decides again. Otherwise read, and kept for the
/// next save. The copy's bids are in the order they were first read, which no rule of a
/// save depends on (each bid is found by its id).
pub async fn scoring_facts(
    tx: &mut super::PgTx,
    lot: LotId,
    bids: &[BidId],
) -> Result<Option<Option<ScoringFacts>>> {
    if let Some((generation, kept)) = tx.kept_facts(lot, bids) {
        tx.guard = Some(generation);
        return Ok(Some(Some(kept)));
    }
    tx.guard = None;
    let keep = tx.facts.is_some();
    let ids: Vec<i64> = bids.iter().map(|b| b.0).collect();
    let Some(row) = sqlx::query(if keep { FACTS_AND_GENERATION } else { FACTS })
        .bind(lot.0)
        .bind(&ids)
        .fetch_optional(tx.conn())
        .await?
    else {
        return Ok(Some(None));
    };
    let facts = facts_of(&row, lot)?;
    if keep {
        tx.keep_facts(lot, row.try_get("generation")?, &facts);
    }
    Ok(Some(Some(facts)))
}

impl super::PgTx {
    /// The store's copy of the facts and the generation it was read at, if it holds every
    /// bid asked for: with the bids asked for, those of the lot the login may see.
    fn kept_facts(&self, lot: LotId, bids: &[BidId]) -> Option<(i64, ScoringFacts)> {
        let cache = self.facts.as_ref()?.lock().ok()?;
        let (generation, kept) = cache.get(&lot)?;
        if !bids.iter().all(|b| kept.bids.iter().any(|k| k.id == *b)) {
            return None;
        }
        let mut facts = kept.clone();
        facts.bids.retain(|b| bids.contains(&b.id));
        Some((*generation, facts))
    }

    /// Keeps facts read at `generation`: with those already kept at the same generation,
    /// their bids together; in place of any older.
    fn keep_facts(&self, lot: LotId, generation: i64, facts: &ScoringFacts) {
        let Some(Ok(mut cache)) = self.facts.as_ref().map(|c| c.lock()) else {
            return;
        };
        match cache.get_mut(&lot) {
            Some((kept_at, kept)) if *kept_at == generation => {
                for bid in &facts.bids {
                    if !kept.bids.iter().any(|k| k.id == bid.id) {
                        kept.bids.push(bid.clone());
                    }
                }
            }
            _ => {
                cache.insert(lot, (generation, facts.clone()));
            }
        }
    }

    /// The generation this transaction's scores are written under, if it used the copy.
    pub(crate) fn facts_guard(&self) -> Option<i64> {
        self.guard
    }

    /// A score was kept under the guard: the copy is the server's facts as they are.
    pub(crate) fn facts_confirmed(&mut self) {
        self.guard = None;
    }

    /// The copy turned out older than the server's facts: forget it, so the save reads them.
    pub(crate) fn forget_facts(&mut self, lot: LotId) {
        self.guard = None;
        if let Some(Ok(mut cache)) = self.facts.as_ref().map(|c| c.lock()) {
            cache.remove(&lot);
        }
    }
}

/// The facts in the statement's one row.
fn facts_of(row: &sqlx::postgres::PgRow, lot: LotId) -> Result<ScoringFacts> {
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

    let reopenings = list::<(i64, String, At, String)>(row, "reopenings")?
        .into_iter()
        .map(|(round, by, at, reason)| Reopening {
            round: round as u32,
            by,
            at,
            reason,
        })
        .collect();

    let mut panel = Vec::new();
    for (person, role, declared_at, conflict, submitted_at, signed_at) in list::<(
        String,
        String,
        Option<At>,
        Option<String>,
        Option<At>,
        Option<At>,
    )>(row, "panel")?
    {
        panel.push(PanelMember::try_from(PanelRow {
            person,
            role,
            declared_at,
            conflict,
            submitted_at,
            signed_at,
        })?);
    }

    let party = |(sid, name, ch, charity): Party| -> BidParty {
        BidParty::from(PartyRow {
            sid,
            name,
            ch,
            charity,
        })
    };
    // Members come ordered by bid, then position: each bid takes its own, keeping the order.
    let mut members: Vec<(i64, BidParty)> =
        list::<(i64, i64, String, Option<String>, Option<String>)>(row, "members")?
            .into_iter()
            .map(|(bid, sid, name, ch, charity)| (bid, party((sid, name, ch, charity))))
            .collect();
    let bids = list::<(i64, i64, i64, String, Option<String>, Option<String>)>(row, "bids")?
        .into_iter()
        .map(|(id, price, sid, name, ch, charity)| {
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut members)
                .into_iter()
                .partition(|(b, _)| *b == id);
            members = rest;
            Bid {
                id: BidId(id),
                lot_id: lot,
                lead: party((sid, name, ch, charity)),
                members: mine.into_iter().map(|(_, p)| p).collect(),
                price: Money::from_pence(price),
            }
        })
        .collect();

    Ok(ScoringFacts {
        head,
        model,
        reopenings,
        panel,
        bids,
    })
}

/// A list the statement aggregated: NULL when its subquery found no rows. A list that does
/// not read as its rows is refused whole rather than read in part.
fn list<T: DeserializeOwned>(row: &sqlx::postgres::PgRow, column: &str) -> Result<Vec<T>> {
    match row.try_get::<Option<String>, _>(column)? {
        None => Ok(Vec::new()),
        Some(text) => {
            serde_json::from_str(&text).map_err(|_| super::rows::unreadable("scoring facts"))
        }
    }
}
