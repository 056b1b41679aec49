//! The evaluation benchmark: 100 bids × 60 questions × 10 evaluators (60,000 scores).
use chrono::Utc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lotwise::domain::eval::EvalScope;
use lotwise::domain::ids::LotId;
use lotwise::domain::roles::Role;
use lotwise::ops::{self, Ctx, FixedClock};
use lotwise::store::sqlite::SqliteStore;
use lotwise::store::{ConsensusInput, ScoreInput, Store};

pub fn bids() -> usize {
    crate::scale::size(100, 6)
}
pub fn questions() -> usize {
    crate::scale::size(60, 6)
}
pub fn burst_rounds() -> usize {
    crate::scale::size(100, 3)
}
pub fn evaluators() -> usize {
    crate::scale::size(10, 2)
}

/// How big an evaluation to set up. Five in six questions are quality, the rest social
/// value, with whole-number weights adding to 100 within each section.
#[derive(Clone, Copy)]
pub struct Size {
    pub bids: usize,
    pub questions: usize,
    pub evaluators: usize,
}

fn model_json(questions: usize) -> String {
    let q = |i: usize, w: String| {
        format!(
            r#"{{"key":"Q{i}","text":"Question {i}","weight":"{w}","scale":{{"type":"zeroToFive"}}}}"#
        )
    };
    let nq = questions * 5 / 6;
    // Whole-number weights adding to exactly 100 in each section.
    let weights = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| (100 / n + usize::from(i < 100 % n)).to_string())
            .collect()
    };
    let (wq, ws) = (weights(nq), weights(questions - nq));
    let quality: Vec<String> = (1..=nq).map(|i| q(i, wq[i - 1].clone())).collect();
    let social: Vec<String> = (nq + 1..=questions)
        .map(|i| q(i, ws[i - nq - 1].clone()))
        .collect();
    format!(
        r#"{{"sections":[
          {{"key":"Q","title":"Quality","kind":"quality","weight":60,"questions":[{}]}},
          {{"key":"SV","title":"Social value","kind":"socialValue","weight":10,"questions":[{}]}},
          {{"key":"P","title":"Price","kind":"price","weight":30,"price":{{"method":"lowestOverBid"}}}}],
          "qualityThreshold":"40","justificationMinChars":10}}"#,
        quality.join(","),
        social.join(",")
    )
}

fn score_of(b: usize, q: usize, e: usize) -> u32 {
    ((b * 7 + q * 3 + e) % 5 + 1) as u32
}

pub struct EvalBench {
    pub results: Vec<Duration>,
    pub moderation: Vec<Duration>,
    pub save: Vec<Duration>,
    /// Each save's time with every evaluator saving at once.
    pub save_together: Vec<Duration>,
    pub setup: Duration,
}

/// An evaluation with every evaluator's scores saved but not yet submitted.
pub struct Prepared {
    pub store: Arc<dyn Store>,
    pub officer: Ctx,
    pub lot: LotId,
    pub bids: Vec<lotwise::domain::ids::BidId>,
    pub names: Vec<String>,
}

pub fn evaluator(officer: &Ctx, name: &str) -> Ctx {
    officer.acting_as(name, Role::Evaluator)
}

pub fn moderator(officer: &Ctx) -> Ctx {
    officer.acting_as("moderator", Role::Moderator)
}

pub async fn prepare(path: &std::path::Path, size: Size) -> Prepared {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_or_create(path).await.unwrap());
    prepare_in(store, size).await
}

/// The evaluation set up in any workspace (the officer acts for everyone, so on a team
/// workspace this is the administrator's connection).
pub async fn prepare_in(store: Arc<dyn Store>, size: Size) -> Prepared {
    let officer = Ctx::new(store.clone(), Arc::new(FixedClock(Utc::now())), "officer");
    ops::registers::create_organisation(
        &officer,
        ops::registers::CreateOrganisation {
            name: "Bench Council".into(),
            kind: "county_council".into(),
        },
    )
    .await
    .unwrap();
    let p = ops::registers::create_procurement(
        &officer,
        ops::registers::CreateProcurement {
            reference: "EVAL".into(),
            title: "Evaluation bench".into(),
            service: "Bench".into(),
            commissioners: vec!["Bench Council".into()],
            budget: vec![],
        },
    )
    .await
    .unwrap();
    let lot = ops::lots::create(
        &officer,
        ops::lots::CreateLot {
            procurement_id: p.id,
            reference: "Lot 1".into(),
            title: "Bench lot".into(),
            geography: String::new(),
            estimated_annual_value: Some("£1,000,000".into()),
            term: Some("5+2".into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id;
    super::ready_for_tender(
        &officer,
        lot,
        "## Purpose\n\nThe service to be evaluated.\n".into(),
    )
    .await;
    // The deadline has closed: the evaluation gate reads the actual date.
    let yesterday = (Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    ops::lots::set_milestone(
        &officer,
        ops::lots::SetMilestone {
            expected_version: None,
            lot_id: lot,
            key: Some("submission_deadline".into()),
            title: None,
            planned: yesterday.clone(),
            actual: Some(yesterday),
        },
    )
    .await
    .unwrap();
    ops::eval::set_model_json(
        &officer,
        lot,
        &model_json(size.questions),
        "bench-model.json",
    )
    .await
    .unwrap();
    ops::eval::approve_model(&officer, lot).await.unwrap();
    let advance = |to: &str| ops::lots::AdvanceStage {
        lot_id: lot,
        to: to.into(),
        reason: None,
    };
    ops::lots::advance_stage(&officer, advance("draft_specification"))
        .await
        .unwrap();
    ops::lots::advance_stage(&officer, advance("tender"))
        .await
        .unwrap();
    let mut csv = String::from("supplier,registration_number,lot,price\n");
    for b in 0..size.bids {
        csv.push_str(&format!(
            "Bidder {b:03} Ltd,{:08},,\"£{}\"\n",
            10_000_000 + b,
            900_000 + b * 1_375
        ));
    }
    ops::eval::import_bids_text(&officer, lot, &csv, "bench-bids.csv")
        .await
        .unwrap();
    ops::lots::advance_stage(&officer, advance("evaluation"))
        .await
        .unwrap();
    let names: Vec<String> = (0..size.evaluators)
        .map(|e| format!("evaluator{e:02}"))
        .collect();
    for n in &names {
        ops::eval::add_panel_member(&officer, lot, n, "evaluator")
            .await
            .unwrap();
        ops::eval::declare(&evaluator(&officer, n), lot, None)
            .await
            .unwrap();
    }
    ops::eval::add_panel_member(&officer, lot, "moderator", "moderator")
        .await
        .unwrap();
    let mo = moderator(&officer);
    ops::eval::declare(&mo, lot, None).await.unwrap();
    let st = ops::eval::state(&mo, lot).await.unwrap();
    let bids: Vec<_> = st.bids.iter().map(|b| b.id).collect();
    for (e, n) in names.iter().enumerate() {
        let me = evaluator(&officer, n);
        let scores = bids
            .iter()
            .enumerate()
            .flat_map(|(b, id)| {
                (0..size.questions).map(move |q| ScoreInput {
                    line: None,
                    bid: *id,
                    question: format!("Q{}", q + 1),
                    score: score_of(b, q, e),
                    justification: format!("Evidence in answer {} supports this", q + 1),
                })
            })
            .collect();
        ops::eval::record::save_scores(&me, &me.write_unchecked(), lot, scores)
            .await
            .unwrap();
    }
    Prepared {
        store,
        officer,
        lot,
        bids,
        names,
    }
}

/// Every evaluator submits and the moderator agrees every score.
pub async fn moderate(p: &Prepared, size: Size) {
    for n in &p.names {
        ops::eval::submit(&evaluator(&p.officer, n), p.lot)
            .await
            .unwrap();
    }
    let entries = p
        .bids
        .iter()
        .enumerate()
        .flat_map(|(b, id)| {
            (0..size.questions).map(move |q| ConsensusInput {
                line: None,
                bid: *id,
                question: format!("Q{}", q + 1),
                score: score_of(b, q, 2),
                reason: format!("Agreed on the evidence in answer {}", q + 1),
            })
        })
        .collect();
    let m = moderator(&p.officer);
    ops::eval::record::record_consensus(&m, &m.write_unchecked(), p.lot, entries)
        .await
        .unwrap();
}

pub async fn run(path: &std::path::Path) -> EvalBench {
    let t0 = Instant::now();
    let size = Size {
        bids: bids(),
        questions: questions(),
        evaluators: evaluators(),
    };
    let p = prepare(path, size).await;
    let (store, lot, bids, names) = (p.store.clone(), p.lot, p.bids.clone(), p.names.clone());
    let setup = t0.elapsed();

    // Saving one score, with its audit event, on synchronous FULL: the last evaluator, who
    // has not submitted, revises scores one at a time.
    let last = evaluator(&p.officer, &names[size.evaluators - 1]);
    let mut save = Vec::new();
    for i in 0..crate::scale::size(500, 6) {
        let input = ops::eval::SaveScore {
            lot_id: lot,
            bid_id: bids[i % size.bids],
            question: format!("Q{}", i % size.questions + 1),
            score: ((i % 6) as u32).to_string(),
            justification: format!("Revised after re-reading answer {}", i % size.questions + 1),
        };
        let t = Instant::now();
        ops::eval::save_score(&last, input).await.unwrap();
        save.push(t.elapsed());
    }
    // Every evaluator revising at once, each in a task of its own.
    let together = names
        .iter()
        .map(|n| evaluator(&p.officer, n))
        .collect::<Vec<_>>();
    let save_together = save_at_once(together, lot, &bids, size.questions).await;
    moderate(&p, size).await;
    store.close().await;

    // Each run opens the workspace afresh, loads what results need, scores and ranks all
    // 100 bids and runs the sensitivity search.
    let mut results = Vec::new();
    let mut moderation = Vec::new();
    for _ in 0..crate::scale::runs(20) {
        let store = Arc::new(SqliteStore::open_or_create(path).await.unwrap());
        let t = Instant::now();
        let st = ops::eval::load::state(
            &mut *store.read().await.unwrap(),
            LotId(lot.0),
            "officer",
            EvalScope::Consensus,
        )
        .await
        .unwrap();
        let (scored, sens) = ops::eval::compute(&st).unwrap();
        results.push(t.elapsed());
        assert!(scored.complete && scored.leader.is_some() && sens.is_some());
        let t = Instant::now();
        let st = ops::eval::load::state(
            &mut *store.read().await.unwrap(),
            LotId(lot.0),
            "moderator",
            EvalScope::AllVisible,
        )
        .await
        .unwrap();
        let board = lotwise::domain::eval::moderation::board(&st).unwrap();
        moderation.push(t.elapsed());
        assert_eq!(
            st.scores.len(),
            size.bids * size.questions * size.evaluators
        );
        assert_eq!(board.cells.len(), size.bids * size.questions);
        store.close().await;
    }
    EvalBench {
        results,
        moderation,
        save,
        save_together,
        setup,
    }
}

/// Each evaluator (a context of their own: on a team workspace, their own login) saves
/// scores one at a time, all of them at once; returns every save's time.
/// Ten evaluators pressing save at the same moment, a hundred times over: each round
/// starts every evaluator's save together (a barrier) and waits for all of them, so each
/// save queues behind up to nine others, as when a panel scores side by side. Every save's
/// own time is kept.
pub async fn save_in_bursts(
    evaluators: Vec<Ctx>,
    lot: LotId,
    bids: &[lotwise::domain::ids::BidId],
    questions: usize,
) -> Vec<Duration> {
    save_in_bursts_of(evaluators, lot, bids, questions, burst_rounds()).await
}

pub async fn save_in_bursts_of(
    evaluators: Vec<Ctx>,
    lot: LotId,
    bids: &[lotwise::domain::ids::BidId],
    questions: usize,
    rounds: usize,
) -> Vec<Duration> {
    let mut all = Vec::with_capacity(rounds * evaluators.len());
    for i in 0..rounds {
        let go = Arc::new(tokio::sync::Barrier::new(evaluators.len()));
        let mut tasks = Vec::new();
        for (e, ctx) in evaluators.iter().cloned().enumerate() {
            let go = go.clone();
            let input = ops::eval::SaveScore {
                lot_id: lot,
                bid_id: bids[(i + e) % bids.len()],
                question: format!("Q{}", i % questions + 1),
                score: ((i % 6) as u32).to_string(),
                justification: format!("Scored together, round {}", i + 1),
            };
            tasks.push(tokio::spawn(async move {
                go.wait().await;
                let t = Instant::now();
                ops::eval::save_score(&ctx, input).await.unwrap();
                t.elapsed()
            }));
        }
        for t in tasks {
            all.push(t.await.unwrap());
        }
    }
    all
}

/// Each evaluator saving back to back with no pause between saves, all at once: more than
/// a panel ever does (a person takes seconds over a score), so this measures how many saves
/// the workspace takes in a second, and what a save waits when it is saturated. Three
/// hundred saves each: the p99 of a thousand saves rested on its ten slowest, and ranged
/// from 29 to 53 ms between runs of the same build on the team workspace.
pub async fn save_at_once(
    evaluators: Vec<Ctx>,
    lot: LotId,
    bids: &[lotwise::domain::ids::BidId],
    questions: usize,
) -> Vec<Duration> {
    let each = crate::scale::size(300, 3);
    let mut tasks = Vec::new();
    for (e, ctx) in evaluators.into_iter().enumerate() {
        let bids = bids.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(each);
            for i in 0..each {
                let input = ops::eval::SaveScore {
                    lot_id: lot,
                    bid_id: bids[(i + e) % bids.len()],
                    question: format!("Q{}", i % questions + 1),
                    score: ((i % 6) as u32).to_string(),
                    justification: format!("Revised after re-reading answer {}", i % questions + 1),
                };
                let t = Instant::now();
                ops::eval::save_score(&ctx, input).await.unwrap();
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}
