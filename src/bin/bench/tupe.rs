//! The TUPE benchmark: importing a 2,000-person staff list (every row checked, one write
//! transaction), building the checklist PDF for it with the difference from the previous
//! list, and the pipeline board with 200 transfers planned against the same board with none,
//! in the same process.
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use lotwise::domain::ids::LotId;
use lotwise::ops::{self, Ctx, FixedClock};
use lotwise::store::sqlite::SqliteStore;

pub fn people() -> usize {
    crate::scale::size(2_000, 50)
}
pub fn planned() -> usize {
    crate::scale::size(200, 3)
}

pub struct TupeBench {
    pub import: Vec<Duration>,
    pub checklist: Vec<Duration>,
    pub pages: u32,
    pub board_none: Vec<Duration>,
    pub board_planned: Vec<Duration>,
    pub facts: Vec<Duration>,
    pub lots: usize,
}

fn staff_csv(people: usize, variant: usize) -> String {
    let mut s = String::from(
        "employee_reference,role,grade,annual_pay,fte,hours,contract_type,continuous_service_start,pension_scheme,work_location,wholly_or_mainly_assigned\n",
    );
    for i in 0..people {
        let fte = ["1", "0.8", "0.6", "0.5"][i % 4];
        let pension = ["NHS Pension Scheme", "LGPS", "none", "other"][i % 4];
        // Each variant changes one person's pay in ten, so the diff has work to do.
        let pay = 27_485
            + if (i + variant).is_multiple_of(10) {
                variant * 100
            } else {
                0
            };
        s.push_str(&format!(
            "P-{i:05},Support Worker,Band 3,{pay},{fte},37.5,permanent,01/04/2015,{pension},Maidstone,{}\n",
            if i.is_multiple_of(9) { "no" } else { "yes" }
        ));
    }
    s
}

async fn board_times(ctx: &Ctx, runs: usize) -> Vec<Duration> {
    let mut v = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let b = ops::lots::board(ctx).await.unwrap();
        v.push(t.elapsed());
        assert!(b.columns.iter().map(|c| c.cards.len()).sum::<usize>() > planned());
    }
    v
}

pub async fn run(dir: &std::path::Path) -> TupeBench {
    let store = Arc::new(
        SqliteStore::open_or_create(&dir.join("tupe-bench.lotwise"))
            .await
            .unwrap(),
    );
    let ctx = Ctx::new(store.clone(), Arc::new(FixedClock(Utc::now())), "bench");
    ops::demo::create(&ctx).await.unwrap();
    let procurement = ops::registers::list_procurements(&ctx).await.unwrap()[0].id;
    let mut lots = Vec::new();
    for i in 0..planned() {
        let l = ops::lots::create(
            &ctx,
            ops::lots::CreateLot {
                procurement_id: procurement,
                reference: format!("Lot B{i}"),
                title: format!("Bench transfer {i}"),
                geography: "Kent".into(),
                estimated_annual_value: Some("£500,000".into()),
                term: Some("3+1".into()),
                replaces_contract_id: None,
                parts: vec![],
            },
        )
        .await
        .unwrap();
        lots.push(l.id);
    }
    let runs = crate::scale::runs(20);
    let board_none = board_times(&ctx, runs).await;
    let small = staff_csv(45, 0);
    for (i, lot) in lots.iter().enumerate() {
        ops::tupe::set_plan(
            &ctx,
            ops::tupe::SetTupePlan {
                expected_version: None,
                lot_id: *lot,
                transfer_date: (Utc::now().date_naive() + chrono::Days::new(20 + i as u64))
                    .to_string(),
                outgoing: "Bench Provider Ltd".into(),
                incoming: String::new(),
                assessment: "applies".into(),
                notes: String::new(),
            },
        )
        .await
        .unwrap();
        ops::tupe::import_staff_text(&ctx, *lot, &small, "staff.csv")
            .await
            .unwrap();
    }
    let board_planned = board_times(&ctx, runs).await;
    let mut facts = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let f = ctx
            .store
            .read()
            .await
            .unwrap()
            .tupe()
            .board_facts()
            .await
            .unwrap();
        facts.push(t.elapsed());
        assert_eq!(f.len(), planned() + 1);
    }

    let big: LotId = lots[0];
    let mut import = Vec::new();
    let mut checklist = Vec::new();
    let mut pages = 0;
    for variant in 1..=crate::scale::size(10, 2) {
        let text = staff_csv(people(), variant);
        let t = Instant::now();
        let r = ops::tupe::import_staff_text(&ctx, big, &text, "staff-2000.csv")
            .await
            .unwrap();
        import.push(t.elapsed());
        assert_eq!(r.list.rows as usize, people());
        let t = Instant::now();
        let (_, bytes, p) = ops::tupe::checklist_bytes(&ctx, big).await.unwrap();
        checklist.push(t.elapsed());
        assert!(bytes.starts_with(b"%PDF"));
        pages = p;
    }
    TupeBench {
        import,
        checklist,
        pages,
        board_none,
        board_planned,
        facts,
        lots: planned() + 8,
    }
}
