//! Finance: budget lines, funders' contributions, lots' budgets, the savings target and
//! saved allocations, each write audited against its procurement (or lot).
use super::Conn;
use super::rows::Instant;
use super::rows::decode;
use rust_decimal::Decimal;
use sqlx::FromRow;
use std::str::FromStr;

use super::rows::instant;
use super::rows::timestamp;
use super::rows::unreadable;
use crate::domain::allocation::{Allocation, AreaLot, SavedAllocation};
use crate::domain::finance::FinancialYear;
use crate::domain::finance::budget::{Arrangement, Contribution};
use crate::domain::finance::savings::{SavingsTarget, Target};
use crate::domain::ids::{LotId, OrganisationId, ProcurementId};
use crate::domain::money::Money;
use crate::error::Result;
use crate::store::{BudgetOwner, FinanceRecords, NewContribution, WriteCtx};

/// The table and key column of a budget line's owner.
fn line_sql(owner: BudgetOwner) -> (i64, &'static str, &'static str, &'static str) {
    match owner {
        BudgetOwner::Procurement(p) => (
            p.0,
            "SELECT amount_pence FROM procurement_budget WHERE procurement_id = $1 AND financial_year = $2",
            "INSERT INTO procurement_budget (procurement_id, financial_year, amount_pence) VALUES ($1, $2, $3)
             ON CONFLICT (procurement_id, financial_year) DO UPDATE SET amount_pence = excluded.amount_pence",
            "DELETE FROM procurement_budget WHERE procurement_id = $1 AND financial_year = $2",
        ),
        BudgetOwner::Lot(l) => (
            l.0,
            "SELECT amount_pence FROM lot_budget WHERE lot_id = $1 AND financial_year = $2",
            "INSERT INTO lot_budget (lot_id, financial_year, amount_pence) VALUES ($1, $2, $3)
             ON CONFLICT (lot_id, financial_year) DO UPDATE SET amount_pence = excluded.amount_pence",
            "DELETE FROM lot_budget WHERE lot_id = $1 AND financial_year = $2",
        ),
    }
}

#[async_trait::async_trait]
impl crate::store::FinanceStore for super::BackendTx {
    async fn records(&mut self, p: ProcurementId) -> Result<FinanceRecords> {
        records_in(self.conn(), p).await
    }

    async fn budget_line(
        &mut self,
        owner: BudgetOwner,
        year: FinancialYear,
    ) -> Result<Option<Money>> {
        let (id, select, _, _) = line_sql(owner);
        let v: Option<i64> = sqlx::query_scalar(select)
            .bind(id)
            .bind(year.0)
            .fetch_optional(self.conn())
            .await?;
        Ok(v.map(Money::from_pence))
    }

    async fn set_budget_line(
        &mut self,
        owner: BudgetOwner,
        year: FinancialYear,
        amount: Option<Money>,
    ) -> Result<()> {
        let (id, _, upsert, delete) = line_sql(owner);
        match amount {
            Some(a) => sqlx::query(upsert).bind(id).bind(year.0).bind(a.pence()),
            None => sqlx::query(delete).bind(id).bind(year.0),
        }
        .execute(self.conn())
        .await?;
        Ok(())
    }

    async fn contribution(
        &mut self,
        p: ProcurementId,
        funder: OrganisationId,
        year: FinancialYear,
    ) -> Result<Option<Contribution>> {
        sqlx::query_as::<_, ContributionRow>(sqlx::AssertSqlSafe(format!(
            "{CONTRIBUTION} WHERE c.procurement_id = $1 AND c.organisation_id = $2 AND c.financial_year = $3"
        )))
        .bind(p.0)
        .bind(funder.0)
        .bind(year.0)
        .fetch_optional(self.conn())
        .await?
        .map(Contribution::try_from)
        .transpose()
    }

    async fn contribution_by_id(
        &mut self,
        p: ProcurementId,
        id: i64,
    ) -> Result<Option<Contribution>> {
        sqlx::query_as::<_, ContributionRow>(sqlx::AssertSqlSafe(format!(
            "{CONTRIBUTION} WHERE c.id = $1 AND c.procurement_id = $2"
        )))
        .bind(id)
        .bind(p.0)
        .fetch_optional(self.conn())
        .await?
        .map(Contribution::try_from)
        .transpose()
    }

    async fn set_contribution(&mut self, p: ProcurementId, c: &NewContribution) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO funder_contributions (procurement_id, organisation_id, financial_year, amount_pence, arrangement, purpose)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (procurement_id, organisation_id, financial_year) DO UPDATE SET
               amount_pence = excluded.amount_pence, arrangement = excluded.arrangement, purpose = excluded.purpose
             RETURNING id",
        )
        .bind(p.0)
        .bind(c.funder.0)
        .bind(c.financial_year.0)
        .bind(c.amount.pence())
        .bind(c.arrangement.key())
        .bind(&c.purpose)
        .fetch_one(self.conn())
        .await?)
    }

    async fn remove_contribution(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM funder_contributions WHERE id = $1")
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    async fn savings(&mut self, p: ProcurementId) -> Result<Option<SavingsTarget>> {
        savings_in(self.conn(), p).await
    }

    async fn set_savings(&mut self, p: ProcurementId, t: Option<&SavingsTarget>) -> Result<()> {
        match t {
            Some(t) => {
                let (kind, value) = match &t.target {
                    Target::Percent(d) => ("percent", d.normalize().to_string()),
                    Target::Amount(m) => ("amount", m.pence().to_string()),
                };
                sqlx::query(
                    "INSERT INTO savings_targets (procurement_id, baseline_pence, target_kind, target_value, years, first_year, notes)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (procurement_id) DO UPDATE SET baseline_pence = excluded.baseline_pence,
                       target_kind = excluded.target_kind, target_value = excluded.target_value, years = excluded.years,
                       first_year = excluded.first_year, notes = excluded.notes",
                )
                .bind(p.0)
                .bind(t.baseline.pence())
                .bind(kind)
                .bind(value)
                .bind(i64::from(t.years))
                .bind(t.first_year.0)
                .bind(&t.notes)
                .execute(self.conn())
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM savings_targets WHERE procurement_id = $1")
                    .bind(p.0)
                    .execute(self.conn())
                    .await?;
            }
        }
        Ok(())
    }

    async fn insert_allocation(
        &mut self,
        p: ProcurementId,
        basis: &str,
        allocation: &Allocation,
        areas: &[AreaLot],
        w: &WriteCtx,
    ) -> Result<i64> {
        let conn = self.conn();
        let result = serde_json::to_string(allocation).expect("serialisable");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO allocations (procurement_id, basis, result, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(p.0)
        .bind(basis)
        .bind(&result)
        .bind(&w.actor)
        .bind(timestamp(w.at))
        .fetch_one(&mut *conn)
        .await?;
        for a in areas {
            sqlx::query(
                "INSERT INTO allocation_lots (allocation_id, area, lot_id) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(&a.area)
            .bind(a.lot_id.map(|l| l.0))
            .execute(&mut *conn)
            .await?;
        }
        Ok(id)
    }
}

const CONTRIBUTION: &str = "SELECT c.id, c.organisation_id, o.name, c.financial_year, c.amount_pence,
    c.arrangement, c.purpose FROM funder_contributions c JOIN organisations o ON o.id = c.organisation_id";

#[derive(FromRow)]
struct ContributionRow {
    id: i64,
    organisation_id: i64,
    name: String,
    financial_year: i64,
    amount_pence: i64,
    arrangement: String,
    purpose: String,
}

impl TryFrom<ContributionRow> for Contribution {
    type Error = crate::error::Error;
    fn try_from(r: ContributionRow) -> Result<Self> {
        Ok(Contribution {
            id: r.id,
            funder_id: r.organisation_id,
            funder: r.name,
            financial_year: FinancialYear(r.financial_year as i32),
            amount: Money::from_pence(r.amount_pence),
            arrangement: Arrangement::parse(&r.arrangement)
                .map_err(|_| unreadable("funding arrangement"))?,
            purpose: r.purpose,
        })
    }
}

#[derive(FromRow)]
struct SavingsRow {
    baseline_pence: i64,
    target_kind: String,
    target_value: String,
    years: i64,
    first_year: i64,
    notes: String,
}

#[derive(FromRow)]
struct AllocationRow {
    id: i64,
    basis: String,
    result: String,
    saved_by: String,
    saved_at: Instant,
}

async fn savings_in(conn: &mut Conn, p: ProcurementId) -> Result<Option<SavingsTarget>> {
    let Some(r) = sqlx::query_as::<_, SavingsRow>(
        "SELECT baseline_pence, target_kind, target_value, years, first_year, notes
         FROM savings_targets WHERE procurement_id = $1",
    )
    .bind(p.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let target = match r.target_kind.as_str() {
        "percent" => Target::Percent(
            Decimal::from_str(&r.target_value).map_err(|_| unreadable("savings target"))?,
        ),
        _ => Target::Amount(Money::from_pence(
            r.target_value
                .parse()
                .map_err(|_| unreadable("savings target"))?,
        )),
    };
    Ok(Some(SavingsTarget {
        baseline: Money::from_pence(r.baseline_pence),
        target,
        years: r.years as u32,
        first_year: FinancialYear(r.first_year as i32),
        notes: r.notes,
    }))
}

async fn records_in(conn: &mut Conn, p: ProcurementId) -> Result<FinanceRecords> {
    let contributions = decode::<ContributionRow>(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{CONTRIBUTION} WHERE c.procurement_id = $1 ORDER BY c.id"
        )))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?,
    )?
    .into_iter()
    .map(Contribution::try_from)
    .collect::<Result<Vec<_>>>()?;
    let lot_budgets: Vec<(i64, i64, i64)> = decode(sqlx::query(
        "SELECT b.lot_id, b.financial_year, b.amount_pence FROM lot_budget b JOIN lots l ON l.id = b.lot_id
         WHERE l.procurement_id = $1 ORDER BY b.lot_id, b.financial_year",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?)?;
    let lot_budgets = lot_budgets
        .into_iter()
        .map(|(lot, year, pence)| {
            (
                LotId(lot),
                FinancialYear(year as i32),
                Money::from_pence(pence),
            )
        })
        .collect();
    let savings = savings_in(conn, p).await?;
    let rows = decode::<AllocationRow>(sqlx::query(
        "SELECT id, basis, result, saved_by, saved_at FROM allocations WHERE procurement_id = $1 ORDER BY id DESC",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?)?;
    let mut allocations = Vec::new();
    for r in rows {
        let allocation: Allocation =
            serde_json::from_str(&r.result).map_err(|_| unreadable("allocation"))?;
        let links: Vec<(String, Option<i64>)> = decode(
            sqlx::query("SELECT area, lot_id FROM allocation_lots WHERE allocation_id = $1")
                .bind(r.id)
                .fetch_all(&mut *conn)
                .await?,
        )?;
        // In the order the areas were allocated, not the database's.
        let areas = allocation
            .rows
            .iter()
            .map(|row| AreaLot {
                area: row.area.clone(),
                lot_id: links
                    .iter()
                    .find(|(a, _)| *a == row.area)
                    .and_then(|(_, l)| l.map(LotId)),
            })
            .collect();
        allocations.push(SavedAllocation {
            id: r.id,
            basis: r.basis,
            allocation,
            areas,
            saved_by: r.saved_by,
            saved_at: instant(&r.saved_at),
        });
    }
    Ok(FinanceRecords {
        contributions,
        lot_budgets,
        savings,
        allocations,
    })
}
