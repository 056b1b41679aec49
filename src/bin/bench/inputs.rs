//! Inputs at the sizes people (and mistakes) produce: 40,000 areas to allocate, an 80,000
//! section specification, a staff list at the 16 MB limit, a 50 MB file refused at the door,
//! and the page check the app runs when it opens a workspace.
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lotwise::ops::{self, Ctx, FixedClock};
use lotwise::store::sqlite::SqliteStore;

pub struct InputsBench {
    pub allocate_40k: Vec<Duration>,
    pub spec_parse_80k: Vec<Duration>,
    pub spec_save_80k: Duration,
    pub staff_16mb: Vec<Duration>,
    pub staff_rows: usize,
    pub refuse_50mb: Vec<Duration>,
    pub quick_check: Vec<Duration>,
    pub workspace_mb: f64,
}

fn times(n: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

pub async fn run(dir: &Path, board_workspace: &Path) -> InputsBench {
    // 40,000 areas, each named once.
    let mut areas = String::from("area,population\n");
    let n_areas = crate::scale::size(40_000, 400);
    for i in 0..n_areas {
        areas.push_str(&format!("Area {i:05},{}\n", 1_000 + i * 7));
    }
    let allocate_40k = times(crate::scale::runs(5), || {
        let p = ops::finance::preview_allocation(&ops::finance::AllocationInput {
            csv: areas.clone().into_bytes(),
            file_name: "areas.csv".into(),
            total: "25".into(),
            per: String::new(),
            lots: Default::default(),
        })
        .unwrap();
        assert_eq!(p.allocation.rows.len(), n_areas);
    });

    // 80,000 sections, each with its own heading.
    let mut spec = String::new();
    let n_sections = crate::scale::size(80_000, 800);
    for i in 0..n_sections {
        spec.push_str(&format!(
            "## Section {i:05}\n\nThe provider delivers outcome {i}.\n\n"
        ));
    }
    let spec_parse_80k = times(crate::scale::runs(5), || {
        assert_eq!(
            lotwise::domain::spec::parse_sections(&spec).unwrap().len(),
            n_sections
        );
    });
    let store = Arc::new(
        SqliteStore::open_or_create(&dir.join("inputs-bench.lotwise"))
            .await
            .unwrap(),
    );
    let ctx = Ctx::new(
        store.clone(),
        Arc::new(FixedClock(chrono::Utc::now())),
        "bench",
    );
    ops::demo::create(&ctx).await.unwrap();
    let t = Instant::now();
    ops::spec::save(
        &ctx,
        ops::spec::SaveSpec {
            based_on: None,
            lot_id: lotwise::domain::ids::LotId(7),
            text: spec.clone(),
            note: "80,000 sections".into(),
        },
    )
    .await
    .unwrap();
    let spec_save_80k = t.elapsed();
    store.close().await;

    // A staff list just under the 16 MB limit.
    let header = "employee_reference,role,grade,annual_pay,fte,hours,contract_type,continuous_service_start,pension_scheme,work_location,wholly_or_mainly_assigned\n";
    let mut staff = String::from(header);
    let mut rows = 0;
    while staff.len() < crate::scale::size(15 * 1024 * 1024, 64 * 1024) {
        staff.push_str(&format!(
            "HT-{rows:07},Health Trainer,Band 4,27485,1.0,37.5,permanent,04/09/2009,NHS Pension Scheme,Ashford,yes\n"
        ));
        rows += 1;
    }
    let today = chrono::Utc::now().date_naive();
    let staff_16mb = times(crate::scale::runs(3), || {
        let f = ops::textfile::TextFile::decode(staff.as_bytes(), "staff.csv", "csv").unwrap();
        assert_eq!(ops::tupe::parse_staff_file(&f, today).unwrap().len(), rows);
    });

    // 50 MB: refused before it is read.
    let big = dir.join("big.csv");
    std::fs::write(&big, vec![b'a'; crate::scale::size(50, 17) * 1024 * 1024]).unwrap();
    let refuse_50mb = times(crate::scale::runs(10), || {
        assert!(ops::textfile::TextFile::read(&big, "csv").is_err());
    });
    std::fs::remove_file(&big).unwrap();

    // The page check on the 2,000-lot workspace.
    let store = SqliteStore::open(board_workspace).await.unwrap();
    let quick_check = {
        let mut v = Vec::new();
        for _ in 0..crate::scale::runs(10) {
            let t = Instant::now();
            store.check_pages().await.unwrap();
            v.push(t.elapsed());
        }
        v
    };
    store.close().await;
    let workspace_mb = std::fs::metadata(board_workspace).unwrap().len() as f64 / 1_048_576.0;
    InputsBench {
        allocate_40k,
        spec_parse_80k,
        spec_save_80k,
        staff_16mb,
        staff_rows: rows,
        refuse_50mb,
        quick_check,
        workspace_mb,
    }
}
