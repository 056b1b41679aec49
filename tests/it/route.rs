//! Route to market: thresholds through the use cases, the tender gates (route, conflicts
//! assessment, minimum tendering period), notices and their statuses, and bad input.
use lotwise::domain::ids::LotId;
use lotwise::domain::route::notices::NoticeKind;
use lotwise::domain::stage::Stage;
use lotwise::error::ErrorCode;
use lotwise::ops::lots::{AdvanceStage, CreateLot};
use lotwise::ops::route::{NoticeStatus, PublishNotice, RecordConflicts, SetRoute};
use lotwise::ops::{Ctx, eval, lots, route, spec};

use crate::support::*;

async fn lot(ctx: &Ctx, value: &str, term: &str) -> LotId {
    let procurement_id = kcc_procurement(ctx).await;
    lots::create(
        ctx,
        CreateLot {
            procurement_id,
            reference: "Lot 1".into(),
            title: "Support".into(),
            geography: "Kent".into(),
            estimated_annual_value: Some(value.into()),
            term: Some(term.into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id
}

fn set_route(lot: LotId, route: &str, vat: bool) -> SetRoute {
    SetRoute {
        lot_id: lot,
        route: route.into(),
        reason: "Chosen after the market engagement".into(),
        justification: String::new(),
        authority: "sub_central".into(),
        kind: "services".into(),
        vat_chargeable: vat,
        electronic: true,
        documents_with_notice: true,
        urgency: String::new(),
    }
}

fn conflicts(lot: LotId) -> RecordConflicts {
    RecordConflicts {
        lot_id: lot,
        assessed_on: "20/11/2026".into(),
        scope: "Officers, panel and advisers".into(),
        findings: "None identified".into(),
        mitigations: String::new(),
    }
}

#[tokio::test]
async fn vat_inclusive_value_exactly_at_the_threshold_is_above_it() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    // £173,100 a year for one year, plus 20% VAT: exactly £207,720.
    let id = lot(&ctx, "£173,100", "1").await;
    let v = route::set_route(&ctx, set_route(id, "open", true))
        .await
        .unwrap();
    let a = v.assessment.unwrap();
    assert_eq!(
        a.value.as_ref().unwrap().including_vat.display(),
        "£207,720"
    );
    assert!(a.outcome.contains("exactly at the threshold for goods and services bought by sub-central authorities of £207,720"), "{}", a.outcome);
    assert!(
        a.outcome
            .ends_with("the Procurement Act 2023 applies in full")
    );
    assert_eq!(a.min_tendering_days, Some(25));
    // Without VAT it is £173,100: below, and the below-threshold rules apply.
    let v = route::set_route(&ctx, set_route(id, "open", false))
        .await
        .unwrap();
    let a = v.assessment.unwrap();
    assert!(a.outcome.contains("below the threshold"), "{}", a.outcome);
    assert_eq!(a.min_tendering_days, None);
    assert_eq!(a.notices, vec![NoticeKind::Uk4, NoticeKind::Uk7]);
}

#[tokio::test]
async fn tender_is_refused_without_a_route_a_conflicts_assessment_or_the_minimum_period() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = lot(&ctx, "£1,850,000", "5+2").await;
    lots::advance_stage(
        &ctx,
        AdvanceStage {
            lot_id: id,
            to: "draft_specification".into(),
            reason: None,
        },
    )
    .await
    .unwrap();
    eval::apply_template(&ctx, id, "standard").await.unwrap();
    eval::approve_model(&ctx, id).await.unwrap();
    milestone(&ctx, id, "tender_notice", "2026-12-01").await;
    // 24 days: one short of the open procedure's 25.
    milestone(&ctx, id, "submission_deadline", "2026-12-25").await;
    let to_tender = || AdvanceStage {
        lot_id: id,
        to: "tender".into(),
        reason: None,
    };

    let before = audit_len(&ctx).await;
    let e = lots::advance_stage(&ctx, to_tender()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::GatesFailed);
    assert_eq!(
        e.details,
        vec![
            "a route to market, with the reason for it".to_string(),
            "a conflicts assessment recorded before the tender notice".to_string(),
            "an approved specification for the tender to reference".to_string(),
        ]
    );
    assert_eq!(
        audit_len(&ctx).await,
        before,
        "a refused move writes nothing"
    );

    route::set_route(&ctx, set_route(id, "open", false))
        .await
        .unwrap();
    let e = lots::advance_stage(&ctx, to_tender()).await.unwrap_err();
    assert_eq!(e.details.len(), 3, "{:?}", e.details);
    assert!(e.details[0].contains("conflicts assessment"));
    assert!(e.details[1].contains("an approved specification"));
    assert!(
        e.details[2].contains("the tendering period is 24 days"),
        "{}",
        e.details[2]
    );
    assert!(e.details[2].contains("shorter than the minimum of 25 days"));
    assert!(e.details[2].contains("on or after 26 December 2026"));

    route::record_conflicts(&ctx, conflicts(id)).await.unwrap();
    // A saved draft is not enough: the tender references an approved version.
    spec::save(
        &ctx,
        spec::SaveSpec {
            based_on: None,
            lot_id: id,
            text: SPEC.into(),
            note: "First draft".into(),
        },
    )
    .await
    .unwrap();
    let v = route::view(&ctx, id).await.unwrap();
    assert_eq!(v.tender_gate.len(), 2, "{:?}", v.tender_gate);
    assert!(v.tender_gate[0].contains("an approved specification"));
    spec::approve(&ctx, id, 1).await.unwrap();
    let v = route::view(&ctx, id).await.unwrap();
    assert_eq!(v.tender_gate.len(), 1, "{:?}", v.tender_gate);
    assert!(!v.tender_checks[0].ok);
    milestone(&ctx, id, "submission_deadline", "2026-12-26").await;
    let v = route::view(&ctx, id).await.unwrap();
    assert!(v.tender_gate.is_empty(), "{:?}", v.tender_gate);
    let lot = lots::advance_stage(&ctx, to_tender()).await.unwrap();
    assert_eq!(lot.stage, Stage::Tender);
    // The timeline carries the earliest lawful submission deadline.
    let v = route::view(&ctx, id).await.unwrap();
    let limit = v
        .timeline
        .iter()
        .find(|e| e.label.starts_with("Earliest lawful submission deadline"))
        .unwrap();
    assert_eq!(limit.date.to_string(), "2026-12-26");
    assert!(!limit.late);
}

#[tokio::test]
async fn a_tender_notice_waits_for_its_form_and_the_conflicts_assessment() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = lot(&ctx, "£1,850,000", "5+2").await;
    let publish = |kind: &str, on: &str| PublishNotice {
        lot_id: id,
        kind: kind.into(),
        published_on: on.into(),
        reference: "FTS-001".into(),
    };

    let e = route::publish_notice(&ctx, publish("uk4", "2026-11-20"))
        .await
        .unwrap_err();
    assert!(
        e.message.contains("does not require"),
        "no route yet: {}",
        e.message
    );
    route::set_route(&ctx, set_route(id, "light_touch", false))
        .await
        .unwrap();
    let v = route::notices(&ctx, id).await.unwrap();
    let kinds: Vec<NoticeKind> = v.notices.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        vec![NoticeKind::Uk4, NoticeKind::Uk6, NoticeKind::Uk7],
        "no engagement held: no UK2"
    );
    let uk4 = &v.notices[0];
    assert_eq!(uk4.status, NoticeStatus::Draft);
    for m in [
        "tender notice date",
        "clarification deadline",
        "submission deadline",
        "award criteria",
        "conflicts assessment",
        "an approved specification (specification tab)",
        "the reasons for having no preliminary market engagement (engagement tab)",
    ] {
        assert!(
            uk4.missing.iter().any(|x| x == m),
            "{m} in {:?}",
            uk4.missing
        );
    }

    let e = route::publish_notice(&ctx, publish("uk4", "2026-11-20"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("kind"));
    assert!(e.details.iter().any(|d| d == "conflicts assessment"));

    milestone(&ctx, id, "tender_notice", "2026-11-20").await;
    milestone(&ctx, id, "clarification_deadline", "2026-12-10").await;
    milestone(&ctx, id, "submission_deadline", "2026-12-21").await;
    eval::apply_template(&ctx, id, "standard").await.unwrap();
    eval::approve_model(&ctx, id).await.unwrap();
    route::record_conflicts(&ctx, conflicts(id)).await.unwrap();
    spec::save(
        &ctx,
        spec::SaveSpec {
            based_on: None,
            lot_id: id,
            text: SPEC.into(),
            note: "For tender".into(),
        },
    )
    .await
    .unwrap();
    spec::approve(&ctx, id, 1).await.unwrap();
    lotwise::ops::engagement::set_no_engagement_reason(
        &ctx,
        id,
        "The provider market is small and well known from the current contract",
    )
    .await
    .unwrap();
    let v = route::notices(&ctx, id).await.unwrap();
    let uk4 = &v.notices[0];
    let field = |label: &str| {
        uk4.fields
            .iter()
            .find(|f| f.label == label)
            .and_then(|f| f.value.clone())
    };
    assert_eq!(
        field("Specification").as_deref(),
        Some("Version 1, approved")
    );
    assert_eq!(
        field("Preliminary market engagement").as_deref(),
        Some(
            "None carried out: The provider market is small and well known from the current contract"
        )
    );
    assert_eq!(
        v.notices[0].status,
        NoticeStatus::Ready,
        "{:?}",
        v.notices[0].missing
    );
    let e = route::publish_notice(&ctx, publish("uk4", "2026-12-01"))
        .await
        .unwrap_err();
    assert_eq!(
        e.field.as_deref(),
        Some("publishedOn"),
        "a date after today is refused"
    );
    let v = route::publish_notice(&ctx, publish("uk4", "2026-11-20"))
        .await
        .unwrap();
    assert_eq!(v.notices[0].status, NoticeStatus::Published);
    assert_eq!(
        v.notices[0].published.as_ref().unwrap().reference,
        "FTS-001"
    );
    assert!(
        v.notices[1]
            .missing
            .contains(&"successful supplier".to_string())
    );
}

#[tokio::test]
async fn bad_route_input_names_the_field_and_writes_nothing() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = lot(&ctx, "£400,000", "3+1").await;
    let before = audit_len(&ctx).await;
    let e = route::set_route(&ctx, set_route(id, "tender-ish", false))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("route"));
    assert!(
        e.message
            .contains("expected one of: open, competitive_flexible")
    );
    let mut short = set_route(id, "open", false);
    short.reason = "cheap".into();
    assert_eq!(
        route::set_route(&ctx, short)
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("reason")
    );
    let e = route::set_route(&ctx, set_route(id, "direct_award", false))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("justification"));
    assert!(e.message.contains("Schedule 5"));
    let mut bad = set_route(id, "open", false);
    bad.kind = "software".into();
    assert_eq!(
        route::set_route(&ctx, bad)
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("kind")
    );
    let mut future = conflicts(id);
    future.assessed_on = "2027-01-01".into();
    assert_eq!(
        route::record_conflicts(&ctx, future)
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("assessedOn")
    );
    let mut empty = conflicts(id);
    empty.findings = " ".into();
    assert_eq!(
        route::record_conflicts(&ctx, empty)
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("findings")
    );
    assert_eq!(audit_len(&ctx).await, before);
    assert!(route::view(&ctx, id).await.unwrap().assessment.is_none());
    // An evaluator may not record a route.
    let evaluator = ctx.acting_as("eve", lotwise::domain::roles::Role::Evaluator);
    assert_eq!(
        route::set_route(&evaluator, set_route(id, "open", false))
            .await
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
}

#[tokio::test]
async fn the_section_75_lot_has_its_agreement_checklist() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = lot(&ctx, "£7,965,000", "7").await;
    let mut s75 = set_route(id, "section_75", false);
    s75.reason = "Partnership with the NHS trust under a pooled fund".into();
    let v = route::set_route(&ctx, s75).await.unwrap();
    let a = v.assessment.unwrap();
    assert!(a.notices.is_empty());
    assert!(a.outcome.contains("not a procurement by itself"));
    assert_eq!(v.section75.as_ref().unwrap().len(), 9);
    let v = route::set_section75_item(
        &ctx,
        id,
        "contributions",
        true,
        "KCC £7.965m a year into the pooled fund",
    )
    .await
    .unwrap();
    let items = v.section75.unwrap();
    let c = items.iter().find(|i| i.key == "contributions").unwrap();
    assert!(c.agreed);
    assert_eq!(c.note, "KCC £7.965m a year into the pooled fund");
    assert_eq!(
        route::set_section75_item(&ctx, id, "catering", true, "")
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("item")
    );
}

#[test]
fn the_cli_shows_the_route_and_notices_of_the_demo() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let o = lotwise(&ws, &["route", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Route: Light-touch contract (Procurement Act 2023)"),
        "{out}"
    );
    assert!(out.contains("above the light-touch threshold of £663,540 (Procurement Act 2023, Schedule 1 as amended by SI 2025/1200, for procurements begun on or after 1 January 2026): light-touch rules apply"), "{out}");
    assert!(
        out.contains("No statutory minimum tendering period (Procurement Act 2023, s54(4), row 1)"),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&lotwise(&ws, &["route", "3", "--json"]))).unwrap();
    assert_eq!(json["assessment"]["choice"]["route"], "light_touch");
    assert_eq!(json["assessment"]["value"]["includingVat"], "12950000.00");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&lotwise(&ws, &["notices", "3", "--json"]))).unwrap();
    let notices = json["notices"].as_array().unwrap();
    assert_eq!(notices[0]["code"], "UK2");
    assert_eq!(notices[0]["status"], "published");
    assert_eq!(notices[1]["code"], "UK4");
    assert_eq!(notices[1]["status"], "published");
    assert_eq!(notices[2]["status"], "draft");
    // A lot with no route: the gate says what is missing; a notice cannot be recorded.
    let out = stdout(&lotwise(&ws, &["route", "1"]));
    assert!(
        out.contains("a route to market, with the reason for it"),
        "{out}"
    );
    let o = lotwise(
        &ws,
        &["notices", "1", "--publish", "uk4", "--on", "2026-11-01"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not require"), "{}", stderr(&o));
}
