//! Finance in the real app: from a lot to its procurement's finance tab; the chart of budget
//! against committed by year and funder; a bad contribution refused beside its field, then a
//! good one saved; a budget cut below what is committed flagged over budget; the savings
//! tracker; and the allocation tool working out the seed's 25 navigators and saving them.
use chrono::{Datelike, Local};
use fantoccini::{Client, Locator};
use lotwise_e2e::*;

/// The financial year after this one, as 2027/28: the award's first full year.
fn next_year() -> String {
    let today = Local::now().date_naive();
    let start = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    } + 1;
    format!("{start}/{:02}", (start + 1) % 100)
}

async fn choose(c: &Client, select_css: &str, text: &str) {
    c.find(Locator::XPath(&format!(
        "//select[@id='{}']/option[contains(., \"{text}\")]",
        select_css.trim_start_matches('#')
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn budgets_funders_savings_and_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("finance.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let year = next_year();

    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;

    // From the lot to its procurement's finance tab.
    open_lot_tab(
        &c,
        "Specialist Preventative Services (West Kent)",
        "overview",
    )
    .await;
    click(&c, "[data-testid=lot-procurement-link]").await;
    wait_text(
        &c,
        "[data-testid=procurement-title]",
        "West Kent Public Health Preventative Services",
    )
    .await;
    wait_for(&c, "[data-testid=budget-chart] svg").await;
    let bars = c
        .find_all(Locator::Css(
            "[data-testid=budget-chart] .recharts-bar-rectangle",
        ))
        .await
        .unwrap();
    assert!(
        bars.len() >= 8,
        "funders' and committed bars are drawn: {}",
        bars.len()
    );
    wait_text(&c, "[data-testid=budget-table]", "£1,000,000").await;
    wait_text(&c, "[data-testid=commitments]", "award to Porchlight").await;
    wait_text(
        &c,
        "[data-testid=finance-warnings]",
        "would exceed the budget",
    )
    .await;
    screenshot(&c, "finance-1-chart").await;

    // A contribution for a year written wrongly is refused beside the field.
    choose(&c, "#field-funder-funder", "Sevenoaks District Council").await;
    replace_text(&c, "#field-funder-financialYear", "2031").await;
    replace_text(&c, "#field-funder-amount", "£340,000").await;
    replace_text(
        &c,
        "#field-funder-purpose",
        "Healthy lifestyles and community activity",
    )
    .await;
    click_button(&c, "Save contribution").await;
    wait_text(
        &c,
        "[data-testid=error-funder-financialYear]",
        "not a financial year",
    )
    .await;
    show(&c, "[data-testid=contribution-form]").await;
    screenshot(&c, "finance-2-funder-error-beside-field").await;
    replace_text(&c, "#field-funder-financialYear", "2031/32").await;
    click_button(&c, "Save contribution").await;
    wait_text(&c, "[data-testid=contributions]", "2031/32").await;

    // A budget cut below what the award commits is over budget, in words and in red.
    replace_text(&c, "#field-budget-financialYear", &year).await;
    replace_text(&c, "#field-budget-amount", "£300,000").await;
    click_button(&c, "Save budget").await;
    wait_text(&c, &format!("[data-testid='budget-{year}']"), "Over budget").await;
    wait_text(
        &c,
        "[data-testid=finance-warnings]",
        &format!(
            "{year}: £392,000 is committed against a budget of £300,000: £92,000 over budget."
        ),
    )
    .await;
    show(&c, "[data-testid=finance-warnings]").await;
    screenshot(&c, "finance-3-over-budget").await;

    // The savings tracker: 7.5% held from the first full year of the new contract.
    wait_text(
        &c,
        "[data-testid=savings-target]",
        "7.5% of £985,000 (£73,875)",
    )
    .await;
    show(&c, "[data-testid=savings-table]").await;
    screenshot(&c, "finance-4-savings-and-whole-life").await;

    // Community Navigation: the saved allocation, then the tool works out seed 004 again.
    click(&c, "[data-testid=nav-procurements]").await;
    // Community Navigation's budget over its five years, added up exactly.
    wait_text(&c, "[data-testid=procurements]", "£29,750,000").await;
    screenshot(&c, "finance-5a-procurements").await;
    click(&c, "[data-testid=procurement-KCC-CN]").await;
    wait_text(&c, "[data-testid=saved-allocation]", "12 posts").await;
    replace_text(
        &c,
        "#field-alloc-csv",
        // WebDriver types a new line in a text area as the Enter key.
        "area,population\u{E007}Ashford,\"38,479\"\u{E007}C&C,lots",
    )
    .await;
    replace_text(&c, "#field-alloc-per", "20,000").await;
    click_button(&c, "Work it out").await;
    wait_text(
        &c,
        "[data-testid=error-alloc-csv]",
        "line 3, column population",
    )
    .await;
    show(&c, "[data-testid=allocation-form]").await;
    screenshot(&c, "finance-5-allocation-error").await;
    // The officer chooses the areas file instead, as Excel's plain "CSV" saves it on a UK
    // Windows machine: Windows-1252, so the en dash is the single byte 0x96.
    let areas = dir.path().join("navigators-55-plus.csv");
    let mut bytes = Vec::new();
    for part in include_str!("../../../assets/demo/community-navigation-55-plus.csv")
        .replace("\n", "\r\n")
        .split("Swale")
        .enumerate()
    {
        if part.0 > 0 {
            bytes.extend_from_slice(b"Swale \x96 Sittingbourne");
        }
        bytes.extend_from_slice(part.1.as_bytes());
    }
    std::fs::write(&areas, bytes).unwrap();
    pick(&c, "[data-testid=allocation-file]", &areas).await;
    wait_text(
        &c,
        "[data-testid=allocation-read-as]",
        "navigators-55-plus.csv was read as Windows-1252",
    )
    .await;
    wait_for(&c, "#field-alloc-csv").await;
    replace_text(&c, "#field-alloc-per", "").await;
    replace_text(&c, "#field-alloc-total", "25").await;
    click_button(&c, "Work it out").await;
    wait_text(&c, "[data-testid='alloc-West Kent']", "7").await;
    wait_text(
        &c,
        "[data-testid=allocation-table]",
        "Swale – Sittingbourne",
    )
    .await;
    wait_text(&c, "[data-testid=allocation-table]", "25 posts").await;
    click(&c, "[data-testid=allocation-save]").await;
    wait_text(&c, ".button-row .notice", "Saved: 25 posts").await;
    wait_text(
        &c,
        "[data-testid=saved-allocation-basis]",
        "25 posts, saved by e2e-officer",
    )
    .await;
    wait_text(&c, "[data-testid=saved-allocation]", "7 posts").await;
    show(&c, "[data-testid=allocation-table]").await;
    screenshot(&c, "finance-6-allocation-saved").await;

    c.close().await.unwrap();
    driver.stop().await;
}
