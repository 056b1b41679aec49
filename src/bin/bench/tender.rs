//! The front half of a lot at scale: saving a 300-section specification as a new version,
//! comparing two such versions word by word, the tender view of a lot with 200 bids logged
//! and 100 clarifications against the same view with none (in the same process), and the
//! hand-over of 200 bids to evaluation in one transaction.
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use lotwise::domain::ids::LotId;
use lotwise::ops::{self, Ctx, FixedClock};
use lotwise::store::sqlite::SqliteStore;

pub fn sections() -> usize {
    crate::scale::size(300, 20)
}
pub fn bids() -> usize {
    crate::scale::size(200, 5)
}
pub fn questions() -> usize {
    crate::scale::size(100, 5)
}

pub struct TenderBench {
    pub save: Vec<Duration>,
    pub compare: Vec<Duration>,
    pub view_empty: Vec<Duration>,
    pub view_full: Vec<Duration>,
    pub to_evaluation: Duration,
    pub words: usize,
}

/// A specification of `sections()` sections of about 120 words; `variant` rewrites one
/// sentence in every tenth section, so the compare has real work in a tenth of them.
fn spec_text(variant: usize) -> String {
    let mut s = String::new();
    for i in 0..sections() {
        s.push_str(&format!("## Section {i}: service requirement\n\n"));
        for j in 0..8 {
            if i % 10 == 0 && j == 3 {
                s.push_str(&format!("Revision {variant} changes how the provider reports outcome {j} for section {i} to the commissioners each quarter. "));
            } else {
                s.push_str(&format!("The provider delivers outcome {j} of section {i} to the standard in the outcomes framework. "));
            }
        }
        s.push_str("\n\n");
    }
    s
}

async fn lot_at_tender(
    ctx: &Ctx,
    procurement: lotwise::domain::ids::ProcurementId,
    n: usize,
) -> LotId {
    let lot = ops::lots::create(
        ctx,
        ops::lots::CreateLot {
            procurement_id: procurement,
            reference: format!("Lot T{n}"),
            title: format!("Bench tender {n}"),
            geography: "Kent".into(),
            estimated_annual_value: Some("£900,000".into()),
            term: Some("5+2".into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id;
    ops::eval::apply_template(ctx, lot, "standard")
        .await
        .unwrap();
    ops::eval::approve_model(ctx, lot).await.unwrap();
    super::ready_for_tender(ctx, lot, spec_text(0)).await;
    for to in ["draft_specification", "tender"] {
        ops::lots::advance_stage(
            ctx,
            ops::lots::AdvanceStage {
                lot_id: lot,
                to: to.into(),
                reason: None,
            },
        )
        .await
        .unwrap();
    }
    lot
}

pub async fn run(dir: &std::path::Path) -> TenderBench {
    let store = Arc::new(
        SqliteStore::open_or_create(&dir.join("tender-bench.lotwise"))
            .await
            .unwrap(),
    );
    let ctx = Ctx::new(store.clone(), Arc::new(FixedClock(Utc::now())), "bench");
    ops::demo::create(&ctx).await.unwrap();
    let procurement = ops::registers::list_procurements(&ctx).await.unwrap()[0].id;

    // Saving versions and comparing them, on a lot still at market engagement.
    let draft = ops::lots::create(
        &ctx,
        ops::lots::CreateLot {
            procurement_id: procurement,
            reference: "Lot S".into(),
            title: "Bench specification".into(),
            geography: "Kent".into(),
            estimated_annual_value: Some("£900,000".into()),
            term: Some("5+2".into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id;
    let mut save = Vec::new();
    let versions = crate::scale::size(10, 2);
    for variant in 1..=versions {
        let text = spec_text(variant);
        let t = Instant::now();
        ops::spec::save(
            &ctx,
            ops::spec::SaveSpec {
                based_on: None,
                lot_id: draft,
                text,
                note: format!("Revision {variant}"),
            },
        )
        .await
        .unwrap();
        save.push(t.elapsed());
    }
    let mut compare = Vec::new();
    for v in 1..versions as u32 {
        let t = Instant::now();
        let d = ops::spec::compare(&ctx, draft, v, v + 1).await.unwrap();
        compare.push(t.elapsed());
        assert_eq!(d.sections.len(), sections());
        assert!(
            d.summary
                .starts_with(&format!("{n} sections: {n} changed", n = sections() / 10)),
            "{}",
            d.summary
        );
    }

    // The tender view, empty and then with the full log.
    let lot = lot_at_tender(&ctx, procurement, 1).await;
    let view = |ctx: Ctx| async move {
        let t = Instant::now();
        let v = ops::tender::view(&ctx, lot).await.unwrap();
        (t.elapsed(), v.receipts.len())
    };
    let mut view_empty = Vec::new();
    for _ in 0..crate::scale::runs(20) {
        view_empty.push(view(ctx.clone()).await.0);
    }
    let deadline = ctx.clock.today() - Days::new(1);
    for i in 0..questions() {
        ops::tender::add_clarification(
            &ctx,
            ops::tender::AddClarification {
                lot_id: lot,
                received_on: (deadline - Days::new(20)).to_string(),
                asked_by: format!("Bidder {i}"),
                question: format!("Question {i} about the outcomes framework?"),
            },
        )
        .await
        .unwrap();
    }
    for i in 0..bids() {
        ops::tender::record_receipt(
            &ctx,
            ops::tender::RecordBidReceipt {
                lot_id: lot,
                supplier: format!("Bench Provider {i:03}"),
                registration_number: String::new(),
                members: String::new(),
                price: format!("£{}", 800_000 + i * 1_000),
                received_at: format!("{} 11:{:02}", deadline.format("%d/%m/%Y"), i % 60),
            },
        )
        .await
        .unwrap();
    }
    let mut view_full = Vec::new();
    for _ in 0..crate::scale::runs(20) {
        let (d, n) = view(ctx.clone()).await;
        assert_eq!(n, bids());
        view_full.push(d);
    }
    let t = Instant::now();
    let v = ops::tender::send_to_evaluation(&ctx, lot).await.unwrap();
    let to_evaluation = t.elapsed();
    assert!(v.receipts.iter().all(|r| r.receipt.bid_id.is_some()));
    TenderBench {
        save,
        compare,
        view_empty,
        view_full,
        to_evaluation,
        words: spec_text(0).split_whitespace().count(),
    }
}
