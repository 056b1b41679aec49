//! The contracts register and its expiry radar.
use crate::domain::roles::Action;
use serde::Deserialize;
use ts_rs::TS;

use super::{Ctx, field, optional, registers::resolve_organisation, required};
use crate::domain::contract::Contract;
use crate::domain::ids::ContractId;
use crate::domain::money::Money;
use crate::domain::radar::{self, ExpiringContract};
use crate::domain::term::{self, OptionStatus, Term, term_dates};
use crate::domain::{dates, registers};
use crate::error::{Error, Result};
use crate::store::ContractRow;
use crate::store::{NewAuditEvent, NewSupplier, Tx};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddContract {
    pub reference: String,
    pub title: String,
    pub service: String,
    /// The provider's name; created in the supplier register if it is not there yet.
    pub provider: String,
    pub provider_companies_house_number: Option<String>,
    pub provider_charity_number: Option<String>,
    pub commissioner: Option<String>,
    pub annual_value: String,
    /// `2026-04-01` or `01/04/2026`.
    pub start: String,
    /// As councils write it: `5+2+2`, `2+1+1`, `9m`.
    pub term: String,
    /// One per extension option, in order: available, taken or declined. Empty: all available.
    pub option_statuses: Vec<String>,
    pub notice_period_months: Option<u32>,
}

pub async fn add(ctx: &Ctx, input: AddContract) -> Result<Contract> {
    let reference = required("reference", "contract reference", &input.reference)?;
    let title = required("title", "contract title", &input.title)?;
    let service = required("service", "service", &input.service)?;
    let provider_name = required("provider", "provider’s name", &input.provider)?;
    let annual_value = field("annualValue", Money::parse(&input.annual_value))?;
    if annual_value.pence() < 0 {
        return Err(Error::validation(
            "annualValue",
            "the annual value cannot be negative",
        ));
    }
    let start = field("start", dates::parse(&input.start))?;
    let term = field("term", Term::parse(&input.term))?;
    let option_statuses = if input.option_statuses.is_empty() {
        vec![OptionStatus::Available; term.extension_months.len()]
    } else {
        input
            .option_statuses
            .iter()
            .map(|s| OptionStatus::parse(s))
            .collect::<Result<Vec<_>>>()
            .map_err(|e| e.in_field("optionStatuses"))?
    };
    let notice_period_months = input.notice_period_months.unwrap_or(3);
    if notice_period_months > 24 {
        return Err(Error::validation(
            "noticePeriodMonths",
            "a notice period is at most 24 months",
        ));
    }
    // Checked before anything is written: a bad set of options is a field error.
    term_dates(start, &term, &option_statuses)?;
    let w = ctx.act(Action::ManageRegisters)?;
    let mut tx = ctx.store.begin().await?;
    let commissioner = match optional(input.commissioner.as_deref()) {
        Some(c) => Some(resolve_organisation(
            &tx.registers().organisations().await?,
            c,
            "commissioner",
        )?),
        None => None,
    };
    if let Some(c) = tx
        .contracts()
        .contracts()
        .await?
        .iter()
        .find(|c| c.reference.eq_ignore_ascii_case(&reference))
    {
        return Err(Error::validation(
            "reference",
            format!(
                "there is already a contract with the reference “{}”: {}",
                c.reference, c.title
            ),
        ));
    }
    let ch = optional(input.provider_companies_house_number.as_deref())
        .map(registers::companies_house_number)
        .transpose()
        .map_err(|e| e.in_field("provider"))?;
    let charity = optional(input.provider_charity_number.as_deref())
        .map(registers::charity_number)
        .transpose()
        .map_err(|e| e.in_field("provider"))?;
    // The provider is found in the register, or added to it in this same transaction, so a
    // refused contract leaves no stray supplier.
    let all = tx.registers().suppliers().await?;
    let found = all.iter().find(|s| {
        s.name.eq_ignore_ascii_case(&provider_name)
            || (ch.is_some() && s.companies_house_number == ch)
            || (charity.is_some() && s.charity_number == charity)
    });
    let provider = match found {
        Some(s) => s.id,
        None => {
            let new = NewSupplier {
                name: provider_name,
                companies_house_number: ch,
                charity_number: charity,
            };
            super::registers::add_supplier(&mut *tx, &w, &new).await?.id
        }
    };
    let id = tx
        .contracts()
        .insert_contract(&ContractRow {
            reference,
            title,
            service,
            provider,
            commissioner,
            annual_value,
            start,
            term,
            option_statuses,
            notice_period_months,
        })
        .await?;
    let c = contract(&mut *tx, id).await?;
    tx.audit()
        .append(NewAuditEvent::new(&w, "contract.created", "contract", Some(id.0)).after(&c))
        .await?;
    tx.commit().await?;
    Ok(c)
}

async fn contract(tx: &mut dyn Tx, id: ContractId) -> Result<Contract> {
    tx.contracts()
        .contract(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("contract {id}")))
}

pub async fn list(ctx: &Ctx) -> Result<Vec<Contract>> {
    ctx.store.read().await?.contracts().contracts().await
}

pub async fn expiring(ctx: &Ctx, within_months: Option<u32>) -> Result<Vec<ExpiringContract>> {
    let lead = within_months.unwrap_or(radar::DEFAULT_LEAD_MONTHS);
    if lead == 0 || lead > 120 {
        return Err(Error::validation(
            "withinMonths",
            "the lead time must be between 1 and 120 months",
        ));
    }
    Ok(radar::expiring(list(ctx).await?, ctx.clock.today(), lead))
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetOptionStatus {
    pub contract_id: ContractId,
    pub option: u32,
    pub status: String,
}

pub async fn set_option_status(ctx: &Ctx, input: SetOptionStatus) -> Result<Contract> {
    let status = field("status", OptionStatus::parse(&input.status))?;
    let w = ctx.act(Action::ManageRegisters)?;
    let mut tx = ctx.store.begin().await?;
    let before = contract(&mut *tx, input.contract_id).await?;
    let statuses = term::change_option(
        &before.reference,
        before.start,
        &before.term,
        &before.option_statuses,
        input.option,
        status,
    )?;
    tx.contracts()
        .set_option_statuses(before.id, &statuses)
        .await?;
    let old = before.option_statuses[input.option as usize - 1];
    tx.audit()
        .append(
            NewAuditEvent::new(
                &w,
                "contract.option_status_changed",
                "contract",
                Some(before.id.0),
            )
            .before(&serde_json::json!({"option": input.option, "status": old}))
            .after(&serde_json::json!({"option": input.option, "status": status})),
        )
        .await?;
    let after = contract(&mut *tx, before.id).await?;
    tx.commit().await?;
    Ok(after)
}
