//! The demo workspace: the five seed situations, with dates shifted around today so the
//! pipeline is alive (lots in every stage, red and amber milestones, contracts on the radar).
//! Built through the same use cases as the app, so its history and audit trail are real.
use crate::domain::roles::Role;
use chrono::{Datelike, Days, NaiveDate};

use super::Ctx;
use super::contracts::{self, AddContract};
use super::eval;
use super::lots::{self, AdvanceStage, CreateLot, LotPartInput, SetMilestone};
use super::registers::{self, BudgetLineInput, CreateOrganisation, CreateProcurement};
use crate::domain::finance::FinancialYear;
use crate::domain::ids::{LotId, ProcurementId};
use crate::domain::milestone::*;
use crate::error::{Error, Result};

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    pub organisations: usize,
    pub contracts: usize,
    pub procurements: usize,
    pub lots: usize,
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn s(v: &str) -> String {
    v.to_string()
}

/// Refuses a workspace that already holds anything: the demo never overwrites work.
pub async fn create(ctx: &Ctx) -> Result<DemoSummary> {
    if !ctx.store.read().await?.registers().is_empty().await? {
        return Err(Error::conflict(
            "the workspace is not empty; the demo is only created in an empty workspace",
        ));
    }
    let t = ctx.clock.today();
    let day = |offset: i64| -> NaiveDate {
        if offset >= 0 {
            t + Days::new(offset as u64)
        } else {
            t - Days::new(offset.unsigned_abs())
        }
    };
    let fy = FinancialYear::containing(t);

    for (name, kind) in [
        ("Kent County Council", "county_council"),
        ("Sevenoaks District Council", "district_council"),
        ("Tonbridge and Malling Borough Council", "borough_council"),
        ("Tunbridge Wells Borough Council", "borough_council"),
        (
            "NHS Kent and Medway Integrated Care Board",
            "integrated_care_board",
        ),
        ("Leicester City Council", "unitary_council"),
        ("Nottingham City Council", "unitary_council"),
        (
            "NHS Nottingham and Nottinghamshire Integrated Care Board",
            "integrated_care_board",
        ),
    ] {
        registers::create_organisation(
            ctx,
            CreateOrganisation {
                name: s(name),
                kind: s(kind),
            },
        )
        .await?;
    }

    // --- Contracts register ---------------------------------------------------------------
    // Health Trainers (seed 000): block contract £1,462,000 a year, three years from 1 May with
    // an option of nine months more. The core term ends on the next 30 April at least two
    // months away, so the extension decision (the seed's paper) is live.
    let mut core_end = NaiveDate::from_ymd_opt(t.year(), 4, 30).expect("valid");
    while core_end < day(60) {
        core_end = NaiveDate::from_ymd_opt(core_end.year() + 1, 4, 30).expect("valid");
    }
    let ht_start = NaiveDate::from_ymd_opt(core_end.year() - 3, 5, 1).expect("valid");
    let mut added = Vec::new();
    let contract = |reference: &str,
                    title: &str,
                    service: &str,
                    provider: &str,
                    commissioner: &str,
                    value: &str,
                    start: NaiveDate,
                    term: &str,
                    statuses: &[&str],
                    notice: u32| AddContract {
        reference: s(reference),
        title: s(title),
        service: s(service),
        provider: s(provider),
        provider_companies_house_number: None,
        provider_charity_number: None,
        commissioner: Some(s(commissioner)),
        annual_value: s(value),
        start: iso(start),
        term: s(term),
        option_statuses: statuses.iter().map(|x| s(x)).collect(),
        notice_period_months: Some(notice),
    };
    added.push(
        contracts::add(
            ctx,
            contract(
                "KCC-PH-0147",
                "Health Trainers",
                "Health improvement (public health)",
                "Kent Community Health NHS Foundation Trust",
                "Kent County Council",
                "£1,462,000",
                ht_start,
                "3+9m",
                &["available"],
                3,
            ),
        )
        .await?,
    );
    // West Kent adult health improvement (seed 001): the current spend the partnership pools.
    let wk_start = NaiveDate::from_ymd_opt(fy.0 - 2, 4, 1).expect("valid");
    added.push(
        contracts::add(
            ctx,
            contract(
                "KCC-PH-0212",
                "Adult Health Improvement Service (West Kent)",
                "Preventative services (public health)",
                "Kent Community Health NHS Foundation Trust",
                "Kent County Council",
                "£985,000",
                wk_start,
                "3+1",
                &["available"],
                6,
            ),
        )
        .await?,
    );
    // 0-19 Healthy Child Programme (seed 002): the original 2+1+1 contract, extended and ended;
    // the new Section 75 agreement runs 7 years to 30 September 2030.
    added.push(
        contracts::add(
            ctx,
            contract(
                "LCC-0019-2017",
                "0-19 Healthy Child Programme (Healthy Together)",
                "Public health nursing for children and young people",
                "Leicestershire Partnership NHS Trust",
                "Leicester City Council",
                "£8,165,000",
                NaiveDate::from_ymd_opt(2019, 10, 1).expect("valid"),
                "2+1+1",
                &["taken", "taken"],
                6,
            ),
        )
        .await?,
    );
    added.push(
        contracts::add(
            ctx,
            contract(
                "LCC-0019-S75",
                "0-19 Healthy Child Programme: Section 75 partnership agreement",
                "Public health nursing for children and young people",
                "Leicestershire Partnership NHS Trust",
                "Leicester City Council",
                "£7,965,000",
                NaiveDate::from_ymd_opt(2023, 10, 1).expect("valid"),
                "7",
                &[],
                12,
            ),
        )
        .await?,
    );
    // 0-5 integration (seed 003): six contracts to be brought into one.
    let six = [
        (
            "NCC-05-01",
            "Health Visiting",
            "£4,120,000",
            5,
            "Nottingham CityCare Partnership",
        ),
        (
            "NCC-05-02",
            "Family Nurse Partnership",
            "£640,000",
            7,
            "Nottingham CityCare Partnership",
        ),
        (
            "NCC-05-03",
            "Breastfeeding Peer Support",
            "£210,000",
            4,
            "Small Steps Big Changes Partnership",
        ),
        (
            "NCC-05-04",
            "Oral Health Promotion (0-5)",
            "£95,000",
            8,
            "Nottingham CityCare Partnership",
        ),
        (
            "NCC-05-05",
            "Healthy Start Vitamins Distribution",
            "£60,000",
            9,
            "Nottingham CityCare Partnership",
        ),
        (
            "NCC-05-06",
            "Children’s Centre Health Outreach",
            "£380,000",
            10,
            "Small Steps Big Changes Partnership",
        ),
    ];
    for (reference, title, value, months_left, provider) in six {
        // Each ends `months_left` months from now: start three years and a bit before.
        let end = crate::domain::dates::add_months(t, months_left);
        let start = crate::domain::dates::sub_months(end, 36)
            .succ_opt()
            .expect("valid");
        added.push(
            contracts::add(
                ctx,
                contract(
                    reference,
                    title,
                    "0-5 children’s public health",
                    provider,
                    "Nottingham City Council",
                    value,
                    start,
                    "3+1",
                    &["declined"],
                    3,
                ),
            )
            .await?,
        );
    }
    // Community Navigation (seed 004): the 12 current care navigator grants end as the lots start.
    let cn_start = crate::domain::dates::sub_months(fy.start(), 24);
    added.push(
        contracts::add(
            ctx,
            contract(
                "KCC-ASC-CN-2022",
                "Care Navigator Grants (community and hospital based)",
                "Care navigation and social prescribing",
                "Kent Care Navigation Consortium",
                "Kent County Council",
                "£720,000",
                cn_start,
                "2+1+1",
                &["taken", "available"],
                6,
            ),
        )
        .await?,
    );

    // --- Procurements and lots ------------------------------------------------------------
    let budget = |years: i32, amount: &str| -> Vec<BudgetLineInput> {
        (0..years)
            .map(|i| BudgetLineInput {
                financial_year: FinancialYear(fy.0 + i).to_string(),
                amount: s(amount),
            })
            .collect()
    };
    let procurement =
        |reference: &str, title: &str, service: &str, commissioners: &[&str], budget| {
            CreateProcurement {
                reference: s(reference),
                title: s(title),
                service: s(service),
                commissioners: commissioners.iter().map(|x| s(x)).collect(),
                budget,
            }
        };
    let ht = registers::create_procurement(
        ctx,
        procurement(
            "KCC-PH-HT",
            "Health Trainers re-procurement",
            "Health improvement (public health)",
            &["Kent County Council"],
            budget(3, "£1,462,000"),
        ),
    )
    .await?;
    let wk = registers::create_procurement(
        ctx,
        procurement(
            "WK-PREV",
            "West Kent Public Health Preventative Services",
            "Preventative services (public health)",
            &[
                "Kent County Council",
                "Sevenoaks District Council",
                "Tonbridge and Malling Borough Council",
                "Tunbridge Wells Borough Council",
            ],
            budget(3, "£2,000,000"),
        ),
    )
    .await?;
    let hcp = registers::create_procurement(
        ctx,
        procurement(
            "LCC-0019",
            "0-19 Healthy Child Programme (Healthy Together)",
            "Public health nursing for children and young people",
            &["Leicester City Council"],
            budget(4, "£7,965,000"),
        ),
    )
    .await?;
    let ncc = registers::create_procurement(
        ctx,
        procurement(
            "NCC-05",
            "0-5 Integrated Services",
            "0-5 children’s public health",
            &[
                "Nottingham City Council",
                "NHS Nottingham and Nottinghamshire Integrated Care Board",
            ],
            budget(3, "£5,000,000"),
        ),
    )
    .await?;
    let cn = registers::create_procurement(
        ctx,
        procurement(
            "KCC-CN",
            "Community Navigation",
            "Care navigation and social prescribing",
            &[
                "Kent County Council",
                "NHS Kent and Medway Integrated Care Board",
            ],
            budget(5, "£5,950,000"),
        ),
    )
    .await?;

    let contract_id = |reference: &str| {
        added
            .iter()
            .find(|c| c.reference == reference)
            .map(|c| c.id)
    };
    let parts = || {
        vec![
            LotPartInput {
                code: s("A"),
                title: s("Community Navigation"),
            },
            LotPartInput {
                code: s("B"),
                title: s("Community Navigation for Carers"),
            },
        ]
    };
    struct PlanRest {
        milestones: Vec<(&'static str, i64, Option<i64>)>,
        path: Vec<&'static str>,
        abandon: Option<&'static str>,
        lot_title: String,
    }
    struct Plan {
        lot: CreateLot,
        milestones: Vec<(&'static str, i64, Option<i64>)>,
        path: Vec<&'static str>,
        abandon: Option<&'static str>,
    }
    let plans = vec![
        Plan {
            lot: CreateLot {
                procurement_id: cn.id,
                reference: s("Lot 1"),
                title: s("Community Navigation: East Kent"),
                geography: s(
                    "East Kent (Ashford, Canterbury and Coastal, South Kent Coast, Thanet)",
                ),
                estimated_annual_value: Some(s("£2,400,000")),
                term: Some(s("5+2")),
                replaces_contract_id: contract_id("KCC-ASC-CN-2022"),
                parts: parts(),
            },
            milestones: vec![
                (MARKET_ENGAGEMENT_EVENT, -100, Some(-100)),
                (DRAFT_SPECIFICATION, -5, None),
                (TENDER_NOTICE, 40, None),
                (SUBMISSION_DEADLINE, 80, None),
                (CONTRACT_START, 200, None),
            ],
            path: vec!["draft_specification"],
            abandon: None,
        },
        Plan {
            lot: CreateLot {
                procurement_id: cn.id,
                reference: s("Lot 2"),
                title: s("Community Navigation: West Kent"),
                geography: s("West Kent"),
                estimated_annual_value: Some(s("£1,700,000")),
                term: Some(s("5+2")),
                replaces_contract_id: None,
                parts: parts(),
            },
            milestones: vec![
                (MARKET_ENGAGEMENT_EVENT, 20, None),
                (DRAFT_SPECIFICATION, 60, None),
                (SUBMISSION_DEADLINE, 150, None),
            ],
            path: vec![],
            abandon: None,
        },
        Plan {
            lot: CreateLot {
                procurement_id: cn.id,
                reference: s("Lot 3"),
                title: s("Community Navigation: DGS&S"),
                geography: s("Dartford, Gravesham, Swanley and Swale"),
                estimated_annual_value: Some(s("£1,850,000")),
                term: Some(s("5+2")),
                replaces_contract_id: None,
                parts: parts(),
            },
            milestones: vec![
                (MARKET_ENGAGEMENT_EVENT, -120, Some(-120)),
                (DRAFT_SPECIFICATION, -70, Some(-68)),
                (TENDER_NOTICE, -20, Some(-20)),
                (CLARIFICATION_DEADLINE, 6, None),
                (SUBMISSION_DEADLINE, 12, None),
                (CONTRACT_START, 150, None),
            ],
            path: vec!["draft_specification", "tender"],
            abandon: None,
        },
        Plan {
            lot: CreateLot {
                procurement_id: ncc.id,
                reference: s("Lot 1"),
                title: s("Integrated 0-5 Public Health Services"),
                geography: s("Nottingham City"),
                estimated_annual_value: Some(s("£4,950,000")),
                term: Some(s("5+2+2")),
                replaces_contract_id: contract_id("NCC-05-01"),
                parts: vec![],
            },
            milestones: vec![
                (TENDER_NOTICE, -70, Some(-70)),
                (CLARIFICATION_DEADLINE, -45, Some(-45)),
                (SUBMISSION_DEADLINE, -30, Some(-30)),
                (EVALUATION_COMPLETE, 5, None),
                (AWARD_DECISION, 30, None),
                (CONTRACT_START, 120, None),
            ],
            path: vec!["draft_specification", "tender", "evaluation"],
            abandon: None,
        },
        Plan {
            lot: CreateLot {
                procurement_id: wk.id,
                reference: s("Lot 1"),
                title: s("Specialist Preventative Services (West Kent)"),
                geography: s("Sevenoaks, Tonbridge and Malling, Tunbridge Wells"),
                estimated_annual_value: Some(s("£400,000")),
                term: Some(s("3+1")),
                replaces_contract_id: contract_id("KCC-PH-0212"),
                parts: vec![],
            },
            milestones: vec![
                (TENDER_NOTICE, -130, Some(-130)),
                (CLARIFICATION_DEADLINE, -105, Some(-105)),
                (SUBMISSION_DEADLINE, -90, Some(-90)),
                (EVALUATION_COMPLETE, -40, Some(-38)),
                (AWARD_DECISION, -3, None),
                (CONTRACT_START, 60, None),
            ],
            path: vec!["draft_specification", "tender", "evaluation", "award"],
            abandon: None,
        },
        Plan {
            lot: CreateLot {
                procurement_id: hcp.id,
                reference: s("Lot 1"),
                title: s("Healthy Together 0-19 (Section 75)"),
                geography: s("Leicester City"),
                estimated_annual_value: Some(s("£7,965,000")),
                term: Some(s("7")),
                replaces_contract_id: contract_id("LCC-0019-2017"),
                parts: vec![],
            },
            milestones: vec![
                (SUBMISSION_DEADLINE, -1200, Some(-1200)),
                (CONTRACT_START, 0, None),
            ],
            path: vec![
                "draft_specification",
                "tender",
                "evaluation",
                "award",
                "contract",
            ],
            abandon: None,
        },
        Plan {
            lot: CreateLot {
                procurement_id: ht.id,
                reference: s("Lot 1"),
                title: s("Health Trainers (Kent)"),
                geography: s("Kent"),
                estimated_annual_value: Some(s("£1,462,000")),
                term: Some(s("3+1+1")),
                replaces_contract_id: contract_id("KCC-PH-0147"),
                parts: vec![],
            },
            milestones: vec![
                (MARKET_ENGAGEMENT_EVENT, -10, None),
                (DRAFT_SPECIFICATION, 30, None),
                (TENDER_NOTICE, 70, None),
                (SUBMISSION_DEADLINE, 110, None),
            ],
            path: vec![],
            abandon: None,
        },
        Plan {
            lot: CreateLot {
                procurement_id: ht.id,
                reference: s("Lot 2"),
                title: s("Community Health Agents"),
                geography: s("Kent"),
                estimated_annual_value: Some(s("£300,000")),
                term: None,
                replaces_contract_id: None,
                parts: vec![],
            },
            milestones: vec![],
            path: vec![],
            abandon: Some(
                "Merged into Community Navigation after the social care review of health navigators",
            ),
        },
    ];
    let mut lot_count = 0;
    let mut lot_ids = std::collections::HashMap::new();
    for plan in plans {
        let lot = lots::create(ctx, plan.lot).await?;
        lot_ids.insert(lot.title.clone(), lot.id);
        let plan = PlanRest {
            milestones: plan.milestones,
            path: plan.path,
            abandon: plan.abandon,
            lot_title: lot.title.clone(),
        };
        lot_count += 1;
        for (key, planned, actual) in &plan.milestones {
            // The Section 75 agreement started on 1 October 2023, not relative to today.
            let planned_date = if *key == CONTRACT_START && plan.path.last() == Some(&"contract") {
                NaiveDate::from_ymd_opt(2023, 10, 1).expect("valid")
            } else {
                day(*planned)
            };
            lots::set_milestone(
                ctx,
                SetMilestone {
                    expected_version: None,
                    lot_id: lot.id,
                    key: Some(s(key)),
                    title: None,
                    planned: iso(planned_date),
                    actual: actual.map(|a| iso(day(a))).or_else(|| {
                        (*key == CONTRACT_START && plan.path.last() == Some(&"contract"))
                            .then(|| iso(planned_date))
                    }),
                },
            )
            .await?;
        }
        advance_along(ctx, lot.id, &plan.path, &plan.lot_title).await?;
        if let Some(reason) = plan.abandon {
            lots::advance_stage(
                ctx,
                AdvanceStage {
                    lot_id: lot.id,
                    to: s("abandoned"),
                    reason: Some(s(reason)),
                },
            )
            .await?;
        }
    }
    let exempt_contracts = added
        .iter()
        .filter(|c| c.reference.starts_with("NCC-05-"))
        .map(|c| {
            format!(
                "- {} {}, {}: {} a year, ends {}",
                c.reference,
                c.title,
                c.provider.name,
                c.annual_value.display(),
                crate::domain::dates::long(c.dates.current_end)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    // The staff transfer at the end of the nine-month extension, as the seed's risk foresaw.
    let transfer = crate::domain::dates::period_end(ht_start, 36 + 9)
        .succ_opt()
        .expect("valid");
    health_trainers_tupe(ctx, lot_ids["Health Trainers (Kent)"], transfer).await?;
    demo_finance(ctx, fy, [wk.id, ncc.id, hcp.id, cn.id]).await?;
    super::demo_papers::write(
        ctx,
        lot_ids["Health Trainers (Kent)"],
        lot_ids["Integrated 0-5 Public Health Services"],
        lot_ids["Specialist Preventative Services (West Kent)"],
        exempt_contracts,
    )
    .await?;
    Ok(DemoSummary {
        organisations: super::registers::list_organisations(ctx).await?.len(),
        contracts: added.len(),
        procurements: super::registers::list_procurements(ctx).await?.len(),
        lots: lot_count,
    })
}

/// Funders, savings targets and the navigator allocation, as the seeds describe them.
async fn demo_finance(
    ctx: &Ctx,
    fy: FinancialYear,
    [wk, ncc, hcp, cn]: [ProcurementId; 4],
) -> Result<()> {
    use super::finance::{self, AllocationInput, SetContribution, SetSavings};
    let funders: [(ProcurementId, &str, &str, &str, &str, i32); 9] = [
        // Seed 001: £1m from the county's public health grant, pooled, and about £1m of
        // district and borough spend aligned to the same outcomes.
        (
            wk,
            "Kent County Council",
            "£1,000,000",
            "pooled",
            "Public health grant: preventative services",
            3,
        ),
        (
            wk,
            "Sevenoaks District Council",
            "£340,000",
            "aligned",
            "Healthy lifestyles and community activity",
            3,
        ),
        (
            wk,
            "Tonbridge and Malling Borough Council",
            "£330,000",
            "aligned",
            "Healthy lifestyles and community activity",
            3,
        ),
        (
            wk,
            "Tunbridge Wells Borough Council",
            "£330,000",
            "aligned",
            "Healthy lifestyles and community activity",
            3,
        ),
        (
            ncc,
            "Nottingham City Council",
            "£4,500,000",
            "pooled",
            "Public health grant: 0-5 services",
            3,
        ),
        (
            ncc,
            "NHS Nottingham and Nottinghamshire Integrated Care Board",
            "£500,000",
            "pooled",
            "Health visiting and family nurse contribution",
            3,
        ),
        (
            hcp,
            "Leicester City Council",
            "£7,965,000",
            "pooled",
            "Public health grant: 0-19 Healthy Child Programme",
            4,
        ),
        (
            cn,
            "Kent County Council",
            "£4,450,000",
            "pooled",
            "Adult social care: care navigation",
            5,
        ),
        (
            cn,
            "NHS Kent and Medway Integrated Care Board",
            "£1,500,000",
            "pooled",
            "Better Care Fund: social prescribing",
            5,
        ),
    ];
    for (p, funder, amount, arrangement, purpose, years) in funders {
        for i in 0..years {
            finance::set_contribution(
                ctx,
                SetContribution {
                    procurement_id: p,
                    funder: s(funder),
                    financial_year: FinancialYear(fy.0 + i).to_string(),
                    amount: s(amount),
                    arrangement: s(arrangement),
                    purpose: s(purpose),
                },
            )
            .await?;
        }
    }
    let savings = [
        // Seed 003: 10% over three years, against the six contracts' combined spend.
        (
            ncc,
            "£5,505,000",
            "10%",
            "3",
            fy.0 + 1,
            "Integrating six contracts into one 0-5 service (key decision, option 3).",
        ),
        // Seed 001: a saving of 7.5% on the county's preventative services spend.
        (
            wk,
            "£985,000",
            "7.5%",
            "1",
            fy.0 + 1,
            "7.5% already made in 2016/17 through co-commissioning; to be held.",
        ),
        // Seed 002: the £200,000 of savings due when the Section 75 agreement began.
        (
            hcp,
            "£8,165,000",
            "£200,000",
            "1",
            2023,
            "The starting budget of £7,965,000 is the current £8,165,000 less £200,000 of delayed savings.",
        ),
    ];
    for (p, baseline, target, years, first, notes) in savings {
        finance::set_savings(
            ctx,
            SetSavings {
                procurement_id: p,
                baseline: s(baseline),
                target: s(target),
                years: s(years),
                first_year: FinancialYear(first).to_string(),
                notes: s(notes),
            },
        )
        .await?;
    }
    // Seed 004: 1 navigator per 20,000 people aged 55+, each area to its lot.
    finance::save_allocation(
        ctx,
        cn,
        &AllocationInput {
            csv: include_bytes!("../../assets/demo/community-navigation-55-plus.csv").to_vec(),
            file_name: s("community-navigation-55-plus.csv"),
            total: String::new(),
            per: s("20000"),
            lots: Default::default(),
        },
    )
    .await?;
    Ok(())
}

/// The Health Trainers staff (seed 000): about 30 FTE of trainers, many part-time, with
/// area co-ordinators, employed by an NHS trust and so in the NHS Pension Scheme. Two versions
/// of the list show what changed between them.
async fn health_trainers_tupe(ctx: &Ctx, lot: LotId, transfer: NaiveDate) -> Result<()> {
    use super::tupe;
    tupe::set_plan(
        ctx,
        tupe::SetTupePlan {
expected_version: None,
            lot_id: lot,
            transfer_date: iso(transfer),
            outgoing: s("Kent Community Health NHS Foundation Trust"),
            incoming: String::new(),
            assessment: s("applies"),
            notes: s("Trainers and co-ordinators work wholly on the service. The service manager and the NHS Health Check outreach workers are shared with other trust programmes and stay with the trust."),
        },
    )
    .await?;
    for (text, name) in [
        (
            include_str!("../../assets/demo/health-trainers-staff-v1.csv"),
            "health-trainers-staff-v1.csv",
        ),
        (
            include_str!("../../assets/demo/health-trainers-staff-v2.csv"),
            "health-trainers-staff-v2.csv",
        ),
    ] {
        tupe::import_staff_text(ctx, lot, text, name).await?;
    }
    tupe::set_obligation(
        ctx,
        tupe::SetObligation {
            lot_id: lot,
            key: s("bidders-told"),
            status: s("in-progress"),
            evidence: s("TUPE and NHS pension section of the invitation to tender drafted with HR; legal to review"),
        },
    )
    .await?;
    Ok(())
}

/// Moves a lot along its path, doing on the way what the gates ask for: an approved
/// evaluation model before tender, and a full blind evaluation before award.
async fn advance_along(ctx: &Ctx, lot: LotId, path: &[&str], title: &str) -> Result<()> {
    let evaluated = path.contains(&"award");
    for stage in path {
        if *stage == "draft_specification" {
            super::demo_front::draft(ctx, lot).await?;
        }
        if *stage == "tender" {
            eval::apply_template(ctx, lot, "standard").await?;
            eval::approve_model(ctx, lot).await?;
            super::demo_front::approve(ctx, lot).await?;
            demo_route(ctx, lot, title).await?;
        }
        if *stage == "award" {
            evaluate(ctx, lot, title, true).await?;
        }
        if *stage == "contract" {
            award_before_contract(ctx, lot).await?;
        }
        lots::advance_stage(
            ctx,
            AdvanceStage {
                lot_id: lot,
                to: s(stage),
                reason: None,
            },
        )
        .await?;
    }
    if path.last() == Some(&"tender") {
        super::demo_front::tender_activity(ctx, lot).await?;
    }
    if path.last() == Some(&"evaluation") && !evaluated {
        evaluate(ctx, lot, title, false).await?;
    }
    Ok(())
}

/// The route to market each demo lot took, as its paper describes, and the conflicts
/// assessment recorded before its tender notice.
async fn demo_route(ctx: &Ctx, lot: LotId, title: &str) -> Result<()> {
    use super::route::{RecordConflicts, SetRoute};
    let (route, reason, justification) = if title.contains("Section 75") {
        (
            "section_75",
            "Leicester City Council and Leicestershire Partnership NHS Trust, the current provider, pool their funding under a Section 75 partnership agreement and the Trust provides the integrated 0-19 Healthy Together service; the Health and Wellbeing Scrutiny Commission supported the Section 75 route in August 2022",
            "",
        )
    } else if title.contains("0-5") {
        (
            "psr_competitive",
            "Health visiting and the other 0-5 services are health care services under the Provider Selection Regime; a competitive process tests the market, as the key decision on the 0-5 Integrated Services Contract recommends",
            "",
        )
    } else {
        (
            "light_touch",
            "Community and preventative support services are light-touch services (Schedule 1 of the Procurement Act 2023); a competitive flexible approach with a market engagement stage suits the provider market",
            "",
        )
    };
    super::route::set_route(
        ctx,
        SetRoute {
            lot_id: lot,
            route: s(route),
            reason: s(reason),
            justification: s(justification),
            authority: s("sub_central"),
            kind: s("services"),
            vat_chargeable: false,
            electronic: true,
            documents_with_notice: true,
            urgency: String::new(),
        },
    )
    .await?;
    let l = super::lots::show(ctx, lot).await?;
    let first = [TENDER_NOTICE, SUBMISSION_DEADLINE]
        .iter()
        .find_map(|k| l.milestone_date(k))
        .unwrap_or_else(|| ctx.clock.today());
    let assessed = (first - chrono::Days::new(14)).min(ctx.clock.today());
    super::route::record_conflicts(
        ctx,
        RecordConflicts {
            lot_id: lot,
            assessed_on: iso(assessed),
            scope: s("The commissioning officers, the evaluation panel, finance and legal advisers, and the council's members on the project board"),
            findings: s("None identified: declarations were sought from everyone in scope and none reported an interest in a potential bidder"),
            mitigations: s("Declarations to be refreshed before evaluation; anyone who later reports an interest steps back from the procurement"),
        },
    )
    .await?;
    // The notices that opened the competition, published on their dates.
    let today = ctx.clock.today();
    for f in super::route::notices(ctx, lot).await?.notices {
        use crate::domain::route::notices::NoticeKind;
        let on = match f.kind {
            NoticeKind::Uk2 => l
                .milestone_date(MARKET_ENGAGEMENT_EVENT)
                .map(|d| d - chrono::Days::new(21))
                .or(f.due),
            NoticeKind::Uk4 | NoticeKind::PsrContract => l.milestone_date(TENDER_NOTICE),
            _ => None,
        };
        if let Some(on) = on.filter(|d| *d <= today) {
            super::route::publish_notice(
                ctx,
                super::route::PublishNotice {
                    lot_id: lot,
                    kind: s(f.kind.key()),
                    published_on: iso(on),
                    reference: String::new(),
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// The award as the demo's Section 75 lot went through it in 2023: the award paper, the
/// dates (no standstill, as a light-touch award), the pack, and legal's approval.
async fn award_before_contract(ctx: &Ctx, lot: LotId) -> Result<()> {
    super::demo_papers::write_section75_award(ctx, lot).await?;
    super::papers::generate(
        ctx,
        lot,
        crate::domain::paper::PaperKind::Award,
        crate::domain::paper::Edition::Full,
        false,
        &mut |_| {},
    )
    .await?;
    let date = |m: u32, d: u32| iso(NaiveDate::from_ymd_opt(2023, m, d).expect("valid"));
    super::award::set_dates(
        ctx,
        super::award::SetAwardDates {
            lot_id: lot,
            regime: s("light-touch"),
            voluntary_standstill: false,
            notice_published: Some(date(9, 1)),
            contract_signed: Some(date(9, 15)),
        },
    )
    .await?;
    let pack = super::award::build_pack(ctx, lot, &mut |_| {}).await?;
    super::award::review(
        &ctx.acting_as("d.price", Role::Legal),
        super::award::ReviewPack {
            pack_id: pack.id,
            decision: s("approve"),
            comments: vec![],
        },
    )
    .await?;
    Ok(())
}

/// The bids each evaluated demo lot received: (supplier, registration number, price).
fn demo_bids(title: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    match title {
        "Integrated 0-5 Public Health Services" => &[
            (
                "Nottingham CityCare Partnership CIC",
                "07548532",
                "£4,820,000",
            ),
            ("Family Health Partners Ltd", "09876543", "£4,610,000"),
            ("Early Years Together", "1123456", "£4,905,000"),
        ],
        "Specialist Preventative Services (West Kent)" => &[
            ("Porchlight", "1052875", "£392,000"),
            ("West Kent YMCA", "1090561", "£384,500"),
            ("Look Ahead Care and Support Ltd", "02853445", "£399,000"),
        ],
        _ => &[("Leicestershire Partnership NHS Trust", "", "£7,965,000")],
    }
}

const EVALUATORS: [&str; 3] = ["a.okafor", "j.patel", "r.hughes"];
const MODERATOR: &str = "s.mills";

/// A blind evaluation by three evaluators and a moderator. Complete: everyone submits, the
/// moderator agrees every score and the panel signs off. Otherwise two have submitted and
/// the third is part-way through.
async fn evaluate(ctx: &Ctx, lot: LotId, title: &str, complete: bool) -> Result<()> {
    let mut csv = String::from("supplier,registration_number,lot,price\n");
    for (name, reg, price) in demo_bids(title) {
        csv.push_str(&format!("{name},{reg},,\"{price}\"\n"));
    }
    eval::import_bids_text(ctx, lot, &csv, "demo-bids.csv").await?;
    for e in EVALUATORS {
        eval::add_panel_member(ctx, lot, e, "evaluator").await?;
    }
    eval::add_panel_member(ctx, lot, MODERATOR, "moderator").await?;
    let st = eval::state(ctx, lot).await?;
    let model = st.model()?.clone();
    let words = [
        "no evidence was offered",
        "the answer leaves serious gaps in how the service would run",
        "the method is described but with some gaps, for example in out-of-hours cover",
        "the bid meets the requirement, with a clear staffing plan and named partners",
        "the bid meets the requirement well, citing outcomes from its current contracts",
        "an excellent answer, with evidence from local pilots and a costed mobilisation plan",
    ];
    for (ei, e) in EVALUATORS.iter().enumerate() {
        let me = ctx.acting_as(*e, Role::Evaluator);
        eval::declare(&me, lot, None).await?;
        let mut scores = Vec::new();
        for (bi, b) in st.bids.iter().enumerate() {
            for (qi, (_, q)) in model.questions().enumerate() {
                if !complete && ei == 2 && qi > 1 {
                    continue;
                }
                let max = q.scale.max();
                let score = if max == 1 {
                    1
                } else {
                    // Deterministic but varied: bidders differ, and evaluators differ a little.
                    // A sole bidder (the Section 75 partner) met the quality threshold.
                    let base = if st.bids.len() == 1 {
                        4
                    } else {
                        2 + ((bi * 2 + qi * 3) % 3) as u32
                    };
                    let nudge = ((ei + qi + bi) % 3) as u32;
                    (base + nudge).saturating_sub(1).min(max)
                };
                let text = words[(score as usize * 5 / max.max(1) as usize).min(5)];
                scores.push(crate::store::ScoreInput {
                    line: None,
                    bid: b.id,
                    question: q.key.clone(),
                    score,
                    justification: format!("{}: {text} (section {} of the bid).", q.key, qi + 1),
                });
            }
        }
        super::eval::record::save_scores(&me, &me.write_unchecked(), lot, scores).await?;
        if complete || ei < 2 {
            eval::submit(&me, lot).await?;
        }
    }
    if !complete {
        return Ok(());
    }
    let moderator = ctx.acting_as(MODERATOR, Role::Moderator);
    eval::declare(&moderator, lot, None).await?;
    let board = eval::moderation(&moderator, lot).await?;
    let entries = board
        .cells
        .iter()
        .map(|c| {
            // The consensus is the panel's median, with the reason recorded.
            let mut v: Vec<u32> = c.originals.iter().map(|o| o.score).collect();
            v.sort_unstable();
            let score = v[v.len() / 2];
            crate::store::ConsensusInput {
                line: None,
                bid: c.bid_id,
                question: c.question.clone(),
                score,
                reason: format!(
                    "Agreed at {score} after discussion: the panel tested each evaluator’s reading against the bid’s answer to {}.",
                    c.question
                ),
            }
        })
        .collect();
    super::eval::record::record_consensus(&moderator, &moderator.write_unchecked(), lot, entries)
        .await?;
    for p in EVALUATORS {
        eval::sign_off(&ctx.acting_as(p, Role::Evaluator), lot).await?;
    }
    eval::sign_off(&moderator, lot).await?;
    Ok(())
}
