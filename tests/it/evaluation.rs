//! Evaluation end to end on a real workspace file: the model gate, bids from CSV, the
//! panel, blind scoring enforced by the engine, moderation, sign-off and results.
use lotwise::domain::ids::{BidId, LotId, ProcurementId};
use lotwise::domain::roles::Role;
use lotwise::error::ErrorCode;
use lotwise::ops::lots::{AdvanceStage, CreateLot, SetMilestone};
use lotwise::ops::{Ctx, eval, lots};
use lotwise::store::Store;

use crate::support::*;

pub const MODEL: &str = r#"{
  "sections": [
    {"key": "Q", "title": "Quality", "kind": "quality", "weight": 60, "questions": [
      {"key": "Q1", "text": "Service model", "weight": 60, "scale": {"type": "zeroToFive"}, "minScore": 2},
      {"key": "Q2", "text": "Workforce", "weight": 40, "scale": {"type": "zeroToFive"}},
      {"key": "PF1", "text": "Insurance in place", "scale": {"type": "passFail"}}
    ]},
    {"key": "P", "title": "Price", "kind": "price", "weight": 40, "price": {"method": "lowestOverBid"}}
  ],
  "justificationMinChars": 20
}"#;

/// The test's panel: "mo" moderates, everyone else scores.
fn as_user(ctx: &Ctx, user: &str) -> Ctx {
    ctx.acting_as(user, role_of(user))
}

fn role_of(user: &str) -> Role {
    match user {
        "mo" => Role::Moderator,
        "olivia" => Role::Officer,
        _ => Role::Evaluator,
    }
}

/// A lot at tender with the test model approved.
pub async fn lot_at_tender(ctx: &Ctx, p: ProcurementId, reference: &str, value: &str) -> LotId {
    lot_at_tender_with(ctx, p, reference, value, MODEL).await
}

/// A lot at tender with the given model approved.
pub async fn lot_at_tender_with(
    ctx: &Ctx,
    p: ProcurementId,
    reference: &str,
    value: &str,
    model: &str,
) -> LotId {
    let lot = lots::create(
        ctx,
        CreateLot {
            procurement_id: p,
            reference: reference.into(),
            title: format!("Community Navigation {reference}"),
            geography: "Kent".into(),
            estimated_annual_value: Some(value.into()),
            term: Some("5+2".into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id;
    lots::set_milestone(
        ctx,
        SetMilestone {
            expected_version: None,
            lot_id: lot,
            key: Some("submission_deadline".into()),
            title: None,
            planned: "2026-11-20".into(),
            actual: Some("2026-11-20".into()),
        },
    )
    .await
    .unwrap();
    eval::set_model_json(ctx, lot, model, "model.json")
        .await
        .unwrap();
    eval::approve_model(ctx, lot).await.unwrap();
    route_ready(ctx, lot, "2026-10-20").await;
    for to in ["draft_specification", "tender"] {
        lots::advance_stage(
            ctx,
            AdvanceStage {
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

pub async fn to_evaluation(ctx: &Ctx, lot: LotId) {
    lots::advance_stage(
        ctx,
        AdvanceStage {
            lot_id: lot,
            to: "evaluation".into(),
            reason: None,
        },
    )
    .await
    .unwrap();
}

pub const BIDS: &str = "supplier,registration_number,lot,price,members\n\
Alpha Care Ltd,01234567,,\"£100,000\",\n\
Beta Trust,1123456,,\"£105,000\",Gamma CIC (09876543); Delta Group\n\
Epsilon Ltd,SC123456,,\"£108,000\",\n";

pub async fn bid(ctx: &Ctx, lot: LotId, name: &str) -> BidId {
    eval::state(ctx, lot)
        .await
        .unwrap()
        .bids
        .iter()
        .find(|b| b.lead.name == name)
        .unwrap()
        .id
}

pub fn scores_csv(evaluator: &str, rows: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("evaluator,bidder,question,score,justification\n");
    for (b, q, v) in rows {
        s.push_str(&format!("{evaluator},{b},{q},{v},\"Section {q} of the bid sets out the evidence for this score\"\n"));
    }
    s
}

/// Every question for every bid, with the same score pattern per bidder.
pub fn full(evaluator: &str, alpha: u32, beta: u32, epsilon: u32) -> String {
    let mut rows = Vec::new();
    for (b, v) in [
        ("Alpha Care Ltd", alpha),
        ("Beta Trust", beta),
        ("Epsilon Ltd", epsilon),
    ] {
        rows.push((b, "Q1", v.to_string()));
        rows.push((b, "Q2", v.to_string()));
        rows.push((b, "PF1", "pass".to_string()));
    }
    let r: Vec<(&str, &str, &str)> = rows.iter().map(|(a, b, c)| (*a, *b, c.as_str())).collect();
    scores_csv(evaluator, &r)
}

#[tokio::test]
async fn weights_not_adding_to_100_are_refused_and_nothing_is_written() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let p = kcc_procurement(&ctx).await;
    let lot = lots::create(
        &ctx,
        CreateLot {
            procurement_id: p,
            reference: "Lot 1".into(),
            title: "Lot one".into(),
            geography: String::new(),
            estimated_annual_value: Some("£1".into()),
            term: Some("5".into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id;
    let before = audit_len(&ctx).await;
    let bad = MODEL.replace("\"weight\": 40, \"price\"", "\"weight\": 35, \"price\"");
    let e = eval::set_model_json(&ctx, lot, &bad, "model.json")
        .await
        .unwrap_err();
    assert_eq!(
        e.message,
        "model.json: the section weights add up to 95%, not 100%"
    );
    let bad = MODEL.replace("\"weight\": 40, \"scale\"", "\"weight\": 45, \"scale\"");
    let e = eval::set_model_json(&ctx, lot, &bad, "model.json")
        .await
        .unwrap_err();
    assert!(
        e.message
            .contains("question weights in section “Quality” add up to 105%"),
        "{}",
        e.message
    );
    assert_eq!(audit_len(&ctx).await, before);
    assert!(eval::state(&ctx, lot).await.unwrap().model.is_none());
}

#[tokio::test]
async fn bids_csv_errors_name_the_line_and_column_and_write_nothing() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let p = kcc_procurement(&ctx).await;
    let lot = lot_at_tender(&ctx, p, "Lot 1", "£100,000").await;
    let before = audit_len(&ctx).await;
    let bad = BIDS.replace("\"£105,000\"", "lots");
    let e = eval::import_bids_text(&ctx, lot, &bad, "bids.csv")
        .await
        .unwrap_err();
    assert!(
        e.message.starts_with("bids.csv, line 3, column price:"),
        "{}",
        e.message
    );
    assert_eq!(e.field.as_deref(), Some("price"));
    let bad = BIDS.replace("SC123456", "12");
    let e = eval::import_bids_text(&ctx, lot, &bad, "bids.csv")
        .await
        .unwrap_err();
    assert!(
        e.message
            .starts_with("bids.csv, line 4, column registration_number:"),
        "{}",
        e.message
    );
    let twice = format!("{BIDS}Alpha Care Ltd,01234567,,\"£90,000\",\n");
    let e = eval::import_bids_text(&ctx, lot, &twice, "bids.csv")
        .await
        .unwrap_err();
    assert!(e.message.starts_with("bids.csv, line 5:"), "{}", e.message);
    assert!(
        e.message.contains("Alpha Care Ltd has already bid"),
        "{}",
        e.message
    );
    assert_eq!(
        audit_len(&ctx).await,
        before,
        "no row of a refused file is written"
    );
    assert!(eval::state(&ctx, lot).await.unwrap().bids.is_empty());

    assert_eq!(
        eval::import_bids_text(&ctx, lot, BIDS, "bids.csv")
            .await
            .unwrap(),
        3
    );
    let st = eval::state(&ctx, lot).await.unwrap();
    let beta = st
        .bids
        .iter()
        .find(|b| b.lead.name == "Beta Trust")
        .unwrap();
    assert_eq!(beta.members.len(), 2, "a consortium with its members");
    assert_eq!(
        beta.members[0].registration_number.as_deref(),
        Some("09876543")
    );
}

#[tokio::test]
async fn blind_scoring_moderation_sign_off_and_results() {
    let ws = workspace();
    let (officer, store) = ctx(&ws).await;
    let p = kcc_procurement(&officer).await;
    let lot = lot_at_tender(&officer, p, "Lot 1", "£100,000").await;
    eval::import_bids_text(&officer, lot, BIDS, "bids.csv")
        .await
        .unwrap();
    to_evaluation(&officer, lot).await;
    for e in ["ann", "bob", "cat"] {
        eval::add_panel_member(&officer, lot, e, "evaluator")
            .await
            .unwrap();
    }
    eval::add_panel_member(&officer, lot, "mo", "moderator")
        .await
        .unwrap();
    let (ann, bob, cat, mo) = (
        as_user(&officer, "ann"),
        as_user(&officer, "bob"),
        as_user(&officer, "cat"),
        as_user(&officer, "mo"),
    );

    // No declaration, no bids: the engine withholds them.
    let st = eval::state(&ann, lot).await.unwrap();
    assert!(st.bids.is_empty() && st.access.withheld.is_some());
    let e = eval::import_scores_text(&ann, lot, &full("ann", 4, 3, 2), "ann.csv")
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    // The audit trail is a read path too: bids are withheld there until Ann declares.
    let trail = lotwise::ops::audit::page(&ann, 0, 100).await.unwrap();
    let bid_events: Vec<_> = trail
        .events
        .iter()
        .filter(|e| e.action == "bid.recorded")
        .collect();
    assert_eq!(bid_events.len(), 3);
    assert!(
        bid_events
            .iter()
            .all(|e| e.after.as_ref().unwrap().get("withheld").is_some())
    );
    let officer_trail = lotwise::ops::audit::page(&officer, 0, 100).await.unwrap();
    assert!(officer_trail.events.iter().any(|e| e.action == "bid.recorded" && e.after.as_ref().unwrap().get("price").is_some()));
    eval::declare(&ann, lot, None).await.unwrap();
    eval::declare(&bob, lot, None).await.unwrap();
    eval::declare(&cat, lot, Some("Trustee of Beta Trust"))
        .await
        .unwrap();
    eval::declare(&mo, lot, None).await.unwrap();
    assert!(
        eval::state(&cat, lot).await.unwrap().bids.is_empty(),
        "a declared conflict removes them"
    );

    // Score CSV errors name the row and column; nothing is written.
    let e = eval::import_scores_text(&ann, lot, &full("bob", 4, 3, 2), "ann.csv")
        .await
        .unwrap_err();
    assert!(
        e.message.starts_with("ann.csv, line 2, column evaluator:"),
        "{}",
        e.message
    );
    let bad = full("ann", 4, 3, 2).replace("Epsilon Ltd,Q2,2", "Epsilon Ltd,Q2,7");
    let e = eval::import_scores_text(&ann, lot, &bad, "ann.csv")
        .await
        .unwrap_err();
    assert!(
        e.message.starts_with("ann.csv, line 9, column score:"),
        "{}",
        e.message
    );
    let bad = full("ann", 4, 3, 2).replace(
        "Section Q1 of the bid sets out the evidence for this score",
        "ok",
    );
    let e = eval::import_scores_text(&ann, lot, &bad, "ann.csv")
        .await
        .unwrap_err();
    assert!(
        e.message
            .starts_with("ann.csv, line 2, column justification:"),
        "{}",
        e.message
    );
    assert_eq!(eval::state(&ann, lot).await.unwrap().scores.len(), 0);

    // Ann scores part of the sheet: submitting lists the gaps.
    let partial = scores_csv("ann", &[("Alpha Care Ltd", "Q1", "4")]);
    eval::import_scores_text(&ann, lot, &partial, "ann.csv")
        .await
        .unwrap();
    let e = eval::submit(&ann, lot).await.unwrap_err();
    assert_eq!(e.details.len(), 8, "{:?}", e.details);
    assert!(e.details.contains(&"Epsilon Ltd: PF1".to_string()));
    eval::import_scores_text(&ann, lot, &full("ann", 4, 3, 2), "ann.csv")
        .await
        .unwrap();
    eval::import_scores_text(&bob, lot, &full("bob", 2, 4, 2), "bob.csv")
        .await
        .unwrap();

    // Blind: nobody reads another's unsubmitted scores, by any read path.
    let bob_view = eval::state(&bob, lot).await.unwrap();
    assert!(bob_view.scores.iter().all(|s| s.evaluator == "bob"));
    assert_eq!(bob_view.scores.len(), 9);
    assert!(
        eval::state(&officer, lot).await.unwrap().scores.is_empty(),
        "not even the officer"
    );
    assert!(
        eval::state(&mo, lot).await.unwrap().scores.is_empty(),
        "nor the moderator"
    );
    assert!(eval::moderation(&bob, lot).await.is_err());
    assert!(eval::results(&bob, lot).await.is_err());
    use lotwise::domain::eval::{EvalScope, rules::readable_authors};
    let mut tx = store.read().await.unwrap();
    let raw = lotwise::ops::eval::load::state(&mut *tx, lot, "bob", EvalScope::AllVisible)
        .await
        .unwrap();
    assert!(
        raw.scores.iter().all(|s| s.evaluator == "bob"),
        "the load itself filters"
    );
    let authors = readable_authors(&raw.access, "bob", &raw.panel, EvalScope::AllVisible);
    assert_eq!(authors, vec!["bob".to_string()], "the rule names only bob");
    let kept = tx.eval().scores_by(lot, &authors).await.unwrap();
    assert!(
        !kept.is_empty() && kept.iter().all(|s| s.evaluator == "bob"),
        "the store reads only the authors the rule names"
    );
    drop(tx);
    let audit = lotwise::ops::audit::page(&officer, 0, 200).await.unwrap();
    assert!(
        audit
            .events
            .iter()
            .filter(|e| e.action == "eval.score_saved")
            .all(|e| !e.after.as_ref().unwrap().to_string().contains("\"score\"")),
        "the audit trail seals unsubmitted scores"
    );
    // Progress is counts only.
    assert!(
        bob_view
            .progress
            .iter()
            .any(|p| p.evaluator == "ann" && p.scored == 9)
    );

    eval::submit(&ann, lot).await.unwrap();
    let trail = lotwise::ops::audit::page(&bob, 0, 5).await.unwrap();
    let submitted = trail
        .events
        .iter()
        .find(|e| e.action == "eval.scores_submitted")
        .unwrap();
    assert!(
        submitted.after.as_ref().unwrap().get("withheld").is_some(),
        "Bob has not submitted"
    );
    // Ann has submitted, Bob has not: Ann still cannot read Bob's.
    assert!(
        eval::state(&ann, lot)
            .await
            .unwrap()
            .scores
            .iter()
            .all(|s| s.evaluator == "ann")
    );
    // Consensus waits for every evaluator.
    let e = eval::moderate(
        &mo,
        eval::Moderate {
            lot_id: lot,
            bid_id: bid(&mo, lot, "Alpha Care Ltd").await,
            question: "Q1".into(),
            score: "3".into(),
            reason: "Agreed on the evidence in section 1".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("still to submit: bob"), "{}", e.message);
    eval::submit(&bob, lot).await.unwrap();
    // Submitted scores never change: the engine refuses, and so does the file.
    let alpha = bid(&bob, lot, "Alpha Care Ltd").await;
    let e = eval::save_score(
        &bob,
        eval::SaveScore {
            lot_id: lot,
            bid_id: alpha,
            question: "Q1".into(),
            score: "5".into(),
            justification: "Changed my mind about section one".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("never change"), "{}", e.message);
    let refused = sqlx::query("UPDATE scores SET score = 5 WHERE evaluator = 'bob'")
        .execute(store.pool())
        .await;
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("submitted scores cannot change")
    );

    // Moderation: spreads flagged (Alpha: ann 4, bob 2 = 2, not above 2; none flagged yet).
    let board = eval::moderation(&mo, lot).await.unwrap();
    assert!(board.ready);
    let cell = board
        .cells
        .iter()
        .find(|c| c.bid_id == alpha && c.question == "Q1")
        .unwrap();
    assert_eq!(cell.spread, Some(2));
    assert!(
        !cell.flagged,
        "a spread of 2 does not exceed the default gap of 2"
    );
    assert_eq!(board.flagged, 0);

    // Consensus from CSV, with reasons; a short reason names its row.
    let mut csv = String::from("bidder,question,score,reason\n");
    for (b, v) in [("Alpha Care Ltd", 3), ("Beta Trust", 3), ("Epsilon Ltd", 3)] {
        for q in ["Q1", "Q2"] {
            csv.push_str(&format!(
                "{b},{q},{v},Agreed at {v}: the answer to {q} meets the requirement\n"
            ));
        }
        csv.push_str(&format!(
            "{b},PF1,pass,Certificates of insurance supplied with the bid\n"
        ));
    }
    let short = csv.replace("Agreed at 3: the answer to Q2 meets the requirement", "ok");
    let e = eval::import_consensus_text(&mo, lot, &short, "consensus.csv")
        .await
        .unwrap_err();
    assert!(
        e.message
            .starts_with("consensus.csv, line 3, column reason:"),
        "{}",
        e.message
    );
    // The evaluator role may not moderate at all; and wearing the moderator's hat is not
    // enough either: only the lot's panel moderator may agree its scores.
    let e = eval::import_consensus_text(&ann, lot, &csv, "consensus.csv")
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "{}", e.message);
    let ann_as_moderator = ann.acting_as("ann", Role::Moderator);
    let e = eval::import_consensus_text(&ann_as_moderator, lot, &csv, "consensus.csv")
        .await
        .unwrap_err();
    assert!(e.message.contains("only the moderator"), "{}", e.message);
    eval::import_consensus_text(&mo, lot, &csv, "consensus.csv")
        .await
        .unwrap();

    // Originals stay beside the consensus.
    let board = eval::moderation(&mo, lot).await.unwrap();
    let cell = board
        .cells
        .iter()
        .find(|c| c.bid_id == alpha && c.question == "Q1")
        .unwrap();
    assert_eq!(cell.consensus.as_ref().unwrap().score, 3);
    let originals: Vec<(String, u32)> = cell
        .originals
        .iter()
        .map(|o| (o.evaluator.clone(), o.score))
        .collect();
    assert_eq!(
        originals,
        vec![("ann".to_string(), 4), ("bob".to_string(), 2)]
    );
    assert_eq!(board.agreed, board.required);

    // Results: the worked example, price weight 40: 40.00, 38.10, 37.04.
    let r = eval::results(&officer, lot).await.unwrap();
    let price = |n: &str| {
        let b = r
            .scored
            .bids
            .iter()
            .find(|b| b.bidder.starts_with(n))
            .unwrap();
        lotwise::domain::eval::results::shown(b.price_score.unwrap().0)
    };
    assert_eq!(
        (
            price("Alpha").as_str(),
            price("Beta").as_str(),
            price("Epsilon").as_str()
        ),
        ("40.00", "38.10", "37.04")
    );
    assert_eq!(r.scored.bids[0].bidder, "Alpha Care Ltd");
    assert_eq!(r.scored.bids[0].rank, Some(1));
    assert!(!r.signed_off);

    // Award needs every active member's sign-off (the conflicted one is not asked).
    let e = lots::advance_stage(
        &officer,
        AdvanceStage {
            lot_id: lot,
            to: "award".into(),
            reason: None,
        },
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("signed off by every panel member"),
        "{}",
        e.message
    );
    for who in [&ann, &bob, &mo] {
        eval::sign_off(who, lot).await.unwrap();
    }
    assert!(eval::sign_off(&cat, lot).await.is_err());
    // After sign-off nothing changes unless reopened with a reason.
    let change = eval::Moderate {
        lot_id: lot,
        bid_id: alpha,
        question: "Q2".into(),
        score: "4".into(),
        reason: "Re-read section 2: the workforce plan is costed".into(),
    };
    let e = eval::moderate(&mo, change.clone()).await.unwrap_err();
    assert!(e.message.contains("reopen it"), "{}", e.message);
    let e = eval::reopen(&mo, lot, "").await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"));
    eval::reopen(
        &mo,
        lot,
        "Legal review found Q2 for Alpha was marked against the wrong page",
    )
    .await
    .unwrap();
    eval::moderate(&mo, change).await.unwrap();
    let st = eval::state(&mo, lot).await.unwrap();
    assert_eq!(st.round, 2);
    assert!(!st.signed_off(), "sign-offs start again after reopening");
    let audit = lotwise::ops::audit::page(&officer, 0, 5).await.unwrap();
    assert_eq!(audit.events[0].action, "eval.consensus_recorded");
    assert!(
        audit.events[0]
            .before
            .as_ref()
            .unwrap()
            .to_string()
            .contains("\"score\":3")
    );
    assert_eq!(audit.events[1].action, "eval.moderation_reopened");
    for who in [&ann, &bob, &mo] {
        eval::sign_off(who, lot).await.unwrap();
    }
    lots::advance_stage(
        &officer,
        AdvanceStage {
            lot_id: lot,
            to: "award".into(),
            reason: None,
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        lotwise::ops::audit::verify(&officer).await.unwrap(),
        lotwise::domain::audit::AuditVerification::Ok { .. }
    ));
}

#[tokio::test]
async fn lot_award_limit_applies_across_lots() {
    let ws = workspace();
    let (officer, _s) = ctx(&ws).await;
    let p = kcc_procurement(&officer).await;
    let small = lot_at_tender(&officer, p, "Lot 1", "£100,000").await;
    let large = lot_at_tender(&officer, p, "Lot 2", "£900,000").await;
    let mo = as_user(&officer, "mo");
    let ann = as_user(&officer, "ann");
    for lot in [small, large] {
        eval::import_bids_text(&officer, lot, BIDS, "bids.csv")
            .await
            .unwrap();
        to_evaluation(&officer, lot).await;
        eval::add_panel_member(&officer, lot, "ann", "evaluator")
            .await
            .unwrap();
        eval::add_panel_member(&officer, lot, "mo", "moderator")
            .await
            .unwrap();
        eval::declare(&ann, lot, None).await.unwrap();
        eval::declare(&mo, lot, None).await.unwrap();
        eval::import_scores_text(&ann, lot, &full("ann", 4, 3, 3), "ann.csv")
            .await
            .unwrap();
        eval::submit(&ann, lot).await.unwrap();
        let mut csv = String::from("bidder,question,score,reason\n");
        for (b, v) in [("Alpha Care Ltd", 4), ("Beta Trust", 3), ("Epsilon Ltd", 3)] {
            for q in ["Q1", "Q2"] {
                csv.push_str(&format!(
                    "{b},{q},{v},Agreed: the answer to {q} shows this level of evidence\n"
                ));
            }
            csv.push_str(&format!(
                "{b},PF1,pass,Certificates of insurance supplied with the bid\n"
            ));
        }
        eval::import_consensus_text(&mo, lot, &csv, "c.csv")
            .await
            .unwrap();
    }
    // Alpha leads both lots. Without a limit it is recommended for both.
    assert_eq!(
        eval::results(&officer, small).await.unwrap().recommended,
        Some(bid(&officer, small, "Alpha Care Ltd").await)
    );
    eval::set_award_limit(&officer, p, Some(1)).await.unwrap();
    let r = eval::results(&officer, small).await.unwrap();
    let limit = r.award_limit.as_ref().unwrap();
    assert_eq!(
        limit.awards[0].reference, "Lot 2",
        "the more valuable lot is settled first"
    );
    assert_eq!(limit.awards[0].bidder.as_deref(), Some("Alpha Care Ltd"));
    assert_eq!(
        limit.awards[1].passed_over,
        vec!["Alpha Care Ltd".to_string()]
    );
    assert_eq!(
        r.recommended,
        Some(bid(&officer, small, "Beta Trust").await),
        "the next-ranked bid"
    );
}

#[test]
fn the_cli_runs_an_evaluation() {
    let ws = workspace();
    init(&ws);
    let dir = ws.dir.path();
    let run = |user: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lotwise"))
            .arg("--workspace")
            .arg(&ws.path)
            .args(["--user", user, "--role", role_of(user).key()])
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |o: std::process::Output| {
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    ok(run(
        "olivia",
        &[
            "organisations",
            "add",
            "--name",
            "Kent County Council",
            "--kind",
            "county_council",
        ],
    ));
    ok(run(
        "olivia",
        &[
            "procurements",
            "create",
            "--reference",
            "P1",
            "--title",
            "Navigation",
            "--service",
            "Care",
            "--commissioner",
            "Kent County Council",
        ],
    ));
    ok(run(
        "olivia",
        &[
            "lots",
            "create",
            "--procurement",
            "P1",
            "--reference",
            "Lot 1",
            "--title",
            "Navigation",
            "--value",
            "£100,000",
            "--term",
            "5+2",
        ],
    ));
    ok(run(
        "olivia",
        &[
            "lots",
            "milestone",
            "1",
            "--key",
            "submission_deadline",
            "--planned",
            "2026-11-01",
            "--actual",
            "2026-11-01",
        ],
    ));
    std::fs::write(dir.join("model.json"), MODEL).unwrap();
    ok(run(
        "olivia",
        &[
            "eval",
            "model",
            "1",
            "--import",
            dir.join("model.json").to_str().unwrap(),
            "--approve",
        ],
    ));
    ok(run(
        "olivia",
        &[
            "eval",
            "model",
            "1",
            "--export",
            dir.join("out.json").to_str().unwrap(),
        ],
    ));
    assert!(
        std::fs::read_to_string(dir.join("out.json"))
            .unwrap()
            .contains("\"weight\": \"60\"")
    );
    ok(run(
        "olivia",
        &["lots", "advance", "1", "--to", "draft_specification"],
    ));
    cli_route_ready(|a| run("olivia", a), "1", "2026-10-20");
    ok(run("olivia", &["lots", "advance", "1", "--to", "tender"]));
    std::fs::write(dir.join("bids.csv"), BIDS).unwrap();
    ok(run(
        "olivia",
        &[
            "eval",
            "import-bids",
            "1",
            "--csv",
            dir.join("bids.csv").to_str().unwrap(),
        ],
    ));
    ok(run(
        "olivia",
        &["lots", "advance", "1", "--to", "evaluation"],
    ));
    ok(run(
        "olivia",
        &[
            "eval",
            "panel",
            "1",
            "--evaluator",
            "ann",
            "--moderator",
            "mo",
        ],
    ));
    ok(run("ann", &["eval", "declare", "1", "--none"]));
    ok(run("mo", &["eval", "declare", "1", "--none"]));
    std::fs::write(dir.join("ann.csv"), full("ann", 4, 3, 2)).unwrap();
    ok(run(
        "ann",
        &[
            "eval",
            "import-scores",
            "1",
            "--csv",
            dir.join("ann.csv").to_str().unwrap(),
        ],
    ));
    ok(run(
        "ann",
        &[
            "eval",
            "score",
            "1",
            "--bidder",
            "Beta Trust",
            "--question",
            "Q2",
            "--score",
            "4",
            "--justification",
            "The workforce plan in section 4 is costed",
        ],
    ));
    ok(run("ann", &["eval", "submit", "1"]));
    let mut csv = String::from("bidder,question,score,reason\n");
    for b in ["Alpha Care Ltd", "Beta Trust", "Epsilon Ltd"] {
        for q in ["Q1", "Q2"] {
            csv.push_str(&format!(
                "{b},{q},3,Agreed: the answer to {q} meets the requirement\n"
            ));
        }
    }
    std::fs::write(dir.join("c.csv"), &csv).unwrap();
    ok(run(
        "mo",
        &[
            "eval",
            "moderate",
            "1",
            "--csv",
            dir.join("c.csv").to_str().unwrap(),
        ],
    ));
    for b in ["Alpha Care Ltd", "Beta Trust", "Epsilon Ltd"] {
        ok(run(
            "mo",
            &[
                "eval",
                "moderate",
                "1",
                "--bidder",
                b,
                "--question",
                "PF1",
                "--score",
                "pass",
                "--reason",
                "Insurance certificates were supplied",
            ],
        ));
    }
    let board: serde_json::Value =
        serde_json::from_str(&ok(run("mo", &["eval", "moderation", "1", "--json"]))).unwrap();
    assert_eq!(board["agreed"], 9);
    ok(run("ann", &["eval", "signoff", "1"]));
    ok(run("mo", &["eval", "signoff", "1"]));
    let r: serde_json::Value =
        serde_json::from_str(&ok(run("olivia", &["eval", "results", "1", "--json"]))).unwrap();
    assert_eq!(r["signedOff"], true);
    let bids = r["scored"]["bids"].as_array().unwrap();
    assert_eq!(bids[0]["bidder"], "Alpha Care Ltd");
    assert_eq!(bids[0]["priceScore"]["shown"], "40.00");
    assert_eq!(bids[1]["priceScore"]["shown"], "38.10");
    assert_eq!(bids[2]["priceScore"]["shown"], "37.04");
    assert_eq!(bids[0]["total"]["shown"], "76.00");
    let text = ok(run("olivia", &["eval", "results", "1"]));
    assert!(text.contains("Sensitivity:"), "{text}");
    // Exit code 1 and a named error for a user mistake.
    let bad = run("ann", &["eval", "submit", "1"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("already submitted"));
    // An evaluator may not move the lot on: the role is refused before anything is written.
    let refused = run("ann", &["lots", "advance", "1", "--to", "award"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains(
            "an evaluator may not create lots, set their milestones or move them between stages"
        ),
        "{}",
        stderr(&refused)
    );
    ok(run("olivia", &["lots", "advance", "1", "--to", "award"]));
}

#[test]
fn the_readme_model_example_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("### Evaluation model JSON").unwrap();
    let block = &readme[start..];
    let json = &block[block.find("```json").unwrap() + 7..];
    let json = &json[..json.find("```").unwrap()];
    let m = lotwise::domain::eval::model::EvalModel::from_json(json, "README.md").unwrap();
    assert_eq!(m.questions().count(), 3);
}
