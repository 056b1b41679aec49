//! Evaluation in the real app: an evaluator finishes scoring blind and submits, the moderator
//! declares, reads the heat map, records a consensus (a short reason is refused beside the
//! field), signs off, and reads the results with the chart and the sensitivity read-out.
use fantoccini::{Client, Locator};
use lotwise_e2e::*;
use std::path::Path;

const LOT: &str = "4"; // The demo's Nottingham 0-5 lot: in evaluation, r.hughes part-way through.
const BIDDERS: [&str; 3] = [
    "Early Years Together",
    "Family Health Partners Ltd",
    "Nottingham CityCare Partnership CIC",
];

async fn cells(c: &Client, question: &str) -> Vec<fantoccini::elements::Element> {
    c.find_all(Locator::Css(&format!("[data-testid^=cell-{question}-]")))
        .await
        .unwrap()
}

async fn score_cell(c: &Client, question: &str, index: usize, score: &str) {
    let cell = cells(c, question).await.remove(index);
    cell.click().await.unwrap();
    replace(&cell, score).await;
    let j = c
        .find(Locator::Css("[data-testid=justification]"))
        .await
        .unwrap();
    j.click().await.unwrap();
    replace(
        &j,
        &format!("Answer {question} sets out named staff, a timetable and local evidence"),
    )
    .await;
    click(c, "[data-testid=save-score]").await;
    let want = format!("Saved {question} for {}", BIDDERS[index]);
    if tokio::time::timeout(
        std::time::Duration::from_secs(10),
        wait_text(c, "[data-testid=notice]", &want),
    )
    .await
    .is_err()
    {
        screenshot(c, "failed-score-cell").await;
        panic!("{want} never appeared");
    }
}

fn consensus_csv(dir: &Path) -> String {
    let mut csv = String::from("bidder,question,score,reason\n");
    for b in BIDDERS {
        for q in ["Q1", "Q2", "Q3", "Q4", "Q5", "SV1"] {
            if b == BIDDERS[0] && q == "Q1" {
                continue; // recorded in the app
            }
            let score = if q == "Q5" { "pass" } else { "3" };
            csv.push_str(&format!(
                "{b},{q},{score},Agreed at moderation against the bid's answer to {q}\n"
            ));
        }
    }
    let path = dir.join("consensus.csv");
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn score_moderate_and_read_results() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("eval.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);

    // The third evaluator finishes scoring in the app.
    let driver = Driver::start_as(&ws, "r.hughes", "evaluator").await;
    let c = driver.session(&app_path()).await;
    open_evaluation(&c).await;
    click(&c, "[data-testid=tab-scoring]").await;
    wait_for(&c, "[data-testid=score-grid]").await;
    // Blind: another evaluator's submitted scores are not on this screen, only r.hughes's own.
    let grid = c
        .find(Locator::Css("[data-testid=score-grid]"))
        .await
        .unwrap();
    assert_eq!(cells(&c, "Q1").await.len(), 3);
    assert!(grid.text().await.unwrap().contains("Q3"));
    // A score off the scale is refused beside the field.
    score_cell_expect_error(&c).await;
    // The confirmation lists the gaps and will not submit.
    click(&c, "[data-testid=submit-scores]").await;
    wait_text(&c, "[data-testid=gaps]", "Early Years Together: Q3").await;
    screenshot(&c, "10-scoring-gaps").await;
    click_button(&c, "Cancel").await;
    for q in ["Q3", "Q4", "SV1"] {
        for i in 0..3 {
            score_cell(&c, q, i, ["4", "3", "2"][i]).await;
        }
    }
    for i in 0..3 {
        score_cell(&c, "Q5", i, "pass").await;
    }
    screenshot(&c, "11-scoring-grid").await;
    click(&c, "[data-testid=submit-scores]").await;
    wait_text(
        &c,
        "[data-testid=submit-confirm]",
        "Every question has a score",
    )
    .await;
    click(&c, "[data-testid=submit-confirm-yes]").await;
    wait_text(&c, "[data-testid=notice]", "Your scores are submitted").await;
    c.close().await.unwrap();
    driver.stop().await;

    // The moderator: declares, reads the heat map, records one consensus in the app.
    let driver = Driver::start_as(&ws, "s.mills", "moderator").await;
    let c = driver.session(&app_path()).await;
    open_evaluation(&c).await;
    wait_text(
        &c,
        "[data-testid=withheld]",
        "conflict-of-interest declaration",
    )
    .await;
    click(&c, "[data-testid=coi-none]").await;
    // The declaration's radio buttons were 12 px: now 24 (WCAG 2.2, 2.5.8).
    let size = c
        .execute(
            "const r = document.querySelector('[data-testid=coi-none]').getBoundingClientRect(); return [r.width, r.height];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(size, serde_json::json!([24, 24]), "radio button size");
    screenshot(&c, "12a-conflicts-declaration").await;
    click(&c, "[data-testid=declare-submit]").await;
    wait_text(&c, "[data-testid=notice]", "Your declaration is recorded").await;
    click(&c, "[data-testid=tab-moderation]").await;
    wait_text(
        &c,
        "[data-testid=moderation-summary]",
        "open for moderation",
    )
    .await;
    let first = c
        .find(Locator::Css("[data-testid^=mod-Q1-]"))
        .await
        .unwrap();
    first.click().await.unwrap();
    wait_text(&c, "[data-testid=originals]", "r.hughes").await;
    let originals = c
        .find(Locator::Css("[data-testid=originals]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        originals.contains("a.okafor") && originals.contains("j.patel"),
        "{originals}"
    );
    type_into(&c, "[data-testid=consensus-score]", "3").await;
    type_into(&c, "[data-testid=consensus-reason]", "ok").await;
    click(&c, "[data-testid=consensus-save]").await;
    wait_text(
        &c,
        "[data-testid=error-reason]",
        "Give the reason for the consensus score",
    )
    .await;
    screenshot(&c, "12-moderation-error").await;
    let reason = c
        .find(Locator::Css("[data-testid=consensus-reason]"))
        .await
        .unwrap();
    replace(
        &reason,
        "Agreed at 3: the service model in section 1 meets the requirement but lacks out-of-hours detail",
    )
    .await;
    click(&c, "[data-testid=consensus-save]").await;
    wait_text(&c, "[data-testid=consensus]", "Consensus 3 (s.mills)").await;
    // The originals stay beside the consensus.
    assert!(
        c.find(Locator::Css("[data-testid=originals]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("a.okafor")
    );

    // The rest of the consensus from the moderator's spreadsheet, and the evaluators' sign-offs.
    let csv = consensus_csv(dir.path());
    cli_as(
        &ws,
        "s.mills",
        "moderator",
        &["eval", "moderate", LOT, "--csv", &csv],
    );
    for e in ["a.okafor", "j.patel", "r.hughes"] {
        cli_as(&ws, e, "evaluator", &["eval", "signoff", LOT]);
    }
    click(&c, "[data-testid=tab-results]").await;
    click(&c, "[data-testid=tab-moderation]").await;
    wait_text(&c, "[data-testid=moderation-summary]", "18 of 18").await;
    screenshot(&c, "13-moderation-heat-map").await;
    click(&c, "[data-testid=sign-off]").await;
    wait_text(
        &c,
        "[data-testid=moderation-summary]",
        "signed off by every panel member",
    )
    .await;

    // Results: ranked, with the chart and sensitivity.
    click(&c, "[data-testid=tab-results]").await;
    let table = wait_text(&c, "[data-testid=results-table]", "Recommended").await;
    assert!(table.contains("Family Health Partners Ltd"), "{table}");
    let chart = wait_for(&c, "[data-testid=results-chart]").await;
    // The chart's text alternative is written from the data: each bidder and total.
    let alt = chart.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(
        alt.starts_with("Bar chart: weighted score by bidder"),
        "{alt}"
    );
    for b in BIDDERS {
        assert!(alt.contains(&format!("{b}: ")), "{b} in “{alt}”");
    }
    wait_text(&c, "[data-testid=sensitivity]", "consensus score").await;
    screenshot(&c, "14-results").await;
    c.close().await.unwrap();
    driver.stop().await;

    let results = cli(&ws, "e2e-officer", &["eval", "results", LOT, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&results).unwrap();
    assert_eq!(v["signedOff"], true);
    assert_eq!(v["scored"]["bids"][0]["rank"], 1);
}

async fn score_cell_expect_error(c: &Client) {
    let cell = cells(c, "Q3").await.remove(0);
    cell.click().await.unwrap();
    cell.send_keys("7").await.unwrap();
    type_into(
        c,
        "[data-testid=justification]",
        "Answer Q3 sets out named staff and a timetable",
    )
    .await;
    click(c, "[data-testid=save-score]").await;
    wait_text(c, "[data-testid=error-score]", "not on the scale").await;
}
