//! The route to market in the real app: the officer records the lot's route (a missing
//! reason is refused beside its field), sees the value tested against the threshold and what
//! follows, records the conflicts assessment (a future date is refused beside its field),
//! reads the timeline, records the preliminary market engagement notice as published, sees
//! what the tender notice still lacks, and moves the lot to tender once the gates are met
//! (the specification approved through the CLI here; the tender test clicks through it);
//! then ticks an element of a Section 75 lot's agreement checklist.
use lotwise_e2e::*;

const TITLE: &str = "Community Navigation: East Kent";

#[tokio::test(flavor = "multi_thread")]
async fn route_conflicts_notices_and_the_tender_gate() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("route.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    // The evaluation model is the evaluation tests' subject; here it is simply approved.
    cli(
        &ws,
        "e2e-officer",
        &["eval", "model", "1", "--template", "standard", "--approve"],
    );

    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    open_lot_tab(&c, TITLE, "route").await;
    wait_for(&c, "[data-testid=route-none]").await;
    wait_text(
        &c,
        "[data-testid=tender-gate]",
        "A route to market, with the reason for it",
    )
    .await;
    wait_text(&c, "[data-testid=tender-gate]", "A conflicts assessment").await;
    screenshot(&c, "route-1-no-route").await;

    // A route without its reason is refused beside the field.
    click(&c, "#field-route-route option[value='light_touch']").await;
    click(&c, "[data-testid=save-route]").await;
    wait_text(
        &c,
        "[data-testid=error-route-reason]",
        "Give the reason for choosing this route",
    )
    .await;
    screenshot(&c, "route-2-reason-error").await;
    type_into(
        &c,
        "#field-route-reason",
        "Community navigation is a light-touch service; a competitive flexible procedure with dialogue suits the market",
    )
    .await;
    click(&c, "[data-testid=save-route]").await;
    wait_text(
        &c,
        "[data-testid=route-outcome]",
        "£16,800,000 (no VAT charged) over the whole term (7 years, extensions included) is above the light-touch threshold of £663,540",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=route-rules]",
        "Contract details notice (UK7) before the end of 120 days beginning with the day the contract is entered into",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=tender-checks]",
        "no statutory minimum applies",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=tendering-minimum]",
        "No statutory minimum — Procurement Act 2023, s54(4), row 1",
    )
    .await;

    // The conflicts assessment: a date in the future is refused beside its field.
    fill_conflicts(&c, "01/01/2099").await;
    wait_text(
        &c,
        "[data-testid=error-conflicts-assessedOn]",
        "is in the future",
    )
    .await;
    screenshot(&c, "route-3-conflicts-date-error").await;
    let today = chrono::Local::now()
        .date_naive()
        .format("%d/%m/%Y")
        .to_string();
    replace_text(&c, "#field-conflicts-assessedOn", &today).await;
    click(&c, "[data-testid=save-conflicts]").await;
    wait_text(&c, "[data-testid=conflicts-list]", "None identified").await;
    // What remains is the specification, which the tender test approves through the app.
    wait_text(
        &c,
        "[data-testid=tender-gate]",
        "An approved specification for the tender to reference",
    )
    .await;
    let timeline = wait_for(&c, "[data-testid=timeline-chart]").await;
    scroll_to(&c, &timeline).await;
    wait_text(&c, "[data-testid=timeline-table]", "UK4 tender notice").await;
    screenshot(&c, "route-4-timeline").await;

    // Notices: the UK2 is ready and is recorded as published; the UK4 still lacks its
    // clarification deadline, which the form lists.
    click(&c, "[data-testid=lot-tab-notices]").await;
    wait_text(&c, "[data-testid=notice-uk2-status]", "Ready to publish").await;
    wait_text(
        &c,
        "[data-testid=notice-uk4-missing]",
        "Clarification deadline",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=notice-uk4-missing]",
        "The preliminary market engagement notice (UK2) published first",
    )
    .await;
    replace_text(&c, "#field-uk2-publishedOn", &today).await;
    type_into(&c, "#field-uk2-reference", "FTS-2026-0042").await;
    click(&c, "[data-testid=publish-uk2-submit]").await;
    wait_text(&c, "[data-testid=notice-uk2-status]", "Published").await;
    wait_text(&c, "[data-testid=notice-uk2]", "FTS-2026-0042").await;
    screenshot(&c, "route-5-notices").await;

    // With the route, the assessment, an approved model and an approved specification, the
    // lot moves to tender.
    cli(&ws, "e2e-officer", &["spec", "approve", "1", "1"]);
    click(&c, "[data-testid=lot-tab-overview]").await;
    click(&c, "[data-testid=advance-submit]").await;
    wait_text(&c, "[data-testid=lot-stage]", "Tender").await;
    screenshot(&c, "route-6-at-tender").await;

    // A Section 75 lot has the agreement checklist instead of notices.
    back_to_board(&c).await;
    open_lot_tab(&c, "Healthy Together 0-19 (Section 75)", "route").await;
    wait_text(&c, "[data-testid=section75]", "0 of 9 elements agreed").await;
    click(&c, "[data-testid=s75-contributions]").await;
    wait_text(&c, "[data-testid=section75]", "1 of 9 elements agreed").await;
    show(&c, "[data-testid=section75]").await;
    screenshot(&c, "route-7-section75").await;

    // An open procedure: the two facts s54(4) turns on give its row and the earliest lawful
    // submission deadline; urgency needs its reason, beside the field.
    back_to_board(&c).await;
    open_lot_tab(&c, "Health Trainers (Kent)", "route").await;
    click(&c, "#field-route-route option[value='open']").await;
    type_into(
        &c,
        "#field-route-reason",
        "An open procedure suits a market of many small local providers",
    )
    .await;
    click(&c, "[data-testid=route-electronic]").await;
    click(&c, "[data-testid=route-documents]").await;
    type_into(&c, "#field-route-urgency", "soon").await;
    click(&c, "[data-testid=save-route]").await;
    wait_text(
        &c,
        "[data-testid=error-route-urgency]",
        "what the state of urgency is",
    )
    .await;
    replace_text(&c, "#field-route-urgency", "").await;
    click(&c, "[data-testid=save-route]").await;
    wait_text(
        &c,
        "[data-testid=tendering-minimum]",
        "At least 35 days — Procurement Act 2023, s54(4), row 10",
    )
    .await;
    wait_for(&c, "[data-testid=earliest-deadline]").await;
    show(&c, "[data-testid=tendering-period]").await;
    screenshot(&c, "route-8-open-35-days").await;
    c.close().await.unwrap();
    driver.stop().await;
}
