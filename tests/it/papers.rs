//! Decision papers from the demo workspace, read back with poppler and qpdf, compared with
//! golden renders, and the rules around them: gaps, exempt appendices, versions, the audit.
use std::path::{Path, PathBuf};

use lotwise::domain::ids::LotId;
use lotwise::domain::paper::{Edition, PaperKind};
use lotwise::ops::{self, Ctx};

use crate::pdf::{assert_fonts_embedded_and_subset, tool};
use crate::support::*;

async fn demo(ws: &Workspace) -> Ctx {
    let (ctx, _) = ctx(ws).await;
    // Documents carry the workspace's random id in their anchor, and so in their hashes and
    // the events that record them: a fixed id makes the record, and the head each paper
    // prints, the same on every run, as the golden renders need.
    let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
        "sqlite://{}",
        ws.path.display()
    ))
    .await
    .unwrap();
    sqlx::query("UPDATE workspace_identity SET id = '90be1d00000000000000000000000000'")
        .execute(&mut c)
        .await
        .unwrap();
    sqlx::Connection::close(c).await.unwrap();
    ops::demo::create(&ctx).await.expect("demo");
    ctx
}

async fn lot_id(ctx: &Ctx, title: &str) -> LotId {
    let b = ops::lots::board(ctx).await.unwrap();
    b.columns
        .iter()
        .flat_map(|c| c.cards.iter())
        .find(|c| c.title == title)
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("{title} in the demo"))
}

const HT: &str = "Health Trainers (Kent)";
const NCC: &str = "Integrated 0-5 Public Health Services";
const WK: &str = "Specialist Preventative Services (West Kent)";

async fn generate(ctx: &Ctx, lot: LotId, kind: PaperKind, edition: Edition) -> Vec<u8> {
    ops::papers::generate(ctx, lot, kind, edition, false, &mut |_| {})
        .await
        .unwrap_or_else(|e| panic!("{kind:?}: {} {:?}", e.message, e.details))
        .bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn text(p: &Path) -> String {
    // Without -layout the words of a wrapped line come out in reading order.
    tool("pdftotext", &[p.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn outline_titles(v: &serde_json::Value, out: &mut Vec<String>) {
    for e in v.as_array().into_iter().flatten() {
        out.push(e["title"].as_str().unwrap_or_default().to_string());
        outline_titles(&e["kids"], out);
    }
}

/// Every heading of the paper is text, an outline entry, and every font is embedded and subset.
fn check_structure(p: &Path, headings: &[&str]) {
    let path = p.to_str().unwrap();
    let t = text(p);
    let json = tool("qpdf", &["--json", "--json-key=outlines", path]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut titles = Vec::new();
    outline_titles(&v["outlines"], &mut titles);
    for h in headings {
        assert!(t.contains(h), "{h} missing from the text of {path}");
        assert!(
            titles.iter().any(|x| x.ends_with(h)),
            "{h} missing from the outline {titles:?}"
        );
    }
    assert_fonts_embedded_and_subset(path);
    tool("qpdf", &["--check", path]);
    crate::tagged::assert_tagged(path);
    let info = tool("pdfinfo", &[path]);
    assert!(
        info.contains("24 Nov 2026") || info.contains("Nov 24"),
        "{info}"
    );
}

const COMMON: [&str; 10] = [
    "Summary",
    "Recommendations",
    "Background",
    "Options considered",
    "Preferred option",
    "Implications",
    "Contacts",
    "Appendices",
    "Background papers",
    "Equality",
];

#[tokio::test]
async fn the_demo_papers_read_back_with_the_figures_from_the_data() {
    let ws = workspace();
    let ctx = demo(&ws).await;
    let dir = ws.dir.path();

    // Extension (seed 000): figures from the contract register.
    let ht = lot_id(&ctx, HT).await;
    let p = write(
        dir,
        "extension.pdf",
        &generate(&ctx, ht, PaperKind::Extension, Edition::Open).await,
    );
    let mut h: Vec<&str> = COMMON.to_vec();
    h.extend([
        "Reasons for the extension",
        "TUPE risk",
        "The proposed extension",
    ]);
    check_structure(&p, &h);
    let contracts = ops::contracts::list(&ctx).await.unwrap();
    let c = contracts
        .iter()
        .find(|c| c.reference == "KCC-PH-0147")
        .unwrap();
    let opt = &c.dates.options[0];
    let t = text(&p);
    for needle in [
        "£1,462,000".to_string(),
        "£1,096,500".to_string(), // nine months of £1,462,000
        lotwise::domain::dates::long(opt.start),
        lotwise::domain::dates::long(opt.end),
        lotwise::domain::dates::long(c.dates.core_end),
        "Kent Community Health NHS Foundation Trust".into(),
        "Decision number 26/00147".into(),
        "Key decision Yes".into(),
        "Electoral divisions All".into(),
        "Option B: Extend the current contract".into(),
        "Page 1 of".into(),
        "UNRESTRICTED".into(),
    ] {
        assert!(t.contains(&needle), "{needle} missing");
    }

    // Procurement approval (seed 003): term, whole-life value and budget from the data.
    let ncc = lot_id(&ctx, NCC).await;
    let p = write(
        dir,
        "procurement.pdf",
        &generate(&ctx, ncc, PaperKind::Procurement, Edition::Open).await,
    );
    let mut h: Vec<&str> = COMMON.to_vec();
    h.extend([
        "Route to market",
        "Budget and savings",
        "Delegation of the award decision",
    ]);
    check_structure(&p, &h);
    let lot = ops::lots::show(&ctx, ncc).await.unwrap();
    let t = text(&p);
    let budget_total = lot
        .procurement
        .budget
        .iter()
        .fold(0i64, |a, b| a + b.amount.pence());
    for needle in [
        lot.estimated_annual_value.unwrap().display(),
        lot.whole_life_value.unwrap().display(),
        lotwise::domain::money::Money::from_pence(budget_total).display(),
        lot.procurement.budget[0].financial_year.to_string(),
        "(5+2+2)".into(),
        "Nottingham City Council".into(),
    ] {
        assert!(t.contains(&needle), "{needle} missing");
    }
    // The exempt appendix is listed but its contents are left out of the open version.
    assert!(t.contains("Exempt: not for publication"));
    assert!(!t.contains("NCC-05-02 Family Nurse Partnership"));
    let full = write(
        dir,
        "procurement-full.pdf",
        &generate(&ctx, ncc, PaperKind::Procurement, Edition::Full).await,
    );
    let t = text(&full);
    assert!(t.contains("NCC-05-02 Family Nurse Partnership"));
    assert!(t.contains("£640,000"));
    assert!(t.contains("NOT FOR PUBLICATION"));

    // Award: the evaluation outcome, with only the winner named in the open version.
    let wk = lot_id(&ctx, WK).await;
    let p = write(
        dir,
        "award.pdf",
        &generate(&ctx, wk, PaperKind::Award, Edition::Open).await,
    );
    let mut h: Vec<&str> = COMMON.to_vec();
    h.extend(["The tender and evaluation process", "Evaluation outcome"]);
    check_structure(&p, &h);
    let r = ops::eval::results(&ctx, wk).await.unwrap();
    let winner = r
        .scored
        .bids
        .iter()
        .find(|b| Some(b.bid_id) == r.recommended)
        .unwrap();
    let t = text(&p);
    assert!(t.contains(&format!("The recommended bidder is {}", winner.bidder)));
    assert!(t.contains(&lotwise::domain::eval::results::shown(winner.total.0)));
    assert!(t.contains(&winner.price.display()));
    for b in r.scored.bids.iter().filter(|b| b.bid_id != winner.bid_id) {
        assert!(
            !t.contains(&b.bidder),
            "{} named in the open version",
            b.bidder
        );
        assert!(
            !t.contains(&b.price.display()),
            "a losing price in the open version"
        );
    }
    let full = write(
        dir,
        "award-full.pdf",
        &generate(&ctx, wk, PaperKind::Award, Edition::Full).await,
    );
    let t = text(&full);
    for b in &r.scored.bids {
        assert!(t.contains(&b.bidder) && t.contains(&b.price.display()));
    }
}

#[tokio::test]
async fn an_award_paper_says_evaluation_results_are_required() {
    let ws = workspace();
    let ctx = demo(&ws).await;
    let ncc = lot_id(&ctx, NCC).await;
    let e = ops::papers::generate(
        &ctx,
        ncc,
        PaperKind::Award,
        Edition::Open,
        false,
        &mut |_| {},
    )
    .await
    .err()
    .expect("refused");
    assert!(
        e.message
            .starts_with("Evaluation results are required: consensus scores"),
        "{}",
        e.message
    );
    // A draft copy says so in the paper itself.
    let g = ops::papers::generate(
        &ctx,
        ncc,
        PaperKind::Award,
        Edition::Open,
        true,
        &mut |_| {},
    )
    .await
    .unwrap();
    assert!(g.document.is_none(), "a draft is not kept");
    let p = write(ws.dir.path(), "award-draft.pdf", &g.bytes);
    let t = text(&p);
    assert!(t.contains("Evaluation results are required."), "{t}");
    assert!(t.contains("DRAFT"));
    // The CLI refuses with the same words and writes nothing.
    drop(ctx);
    let out = ws.dir.path().join("refused.pdf");
    let o = lotwise(
        &ws,
        &[
            "paper",
            &ncc.0.to_string(),
            "--kind",
            "award",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Evaluation results are required"));
    assert!(!out.exists());
}

#[tokio::test]
async fn gaps_are_named_by_field_and_nothing_is_kept() {
    let ws = workspace();
    let ctx = demo(&ws).await;
    let lot = lot_id(&ctx, "Community Navigation: East Kent").await;
    // The first draft comes from the data: subject, divisions and options prefilled.
    let v = ops::papers::view(&ctx, lot, PaperKind::Procurement)
        .await
        .unwrap();
    assert_eq!(v.version, None);
    assert_eq!(
        v.draft.header.electoral_divisions,
        "East Kent (Ashford, Canterbury and Coastal, South Kent Coast, Thanet)"
    );
    assert!(
        v.draft.header.key_decision,
        "£2,400,000 a year is over the key decision threshold"
    );
    assert!(v.gaps.iter().any(|g| g.field == "sections.route_to_market"));
    let before = audit_len(&ctx).await;
    let e = ops::papers::generate(
        &ctx,
        lot,
        PaperKind::Procurement,
        Edition::Open,
        false,
        &mut |_| {},
    )
    .await
    .err()
    .unwrap();
    assert_eq!(e.field.as_deref(), Some("draft"));
    let mut d = v.draft.clone();
    d.sections
        .insert("summary".into(), "Approval to procure.".into());
    let v = ops::papers::save(&ctx, lot, PaperKind::Procurement, d)
        .await
        .unwrap();
    let e = ops::papers::generate(
        &ctx,
        lot,
        PaperKind::Procurement,
        Edition::Open,
        false,
        &mut |_| {},
    )
    .await
    .err()
    .unwrap();
    assert_eq!(e.field.as_deref(), Some(v.gaps[0].field.as_str()));
    assert!(
        e.message.contains("cannot be generated yet"),
        "{}",
        e.message
    );
    assert_eq!(e.details.len(), v.gaps.len());
    assert!(
        ops::papers::view(&ctx, lot, PaperKind::Procurement)
            .await
            .unwrap()
            .documents
            .is_empty()
    );
    assert_eq!(
        audit_len(&ctx).await,
        before + 1,
        "only the save was audited"
    );

    // A character the font lacks is refused beside its field, and nothing is saved.
    let mut d = v.draft.clone();
    d.sections.insert("background".into(), "Snow ☃ days".into());
    let e = ops::papers::save(&ctx, lot, PaperKind::Procurement, d)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("sections.background"));
    assert!(e.message.contains("U+2603"), "{}", e.message);
    // An extension paper needs a contract to extend.
    let wk2 = lot_id(&ctx, "Community Navigation: West Kent").await;
    let v2 = ops::papers::view(&ctx, wk2, PaperKind::Extension)
        .await
        .unwrap();
    assert!(
        v2.blocked
            .unwrap()
            .contains("does not record the contract it replaces")
    );
    assert_eq!(
        ops::papers::view(&ctx, lot, PaperKind::Procurement)
            .await
            .unwrap()
            .version,
        Some(1)
    );
}

#[tokio::test]
async fn drafts_are_versioned_and_papers_kept_with_their_hash() {
    let ws = workspace();
    let (ctx, store) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let ht = lot_id(&ctx, HT).await;
    let v1 = ops::papers::view(&ctx, ht, PaperKind::Extension)
        .await
        .unwrap();
    assert_eq!(v1.version, Some(1));
    // Saving the same narrative again makes no new version.
    let same = ops::papers::save(&ctx, ht, PaperKind::Extension, v1.draft.clone())
        .await
        .unwrap();
    assert_eq!(same.version, Some(1));
    let mut d = v1.draft.clone();
    d.sections.insert("risk".into(), "Staff may leave.".into());
    let v2 = ops::papers::save(&ctx, ht, PaperKind::Extension, d)
        .await
        .unwrap();
    assert_eq!(v2.version, Some(2));
    assert_eq!(v2.versions.len(), 2);
    let restored = ops::papers::restore(&ctx, ht, PaperKind::Extension, 1)
        .await
        .unwrap();
    assert_eq!(restored.version, Some(3));
    assert_eq!(restored.draft, v1.draft);

    let g = ops::papers::generate(
        &ctx,
        ht,
        PaperKind::Extension,
        Edition::Open,
        false,
        &mut |_| {},
    )
    .await
    .unwrap();
    let doc = g.document.unwrap();
    assert_eq!(doc.draft_version, 3);
    assert_eq!(doc.number, 1);
    use sha2::Digest;
    assert_eq!(doc.sha256, hex::encode(sha2::Sha256::digest(&g.bytes)));
    let (again, bytes) = ops::papers::document(&ctx, doc.id).await.unwrap();
    assert_eq!(bytes, g.bytes);
    assert_eq!(again.pages, g.pages);
    let page = ops::audit::page(&ctx, 0, 5).await.unwrap();
    assert_eq!(page.events[0].action, "paper.generated");
    assert_eq!(page.events[1].action, "paper.draft_saved");
    // Kept as made: the workspace refuses to change or remove a generated paper.
    let e = sqlx::query("UPDATE paper_documents SET bytes = x'00' WHERE id = ?")
        .bind(doc.id.0)
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("kept as they were"), "{e}");
    assert!(
        sqlx::query("DELETE FROM paper_drafts")
            .execute(store.pool())
            .await
            .is_err()
    );
    // Opening it in the system viewer writes a copy with a telling name.
    let path = ops::papers::export_document(&ctx, doc.id, ws.dir.path())
        .await
        .unwrap();
    assert!(
        path.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("KCC-PH-HT_Lot_1_extension_v1_open")
    );
    assert_eq!(std::fs::read(path).unwrap(), g.bytes);
}

#[tokio::test]
async fn the_cli_generates_a_paper_and_takes_a_narrative_as_json() {
    let ws = workspace();
    {
        let ctx = demo(&ws).await;
        drop(ctx);
    }
    let dir = ws.dir.path();
    let out = dir.join("ht.pdf");
    let o = lotwise(
        &ws,
        &[
            "paper",
            "7",
            "--kind",
            "extension",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["draft"], false);
    assert_eq!(v["document"]["number"], 1);
    assert!(v["pages"].as_u64().unwrap() >= 3);
    assert!(text(&out).contains("Extending the contract for Health Trainers"));

    // The narrative round-trips through JSON; a bad file is refused naming line and column.
    let o = lotwise(
        &ws,
        &["paper", "7", "--kind", "extension", "--show-narrative"],
    );
    let mut n: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    n["header"]["decisionNumber"] = "26/00999".into();
    let f = dir.join("n.json");
    std::fs::write(&f, serde_json::to_string_pretty(&n).unwrap()).unwrap();
    let o = lotwise(
        &ws,
        &[
            "paper",
            "7",
            "--kind",
            "extension",
            "--narrative",
            f.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("version 2"), "{}", stdout(&o));
    assert!(text(&out).contains("26/00999"));
    std::fs::write(&f, "{\n  \"header\": {\"decisionNumber\": 7}\n}").unwrap();
    let o = lotwise(
        &ws,
        &[
            "paper",
            "7",
            "--kind",
            "extension",
            "--narrative",
            f.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("n.json, line 2, column"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&f, "{\"sumary\": {}}").unwrap();
    let o = lotwise(
        &ws,
        &[
            "paper",
            "7",
            "--kind",
            "extension",
            "--narrative",
            f.to_str().unwrap(),
        ],
    );
    assert!(
        stderr(&o).contains("unknown field “sumary”; the fields here are “header”, “sections”"),
        "{}",
        stderr(&o)
    );
    let o = lotwise(&ws, &["paper", "7", "--kind", "memo", "--out", "x.pdf"]);
    assert!(stderr(&o).contains("expected extension, procurement or award"));
}

/// Pages rendered at 50 dpi in grey, compared with the committed renders. A page that
/// changes fails the test; `LOTWISE_UPDATE_GOLDEN=1` writes new renders to review and commit.
#[tokio::test]
async fn the_demo_papers_match_their_golden_renders() {
    let ws = workspace();
    let ctx = demo(&ws).await;
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/papers");
    let update = std::env::var("LOTWISE_UPDATE_GOLDEN").is_ok();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-papers");
    // Renders from an earlier run (perhaps with more pages) must not be compared.
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let mut failures = Vec::new();
    for (title, kind) in [
        (HT, PaperKind::Extension),
        (NCC, PaperKind::Procurement),
        (WK, PaperKind::Award),
    ] {
        let lot = lot_id(&ctx, title).await;
        let pdf = write(
            &out,
            &format!("{}.pdf", kind.key()),
            &generate(&ctx, lot, kind, Edition::Open).await,
        );
        let prefix = out.join(kind.key());
        tool(
            "pdftoppm",
            &[
                "-png",
                "-gray",
                "-r",
                "50",
                pdf.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        let mut pages: Vec<PathBuf> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_str().unwrap();
                n.starts_with(&format!("{}-", kind.key())) && n.ends_with(".png")
            })
            .collect();
        pages.sort();
        let expected: Vec<PathBuf> = std::fs::read_dir(&golden)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        let expected_pages = expected
            .iter()
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&format!("{}-", kind.key()))
            })
            .count();
        if update {
            for old in &expected {
                if old
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&format!("{}-", kind.key()))
                {
                    std::fs::remove_file(old).unwrap();
                }
            }
        } else if expected_pages != pages.len() {
            failures.push(format!(
                "{}: {} pages, golden has {expected_pages}",
                kind.key(),
                pages.len()
            ));
            continue;
        }
        for page in pages {
            let name = page.file_name().unwrap();
            let g = golden.join(name);
            if update {
                std::fs::create_dir_all(&golden).unwrap();
                std::fs::copy(&page, &g).unwrap();
                continue;
            }
            let (a, b) = (grey(&page), grey(&g));
            if a.0 != b.0 {
                failures.push(format!("{name:?}: size {:?}, golden {:?}", a.0, b.0));
                continue;
            }
            let differing =
                a.1.iter()
                    .zip(&b.1)
                    .filter(|(x, y)| x.abs_diff(**y) > 40)
                    .count();
            // The same poppler renders the same pixels; the slack is for anti-aliasing at an edge. A changed
            // word or a moved line changes hundreds.
            if differing > 4 {
                failures.push(format!(
                    "{name:?}: {differing} pixels differ (see {})",
                    page.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "pages changed:\n{}\nIf the change is intended, run LOTWISE_UPDATE_GOLDEN=1 cargo nextest run -p lotwise golden, look at the new renders and commit them.",
        failures.join("\n")
    );
}

fn grey(p: &Path) -> ((u32, u32), Vec<u8>) {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(p).unwrap()));
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let bytes_per_px = info.color_type.samples();
    let px: Vec<u8> = buf.chunks(bytes_per_px).map(|c| c[0]).collect();
    ((info.width, info.height), px)
}

#[test]
fn the_readme_narrative_example_is_a_valid_extension_narrative() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let at = readme
        .find("### Narrative JSON")
        .expect("README documents the narrative");
    let block = &readme[at..];
    let start = block.find("```json\n").unwrap() + 8;
    let end = block[start..].find("```").unwrap() + start;
    let d = ops::papers::parse_narrative(&block[start..end], "README.md").unwrap();
    lotwise::domain::paper::validate(PaperKind::Extension, &d).unwrap();
    assert_eq!(d.preferred_option, Some(2));
    assert!(d.appendices[0].exempt);
}

/// The web edition: the CLI writes it by --format or by the file's name, keeps the PDF as the
/// record, refuses an unknown format writing nothing; a kept paper's web page is made from
/// the very content of its PDF, and refused once the workspace no longer makes that PDF.
#[tokio::test]
async fn the_web_edition_has_the_papers_words_and_says_when_it_cannot_match() {
    let ws = workspace();
    let ctx = demo(&ws).await;
    let dir = ws.dir.path();
    // The Health Trainers extension paper to `out`, with these arguments added.
    let extension = |out: &Path, more: &[&str]| {
        let mut args = vec!["paper", "7", "--kind", "extension", "--out"];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(more);
        lotwise(&ws, &args)
    };
    let html = dir.join("ht.html");
    let o = extension(&html, &["--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "html");
    assert_eq!(v["draft"], false);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
    assert!(page.contains("<h1>Extending the contract for Health Trainers by nine months</h1>"));
    assert!(
        page.contains("<dt>Annual value</dt><dd>£1,462,000</dd>"),
        "en-GB money"
    );
    assert!(page.contains("<th scope=\"col\">"));
    assert!(
        !page.contains("<script") && !page.contains(" src="),
        "self-contained"
    );
    // --format wins over the file's name.
    let odd = dir.join("ht.web");
    let o = extension(&odd, &["--format", "HTML"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("web edition"), "{}", stdout(&o));
    assert!(std::fs::read_to_string(&odd).unwrap().contains("<h1>"));
    let bad = dir.join("ht.docx");
    let o = extension(&bad, &["--format", "docx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("“docx” is not a format: expected pdf or html"),
        "{}",
        stderr(&o)
    );
    assert!(!bad.exists(), "nothing written");

    // A kept paper's web page, beside its PDF copy: the same headings in the same order.
    let lot = lot_id(&ctx, HT).await;
    let g = ops::papers::generate(
        &ctx,
        lot,
        PaperKind::Extension,
        Edition::Open,
        false,
        &mut |_| {},
    )
    .await
    .unwrap();
    let id = g.document.unwrap().id;
    let out = dir.join("papers");
    let page = ops::papers::export_document_html(&ctx, id, &out)
        .await
        .unwrap();
    assert_eq!(page.extension().unwrap(), "html");
    let pdf_text = text(&page.with_extension("pdf"));
    let body = std::fs::read_to_string(&page).unwrap();
    let mut at = 0;
    for h in body
        .split("<h2>")
        .skip(1)
        .map(|s| &s[..s.find("</h2>").unwrap()])
    {
        let h = h.replace("&amp;", "&");
        at += pdf_text[at..]
            .find(&h)
            .unwrap_or_else(|| panic!("“{h}” in the PDF"))
            + h.len();
    }
    // Something the paper shows changes: its web page is refused, naming why.
    let c = ops::contracts::list(&ctx).await.unwrap();
    let ht = c.iter().find(|c| c.title == "Health Trainers").unwrap();
    ops::contracts::set_option_status(
        &ctx,
        ops::contracts::SetOptionStatus {
            contract_id: ht.id,
            option: 1,
            status: "declined".into(),
        },
    )
    .await
    .unwrap();
    let e = ops::papers::export_document_html(&ctx, id, &out)
        .await
        .unwrap_err();
    assert_eq!(e.code, lotwise::error::ErrorCode::Conflict);
    assert!(
        e.message.contains("no longer matches the workspace"),
        "{}",
        e.message
    );
}
