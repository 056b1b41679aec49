//! Organisations, suppliers and procurements.
use super::Conn;
use super::rows::decode;
use std::collections::HashMap;

use super::rows::{OrganisationRow, SupplierRow};
use crate::domain::finance::FinancialYear;
use crate::domain::ids::*;
use crate::domain::money::Money;
use crate::domain::procurement::{BudgetLine, Procurement};
use crate::domain::registers::{Organisation, Supplier};
use crate::error::Result;
use crate::store::{NewOrganisation, NewProcurement, NewSupplier};

pub async fn organisation(conn: &mut Conn, id: OrganisationId) -> Result<Organisation> {
    sqlx::query_as::<_, OrganisationRow>("SELECT id, name, kind FROM organisations WHERE id = $1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| super::rows::unreadable("reference to an organisation"))?
        .try_into()
}

pub async fn supplier(conn: &mut Conn, id: SupplierId) -> Result<Supplier> {
    Ok(sqlx::query_as::<_, SupplierRow>(
        "SELECT id, name, companies_house_number, charity_number FROM suppliers WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| super::rows::unreadable("reference to a supplier"))?
    .into())
}

async fn load_procurements(
    conn: &mut Conn,
    only: Option<ProcurementId>,
) -> Result<Vec<Procurement>> {
    let filter = only.map(|i| i.0).unwrap_or(-1);
    let heads: Vec<(i64, String, String, String)> = decode(sqlx::query(
        "SELECT id, reference, title, service FROM procurements WHERE ($1 = -1 OR id = $1) ORDER BY reference",
    )
    .bind(filter)
    .fetch_all(&mut *conn)
    .await?)?;
    let orgs: Vec<(i64, i64, String, String)> = decode(
        sqlx::query(
            "SELECT pc.procurement_id, o.id, o.name, o.kind FROM procurement_commissioners pc
         JOIN organisations o ON o.id = pc.organisation_id WHERE ($1 = -1 OR pc.procurement_id = $1)
         ORDER BY pc.procurement_id, pc.position",
        )
        .bind(filter)
        .fetch_all(&mut *conn)
        .await?,
    )?;
    let budget: Vec<(i64, i64, i64)> = decode(
        sqlx::query(
            "SELECT procurement_id, financial_year, amount_pence FROM procurement_budget
         WHERE ($1 = -1 OR procurement_id = $1) ORDER BY procurement_id, financial_year",
        )
        .bind(filter)
        .fetch_all(&mut *conn)
        .await?,
    )?;
    let mut by_id: HashMap<i64, (Vec<Organisation>, Vec<BudgetLine>)> = HashMap::new();
    for (procurement, id, name, kind) in orgs {
        let org = Organisation::try_from(OrganisationRow { id, name, kind })?;
        by_id.entry(procurement).or_default().0.push(org);
    }
    for (procurement, year, pence) in budget {
        by_id.entry(procurement).or_default().1.push(BudgetLine {
            financial_year: FinancialYear(year as i32),
            amount: Money::from_pence(pence),
        });
    }
    Ok(heads
        .into_iter()
        .map(|(id, reference, title, service)| {
            let (commissioners, budget) = by_id.remove(&id).unwrap_or_default();
            Procurement {
                id: ProcurementId(id),
                reference,
                title,
                service,
                commissioners,
                budget,
            }
        })
        .collect())
}

#[async_trait::async_trait]
impl crate::store::RegistersStore for super::BackendTx {
    async fn is_empty(&mut self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM organisations) + (SELECT count(*) FROM contracts) + (SELECT count(*) FROM procurements)",
        )
        .fetch_one(self.conn())
        .await?;
        Ok(n == 0)
    }
    async fn organisations(&mut self) -> Result<Vec<Organisation>> {
        decode::<OrganisationRow>(
            sqlx::query("SELECT id, name, kind FROM organisations ORDER BY name")
                .fetch_all(self.conn())
                .await?,
        )?
        .into_iter()
        .map(Organisation::try_from)
        .collect()
    }
    async fn insert_organisation(&mut self, new: &NewOrganisation) -> Result<Organisation> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, kind) VALUES ($1, $2) RETURNING id",
        )
        .bind(&new.name)
        .bind(new.kind.key())
        .fetch_one(self.conn())
        .await?;
        Ok(Organisation {
            id: OrganisationId(id),
            name: new.name.clone(),
            kind: new.kind,
        })
    }
    async fn suppliers(&mut self) -> Result<Vec<Supplier>> {
        Ok(decode::<SupplierRow>(sqlx::query(
            "SELECT id, name, companies_house_number, charity_number FROM suppliers ORDER BY name",
        )
        .fetch_all(self.conn())
        .await?)?
        .into_iter()
        .map(Supplier::from)
        .collect())
    }
    async fn supplier(&mut self, id: SupplierId) -> Result<Option<Supplier>> {
        Ok(sqlx::query_as::<_, SupplierRow>(
            "SELECT id, name, companies_house_number, charity_number FROM suppliers WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.conn())
        .await?
        .map(Supplier::from))
    }
    async fn insert_supplier(&mut self, new: &NewSupplier) -> Result<Supplier> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO suppliers (name, companies_house_number, charity_number) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&new.name)
        .bind(&new.companies_house_number)
        .bind(&new.charity_number)
        .fetch_one(self.conn())
        .await?;
        Ok(Supplier {
            id: SupplierId(id),
            name: new.name.clone(),
            companies_house_number: new.companies_house_number.clone(),
            charity_number: new.charity_number.clone(),
        })
    }
    async fn supplier_by_numbers(
        &mut self,
        companies_house_number: Option<&str>,
        charity_number: Option<&str>,
    ) -> Result<Option<SupplierId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM suppliers WHERE companies_house_number = $1 OR charity_number = $2",
        )
        .bind(companies_house_number)
        .bind(charity_number)
        .fetch_optional(self.conn())
        .await?;
        Ok(id.map(SupplierId))
    }
    async fn unregistered_supplier_named(&mut self, name: &str) -> Result<Option<SupplierId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM suppliers WHERE lower(name) = lower($1) AND companies_house_number IS NULL AND charity_number IS NULL",
        )
        .bind(name)
        .fetch_optional(self.conn())
        .await?;
        Ok(id.map(SupplierId))
    }
    async fn procurements(&mut self) -> Result<Vec<Procurement>> {
        load_procurements(self.conn(), None).await
    }
    async fn procurement(&mut self, id: ProcurementId) -> Result<Option<Procurement>> {
        Ok(load_procurements(self.conn(), Some(id)).await?.pop())
    }
    async fn insert_procurement(&mut self, new: &NewProcurement) -> Result<ProcurementId> {
        let c = self.conn();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO procurements (reference, title, service) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&new.reference)
        .bind(&new.title)
        .bind(&new.service)
        .fetch_one(&mut *c)
        .await?;
        for (i, org) in new.commissioners.iter().enumerate() {
            sqlx::query("INSERT INTO procurement_commissioners (procurement_id, organisation_id, position) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(org.0)
                .bind(i as i64)
                .execute(&mut *c)
                .await?;
        }
        for (fy, amount) in &new.budget {
            sqlx::query("INSERT INTO procurement_budget (procurement_id, financial_year, amount_pence) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(fy.0)
                .bind(amount.pence())
                .execute(&mut *c)
                .await?;
        }
        Ok(ProcurementId(id))
    }
}
