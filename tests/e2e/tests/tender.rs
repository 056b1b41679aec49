//! From market engagement to tender in the real app, as the officer: record an engagement
//! event (a bad date refused beside its field) with an attendee, a question and an expression
//! of interest from a potential consortium; write the specification (text before the first
//! heading refused beside the editor), take a market comment on a section, revise it,
//! compare the versions and approve the newest; record the route and the conflicts
//! assessment; move the lot to tender; then answer a clarification (a question naming its
//! asker is refused) and log a bid, which waits for the deadline before evaluation.
use lotwise_e2e::*;

const TITLE: &str = "Community Navigation: West Kent";

const V1: &str = "## Purpose\nA community navigation service for people aged 55 and over.\n## Time limits\nEach intervention lasts up to 12 weeks.\n## Social prescribing database\nThe provider builds a new database.";
const V2: &str = "## Purpose\nA community navigation service for people aged 55 and over and their carers.\n## Time limits\nEach intervention lasts up to 12 weeks.\n## Staffing\nOne navigator per 20,000 people aged 55 and over.";

/// Text for a textarea: WebKitWebDriver drops "\n", so each line break is the Enter key.
fn lines(text: &str) -> String {
    text.replace('\n', "\u{E007}")
}

#[tokio::test(flavor = "multi_thread")]
async fn from_engagement_to_tender() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("tender.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let lots: serde_json::Value =
        serde_json::from_str(&cli(&ws, "e2e-officer", &["lots", "list", "--json"])).unwrap();
    let id = lots
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["title"] == TITLE)
        .unwrap()["id"]
        .to_string();
    let day = |offset: i64| {
        (chrono::Local::now().date_naive() + chrono::Duration::days(offset))
            .format("%d/%m/%Y")
            .to_string()
    };
    let today = day(0);
    // What this test does not click through: the evaluation model and the tender's dates.
    cli(
        &ws,
        "e2e-officer",
        &["eval", "model", &id, "--template", "standard", "--approve"],
    );
    for (key, on) in [
        ("tender_notice", day(40)),
        ("clarification_deadline", day(80)),
    ] {
        cli(
            &ws,
            "e2e-officer",
            &["lots", "milestone", &id, "--key", key, "--planned", &on],
        );
    }

    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;

    // Engagement: an event with a date that does not exist is refused beside the field.
    open_lot_tab(&c, TITLE, "engagement").await;
    wait_text(&c, "[data-testid=engagement-summary]", "0 events").await;
    type_into(
        &c,
        "#field-event-title",
        "West Kent market engagement session",
    )
    .await;
    type_into(&c, "#field-event-heldOn", "31/02/2026").await;
    click(&c, "#field-event-format option[value='online']").await;
    type_into(
        &c,
        "#field-event-agenda",
        "Navigator numbers by district, the carers role, block or framework",
    )
    .await;
    click(&c, "[data-testid=event-submit]").await;
    wait_text(&c, "[data-testid=error-event-heldOn]", "is not a date").await;
    screenshot(&c, "tender-1-event-date-error").await;
    replace_text(&c, "#field-event-heldOn", &day(-7)).await;
    click(&c, "[data-testid=event-submit]").await;
    wait_text(&c, "[data-testid=engagement-summary]", "1 event").await;
    type_into(&c, "[id^=field-event-][id$=-att-name]", "Service manager").await;
    type_into(
        &c,
        "[id^=field-event-][id$=-att-organisation]",
        "Porchlight",
    )
    .await;
    click(&c, "[data-testid$=-add-attendee]").await;
    wait_text(
        &c,
        "[data-testid$=-attendees]",
        "Service manager, Porchlight",
    )
    .await;
    type_into(
        &c,
        "[id^=field-event-][id$=-q-question]",
        "Will the contract be a block or a framework?",
    )
    .await;
    type_into(
        &c,
        "[id^=field-event-][id$=-q-answer]",
        "Both are being considered.",
    )
    .await;
    click(&c, "[data-testid$=-add-question]").await;
    wait_text(
        &c,
        "[data-testid$=-questions]",
        "Both are being considered.",
    )
    .await;
    type_into(
        &c,
        "#field-interest-organisation",
        "Age UK Faversham and Sittingbourne",
    )
    .await;
    type_into(&c, "#field-interest-receivedOn", &day(-6)).await;
    type_into(
        &c,
        "#field-interest-consortiumWith",
        "Carers' Support East Kent; Red Zebra Community Solutions",
    )
    .await;
    click(&c, "[data-testid=interest-submit]").await;
    wait_text(
        &c,
        "[data-testid=interests]",
        "Carers' Support East Kent, Red Zebra Community Solutions",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=engagement-summary]",
        "4 organisations engaged",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=engagement-summary]",
        "No route to market is recorded yet",
    )
    .await;
    show(&c, "[data-testid=engagement-summary]").await;
    screenshot(&c, "tender-2-engagement").await;

    // Specification: text before the first heading is refused beside the editor.
    click(&c, "[data-testid=lot-tab-specification]").await;
    wait_text(
        &c,
        "[data-testid=spec-status]",
        "No specification saved yet",
    )
    .await;
    type_into(
        &c,
        "#field-spec-text",
        &lines(&format!("Draft for comment\n{V1}")),
    )
    .await;
    type_into(&c, "#field-spec-note", "First draft, for comment").await;
    click(&c, "[data-testid=spec-save]").await;
    wait_text(
        &c,
        "[data-testid=error-spec-text]",
        "Line 1: text before the first section",
    )
    .await;
    screenshot(&c, "tender-3-spec-error").await;
    replace_text(&c, "#field-spec-text", &lines(V1)).await;
    click(&c, "[data-testid=spec-save]").await;
    wait_text(&c, "[data-testid=spec-status]", "Version 1 is a draft").await;

    // A comment from the market on the database section.
    click(&c, "#field-comment-section option[value='3']").await;
    click(&c, "#field-comment-source option[value='market']").await;
    type_into(&c, "#field-comment-author", "Bid manager").await;
    type_into(&c, "#field-comment-organisation", "Porchlight").await;
    type_into(&c, "#field-comment-receivedOn", &today).await;
    type_into(
        &c,
        "#field-comment-comment",
        "A new database would duplicate the directories that exist.",
    )
    .await;
    click(&c, "[data-testid=comment-submit]").await;
    wait_text(
        &c,
        "[data-testid=spec-comments]",
        "Social prescribing database",
    )
    .await;

    // The revision, compared side by side with the first draft, then approved.
    replace_text(&c, "#field-spec-text", &lines(V2)).await;
    type_into(&c, "#field-spec-note", "After the market's comments").await;
    click(&c, "[data-testid=spec-save]").await;
    wait_text(&c, "[data-testid=spec-status]", "Version 2 is a draft").await;
    click(&c, "[data-testid=compare-submit]").await;
    wait_text(
        &c,
        "[data-testid=spec-diff]",
        "3 sections: 1 changed, 1 added, 1 removed",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=diff-removed]",
        "The provider builds a new database.",
    )
    .await;
    wait_text(&c, "[data-testid=diff-added]", "One navigator per 20,000").await;
    let diff = wait_for(&c, "[data-testid=spec-diff]").await;
    scroll_to(&c, &diff).await;
    screenshot(&c, "tender-4-spec-compare").await;
    click(&c, "[data-testid=spec-approve]").await;
    wait_text(&c, "[data-testid=spec-status]", "Version 2 is approved").await;
    wait_text(&c, "[data-testid=spec-versions]", "Approved").await;

    // The route and the conflicts assessment; then the tender gate is met.
    click(&c, "[data-testid=lot-tab-route]").await;
    wait_for(&c, "[data-testid=route-none]").await;
    click(&c, "#field-route-route option[value='light_touch']").await;
    type_into(&c, "#field-route-reason", "Community navigation is a light-touch service; a competitive flexible procedure suits the market").await;
    click(&c, "[data-testid=save-route]").await;
    wait_for(&c, "[data-testid=route-outcome]").await;
    fill_conflicts(&c, &today).await;
    wait_text(
        &c,
        "[data-testid=tender-gate]",
        "ready for the tender stage",
    )
    .await;
    wait_text(
        &c,
        "[data-testid=timeline-table]",
        "Engagement: West Kent market engagement session",
    )
    .await;

    click(&c, "[data-testid=lot-tab-overview]").await;
    click(&c, "[data-testid=advance-submit]").await;
    wait_text(&c, "[data-testid=lot-stage]", "Draft specification").await;
    click(&c, "[data-testid=advance-submit]").await;
    wait_text(&c, "[data-testid=lot-stage]", "Tender").await;

    // The tender references version 2; a clarification naming its asker is refused.
    click(&c, "[data-testid=lot-tab-tender]").await;
    wait_text(&c, "[data-testid=tender-dates]", "Version 2, approved").await;
    wait_text(&c, "[data-testid=tender-closes]", "12:00 on").await;
    type_into(&c, "#field-cq-receivedOn", &today).await;
    type_into(&c, "#field-cq-askedBy", "Porchlight").await;
    type_into(
        &c,
        "#field-cq-question",
        "May Porchlight subcontract the carers part?",
    )
    .await;
    click(&c, "[data-testid=clarification-submit]").await;
    wait_text(
        &c,
        "[data-testid=error-cq-question]",
        "names the bidder who asked it",
    )
    .await;
    screenshot(&c, "tender-5-clarification-error").await;
    replace_text(
        &c,
        "#field-cq-question",
        "May the provider subcontract the carers part?",
    )
    .await;
    click(&c, "[data-testid=clarification-submit]").await;
    wait_text(
        &c,
        "[data-testid=clarification-1]",
        "May the provider subcontract",
    )
    .await;
    type_into(
        &c,
        "#field-cq1-answer",
        "Yes, where the bid names the subcontractor and its share of the work.",
    )
    .await;
    type_into(&c, "#field-cq1-publishedOn", &today).await;
    click(&c, "[data-testid=answer-1] button").await;
    wait_text(
        &c,
        "[data-testid=clarification-1]",
        "Published to all bidders",
    )
    .await;

    // A bid logged today is on time, and waits for the deadline before evaluation.
    type_into(&c, "#field-receipt-supplier", "Porchlight").await;
    type_into(&c, "#field-receipt-price", "£1,395,000").await;
    type_into(&c, "#field-receipt-receivedAt", &format!("{today} 09:30")).await;
    click(&c, "[data-testid=receipt-submit]").await;
    wait_text(&c, "[data-testid=receipts]", "On time").await;
    wait_text(&c, "[data-testid=receipts]", "£1,395,000").await;
    wait_text(
        &c,
        "[data-testid=to-evaluation]",
        "The submission deadline to pass",
    )
    .await;
    let tab = wait_for(&c, "[data-testid=receipts]").await;
    scroll_to(&c, &tab).await;
    screenshot(&c, "tender-6-tender").await;
    c.close().await.unwrap();
    driver.stop().await;

    // What the app saved, read back through the CLI.
    let v: serde_json::Value =
        serde_json::from_str(&cli(&ws, "e2e-officer", &["tender", "show", &id, "--json"])).unwrap();
    assert_eq!(v["opened"]["specVersion"], 2);
    assert_eq!(v["clarifications"][0]["askedBy"], "Porchlight");
    assert_eq!(v["receipts"][0]["status"], "On time");
    let e: serde_json::Value = serde_json::from_str(&cli(
        &ws,
        "e2e-officer",
        &["engagement", "show", &id, "--json"],
    ))
    .unwrap();
    assert_eq!(e["records"]["events"][0]["format"], "online");
    assert_eq!(e["marketFeedback"][0]["organisation"], "Porchlight");
}
