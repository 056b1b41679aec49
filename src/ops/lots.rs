//! Lots and the pipeline.
use crate::domain::roles::Action;
use serde::Deserialize;
use ts_rs::TS;

use super::{Ctx, field, optional, required};
use crate::domain::award;
use crate::domain::board::Board;
use crate::domain::dates;
use crate::domain::eval::EvalScope;
use crate::domain::ids::{ContractId, LotId, ProcurementId};
use crate::domain::lot::Lot;
use crate::domain::lot::{ContractRef, audit_view};
use crate::domain::milestone;
use crate::domain::money::Money;
use crate::domain::stage::{LotFacts, Stage, check_transition};
use crate::domain::term::Term;
use crate::error::{Error, Result};
use crate::store::{MilestoneInput, NewAuditEvent, NewLot, ReadCtx, Tx};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LotPartInput {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateLot {
    pub procurement_id: ProcurementId,
    pub reference: String,
    pub title: String,
    pub geography: String,
    pub estimated_annual_value: Option<String>,
    pub term: Option<String>,
    pub replaces_contract_id: Option<ContractId>,
    pub parts: Vec<LotPartInput>,
}

/// Parses "A: Community Navigation" into a part, as typed on the CLI.
pub fn parse_part(s: &str) -> Result<LotPartInput> {
    match s.split_once(':') {
        Some((code, title)) if !code.trim().is_empty() && !title.trim().is_empty() => {
            Ok(LotPartInput {
                code: code.trim().to_string(),
                title: title.trim().to_string(),
            })
        }
        _ => Err(Error::validation(
            "parts",
            format!(
                "“{s}” is not a part: write it as CODE: Title, for example “A: Community Navigation”"
            ),
        )),
    }
}

pub async fn create(ctx: &Ctx, input: CreateLot) -> Result<Lot> {
    let mut parts: Vec<(String, String)> = Vec::new();
    for (i, p) in input.parts.iter().enumerate() {
        let code = required(
            &format!("parts.{i}.code"),
            "part’s code (for example A)",
            &p.code,
        )?;
        let title = required(&format!("parts.{i}.title"), "part’s title", &p.title)?;
        if code.chars().count() > 10 {
            return Err(Error::validation(
                format!("parts.{i}.code"),
                "a part’s code is at most 10 characters, for example A or B",
            ));
        }
        if parts.iter().any(|(c, _)| c.eq_ignore_ascii_case(&code)) {
            return Err(Error::validation(
                format!("parts.{i}.code"),
                format!("part {code} is given twice"),
            ));
        }
        parts.push((code, title));
    }
    let estimated_annual_value = optional(input.estimated_annual_value.as_deref())
        .map(|v| field("estimatedAnnualValue", Money::parse(v)))
        .transpose()?;
    if estimated_annual_value.is_some_and(|v| v.pence() < 0) {
        return Err(Error::validation(
            "estimatedAnnualValue",
            "the estimated annual value cannot be negative",
        ));
    }
    let new = NewLot {
        procurement: input.procurement_id,
        reference: required(
            "reference",
            "lot reference (for example Lot 1)",
            &input.reference,
        )?,
        title: required("title", "lot title", &input.title)?,
        geography: input.geography.trim().to_string(),
        estimated_annual_value,
        term: optional(input.term.as_deref())
            .map(|t| field("term", Term::parse(t)))
            .transpose()?,
        replaces_contract: input.replaces_contract_id,
        parts,
        stage: Stage::MarketEngagement,
    };
    let w = ctx.act(Action::ManageLots)?;
    let mut tx = ctx.store.begin().await?;
    let procurement = tx
        .registers()
        .procurement(new.procurement)
        .await?
        .ok_or_else(|| {
            Error::not_found(format!("procurement {}", new.procurement)).in_field("procurementId")
        })?;
    if let Some(c) = new.replaces_contract {
        tx.contracts().contract(c).await?.ok_or_else(|| {
            Error::not_found(format!("contract {c}")).in_field("replacesContractId")
        })?;
    }
    if tx
        .lots()
        .names()
        .await?
        .iter()
        .any(|n| n.reference == new.reference && n.procurement_reference == procurement.reference)
    {
        return Err(Error::validation(
            "reference",
            format!(
                "this procurement already has a lot with the reference “{}”",
                new.reference
            ),
        ));
    }
    let id = tx.lots().insert(&new).await?;
    tx.lots()
        .record_stage_change(id, None, new.stage, None, &w)
        .await?;
    let lot = view(&mut *tx, id, ctx.read()).await?;
    tx.audit()
        .append(NewAuditEvent::new(&w, "lot.created", "lot", Some(id.0)).after(&audit_view(&lot)))
        .await?;
    tx.commit().await?;
    Ok(lot)
}

/// The lot as people see it today, read inside the caller's transaction.
pub(crate) async fn view(tx: &mut dyn Tx, id: LotId, r: ReadCtx) -> Result<Lot> {
    let rec = tx
        .lots()
        .lot(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("lot {id}")))?;
    let procurement = tx
        .registers()
        .procurement(rec.procurement)
        .await?
        .ok_or_else(|| Error::not_found(format!("procurement {}", rec.procurement)))?;
    let replaces = match rec.replaces_contract {
        Some(c) => tx.contracts().contract(c).await?.map(|c| ContractRef {
            id: c.id,
            reference: c.reference,
            title: c.title,
            provider: c.provider.name,
        }),
        None => None,
    };
    let mut lot = rec.view(procurement, replaces, r.today, r.amber_days);
    for m in &mut lot.milestones {
        m.version = tx
            .audit()
            .last_change("milestone", m.id.0, "milestone.%")
            .await?
            .map_or(0, |c| c.version);
    }
    Ok(lot)
}

/// Not found, named, when the lot does not exist: a lot's records are never read or written
/// for a lot that is not there.
pub(crate) async fn require(tx: &mut dyn Tx, id: LotId) -> Result<Stage> {
    tx.lots()
        .stage(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("lot {id}")))
}

pub async fn board(ctx: &Ctx) -> Result<Board> {
    let r = ctx.read();
    let rows = ctx.store.read().await?.lots().board().await?;
    let mut b = crate::domain::board::build(rows, r.today, r.amber_days);
    let overdue = super::tupe::overdue_by_lot(ctx).await?;
    for card in b.columns.iter_mut().flat_map(|c| c.cards.iter_mut()) {
        card.tupe_overdue = overdue.get(&card.id).copied().unwrap_or(0);
    }
    Ok(b)
}

pub async fn show(ctx: &Ctx, id: LotId) -> Result<Lot> {
    view(&mut *ctx.store.read().await?, id, ctx.read()).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AdvanceStage {
    pub lot_id: LotId,
    /// A stage key: market_engagement, draft_specification, tender, evaluation, award,
    /// contract or abandoned.
    pub to: String,
    /// Required when abandoning or moving back a stage.
    pub reason: Option<String>,
}

/// Moves a lot through the transition table. Every fact a gate looks at is read in the
/// transaction that moves the lot, so nothing can change between the check and the write;
/// `domain::stage::check_transition` decides.
pub async fn advance_stage(ctx: &Ctx, input: AdvanceStage) -> Result<Lot> {
    let to = Stage::parse(&input.to)?;
    let w = ctx.act(Action::ManageLots)?;
    let id = input.lot_id;
    if to == Stage::Contract {
        // Re-rendering the pack's documents is too heavy for the write transaction: checked
        // first; the gate then checks standstill and legal's approval inside it.
        super::award::check_approved_pack_current(ctx, id).await?;
    }
    let mut tx = ctx.store.begin().await?;
    let current = view(&mut *tx, id, ctx.read()).await?;
    let eval = super::eval::load::state(&mut *tx, id, "", EvalScope::Consensus).await?;
    let award_missing = if to == Stage::Contract {
        let dates = tx.award().dates(id).await?;
        let extra = tx.calendar().extra_holidays().await?;
        let status = award::pack_status(&tx.award().packs(id).await?);
        let facts = award::TimelineFacts {
            records: tx.award().standstill_records(id).await?,
            ..Default::default()
        };
        award::contract_gate(dates.as_ref(), &facts, &extra, w.today, status)
    } else {
        Vec::new()
    };
    let route_missing = if to == Stage::Tender {
        super::route::tender_gate(&mut *tx, &current, w.today).await?
    } else {
        Vec::new()
    };
    let facts = LotFacts {
        stage: current.stage,
        has_estimated_value: current.estimated_annual_value.is_some(),
        has_term: current.term.is_some(),
        eval_model_approved: eval.approved.is_some(),
        moderation_signed_off: eval.signed_off(),
        milestones: current
            .milestones
            .iter()
            .filter_map(|m| m.key.clone().map(|k| (k, Some(m.planned), m.actual)))
            .collect(),
        award_missing,
        route_missing,
    };
    let reason = input
        .reason
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    check_transition(&facts, to, reason.as_deref(), w.today)?;

    let abandoned_reason = reason.as_deref().filter(|_| to == Stage::Abandoned);
    tx.lots().set_stage(id, to, abandoned_reason).await?;
    tx.lots()
        .record_stage_change(id, Some(current.stage), to, reason.as_deref(), &w)
        .await?;
    if to == Stage::Tender {
        // The tender references the specification approved as it opens (the gate required one).
        let version = tx
            .spec()
            .approved(id)
            .await?
            .ok_or_else(|| Error::conflict("the tender needs an approved specification"))?;
        tx.tender().open(id, version, &w).await?;
        tx.audit()
            .append(NewAuditEvent::on_lot(
                &w,
                "tender.opened",
                id,
                &serde_json::json!({"specificationVersion": version}),
            ))
            .await?;
    }
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "lot.stage_changed", "lot", Some(id.0))
                .before(&serde_json::json!({"stage": current.stage}))
                .after(&serde_json::json!({"stage": to, "reason": reason})),
        )
        .await?;
    let out = view(&mut *tx, id, ctx.read()).await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetMilestone {
    pub lot_id: LotId,
    /// One of the standard milestones (e.g. submission_deadline) or none for a custom one.
    pub key: Option<String>,
    /// Defaults to the standard title for a standard key.
    pub title: Option<String>,
    pub planned: String,
    pub actual: Option<String>,
    /// The version shown when the person opened it (0 when there was none yet). A save
    /// started from an older version is refused with `conflict`, naming who changed it
    /// and when (domain::edit). Left out (the command line), the save is not checked.
    #[serde(default)]
    #[ts(optional)]
    pub expected_version: Option<i64>,
}

pub async fn set_milestone(ctx: &Ctx, input: SetMilestone) -> Result<Lot> {
    let key = optional(input.key.as_deref()).map(str::to_string);
    if let Some(k) = &key
        && milestone::standard_title(k).is_none()
    {
        let known: Vec<&str> = milestone::STANDARD.iter().map(|(k, _)| *k).collect();
        return Err(Error::validation(
            "key",
            format!(
                "“{k}” is not a standard milestone; expected one of: {}",
                known.join(", ")
            ),
        ));
    }
    let title = match (optional(input.title.as_deref()), &key) {
        (Some(t), _) => required("title", "milestone’s title", t)?,
        (None, Some(k)) => milestone::standard_title(k)
            .expect("checked above")
            .to_string(),
        (None, None) => return Err(Error::validation("title", "enter the milestone’s title")),
    };
    let planned = field("planned", dates::parse(&input.planned))?;
    let actual = optional(input.actual.as_deref())
        .map(|a| field("actual", dates::parse(a)))
        .transpose()?;
    if key.as_deref() == Some(milestone::CONTRACT_SIGNED) && actual.is_some() {
        return Err(Error::validation(
            "actual",
            "record the day the contract was entered into with the award dates (`lotwise award dates LOT --contract-signed DATE`, or the Award tab): they check it against the standstill",
        ));
    }
    if let Some(a) = actual
        && a > ctx.clock.today()
    {
        return Err(Error::validation(
            "actual",
            format!(
                "the actual date cannot be in the future (today is {})",
                dates::long(ctx.clock.today())
            ),
        ));
    }
    let m = MilestoneInput {
        key,
        title,
        planned,
        actual,
    };
    let w = ctx.act(Action::ManageLots)?;
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    require(&mut *tx, lot).await?;
    let before = match &m.key {
        Some(k) => tx.lots().milestone_by_key(lot, k).await?,
        None => None,
    };
    let current = match &before {
        Some(b) => {
            tx.audit()
                .last_change("milestone", b.id.0, "milestone.%")
                .await?
        }
        None => None,
    };
    crate::domain::edit::check_not_stale(
        &format!("the milestone “{}”", m.title),
        input.expected_version,
        current.as_ref(),
    )?;
    let id = match &before {
        Some(b) => {
            tx.lots().update_milestone(b.id, &m).await?;
            b.id
        }
        None => tx.lots().insert_milestone(lot, &m).await?,
    };
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let after = serde_json::json!({"lotId": lot, "key": m.key, "title": m.title, "planned": iso(m.planned),
                                   "actual": m.actual.map(iso)});
    let event = match &before {
        Some(b) => NewAuditEvent::new(&w, "milestone.updated", "milestone", Some(id.0)).before(
            &serde_json::json!({"key": b.key, "title": b.title, "planned": iso(b.planned),
                                "actual": b.actual.map(iso)}),
        ),
        None => NewAuditEvent::new(&w, "milestone.added", "milestone", Some(id.0)),
    };
    tx.audit().append(event.after(&after)).await?;
    let out = view(&mut *tx, lot, ctx.read()).await?;
    tx.commit().await?;
    Ok(out)
}

/// The lot a person named by id or reference; `procurement` (a reference) chooses between
/// lots of different procurements that share a reference.
pub async fn resolve(ctx: &Ctx, key: &str, procurement: Option<&str>) -> Result<LotId> {
    let names = super::lots::names(ctx).await?;
    crate::domain::lot::find_lot(&names, key, procurement)
}

pub async fn names(ctx: &Ctx) -> Result<Vec<crate::domain::lot::LotName>> {
    ctx.store.read().await?.lots().names().await
}

/// The procurement's lots, in reference order.
pub async fn in_procurement(ctx: &Ctx, p: ProcurementId) -> Result<Vec<LotId>> {
    ctx.store.read().await?.lots().in_procurement(p).await
}
