//! Scoring away from the network: the app opened on a scoresheet (.lwsheet) with no
//! workspace, on the evaluator's own computer (their own data folder). They carry on from
//! the scores they had saved, import most from CSV and give the last in the grid; the app is
//! closed and opened again and nothing is lost; they tick the declaration and submit, which
//! signs and writes the .lwscores; the officer imports it, confirming the key's fingerprint
//! as read from the evaluator's screen, and the scores are the evaluator's submitted scores.
use fantoccini::Locator;
use lotwise_e2e::*;

const BIDDERS: [&str; 3] = [
    "Early Years Together",
    "Family Health Partners Ltd",
    "Nottingham CityCare Partnership CIC",
];

#[tokio::test(flavor = "multi_thread")]
async fn score_a_sheet_without_a_workspace_and_bring_it_back_signed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("council.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    // The officer exports r.hughes's sheet from the Evaluation tab (an officer's export
    // carries none of her unsubmitted scores: nobody else may read them).
    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    open_evaluation(&c).await;
    click(&c, "[data-testid=tab-model]").await;
    show(&c, "[data-testid='export-sheet-r.hughes']").await;
    click(&c, "[data-testid='export-sheet-r.hughes']").await;
    let said = wait_text(&c, "[data-testid=notice]", ".lwsheet").await;
    screenshot(&c, "scoresheet-exported").await;
    let sheet = std::path::PathBuf::from(
        said.split(" to ")
            .nth(1)
            .unwrap()
            .split(": send")
            .next()
            .unwrap(),
    );
    assert!(sheet.exists(), "{said}");
    c.close().await.unwrap();
    driver.stop().await;
    let home = dir.path().join("r.hughes-laptop");
    let mut csv = String::from("evaluator,bidder,question,score,justification\n");
    for b in BIDDERS {
        for q in ["Q1", "Q2", "Q3", "Q4", "Q5", "SV1"] {
            if b == BIDDERS[0] && q == "Q3" {
                continue; // given in the grid
            }
            let score = if q == "Q5" { "pass" } else { "3" };
            csv.push_str(&format!(
                "r.hughes,{b},{q},{score},The answer to {q} gives named staff and a timetable\n"
            ));
        }
    }
    let csv_path = dir.path().join("my-scores.csv");
    std::fs::write(&csv_path, csv).unwrap();

    let driver = Driver::start_on_own_computer(&home).await;
    let c = driver
        .session_with(&app_path(), &[sheet.to_str().unwrap()])
        .await;
    let title = wait_for(&c, "[data-testid=sheet-title]")
        .await
        .text()
        .await
        .unwrap();
    assert!(title.contains("Lot"), "{title}");
    let fp = wait_for(&c, "[data-testid=fingerprint] strong")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(fp.split(' ').count(), 6, "{fp}");
    // The officer's export carried none of her saved scores.
    let q1 = c
        .find(Locator::Css("[data-testid^=cell-Q1-]"))
        .await
        .unwrap();
    assert_eq!(q1.prop("value").await.unwrap().unwrap_or_default(), "");
    screenshot(&c, "scoresheet-opened").await;

    pick(&c, "#field-scoresFile", &csv_path).await;
    wait_text(&c, "[data-testid=notice]", "Imported 17 scores").await;

    // The last one in the grid, as in the app.
    let cell = c
        .find(Locator::Css("[data-testid^=cell-Q3-]"))
        .await
        .unwrap();
    cell.click().await.unwrap();
    replace(&cell, "4").await;
    let j = c
        .find(Locator::Css("[data-testid=justification]"))
        .await
        .unwrap();
    j.click().await.unwrap();
    replace(
        &j,
        "Answer Q3 sets out a mobilisation plan with named leads",
    )
    .await;
    click(&c, "[data-testid=save-score]").await;
    wait_text(
        &c,
        "[data-testid=notice]",
        &format!("Saved Q3 for {}", BIDDERS[0]),
    )
    .await;
    c.close().await.unwrap();
    driver.stop().await;

    // The lid closed and opened again: every score is still there.
    let driver = Driver::start_on_own_computer(&home).await;
    let c = driver
        .session_with(&app_path(), &[sheet.to_str().unwrap()])
        .await;
    wait_for(&c, "[data-testid=sheet-title]").await;
    let q3 = c
        .find(Locator::Css("[data-testid^=cell-Q3-]"))
        .await
        .unwrap();
    assert_eq!(q3.prop("value").await.unwrap().as_deref(), Some("4"));

    click(&c, "[data-testid=submit-scores]").await;
    wait_for(&c, "[data-testid=submit-confirm]").await;
    // Submitting waits for the declaration.
    let yes = c
        .find(Locator::Css("[data-testid=submit-confirm-yes]"))
        .await
        .unwrap();
    assert!(!yes.is_enabled().await.unwrap(), "submit before declaring");
    click(&c, "[data-testid=declaration]").await;
    screenshot(&c, "scoresheet-declaration").await;
    click(&c, "[data-testid=submit-confirm-yes]").await;
    wait_text(&c, "[data-testid=sheet-submitted]", ".lwscores").await;
    screenshot(&c, "scoresheet-submitted").await;
    c.close().await.unwrap();
    driver.stop().await;

    // Back at the council, in the app: the first sheet from r.hughes needs her key's words.
    let scores = sheet.with_extension("lwscores");
    assert!(scores.exists());
    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    open_evaluation(&c).await;
    click(&c, "[data-testid=tab-model]").await;
    show(&c, "[data-testid=import-sheet-form]").await;
    pick(&c, "#sheet-file", &scores).await;
    click(&c, "[data-testid=import-sheet]").await;
    let e = wait_text(
        &c,
        "[data-testid=error-sheet-fingerprint]",
        "first scoresheet",
    )
    .await;
    assert!(e.contains(&fp), "{e}");
    screenshot(&c, "scoresheet-import-needs-fingerprint").await;
    type_into(&c, "#sheet-fingerprint", &fp).await;
    click(&c, "[data-testid=import-sheet]").await;
    wait_text(
        &c,
        "[data-testid=notice]",
        "Imported 18 scores from r.hughes",
    )
    .await;
    screenshot(&c, "scoresheet-imported").await;
    c.close().await.unwrap();
    driver.stop().await;

    let st: serde_json::Value =
        serde_json::from_str(&cli(&ws, "e2e-officer", &["eval", "show", "4", "--json"])).unwrap();
    let me = st["panel"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"] == "r.hughes")
        .unwrap();
    assert!(
        !me["submittedAt"].is_null(),
        "r.hughes's scores are submitted"
    );
    // Her scores are the ones she gave: the moderator (declared) reads them beside the others.
    cli_as(
        &ws,
        "s.mills",
        "moderator",
        &["eval", "declare", "4", "--none"],
    );
    let board = cli_as(
        &ws,
        "s.mills",
        "moderator",
        &["eval", "moderation", "4", "--json"],
    );
    assert!(
        board.contains("mobilisation plan with named leads"),
        "{board}"
    );
    cli(&ws, "e2e-officer", &["audit", "verify"]);
}

/// A panel member who has the app and a workspace opens a scoresheet they were sent from
/// inside the app, scores in it, and goes back to the workspace.
#[tokio::test(flavor = "multi_thread")]
async fn open_a_scoresheet_from_inside_the_app_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("council.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let sheet = dir.path().join("sent.lwsheet");
    cli(
        &ws,
        "e2e-officer",
        &[
            "eval",
            "scoresheet",
            "export",
            "4",
            "--evaluator",
            "r.hughes",
            "--out",
            sheet.to_str().unwrap(),
        ],
    );
    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;
    wait_for(&c, "[data-testid=board]").await;
    screenshot(&c, "header-with-open-scoresheet").await;
    click(&c, "[data-testid=nav-open-scoresheet]").await;
    // Something else first: refused beside the picker, nothing opened.
    let not_a_sheet = dir.path().join("notes.lwsheet");
    std::fs::write(&not_a_sheet, "minutes of the panel meeting").unwrap();
    pick(&c, "#open-sheet", &not_a_sheet).await;
    wait_text(
        &c,
        "[data-testid=error-open-sheet]",
        "not a Lotwise scoresheet",
    )
    .await;
    screenshot(&c, "scoresheet-open-refused").await;
    pick(&c, "#open-sheet", &sheet).await;
    let title = wait_for(&c, "[data-testid=sheet-title]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        title.contains("Integrated 0-5 Public Health Services"),
        "{title}"
    );
    screenshot(&c, "scoresheet-opened-in-app").await;
    click(&c, "[data-testid=back-to-workspace]").await;
    wait_for(&c, "[data-testid=board]").await;
    c.close().await.unwrap();
    driver.stop().await;
}
