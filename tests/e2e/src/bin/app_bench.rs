//! Desktop benchmark: launch the real app under Xvfb (via tauri-driver) on a workspace,
//! time launch -> board painted, and measure the app plus its WebKit processes in PSS.
//! Runs on the 2,000-lot workspace named by LOTWISE_WORKSPACE and, for comparison in the
//! same run, on a fresh workspace (first run: the demo is seeded before the board paints).
use fantoccini::Locator;
use lotwise_e2e::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn ppid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(1)?.parse().ok()
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// PSS summed over the app process and all its descendants (WebKit web and network processes).
fn app_tree_pss(app: &Path) -> (u64, usize) {
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    let roots: Vec<u32> = pids
        .iter()
        .copied()
        .filter(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|e| e == app))
        .collect();
    let in_tree = |mut p: u32| loop {
        if roots.contains(&p) {
            return true;
        }
        match ppid(p) {
            Some(q) if q > 1 => p = q,
            _ => return false,
        }
    };
    let tree: Vec<u32> = pids.iter().copied().filter(|p| in_tree(*p)).collect();
    (tree.iter().map(|p| pss_kib(*p)).sum(), tree.len())
}

async fn launch(app: &Path, workspace: &Path) -> (Duration, u64, usize) {
    let driver = Driver::start(workspace).await;
    let t0 = Instant::now();
    let c = driver.session(app).await;
    wait_for(&c, "[data-testid=board] .card").await;
    let painted = t0.elapsed();
    let n = c
        .find_all(Locator::Css("[data-testid=board] .card"))
        .await
        .unwrap()
        .len();
    assert!(n > 0);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (pss, procs) = app_tree_pss(&std::fs::canonicalize(app).unwrap());
    c.close().await.unwrap();
    driver.stop().await;
    (painted, pss, procs)
}

#[tokio::main]
async fn main() {
    let app = app_path();
    let big = PathBuf::from(
        std::env::var("LOTWISE_WORKSPACE").expect("LOTWISE_WORKSPACE: the 2,000-lot workspace"),
    );
    // `--smoke` (make test): one launch each, so the benchmark is known to run; `make bench`
    // measures five.
    let smoke = std::env::args().any(|a| a == "--smoke");
    let runs = if smoke { 1 } else { 5 };
    println!(
        "Lotwise desktop benchmark: {}, {runs} launches each; launch -> painted includes starting the WebDriver session",
        app.display()
    );
    println!(
        "| workspace | launch -> board painted (median) | worst | app + WebKit PSS (median) | processes | targets |"
    );
    println!("|---|---|---|---|---|---|");
    for (label, fresh) in [
        (
            if smoke {
                "the smoke benchmark workspace"
            } else {
                "2,000 lots"
            },
            false,
        ),
        ("fresh (demo seeded on first run)", true),
    ] {
        let mut times = Vec::new();
        let mut pss = Vec::new();
        let mut procs = 0;
        for _ in 0..runs {
            let dir = tempfile::tempdir().unwrap();
            let ws = if fresh {
                dir.path().join("fresh.lotwise")
            } else {
                big.clone()
            };
            let (t, p, n) = launch(&app, &ws).await;
            times.push(t);
            pss.push(p);
            procs = n;
        }
        times.sort();
        pss.sort();
        println!(
            "| {label} | {:.0} ms | {:.0} ms | {:.0} MiB | {procs} | < 1,000 ms; < 320 MiB |",
            times[runs / 2].as_secs_f64() * 1000.0,
            times[runs - 1].as_secs_f64() * 1000.0,
            pss[runs / 2] as f64 / 1024.0,
        );
    }
}
