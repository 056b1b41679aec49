//! The award pack benchmark: a lot with 12 bidders, 40 questions and 5 evaluators, moderated
//! and signed off, with its award paper kept. Times building the pack (gathering every
//! record, reproducing the kept paper, one letter per bidder, laying out and drawing) and
//! checking it with verify-pack. Target: the pack in under 1 s.
use std::time::{Duration, Instant};

use lotwise::domain::paper::{Edition, PaperKind};
use lotwise::domain::roles::Role;
use lotwise::ops::{self, award::SetAwardDates};

use crate::eval::{Size, evaluator, moderate, moderator, prepare};

pub fn size() -> Size {
    Size {
        bids: crate::scale::size(12, 3),
        questions: crate::scale::size(40, 6),
        evaluators: crate::scale::size(5, 2),
    }
}

pub struct PackBench {
    pub build: Vec<Duration>,
    pub verify: Vec<Duration>,
    pub pages: u32,
    pub bytes: usize,
}

pub async fn run(dir: &std::path::Path) -> PackBench {
    let p = prepare(&dir.join("pack-bench.lotwise"), size()).await;
    moderate(&p, size()).await;
    for n in &p.names {
        ops::eval::sign_off(&evaluator(&p.officer, n), p.lot)
            .await
            .unwrap();
    }
    ops::eval::sign_off(&moderator(&p.officer), p.lot)
        .await
        .unwrap();
    let o = &p.officer;
    ops::lots::advance_stage(
        o,
        ops::lots::AdvanceStage {
            lot_id: p.lot,
            to: "award".into(),
            reason: None,
        },
    )
    .await
    .unwrap();
    let published = chrono::Utc::now().date_naive().to_string();
    ops::award::set_dates(
        o,
        SetAwardDates {
            lot_id: p.lot,
            regime: "pa2023".into(),
            voluntary_standstill: false,
            notice_published: Some(published),
            contract_signed: None,
        },
    )
    .await
    .unwrap();
    ops::papers::save(
        o,
        p.lot,
        PaperKind::Award,
        ops::demo_papers::west_kent_award(),
    )
    .await
    .unwrap();
    ops::papers::generate(
        o,
        p.lot,
        PaperKind::Award,
        Edition::Full,
        false,
        &mut |_| {},
    )
    .await
    .unwrap();
    let legal = o.acting_as("legal", Role::Legal);
    let mut build = Vec::new();
    let mut verify = Vec::new();
    let mut pages = 0;
    let mut bytes = 0;
    for i in 0..crate::scale::runs(10) {
        let t = Instant::now();
        let pack = ops::award::build_pack(o, p.lot, &mut |_| {}).await.unwrap();
        build.push(t.elapsed());
        pages = pack.pages;
        let file = dir.join(format!("pack-{i}.pdf"));
        ops::award::write_pack(o, &pack, &file).await.unwrap();
        bytes = std::fs::metadata(&file).unwrap().len() as usize;
        let t = Instant::now();
        let v = ops::award::verify_pack(&legal, &file).await.unwrap();
        verify.push(t.elapsed());
        assert!(v.matches, "{}", v.summary);
    }
    p.store.close().await;
    PackBench {
        build,
        verify,
        pages,
        bytes,
    }
}
