//! A lot from the board through scoring and moderation with the keyboard alone: Tab, Enter,
//! Space and typing, never a click. At every stop focus must be visible and not hidden under
//! anything, and every target must be reachable (tests/e2e/src/lib.rs, tab_to).
use lotwise_e2e::*;

const LOT_TITLE: &str = "Integrated 0-5 Public Health Services";

/// From the board to the lot's evaluation, by keyboard.
async fn board_to_evaluation(c: &fantoccini::Client) {
    wait_text(c, "[data-testid=board]", LOT_TITLE).await;
    tab_to(c, "a.card", Some(LOT_TITLE), 120).await;
    press(c, ENTER).await;
    wait_text(c, "[data-testid=lot-title]", LOT_TITLE).await;
    tab_to(c, "[data-testid=open-evaluation]", None, 40).await;
    press(c, ENTER).await;
    wait_text(c, "[data-testid=eval-title]", "Evaluation: Integrated 0-5").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lot_from_the_board_through_scoring_and_moderation_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("keys.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);

    // The evaluator scores a cell with the keyboard.
    let driver = Driver::start_as(&ws, "r.hughes", "evaluator").await;
    let c = driver.session(&app_path()).await;
    board_to_evaluation(&c).await;
    tab_to(&c, "[data-testid=tab-scoring]", None, 40).await;
    press(&c, ENTER).await;
    wait_for(&c, "[data-testid=score-grid]").await;
    // The grid is one tab stop; arrows move within it (Q1 down to Q3).
    tab_to(&c, "[data-testid^=cell-Q1-]", None, 60).await;
    press(&c, ARROW_DOWN).await;
    press(&c, ARROW_DOWN).await;
    let at = c
        .execute("return document.activeElement.dataset.testid;", vec![])
        .await
        .unwrap();
    assert!(at.as_str().unwrap_or("").starts_with("cell-Q3-"), "{at}");
    press(&c, "4").await;
    tab_to(&c, "[data-testid=justification]", None, 60).await;
    press(
        &c,
        "Answer Q3 names the staff, the timetable and the local evidence",
    )
    .await;
    tab_to(&c, "[data-testid=save-score]", None, 10).await;
    press(&c, ENTER).await;
    wait_text(&c, "[data-testid=notice]", "Saved Q3").await;
    screenshot(&c, "keyboard-1-scored").await;
    c.close().await.unwrap();
    driver.stop().await;

    // The rest of r.hughes's scores, and the submission, by the command line.
    let mut csv = String::from("evaluator,bidder,question,score,justification\n");
    for b in [
        "Early Years Together",
        "Family Health Partners Ltd",
        "Nottingham CityCare Partnership CIC",
    ] {
        for q in ["Q3", "Q4", "Q5", "SV1"] {
            let score = if q == "Q5" { "pass" } else { "3" };
            csv.push_str(&format!(
                "r.hughes,{b},{q},{score},Answer {q} sets out named staff and a local timetable\n"
            ));
        }
    }
    let f = dir.path().join("hughes.csv");
    std::fs::write(&f, csv).unwrap();
    cli_as(
        &ws,
        "r.hughes",
        "evaluator",
        &["eval", "import-scores", "4", "--csv", f.to_str().unwrap()],
    );
    cli_as(&ws, "r.hughes", "evaluator", &["eval", "submit", "4"]);

    // The moderator declares and agrees a consensus score with the keyboard.
    let driver = Driver::start_as(&ws, "s.mills", "moderator").await;
    let c = driver.session(&app_path()).await;
    board_to_evaluation(&c).await;
    wait_text(
        &c,
        "[data-testid=withheld]",
        "conflict-of-interest declaration",
    )
    .await;
    tab_to(&c, "[data-testid=coi-none]", None, 80).await;
    press(&c, SPACE).await;
    tab_to(&c, "[data-testid=declare-submit]", None, 10).await;
    press(&c, ENTER).await;
    wait_text(&c, "[data-testid=notice]", "Your declaration is recorded").await;
    tab_to(&c, "[data-testid=tab-moderation]", None, 60).await;
    press(&c, ENTER).await;
    wait_for(&c, "[data-testid=heat-map]").await;
    tab_to(&c, "[data-testid^=mod-Q1-]", None, 60).await;
    press(&c, ENTER).await;
    wait_for(&c, "[data-testid=consensus-form]").await;
    tab_to(&c, "[data-testid=consensus-score]", None, 60).await;
    press(&c, "3").await;
    tab_to(&c, "[data-testid=consensus-reason]", None, 10).await;
    press(
        &c,
        "Agreed at moderation: the answer meets the standard with minor gaps",
    )
    .await;
    tab_to(&c, "[data-testid=consensus-save]", None, 10).await;
    press(&c, ENTER).await;
    wait_text(&c, "[data-testid=consensus]", "Agreed at moderation").await;
    screenshot(&c, "keyboard-2-consensus").await;
    c.close().await.unwrap();
    driver.stop().await;

    // The record agrees: the keyboard's score and consensus are there, by their authors.
    let log = cli(
        &ws,
        "e2e-officer",
        &["audit", "log", "--limit", "40", "--json"],
    );
    assert!(
        log.contains("eval.consensus_recorded") && log.contains("\"actor\": \"s.mills\""),
        "{log}"
    );
}
