//! Evaluation in the embedded store. Every write checks its rules inside the write
//! transaction; every read applies the blind-scoring rule before anything leaves here.
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection, SqlitePool};
use std::collections::{HashMap, HashSet};

use super::{SqliteStore, audit, registers};
use crate::domain::audit::timestamp;
use crate::domain::eval::model::EvalModel;
use crate::domain::eval::{
    self as ev, Access, Approval, Bid, BidParty, ConsensusEntry, EvalState, PanelMember, PanelRole,
    Progress, Reopening, ScoreEntry,
};
use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{ConsensusInput, EvalScope, NewBid, NewSupplier, ScoreInput, WriteCtx};

use super::rows::instant;

fn at_line(line: Option<usize>, e: Error) -> Error {
    match line {
        Some(l) => Error {
            message: format!("line {l}: {}", e.message),
            ..e
        },
        None => e,
    }
}

pub async fn state(
    conn: &mut SqliteConnection,
    lot: LotId,
    viewer: &str,
    scope: EvalScope,
) -> Result<EvalState> {
    let head = sqlx::query(
        "SELECT l.reference, l.title, l.stage, p.max_lots_per_supplier FROM lots l
         JOIN procurements p ON p.id = l.procurement_id WHERE l.id = ?",
    )
    .bind(lot.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::not_found(format!("lot {lot}")))?;
    let stage = super::rows::stage(head.get("stage"))?;
    let model_row =
        sqlx::query("SELECT model, approved_by, approved_at FROM eval_models WHERE lot_id = ?")
            .bind(lot.0)
            .fetch_optional(&mut *conn)
            .await?;
    let (model, approved) = match model_row {
        Some(r) => {
            let text: String = r.get("model");
            let m: EvalModel = serde_json::from_str(&text).map_err(|_| {
                Error::new(
                    ErrorCode::Storage,
                    format!("the evaluation model of lot {lot} is unreadable"),
                )
            })?;
            let approved = r
                .get::<Option<String>, _>("approved_by")
                .map(|by| Approval {
                    by,
                    at: instant(
                        r.get::<Option<String>, _>("approved_at")
                            .as_deref()
                            .unwrap_or(""),
                    ),
                });
            (Some(m), approved)
        }
        None => (None, None),
    };
    let reopenings: Vec<Reopening> = sqlx::query(
        "SELECT round, by, at, reason FROM moderation_reopenings WHERE lot_id = ? ORDER BY round",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Reopening {
        round: r.get::<i64, _>(0) as u32,
        by: r.get(1),
        at: instant(r.get(2)),
        reason: r.get(3),
    })
    .collect();
    let round = reopenings.last().map(|r| r.round).unwrap_or(1);
    let panel: Vec<PanelMember> = sqlx::query(
        "SELECT m.person, m.role, m.declared_at, m.conflict, s.at AS submitted_at, g.at AS signed_at
         FROM panel_members m
         LEFT JOIN submissions s ON s.lot_id = m.lot_id AND s.evaluator = m.person
         LEFT JOIN signoffs g ON g.lot_id = m.lot_id AND g.person = m.person AND g.round = ?
         WHERE m.lot_id = ? ORDER BY m.role DESC, m.person",
    )
    .bind(round as i64)
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(PanelMember {
            person: r.get("person"),
            role: PanelRole::parse(r.get("role"))?,
            declared_at: r.get::<Option<String>, _>("declared_at").as_deref().map(instant),
            conflict: r.get("conflict"),
            submitted_at: r.get::<Option<String>, _>("submitted_at").as_deref().map(instant),
            signed_off_at: r.get::<Option<String>, _>("signed_at").as_deref().map(instant),
        })
    })
    .collect::<Result<_>>()?;
    let access: Access = ev::access(viewer, &panel);

    let bids = if access.may_see_bids {
        bids(conn, lot).await?
    } else {
        Vec::new()
    };

    // The evaluators whose scores this viewer may read, decided by the one rule.
    let submitted: HashSet<&str> = panel
        .iter()
        .filter(|m| m.submitted_at.is_some())
        .map(|m| m.person.as_str())
        .collect();
    let mut readable: Vec<String> = match scope {
        EvalScope::Consensus => vec![],
        EvalScope::OwnScores => vec![viewer.to_string()],
        EvalScope::AllVisible => {
            let mut v: Vec<String> = panel.iter().map(|m| m.person.clone()).collect();
            v.push(viewer.to_string());
            v
        }
    };
    readable.retain(|author| {
        ev::may_read_score(&access, viewer, author, submitted.contains(author.as_str()))
    });
    readable.sort();
    readable.dedup();
    let mut scores = Vec::new();
    for author in &readable {
        let rows = sqlx::query(
            "SELECT bid_id, question, score, justification, at FROM scores WHERE lot_id = ? AND evaluator = ?",
        )
        .bind(lot.0)
        .bind(author)
        .fetch_all(&mut *conn)
        .await?;
        scores.extend(rows.into_iter().map(|r| ScoreEntry {
            bid_id: BidId(r.get(0)),
            question: r.get(1),
            evaluator: author.clone(),
            score: r.get::<i64, _>(2) as u32,
            justification: r.get(3),
            at: instant(r.get(4)),
        }));
    }
    let consensus = if access.may_see_submitted {
        sqlx::query(
            "SELECT bid_id, question, score, reason, moderator, at FROM consensus WHERE lot_id = ?",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| ConsensusEntry {
            bid_id: BidId(r.get(0)),
            question: r.get(1),
            score: r.get::<i64, _>(2) as u32,
            reason: r.get(3),
            moderator: r.get(4),
            at: instant(r.get(5)),
        })
        .collect()
    } else {
        Vec::new()
    };
    // Counts only: how far each evaluator has got, never what they scored. Writes and
    // results skip this: counting 60,000 scores costs more than saving one.
    let progress = if scope == EvalScope::Consensus {
        Vec::new()
    } else {
        let bid_count: i64 = sqlx::query_scalar("SELECT count(*) FROM bids WHERE lot_id = ?")
            .bind(lot.0)
            .fetch_one(&mut *conn)
            .await?;
        let counts: HashMap<String, i64> = sqlx::query(
            "SELECT evaluator, count(*) FROM scores WHERE lot_id = ? GROUP BY evaluator",
        )
        .bind(lot.0)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
        let questions = model.as_ref().map(|m| m.questions().count()).unwrap_or(0) as u32;
        panel
            .iter()
            .filter(|m| m.role == PanelRole::Evaluator && m.active())
            .map(|m| Progress {
                evaluator: m.person.clone(),
                scored: counts.get(&m.person).copied().unwrap_or(0) as u32,
                required: bid_count as u32 * questions,
                submitted: m.submitted_at.is_some(),
            })
            .collect()
    };
    Ok(EvalState {
        lot_id: lot,
        lot_title: head.get("title"),
        lot_reference: head.get("reference"),
        stage,
        viewer: viewer.to_string(),
        access,
        price_method: model.as_ref().and_then(|m| {
            m.price_section()
                .and_then(|s| s.price.as_ref().map(|p| p.describe(s.weight)))
        }),
        model,
        approved,
        panel,
        bids,
        scores,
        consensus,
        progress,
        round,
        reopenings,
        award_limit: head
            .get::<Option<i64>, _>("max_lots_per_supplier")
            .map(|n| n as u32),
    })
}

async fn bids(conn: &mut SqliteConnection, lot: LotId) -> Result<Vec<Bid>> {
    let party = |r: &sqlx::sqlite::SqliteRow| BidParty {
        supplier_id: SupplierId(r.get("sid")),
        name: r.get("name"),
        registration_number: r
            .get::<Option<String>, _>("ch")
            .or_else(|| r.get::<Option<String>, _>("charity")),
    };
    let mut members: HashMap<i64, Vec<BidParty>> = HashMap::new();
    for r in sqlx::query(
        "SELECT m.bid_id, s.id AS sid, s.name, s.companies_house_number AS ch, s.charity_number AS charity
         FROM bid_members m JOIN bids b ON b.id = m.bid_id JOIN suppliers s ON s.id = m.supplier_id
         WHERE b.lot_id = ? ORDER BY m.position",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    {
        members.entry(r.get("bid_id")).or_default().push(party(&r));
    }
    Ok(sqlx::query(
        "SELECT b.id, b.price_pence, s.id AS sid, s.name, s.companies_house_number AS ch, s.charity_number AS charity
         FROM bids b JOIN suppliers s ON s.id = b.supplier_id WHERE b.lot_id = ? ORDER BY s.name, b.id",
    )
    .bind(lot.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Bid {
        id: BidId(r.get("id")),
        lot_id: lot,
        lead: party(&r),
        members: members.remove(&r.get::<i64, _>("id")).unwrap_or_default(),
        price: Money::from_pence(r.get("price_pence")),
    })
    .collect())
}

pub async fn procurement_lots(pool: &SqlitePool, p: ProcurementId) -> Result<Vec<LotId>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM lots WHERE procurement_id = ? ORDER BY reference")
            .bind(p.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(LotId)
            .collect(),
    )
}

/// Whether the lot's model is approved and its moderated record signed off: the gates read these.
pub async fn gate_facts(conn: &mut SqliteConnection, lot: LotId) -> Result<(bool, bool)> {
    let st = state(conn, lot, "", EvalScope::Consensus).await?;
    Ok((st.approved.is_some(), st.signed_off()))
}

fn stage_refused(st: &EvalState, what: &str, allowed: &[Stage]) -> Result<()> {
    if allowed.contains(&st.stage) {
        return Ok(());
    }
    let names: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
    Err(Error::conflict(format!(
        "{what} only while the lot is at {}; lot {} is at {}",
        names.join(" or "),
        st.lot_reference,
        st.stage
    )))
}

pub async fn set_model(s: &SqliteStore, w: &WriteCtx, lot: LotId, model: EvalModel) -> Result<()> {
    model.validate()?;
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    stage_refused(
        &st,
        "the evaluation model can be changed",
        &[Stage::MarketEngagement, Stage::DraftSpecification],
    )?;
    if let Some(a) = &st.approved {
        return Err(Error::conflict(format!(
            "the evaluation model was approved by {} on {}; withdraw the approval (with a reason) before changing it",
            a.by,
            crate::domain::dates::long(a.at.date_naive())
        )));
    }
    sqlx::query("INSERT INTO eval_models (lot_id, model) VALUES (?, ?) ON CONFLICT (lot_id) DO UPDATE SET model = excluded.model")
        .bind(lot.0)
        .bind(serde_json::to_string(&model).expect("serialisable"))
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "eval.model_set",
        "lot",
        Some(lot.0),
        st.model.as_ref(),
        Some(&model),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn approve(s: &SqliteStore, w: &WriteCtx, lot: LotId) -> Result<()> {
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    stage_refused(
        &st,
        "the evaluation model can be approved",
        &[Stage::MarketEngagement, Stage::DraftSpecification],
    )?;
    st.model()?.validate()?;
    if st.approved.is_some() {
        return Err(Error::conflict("the evaluation model is already approved"));
    }
    sqlx::query("UPDATE eval_models SET approved_by = ?, approved_at = ? WHERE lot_id = ?")
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .bind(lot.0)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "eval.model_approved",
        "lot",
        Some(lot.0),
        None::<&()>,
        st.model.as_ref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn withdraw(s: &SqliteStore, w: &WriteCtx, lot: LotId, reason: String) -> Result<()> {
    let reason = ev::reason(
        "reason",
        "for withdrawing the approval",
        &reason,
        ev::MIN_REASON_CHARS,
    )?;
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    stage_refused(
        &st,
        "the approval can be withdrawn",
        &[Stage::MarketEngagement, Stage::DraftSpecification],
    )?;
    if st.approved.is_none() {
        return Err(Error::conflict("the evaluation model is not approved"));
    }
    sqlx::query("UPDATE eval_models SET approved_by = NULL, approved_at = NULL WHERE lot_id = ?")
        .bind(lot.0)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "eval.approval_withdrawn",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&serde_json::json!({"reason": reason})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_award_limit(
    s: &SqliteStore,
    w: &WriteCtx,
    p: ProcurementId,
    limit: Option<u32>,
) -> Result<()> {
    if limit == Some(0) {
        return Err(Error::validation(
            "limit",
            "the lot award limit must be at least 1, or none",
        ));
    }
    let mut tx = s.write().await?;
    registers::procurement(&mut tx, p).await?;
    sqlx::query("UPDATE procurements SET max_lots_per_supplier = ? WHERE id = ?")
        .bind(limit.map(i64::from))
        .bind(p.0)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "procurement.award_limit_set",
        "procurement",
        Some(p.0),
        None::<&()>,
        Some(&serde_json::json!({"maxLotsPerSupplier": limit})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Finds a supplier by registration number (or, without one, by exact name), or adds it.
async fn find_or_add_supplier(
    tx: &mut SqliteConnection,
    w: &WriteCtx,
    s: &NewSupplier,
) -> Result<SupplierId> {
    let found: Option<i64> = if s.companies_house_number.is_some() || s.charity_number.is_some() {
        sqlx::query_scalar(
            "SELECT id FROM suppliers WHERE companies_house_number = ? OR charity_number = ?",
        )
        .bind(&s.companies_house_number)
        .bind(&s.charity_number)
        .fetch_optional(&mut *tx)
        .await?
    } else {
        sqlx::query_scalar("SELECT id FROM suppliers WHERE lower(name) = lower(?) AND companies_house_number IS NULL AND charity_number IS NULL")
            .bind(&s.name)
            .fetch_optional(&mut *tx)
            .await?
    };
    match found {
        Some(id) => Ok(SupplierId(id)),
        None => Ok(registers::insert_supplier(tx, w, s.clone()).await?.id),
    }
}

pub async fn import_bids(s: &SqliteStore, w: &WriteCtx, new: Vec<NewBid>) -> Result<usize> {
    let mut tx = s.write().await?;
    let n = import_bids_in(&mut tx, w, new).await?.len();
    tx.commit().await?;
    Ok(n)
}

/// Records bids inside the caller's transaction, returning their ids in order.
pub async fn import_bids_in(
    tx: &mut SqliteConnection,
    w: &WriteCtx,
    new: Vec<NewBid>,
) -> Result<Vec<i64>> {
    let mut states: HashMap<LotId, EvalState> = HashMap::new();
    let mut ids = Vec::with_capacity(new.len());
    for b in new {
        let st = match states.get(&b.lot) {
            Some(st) => st,
            None => {
                let st = state(tx, b.lot, &w.actor, EvalScope::Consensus).await?;
                states.entry(b.lot).or_insert(st)
            }
        };
        let check = || -> Result<()> {
            stage_refused(
                st,
                "bids can be recorded",
                &[Stage::Tender, Stage::Evaluation],
            )?;
            if st.panel.iter().any(|m| m.submitted_at.is_some()) {
                return Err(Error::conflict(format!(
                    "an evaluator has already submitted scores for lot {}, so no bid can be added",
                    st.lot_reference
                )));
            }
            if !st.access.may_see_bids {
                return Err(Error::conflict(
                    st.access.withheld.clone().unwrap_or_default(),
                ));
            }
            Ok(())
        };
        check().map_err(|e| at_line(b.line, e))?;
        let lead = find_or_add_supplier(tx, w, &b.lead)
            .await
            .map_err(|e| at_line(b.line, e))?;
        let clash: Option<i64> =
            sqlx::query_scalar("SELECT id FROM bids WHERE lot_id = ? AND supplier_id = ?")
                .bind(b.lot.0)
                .bind(lead.0)
                .fetch_optional(&mut *tx)
                .await?;
        if clash.is_some() {
            return Err(at_line(
                b.line,
                Error::validation(
                    "supplier",
                    format!(
                        "{} has already bid for lot {}",
                        b.lead.name, st.lot_reference
                    ),
                ),
            ));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO bids (lot_id, supplier_id, price_pence) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(b.lot.0)
        .bind(lead.0)
        .bind(b.price.pence())
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
        let mut member_ids = Vec::new();
        for (i, m) in b.members.iter().enumerate() {
            let mid = find_or_add_supplier(tx, w, m)
                .await
                .map_err(|e| at_line(b.line, e))?;
            if mid == lead || member_ids.contains(&mid) {
                return Err(at_line(
                    b.line,
                    Error::validation(
                        "members",
                        format!("{} is named twice in the consortium", m.name),
                    ),
                ));
            }
            member_ids.push(mid);
            sqlx::query("INSERT INTO bid_members (bid_id, supplier_id, position) VALUES (?, ?, ?)")
                .bind(id)
                .bind(mid.0)
                .bind(i as i64)
                .execute(&mut *tx)
                .await?;
        }
        audit::append(
            tx,
            w,
            "bid.recorded",
            "bid",
            Some(id),
            None::<&()>,
            Some(&serde_json::json!({
                "lotId": b.lot, "leadSupplierId": lead, "memberSupplierIds": member_ids, "price": b.price,
            })),
        )
        .await?;
    }
    Ok(ids)
}

pub async fn add_panel_member(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    person: String,
    role: PanelRole,
) -> Result<()> {
    let person = person.trim().to_string();
    if person.is_empty() {
        return Err(Error::validation(
            "person",
            "enter the panel member’s user name",
        ));
    }
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    if st.stage.is_closed() || matches!(st.stage, Stage::Award | Stage::Contract) {
        return Err(Error::conflict(format!(
            "lot {} is at {}: its panel is closed",
            st.lot_reference, st.stage
        )));
    }
    if st.member(&person).is_some() {
        return Err(Error::validation(
            "person",
            format!(
                "{person} is already on the panel of lot {}",
                st.lot_reference
            ),
        ));
    }
    if role == PanelRole::Moderator && st.panel.iter().any(|m| m.role == PanelRole::Moderator) {
        return Err(Error::validation(
            "role",
            format!("lot {} already has a moderator", st.lot_reference),
        ));
    }
    sqlx::query("INSERT INTO panel_members (lot_id, person, role) VALUES (?, ?, ?)")
        .bind(lot.0)
        .bind(&person)
        .bind(role.key())
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "eval.panel_member_added",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&serde_json::json!({"person": person, "role": role})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn declare(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    conflict: Option<String>,
) -> Result<()> {
    let conflict = conflict
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    let Some(me) = st.member(&w.actor) else {
        return Err(Error::conflict(format!(
            "{} is not on the panel of lot {}",
            w.actor, st.lot_reference
        )));
    };
    match (&me.declared_at, &me.conflict, &conflict) {
        (_, Some(_), _) => {
            return Err(Error::conflict(
                "you have already declared a conflict of interest for this lot",
            ));
        }
        (Some(_), None, None) => {
            return Err(Error::conflict(
                "you have already declared that you have no conflict of interest",
            ));
        }
        _ => {}
    }
    sqlx::query(
        "UPDATE panel_members SET declared_at = ?, conflict = ? WHERE lot_id = ? AND person = ?",
    )
    .bind(timestamp(w.at))
    .bind(&conflict)
    .bind(lot.0)
    .bind(&w.actor)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        w,
        "eval.interests_declared",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&serde_json::json!({"person": w.actor, "conflict": conflict})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Seals a score for the audit trail without revealing it: the hash is checked against the
/// scores recorded at submission.
fn seal(score: u32, justification: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{score}\u{1f}{justification}").as_bytes(),
    ))
}

fn my_evaluator_role(st: &EvalState, who: &str) -> Result<()> {
    match st.member(who) {
        Some(m) if m.role == PanelRole::Evaluator && m.active() => Ok(()),
        Some(m) if m.role == PanelRole::Moderator => {
            Err(Error::conflict("the moderator does not score"))
        }
        Some(_) => Err(Error::conflict(
            st.access.withheld.clone().unwrap_or_default(),
        )),
        None => Err(Error::conflict(format!(
            "{who} is not an evaluator on lot {}",
            st.lot_reference
        ))),
    }
}

pub async fn save_scores(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    scores: Vec<ScoreInput>,
) -> Result<()> {
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    stage_refused(&st, "scores can be recorded", &[Stage::Evaluation])?;
    my_evaluator_role(&st, &w.actor)?;
    if st
        .member(&w.actor)
        .is_some_and(|m| m.submitted_at.is_some())
    {
        return Err(Error::conflict(
            "you have submitted your scores for this lot; submitted scores never change",
        ));
    }
    let model = st.model()?;
    for sc in scores {
        let (_, q) = model.question(&sc.question).ok_or_else(|| {
            at_line(
                sc.line,
                Error::validation(
                    "question",
                    format!("there is no question “{}” in this lot’s model", sc.question),
                ),
            )
        })?;
        if !st.bids.iter().any(|b| b.id == sc.bid) {
            return Err(at_line(
                sc.line,
                Error::validation(
                    "bidder",
                    format!("bid {} is not a bid for lot {}", sc.bid, st.lot_reference),
                ),
            ));
        }
        ev::check_score(model, q, sc.score, &sc.justification).map_err(|e| at_line(sc.line, e))?;
        sqlx::query(
            "INSERT INTO scores (lot_id, bid_id, question, evaluator, score, justification, at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (bid_id, question, evaluator) DO UPDATE SET score = excluded.score, justification = excluded.justification, at = excluded.at",
        )
        .bind(lot.0)
        .bind(sc.bid.0)
        .bind(&q.key)
        .bind(&w.actor)
        .bind(sc.score as i64)
        .bind(sc.justification.trim())
        .bind(timestamp(w.at))
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            w,
            "eval.score_saved",
            "bid",
            Some(sc.bid.0),
            None::<&()>,
            Some(&serde_json::json!({"lotId": lot, "question": q.key, "evaluator": w.actor, "sealed": seal(sc.score, sc.justification.trim())})),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn submit(s: &SqliteStore, w: &WriteCtx, lot: LotId) -> Result<()> {
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::OwnScores).await?;
    stage_refused(&st, "scores can be submitted", &[Stage::Evaluation])?;
    my_evaluator_role(&st, &w.actor)?;
    if st
        .member(&w.actor)
        .is_some_and(|m| m.submitted_at.is_some())
    {
        return Err(Error::conflict(
            "you have already submitted your scores for this lot",
        ));
    }
    let model = st.model()?;
    let have: HashSet<(BidId, &str)> = st
        .scores
        .iter()
        .map(|s| (s.bid_id, s.question.as_str()))
        .collect();
    let mut gaps = Vec::new();
    for b in &st.bids {
        for (_, q) in model.questions() {
            if !have.contains(&(b.id, q.key.as_str())) {
                gaps.push(format!("{}: {}", b.label(), q.key));
            }
        }
    }
    if st.bids.is_empty() {
        return Err(Error::conflict("there are no bids to score"));
    }
    if !gaps.is_empty() {
        let mut e = Error::new(
            ErrorCode::Validation,
            format!(
                "{} scores are still to be given before you can submit",
                gaps.len()
            ),
        );
        e.field = Some("scores".into());
        e.details = gaps;
        return Err(e);
    }
    sqlx::query("INSERT INTO submissions (lot_id, evaluator, at) VALUES (?, ?, ?)")
        .bind(lot.0)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(&mut *tx)
        .await?;
    let record: Vec<_> = st
        .scores
        .iter()
        .map(|s| serde_json::json!({"bidId": s.bid_id, "question": s.question, "score": s.score, "justification": s.justification}))
        .collect();
    audit::append(
        &mut tx,
        w,
        "eval.scores_submitted",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&serde_json::json!({"evaluator": w.actor, "scores": record})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn my_moderator_role(st: &EvalState, who: &str) -> Result<()> {
    match st.member(who) {
        Some(m) if m.role == PanelRole::Moderator && m.active() => Ok(()),
        Some(m) if m.role == PanelRole::Moderator => Err(Error::conflict(
            st.access.withheld.clone().unwrap_or_default(),
        )),
        _ => Err(Error::conflict(format!(
            "only the moderator of lot {} records consensus scores",
            st.lot_reference
        ))),
    }
}

pub async fn record_consensus(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    entries: Vec<ConsensusInput>,
) -> Result<()> {
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    stage_refused(
        &st,
        "consensus scores can be recorded",
        &[Stage::Evaluation],
    )?;
    my_moderator_role(&st, &w.actor)?;
    let waiting: Vec<&str> = st
        .active_evaluators()
        .filter(|m| m.submitted_at.is_none())
        .map(|m| m.person.as_str())
        .collect();
    if st.active_evaluators().next().is_none() || !waiting.is_empty() {
        return Err(Error::conflict(format!(
            "consensus starts once every evaluator has submitted; still to submit: {}",
            if waiting.is_empty() {
                "no evaluator has declared yet".to_string()
            } else {
                waiting.join(", ")
            }
        )));
    }
    if st.any_signed() {
        return Err(Error::conflict(
            "the moderated record has been signed off; reopen it (with a reason) before changing a consensus score",
        ));
    }
    let model = st.model()?;
    for c in entries {
        let (_, q) = model.question(&c.question).ok_or_else(|| {
            at_line(
                c.line,
                Error::validation(
                    "question",
                    format!("there is no question “{}” in this lot’s model", c.question),
                ),
            )
        })?;
        if !st.bids.iter().any(|b| b.id == c.bid) {
            return Err(at_line(
                c.line,
                Error::validation(
                    "bidder",
                    format!("bid {} is not a bid for lot {}", c.bid, st.lot_reference),
                ),
            ));
        }
        ev::check_score(model, q, c.score, &c.reason).map_err(|e| {
            let e = if e.field.as_deref() == Some("justification") {
                Error::validation(
                    "reason",
                    format!(
                        "give the reason for the consensus score on {}, tied to the bid’s evidence: at least {} characters",
                        q.key, model.justification_min_chars
                    ),
                )
            } else {
                e
            };
            at_line(c.line, e)
        })?;
        let before = st
            .consensus
            .iter()
            .find(|x| x.bid_id == c.bid && x.question == q.key);
        sqlx::query(
            "INSERT INTO consensus (lot_id, bid_id, question, score, reason, moderator, at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (bid_id, question) DO UPDATE SET score = excluded.score, reason = excluded.reason,
               moderator = excluded.moderator, at = excluded.at",
        )
        .bind(lot.0)
        .bind(c.bid.0)
        .bind(&q.key)
        .bind(c.score as i64)
        .bind(c.reason.trim())
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            w,
            "eval.consensus_recorded",
            "bid",
            Some(c.bid.0),
            before.map(|b| serde_json::json!({"lotId": lot, "question": b.question, "score": b.score, "reason": b.reason})).as_ref(),
            Some(&serde_json::json!({"lotId": lot, "question": q.key, "score": c.score, "reason": c.reason.trim()})),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn sign_off(s: &SqliteStore, w: &WriteCtx, lot: LotId) -> Result<()> {
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    stage_refused(
        &st,
        "the moderated record can be signed off",
        &[Stage::Evaluation],
    )?;
    let Some(me) = st.member(&w.actor).filter(|m| m.active()) else {
        return Err(Error::conflict(format!(
            "{} is not an active member of the panel of lot {}",
            w.actor, st.lot_reference
        )));
    };
    if me.signed_off_at.is_some() {
        return Err(Error::conflict(
            "you have already signed off this moderated record",
        ));
    }
    let agreed = st.consensus.len();
    let required = st.bids.len() * st.model()?.questions().count();
    if required == 0 || agreed < required {
        return Err(Error::conflict(format!(
            "the moderated record is not complete: {agreed} of {required} consensus scores are agreed"
        )));
    }
    sqlx::query("INSERT INTO signoffs (lot_id, round, person, at) VALUES (?, ?, ?, ?)")
        .bind(lot.0)
        .bind(st.round as i64)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "eval.signed_off",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&serde_json::json!({"person": w.actor, "round": st.round})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reopen(s: &SqliteStore, w: &WriteCtx, lot: LotId, reason: String) -> Result<()> {
    let reason = ev::reason(
        "reason",
        "for reopening the moderated record",
        &reason,
        ev::MIN_REASON_CHARS,
    )?;
    let mut tx = s.write().await?;
    let st = state(&mut tx, lot, &w.actor, EvalScope::Consensus).await?;
    stage_refused(
        &st,
        "the moderated record can be reopened",
        &[Stage::Evaluation],
    )?;
    my_moderator_role(&st, &w.actor)?;
    if !st.any_signed() {
        return Err(Error::conflict(
            "the moderated record is open: nobody has signed it off yet",
        ));
    }
    sqlx::query(
        "INSERT INTO moderation_reopenings (lot_id, round, by, at, reason) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(lot.0)
    .bind(st.round as i64 + 1)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        w,
        "eval.moderation_reopened",
        "lot",
        Some(lot.0),
        None::<&()>,
        Some(&serde_json::json!({"round": st.round + 1, "reason": reason})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
