//! Working days, bank holidays and standstill periods, with the workspace's extra holidays.
use crate::domain::roles::Action;
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::Ctx;
use crate::domain::calendar::{
    self, Calendar, Holiday, Nation, Skipped, Standstill, StandstillRegime, WorkingDays,
};
use crate::domain::dates;
use crate::error::{Error, Result};
use crate::store::NewAuditEvent;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkingDaysResult {
    pub from: NaiveDate,
    pub add: u32,
    pub nation: Nation,
    pub result: NaiveDate,
    pub skipped: Vec<Skipped>,
}

fn date(field: &str, s: &str) -> Result<NaiveDate> {
    super::field(field, dates::parse(s))
}

pub async fn standstill(ctx: &Ctx, regime: &str, published: &str) -> Result<Standstill> {
    let regime = StandstillRegime::parse(regime)?;
    let published = date("published", published)?;
    let extra = ctx.store.read().await?.calendar().extra_holidays().await?;
    calendar::standstill(regime, published, &extra)
}

pub async fn working_days(
    ctx: &Ctx,
    from: &str,
    add: u32,
    nation: &str,
) -> Result<WorkingDaysResult> {
    let from = date("from", from)?;
    let nation = Nation::parse(nation)?;
    let extra = ctx.store.read().await?.calendar().extra_holidays().await?;
    let rule = match nation {
        Nation::UkAny => WorkingDays::ProcurementAct,
        n => WorkingDays::In(n),
    };
    let (result, skipped) = Calendar::new(rule, extra).add_working_days(from, add)?;
    Ok(WorkingDaysResult {
        from,
        add,
        nation,
        result,
        skipped,
    })
}

pub async fn holidays(ctx: &Ctx, year: i32, nation: &str) -> Result<Vec<Holiday>> {
    let nation = Nation::parse(nation)?;
    let extra = ctx.store.read().await?.calendar().extra_holidays().await?;
    calendar::holidays_with(year, nation, &extra)
}

/// Adds a bank holiday the government has announced; every deadline uses it from then on.
pub async fn add_holiday(
    ctx: &Ctx,
    on: &str,
    name: &str,
    nations: &[String],
    source: &str,
) -> Result<Holiday> {
    let on = date("date", on)?;
    if !(calendar::FIRST_YEAR..=calendar::LAST_YEAR).contains(&chrono::Datelike::year(&on)) {
        return Err(Error::validation(
            "date",
            "the date is outside the years held",
        ));
    }
    let name = super::required("name", "holiday's name", name)?;
    let source = super::required(
        "source",
        "source (the announcement or proclamation)",
        source,
    )?;
    if nations.is_empty() {
        return Err(Error::validation(
            "nation",
            "say which nations it applies to: england-wales, scotland, northern-ireland",
        ));
    }
    let mut ns = Vec::new();
    for n in nations {
        match Nation::parse(n)? {
            Nation::UkAny => ns.extend(Nation::PARTS),
            x => ns.push(x),
        }
    }
    ns.sort();
    ns.dedup();
    let w = ctx.act(Action::ManageCalendar)?;
    let h = Holiday {
        date: on,
        name,
        nations: ns,
        source,
    };
    let mut tx = ctx.store.begin().await?;
    if tx
        .calendar()
        .extra_holidays()
        .await?
        .iter()
        .any(|x| x.date == h.date)
    {
        return Err(Error::validation(
            "date",
            format!(
                "{} is already held as an extra bank holiday",
                crate::domain::dates::long(h.date)
            ),
        ));
    }
    tx.calendar().add_extra_holiday(&h, &w).await?;
    tx.audit()
        .append(NewAuditEvent::new(&w, "calendar.holiday_added", "calendar", None).after(&h))
        .await?;
    tx.commit().await?;
    Ok(h)
}
