//! Decision papers in the real app: the officer opens a lot's Documents tab, sees the rendered
//! pages of the paper, edits the narrative and watches the preview change, is stopped beside
//! the field by a character the font lacks, saves, generates (kept with its hash) and opens it;
//! an award paper without signed-off results says so.
use fantoccini::{Client, Locator};
use lotwise_e2e::*;
use std::time::{Duration, Instant};

async fn open_lot(c: &Client, title: &str) {
    wait_text(c, "[data-testid=board]", title).await;
    c.find(Locator::XPath(&format!(
        "//a[contains(@class,'card')][.//span[text()='{title}']]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_text(c, "[data-testid=lot-title]", title).await;
}

async fn preview_pages(c: &Client) -> usize {
    c.find_all(Locator::Css("[data-testid=preview-page]"))
        .await
        .map(|v| v.len())
        .unwrap_or(0)
}

async fn wait_pages(c: &Client, at_least: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let n = preview_pages(c).await;
        if n >= at_least {
            return n;
        }
        assert!(Instant::now() < deadline, "the preview drew {n} pages");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A field by its id, scrolled to the middle of the window (clear of the sticky action bar).
async fn field(c: &Client, id: &str) -> fantoccini::elements::Element {
    let el = c
        .find(Locator::Css(&format!("[id='field-{id}']")))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    scroll_to(c, &el).await;
    el
}

#[tokio::test(flavor = "multi_thread")]
async fn write_preview_generate_and_open_a_decision_paper() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("docs.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let driver = Driver::start(&ws).await;
    let c = driver.session(&app_path()).await;

    open_lot(&c, "Health Trainers (Kent)").await;
    click(&c, "[data-testid=lot-tab-documents]").await;
    // The Documents tab (and pdf.js) load when first opened.
    wait_for(&c, "[data-testid=paper-kind-extension]").await;
    click(&c, "[data-testid=paper-kind-extension]").await;
    wait_for(&c, "[data-testid=paper-editor]").await;
    wait_text(
        &c,
        "[data-testid=paper-ready]",
        "Everything a published paper needs",
    )
    .await;
    let pages = wait_pages(&c, 3).await;
    screenshot(&c, "documents-1-extension-preview").await;

    // A character the font lacks: the message is beside the summary, and nothing is saved.
    let summary = field(&c, "sections.summary").await;
    summary.click().await.unwrap();
    summary.send_keys(" Snow ☃ days.").await.unwrap();
    wait_text(&c, "[data-testid='error-sections.summary']", "U+2603").await;
    screenshot(&c, "documents-2-font-error-beside-field").await;
    click(&c, "[data-testid=paper-save]").await;
    wait_text(&c, "[data-testid='error-sections.summary']", "U+2603").await;

    // A real edit: the preview is redrawn from the engine and the draft saved as version 2.
    replace(
        &summary,
        "This paper asks the Cabinet Member to extend the Health Trainers contract by nine months.",
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while c
        .find(Locator::Css("[data-testid='error-sections.summary']"))
        .await
        .is_ok()
    {
        assert!(Instant::now() < deadline, "the error never cleared");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_pages(&c, pages.saturating_sub(1).max(1)).await;
    click(&c, "[data-testid=paper-save]").await;
    wait_text(&c, "[data-testid=paper-notice]", "Saved as version 2").await;
    // The options, each with its description, benefits and risks.
    let risks = field(&c, "options.1.risks").await;
    assert!(
        risks
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("TUPE")
    );
    screenshot(&c, "documents-3a-options").await;

    // Generate: kept with its hash, listed, and opened in the (stand-in) PDF viewer.
    click(&c, "[data-testid=paper-generate]").await;
    let notice = wait_text(&c, "[data-testid=paper-notice]", "Generated version 1").await;
    assert!(notice.contains("SHA-256"), "{notice}");
    wait_text(&c, "[data-testid=paper-documents]", "Open").await;
    screenshot(&c, "documents-3-generated").await;
    click(&c, "[data-testid=paper-open]").await;
    let opened = wait_text(&c, "[data-testid=paper-notice]", "Opened ").await;
    let path = opened
        .trim_start_matches("Opened ")
        .trim_end_matches(" in your PDF viewer.")
        .to_string();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(bytes.starts_with(b"%PDF-"));

    // The same kept paper as a web page to publish, beside the PDF.
    click(&c, "[data-testid=paper-open-html]").await;
    let saved = wait_text(&c, "[data-testid=paper-notice]", "Saved the web page ").await;
    let page = saved
        .trim_start_matches("Saved the web page ")
        .trim_end_matches(" and opened it in your browser.")
        .to_string();
    assert!(page.ends_with(".html"), "{page}");
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{page}: {e}"));
    assert!(
        html.contains("<html lang=\"en-GB\">") && html.contains("nine months"),
        "{page}"
    );
    screenshot(&c, "documents-3b-web-page-saved").await;

    // The workspace agrees: the audit trail has the save and the generation.
    let log = cli(
        &ws,
        "e2e-officer",
        &["audit", "log", "--limit", "3", "--json"],
    );
    assert!(
        log.contains("paper.generated") && log.contains("paper.draft_saved"),
        "{log}"
    );

    // An award paper without signed-off results says what is missing.
    click(&c, "[data-testid=paper-kind-award]").await;
    wait_text(
        &c,
        "[data-testid=paper-blocked]",
        "Evaluation results are required",
    )
    .await;
    // The preview is the award paper (a draft) saying the same in the paper itself.
    wait_pages(&c, 1).await;
    wait_text(&c, "[data-testid=preview-pages]", "as they will print").await;
    screenshot(&c, "documents-4-award-needs-results").await;

    // A paper not yet written lists what is still to write; each item takes focus to its field
    // and the page stays where it is (the app routes on the URL's hash).
    click(&c, "[data-testid=paper-kind-procurement]").await;
    wait_text(&c, "[data-testid=paper-gaps]", "Still to write").await;
    screenshot(&c, "documents-5-procurement-still-to-write").await;
    let route = c.current_url().await.unwrap();
    let link = wait_for(&c, "[data-testid=paper-gaps] a").await;
    let href = link.attr("href").await.unwrap().unwrap();
    link.click().await.unwrap();
    let focused = focused_id(&c).await;
    assert!(
        focused.starts_with("field-") && href.ends_with(&format!("#{focused}")),
        "focus is on the field the link names: {focused} for {href}"
    );
    assert_eq!(c.current_url().await.unwrap(), route, "the route is kept");
    wait_for(&c, "[data-testid=paper-editor]").await;

    c.close().await.unwrap();
    driver.stop().await;
}
