//! Organisations, suppliers and procurements.
use crate::domain::roles::Action;
use serde::Deserialize;
use ts_rs::TS;

use super::{Ctx, field, optional, required};
use crate::domain::finance::FinancialYear;
use crate::domain::ids::OrganisationId;
use crate::domain::money::Money;
use crate::domain::procurement::Procurement;
use crate::domain::registers::{self, Organisation, OrganisationKind, Supplier};
use crate::error::{Error, Result};
use crate::store::{NewAuditEvent, NewOrganisation, NewProcurement, NewSupplier, Tx};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateOrganisation {
    pub name: String,
    pub kind: String,
}

pub async fn create_organisation(ctx: &Ctx, input: CreateOrganisation) -> Result<Organisation> {
    let new = NewOrganisation {
        name: required("name", "organisation’s name", &input.name)?,
        kind: field("kind", OrganisationKind::parse(&input.kind))?,
    };
    let w = ctx.act(Action::ManageRegisters)?;
    let mut tx = ctx.store.begin().await?;
    let all = tx.registers().organisations().await?;
    registers::unique_name(&all, &new.name)?;
    let org = tx.registers().insert_organisation(&new).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "organisation.created", "organisation", Some(org.id.0))
                .after(&org),
        )
        .await?;
    tx.commit().await?;
    Ok(org)
}

pub async fn list_organisations(ctx: &Ctx) -> Result<Vec<Organisation>> {
    ctx.store.read().await?.registers().organisations().await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateSupplier {
    pub name: String,
    pub companies_house_number: Option<String>,
    pub charity_number: Option<String>,
}

pub async fn create_supplier(ctx: &Ctx, input: CreateSupplier) -> Result<Supplier> {
    let new = NewSupplier {
        name: required("name", "supplier’s name", &input.name)?,
        companies_house_number: optional(input.companies_house_number.as_deref())
            .map(registers::companies_house_number)
            .transpose()?,
        charity_number: optional(input.charity_number.as_deref())
            .map(registers::charity_number)
            .transpose()?,
    };
    let w = ctx.act(Action::ManageRegisters)?;
    let mut tx = ctx.store.begin().await?;
    let sup = add_supplier(&mut *tx, &w, &new).await?;
    tx.commit().await?;
    Ok(sup)
}

/// Adds a supplier to the register inside the caller's transaction, audited; a registration
/// number already held is refused.
pub(crate) async fn add_supplier(
    tx: &mut dyn Tx,
    w: &crate::store::WriteCtx,
    new: &NewSupplier,
) -> Result<Supplier> {
    // Only the suppliers already holding either number can clash: look those up rather
    // than read the whole register for every new supplier (a bid import adds hundreds).
    let mut holders = Vec::new();
    for (ch, charity) in [
        (new.companies_house_number.as_deref(), None),
        (None, new.charity_number.as_deref()),
    ] {
        if ch.is_none() && charity.is_none() {
            continue;
        }
        if let Some(id) = tx.registers().supplier_by_numbers(ch, charity).await?
            && let Some(s) = tx.registers().supplier(id).await?
        {
            holders.push(s);
        }
    }
    registers::unique_numbers(
        &holders,
        new.companies_house_number.as_deref(),
        new.charity_number.as_deref(),
    )?;
    let sup = tx.registers().insert_supplier(new).await?;
    tx.audit()
        .append(NewAuditEvent::new(w, "supplier.created", "supplier", Some(sup.id.0)).after(&sup))
        .await?;
    Ok(sup)
}

pub async fn list_suppliers(ctx: &Ctx) -> Result<Vec<Supplier>> {
    ctx.store.read().await?.registers().suppliers().await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BudgetLineInput {
    pub financial_year: String,
    pub amount: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateProcurement {
    pub reference: String,
    pub title: String,
    pub service: String,
    /// Lead commissioner first; names or ids as text.
    pub commissioners: Vec<String>,
    pub budget: Vec<BudgetLineInput>,
}

/// Finds an organisation by id or by exact name (case-insensitive), as typed on the CLI.
pub fn resolve_organisation(
    all: &[Organisation],
    key: &str,
    field_name: &str,
) -> Result<OrganisationId> {
    let k = key.trim();
    all.iter()
        .find(|o| o.id.0.to_string() == k || o.name.eq_ignore_ascii_case(k))
        .map(|o| o.id)
        .ok_or_else(|| {
            Error::validation(
                field_name,
                format!("no organisation called “{k}” is in this workspace"),
            )
        })
}

pub async fn create_procurement(ctx: &Ctx, input: CreateProcurement) -> Result<Procurement> {
    let w = ctx.act(Action::ManageRegisters)?;
    let mut tx = ctx.store.begin().await?;
    let orgs = tx.registers().organisations().await?;
    if input.commissioners.is_empty() {
        return Err(Error::validation(
            "commissioners",
            "name at least one commissioner (the lead commissioner first)",
        ));
    }
    let mut commissioners = Vec::new();
    for c in &input.commissioners {
        let id = resolve_organisation(&orgs, c, "commissioners")?;
        if commissioners.contains(&id) {
            return Err(Error::validation(
                "commissioners",
                format!("“{}” is named twice", c.trim()),
            ));
        }
        commissioners.push(id);
    }
    let mut budget = Vec::new();
    for (i, line) in input.budget.iter().enumerate() {
        let fy = field(
            &format!("budget.{i}.financialYear"),
            FinancialYear::parse(&line.financial_year),
        )?;
        let amount = field(&format!("budget.{i}.amount"), Money::parse(&line.amount))?;
        if amount.pence() < 0 {
            return Err(Error::validation(
                format!("budget.{i}.amount"),
                "a budget cannot be negative",
            ));
        }
        if budget.iter().any(|(y, _)| *y == fy) {
            return Err(Error::validation(
                format!("budget.{i}.financialYear"),
                format!("{fy} is given twice"),
            ));
        }
        budget.push((fy, amount));
    }
    let new = NewProcurement {
        reference: required("reference", "procurement reference", &input.reference)?,
        title: required("title", "procurement title", &input.title)?,
        service: required("service", "service", &input.service)?,
        commissioners,
        budget,
    };
    if let Some(p) = tx
        .registers()
        .procurements()
        .await?
        .iter()
        .find(|p| p.reference.eq_ignore_ascii_case(&new.reference))
    {
        return Err(Error::validation(
            "reference",
            format!(
                "there is already a procurement with the reference “{}”: {}",
                p.reference, p.title
            ),
        ));
    }
    let id = tx.registers().insert_procurement(&new).await?;
    let p = tx
        .registers()
        .procurement(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("procurement {id}")))?;
    tx.audit()
        .append(NewAuditEvent::new(&w, "procurement.created", "procurement", Some(id.0)).after(&p))
        .await?;
    tx.commit().await?;
    Ok(p)
}

pub async fn list_procurements(ctx: &Ctx) -> Result<Vec<Procurement>> {
    ctx.store.read().await?.registers().procurements().await
}
