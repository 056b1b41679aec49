//! Finance: budget lines, funders' contributions, lots' budgets, the savings target and
//! saved allocations, each write audited against its procurement (or lot).
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::{Row, SqliteConnection, SqlitePool};
use std::str::FromStr;

use super::rows::instant;
use super::rows::unreadable;
use super::{SqliteStore, audit, ensure_lot};
use crate::domain::allocation::{Allocation, AreaLot, SavedAllocation};
use crate::domain::audit::timestamp;
use crate::domain::finance::FinancialYear;
use crate::domain::finance::budget::{Arrangement, Contribution};
use crate::domain::finance::savings::{SavingsTarget, Target};
use crate::domain::ids::{LotId, ProcurementId};
use crate::domain::money::Money;
use crate::error::{Error, Result};
use crate::store::{FinanceRecords, NewContribution, WriteCtx};

async fn ensure_procurement(conn: &mut SqliteConnection, p: ProcurementId) -> Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM procurements WHERE id = ?")
        .bind(p.0)
        .fetch_one(&mut *conn)
        .await?;
    if n == 0 {
        return Err(Error::not_found(format!("procurement {}", p.0)));
    }
    Ok(())
}

const CONTRIBUTION: &str = "SELECT c.id, c.organisation_id, o.name, c.financial_year, c.amount_pence,
    c.arrangement, c.purpose FROM funder_contributions c JOIN organisations o ON o.id = c.organisation_id";

fn contribution(r: &sqlx::sqlite::SqliteRow) -> Result<Contribution> {
    Ok(Contribution {
        id: r.get(0),
        funder_id: r.get(1),
        funder: r.get(2),
        financial_year: FinancialYear(r.get::<i64, _>(3) as i32),
        amount: Money::from_pence(r.get(4)),
        arrangement: Arrangement::parse(r.get::<String, _>(5).as_str())
            .map_err(|_| unreadable("funding arrangement"))?,
        purpose: r.get(6),
    })
}

async fn savings_in(
    conn: &mut SqliteConnection,
    p: ProcurementId,
) -> Result<Option<SavingsTarget>> {
    let Some(r) = sqlx::query(
        "SELECT baseline_pence, target_kind, target_value, years, first_year, notes
         FROM savings_targets WHERE procurement_id = ?",
    )
    .bind(p.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let value: String = r.get(2);
    let target = match r.get::<String, _>(1).as_str() {
        "percent" => {
            Target::Percent(Decimal::from_str(&value).map_err(|_| unreadable("savings target"))?)
        }
        _ => Target::Amount(Money::from_pence(
            value.parse().map_err(|_| unreadable("savings target"))?,
        )),
    };
    Ok(Some(SavingsTarget {
        baseline: Money::from_pence(r.get(0)),
        target,
        years: r.get::<i64, _>(3) as u32,
        first_year: FinancialYear(r.get::<i64, _>(4) as i32),
        notes: r.get(5),
    }))
}

pub async fn records(pool: &SqlitePool, p: ProcurementId) -> Result<FinanceRecords> {
    let mut conn = pool.acquire().await?;
    ensure_procurement(&mut conn, p).await?;
    let contributions = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CONTRIBUTION} WHERE c.procurement_id = ? ORDER BY c.id"
    )))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(contribution)
    .collect::<Result<Vec<_>>>()?;
    let lot_budgets = sqlx::query(
        "SELECT b.lot_id, b.financial_year, b.amount_pence FROM lot_budget b JOIN lots l ON l.id = b.lot_id
         WHERE l.procurement_id = ? ORDER BY b.lot_id, b.financial_year",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        (
            LotId(r.get(0)),
            FinancialYear(r.get::<i64, _>(1) as i32),
            Money::from_pence(r.get(2)),
        )
    })
    .collect();
    let savings = savings_in(&mut conn, p).await?;
    let rows = sqlx::query(
        "SELECT id, basis, result, saved_by, saved_at FROM allocations WHERE procurement_id = ? ORDER BY id DESC",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut allocations = Vec::new();
    for r in rows {
        let id: i64 = r.get(0);
        let allocation: Allocation = serde_json::from_str(r.get::<String, _>(2).as_str())
            .map_err(|_| unreadable("allocation"))?;
        let links: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT area, lot_id FROM allocation_lots WHERE allocation_id = ?")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
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
            id,
            basis: r.get(1),
            allocation,
            areas,
            saved_by: r.get(3),
            saved_at: instant(r.get::<String, _>(4).as_str()),
        });
    }
    Ok(FinanceRecords {
        contributions,
        lot_budgets,
        savings,
        allocations,
    })
}

/// A budget line for one financial year: the procurement's own, or one lot's.
#[derive(Clone, Copy)]
enum YearLine {
    Procurement(ProcurementId),
    Lot(LotId),
}

struct LineSql {
    select: &'static str,
    upsert: &'static str,
    delete: &'static str,
    action: &'static str,
    entity: &'static str,
}

impl YearLine {
    fn id(self) -> i64 {
        match self {
            YearLine::Procurement(p) => p.0,
            YearLine::Lot(l) => l.0,
        }
    }
    fn sql(self) -> LineSql {
        match self {
            YearLine::Procurement(_) => LineSql {
                select: "SELECT amount_pence FROM procurement_budget WHERE procurement_id = ? AND financial_year = ?",
                upsert: "INSERT INTO procurement_budget (procurement_id, financial_year, amount_pence) VALUES (?, ?, ?)
                         ON CONFLICT (procurement_id, financial_year) DO UPDATE SET amount_pence = excluded.amount_pence",
                delete: "DELETE FROM procurement_budget WHERE procurement_id = ? AND financial_year = ?",
                action: "finance.budget_set",
                entity: "procurement",
            },
            YearLine::Lot(_) => LineSql {
                select: "SELECT amount_pence FROM lot_budget WHERE lot_id = ? AND financial_year = ?",
                upsert: "INSERT INTO lot_budget (lot_id, financial_year, amount_pence) VALUES (?, ?, ?)
                         ON CONFLICT (lot_id, financial_year) DO UPDATE SET amount_pence = excluded.amount_pence",
                delete: "DELETE FROM lot_budget WHERE lot_id = ? AND financial_year = ?",
                action: "finance.lot_budget_set",
                entity: "lot",
            },
        }
    }
}

/// Sets, or with None removes, one year's budget line, audited against its owner; an
/// unchanged line writes nothing.
async fn set_year_line(
    s: &SqliteStore,
    w: &WriteCtx,
    line: YearLine,
    year: FinancialYear,
    amount: Option<Money>,
) -> Result<()> {
    let mut tx = s.write().await?;
    match line {
        YearLine::Procurement(p) => ensure_procurement(&mut tx, p).await?,
        YearLine::Lot(l) => ensure_lot(&mut tx, l).await?,
    }
    let (id, sql) = (line.id(), line.sql());
    let before: Option<i64> = sqlx::query_scalar(sql.select)
        .bind(id)
        .bind(year.0)
        .fetch_optional(&mut *tx)
        .await?;
    if before == amount.map(Money::pence) {
        return Ok(());
    }
    match amount {
        Some(a) => sqlx::query(sql.upsert)
            .bind(id)
            .bind(year.0)
            .bind(a.pence()),
        None => sqlx::query(sql.delete).bind(id).bind(year.0),
    }
    .execute(&mut *tx)
    .await?;
    let shown =
        |m: Option<i64>| m.map(|m| json!({"financialYear": year, "amount": Money::from_pence(m)}));
    audit::append(
        &mut tx,
        w,
        sql.action,
        sql.entity,
        Some(id),
        shown(before).as_ref(),
        shown(amount.map(Money::pence)).as_ref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_budget_line(
    s: &SqliteStore,
    w: &WriteCtx,
    p: ProcurementId,
    year: FinancialYear,
    amount: Option<Money>,
) -> Result<()> {
    set_year_line(s, w, YearLine::Procurement(p), year, amount).await
}

pub async fn set_lot_budget(
    s: &SqliteStore,
    w: &WriteCtx,
    lot: LotId,
    year: FinancialYear,
    amount: Option<Money>,
) -> Result<()> {
    set_year_line(s, w, YearLine::Lot(lot), year, amount).await
}

pub async fn set_contribution(
    s: &SqliteStore,
    w: &WriteCtx,
    p: ProcurementId,
    c: NewContribution,
) -> Result<Contribution> {
    let mut tx = s.write().await?;
    ensure_procurement(&mut tx, p).await?;
    let known: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations WHERE id = ?")
        .bind(c.funder.0)
        .fetch_one(&mut *tx)
        .await?;
    if known == 0 {
        return Err(Error::not_found(format!("organisation {}", c.funder.0)));
    }
    let before = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CONTRIBUTION} WHERE c.procurement_id = ? AND c.organisation_id = ? AND c.financial_year = ?"
    )))
    .bind(p.0)
    .bind(c.funder.0)
    .bind(c.financial_year.0)
    .fetch_optional(&mut *tx)
    .await?
    .as_ref()
    .map(contribution)
    .transpose()?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO funder_contributions (procurement_id, organisation_id, financial_year, amount_pence, arrangement, purpose)
         VALUES (?, ?, ?, ?, ?, ?)
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
    .fetch_one(&mut *tx)
    .await?;
    let after = contribution(
        &sqlx::query(sqlx::AssertSqlSafe(format!(
            "{CONTRIBUTION} WHERE c.id = ?"
        )))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?,
    )?;
    if before.as_ref() != Some(&after) {
        audit::append(
            &mut tx,
            w,
            "finance.contribution_set",
            "procurement",
            Some(p.0),
            before.as_ref(),
            Some(&after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}

pub async fn remove_contribution(
    s: &SqliteStore,
    w: &WriteCtx,
    p: ProcurementId,
    id: i64,
) -> Result<()> {
    let mut tx = s.write().await?;
    let Some(r) = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CONTRIBUTION} WHERE c.id = ? AND c.procurement_id = ?"
    )))
    .bind(id)
    .bind(p.0)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Err(Error::not_found(format!(
            "contribution {id} of this procurement"
        )));
    };
    let before = contribution(&r)?;
    sqlx::query("DELETE FROM funder_contributions WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        w,
        "finance.contribution_removed",
        "procurement",
        Some(p.0),
        Some(&before),
        None::<&()>,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_savings_target(
    s: &SqliteStore,
    w: &WriteCtx,
    p: ProcurementId,
    target: Option<SavingsTarget>,
) -> Result<()> {
    let mut tx = s.write().await?;
    ensure_procurement(&mut tx, p).await?;
    let before = savings_in(&mut tx, p).await?;
    if before == target {
        return Ok(());
    }
    match &target {
        Some(t) => {
            let (kind, value) = match &t.target {
                Target::Percent(d) => ("percent", d.normalize().to_string()),
                Target::Amount(m) => ("amount", m.pence().to_string()),
            };
            sqlx::query(
                "INSERT INTO savings_targets (procurement_id, baseline_pence, target_kind, target_value, years, first_year, notes)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
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
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM savings_targets WHERE procurement_id = ?")
                .bind(p.0)
                .execute(&mut *tx)
                .await?;
        }
    }
    audit::append(
        &mut tx,
        w,
        "finance.savings_target_set",
        "procurement",
        Some(p.0),
        before.as_ref(),
        target.as_ref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn save_allocation(
    s: &SqliteStore,
    w: &WriteCtx,
    p: ProcurementId,
    basis: String,
    allocation: Allocation,
    areas: Vec<AreaLot>,
) -> Result<SavedAllocation> {
    let mut tx = s.write().await?;
    ensure_procurement(&mut tx, p).await?;
    for a in &areas {
        if let Some(lot) = a.lot_id {
            let of: Option<i64> =
                sqlx::query_scalar("SELECT procurement_id FROM lots WHERE id = ?")
                    .bind(lot.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if of != Some(p.0) {
                return Err(Error::validation(
                    "lots",
                    format!(
                        "{}: lot {} is not one of this procurement’s lots",
                        a.area, lot.0
                    ),
                ));
            }
        }
    }
    let result = serde_json::to_string(&allocation).expect("serialisable");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO allocations (procurement_id, basis, result, saved_by, saved_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(p.0)
    .bind(&basis)
    .bind(&result)
    .bind(&w.actor)
    .bind(timestamp(w.at))
    .fetch_one(&mut *tx)
    .await?;
    for a in &areas {
        sqlx::query("INSERT INTO allocation_lots (allocation_id, area, lot_id) VALUES (?, ?, ?)")
            .bind(id)
            .bind(&a.area)
            .bind(a.lot_id.map(|l| l.0))
            .execute(&mut *tx)
            .await?;
    }
    let saved = SavedAllocation {
        id,
        basis,
        allocation,
        areas,
        saved_by: w.actor.clone(),
        saved_at: w.at,
    };
    audit::append(
        &mut tx,
        w,
        "finance.allocation_saved",
        "procurement",
        Some(p.0),
        None::<&()>,
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}
