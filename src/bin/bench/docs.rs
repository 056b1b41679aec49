//! Documents: a decision paper of the demo workspace, a synthetic 100-page document, its peak
//! memory (in a child process of its own), and LibreOffice headless converting the same
//! content, timed in the same run.
use chrono::{TimeZone, Utc};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lotwise::docs::DocSpec;
use lotwise::docs::font::Fonts;
use lotwise::docs::paper::{AwardFacts, PaperInput, build};
use lotwise::docs::render::render;
use lotwise::docs::sample::synthetic;
use lotwise::domain::paper::{Edition, PaperKind};
use lotwise::ops::{self, Ctx, FixedClock};
use lotwise::store::sqlite::SqliteStore;

pub struct DocsBench {
    /// Per kind: ops::papers::generate, from reading the workspace to keeping the PDF.
    pub papers: Vec<(PaperKind, usize, Vec<Duration>)>,
    /// Layout and render only, of the extension paper.
    pub render_only: Vec<Duration>,
    pub synthetic_pages: usize,
    pub synthetic: Vec<Duration>,
    pub synthetic_bytes: usize,
    pub peak_rss_kib: Option<u64>,
    pub baseline_rss_kib: Option<u64>,
    pub libreoffice: Option<(Duration, Duration)>,
    pub libreoffice_version: Option<String>,
}

/// Enough sections for at least 100 pages: the spec, its pages and the section count.
pub fn hundred_pages() -> (DocSpec, usize, usize) {
    let fonts = Fonts::shared();
    let mut n = 40;
    loop {
        let spec = synthetic(n);
        let (_, pages) = render(fonts, &spec).unwrap();
        if pages >= 100 {
            return (spec, pages, n);
        }
        n += 2;
    }
}

/// What `bench --docs-child` runs: one 100-page render, then the process's peak resident
/// memory (VmHWM) and its resident memory before the render, in KiB.
pub fn child(sections: usize) {
    let before = status_kib("VmRSS");
    let spec = synthetic(sections);
    let (pdf, pages) = render(Fonts::shared(), &spec).unwrap();
    assert!(pages >= 100 && !pdf.is_empty());
    println!(
        "{} {}",
        status_kib("VmHWM").unwrap_or(0),
        before.unwrap_or(0)
    );
}

fn status_kib(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn soffice() -> Option<String> {
    ["soffice", "libreoffice"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(String::from)
}

/// Converts an HTML file to PDF with LibreOffice headless, as an officer's script would:
/// a fresh process each time, with its own profile.
fn libreoffice_convert(bin: &str, html: &Path, outdir: &Path) -> Duration {
    let profile = outdir.join("lo-profile");
    let t = Instant::now();
    let out = Command::new(bin)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--infilter=HTML (StarWriter)"])
        .args(["--convert-to", "pdf:writer_pdf_Export", "--outdir"])
        .arg(outdir)
        .arg(html)
        .output()
        .expect("LibreOffice runs");
    let took = t.elapsed();
    let pdf = outdir.join(html.with_extension("pdf").file_name().unwrap());
    assert!(
        out.status.success() && pdf.exists(),
        "LibreOffice could not convert {}: {}",
        html.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

pub async fn run(dir: &Path) -> DocsBench {
    let path = dir.join("docs-bench.lotwise");
    let store = Arc::new(SqliteStore::open_or_create(&path).await.unwrap());
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap());
    let ctx = Ctx::new(store.clone(), Arc::new(clock), "bench");
    ops::demo::create(&ctx).await.unwrap();
    let board = ops::lots::board(&ctx).await.unwrap();
    let lot = |title: &str| {
        board
            .columns
            .iter()
            .flat_map(|c| &c.cards)
            .find(|c| c.title == title)
            .unwrap()
            .id
    };
    let mut papers = Vec::new();
    for (kind, title) in [
        (PaperKind::Extension, "Health Trainers (Kent)"),
        (
            PaperKind::Procurement,
            "Integrated 0-5 Public Health Services",
        ),
        (
            PaperKind::Award,
            "Specialist Preventative Services (West Kent)",
        ),
    ] {
        let id = lot(title);
        let mut times = Vec::new();
        let mut pages = 0;
        for _ in 0..crate::scale::runs(30) {
            let t = Instant::now();
            let g = ops::papers::generate(&ctx, id, kind, Edition::Open, false, &mut |_| {})
                .await
                .unwrap();
            times.push(t.elapsed());
            pages = g.pages as usize;
        }
        papers.push((kind, pages, times));
    }

    // Layout and render alone, from facts already read.
    let ht = ops::lots::show(&ctx, lot("Health Trainers (Kent)"))
        .await
        .unwrap();
    let contracts = ops::contracts::list(&ctx).await.unwrap();
    let contract = contracts.iter().find(|c| c.reference == "KCC-PH-0147");
    let draft = ops::papers::view(&ctx, ht.id, PaperKind::Extension)
        .await
        .unwrap()
        .draft;
    let no_award: Result<&AwardFacts, String> = Err(String::new());
    let input = PaperInput {
        kind: PaperKind::Extension,
        draft: &draft,
        lot: &ht,
        contract,
        award: no_award,
        tendering: None,
        edition: Edition::Open,
        draft_mode: false,
        author: "bench".into(),
        created: Utc::now(),
    };
    let mut render_only = Vec::new();
    for _ in 0..crate::scale::runs(50) {
        let t = Instant::now();
        let spec = build(&input);
        let _ = render(Fonts::shared(), &spec).unwrap();
        render_only.push(t.elapsed());
    }
    let paper_spec = build(&input);
    store.close().await;

    let (spec, synthetic_pages, sections) = hundred_pages();
    let mut synthetic_times = Vec::new();
    let mut synthetic_bytes = 0;
    for _ in 0..crate::scale::runs(10) {
        let t = Instant::now();
        let (pdf, _) = render(Fonts::shared(), &spec).unwrap();
        synthetic_times.push(t.elapsed());
        synthetic_bytes = pdf.len();
    }

    // Peak memory of a process that renders the 100 pages once, and nothing else.
    let me = std::env::current_exe().unwrap();
    let out = Command::new(me)
        .args(["--docs-child", &sections.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut nums = text
        .split_whitespace()
        .filter_map(|v| v.parse::<u64>().ok());
    let (peak_rss_kib, baseline_rss_kib) = (nums.next(), nums.next());

    // The comparison is for `make bench`: a smoke run does not wait for LibreOffice.
    let (libreoffice, libreoffice_version) = match soffice().filter(|_| !crate::scale::smoke()) {
        Some(bin) => {
            let lo = dir.join("libreoffice");
            std::fs::create_dir_all(&lo).unwrap();
            // The web edition of the same content: HTML that LibreOffice Writer imports and lays out.
            let paper_html = lo.join("paper.html");
            std::fs::write(&paper_html, lotwise::docs::html::render(&paper_spec)).unwrap();
            let long_html = lo.join("hundred.html");
            std::fs::write(&long_html, lotwise::docs::html::render(&spec)).unwrap();
            // The first start sets up the profile: not counted, as an officer's would exist.
            libreoffice_convert(&bin, &paper_html, &lo);
            let paper = libreoffice_convert(&bin, &paper_html, &lo);
            let long = libreoffice_convert(&bin, &long_html, &lo);
            let version = Command::new(&bin)
                .arg("--version")
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
            (Some((paper, long)), version)
        }
        None => (None, None),
    };
    DocsBench {
        papers,
        render_only,
        synthetic_pages,
        synthetic: synthetic_times,
        synthetic_bytes,
        peak_rss_kib,
        baseline_rss_kib,
        libreoffice,
        libreoffice_version,
    }
}
