//! Dates as the law writes them (issue 17), through the use cases and the CLI on a real
//! workspace: the s54(4) rows from recorded facts, the UK3 and its s15(3) window, urgency,
//! PSR representations keeping the standstill open, UK7 from the signature.
use lotwise::domain::ids::LotId;
use lotwise::ops::award::{RecordFurtherDecision, RecordRepresentation, SetAwardDates};
use lotwise::ops::lots::CreateLot;
use lotwise::ops::route::{PublishNotice, RecordConflicts, SetRoute};
use lotwise::ops::{Ctx, award, lots, route};

use crate::support::*;

async fn open_lot(ctx: &Ctx) -> LotId {
    let procurement_id = kcc_procurement(ctx).await;
    let id = lots::create(
        ctx,
        CreateLot {
            procurement_id,
            reference: "Lot 1".into(),
            title: "Community navigation".into(),
            geography: "Kent".into(),
            estimated_annual_value: Some("£1,850,000".into()),
            term: Some("5+2".into()),
            replaces_contract_id: None,
            parts: vec![],
        },
    )
    .await
    .unwrap()
    .id;
    route::record_conflicts(
        ctx,
        RecordConflicts {
            lot_id: id,
            assessed_on: "20/11/2026".into(),
            scope: "Officers and panel".into(),
            findings: "None identified".into(),
            mitigations: String::new(),
        },
    )
    .await
    .unwrap();
    id
}

fn open_route(lot: LotId, electronic: bool, documents: bool, urgency: &str) -> SetRoute {
    SetRoute {
        lot_id: lot,
        route: "open".into(),
        reason: "An open procedure suits a market of many small providers".into(),
        justification: String::new(),
        authority: "sub_central".into(),
        kind: "services".into(),
        vat_chargeable: false,
        electronic,
        documents_with_notice: documents,
        urgency: urgency.into(),
    }
}

#[tokio::test]
async fn the_row_is_derived_from_the_two_facts_and_shown_with_the_earliest_deadline() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = open_lot(&ctx).await;
    milestone(&ctx, id, "tender_notice", "2027-01-11").await;
    for (e, d, row, days, earliest) in [
        (true, true, 7, 25, "2027-02-05"),
        (true, false, 8, 30, "2027-02-10"),
        (false, true, 9, 30, "2027-02-10"),
        (false, false, 10, 35, "2027-02-15"),
    ] {
        let v = route::set_route(&ctx, open_route(id, e, d, ""))
            .await
            .unwrap();
        let p = v.assessment.unwrap().tendering_period.unwrap();
        assert_eq!(p.min_days, Some(days));
        assert_eq!(
            p.provision,
            format!("Procurement Act 2023, s54(4), row {row}")
        );
        assert_eq!(p.earliest_deadline.unwrap().to_string(), earliest);
        assert!(p.counting.contains("s54(5)"));
    }
    // Urgency needs its reason, and then gives row 5.
    let e = route::set_route(&ctx, open_route(id, false, false, "urgent"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("urgency"));
    let v = route::set_route(
        &ctx,
        open_route(
            id,
            false,
            false,
            "The current provider has given notice and the service ends in March",
        ),
    )
    .await
    .unwrap();
    let p = v.assessment.unwrap().tendering_period.unwrap();
    assert_eq!(
        (p.min_days, p.provision.as_str()),
        (Some(10), "Procurement Act 2023, s54(4), row 5")
    );
}

#[tokio::test]
async fn a_published_uk3_decides_from_its_date() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let id = open_lot(&ctx).await;
    route::set_route(&ctx, open_route(id, true, true, ""))
        .await
        .unwrap();
    // The tender notice is planned for 2 January 2027; the UK3 went out on 24 November
    // 2026: 39 days before.
    milestone(&ctx, id, "tender_notice", "2027-01-02").await;
    let publish = |on: &str| PublishNotice {
        lot_id: id,
        kind: "uk3".into(),
        published_on: on.into(),
        reference: "FTS-UK3".into(),
    };
    route::publish_notice(&ctx, publish("2026-11-24"))
        .await
        .unwrap();
    let v = route::view(&ctx, id).await.unwrap();
    let p = v.assessment.unwrap().tendering_period.unwrap();
    assert_eq!(p.min_days, Some(25));
    let t = p.planned_notice.unwrap();
    assert!(!t.qualifies);
    assert!(
        t.reason
            .contains("published 39 days before the tender notice"),
        "{}",
        t.reason
    );
    assert!(t.reason.contains("(s15(3))"));
    // Published a day earlier: 40 days, it qualifies and the period is 10 days (row 4).
    route::publish_notice(&ctx, publish("2026-11-23"))
        .await
        .unwrap();
    let v = route::view(&ctx, id).await.unwrap();
    let p = v.assessment.unwrap().tendering_period.unwrap();
    assert_eq!(p.min_days, Some(10));
    assert_eq!(p.provision, "Procurement Act 2023, s54(4), row 4");
    assert_eq!(p.earliest_deadline.unwrap().to_string(), "2027-01-12");
    // The notices view lists the UK3 as optional and never overdue.
    let n = route::notices(&ctx, id).await.unwrap();
    let uk3 = n.notices.iter().find(|f| f.code == "UK3").unwrap();
    assert!(!uk3.overdue);
    assert!(uk3.due_rule.contains("s15(3)"), "{}", uk3.due_rule);
}

#[test]
fn the_cli_records_the_facts_and_refuses_the_old_flags() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    // Lot 2 (West Kent) has a planned tender notice in the demo.
    let o = lotwise(
        &ws,
        &[
            "route",
            "2",
            "--set",
            "open",
            "--reason",
            "Open procedure for a broad market",
            "--electronic",
            "no",
            "--documents-with-notice",
            "no",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let p = &v["assessment"]["tenderingPeriod"];
    assert_eq!(p["minDays"], 35);
    assert_eq!(p["provision"], "Procurement Act 2023, s54(4), row 10");
    assert_eq!(v["assessment"]["choice"]["electronic"], false);
    assert_eq!(v["assessment"]["choice"]["documentsWithNotice"], false);
    let o = lotwise(&ws, &["route", "2"]);
    assert!(
        stdout(&o).contains("at least 35 days (Procurement Act 2023, s54(4), row 10"),
        "{}",
        stdout(&o)
    );
    for (flag, says) in [
        ("--paper-tenders", "--paper-tenders is gone"),
        ("--reduced-period", "--reduced-period is gone"),
    ] {
        let o = lotwise(
            &ws,
            &[
                "route",
                "2",
                "--set",
                "open",
                "--reason",
                "Open procedure for a broad market",
                flag,
            ],
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
    let o = lotwise(
        &ws,
        &[
            "route",
            "2",
            "--set",
            "open",
            "--reason",
            "Open procedure for a broad market",
            "--electronic",
            "maybe",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("“maybe” is not yes or no (--electronic)"),
        "{}",
        stderr(&o)
    );
    // The signature is recorded with the award dates, not as a bare milestone.
    let o = lotwise(
        &ws,
        &[
            "lots",
            "milestone",
            "2",
            "--key",
            "contract_signed",
            "--planned",
            "2027-06-01",
            "--actual",
            "2027-06-01",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("award dates"), "{}", stderr(&o));
    assert!(
        lotwise(
            &ws,
            &[
                "lots",
                "milestone",
                "2",
                "--key",
                "contract_signed",
                "--planned",
                "2027-06-01"
            ]
        )
        .status
        .success()
    );
}

/// The demo's lot 5 (West Kent specialist services) is at award with signed-off results.
#[test]
fn psr_representations_keep_the_standstill_open_until_five_working_days_after_the_decision() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let run = |args: &[&str]| {
        let o = lotwise(&ws, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap()
    };
    // Notice of intention Monday 23 November 2026: the standstill begins Tuesday 24th and
    // ends at midnight at the end of Friday 4 December (the 8th working day after the 24th;
    // St Andrew's Day is not an English holiday).
    let v = run(&[
        "award",
        "dates",
        "5",
        "--regime",
        "psr",
        "--notice-published",
        "23/11/2026",
        "--json",
    ]);
    let t = &v["timeline"];
    assert_eq!(t["standstill"]["firstDay"], "2026-11-24");
    assert_eq!(t["standstill"]["lastDay"], "2026-12-04");
    // A representation on 30 November: open until the further decision.
    let v = run(&[
        "award",
        "representation",
        "5",
        "--received",
        "30/11/2026",
        "--from",
        "Unsuccessful Provider CIC",
        "--summary",
        "Question 2 was scored against unpublished criteria",
        "--json",
    ]);
    assert_eq!(
        v["timeline"]["contractMayBeEnteredFrom"],
        serde_json::Value::Null
    );
    assert!(
        v["contractMissing"][0]
            .as_str()
            .unwrap()
            .contains("further decision"),
        "{}",
        v["contractMissing"]
    );
    // Signing now is refused.
    let o = lotwise(
        &ws,
        &[
            "award",
            "dates",
            "5",
            "--regime",
            "psr",
            "--notice-published",
            "23/11/2026",
            "--contract-signed",
            "04/12/2026",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("further decision"), "{}", stderr(&o));
    // The further decision, communicated Thursday 3 December: 5 working days later is
    // Thursday 10 December; the contract may be entered into from Friday 11th.
    let v = run(&[
        "award",
        "further-decision",
        "5",
        "--communicated",
        "03/12/2026",
        "--decision",
        "proceed",
        "--reasons",
        "The panel reviewed Q2 against the published descriptors",
        "--json",
    ]);
    assert_eq!(v["timeline"]["standstillExtendedTo"], "2026-12-10");
    assert_eq!(v["timeline"]["contractMayBeEnteredFrom"], "2026-12-11");
    let o = lotwise(&ws, &["award", "show", "5"]);
    assert!(stdout(&o).contains("reg 12(10)"), "{}", stdout(&o));
    // Both were audited.
    let log = stdout(&lotwise(&ws, &["audit", "log", "--limit", "5"]));
    assert!(
        log.contains("award.representation_recorded")
            && log.contains("award.further_decision_recorded"),
        "{log}"
    );
}

#[tokio::test]
async fn uk7_is_counted_from_the_signature_not_the_service_start() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    lotwise::ops::demo::create(&ctx).await.unwrap();
    let lot = LotId(5);
    // Standstill under the Act from Monday 23 November 2026: St Andrew's Day (Monday 30th,
    // a Scottish bank holiday) is skipped (s123), so day 8 is Thursday 3 December.
    let v = award::set_dates(
        &ctx,
        SetAwardDates {
            lot_id: lot,
            regime: "pa2023".into(),
            voluntary_standstill: false,
            notice_published: Some("23/11/2026".into()),
            contract_signed: Some("04/12/2026".into()),
        },
    )
    .await
    .unwrap();
    let t = v.timeline.unwrap();
    assert_eq!(
        t.standstill.as_ref().unwrap().last_day.to_string(),
        "2026-12-03"
    );
    assert_eq!(t.contract_signed.unwrap().to_string(), "2026-12-04");
    // 30 days beginning with 4 December (day 1): due by 2 January 2027.
    assert_eq!(
        t.contract_details_notice_due.unwrap().to_string(),
        "2027-01-02"
    );
    // The signature is the lot's contract_signed milestone too.
    let l = lots::show(&ctx, lot).await.unwrap();
    let m = l
        .milestones
        .iter()
        .find(|m| m.key.as_deref() == Some("contract_signed"))
        .unwrap();
    assert_eq!(m.actual.unwrap().to_string(), "2026-12-04");
    // Representations belong to a PSR standstill only.
    let e = award::record_representation(
        &ctx,
        RecordRepresentation {
            lot_id: lot,
            received_on: "20/11/2026".into(),
            provider: "A provider".into(),
            summary: "A complaint about the scoring".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("Provider Selection Regime"),
        "{}",
        e.message
    );
    let e = award::record_further_decision(
        &ctx,
        RecordFurtherDecision {
            lot_id: lot,
            communicated_on: "20/11/2026".into(),
            decision: "maybe".into(),
            reasons: "x".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("decision"));
}
