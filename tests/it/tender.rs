//! The front half of a lot: market engagement, the versioned specification and its gate,
//! and the tender's clarifications and bid receipt log, against real workspace files.
use chrono::{TimeZone, Utc};
use std::sync::Arc;

use lotwise::domain::ids::LotId;
use lotwise::domain::route::notices::NoticeKind;
use lotwise::domain::spec::SectionChange;
use lotwise::domain::stage::Stage;
use lotwise::error::ErrorCode;
use lotwise::ops::engagement::{
    self, AddAttendee, AddEngagementEvent, AddEngagementQuestion, AddInterest,
};
use lotwise::ops::lots::{AdvanceStage, CreateLot, SetMilestone};
use lotwise::ops::spec::{self, AddSpecComment, RespondToComment, SaveSpec};
use lotwise::ops::tender::{
    self, AddClarification, DecideLateBid, PublishClarification, RecordBidReceipt,
};
use lotwise::ops::{Ctx, FixedClock, eval, lots, route};

use crate::support::*;

async fn new_lot(ctx: &Ctx) -> LotId {
    let procurement_id = kcc_procurement(ctx).await;
    lots::create(
        ctx,
        CreateLot {
            procurement_id,
            reference: "Lot 1".into(),
            title: "Community Navigation: East Kent".into(),
            geography: "East Kent".into(),
            estimated_annual_value: Some("£1,850,000".into()),
            term: Some("5+2".into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id
}

async fn advance(
    ctx: &Ctx,
    lot: LotId,
    to: &str,
) -> lotwise::error::Result<lotwise::domain::lot::Lot> {
    lots::advance_stage(
        ctx,
        AdvanceStage {
            lot_id: lot,
            to: to.into(),
            reason: None,
        },
    )
    .await
}

/// Another lot of the same procurement, at market engagement.
async fn sibling_lot(ctx: &Ctx, of: LotId) -> LotId {
    let procurement_id = lots::show(ctx, of).await.unwrap().procurement.id;
    lots::create(
        ctx,
        CreateLot {
            procurement_id,
            reference: "Lot 2".into(),
            title: "Community Navigation: West Kent".into(),
            geography: String::new(),
            estimated_annual_value: None,
            term: None,
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id
}

fn event(lot: LotId, format: &str, on: &str) -> AddEngagementEvent {
    AddEngagementEvent {
        lot_id: lot,
        held_on: on.into(),
        format: format.into(),
        title: "Market engagement session".into(),
        agenda: "Lots, navigator numbers, contract options".into(),
    }
}

#[tokio::test]
async fn engagement_is_recorded_feeds_the_uk2_and_bad_input_changes_nothing() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = new_lot(&ctx).await;
    route_ready(&ctx, id, "2026-12-01").await;
    let before = audit_len(&ctx).await;
    let kinds =
        |v: &lotwise::ops::route::NoticesView| v.notices.iter().map(|n| n.kind).collect::<Vec<_>>();
    assert!(!kinds(&route::notices(&ctx, id).await.unwrap()).contains(&NoticeKind::Uk2));

    let e = engagement::add_event(&ctx, event(id, "zoom", "2026-11-10"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("format"));
    assert!(
        e.message
            .contains("expected in_person, online, hybrid or written")
    );
    let e = engagement::add_event(&ctx, event(id, "online", "31/02/2026"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("heldOn"));
    assert_eq!(
        audit_len(&ctx).await,
        before,
        "refused input writes nothing"
    );

    let v = engagement::add_event(&ctx, event(id, "In person", "10/11/2026"))
        .await
        .unwrap();
    let ev = v.records.events[0].id;
    engagement::add_attendee(
        &ctx,
        AddAttendee {
            lot_id: id,
            event_id: ev,
            name: "Chief executive".into(),
            organisation: "Age UK Faversham and Sittingbourne".into(),
        },
    )
    .await
    .unwrap();
    engagement::add_question(
        &ctx,
        AddEngagementQuestion {
            lot_id: id,
            event_id: ev,
            question: "Block or framework?".into(),
            answer: "Both are being considered.".into(),
        },
    )
    .await
    .unwrap();
    let e = engagement::add_interest(
        &ctx,
        AddInterest {
            lot_id: id,
            organisation: "Porchlight".into(),
            received_on: "2026-12-01".into(),
            consortium_with: String::new(),
            note: String::new(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("receivedOn"), "{}", e.message);
    let e = engagement::add_interest(
        &ctx,
        AddInterest {
            lot_id: id,
            organisation: "Porchlight".into(),
            received_on: "2026-11-12".into(),
            consortium_with: "porchlight; Red Zebra".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("consortiumWith"));
    let v = engagement::add_interest(
        &ctx,
        AddInterest {
            lot_id: id,
            organisation: "Age UK Faversham and Sittingbourne".into(),
            received_on: "2026-11-12".into(),
            consortium_with: "Carers' Support East Kent; Red Zebra Community Solutions".into(),
            note: "Parts A and B together".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        v.records.interests[0].consortium_with,
        vec!["Carers' Support East Kent", "Red Zebra Community Solutions"]
    );
    assert_eq!(v.records.events[0].attendees.len(), 1);
    assert_eq!(
        v.records.events[0].questions[0].answer,
        "Both are being considered."
    );
    assert_eq!(
        v.organisations,
        vec![
            "Age UK Faversham and Sittingbourne",
            "Carers' Support East Kent",
            "Red Zebra Community Solutions"
        ],
        "each organisation once, attendee or interest"
    );

    // An event of another lot is not this lot's to add to.
    let other = sibling_lot(&ctx, id).await;
    let e = engagement::add_attendee(
        &ctx,
        AddAttendee {
            lot_id: other,
            event_id: ev,
            name: "X".into(),
            organisation: "Y".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("event"));

    // Engagement held: the light-touch route now needs a UK2, filled from the event.
    let notices = route::notices(&ctx, id).await.unwrap();
    assert_eq!(kinds(&notices)[0], NoticeKind::Uk2);
    let uk2 = &notices.notices[0];
    let events = uk2
        .fields
        .iter()
        .find(|f| f.label == "Engagement events")
        .unwrap();
    assert_eq!(
        events.value.as_deref(),
        Some("Market engagement session (in person, 10 November 2026)")
    );
    assert!(uk2.missing.is_empty(), "{:?}", uk2.missing);
    assert_eq!(
        engagement::view(&ctx, id).await.unwrap().uk2.unwrap().kind,
        NoticeKind::Uk2
    );
    // The route tab's timeline shows the event.
    let tl = route::view(&ctx, id).await.unwrap().timeline;
    assert!(
        tl.iter()
            .any(|e| e.label == "Engagement: Market engagement session" && e.status == "Held")
    );
}

const V1: &str = "## Purpose\n\nCommunity navigation for people aged 55 and over.\n\n## Time limits\n\nEach intervention lasts up to 12 weeks.\n\n## Social prescribing database\n\nThe provider builds a database.\n";
const V2: &str = "## Purpose\n\nCommunity navigation for people aged 55 and over and their carers.\n\n## Time limits\n\nEach intervention lasts up to 12 weeks.\n\n## Staffing\n\nOne navigator per 20,000 people aged 55+.\n";

#[tokio::test]
async fn the_specification_is_versioned_compared_commented_and_frozen_by_approval() {
    let ws = workspace();
    let (ctx, store) = ctx(&ws).await;
    let id = new_lot(&ctx).await;
    let save = |text: &str, note: &str| SaveSpec {
        based_on: None,
        lot_id: id,
        text: text.into(),
        note: note.into(),
    };
    let before = audit_len(&ctx).await;
    let e = spec::save(&ctx, save("Intro\n## Purpose\nx", "Draft"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("text"));
    assert!(
        e.message
            .starts_with("line 1: text before the first section"),
        "{}",
        e.message
    );
    let e = spec::save(&ctx, save(V1, "  ")).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("note"));
    assert_eq!(audit_len(&ctx).await, before);

    spec::save(&ctx, save(V1, "First draft, for comment"))
        .await
        .unwrap();
    let e = spec::save(&ctx, save(V1, "Again")).await.unwrap_err();
    assert!(
        e.message.contains("nothing has changed since version 1"),
        "{}",
        e.message
    );

    // Comments are tied to a section of a version; the market's show on the engagement tab.
    let comment = |section: u32, source: &str| AddSpecComment {
        lot_id: id,
        version: 1,
        section,
        source: source.into(),
        author: "Bid manager".into(),
        organisation: "Porchlight".into(),
        comment: "A new database would duplicate what exists.".into(),
        received_on: "2026-11-20".into(),
    };
    let e = spec::add_comment(&ctx, comment(9, "market"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("section"));
    let e = spec::add_comment(&ctx, comment(3, "press"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("source"));
    let v = spec::add_comment(&ctx, comment(3, "market")).await.unwrap();
    assert_eq!(v.comments[0].heading, "Social prescribing database");
    let v = spec::respond(
        &ctx,
        RespondToComment {
            lot_id: id,
            comment_id: v.comments[0].id,
            response: "Accepted: removed in version 2".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(v.comments[0].response, "Accepted: removed in version 2");
    let feedback = engagement::view(&ctx, id).await.unwrap().market_feedback;
    assert_eq!(feedback.len(), 1);

    spec::save(&ctx, save(V2, "After the market's comments"))
        .await
        .unwrap();
    let e = spec::approve(&ctx, id, 1).await.unwrap_err();
    assert!(
        e.message.contains("only the newest version, version 2"),
        "{}",
        e.message
    );

    let d = spec::compare(&ctx, id, 2, 1).await.unwrap();
    assert_eq!((d.from, d.to), (1, 2), "the older is always on the left");
    let changes: Vec<(&str, SectionChange)> = d
        .sections
        .iter()
        .map(|s| (s.heading.as_str(), s.change))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("Purpose", SectionChange::Changed),
            ("Time limits", SectionChange::Unchanged),
            ("Social prescribing database", SectionChange::Removed),
            ("Staffing", SectionChange::Added),
        ]
    );
    assert_eq!(d.summary, "3 sections: 1 changed, 1 added, 1 removed");
    assert_eq!(
        spec::compare(&ctx, id, 1, 7)
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("to")
    );

    let v = spec::approve(&ctx, id, 2).await.unwrap();
    assert_eq!(v.approved, Some(2));
    let e = spec::approve(&ctx, id, 2).await.unwrap_err();
    assert!(e.message.contains("already approved"));
    // Saved text cannot be changed behind the app's back.
    let r = sqlx::query("UPDATE spec_sections SET body = 'changed' WHERE position = 1")
        .execute(store.pool())
        .await;
    assert!(r.unwrap_err().to_string().contains("cannot be changed"));
    let r = sqlx::query("UPDATE spec_versions SET approved_by = 'someone else' WHERE version = 2")
        .execute(store.pool())
        .await;
    assert!(r.is_err(), "an approved version is frozen");

    // At the tender stage the tender references version 2 and the specification is closed.
    eval::apply_template(&ctx, id, "standard").await.unwrap();
    eval::approve_model(&ctx, id).await.unwrap();
    route_ready(&ctx, id, "2026-11-20").await; // saves and approves version 3
    milestone(&ctx, id, "submission_deadline", "2026-12-21").await;
    advance(&ctx, id, "draft_specification").await.unwrap();
    advance(&ctx, id, "tender").await.unwrap();
    let v = spec::view(&ctx, id).await.unwrap();
    assert_eq!(v.tender_version, Some(3));
    assert!(!v.editable);
    let e = spec::save(&ctx, save(V1, "Late change")).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(
        e.message
            .contains("later changes are made by clarification"),
        "{}",
        e.message
    );
}

/// A lot at the tender stage: notice 20 November, clarifications close 10 December,
/// submissions at noon on 21 December 2026.
async fn lot_at_tender(ctx: &Ctx) -> LotId {
    let id = new_lot(ctx).await;
    eval::apply_template(ctx, id, "standard").await.unwrap();
    eval::approve_model(ctx, id).await.unwrap();
    route_ready(ctx, id, "2026-11-20").await;
    milestone(ctx, id, "clarification_deadline", "2026-12-10").await;
    milestone(ctx, id, "submission_deadline", "2026-12-21").await;
    advance(ctx, id, "draft_specification").await.unwrap();
    advance(ctx, id, "tender").await.unwrap();
    id
}

fn at(ctx: &Ctx, y: i32, m: u32, d: u32, h: u32, min: u32) -> Ctx {
    Ctx::new(
        ctx.store.clone(),
        Arc::new(FixedClock(
            Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap(),
        )),
        "test-officer",
    )
}

#[tokio::test]
async fn clarifications_are_anonymised_answered_once_and_late_ones_flagged() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let ctx = at(&ctx, 2026, 12, 15, 9, 0);
    let id = lot_at_tender(&ctx).await;
    let early = sibling_lot(&ctx, id).await;
    let e = tender::add_clarification(
        &ctx,
        AddClarification {
            lot_id: early,
            received_on: "2026-11-21".into(),
            asked_by: "Porchlight".into(),
            question: "Is TUPE expected?".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::Conflict,
        "not at the tender stage yet: {}",
        e.message
    );
    let ask = |on: &str, q: &str| AddClarification {
        lot_id: id,
        received_on: on.into(),
        asked_by: "Age Kent Navigators CIC".into(),
        question: q.into(),
    };
    let before = audit_len(&ctx).await;
    let e = tender::add_clarification(
        &ctx,
        ask("2026-11-21", "Can Age Kent Navigators use volunteers?"),
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("question"));
    assert!(
        e.message.contains("names the bidder who asked it"),
        "{}",
        e.message
    );
    assert_eq!(audit_len(&ctx).await, before);

    tender::add_clarification(&ctx, ask("2026-11-21", "Can the provider use volunteers?"))
        .await
        .unwrap();
    let v = tender::add_clarification(&ctx, ask("2026-12-11", "Will TUPE apply?"))
        .await
        .unwrap();
    assert_eq!(v.clarifications.len(), 2);
    assert!(!v.clarifications[0].late);
    assert!(
        v.clarifications[1].late,
        "received after the 10 December deadline"
    );
    assert_eq!(v.clarifications[1].clarification.number, 2);

    let answer = |n: u32, on: &str| PublishClarification {
        lot_id: id,
        number: n,
        answer: "Yes, alongside paid staff.".into(),
        published_on: on.into(),
    };
    let e = tender::publish_clarification(&ctx, answer(1, "2026-11-20"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("publishedOn"));
    let v = tender::publish_clarification(&ctx, answer(1, "2026-11-23"))
        .await
        .unwrap();
    let c = &v.clarifications[0].clarification;
    assert_eq!(c.published_on.unwrap().to_string(), "2026-11-23");
    let e = tender::publish_clarification(&ctx, answer(1, "2026-11-24"))
        .await
        .unwrap_err();
    assert!(e.message.contains("already been answered"), "{}", e.message);
    assert_eq!(
        tender::publish_clarification(&ctx, answer(9, "2026-11-24"))
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("number")
    );
}

#[tokio::test]
async fn the_receipt_log_flags_late_bids_and_hands_the_rest_to_evaluation() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let before_deadline = at(&ctx, 2026, 12, 21, 11, 0);
    let id = lot_at_tender(&before_deadline).await;
    let receipt = |supplier: &str, when: &str| RecordBidReceipt {
        lot_id: id,
        supplier: supplier.into(),
        registration_number: String::new(),
        members: String::new(),
        price: "£1,700,000".into(),
        received_at: when.into(),
    };
    let e = tender::record_receipt(&before_deadline, receipt("Porchlight", "21/12/2026"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("receivedAt"));
    let e = tender::record_receipt(
        &before_deadline,
        RecordBidReceipt {
            price: "lots".into(),
            ..receipt("Porchlight", "20/12/2026 10:00")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("price"));
    let e = tender::record_receipt(
        &before_deadline,
        RecordBidReceipt {
            registration_number: "12".into(),
            ..receipt("Porchlight", "20/12/2026 10:00")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("registrationNumber"));
    tender::record_receipt(&before_deadline, receipt("Porchlight", "20/12/2026 16:40"))
        .await
        .unwrap();
    let e = tender::record_receipt(&before_deadline, receipt("porchlight", "21/12/2026 09:00"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("supplier"));
    tender::record_receipt(
        &before_deadline,
        RecordBidReceipt {
            members: "Carers' Support East Kent (1063234)".into(),
            registration_number: "01234567".into(),
            ..receipt("Age UK Faversham and Sittingbourne", "21/12/2026 10:59")
        },
    )
    .await
    .unwrap();
    let e = tender::send_to_evaluation(&before_deadline, id)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::GatesFailed);
    assert!(
        e.details[0].contains("bids are opened after 12:00 on 21 December 2026"),
        "{:?}",
        e.details
    );

    let after = at(&ctx, 2026, 12, 22, 9, 0);
    tender::record_receipt(
        &after,
        receipt("Red Zebra Community Solutions", "21/12/2026 12:00"),
    )
    .await
    .unwrap();
    tender::record_receipt(&after, receipt("Late Ltd", "21/12/2026 12:07"))
        .await
        .unwrap();
    let v = tender::record_receipt(&after, receipt("Later Ltd", "22/12/2026 08:30"))
        .await
        .unwrap();
    let status: Vec<(&str, &str)> = v
        .receipts
        .iter()
        .map(|r| (r.receipt.supplier.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(
        status,
        vec![
            ("Porchlight", "On time"),
            ("Age UK Faversham and Sittingbourne", "On time"),
            ("Red Zebra Community Solutions", "On time"),
            ("Late Ltd", "Late: decision needed"),
            ("Later Ltd", "Late: decision needed"),
        ],
        "a bid at 12:00 exactly is on time"
    );
    let e = tender::send_to_evaluation(&after, id).await.unwrap_err();
    assert_eq!(
        e.details,
        vec![
            "a decision on the late bid from Late Ltd",
            "a decision on the late bid from Later Ltd"
        ]
    );

    let decide = |r: i64, d: &str| DecideLateBid {
        lot_id: id,
        receipt_id: r,
        decision: d.into(),
        reason: "The portal's log shows the upload began at 11:58 and a portal fault delayed it"
            .into(),
    };
    let on_time = v.receipts[0].receipt.id;
    let e = tender::decide_late(&after, decide(on_time, "accepted"))
        .await
        .unwrap_err();
    assert!(e.message.contains("arrived on time"), "{}", e.message);
    tender::decide_late(&after, decide(v.receipts[3].receipt.id, "accepted"))
        .await
        .unwrap();
    let v = tender::decide_late(&after, decide(v.receipts[4].receipt.id, "rejected"))
        .await
        .unwrap();
    assert_eq!(v.receipts[3].status, "Late: accepted");
    assert_eq!(v.receipts[4].status, "Late: rejected");
    assert_eq!(v.ready_for_evaluation, 4);
    let e = tender::decide_late(&after, decide(v.receipts[4].receipt.id, "accepted"))
        .await
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::Conflict,
        "a decision is kept as recorded"
    );

    let v = tender::send_to_evaluation(&after, id).await.unwrap();
    assert!(v.receipts[0].status.ends_with("with evaluation"));
    assert!(
        v.receipts[4].receipt.bid_id.is_none(),
        "the rejected bid is not evaluated"
    );
    let st = eval::state(&after, id).await.unwrap();
    let mut names: Vec<String> = st.bids.iter().map(|b| b.lead.name.clone()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "Age UK Faversham and Sittingbourne",
            "Late Ltd",
            "Porchlight",
            "Red Zebra Community Solutions"
        ]
    );
    let consortium = st
        .bids
        .iter()
        .find(|b| b.lead.name.starts_with("Age UK"))
        .unwrap();
    assert_eq!(consortium.members.len(), 1);
    let e = tender::send_to_evaluation(&after, id).await.unwrap_err();
    assert!(
        e.message.contains("no logged bid is waiting"),
        "{}",
        e.message
    );
    // The bids are the evaluation's now: once the deadline is recorded as closed, the lot
    // moves on.
    lots::set_milestone(
        &after,
        SetMilestone {
            expected_version: None,
            lot_id: id,
            key: Some("submission_deadline".into()),
            title: None,
            planned: "2026-12-21".into(),
            actual: Some("2026-12-21".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        advance(&after, id, "evaluation").await.unwrap().stage,
        Stage::Evaluation
    );
}

#[test]
fn the_cli_saves_compares_and_shows_the_front_half() {
    let ws = workspace();
    let run = |args: &[&str]| lotwise(&ws, args);
    assert!(run(&["demo"]).status.success());
    let list = run(&["lots", "list", "--json"]);
    let lots: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    let find = |title: &str| {
        lots.as_array()
            .unwrap()
            .iter()
            .find(|l| l["title"] == title)
            .map(|l| l["id"].as_i64().unwrap().to_string())
            .unwrap()
    };
    let east = find("Community Navigation: East Kent");
    let dgs = find("Community Navigation: DGS&S");

    let o = run(&["engagement", "show", &east, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["records"]["events"][0]["format"], "in_person");
    assert_eq!(
        v["marketFeedback"][0]["heading"],
        "Social prescribing database"
    );

    // The demo's revision after the market's comments, compared.
    let o = run(&["spec", "compare", &dgs, "1", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("## Social prescribing database (removed)"),
        "{out}"
    );
    assert!(out.contains("## Staffing (added)"), "{out}");
    assert!(
        out.contains("[-Each intervention lasts up to-]{+Interventions are guided by a+} 12"),
        "{out}"
    );

    let bad = ws.dir.path().join("bad.md");
    std::fs::write(&bad, "No heading\n").unwrap();
    let o = run(&[
        "spec",
        "save",
        &east,
        "--file",
        bad.to_str().unwrap(),
        "--note",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.md, line 1: text before the first section"),
        "{}",
        stderr(&o)
    );

    let o = run(&["tender", "show", &dgs, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["opened"]["specVersion"], 2);
    assert_eq!(v["clarifications"][0]["number"], 1);
    assert_eq!(v["receipts"][0]["supplier"], "Porchlight");
    let o = run(&[
        "tender",
        "clarification",
        &dgs,
        "--on",
        "2020-01-01",
        "--asked-by",
        "Porchlight",
        "--question",
        "Does Porchlight need to register?",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("names the bidder who asked it"),
        "{}",
        stderr(&o)
    );
}
