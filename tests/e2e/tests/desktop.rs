//! The real app under Xvfb: open a lot from the board, advance its stage, see the event in
//! the audit log, and see a refused move explained beside the field. Screenshots are saved.
use fantoccini::Locator;
use lotwise_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn open_a_lot_advance_it_and_see_the_audit_event() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("e2e.lotwise");
    let driver = Driver::start(&workspace).await;
    let c = driver.session(&app_path()).await;

    // First run: the app seeds the demo and paints the board.
    wait_for(&c, "[data-testid=board]").await;
    wait_text(&c, "[data-testid=board]", "Community Navigation: West Kent").await;
    screenshot(&c, "01-board").await;

    // Open the West Kent lot (market engagement) from its card.
    let card = c
        .find(Locator::XPath(
            "//a[contains(@class,'card')][.//span[text()='Community Navigation: West Kent']]",
        ))
        .await
        .expect("West Kent card");
    card.click().await.unwrap();
    wait_text(
        &c,
        "[data-testid=lot-title]",
        "Community Navigation: West Kent",
    )
    .await;
    wait_text(&c, "[data-testid=lot-stage]", "Market engagement").await;
    screenshot(&c, "02-lot-page").await;

    // Advance it: the default move is the next stage.
    click(&c, "[data-testid=advance-submit]").await;
    wait_text(&c, "[data-testid=lot-stage]", "Draft specification").await;
    wait_text(
        &c,
        "[data-testid=history]",
        "Market engagement → Draft specification",
    )
    .await;
    screenshot(&c, "03-lot-advanced").await;

    // Abandoning without a reason is refused, with the message beside the reason field.
    let select = c.find(Locator::Css("#field-to")).await.unwrap();
    select.select_by_value("abandoned").await.unwrap();
    click(&c, "[data-testid=advance-submit]").await;
    wait_text(
        &c,
        "[data-testid=error-reason]",
        "Give the reason for abandoning",
    )
    .await;
    wait_text(&c, "[data-testid=error-summary]", "There is a problem").await;
    wait_text(&c, "[data-testid=lot-stage]", "Draft specification").await;
    screenshot(&c, "04-refused-with-reason").await;

    // The audit log shows the stage change, newest first, by the person who made it.
    click(&c, "[data-testid=nav-audit]").await;
    let first_row = wait_text(
        &c,
        "[data-testid=audit-log] tbody tr:first-child",
        "lot.stage_changed",
    )
    .await;
    assert!(first_row.contains("e2e-officer"), "{first_row}");
    assert!(first_row.contains("draft_specification"), "{first_row}");
    click(&c, "[data-testid=verify]").await;
    wait_text(&c, "[data-testid=verification]", "The trail is intact").await;
    screenshot(&c, "05-audit-log").await;

    // The contracts register with the expiry radar.
    click(&c, "[data-testid=nav-contracts]").await;
    wait_text(&c, "[data-testid=radar]", "Health Trainers").await;
    screenshot(&c, "06-contracts").await;

    c.close().await.unwrap();
    driver.stop().await;

    // The engine sees what the UI did: same workspace file, same chain.
    let verified = cli(&workspace, "e2e-officer", &["audit", "verify"]);
    assert!(verified.starts_with("ok: "), "{verified}");
}

/// A form validated by the engine: the error appears beside the field and nothing is added;
/// once corrected, the new lot opens with its parts.
#[tokio::test(flavor = "multi_thread")]
async fn add_a_lot_with_an_error_then_correct_it() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("e2e-form.lotwise");
    let driver = Driver::start(&workspace).await;
    let c = driver.session(&app_path()).await;
    wait_for(&c, "[data-testid=board] .card").await;
    c.find(Locator::LinkText("Add a lot"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "[data-testid=new-lot-form]").await;
    // Wait for the procurement list to load before choosing from it.
    wait_text(&c, "#field-procurementId", "Community Navigation (KCC-CN)").await;
    let select = c.find(Locator::Css("#field-procurementId")).await.unwrap();
    select
        .select_by_label("Community Navigation (KCC-CN)")
        .await
        .unwrap();
    type_into(&c, "#field-reference", "Lot 4").await;
    type_into(&c, "#field-title", "Community Navigation: Medway").await;
    type_into(&c, "#field-estimatedAnnualValue", "about a million").await;
    type_into(&c, "#field-term", "5+2").await;
    click_button(&c, "Add a part").await;
    type_into(&c, "[id='field-parts.0.title']", "Community Navigation").await;
    click_button(&c, "Add lot").await;
    wait_text(
        &c,
        "[data-testid=error-estimatedAnnualValue]",
        "is not an amount of money",
    )
    .await;
    screenshot(&c, "07-new-lot-error").await;
    // The error summary's link takes focus to the field and leaves the page where it is (the
    // app routes on the URL's hash: a plain "#field-…" link used to empty the screen).
    let route = c.current_url().await.unwrap();
    click(&c, "[data-testid=error-summary] a").await;
    let focused = focused_id(&c).await;
    assert_eq!(focused, "field-estimatedAnnualValue");
    assert_eq!(c.current_url().await.unwrap(), route, "the route is kept");
    wait_for(&c, "[data-testid=new-lot-form]").await;
    // The skip link, likewise: focus to the main content, the route unchanged.
    c.execute("document.querySelector('.skip-link').focus();", vec![])
        .await
        .unwrap();
    press(&c, ENTER).await;
    let focused = focused_id(&c).await;
    assert_eq!(focused, "main", "Enter on the skip link");
    assert_eq!(c.current_url().await.unwrap(), route, "the route is kept");

    let value = c
        .find(Locator::Css("#field-estimatedAnnualValue"))
        .await
        .unwrap();
    value.clear().await.unwrap();
    value.send_keys("£1,200,000").await.unwrap();
    click_button(&c, "Add lot").await;
    wait_text(
        &c,
        "[data-testid=lot-title]",
        "Community Navigation: Medway",
    )
    .await;
    wait_text(&c, "main", "A: Community Navigation").await;
    wait_text(&c, "main", "£8,400,000").await; // whole-life value over 5+2
    screenshot(&c, "08-new-lot").await;
    c.close().await.unwrap();
    driver.stop().await;
}

/// An older backup put back over the workspace: this computer's anchor journal remembers
/// the record was longer, and the app says so on opening, in plain words, on every screen.
#[tokio::test(flavor = "multi_thread")]
async fn a_record_cut_short_behind_the_apps_back_is_shown_as_the_app_opens() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("anchored.lotwise");
    let old = dir.path().join("old.lotwise");
    cli(&workspace, "e2e-officer", &["demo"]);
    cli(
        &workspace,
        "e2e-officer",
        &["backup", "--out", old.to_str().unwrap()],
    );
    // More work after the backup, witnessed by this computer's journal.
    cli(
        &workspace,
        "e2e-officer",
        &[
            "organisations",
            "add",
            "--name",
            "Medway Council",
            "--kind",
            "unitary_council",
        ],
    );
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", workspace.display()));
    }
    std::fs::copy(&old, &workspace).unwrap();

    let driver = Driver::start(&workspace).await;
    let c = driver.session(&app_path()).await;
    wait_for(&c, "[data-testid=board]").await;
    let alert = wait_text(
        &c,
        "[data-testid=anchor-alert]",
        "The audit record does not match what this computer saw",
    )
    .await;
    assert!(
        alert.contains("is missing") || alert.contains("are missing"),
        "{alert}"
    );
    assert!(alert.contains("this computer's anchor journal"), "{alert}");
    screenshot(&c, "anchor-alert").await;
    // It stays on every screen, and the audit log's check says the same.
    click(&c, "[data-testid=nav-audit]").await;
    wait_for(&c, "[data-testid=anchor-alert]").await;
    click(&c, "[data-testid=verify]").await;
    wait_text(
        &c,
        "[data-testid=verification]",
        "anchors this computer keeps for it fail",
    )
    .await;
    screenshot(&c, "anchor-alert-audit-log").await;
    c.close().await.unwrap();
    driver.stop().await;
}
