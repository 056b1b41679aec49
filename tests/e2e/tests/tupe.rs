//! TUPE in the real app: the officer records the transfer (a bad date is refused beside its
//! field), imports the incumbent's staff list (a bad row is refused beside the file and
//! nothing is kept), sees the checklist with its overdue items in red, records the employee
//! liability information with evidence, reads the checklist PDF, and sees the overdue count on
//! the pipeline board.
use chrono::{Days, Local};
use fantoccini::{Client, Locator};
use lotwise_e2e::*;

const LOT: &str = "2";
const TITLE: &str = "Community Navigation: West Kent";
const STAFF: &str = include_str!("../../../assets/demo/health-trainers-staff-v2.csv");

async fn open_tupe(c: &Client) {
    open_lot_tab(c, TITLE, "tupe").await;
    wait_for(c, "[data-testid=tupe-tab]").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn import_a_staff_list_and_work_through_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("tupe.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let bad = dir.path().join("staff-bad.csv");
    let mut lines: Vec<String> = STAFF.lines().map(str::to_string).collect();
    lines[4] = lines[4].replacen(",1.0,", ",1.5,", 1);
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let good = dir.path().join("staff.csv");
    std::fs::write(&good, STAFF).unwrap();
    // Twenty days away: the measures letter, the consultation and the employee liability
    // information are already late.
    let t = Local::now()
        .date_naive()
        .checked_add_days(Days::new(20))
        .unwrap()
        .format("%d/%m/%Y")
        .to_string();

    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    open_tupe(&c).await;
    wait_for(&c, "[data-testid=tupe-no-plan]").await;

    // The transfer: a date that does not exist is refused beside its field.
    replace_text(&c, "#field-transferDate", "31/02/2027").await;
    replace_text(&c, "#field-outgoing", "Age UK Sevenoaks and Tonbridge").await;
    click(&c, "#field-assessment option[value='applies']").await;
    click(&c, "[data-testid=save-tupe-plan]").await;
    wait_text(&c, "[data-testid=error-transferDate]", "not a date").await;
    screenshot(&c, "tupe-1-date-error-beside-field").await;
    replace_text(&c, "#field-transferDate", &t).await;
    click(&c, "[data-testid=save-tupe-plan]").await;
    wait_text(&c, "[data-testid=tupe-progress]", "overdue").await;
    wait_for(&c, "[data-testid=overdue-eli]").await;
    // The lot's header counts them too, on every tab.
    wait_text(&c, "[data-testid=lot-tupe-overdue]", "TUPE: 3 overdue").await;
    show(&c, "[data-testid=lot-title]").await;
    screenshot(&c, "tupe-1b-header-overdue").await;

    // A staff list with a bad row is refused beside the file input, naming line and column.
    pick(&c, "[data-testid=staff-file]", &bad).await;
    wait_text(
        &c,
        "[data-testid=error-staff-file]",
        // The message starts a sentence on screen: "Staff-bad.csv, line 5, ...".
        "taff-bad.csv, line 5, column fte",
    )
    .await;
    wait_text(&c, "[data-testid=error-staff-file]", "Nothing was imported").await;
    show(&c, "[data-testid=error-staff-file]").await;
    screenshot(&c, "tupe-2-bad-row-beside-file").await;

    // The good list: the summary, the pension mix and the items that follow from it.
    pick(&c, "[data-testid=staff-file]", &good).await;
    wait_text(&c, "[data-testid=staff-imported]", "version 1: 45 people").await;
    wait_text(&c, "[data-testid=staff-summary]", "34.00").await;
    wait_text(&c, "[data-testid=staff-summary]", "£960,256").await;
    wait_text(&c, "[data-testid=pension-mix]", "NHS Pension Scheme").await;
    wait_for(&c, "[data-testid=obligation-pension-nhs]").await;
    wait_text(
        &c,
        "[data-testid=not-applicable]",
        "nobody expected to transfer is in the Local Government Pension Scheme",
    )
    .await;
    show(&c, "[data-testid=staff-summary]").await;
    screenshot(&c, "tupe-3a-staff").await;
    show(&c, "[data-testid=obligation-measures]").await;
    screenshot(&c, "tupe-3b-obligations").await;

    // Done needs evidence; with it, the item is no longer overdue.
    let before = wait_for(&c, "[data-testid=tupe-overdue]")
        .await
        .text()
        .await
        .unwrap();
    click(&c, "[data-testid=status-eli] option[value='done']").await;
    click(&c, "[data-testid=save-eli]").await;
    wait_text(&c, "[data-testid=error-eli]", "ay what shows it was done").await;
    type_into(
        &c,
        "[data-testid=evidence-eli]",
        "ELI received from Age UK on 20 November, kept in the contract file",
    )
    .await;
    click(&c, "[data-testid=save-eli]").await;
    wait_text(
        &c,
        "[data-testid=obligation-eli]",
        "Last recorded by e2e-officer",
    )
    .await;
    assert!(
        c.find(Locator::Css("[data-testid=overdue-eli]"))
            .await
            .is_err(),
        "a done item is not overdue"
    );
    let after = wait_for(&c, "[data-testid=tupe-overdue]")
        .await
        .text()
        .await
        .unwrap();
    assert_ne!(before, after, "the overdue count went down");
    wait_text(&c, "[data-testid=lot-tupe-overdue]", "TUPE: 2 overdue").await;

    // The checklist PDF, read in the app.
    click(&c, "[data-testid=preview-checklist]").await;
    wait_for(
        &c,
        "[data-testid=checklist-preview] [data-testid=preview-page]",
    )
    .await;
    show(&c, "[data-testid=checklist-preview]").await;
    screenshot(&c, "tupe-4-checklist-pdf").await;

    // The board shows the lot's overdue TUPE obligations.
    back_to_board(&c).await;
    wait_text(
        &c,
        &format!("[data-testid=tupe-overdue-{LOT}]"),
        "obligations overdue",
    )
    .await;
    show(&c, "[data-testid=tupe-overdue-2]").await;
    screenshot(&c, "tupe-5-board-overdue").await;

    c.close().await.unwrap();
    driver.stop().await;
    let shown = cli(&ws, "e2e-officer", &["tupe", "show", LOT, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(
        v["lists"].as_array().unwrap().len(),
        1,
        "the bad file kept nothing"
    );
    let eli = v["checklist"]["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == "eli")
        .unwrap();
    assert_eq!(eli["status"], "done");
    assert_eq!(eli["updatedBy"], "e2e-officer");
}

/// Two people on one TUPE plan: the officer has the tab open when a colleague changes the
/// plan; the officer's save is refused, naming who changed it and when, nothing of theirs
/// is kept, and Reload shows the colleague's plan to work from.
#[tokio::test(flavor = "multi_thread")]
async fn a_stale_save_is_refused_naming_who_and_reload_shows_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("tupe-conflict.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let plan = |who: &str, date: &str| {
        cli(
            &ws,
            who,
            &[
                "tupe",
                "plan",
                LOT,
                "--transfer-date",
                date,
                "--outgoing",
                "Age UK Sevenoaks and Tonbridge",
                "--assessment",
                "applies",
            ],
        );
    };
    plan("e2e-officer", "01/04/2027");

    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    open_tupe(&c).await;
    wait_for(&c, "[data-testid=tupe-plan]").await;
    // Meanwhile a colleague moves the transfer to May.
    plan("r.hughes", "01/05/2027");

    replace_text(&c, "#field-transferDate", "01/06/2027").await;
    click(&c, "[data-testid=save-tupe-plan]").await;
    let msg = wait_text(
        &c,
        "[data-testid=error-summary]",
        "The TUPE plan was changed by r.hughes at",
    )
    .await;
    assert!(msg.contains("your change was not saved"), "{msg}");
    screenshot(&c, "tupe-conflict-refused").await;
    // Nothing of the stale save was kept: the plan is the colleague's.
    let shown = cli(&ws, "e2e-officer", &["tupe", "show", LOT, "--json"]);
    assert!(shown.contains("2027-05-01"), "{shown}");

    click(&c, "[data-testid=reload-after-conflict]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        // The form is drawn again as it reloads: a field found just before may be gone.
        let v = match c.find(Locator::Css("#field-transferDate")).await {
            Ok(el) => el.prop("value").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        };
        if v == "01/05/2027" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still shows {v}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    screenshot(&c, "tupe-conflict-reloaded").await;
    // Made again from the colleague's plan, the change goes through.
    replace_text(&c, "#field-transferDate", "01/06/2027").await;
    click(&c, "[data-testid=save-tupe-plan]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !cli(&ws, "e2e-officer", &["tupe", "show", LOT, "--json"]).contains("2027-06-01") {
        assert!(
            std::time::Instant::now() < deadline,
            "the second save was not kept"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    c.close().await.unwrap();
    driver.stop().await;
}
