//! Commissioning finance use cases: the budget position, funders' contributions, savings
//! against a baseline, whole-life values, and allocations of posts or money saved to lots.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use ts_rs::TS;

use super::textfile::TextFile;
use super::{Ctx, field, optional};
use crate::domain::allocation::{Allocation, AreaLot, SavedAllocation};
use crate::domain::contract::Contract;
use crate::domain::finance::FinancialYear;
use crate::domain::finance::budget::{
    self, Arrangement, BudgetPosition, Commitment, CommitmentKind, Contribution, Inputs, LotLines,
    ProspectInput,
};
use crate::domain::finance::savings::{self, SavingsTarget, SavingsTracker, Target, YearSpend};
use crate::domain::finance::spread;
use crate::domain::finance::whole_life::{WholeLife, whole_life};
use crate::domain::ids::{LotId, ProcurementId};
use crate::domain::milestone::CONTRACT_START;
use crate::domain::money::Money;
use crate::domain::procurement::Procurement;
use crate::domain::registers::Organisation;
use crate::domain::roles::Action;
use crate::domain::stage::Stage;
use crate::domain::term::{OptionStatus, Term};
use crate::error::{Error, Result};
use crate::store::{BudgetOwner, NewAuditEvent, NewContribution, Tx, WriteCtx};

/// A lot's value: estimated until a tender is recommended, then the winning annual price.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LotValue {
    pub lot_id: LotId,
    pub reference: String,
    pub title: String,
    pub stage: Stage,
    pub annual: Option<Money>,
    /// "estimated annual value" or "winning tender: Porchlight".
    pub basis: String,
    pub contract_start: Option<NaiveDate>,
    pub whole_life: Option<WholeLife>,
}

/// A contract a lot replaces, valued over its whole term.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContractValue {
    pub contract_id: i64,
    pub reference: String,
    pub title: String,
    pub provider: String,
    pub lot_id: LotId,
    pub whole_life: WholeLife,
}

/// Everything the finance tab shows for one procurement.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FinanceView {
    pub procurement: Procurement,
    pub as_at: NaiveDate,
    pub lots: Vec<LotValue>,
    pub contracts: Vec<ContractValue>,
    pub contributions: Vec<Contribution>,
    pub position: BudgetPosition,
    pub savings: Option<SavingsTracker>,
    /// Newest first.
    pub allocations: Vec<SavedAllocation>,
    /// Who can be named as a funder.
    pub organisations: Vec<Organisation>,
}

fn describe_period(start: NaiveDate, end: NaiveDate) -> String {
    format!(
        "{} to {}",
        crate::domain::dates::long(start),
        crate::domain::dates::long(end)
    )
}

struct Gathered {
    procurement: Procurement,
    lots: Vec<LotValue>,
    contracts: Vec<ContractValue>,
    commitments: Vec<Commitment>,
    prospects: Vec<ProspectInput>,
    /// Each live lot's estimated annual value, for the months no contract covers.
    estimates: Vec<(LotId, Option<Money>)>,
}

async fn gather(ctx: &Ctx, id: ProcurementId) -> Result<Gathered> {
    let procurement = super::registers::list_procurements(ctx)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| Error::not_found(format!("procurement {}", id.0)))?;
    let today = ctx.clock.today();
    let all_contracts: Vec<Contract> = super::contracts::list(ctx).await?;
    let mut g = Gathered {
        procurement,
        lots: Vec::new(),
        contracts: Vec::new(),
        commitments: Vec::new(),
        prospects: Vec::new(),
        estimates: Vec::new(),
    };
    for lot_id in crate::ops::lots::in_procurement(ctx, id).await? {
        let lot = super::lots::show(ctx, lot_id).await?;
        if lot.stage == Stage::Abandoned {
            continue;
        }
        let start = lot.milestone_date(CONTRACT_START);
        let winner = super::eval::winning_tender(ctx, &lot).await;
        let (annual, basis) = match &winner {
            Some((who, price)) => (Some(*price), format!("winning tender: {who}")),
            None => (
                lot.estimated_annual_value,
                "estimated annual value".to_string(),
            ),
        };
        let wl = match (annual, &lot.term) {
            (Some(a), Some(t)) => Some(whole_life(a, t, start, &[], today)?),
            _ => None,
        };
        if let (Some((who, price)), Some(t), Some(s)) = (&winner, &lot.term, start) {
            let dated = crate::domain::term::term_dates(
                s,
                t,
                &vec![OptionStatus::Available; t.extension_months.len()],
            )?;
            let awarded = matches!(lot.stage, Stage::Award | Stage::Contract);
            let core = spread::by_year(*price, s, dated.core_end);
            if awarded {
                g.commitments.push(Commitment {
                    kind: CommitmentKind::Award,
                    lot_id: lot.id,
                    label: format!("{}: award to {who}, core term", lot.reference),
                    annual: *price,
                    start: s,
                    end: dated.core_end,
                    by_year: budget::year_amounts(&core),
                });
            } else {
                g.prospects.push(ProspectInput {
                    lot_id: lot.id,
                    label: format!(
                        "Awarding {} to {who} at {} a year ({})",
                        lot.reference,
                        price.display(),
                        describe_period(s, dated.core_end)
                    ),
                    by_year: core,
                });
            }
            for o in &dated.options {
                g.prospects.push(ProspectInput {
                    lot_id: lot.id,
                    label: format!(
                        "Taking extension option {} of the {} contract ({})",
                        o.number,
                        lot.reference,
                        describe_period(o.start, o.end)
                    ),
                    by_year: spread::by_year(*price, o.start, o.end),
                });
            }
        }
        if let Some(rc) = &lot.replaces_contract
            && let Some(c) = all_contracts.iter().find(|c| c.id == rc.id)
        {
            g.commitments.push(Commitment {
                kind: CommitmentKind::CurrentContract,
                lot_id: lot.id,
                label: format!(
                    "{} {} (current contract, {})",
                    c.reference, c.provider.name, lot.reference
                ),
                annual: c.annual_value,
                start: c.start,
                end: c.dates.current_end,
                by_year: budget::year_amounts(&spread::by_year(
                    c.annual_value,
                    c.start,
                    c.dates.current_end,
                )),
            });
            for o in
                c.dates.options.iter().filter(|o| {
                    o.status == OptionStatus::Available && o.start > c.dates.current_end
                })
            {
                if o.end > c.dates.final_possible_end {
                    break;
                }
                g.prospects.push(ProspectInput {
                    lot_id: lot.id,
                    label: format!(
                        "Taking option {} of {} ({})",
                        o.number,
                        c.reference,
                        describe_period(o.start, o.end)
                    ),
                    by_year: spread::by_year(c.annual_value, o.start, o.end),
                });
            }
            g.contracts.push(ContractValue {
                contract_id: c.id.0,
                reference: c.reference.clone(),
                title: c.title.clone(),
                provider: c.provider.name.clone(),
                lot_id: lot.id,
                whole_life: whole_life(
                    c.annual_value,
                    &c.term,
                    Some(c.start),
                    &c.option_statuses,
                    today,
                )?,
            });
        }
        g.estimates.push((lot.id, lot.estimated_annual_value));
        g.lots.push(LotValue {
            lot_id: lot.id,
            reference: lot.reference.clone(),
            title: lot.title.clone(),
            stage: lot.stage,
            annual,
            basis,
            contract_start: start,
            whole_life: wl,
        });
    }
    Ok(g)
}

fn spend(g: &Gathered, fy: FinancialYear) -> YearSpend {
    let mut committed = Money::ZERO;
    let mut estimated = Decimal::ZERO;
    for (lot, estimate) in &g.estimates {
        let mut covered = Decimal::ZERO;
        for c in g.commitments.iter().filter(|c| c.lot_id == *lot) {
            if let Some(y) = c.by_year.iter().find(|y| y.financial_year == fy) {
                committed = Money::from_pence(committed.pence() + y.amount.pence());
            }
            covered += spread::months_by_year(c.start, c.end)
                .get(&fy)
                .copied()
                .unwrap_or_default();
        }
        let open = (Decimal::from(12) - covered).max(Decimal::ZERO);
        if let Some(e) = estimate {
            estimated += e.to_decimal() * open / Decimal::from(12);
        }
    }
    YearSpend {
        committed,
        estimated: Money::round_from(estimated),
    }
}

pub async fn view(ctx: &Ctx, id: ProcurementId) -> Result<FinanceView> {
    let g = gather(ctx, id).await?;
    let records = ctx.store.read().await?.finance().records(id).await?;
    let budget_lines: Vec<(FinancialYear, Money)> = g
        .procurement
        .budget
        .iter()
        .map(|b| (b.financial_year, b.amount))
        .collect();
    let today = ctx.clock.today();
    let from = budget_lines
        .iter()
        .map(|(fy, _)| *fy)
        .chain(records.contributions.iter().map(|c| c.financial_year))
        .min()
        .unwrap_or_else(|| FinancialYear::containing(today));
    let lot_budgets: Vec<LotLines> = g
        .lots
        .iter()
        .map(|l| {
            let lines = records
                .lot_budgets
                .iter()
                .filter(|(id, _, _)| *id == l.lot_id)
                .map(|(_, fy, m)| (*fy, *m))
                .collect();
            LotLines {
                lot_id: l.lot_id,
                lot: format!("{}: {}", l.reference, l.title),
                lines,
            }
        })
        .collect();
    let until = budget_lines
        .iter()
        .map(|(fy, _)| *fy)
        .chain(
            g.commitments
                .iter()
                .map(|c| FinancialYear::containing(c.end)),
        )
        .max()
        .unwrap_or(from);
    let savings = records
        .savings
        .as_ref()
        .map(|t| savings::track(t, until, |fy| spend(&g, fy)));
    let position = budget::position(Inputs {
        budget: &budget_lines,
        contributions: &records.contributions,
        lot_budgets: &lot_budgets,
        commitments: g.commitments.clone(),
        prospects: g.prospects.clone(),
        from,
    });
    Ok(FinanceView {
        procurement: g.procurement,
        as_at: today,
        lots: g.lots,
        contracts: g.contracts,
        contributions: records.contributions,
        position,
        savings,
        allocations: records.allocations,
        organisations: super::registers::list_organisations(ctx).await?,
    })
}

// ----- Writes -----

fn year(field_name: &str, s: &str) -> Result<FinancialYear> {
    field(field_name, FinancialYear::parse(s))
}

/// An amount, or nothing (to remove a line) when left empty.
fn amount_or_none(field_name: &str, s: &str) -> Result<Option<Money>> {
    match optional(Some(s)) {
        None => Ok(None),
        Some(t) => {
            let m = field(field_name, Money::parse(t))?;
            if m.pence() < 0 {
                return Err(Error::validation(field_name, "a budget cannot be negative"));
            }
            Ok(Some(m))
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetBudget {
    pub procurement_id: ProcurementId,
    pub financial_year: String,
    /// Empty removes the year's budget.
    pub amount: String,
}

pub async fn set_budget(ctx: &Ctx, input: SetBudget) -> Result<FinanceView> {
    let w = ctx.act(Action::ManageFinance)?;
    let fy = year("financialYear", &input.financial_year)?;
    let amount = amount_or_none("amount", &input.amount)?;
    let p = input.procurement_id;
    let mut tx = ctx.store.begin().await?;
    require_procurement(&mut *tx, p).await?;
    set_year_line(&mut *tx, &w, BudgetOwner::Procurement(p), fy, amount).await?;
    tx.commit().await?;
    view(ctx, p).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetLotBudget {
    pub lot_id: LotId,
    pub financial_year: String,
    /// Empty removes the year's budget.
    pub amount: String,
}

pub async fn set_lot_budget(ctx: &Ctx, input: SetLotBudget) -> Result<FinanceView> {
    let w = ctx.act(Action::ManageFinance)?;
    let fy = year("financialYear", &input.financial_year)?;
    let amount = amount_or_none("amount", &input.amount)?;
    let lot = super::lots::show(ctx, input.lot_id).await?;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot.id).await?;
    set_year_line(&mut *tx, &w, BudgetOwner::Lot(lot.id), fy, amount).await?;
    tx.commit().await?;
    view(ctx, lot.procurement.id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetContribution {
    pub procurement_id: ProcurementId,
    /// The funder's name or id.
    pub funder: String,
    pub financial_year: String,
    pub amount: String,
    /// pooled or aligned.
    pub arrangement: String,
    /// What the money is for.
    pub purpose: String,
}

pub async fn set_contribution(ctx: &Ctx, input: SetContribution) -> Result<FinanceView> {
    let w = ctx.act(Action::ManageFinance)?;
    let orgs = super::registers::list_organisations(ctx).await?;
    if input.funder.trim().is_empty() {
        return Err(Error::validation("funder", "choose the funder"));
    }
    let funder = super::registers::resolve_organisation(&orgs, &input.funder, "funder")?;
    let fy = year("financialYear", &input.financial_year)?;
    let amount = match amount_or_none("amount", &input.amount)? {
        Some(m) => m,
        None => {
            return Err(Error::validation(
                "amount",
                "enter the amount, for example £1,000,000",
            ));
        }
    };
    let arrangement = Arrangement::parse(&input.arrangement)?;
    let purpose = super::required("purpose", "purpose of the contribution", &input.purpose)?;
    let c = NewContribution {
        funder,
        financial_year: fy,
        amount,
        arrangement,
        purpose,
    };
    let p = input.procurement_id;
    let mut tx = ctx.store.begin().await?;
    require_procurement(&mut *tx, p).await?;
    if !tx
        .registers()
        .organisations()
        .await?
        .iter()
        .any(|o| o.id == c.funder)
    {
        return Err(Error::not_found(format!("organisation {}", c.funder.0)));
    }
    let before = tx
        .finance()
        .contribution(p, c.funder, c.financial_year)
        .await?;
    let id = tx.finance().set_contribution(p, &c).await?;
    let after = tx
        .finance()
        .contribution_by_id(p, id)
        .await?
        .ok_or_else(|| Error::not_found(format!("contribution {id}")))?;
    if before.as_ref() != Some(&after) {
        tx.audit()
            .append(
                NewAuditEvent::new(&w, "finance.contribution_set", "procurement", Some(p.0))
                    .before_opt(before.as_ref())
                    .after(&after),
            )
            .await?;
    }
    tx.commit().await?;
    view(ctx, p).await
}

pub async fn remove_contribution(
    ctx: &Ctx,
    procurement: ProcurementId,
    id: i64,
) -> Result<FinanceView> {
    let w = ctx.act(Action::ManageFinance)?;
    let mut tx = ctx.store.begin().await?;
    let before = tx
        .finance()
        .contribution_by_id(procurement, id)
        .await?
        .ok_or_else(|| Error::not_found(format!("contribution {id} of this procurement")))?;
    tx.finance().remove_contribution(id).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(
                &w,
                "finance.contribution_removed",
                "procurement",
                Some(procurement.0),
            )
            .before(&before),
        )
        .await?;
    tx.commit().await?;
    view(ctx, procurement).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetSavings {
    pub procurement_id: ProcurementId,
    /// Current annual spend: `£8,165,000`.
    pub baseline: String,
    /// `10%` or an amount: `£200,000`.
    pub target: String,
    /// Over how many years, evenly: `3`.
    pub years: String,
    /// The first year of the plan: `2026/27`.
    pub first_year: String,
    pub notes: String,
}

pub fn parse_target(s: &str) -> Result<Target> {
    let t = s.trim();
    if let Some(p) = t.strip_suffix('%') {
        let d = Decimal::from_str(p.trim()).map_err(|_| {
            Error::validation(
                "target",
                format!("“{t}” is not a percentage: write it as 10% or 7.5%"),
            )
        })?;
        return Ok(Target::Percent(d));
    }
    if t.is_empty() {
        return Err(Error::validation(
            "target",
            "enter the target: a percentage (10%) or an amount a year (£200,000)",
        ));
    }
    Ok(Target::Amount(field("target", Money::parse(t))?))
}

pub fn parse_savings(input: &SetSavings) -> Result<SavingsTarget> {
    let baseline = field("baseline", Money::parse(&input.baseline))?;
    let target = parse_target(&input.target)?;
    let years: u32 = input.years.trim().parse().map_err(|_| {
        Error::validation(
            "years",
            format!("“{}” is not a whole number of years", input.years.trim()),
        )
    })?;
    let t = SavingsTarget {
        baseline,
        target,
        years,
        first_year: year("firstYear", &input.first_year)?,
        notes: input.notes.trim().to_string(),
    };
    t.validate()?;
    Ok(t)
}

pub async fn set_savings(ctx: &Ctx, input: SetSavings) -> Result<FinanceView> {
    let w = ctx.act(Action::ManageFinance)?;
    let t = parse_savings(&input)?;
    set_savings_target(ctx, &w, input.procurement_id, Some(t)).await?;
    view(ctx, input.procurement_id).await
}

pub async fn clear_savings(ctx: &Ctx, procurement: ProcurementId) -> Result<FinanceView> {
    let w = ctx.act(Action::ManageFinance)?;
    set_savings_target(ctx, &w, procurement, None).await?;
    view(ctx, procurement).await
}

// ----- Allocation -----

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AllocationInput {
    /// The CSV file's bytes, with `area` and `population` columns (and optionally `lot`);
    /// decoded by the engine, so a Windows-1252 file reads the same as from the CLI.
    pub csv: Vec<u8>,
    pub file_name: String,
    /// Posts (`25`) or money (`£5,950,000`); or else `per`.
    pub total: String,
    /// People per post (`20000`).
    pub per: String,
    /// Area name to lot reference, overriding the file's `lot` column; empty for none.
    pub lots: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AllocationPreview {
    pub basis: String,
    pub allocation: Allocation,
    /// Each area's lot reference, if any, in allocation order.
    pub lots: Vec<Option<String>>,
    /// "read as Windows-1252" when the file was not UTF-8.
    pub read_as: Option<String>,
}

fn basis(a: &Allocation, per: Option<u64>) -> String {
    match (a.unit.as_str(), per) {
        (_, Some(p)) => format!(
            "1 post per {} people ({} posts)",
            crate::domain::money::group_thousands(p),
            a.total
        ),
        ("money", _) => a.total_amount.map(|m| m.display()).unwrap_or_default(),
        _ => format!("{} posts", a.total),
    }
}

pub fn preview_allocation(input: &AllocationInput) -> Result<AllocationPreview> {
    let name = if input.file_name.trim().is_empty() {
        "areas.csv"
    } else {
        input.file_name.trim()
    };
    let file = TextFile::decode(&input.csv, name, "csv")?;
    let rows = super::allocation::parse_areas_file(&file)?;
    let per = match optional(Some(&input.per)) {
        None => None,
        Some(p) => Some(p.replace(',', "").parse::<u64>().map_err(|_| {
            Error::validation(
                "per",
                format!("“{p}” is not a whole number of people per post (e.g. 20,000)"),
            )
        })?),
    };
    let areas: Vec<_> = rows.iter().map(|(a, _)| a.clone()).collect();
    let allocation = super::allocation::allocate(&areas, optional(Some(&input.total)), per)?;
    let lots = rows
        .iter()
        .map(|(a, lot)| match input.lots.get(&a.name) {
            Some(chosen) => optional(Some(chosen)).map(str::to_string),
            None => lot.clone(),
        })
        .collect();
    Ok(AllocationPreview {
        basis: basis(&allocation, per),
        allocation,
        lots,
        read_as: file.read_as.note().map(str::to_string),
    })
}

/// Computes the allocation again from the input (never trusting a shown result) and saves
/// it against the procurement's lots, each area's lot named by its reference.
pub async fn save_allocation(
    ctx: &Ctx,
    procurement: ProcurementId,
    input: &AllocationInput,
) -> Result<SavedAllocation> {
    let w = ctx.act(Action::ManageFinance)?;
    let p = preview_allocation(input)?;
    let mut lots = Vec::new();
    for id in crate::ops::lots::in_procurement(ctx, procurement).await? {
        let l = super::lots::show(ctx, id).await?;
        lots.push((l.id, l.reference));
    }
    let mut areas = Vec::new();
    for (row, lot) in p.allocation.rows.iter().zip(&p.lots) {
        let lot_id = match lot {
            None => None,
            Some(r) => Some(
                lots.iter()
                    .find(|(_, reference)| reference.eq_ignore_ascii_case(r.trim()))
                    .map(|(id, _)| *id)
                    .ok_or_else(|| {
                        let known: Vec<&str> = lots.iter().map(|(_, r)| r.as_str()).collect();
                        Error::validation(
                            "lot",
                            format!(
                                "{}: “{r}” is not a lot of this procurement (its lots: {})",
                                row.area,
                                known.join(", ")
                            ),
                        )
                    })?,
            ),
        };
        areas.push(AreaLot {
            area: row.area.clone(),
            lot_id,
        });
    }
    let mut tx = ctx.store.begin().await?;
    require_procurement(&mut *tx, procurement).await?;
    // Read again inside the write: a lot moved meanwhile is caught here.
    let own = tx.lots().in_procurement(procurement).await?;
    if let Some(a) = areas
        .iter()
        .find(|a| a.lot_id.is_some_and(|l| !own.contains(&l)))
    {
        return Err(Error::validation(
            "lots",
            format!(
                "{}: lot {} is not one of this procurement’s lots",
                a.area,
                a.lot_id.map(|l| l.0).unwrap_or_default()
            ),
        ));
    }
    let id = tx
        .finance()
        .insert_allocation(procurement, &p.basis, &p.allocation, &areas, &w)
        .await?;
    let saved = SavedAllocation {
        id,
        basis: p.basis,
        allocation: p.allocation,
        areas,
        saved_by: w.actor.clone(),
        saved_at: w.at,
    };
    tx.audit()
        .append(
            NewAuditEvent::new(
                &w,
                "finance.allocation_saved",
                "procurement",
                Some(procurement.0),
            )
            .after(&saved),
        )
        .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Not found, named, when the procurement does not exist.
async fn require_procurement(tx: &mut dyn Tx, p: ProcurementId) -> Result<()> {
    tx.registers()
        .procurement(p)
        .await?
        .map(|_| ())
        .ok_or_else(|| Error::not_found(format!("procurement {}", p.0)))
}

/// Sets, or with None removes, one year's budget line, audited against its owner; an
/// unchanged line writes nothing.
async fn set_year_line(
    tx: &mut dyn Tx,
    w: &WriteCtx,
    owner: BudgetOwner,
    year: FinancialYear,
    amount: Option<Money>,
) -> Result<()> {
    let before = tx.finance().budget_line(owner, year).await?;
    if before == amount {
        return Ok(());
    }
    tx.finance().set_budget_line(owner, year, amount).await?;
    let (action, entity, id) = match owner {
        BudgetOwner::Procurement(p) => ("finance.budget_set", "procurement", p.0),
        BudgetOwner::Lot(l) => ("finance.lot_budget_set", "lot", l.0),
    };
    let shown =
        |m: Option<Money>| m.map(|m| serde_json::json!({"financialYear": year, "amount": m}));
    tx.audit()
        .append(
            NewAuditEvent::new(w, action, entity, Some(id))
                .before_opt(shown(before).as_ref())
                .after_opt(shown(amount).as_ref()),
        )
        .await
}

async fn set_savings_target(
    ctx: &Ctx,
    w: &WriteCtx,
    p: ProcurementId,
    target: Option<SavingsTarget>,
) -> Result<()> {
    let mut tx = ctx.store.begin().await?;
    require_procurement(&mut *tx, p).await?;
    let before = tx.finance().savings(p).await?;
    if before == target {
        return Ok(());
    }
    tx.finance().set_savings(p, target.as_ref()).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(w, "finance.savings_target_set", "procurement", Some(p.0))
                .before_opt(before.as_ref())
                .after_opt(target.as_ref()),
        )
        .await?;
    tx.commit().await
}

/// Whole-life value of a term typed as councils write it, from an optional start date.
pub fn term_value(
    term: &str,
    from: Option<&str>,
    annual: &str,
    today: NaiveDate,
) -> Result<WholeLife> {
    let t = field("term", Term::parse(term))?;
    let start = match optional(from) {
        Some(s) => Some(field("from", crate::domain::dates::parse(s))?),
        None => None,
    };
    let annual = match optional(Some(annual)) {
        Some(a) => field("annual", Money::parse(a))?,
        None => Money::ZERO,
    };
    whole_life(annual, &t, start, &[], today)
}
