//! The contracts register.
use super::Conn;
use super::rows::Day;
use super::rows::decode;

use super::registers::{organisation, supplier};
use super::rows::{self, iso};
use crate::domain::contract::Contract;
use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::term::{OptionStatus, term_dates};
use crate::error::Result;
use crate::store::ContractRow;

const SELECT: &str = "SELECT c.id, c.reference, c.title, c.service, c.provider_id, c.commissioner_id,
    c.annual_value_pence, c.start_date, c.term, c.option_statuses, c.notice_period_months FROM contracts c";

#[derive(sqlx::FromRow)]
struct ContractDbRow {
    id: i64,
    reference: String,
    title: String,
    service: String,
    provider_id: i64,
    commissioner_id: Option<i64>,
    annual_value_pence: i64,
    start_date: Day,
    term: String,
    option_statuses: String,
    notice_period_months: i64,
}

async fn build(conn: &mut Conn, r: ContractDbRow) -> Result<Contract> {
    let start = rows::date(&r.start_date)?;
    let term = rows::term(&r.term)?;
    let option_statuses = rows::statuses(&r.option_statuses)?;
    let dates = term_dates(start, &term, &option_statuses)?;
    let commissioner = match r.commissioner_id {
        Some(o) => Some(organisation(conn, OrganisationId(o)).await?),
        None => None,
    };
    Ok(Contract {
        id: ContractId(r.id),
        reference: r.reference,
        title: r.title,
        service: r.service,
        provider: supplier(conn, SupplierId(r.provider_id)).await?,
        commissioner,
        annual_value: Money::from_pence(r.annual_value_pence),
        start,
        term,
        option_statuses,
        notice_period_months: r.notice_period_months as u32,
        dates,
    })
}

#[async_trait::async_trait]
impl crate::store::ContractsStore for super::BackendTx {
    async fn contracts(&mut self) -> Result<Vec<Contract>> {
        let conn = self.conn();
        let rows = decode::<ContractDbRow>(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT} ORDER BY c.reference"
            )))
            .fetch_all(&mut *conn)
            .await?,
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(build(conn, r).await?);
        }
        Ok(out)
    }
    async fn contract(&mut self, id: ContractId) -> Result<Option<Contract>> {
        let conn = self.conn();
        match sqlx::query_as::<_, ContractDbRow>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE c.id = $1"
        )))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        {
            Some(row) => Ok(Some(build(conn, row).await?)),
            None => Ok(None),
        }
    }
    async fn insert_contract(&mut self, new: &ContractRow) -> Result<ContractId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contracts (reference, title, service, provider_id, commissioner_id, annual_value_pence,
               start_date, term, option_statuses, notice_period_months)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&new.reference)
        .bind(&new.title)
        .bind(&new.service)
        .bind(new.provider.0)
        .bind(new.commissioner.map(|c| c.0))
        .bind(new.annual_value.pence())
        .bind(iso(new.start))
        .bind(new.term.to_string())
        .bind(rows::statuses_text(&new.option_statuses))
        .bind(new.notice_period_months as i64)
        .fetch_one(self.conn())
        .await?;
        Ok(ContractId(id))
    }
    async fn set_option_statuses(&mut self, id: ContractId, s: &[OptionStatus]) -> Result<()> {
        sqlx::query("UPDATE contracts SET option_statuses = $1 WHERE id = $2")
            .bind(rows::statuses_text(s))
            .bind(id.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
