//! The web edition of a decision paper, read as a council's website visitor would: in a real
//! browser engine (WebKitGTK's MiniBrowser, without Lotwise), checked by axe-core against
//! WCAG 2.2 A/AA, with the same headings and tables as the PDF.
use fantoccini::Locator;
use lotwise_e2e::*;

#[tokio::test]
async fn the_web_edition_of_each_demo_paper_reads_in_a_browser_and_passes_axe() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("web.lotwise");
    cli(&ws, "e2e-officer", &["demo"]);
    let browser = Browser::start().await;
    let c = &browser.client;
    // Every paper the demo can generate: each lot, each kind, where nothing is still to write.
    let mut papers = Vec::new();
    let lots: serde_json::Value =
        serde_json::from_str(&cli(&ws, "e2e-officer", &["lots", "list", "--json"])).unwrap();
    for lot in lots.as_array().unwrap() {
        let id = lot["id"].to_string();
        for kind in ["extension", "procurement", "award"] {
            let name = format!("web-edition-lot{id}-{kind}");
            let html = dir.path().join(format!("{name}.html"));
            if try_cli(
                &ws,
                &[
                    "paper",
                    &id,
                    "--kind",
                    kind,
                    "--out",
                    html.to_str().unwrap(),
                ],
            ) {
                papers.push((id.clone(), kind, name, html));
            }
        }
    }
    // The demo has an extension, a procurement approval and award recommendations written.
    for kind in ["extension", "procurement", "award"] {
        assert!(
            papers.iter().any(|p| p.1 == kind),
            "no {kind} paper in the demo to check: {papers:?}"
        );
    }
    for (id, kind, name, html) in &papers {
        let pdf = html.with_extension("pdf");
        cli(
            &ws,
            "e2e-officer",
            &["paper", id, "--kind", kind, "--out", pdf.to_str().unwrap()],
        );
        c.goto(&format!("file://{}", html.display())).await.unwrap();
        wait_for(c, "main h1").await;
        check_accessible(c, name).await;
        shoot(name).await;
        // The same headings as the PDF, in the same order.
        let mut headings = Vec::new();
        for h in c.find_all(Locator::Css("main h1, main h2")).await.unwrap() {
            headings.push(h.text().await.unwrap());
        }
        assert!(headings.len() >= 3, "{name}: {headings:?}");
        let text = pdf_text(&pdf);
        let mut at = 0;
        for h in &headings {
            let found = text[at..].find(h.as_str()).unwrap_or_else(|| {
                panic!("{name}: heading “{h}” is not in the PDF after byte {at}")
            });
            at += found + h.len();
        }
        // Tables keep their header cells, scoped.
        let tables = c.find_all(Locator::Css("table")).await.unwrap().len();
        let scoped = c
            .find_all(Locator::Css(
                "table thead tr:first-child th[scope=col]:first-child",
            ))
            .await
            .unwrap()
            .len();
        assert_eq!(scoped, tables, "{name}: every table has column headers");
        if tables > 0 {
            c.execute("document.querySelector('table').scrollIntoView();", vec![])
                .await
                .unwrap();
            shoot(&format!("{name}-table")).await;
        }
        let lang = c
            .execute("return document.documentElement.lang;", vec![])
            .await
            .unwrap();
        assert_eq!(lang, serde_json::json!("en-GB"));
    }
    browser.stop().await;
}

/// The CLI, saying whether it succeeded (a paper with something still to write is refused).
fn try_cli(ws: &std::path::Path, args: &[&str]) -> bool {
    cli_output(ws, "e2e-officer", "officer", args)
        .status
        .success()
}

fn pdf_text(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
