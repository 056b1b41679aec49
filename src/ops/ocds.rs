//! The procurement as an OCDS 1.1.5 release package: planning (budget, rationale), the tender
//! with its lots (the OCDS lots extension's shape), awards and contracts, and the parties
//! with their Companies House (GB-COH) or Charity Commission (GB-CHC) identifiers.
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::BTreeMap;

use super::Ctx;
use crate::domain::audit::timestamp;
use crate::domain::eval::EvalScope;
use crate::domain::ids::ProcurementId;
use crate::domain::lot::Lot;
use crate::domain::milestone::{
    AWARD_DECISION, CLARIFICATION_DEADLINE, CONTRACT_START, SUBMISSION_DEADLINE, TENDER_NOTICE,
};
use crate::domain::money::Money;
use crate::domain::route::{LotValueFacts, Route, assess};
use crate::domain::stage::Stage;
use crate::domain::term::{OptionStatus, term_dates};
use crate::error::{Error, Result};

/// OCDS identifiers need a registered prefix; until the council registers one with the Open
/// Contracting Partnership this one marks the data as Lotwise's.
pub const OCID_PREFIX: &str = "ocds-lotwise-";

fn amount(m: Money) -> Value {
    // OCDS amounts are JSON numbers; pounds with two places are exact as a decimal literal.
    let n: serde_json::Number = m
        .to_decimal()
        .round_dp(2)
        .to_string()
        .parse()
        .expect("a decimal is a JSON number");
    json!({ "amount": n, "currency": "GBP" })
}

fn instant(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// The OCDS procurementMethod codelist value for a route (its details are the route's label).
fn method(route: Route) -> &'static str {
    match route {
        Route::Open => "open",
        Route::CompetitiveFlexible | Route::LightTouch | Route::PsrCompetitive => "selective",
        Route::FrameworkCallOff => "limited",
        _ => "direct",
    }
}

struct Parties(BTreeMap<String, Value>);

impl Parties {
    /// Adds (or merges roles into) a party, returning its reference.
    fn add(
        &mut self,
        id: String,
        name: &str,
        identifier: Option<(&str, &str)>,
        role: &str,
    ) -> Value {
        let entry = self.0.entry(id.clone()).or_insert_with(|| {
            let mut p = json!({ "id": id, "name": name, "roles": [] });
            if let Some((scheme, number)) = identifier {
                p["identifier"] = json!({ "scheme": scheme, "id": number, "legalName": name });
            }
            p
        });
        let roles = entry["roles"].as_array_mut().expect("roles is an array");
        if !roles.iter().any(|r| r == role) {
            roles.push(json!(role));
        }
        json!({ "id": id, "name": name })
    }

    fn supplier(&mut self, name: &str, coh: Option<&str>, chc: Option<&str>, role: &str) -> Value {
        match (coh, chc) {
            (Some(n), _) => self.add(format!("GB-COH-{n}"), name, Some(("GB-COH", n)), role),
            (None, Some(n)) => self.add(format!("GB-CHC-{n}"), name, Some(("GB-CHC", n)), role),
            (None, None) => self.add(format!("lotwise-supplier-{}", slug(name)), name, None, role),
        }
    }
}

fn slug(s: &str) -> String {
    super::file_name_part(s).to_lowercase()
}

/// The release package for one procurement, as at now.
pub async fn package(ctx: &Ctx, id: ProcurementId) -> Result<Value> {
    let procurement = super::registers::list_procurements(ctx)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| Error::not_found(format!("procurement {}", id.0)))?;
    let suppliers = super::registers::list_suppliers(ctx).await?;
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let mut parties = Parties(BTreeMap::new());
    let buyer = procurement
        .commissioners
        .first()
        .map(|o| parties.add(format!("lotwise-org-{}", o.id.0), &o.name, None, "buyer"));
    for o in procurement.commissioners.iter().skip(1) {
        parties.add(format!("lotwise-org-{}", o.id.0), &o.name, None, "funder");
    }

    let mut lots_json = Vec::new();
    let mut awards = Vec::new();
    let mut contracts = Vec::new();
    let mut lots: Vec<Lot> = Vec::new();
    for lot_id in crate::ops::lots::in_procurement(ctx, id).await? {
        lots.push(super::lots::show(ctx, lot_id).await?);
    }
    let mut rationale = Vec::new();
    let mut tender_value = Some(Money::from_pence(0));
    let mut method_of = None;
    let mut has_enquiries: Option<bool> = None;
    for lot in &lots {
        let lot_key = format!("lot-{}", lot.id.0);
        let records = super::route::records(ctx, lot.id).await?;
        let engagement_held = super::engagement::records(ctx, lot.id)
            .await?
            .held_by(today);
        // Whether bidders asked questions is known only for lots whose tender has opened.
        let t = super::tender::records(ctx, lot.id).await?;
        if t.opened.is_some() {
            has_enquiries = Some(has_enquiries.unwrap_or(false) || !t.clarifications.is_empty());
        }
        let assessment = records.route.clone().map(|c| {
            assess(
                c,
                &LotValueFacts::of(lot, today, engagement_held, &records.notices),
            )
        });
        if let Some(a) = &assessment {
            rationale.push(format!(
                "{}: {} ({})",
                lot.reference, a.route_label, a.choice.reason
            ));
            method_of.get_or_insert(a.choice.route);
        }
        // The tender's value is known only when every live lot's is.
        if lot.stage != Stage::Abandoned {
            tender_value = tender_value
                .zip(lot.whole_life_value)
                .and_then(|(t, v)| t.checked_add(v));
        }
        let status = match lot.stage {
            Stage::MarketEngagement | Stage::DraftSpecification => "planning",
            Stage::Tender | Stage::Evaluation => "active",
            Stage::Award | Stage::Contract => "complete",
            Stage::Abandoned => "cancelled",
        };
        let mut l = json!({
            "id": lot_key,
            "title": format!("{} {}", lot.reference, lot.title),
            "description": lot.geography,
            "status": status,
        });
        if let Some(v) = lot.whole_life_value {
            l["value"] = amount(v);
        }
        if let Some(p) = lot_period(lot)? {
            l["contractPeriod"] = p;
        }
        lots_json.push(l);

        if matches!(lot.stage, Stage::Award | Stage::Contract) {
            let st = crate::ops::eval::load::read(ctx, lot.id, "", EvalScope::Consensus).await?;
            for b in &st.bids {
                let s = suppliers.iter().find(|s| s.id == b.lead.supplier_id);
                parties.supplier(
                    &b.lead.name,
                    s.and_then(|s| s.companies_house_number.as_deref()),
                    s.and_then(|s| s.charity_number.as_deref()),
                    "tenderer",
                );
            }
            if let Some((who, price)) = super::eval::winning_tender(ctx, lot).await {
                let s = suppliers.iter().find(|s| s.name == who);
                let supplier = parties.supplier(
                    &who,
                    s.and_then(|s| s.companies_house_number.as_deref()),
                    s.and_then(|s| s.charity_number.as_deref()),
                    "supplier",
                );
                let months = lot.term.as_ref().map(|t| t.total_months()).unwrap_or(12);
                let award_id = format!("award-{}", lot.id.0);
                let mut award = json!({
                    "id": award_id,
                    "title": format!("Award of {} {}", lot.reference, lot.title),
                    "status": if lot.stage == Stage::Contract { "active" } else { "pending" },
                    "suppliers": [supplier],
                    "relatedLots": [lot_key],
                });
                if let Some(v) = price.for_months(months) {
                    award["value"] = amount(v);
                }
                if let Some(d) = lot.milestone_date(AWARD_DECISION) {
                    award["date"] = json!(instant(d));
                }
                if lot.stage == Stage::Contract {
                    let mut c = json!({
                        "id": format!("contract-{}", lot.id.0),
                        "awardID": award_id,
                        "title": format!("{} {}", lot.reference, lot.title),
                        "status": "active",
                    });
                    if let Some(p) = lot_period(lot)? {
                        c["period"] = p;
                    }
                    if let Some(v) = price.for_months(months) {
                        c["value"] = amount(v);
                    }
                    contracts.push(c);
                }
                awards.push(award);
            }
        }
    }
    let mut tags = vec!["planning"];
    if lots
        .iter()
        .any(|l| !matches!(l.stage, Stage::MarketEngagement | Stage::DraftSpecification))
    {
        tags.push("tender");
    }
    if !awards.is_empty() {
        tags.push("award");
    }
    if !contracts.is_empty() {
        tags.push("contract");
    }

    let first = lots
        .iter()
        .find(|l| l.milestone_date(TENDER_NOTICE).is_some());
    let mut tender = json!({
        "id": format!("{}-tender", procurement.reference),
        "title": procurement.title,
        "description": procurement.service,
        "status": if lots.iter().all(|l| matches!(l.stage, Stage::MarketEngagement | Stage::DraftSpecification)) { "planning" }
                  else if lots.iter().all(|l| matches!(l.stage, Stage::Award | Stage::Contract | Stage::Abandoned)) { "complete" }
                  else { "active" },
        "mainProcurementCategory": "services",
        "lots": lots_json,
    });
    if let Some(v) = tender_value {
        tender["value"] = amount(v);
    }
    if let Some(q) = has_enquiries {
        tender["hasEnquiries"] = json!(q);
    }
    if let Some(b) = &buyer {
        tender["procuringEntity"] = b.clone();
    }
    if let Some(r) = method_of {
        tender["procurementMethod"] = json!(method(r));
        tender["procurementMethodDetails"] = json!(r.label());
        tender["procurementMethodRationale"] = json!(rationale.join("; "));
    }
    if let Some(l) = first {
        let start = l.milestone_date(TENDER_NOTICE).expect("found by it");
        if let Some(end) = l.milestone_date(SUBMISSION_DEADLINE) {
            tender["tenderPeriod"] =
                json!({ "startDate": instant(start), "endDate": instant(end) });
        }
        if let Some(end) = l.milestone_date(CLARIFICATION_DEADLINE) {
            tender["enquiryPeriod"] =
                json!({ "startDate": instant(start), "endDate": instant(end) });
        }
    }
    let tenderers: Vec<Value> = parties
        .0
        .values()
        .filter(|p| {
            p["roles"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x == "tenderer"))
        })
        .map(|p| json!({ "id": p["id"], "name": p["name"] }))
        .collect();
    if !tenderers.is_empty() {
        tender["numberOfTenderers"] = json!(tenderers.len());
        tender["tenderers"] = json!(tenderers);
    }

    let mut planning = json!({});
    if !procurement.budget.is_empty() {
        let total = procurement
            .budget
            .iter()
            .try_fold(Money::from_pence(0), |t, b| t.checked_add(b.amount))
            .ok_or_else(|| Error::validation("budget", "the budget is too large to add up"))?;
        let years: Vec<String> = procurement
            .budget
            .iter()
            .map(|b| b.financial_year.to_string())
            .collect();
        planning["budget"] = json!({
            "description": format!("Budget for {} ({})", procurement.title, years.join(", ")),
            "amount": amount(total),
        });
    }
    if !rationale.is_empty() {
        planning["rationale"] = json!(rationale.join("; "));
    }

    let ocid = format!("{OCID_PREFIX}{}", procurement.reference);
    let mut release = json!({
        "ocid": ocid,
        "id": format!("{}-{}", procurement.reference, now.format("%Y%m%dT%H%M%SZ")),
        "date": timestamp(now),
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "parties": parties.0.into_values().collect::<Vec<_>>(),
        "planning": planning,
        "tender": tender,
    });
    if let Some(b) = buyer {
        release["buyer"] = b;
    }
    if !awards.is_empty() {
        release["awards"] = json!(awards);
    }
    if !contracts.is_empty() {
        release["contracts"] = json!(contracts);
    }
    Ok(json!({
        "uri": format!("https://lotwise.invalid/ocds/{}.json", procurement.reference),
        "version": "1.1",
        "publishedDate": timestamp(now),
        "publisher": { "name": procurement.commissioners.first().map(|o| o.name.clone()).unwrap_or_else(|| "Lotwise".into()) },
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "publicationPolicy": "https://lotwise.invalid/publication-policy",
        "releases": [release],
        // The audit record this export was made from (`lotwise audit verify --anchor`).
        "lotwiseAnchor": super::audit::anchor(ctx).await?,
    }))
}

fn lot_period(lot: &Lot) -> Result<Option<Value>> {
    let (Some(t), Some(start)) = (&lot.term, lot.milestone_date(CONTRACT_START)) else {
        return Ok(None);
    };
    let d = term_dates(
        start,
        t,
        &vec![OptionStatus::Available; t.extension_months.len()],
    )?;
    Ok(Some(json!({
        "startDate": instant(start),
        "endDate": instant(d.core_end),
        "maxExtentDate": instant(d.final_possible_end),
    })))
}

/// Writes the package as pretty JSON; returns how many lots it holds.
pub async fn export(ctx: &Ctx, id: ProcurementId, out: &std::path::Path) -> Result<usize> {
    let p = package(ctx, id).await?;
    let lots = p["releases"][0]["tender"]["lots"]
        .as_array()
        .map_or(0, Vec::len);
    let text = serde_json::to_string_pretty(&p).expect("serialisable");
    super::write_file(out, text.as_bytes())?;
    Ok(lots)
}
