//! The contracts register.
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::registers::{organisation, supplier};
use super::rows::{self, iso};
use super::{SqliteStore, audit};
use crate::domain::ids::*;
use crate::domain::model::Contract;
use crate::domain::money::Money;
use crate::domain::term::{OptionStatus, term_dates};
use crate::error::{Error, Result};
use crate::store::{NewContract, ProviderRef, WriteCtx};

pub async fn create(s: &SqliteStore, w: &WriteCtx, new: NewContract) -> Result<Contract> {
    // Checked before writing so a bad set of options is a field error, not a stored contract.
    term_dates(new.start, &new.term, &new.option_statuses)?;
    let mut tx = s.write().await?;
    let provider = match &new.provider {
        ProviderRef::Existing(id) => {
            supplier(&mut tx, *id)
                .await
                .map_err(|e| e.in_field("provider"))?
                .id
        }
        ProviderRef::New(n) => {
            super::registers::insert_supplier(&mut tx, w, n.clone())
                .await?
                .id
        }
    };
    if let Some(c) = new.commissioner {
        organisation(&mut tx, c)
            .await
            .map_err(|e| e.in_field("commissioner"))?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contracts (reference, title, service, provider_id, commissioner_id, annual_value_pence,
           start_date, term, option_statuses, notice_period_months)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&new.reference)
    .bind(&new.title)
    .bind(&new.service)
    .bind(provider.0)
    .bind(new.commissioner.map(|c| c.0))
    .bind(new.annual_value.pence())
    .bind(iso(new.start))
    .bind(new.term.to_string())
    .bind(rows::statuses_text(&new.option_statuses))
    .bind(new.notice_period_months as i64)
    .fetch_one(&mut *tx)
    .await?;
    let c = get(&mut tx, ContractId(id)).await?;
    audit::append(
        &mut tx,
        w,
        "contract.created",
        "contract",
        Some(id),
        None::<&()>,
        Some(&c),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

pub async fn set_option_status(
    s: &SqliteStore,
    w: &WriteCtx,
    id: ContractId,
    option: u32,
    status: OptionStatus,
) -> Result<Contract> {
    let mut tx = s.write().await?;
    let before = get(&mut tx, id).await?;
    let idx = (option as usize)
        .checked_sub(1)
        .filter(|i| *i < before.option_statuses.len())
        .ok_or_else(|| {
            Error::validation(
                "option",
                format!(
                    "contract {} has {} extension option(s); there is no option {option}",
                    before.reference,
                    before.option_statuses.len()
                ),
            )
        })?;
    let mut statuses = before.option_statuses.clone();
    statuses[idx] = status;
    term_dates(before.start, &before.term, &statuses)?;
    sqlx::query("UPDATE contracts SET option_statuses = ? WHERE id = ?")
        .bind(rows::statuses_text(&statuses))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let after = get(&mut tx, id).await?;
    audit::append(
        &mut tx,
        w,
        "contract.option_status_changed",
        "contract",
        Some(id.0),
        Some(&serde_json::json!({"option": option, "status": before.option_statuses[idx]})),
        Some(&serde_json::json!({"option": option, "status": status})),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

const SELECT: &str = "SELECT c.id, c.reference, c.title, c.service, c.provider_id, c.commissioner_id,
    c.annual_value_pence, c.start_date, c.term, c.option_statuses, c.notice_period_months FROM contracts c";

async fn build(conn: &mut SqliteConnection, r: sqlx::sqlite::SqliteRow) -> Result<Contract> {
    let start = rows::date(r.get("start_date"))?;
    let term = rows::term(r.get("term"))?;
    let option_statuses = rows::statuses(r.get("option_statuses"))?;
    let dates = term_dates(start, &term, &option_statuses)?;
    let commissioner = match r.get::<Option<i64>, _>("commissioner_id") {
        Some(o) => Some(organisation(conn, OrganisationId(o)).await?),
        None => None,
    };
    Ok(Contract {
        id: ContractId(r.get("id")),
        reference: r.get("reference"),
        title: r.get("title"),
        service: r.get("service"),
        provider: supplier(conn, SupplierId(r.get("provider_id"))).await?,
        commissioner,
        annual_value: Money::from_pence(r.get("annual_value_pence")),
        start,
        term,
        option_statuses,
        notice_period_months: r.get::<i64, _>("notice_period_months") as u32,
        dates,
    })
}

pub async fn get(conn: &mut SqliteConnection, id: ContractId) -> Result<Contract> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = ?")))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("contract {id}")))?;
    build(conn, row).await
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<Contract>> {
    let mut conn = pool.acquire().await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} ORDER BY c.reference"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(build(&mut conn, r).await?);
    }
    Ok(out)
}
