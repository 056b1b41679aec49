//! Finance against a real workspace: funders pooled and aligned, headroom and the warning
//! when an award or extension would break the budget, savings against the baseline with
//! delayed savings, whole-life values, allocation saved against lots, and refusals that
//! name the field and change nothing.
use crate::support::*;
use lotwise::domain::finance::savings::SavingStatus;
use lotwise::domain::ids::ProcurementId;
use lotwise::domain::roles::Role;
use lotwise::error::ErrorCode;
use lotwise::ops::finance::{self, AllocationInput, SetBudget, SetContribution, SetSavings};
use lotwise::ops::{self, Ctx};

async fn procurement(ctx: &Ctx, reference: &str) -> ProcurementId {
    ops::registers::list_procurements(ctx)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.reference == reference)
        .unwrap()
        .id
}

#[tokio::test]
async fn the_west_kent_pool_shows_funders_headroom_and_what_would_break_the_budget() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let wk = procurement(&ctx, "WK-PREV").await;
    let v = finance::view(&ctx, wk).await.unwrap();
    let first = &v.position.years[0];
    // Seed 001: £1m of county money pooled, about £1m of district money aligned.
    assert_eq!(first.pooled.display(), "£1,000,000");
    assert_eq!(first.aligned.display(), "£1,000,000");
    assert_eq!(first.funded, first.budget);
    assert_eq!(first.funders.len(), 4);
    // The award to Porchlight at £392,000 a year is committed from contract start.
    let award = v
        .position
        .commitments
        .iter()
        .find(|c| c.label.contains("award to Porchlight"))
        .expect("the award is committed");
    assert_eq!(award.annual.display(), "£392,000");
    let full_year = &v.position.years[1];
    assert_eq!(full_year.committed.display(), "£392,000");
    assert_eq!(full_year.headroom.display(), "£1,608,000");
    // The award's core term runs past the budgeted years; its extension would too.
    let w = v.position.warnings.join("\n");
    assert!(
        w.contains("is committed but no budget is set for the year"),
        "{w}"
    );
    assert!(
        w.contains("Taking extension option 1 of the Lot 1 contract"),
        "{w}"
    );

    // Cutting a year's budget below what is committed warns, with the amounts.
    let y = full_year.financial_year.to_string();
    let v = finance::set_budget(
        &ctx,
        SetBudget {
            procurement_id: wk,
            financial_year: y.clone(),
            amount: "£300,000".into(),
        },
    )
    .await
    .unwrap();
    let row = v
        .position
        .years
        .iter()
        .find(|r| r.financial_year.to_string() == y)
        .unwrap();
    assert!(row.over_budget);
    assert_eq!(row.headroom.display(), "-£92,000");
    assert!(
        v.position.warnings.iter().any(|w| w
            == &format!(
                "{y}: £392,000 is committed against a budget of £300,000: £92,000 over budget."
            )),
        "{:?}",
        v.position.warnings
    );
    assert!(
        !v.position.warnings.iter().any(|w| w.contains("unfunded")),
        "funding above the budget is not a shortfall"
    );
}

#[tokio::test]
async fn bad_finance_input_names_the_field_and_changes_nothing() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let wk = procurement(&ctx, "WK-PREV").await;
    let before = audit_len(&ctx).await;
    let good = SetContribution {
        procurement_id: wk,
        funder: "Sevenoaks District Council".into(),
        financial_year: "2027/28".into(),
        amount: "£340,000".into(),
        arrangement: "aligned".into(),
        purpose: "Healthy lifestyles".into(),
    };
    for (bad, field) in [
        (
            SetContribution {
                financial_year: "2027".into(),
                ..good.clone()
            },
            "financialYear",
        ),
        (
            SetContribution {
                amount: "£1.234".into(),
                ..good.clone()
            },
            "amount",
        ),
        (
            SetContribution {
                arrangement: "shared".into(),
                ..good.clone()
            },
            "arrangement",
        ),
        (
            SetContribution {
                funder: "Nowhere Council".into(),
                ..good.clone()
            },
            "funder",
        ),
        (
            SetContribution {
                purpose: " ".into(),
                ..good.clone()
            },
            "purpose",
        ),
    ] {
        let e = finance::set_contribution(&ctx, bad).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
    }
    let e = finance::set_savings(
        &ctx,
        SetSavings {
            procurement_id: wk,
            baseline: "£985,000".into(),
            target: "110%".into(),
            years: "3".into(),
            first_year: "2027/28".into(),
            notes: String::new(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("target"));
    // An evaluator may not change the money.
    let e = finance::set_contribution(&ctx.acting_as("a.okafor", Role::Evaluator), good)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(audit_len(&ctx).await, before, "nothing was written");

    // A contribution is removed only through its own procurement.
    let ncc = procurement(&ctx, "NCC-05").await;
    let theirs = finance::view(&ctx, ncc).await.unwrap().contributions[0].id;
    let e = finance::remove_contribution(&ctx, wk, theirs)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(audit_len(&ctx).await, before);
    let mine = finance::view(&ctx, wk).await.unwrap().contributions[0].clone();
    let v = finance::remove_contribution(&ctx, wk, mine.id)
        .await
        .unwrap();
    assert!(!v.contributions.iter().any(|c| c.id == mine.id));
    assert_eq!(audit_len(&ctx).await, before + 1, "the removal is audited");
}

#[tokio::test]
async fn savings_against_baseline_show_the_delayed_200000_of_seed_002() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let lcc = procurement(&ctx, "LCC-0019").await;
    let v = finance::view(&ctx, lcc).await.unwrap();
    let s = v.savings.expect("a savings target");
    let first = &s.years[0];
    assert_eq!(first.financial_year.to_string(), "2023/24");
    // Six months at £8,165,000 a year, six at £7,965,000: half the saving in the first year.
    assert_eq!(first.committed.display(), "£8,065,000");
    assert_eq!(first.saving.display(), "£100,000");
    assert_eq!(first.status, SavingStatus::Delayed);
    assert_eq!(
        first.delayed_to.map(|f| f.to_string()).as_deref(),
        Some("2024/25")
    );
    assert!(first.secured, "both halves are contract prices");
    assert_eq!(s.years[1].saving.display(), "£200,000");
    assert!(
        s.summary
            .contains("£100,000 of the 2023/24 saving is delayed to 2024/25"),
        "{}",
        s.summary
    );

    // 10% over three years (seed 003): phased evenly, and never in floating point.
    let ncc = procurement(&ctx, "NCC-05").await;
    let s = finance::view(&ctx, ncc).await.unwrap().savings.unwrap();
    let targets: Vec<String> = s.years.iter().take(3).map(|y| y.target.display()).collect();
    assert_eq!(targets, ["£183,500", "£367,000", "£550,500"]);
}

#[tokio::test]
async fn whole_life_values_count_every_option_with_vat_both_ways() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let ncc = procurement(&ctx, "NCC-05").await;
    let v = finance::view(&ctx, ncc).await.unwrap();
    let lot = &v.lots[0];
    let w = lot.whole_life.as_ref().unwrap();
    assert_eq!(w.term, "5+2+2");
    assert_eq!(w.periods.len(), 3);
    assert_eq!(w.total.display(), "£44,550,000");
    assert_eq!(w.total_inc_vat.display(), "£53,460,000");
    assert_eq!(lot.basis, "estimated annual value");

    let w = finance::term_value(
        "5+2+2",
        Some("01/04/2018"),
        "£1,000,000",
        now().date_naive(),
    )
    .unwrap();
    let ends: Vec<String> = w
        .periods
        .iter()
        .map(|p| lotwise::domain::dates::long(p.end.unwrap()))
        .collect();
    assert_eq!(ends, ["31 March 2023", "31 March 2025", "31 March 2027"]);
}

#[tokio::test]
async fn an_allocation_is_saved_against_the_lots_exactly_as_shown() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let cn = procurement(&ctx, "KCC-CN").await;
    let v = finance::view(&ctx, cn).await.unwrap();
    let saved = &v.allocations[0];
    let posts: Vec<u64> = saved.allocation.rows.iter().map(|r| r.allocation).collect();
    assert_eq!(posts, vec![2, 3, 4, 4, 2, 3, 7]);
    let lot_of = |area: &str| {
        let id = saved
            .areas
            .iter()
            .find(|a| a.area == area)
            .unwrap()
            .lot_id
            .unwrap();
        v.lots
            .iter()
            .find(|l| l.lot_id == id)
            .unwrap()
            .reference
            .clone()
    };
    assert_eq!(lot_of("Ashford"), "Lot 1");
    assert_eq!(lot_of("West Kent"), "Lot 2");
    assert_eq!(lot_of("Swale"), "Lot 3");

    // A lot that is not the procurement's is refused, naming the area; nothing is saved.
    let before = audit_len(&ctx).await;
    let input = AllocationInput {
        csv: "area,population,lot\nAshford,\"38,479\",Lot 9\n".into(),
        file_name: "areas.csv".into(),
        total: "£100,000".into(),
        per: String::new(),
        lots: Default::default(),
    };
    let e = finance::save_allocation(&ctx, cn, &input)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("lot"));
    assert!(
        e.message
            .starts_with("Ashford: “Lot 9” is not a lot of this procurement"),
        "{}",
        e.message
    );
    assert_eq!(audit_len(&ctx).await, before);
    assert_eq!(finance::view(&ctx, cn).await.unwrap().allocations.len(), 1);
}

#[test]
fn cli_finance_show_term_and_allocate_save() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let out = lotwise(&ws, &["finance", "show", "WK-PREV", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["position"]["years"][0]["pooled"], "1000000.00");
    assert!(v["position"]["warnings"].as_array().unwrap().len() >= 2);

    let out = lotwise(
        &ws,
        &[
            "term",
            "5+2+2",
            "--from",
            "2018-04-01",
            "--annual",
            "£4,950,000",
        ],
    );
    let text = stdout(&out);
    assert!(text.contains("Core term ends: 31 March 2023"), "{text}");
    assert!(text.contains("Final possible end: 31 March 2027"), "{text}");
    assert!(
        text.contains(
            "Whole-life value: £44,550,000 excluding VAT, £53,460,000 including VAT at 20%"
        ),
        "{text}"
    );

    let csv = ws.dir.path().join("areas.csv");
    std::fs::write(
        &csv,
        "area,population,lot\nNorth,\"30,000\",Lot 1\nSouth,\"10,000\",Lot 2\n",
    )
    .unwrap();
    let out = lotwise(
        &ws,
        &[
            "allocate",
            "--csv",
            csv.to_str().unwrap(),
            "--total",
            "£1,000,000.01",
            "--save",
            "KCC-CN",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let a: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(a["allocation"]["rows"][0]["amount"], "750000.01");
    assert_eq!(a["allocation"]["rows"][1]["amount"], "250000.00");

    let out = lotwise(
        &ws,
        &[
            "finance",
            "funder",
            "WK-PREV",
            "--funder",
            "Kent County Council",
            "--year",
            "2027-28x",
            "--amount",
            "£1",
            "--purpose",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a financial year"),
        "{}",
        stderr(&out)
    );
}
