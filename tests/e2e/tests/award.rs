//! The award in the real app: the officer records the award dates and sees the standstill's
//! working, builds the award pack; legal (switching who they are in the header) reads it
//! read-only and returns it with a comment on a section; the officer builds a new pack;
//! legal approves it; the lot is then clear to enter contract.
use chrono::{Days, Local};
use fantoccini::{Client, Locator};
use lotwise_e2e::*;

const LOT: &str = "5";

const TITLE: &str = "Specialist Preventative Services (West Kent)";

/// From the pipeline board to the lot's Award tab, as a person would.
async fn open_award(c: &Client) {
    open_lot_tab(c, TITLE, "award").await;
    wait_for(c, "[data-testid=award-tab]").await;
}

/// After switching who they are the window reloads on the same screen.
async fn award_tab(c: &Client) {
    wait_for(c, "[data-testid=award-tab]").await;
}

async fn become_(c: &Client, name: &str, role: &str) {
    click(c, "[data-testid=switch-identity]").await;
    wait_for(c, "#identity-user").await;
    replace_text(c, "#identity-user", name).await;
    click(c, &format!("#identity-role option[value='{role}']")).await;
    click(c, "[data-testid=identity-save]").await;
    wait_text(c, "[data-testid=acting-as]", name).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn award_a_lot_and_approve_the_pack_as_legal() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("award.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    cli(
        &ws,
        "e2e-officer",
        &[
            "paper",
            LOT,
            "--kind",
            "award",
            "--edition",
            "full",
            "--out",
            dir.path().join("paper.pdf").to_str().unwrap(),
        ],
    );
    // Published four weeks ago, so the standstill is over today.
    let published = Local::now()
        .date_naive()
        .checked_sub_days(Days::new(28))
        .unwrap()
        .format("%d/%m/%Y")
        .to_string();

    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    open_award(&c).await;
    wait_text(&c, "[data-testid=recommendation]", "Porchlight").await;

    // A bad date is refused beside its field; then the real one shows the standstill.
    type_into(&c, "#field-noticePublished", "31/02/2026").await;
    click(&c, "[data-testid=save-award-dates]").await;
    wait_for(&c, "[data-testid=error-noticePublished]").await;
    screenshot(&c, "award-1-date-error-beside-field").await;
    replace_text(&c, "#field-noticePublished", &published).await;
    click(&c, "[data-testid=save-award-dates]").await;
    wait_for(&c, "[data-testid=standstill-last]").await;
    wait_for(&c, "[data-testid=may-enter-from]").await;

    click(&c, "[data-testid=build-pack]").await;
    wait_text(&c, "[data-testid=pack-status]", "With legal for review").await;
    wait_text(&c, "[data-testid=contract-missing]", "legal’s approval").await;
    screenshot(&c, "award-2-pack-built").await;

    // Legal reads the pack in the app and returns it with a comment on the standstill.
    become_(&c, "d.price", "legal").await;
    award_tab(&c).await;
    assert!(
        c.find(Locator::Css("[data-testid=build-pack]"))
            .await
            .is_err(),
        "legal is not offered the officer's actions"
    );
    click(&c, "[data-testid=read-pack-1]").await;
    wait_for(&c, "[data-testid=preview-page]").await;
    wait_for(&c, "[data-testid=review-form]").await;
    click(&c, "[data-testid=return-pack]").await;
    wait_text(
        &c,
        "[data-testid=error-summary]",
        "needs at least one comment",
    )
    .await;
    type_into(
        &c,
        "[data-testid=comment-6]",
        "Attach the Find a Tender record of the award notice.",
    )
    .await;
    screenshot(&c, "award-3-legal-reads-and-comments").await;
    click(&c, "[data-testid=return-pack]").await;
    wait_text(&c, "[data-testid=pack-status]", "Returned by legal").await;
    wait_text(
        &c,
        "[data-testid=pack-1-comments]",
        "Standstill calculation",
    )
    .await;

    // Back to the officer, who sees the comment and builds a new pack.
    become_(&c, "e2e-officer", "officer").await;
    award_tab(&c).await;
    wait_text(&c, "[data-testid=pack-1-comments]", "Find a Tender").await;
    screenshot(&c, "award-4-returned-to-officer").await;
    click(&c, "[data-testid=build-pack]").await;
    wait_text(&c, "[data-testid=pack-status]", "With legal for review").await;

    // Legal approves pack 2; the contract stage is now open.
    become_(&c, "d.price", "legal").await;
    award_tab(&c).await;
    click(&c, "[data-testid=read-pack-2]").await;
    wait_for(&c, "[data-testid=review-form]").await;
    click(&c, "[data-testid=approve-pack]").await;
    wait_text(&c, "[data-testid=pack-status]", "Approved by legal").await;
    wait_for(&c, "[data-testid=contract-ready]").await;
    screenshot(&c, "award-5-approved").await;

    // The engine agrees: the lot moves to contract, and the pack still verifies.
    c.close().await.unwrap();
    driver.stop().await;
    let moved = cli(
        &ws,
        "e2e-officer",
        &["lots", "advance", LOT, "--to", "contract"],
    );
    assert!(moved.contains("Contract"), "{moved}");
    let shown = cli_as(&ws, "d.price", "legal", &["award", "show", LOT, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["status"], "approved");
    assert_eq!(v["packs"][0]["review"]["by"], "d.price");
    assert_eq!(v["packs"][1]["review"]["decision"], "returned");
    let log = cli(
        &ws,
        "e2e-officer",
        &["audit", "log", "--limit", "20", "--json"],
    );
    for a in [
        "award.pack_approved",
        "award.pack_returned",
        "award.pack_built",
        "award.dates_set",
    ] {
        assert!(log.contains(a), "{a} in the audit log");
    }
}

/// A Provider Selection Regime standstill with representations: the officer records them
/// (a future date is refused beside its field), sees the standstill held open until the
/// further decision, records it and sees the new end five working days later.
#[tokio::test(flavor = "multi_thread")]
async fn psr_representations_hold_the_standstill_open() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("psr.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let today = Local::now().date_naive();
    let day = |back: u64| {
        today
            .checked_sub_days(Days::new(back))
            .unwrap()
            .format("%d/%m/%Y")
            .to_string()
    };
    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    open_award(&c).await;
    click(&c, "#field-regime option[value='psr']").await;
    type_into(&c, "#field-noticePublished", &day(6)).await;
    click(&c, "[data-testid=save-award-dates]").await;
    wait_for(&c, "[data-testid=representation-form]").await;
    wait_text(&c, "[data-testid=standstill]", "SI 2023/1348 reg 12").await;

    type_into(&c, "#field-rep-receivedOn", "01/01/2099").await;
    type_into(&c, "#field-rep-provider", "Unsuccessful Provider CIC").await;
    type_into(
        &c,
        "#field-rep-summary",
        "Question 2 was scored against criteria that were not published",
    )
    .await;
    click(&c, "[data-testid=record-representation]").await;
    wait_text(&c, "[data-testid=error-rep-receivedOn]", "is in the future").await;
    replace_text(&c, "#field-rep-receivedOn", &day(2)).await;
    click(&c, "[data-testid=record-representation]").await;
    wait_text(
        &c,
        "[data-testid=representations-table]",
        "Unsuccessful Provider CIC",
    )
    .await;
    wait_text(&c, "[data-testid=may-enter-from]", "further decision").await;
    wait_text(&c, "[data-testid=contract-missing]", "further decision").await;
    show(&c, "[data-testid=representations]").await;
    screenshot(&c, "award-6-psr-representations").await;

    type_into(&c, "#field-dec-communicatedOn", &day(1)).await;
    type_into(
        &c,
        "#field-dec-reasons",
        "The panel reviewed question 2 against the published descriptors",
    )
    .await;
    click(&c, "[data-testid=record-further-decision]").await;
    wait_text(
        &c,
        "[data-testid=further-decisions]",
        "Enter into the contract as intended",
    )
    .await;
    wait_text(&c, "[data-testid=standstill-extension]", "reg 12(10)").await;
    show(&c, "[data-testid=standstill]").await;
    screenshot(&c, "award-7-psr-extended").await;
    // The engine agrees: audited, and the contract waits for the extended end.
    let log = cli(&ws, "e2e-officer", &["audit", "log", "--limit", "3"]);
    assert!(log.contains("award.further_decision_recorded"), "{log}");
    c.close().await.unwrap();
    driver.stop().await;
}
