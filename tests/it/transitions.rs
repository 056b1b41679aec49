use lotwise::domain::ids::LotId;
use lotwise::domain::stage::Stage;
use lotwise::error::ErrorCode;
use lotwise::ops::lots::{AdvanceStage, CreateLot, LotPartInput, SetMilestone};
use lotwise::ops::{Ctx, lots};

use crate::support::*;

async fn one_lot(ctx: &Ctx) -> LotId {
    let procurement_id = kcc_procurement(ctx).await;
    lots::create(
        ctx,
        CreateLot {
            procurement_id,
            reference: "Lot 3".into(),
            title: "Community Navigation: DGS&S".into(),
            geography: "Dartford, Gravesham, Swanley and Swale".into(),
            estimated_annual_value: Some("£1,850,000".into()),
            term: Some("5+2".into()),
            replaces_contract_id: None,
            parts: vec![
                LotPartInput {
                    code: "A".into(),
                    title: "Community Navigation".into(),
                },
                LotPartInput {
                    code: "B".into(),
                    title: "Community Navigation for Carers".into(),
                },
            ],
        },
    )
    .await
    .unwrap()
    .id
}

fn advance(id: LotId, to: &str) -> AdvanceStage {
    AdvanceStage {
        lot_id: id,
        to: to.into(),
        reason: None,
    }
}

#[tokio::test]
async fn an_invalid_transition_is_rejected_and_nothing_is_written() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = one_lot(&ctx).await;
    let before_events = audit_len(&ctx).await;

    let e = lots::advance_stage(&ctx, advance(id, "award"))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("cannot move to Award"), "{}", e.message);

    lots::advance_stage(&ctx, advance(id, "draft_specification"))
        .await
        .unwrap();
    let after_one = audit_len(&ctx).await;
    assert_eq!(after_one, before_events + 1);

    // Tender gate: no submission deadline yet, and no approved evaluation model.
    let e = lots::advance_stage(&ctx, advance(id, "tender"))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::GatesFailed);
    assert_eq!(e.details.len(), 5, "{:?}", e.details);
    assert!(e.details[0].contains("submission deadline"));
    assert!(e.details[1].contains("approved evaluation model"));
    assert!(e.details[2].contains("a route to market"));
    assert!(e.details[3].contains("a conflicts assessment"));
    assert!(e.details[4].contains("an approved specification"));

    let lot = lots::show(&ctx, id).await.unwrap();
    assert_eq!(lot.stage, Stage::DraftSpecification);
    assert_eq!(lot.history.len(), 2, "creation and one move");
    assert_eq!(
        audit_len(&ctx).await,
        after_one,
        "a refused move writes no audit event"
    );

    // Meeting the gate lets it through, with who and when in the history.
    lots::set_milestone(
        &ctx,
        SetMilestone {
            expected_version: None,
            lot_id: id,
            key: Some("submission_deadline".into()),
            title: None,
            planned: "15/01/2027".into(),
            actual: None,
        },
    )
    .await
    .unwrap();
    lotwise::ops::eval::apply_template(&ctx, id, "psr")
        .await
        .unwrap();
    lotwise::ops::eval::approve_model(&ctx, id).await.unwrap();
    route_ready(&ctx, id, "2026-12-01").await;
    let lot = lots::advance_stage(&ctx, advance(id, "tender"))
        .await
        .unwrap();
    assert_eq!(lot.stage, Stage::Tender);
    let last = lot.history.last().unwrap();
    assert_eq!(
        (last.from, last.to, last.actor.as_str()),
        (
            Some(Stage::DraftSpecification),
            Stage::Tender,
            "test-officer"
        )
    );
}

#[tokio::test]
async fn abandoning_keeps_the_reason_and_closes_the_lot() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = one_lot(&ctx).await;
    let e = lots::advance_stage(&ctx, advance(id, "abandoned"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reason"));
    let lot = lots::advance_stage(
        &ctx,
        AdvanceStage {
            lot_id: id,
            to: "abandoned".into(),
            reason: Some("Budget withdrawn by the partnership board".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(lot.stage, Stage::Abandoned);
    assert_eq!(
        lot.abandoned_reason.as_deref(),
        Some("Budget withdrawn by the partnership board")
    );
    assert!(
        lots::advance_stage(&ctx, advance(id, "market_engagement"))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = one_lot(&ctx).await;
    let lot = lots::show(&ctx, id).await.unwrap();
    let n = audit_len(&ctx).await;
    let bad = |value: &str, term: &str, parts: Vec<LotPartInput>| CreateLot {
        procurement_id: lot.procurement.id,
        reference: "Lot 4".into(),
        title: "Another".into(),
        geography: String::new(),
        estimated_annual_value: Some(value.into()),
        term: Some(term.into()),
        replaces_contract_id: None,
        parts,
    };
    let e = lots::create(&ctx, bad("£1.5 million", "5+2", vec![]))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("estimatedAnnualValue"));
    let e = lots::create(&ctx, bad("£1,500,000", "five years", vec![]))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("term"));
    let dup = vec![
        LotPartInput {
            code: "A".into(),
            title: "x".into(),
        },
        LotPartInput {
            code: "a".into(),
            title: "y".into(),
        },
    ];
    let e = lots::create(&ctx, bad("£1,500,000", "5+2", dup))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("parts.1.code"));
    let mut same_ref = bad("£1,500,000", "5+2", vec![]);
    same_ref.reference = "Lot 3".into();
    let e = lots::create(&ctx, same_ref).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reference"));
    assert_eq!(audit_len(&ctx).await, n);
    assert_eq!(
        lots::board(&ctx)
            .await
            .unwrap()
            .columns
            .iter()
            .map(|c| c.cards.len())
            .sum::<usize>(),
        1
    );
}

#[tokio::test]
async fn the_demo_has_every_stage_and_live_statuses() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    lotwise::ops::demo::create(&ctx).await.unwrap();
    let board = lots::board(&ctx).await.unwrap();
    for col in &board.columns {
        assert!(!col.cards.is_empty(), "no lot at {}", col.label);
    }
    // Overdue first within a stage: Health Trainers (overdue) before West Kent (on track).
    let engagement = &board.columns[0];
    assert_eq!(engagement.cards[0].title, "Health Trainers (Kent)");
    assert_eq!(engagement.cards[1].title, "Community Navigation: West Kent");
    let rags: Vec<_> = board
        .columns
        .iter()
        .flat_map(|c| c.cards.iter().map(|k| k.rag))
        .collect();
    use lotwise::domain::milestone::Rag;
    assert!(rags.contains(&Rag::Red) && rags.contains(&Rag::Amber));
    let radar = lotwise::ops::contracts::expiring(&ctx, None).await.unwrap();
    assert!(radar.iter().any(|e| e.contract.title == "Health Trainers"));
    assert!(
        !radar.iter().any(|e| e.contract.reference == "LCC-0019-S75"),
        "the 2030 agreement is not due"
    );
    let hcp = lotwise::ops::contracts::list(&ctx)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.reference == "LCC-0019-S75")
        .unwrap();
    assert_eq!(hcp.dates.current_end.to_string(), "2030-09-30");
    assert_eq!(hcp.annual_value.display(), "£7,965,000");
    let e = lotwise::ops::demo::create(&ctx).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
}
