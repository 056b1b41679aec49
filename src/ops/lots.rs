//! Lots and the pipeline.
use crate::domain::roles::Action;
use serde::Deserialize;
use ts_rs::TS;

use super::{Ctx, field, optional, required};
use crate::domain::dates;
use crate::domain::ids::{ContractId, LotId, ProcurementId};
use crate::domain::milestone;
use crate::domain::model::{Board, Lot};
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::domain::term::Term;
use crate::error::{Error, Result};
use crate::store::{MilestoneInput, NewLot};

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
    ctx.store
        .create_lot(&ctx.act(Action::ManageLots)?, new, ctx.read())
        .await
}

pub async fn board(ctx: &Ctx) -> Result<Board> {
    let mut b = ctx.store.board(ctx.read()).await?;
    let overdue = super::tupe::overdue_by_lot(ctx).await?;
    for card in b.columns.iter_mut().flat_map(|c| c.cards.iter_mut()) {
        card.tupe_overdue = overdue.get(&card.id).copied().unwrap_or(0);
    }
    Ok(b)
}

pub async fn show(ctx: &Ctx, id: LotId) -> Result<Lot> {
    ctx.store.get_lot(id, ctx.read()).await
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

pub async fn advance_stage(ctx: &Ctx, input: AdvanceStage) -> Result<Lot> {
    let to = Stage::parse(&input.to)?;
    let w = ctx.act(Action::ManageLots)?;
    if to == Stage::Contract {
        // Re-rendering the pack's documents is too heavy for the write transaction: checked
        // first; the store's gate then checks standstill and legal's approval inside it.
        super::award::check_approved_pack_current(ctx, input.lot_id).await?;
    }
    ctx.store
        .advance_stage(&w, input.lot_id, to, input.reason, ctx.read())
        .await
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
    ctx.store
        .set_milestone(
            &ctx.act(Action::ManageLots)?,
            input.lot_id,
            MilestoneInput {
                key,
                title,
                planned,
                actual,
            },
            ctx.read(),
        )
        .await
}

/// The lot a person named by id or reference; `procurement` (a reference) chooses between
/// lots of different procurements that share a reference.
pub async fn resolve(ctx: &Ctx, key: &str, procurement: Option<&str>) -> Result<LotId> {
    let names = ctx.store.lot_names().await?;
    crate::domain::model::find_lot(&names, key, procurement)
}
