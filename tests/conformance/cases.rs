//! The cases every backend passes. Each takes a fresh, empty workspace.
use lotwise::domain::allocation::{Area, AreaLot, Share, allocate};
use lotwise::domain::audit::{AuditVerification, verify};
use lotwise::domain::award::{
    AwardDates, AwardRegime, FurtherDecisionKind, PackDecision, PackManifest,
};
use lotwise::domain::engagement::{Attendee, EngagementQuestion, EventFormat};
use lotwise::domain::eval::model::template;
use lotwise::domain::eval::{ConsensusEntry, EvalScope, PanelRole, Reopening, ScoreEntry};
use lotwise::domain::finance::FinancialYear;
use lotwise::domain::finance::budget::Arrangement;
use lotwise::domain::finance::savings::{SavingsTarget, Target};
use lotwise::domain::ids::{BidId, LotId, PaperId};
use lotwise::domain::money::Money;
use lotwise::domain::paper::{Edition, PaperDraft, PaperKind};
use lotwise::domain::registers::OrganisationKind;
use lotwise::domain::route::notices::{NoticeKind, PublishedNotice};
use lotwise::domain::route::{Authority, ContractKind, Route, RouteChoice};
use lotwise::domain::spec::{CommentSource, SpecSection};
use lotwise::domain::stage::Stage;
use lotwise::domain::tender::LateDecision;
use lotwise::domain::term::{OptionStatus, Term};
use lotwise::domain::tupe::obligations::{
    ObligationRecord, ObligationStatus, SpcAssessment, TupePlan,
};
use lotwise::domain::tupe::staff::{ContractType, PensionScheme, StaffMember};
use lotwise::store::*;

use crate::fixture::{Backend, day, now, w};

fn sha(bytes: &[u8]) -> String {
    lotwise::domain::kept::sha256(bytes)
}

pub async fn registers_keep_and_find(b: &Backend) {
    let mut tx = b.begin().await;
    assert!(tx.registers().is_empty().await.unwrap());
    let kent = tx
        .registers()
        .insert_organisation(&NewOrganisation {
            name: "Kent County Council".into(),
            kind: OrganisationKind::CountyCouncil,
        })
        .await
        .unwrap();
    let icb = tx
        .registers()
        .insert_organisation(&NewOrganisation {
            name: "NHS Kent and Medway ICB".into(),
            kind: OrganisationKind::IntegratedCareBoard,
        })
        .await
        .unwrap();
    let age_uk = tx
        .registers()
        .insert_supplier(&NewSupplier {
            name: "Age UK Canterbury".into(),
            companies_house_number: None,
            charity_number: Some("1080250".into()),
        })
        .await
        .unwrap();
    tx.registers()
        .insert_supplier(&NewSupplier {
            name: "Porchlight".into(),
            companies_house_number: None,
            charity_number: None,
        })
        .await
        .unwrap();
    let p = tx
        .registers()
        .insert_procurement(&NewProcurement {
            reference: "KCC-2026-014".into(),
            title: "Community Navigation".into(),
            service: "Adult social care".into(),
            commissioners: vec![icb.id, kent.id],
            budget: vec![(FinancialYear(2027), Money::from_pounds(1_462_000))],
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut r = b.read().await;
    assert!(!r.registers().is_empty().await.unwrap());
    let orgs = r.registers().organisations().await.unwrap();
    assert_eq!(orgs.len(), 2);
    let found = r.registers().procurement(p).await.unwrap().unwrap();
    assert_eq!(
        found.commissioners.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![icb.id, kent.id],
        "the lead commissioner stays first"
    );
    assert_eq!(found.budget[0].amount, Money::from_pounds(1_462_000));
    assert_eq!(r.registers().procurements().await.unwrap().len(), 1);
    assert_eq!(
        r.registers()
            .supplier_by_numbers(None, Some("1080250"))
            .await
            .unwrap(),
        Some(age_uk.id)
    );
    assert!(
        r.registers()
            .unregistered_supplier_named("porchlight")
            .await
            .unwrap()
            .is_some(),
        "names are matched without regard to case"
    );
    assert!(
        r.registers()
            .unregistered_supplier_named("Age UK Canterbury")
            .await
            .unwrap()
            .is_none(),
        "a registered supplier is found by its number, not its name"
    );
    assert_eq!(r.registers().suppliers().await.unwrap().len(), 2);
}

pub async fn contracts_keep_their_options(b: &Backend) {
    let mut tx = b.begin().await;
    let sup = tx
        .registers()
        .insert_supplier(&NewSupplier {
            name: "Porchlight".into(),
            companies_house_number: None,
            charity_number: None,
        })
        .await
        .unwrap();
    let id = tx
        .contracts()
        .insert_contract(&ContractRow {
            reference: "C-001".into(),
            title: "Community Navigation".into(),
            service: "Adult social care".into(),
            provider: sup.id,
            commissioner: None,
            annual_value: Money::from_pounds(1_462_000),
            start: day(2024, 4, 1),
            term: Term::parse("3+1+1").unwrap(),
            option_statuses: vec![OptionStatus::Available, OptionStatus::Available],
            notice_period_months: 3,
        })
        .await
        .unwrap();
    tx.contracts()
        .set_option_statuses(id, &[OptionStatus::Taken, OptionStatus::Available])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    let c = r.contracts().contract(id).await.unwrap().unwrap();
    assert_eq!(c.provider.name, "Porchlight");
    assert_eq!(
        c.option_statuses,
        vec![OptionStatus::Taken, OptionStatus::Available]
    );
    assert_eq!(c.annual_value, Money::from_pounds(1_462_000));
    assert_eq!(r.contracts().contracts().await.unwrap().len(), 1);
}

pub async fn lots_records_board_and_milestones(b: &Backend) {
    let (p, lot) = b.lot(Stage::MarketEngagement).await;
    let mut tx = b.begin().await;
    let second = tx
        .lots()
        .insert(&NewLot {
            procurement: p,
            reference: "Lot 2".into(),
            title: "West Kent".into(),
            geography: "West Kent".into(),
            estimated_annual_value: Some(Money::from_pounds(900_000)),
            term: Some(Term::parse("5+2").unwrap()),
            replaces_contract: None,
            parts: vec![
                ("A".into(), "Navigation".into()),
                ("B".into(), "Carers".into()),
            ],
            stage: Stage::MarketEngagement,
        })
        .await
        .unwrap();
    let done = MilestoneInput {
        key: Some("market_engagement_event".into()),
        title: "Market engagement event".into(),
        planned: day(2026, 10, 1),
        actual: Some(day(2026, 10, 2)),
    };
    let open = MilestoneInput {
        key: Some("tender_notice".into()),
        title: "Tender notice".into(),
        planned: day(2027, 1, 15),
        actual: None,
    };
    tx.lots().insert_milestone(second, &done).await.unwrap();
    let m = tx.lots().insert_milestone(second, &open).await.unwrap();
    tx.lots()
        .update_milestone(
            m,
            &MilestoneInput {
                planned: day(2027, 2, 1),
                ..open.clone()
            },
        )
        .await
        .unwrap();
    tx.lots()
        .set_stage(second, Stage::DraftSpecification, None)
        .await
        .unwrap();
    tx.lots()
        .record_stage_change(
            second,
            Some(Stage::MarketEngagement),
            Stage::DraftSpecification,
            None,
            &w("ann"),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut r = b.read().await;
    let rec = r.lots().lot(second).await.unwrap().unwrap();
    assert_eq!(rec.stage, Stage::DraftSpecification);
    assert_eq!(rec.parts.len(), 2);
    assert_eq!(rec.parts[0].code, "A", "parts keep their order");
    assert_eq!(rec.milestones.len(), 2);
    assert_eq!(rec.history.len(), 1);
    assert_eq!(rec.history[0].actor, "ann");
    let tn = r
        .lots()
        .milestone_by_key(second, "tender_notice")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tn.planned, day(2027, 2, 1));
    assert_eq!(
        r.lots().stage(lot).await.unwrap(),
        Some(Stage::MarketEngagement)
    );
    assert_eq!(r.lots().stage(LotId(9_999)).await.unwrap(), None);
    assert!(r.lots().lot(LotId(9_999)).await.unwrap().is_none());
    assert_eq!(r.lots().in_procurement(p).await.unwrap(), vec![lot, second]);
    assert_eq!(r.lots().names().await.unwrap().len(), 2);
    let board = r.lots().board().await.unwrap();
    let card = board.iter().find(|l| l.id == second).unwrap();
    assert_eq!(card.part_codes, vec!["A", "B"]);
    assert_eq!(
        card.open_milestones,
        vec![("Tender notice".to_string(), day(2027, 2, 1))],
        "only open milestones reach the board"
    );
}

pub async fn audit_chain_links_every_event(b: &Backend) {
    let (_, lot) = b.lot(Stage::MarketEngagement).await;
    let mut tx = b.begin().await;
    for i in 0..5 {
        tx.audit()
            .append(
                NewAuditEvent::new(&w("ann"), "test.event", "lot", Some(lot.0))
                    .after(&serde_json::json!({ "n": i, "text": "£1,462,000 — “quoted”" })),
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    let chain = r.audit().chain().await.unwrap();
    assert_eq!(chain.len(), 5);
    match verify(&chain) {
        AuditVerification::Ok { length, head } => {
            assert_eq!(length, 5);
            let (seq, hash) = r.audit().head().await.unwrap();
            assert_eq!(seq, 5);
            assert_eq!(hash, head);
            assert_eq!(r.audit().hash_at(seq).await.unwrap(), Some(head));
        }
        broken => panic!("the chain does not verify: {broken:?}"),
    }
    let page = r.audit().page(0, 2).await.unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(page.events.len(), 2);
    assert!(page.events[0].seq > page.events[1].seq, "newest first");
    assert_eq!(
        page.events[0].after.as_ref().unwrap()["text"],
        "£1,462,000 — “quoted”",
        "text is kept exactly"
    );
    assert_eq!(r.audit().lot_events(lot, 3).await.unwrap().len(), 3);
    assert_eq!(r.audit().hash_at(99).await.unwrap(), None);
}

pub async fn calendar_keeps_added_holidays(b: &Backend) {
    let ctx = b.ctx("ann");
    lotwise::ops::calendar::add_holiday(
        &ctx,
        "2027-06-07",
        "Coronation bank holiday",
        &["england-wales".to_string()],
        "Proclamation, 2027",
    )
    .await
    .unwrap();
    let extra = b.read().await.calendar().extra_holidays().await.unwrap();
    assert_eq!(extra.len(), 1);
    assert_eq!(extra[0].date, day(2027, 6, 7));
    assert_eq!(extra[0].name, "Coronation bank holiday");
}

pub async fn engagement_records(b: &Backend) {
    let (_, lot) = b.lot(Stage::MarketEngagement).await;
    let mut tx = b.begin().await;
    let e = tx
        .engagement()
        .insert_event(
            lot,
            &NewEngagementEvent {
                held_on: day(2026, 10, 2),
                format: EventFormat::Online,
                title: "Provider day".into(),
                agenda: "Scope, TUPE, timetable".into(),
            },
            &w("ann"),
        )
        .await
        .unwrap();
    tx.engagement()
        .insert_attendee(
            e,
            &Attendee {
                name: "Sam Patel".into(),
                organisation: "Porchlight".into(),
            },
        )
        .await
        .unwrap();
    tx.engagement()
        .insert_question(
            e,
            &EngagementQuestion {
                question: "Will TUPE apply?".into(),
                answer: "Likely; the staff list follows.".into(),
            },
        )
        .await
        .unwrap();
    tx.engagement()
        .insert_interest(
            lot,
            &NewInterest {
                organisation: "Age UK".into(),
                received_on: day(2026, 10, 5),
                consortium_with: vec!["Carers' Support".into()],
                note: String::new(),
            },
            &w("ann"),
        )
        .await
        .unwrap();
    tx.engagement()
        .set_no_engagement_reason(lot, "First reason given here", &w("ann"))
        .await
        .unwrap();
    tx.engagement()
        .set_no_engagement_reason(lot, "Second reason replaces it", &w("ann"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    let rec = r.engagement().records(lot).await.unwrap();
    assert_eq!(rec.events.len(), 1);
    assert_eq!(rec.events[0].attendees.len(), 1);
    assert_eq!(rec.events[0].questions.len(), 1);
    assert_eq!(rec.interests[0].consortium_with, vec!["Carers' Support"]);
    assert_eq!(
        rec.no_engagement_reason.as_deref(),
        Some("Second reason replaces it")
    );
    assert!(r.engagement().held_by(lot, day(2026, 10, 2)).await.unwrap());
    assert!(!r.engagement().held_by(lot, day(2026, 10, 1)).await.unwrap());
    assert_eq!(r.engagement().event_lot(e).await.unwrap(), Some(lot));
    assert_eq!(r.engagement().event_lot(e + 100).await.unwrap(), None);
}

fn sections(n: u32) -> Vec<SpecSection> {
    (1..=n)
        .map(|i| SpecSection {
            position: i,
            heading: format!("Section {i}"),
            body: format!("What the provider does, part {i}."),
        })
        .collect()
}

pub async fn specification_versions_and_comments(b: &Backend) {
    let (_, lot) = b.lot(Stage::DraftSpecification).await;
    let mut tx = b.begin().await;
    assert_eq!(tx.spec().newest(lot).await.unwrap(), None);
    tx.spec()
        .insert_version(lot, 1, "First draft", &sections(3), &w("ann"))
        .await
        .unwrap();
    tx.spec()
        .insert_version(lot, 2, "After market feedback", &sections(4), &w("ann"))
        .await
        .unwrap();
    tx.spec().approve(lot, 2, &w("head")).await.unwrap();
    tx.spec()
        .insert_comment(
            lot,
            &NewSpecComment {
                version: 1,
                position: 2,
                source: CommentSource::Market,
                author: "Sam Patel".into(),
                organisation: "Porchlight".into(),
                comment: "Say how referrals arrive.".into(),
                received_on: day(2026, 10, 9),
            },
            &w("ann"),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = b.begin().await;
    let comments = tx.spec().comments(lot).await.unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].heading, "Section 2");
    assert_eq!(
        tx.spec().response(lot, comments[0].id).await.unwrap(),
        Some(String::new())
    );
    tx.spec()
        .set_response(comments[0].id, "Accepted: section 2 now says so.")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut r = b.read().await;
    let versions = r.spec().versions(lot).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].sections.len(), 4);
    assert_eq!(versions[1].approved_by.as_deref(), Some("head"));
    assert_eq!(r.spec().newest(lot).await.unwrap(), Some((2, true)));
    assert_eq!(r.spec().approved(lot).await.unwrap(), Some(2));
    assert_eq!(
        r.spec().heading(lot, 2, 4).await.unwrap().as_deref(),
        Some("Section 4")
    );
    assert_eq!(r.spec().heading(lot, 1, 4).await.unwrap(), None);
    assert_eq!(
        r.spec().comments(lot).await.unwrap()[0].response,
        "Accepted: section 2 now says so."
    );
    assert_eq!(
        r.spec()
            .response(LotId(9_999), comments[0].id)
            .await
            .unwrap(),
        None
    );
}

fn route() -> RouteChoice {
    RouteChoice {
        route: Route::Open,
        reason: "Open procedure: a competitive market".into(),
        justification: None,
        authority: Authority::SubCentral,
        kind: ContractKind::Services,
        vat_chargeable: false,
        electronic: true,
        documents_with_notice: true,
        urgency: None,
        decided_by: "ann".into(),
        decided_at: now(),
    }
}

pub async fn route_records(b: &Backend) {
    let (_, lot) = b.lot(Stage::DraftSpecification).await;
    let mut tx = b.begin().await;
    assert!(tx.route().route(lot).await.unwrap().is_none());
    tx.route()
        .set_route(lot, &route(), &w("ann"))
        .await
        .unwrap();
    tx.route()
        .set_route(
            lot,
            &RouteChoice {
                route: Route::CompetitiveFlexible,
                ..route()
            },
            &w("ann"),
        )
        .await
        .unwrap();
    for (on, findings) in [
        (day(2026, 11, 1), "None identified"),
        (day(2026, 11, 20), "One, mitigated"),
    ] {
        tx.route()
            .insert_conflicts(
                lot,
                &NewConflictsAssessment {
                    assessed_on: on,
                    scope: "Panel and officers".into(),
                    findings: findings.into(),
                    mitigations: String::new(),
                },
                &w("ann"),
            )
            .await
            .unwrap();
    }
    tx.route()
        .set_section75_item(lot, "governance", true, "Board agreed")
        .await
        .unwrap();
    tx.route()
        .set_section75_item(lot, "governance", false, "Reopened")
        .await
        .unwrap();
    let notice = |on| PublishedNotice {
        kind: NoticeKind::Uk2,
        published_on: on,
        reference: "2026/S 000-123456".into(),
        recorded_by: "ann".into(),
    };
    tx.route()
        .publish_notice(lot, &notice(day(2026, 9, 1)), &w("ann"))
        .await
        .unwrap();
    tx.route()
        .publish_notice(lot, &notice(day(2026, 9, 2)), &w("ann"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    assert_eq!(
        r.route().route(lot).await.unwrap().unwrap().route,
        Route::CompetitiveFlexible,
        "the route is replaced"
    );
    let c = r.route().conflicts(lot).await.unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].findings, "One, mitigated", "newest first");
    assert_eq!(
        r.route().section75(lot).await.unwrap(),
        vec![("governance".to_string(), false, "Reopened".to_string())]
    );
    let n = r.route().notices(lot).await.unwrap();
    assert_eq!(n.len(), 1, "one record per notice kind");
    assert_eq!(n[0].published_on, day(2026, 9, 2));
}

pub async fn tender_records(b: &Backend) {
    let (_, lot) = b.lot(Stage::Tender).await;
    let mut tx = b.begin().await;
    tx.spec()
        .insert_version(lot, 1, "Final", &sections(2), &w("ann"))
        .await
        .unwrap();
    tx.spec().approve(lot, 1, &w("head")).await.unwrap();
    tx.tender().open(lot, 1, &w("ann")).await.unwrap();
    tx.tender().set_closing_time(lot, "14:00").await.unwrap();
    tx.tender()
        .insert_clarification(
            lot,
            1,
            &NewClarification {
                received_on: day(2026, 11, 20),
                asked_by: "Porchlight".into(),
                question: "Is the budget fixed?".into(),
            },
            &w("ann"),
        )
        .await
        .unwrap();
    tx.tender()
        .publish_clarification(lot, 1, "Yes: £1,462,000 a year.", day(2026, 11, 21))
        .await
        .unwrap();
    tx.tender()
        .insert_receipt(
            lot,
            &NewBidReceipt {
                supplier: "Porchlight".into(),
                registration_number: String::new(),
                members: String::new(),
                price: Money::from_pounds(1_395_000),
                received_at: day(2026, 11, 23).and_hms_opt(14, 5, 0).unwrap(),
            },
            &w("ann"),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = b.begin().await;
    let rec = tx.tender().records(lot).await.unwrap();
    let opened = rec.opened.unwrap();
    assert_eq!(opened.spec_version, 1);
    assert_eq!(opened.closing_time, "14:00");
    assert_eq!(rec.clarifications[0].published_on, Some(day(2026, 11, 21)));
    let receipt = rec.receipts[0].id;
    assert_eq!(rec.receipts[0].received_at.time().to_string(), "14:05:00");
    tx.tender()
        .decide_late(
            receipt,
            LateDecision::Accepted,
            "Portal outage log",
            &w("ann"),
        )
        .await
        .unwrap();
    // A bid to link the receipt to.
    let sup = tx
        .registers()
        .insert_supplier(&NewSupplier {
            name: "Porchlight".into(),
            companies_house_number: None,
            charity_number: None,
        })
        .await
        .unwrap();
    let bid = tx
        .eval()
        .insert_bid(lot, sup.id, Money::from_pounds(1_395_000))
        .await
        .unwrap();
    assert!(tx.tender().link_receipt(lot, receipt, bid).await.unwrap());
    assert!(
        !tx.tender().link_receipt(lot, receipt, bid).await.unwrap(),
        "a receipt goes to evaluation once"
    );
    tx.commit().await.unwrap();
    let rec = b.read().await.tender().records(lot).await.unwrap();
    assert_eq!(rec.receipts[0].decision, Some(LateDecision::Accepted));
    assert_eq!(rec.receipts[0].bid_id, Some(bid.0));
}

/// A lot at evaluation with a model, two bids and a panel of two evaluators and a
/// moderator, all declared without conflicts.
async fn evaluation(b: &Backend) -> (LotId, Vec<lotwise::domain::ids::BidId>, String) {
    let (_, lot) = b.lot(Stage::Evaluation).await;
    let model = template("standard").unwrap();
    let q = model.questions().next().unwrap().1.key.clone();
    let mut tx = b.begin().await;
    tx.eval().set_model(lot, &model).await.unwrap();
    tx.eval().set_approval(lot, Some(&w("head"))).await.unwrap();
    let mut bids = Vec::new();
    for name in ["Porchlight", "Age UK Canterbury"] {
        let s = tx
            .registers()
            .insert_supplier(&NewSupplier {
                name: name.into(),
                companies_house_number: None,
                charity_number: None,
            })
            .await
            .unwrap();
        bids.push(
            tx.eval()
                .insert_bid(lot, s.id, Money::from_pounds(1_400_000))
                .await
                .unwrap(),
        );
    }
    for (person, role) in [
        ("ann", PanelRole::Evaluator),
        ("bob", PanelRole::Evaluator),
        ("mo", PanelRole::Moderator),
    ] {
        tx.eval()
            .insert_panel_member(lot, person, role)
            .await
            .unwrap();
        tx.eval()
            .set_declaration(lot, person, now(), None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    (lot, bids, q)
}

fn score(bid: lotwise::domain::ids::BidId, q: &str, who: &str, n: u32) -> ScoreEntry {
    ScoreEntry {
        bid_id: bid,
        question: q.into(),
        evaluator: who.into(),
        score: n,
        justification: format!("{who}: the evidence in the answer supports {n}"),
        at: now(),
    }
}

pub async fn evaluation_records(b: &Backend) {
    let (lot, bids, q) = evaluation(b).await;
    let mut tx = b.begin().await;
    let head = tx.eval().head(lot).await.unwrap().unwrap();
    assert_eq!(head.stage, Stage::Evaluation);
    let (model, approval) = tx.eval().model(lot).await.unwrap().unwrap();
    assert_eq!(
        model,
        template("standard").unwrap(),
        "the model round-trips"
    );
    assert_eq!(approval.unwrap().by, "head");
    tx.eval()
        .save_score(lot, &score(bids[0], &q, "ann", 2))
        .await
        .unwrap();
    tx.eval()
        .save_score(lot, &score(bids[0], &q, "ann", 3))
        .await
        .unwrap();
    tx.eval()
        .save_score(lot, &score(bids[1], &q, "ann", 4))
        .await
        .unwrap();
    tx.eval()
        .insert_submission(lot, "ann", now())
        .await
        .unwrap();
    tx.eval()
        .save_consensus(
            lot,
            &ConsensusEntry {
                bid_id: bids[0],
                question: q.clone(),
                score: 3,
                reason: "Agreed on the evidence of the answer".into(),
                moderator: "mo".into(),
                at: now(),
            },
        )
        .await
        .unwrap();
    tx.eval().insert_signoff(lot, 1, "mo", now()).await.unwrap();
    tx.eval()
        .insert_reopening(
            lot,
            &Reopening {
                round: 2,
                by: "mo".into(),
                at: now(),
                reason: "A score was transposed".into(),
            },
        )
        .await
        .unwrap();
    let procurement = tx.lots().lot(lot).await.unwrap().unwrap().procurement;
    tx.eval()
        .set_award_limit(procurement, Some(2))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut r = b.read().await;
    assert_eq!(
        r.eval().head(lot).await.unwrap().unwrap().award_limit,
        Some(2)
    );
    assert_eq!(r.eval().bid_count(lot).await.unwrap(), 2);
    let panel = r.eval().panel(lot, 1).await.unwrap();
    let ann = panel.iter().find(|m| m.person == "ann").unwrap();
    assert!(ann.submitted_at.is_some());
    let mo = panel.iter().find(|m| m.person == "mo").unwrap();
    assert!(mo.signed_off_at.is_some(), "signed off in round 1");
    let round2 = r.eval().panel(lot, 2).await.unwrap();
    assert!(
        round2.iter().all(|m| m.signed_off_at.is_none()),
        "round 2 starts unsigned"
    );
    let mine = r.eval().scores_by(lot, &["ann".into()]).await.unwrap();
    assert_eq!(mine.len(), 2, "a score saved again replaces the last");
    assert_eq!(mine.iter().find(|s| s.bid_id == bids[0]).unwrap().score, 3);
    assert_eq!(
        r.eval().score_counts(lot).await.unwrap(),
        vec![("ann".to_string(), 2)]
    );
    assert_eq!(r.eval().consensus(lot).await.unwrap().len(), 1);
    assert_eq!(r.eval().reopenings(lot).await.unwrap()[0].round, 2);
    let bids_read = r.eval().bids(lot).await.unwrap();
    assert_eq!(bids_read.len(), 2);
    assert_eq!(
        bids_read[0].lead.name, "Age UK Canterbury",
        "ordered by name"
    );
    let sup = bids_read[0].lead.supplier_id;
    assert_eq!(
        r.eval().bid_from(lot, sup).await.unwrap(),
        Some(bids_read[0].id)
    );
    // One bid, as a save reads it: the same record as in the list, and only for its lot.
    for bid in &bids_read {
        let one = r.eval().bid(lot, bid.id).await.unwrap();
        assert_eq!(format!("{one:?}"), format!("{:?}", Some(bid)));
    }
    let other = LotId(lot.0 + 1_000);
    assert!(
        r.eval()
            .bid(other, bids_read[0].id)
            .await
            .unwrap()
            .is_none()
    );
    let none = BidId(bids_read[0].id.0.max(bids_read[1].id.0) + 1_000);
    assert!(r.eval().bid(lot, none).await.unwrap().is_none());
}

/// What a score save is checked against, read at once (on a team workspace in one
/// statement), is exactly what the separate reads return: the lot, its model, its
/// reopenings, the panel in the current round, and only the asked bids that are the lot's,
/// each with its consortium members.
pub async fn scoring_facts_are_the_separate_reads_at_once(b: &Backend) {
    let (lot, bids, _) = evaluation(b).await;
    let (_, other_lot) = b.lot(Stage::Evaluation).await;
    let mut tx = b.begin().await;
    let mut members = Vec::new();
    for (name, number) in [
        ("Canterbury Housing Trust", "01234567"),
        ("Ashford Advice", "07654321"),
    ] {
        members.push(
            tx.registers()
                .insert_supplier(&NewSupplier {
                    name: name.into(),
                    companies_house_number: Some(number.into()),
                    charity_number: None,
                })
                .await
                .unwrap()
                .id,
        );
    }
    for (position, supplier) in members.iter().enumerate() {
        tx.eval()
            .insert_bid_member(bids[1], *supplier, position as u32 + 1)
            .await
            .unwrap();
    }
    let elsewhere = tx
        .eval()
        .insert_bid(other_lot, members[0], Money::from_pounds(90_000))
        .await
        .unwrap();
    tx.eval()
        .insert_bid_member(elsewhere, members[1], 1)
        .await
        .unwrap();
    tx.eval()
        .insert_submission(lot, "ann", now())
        .await
        .unwrap();
    tx.eval().insert_signoff(lot, 1, "mo", now()).await.unwrap();
    tx.eval()
        .insert_reopening(
            lot,
            &Reopening {
                round: 2,
                by: "mo".into(),
                at: now(),
                reason: "A score was transposed".into(),
            },
        )
        .await
        .unwrap();
    tx.eval()
        .insert_signoff(lot, 2, "bob", now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut r = b.read().await;
    let missing = BidId(bids[0].0.max(bids[1].0).max(elsewhere.0) + 1_000);
    let asked = [bids[1], elsewhere, missing, bids[0]];
    let facts = r
        .eval()
        .scoring_facts(lot, &asked)
        .await
        .unwrap()
        .expect("the lot is there");
    let head = r.eval().head(lot).await.unwrap().unwrap();
    assert_eq!(format!("{:?}", facts.head), format!("{head:?}"));
    let model = r.eval().model(lot).await.unwrap();
    assert_eq!(format!("{:?}", facts.model), format!("{model:?}"));
    let reopenings = r.eval().reopenings(lot).await.unwrap();
    assert_eq!(reopenings.len(), 1);
    assert_eq!(format!("{:?}", facts.reopenings), format!("{reopenings:?}"));
    let panel = r.eval().panel(lot, 2).await.unwrap();
    assert_eq!(
        format!("{:?}", facts.panel),
        format!("{panel:?}"),
        "the panel with its submissions and the current round's sign-offs"
    );
    assert!(facts.panel.iter().any(|m| m.submitted_at.is_some()));
    let bob = facts.panel.iter().find(|m| m.person == "bob").unwrap();
    let mo = facts.panel.iter().find(|m| m.person == "mo").unwrap();
    assert!(bob.signed_off_at.is_some() && mo.signed_off_at.is_none());
    let all = r.eval().bids(lot).await.unwrap();
    assert_eq!(
        format!("{:?}", facts.bids),
        format!("{all:?}"),
        "both of the lot's bids, in the list's order; not another lot's, not one that is not there"
    );
    let consortium = facts.bids.iter().find(|b| b.id == bids[1]).unwrap();
    let names: Vec<&str> = consortium.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Canterbury Housing Trust", "Ashford Advice"]);

    // Only what is asked for.
    let one = r
        .eval()
        .scoring_facts(lot, &[bids[0]])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one.bids.len(), 1);
    assert_eq!(one.bids[0].id, bids[0]);
    assert!(one.bids[0].members.is_empty());
    // A lot with nothing yet, and no lot at all.
    let bare = r
        .eval()
        .scoring_facts(other_lot, &[bids[0], elsewhere])
        .await
        .unwrap()
        .unwrap();
    assert!(bare.model.is_none() && bare.reopenings.is_empty() && bare.panel.is_empty());
    assert_eq!(bare.bids.len(), 1);
    assert_eq!(bare.bids[0].id, elsewhere);
    assert_eq!(bare.bids[0].members.len(), 1);
    let nowhere = LotId(lot.0.max(other_lot.0) + 1_000);
    assert!(
        r.eval()
            .scoring_facts(nowhere, &[bids[0]])
            .await
            .unwrap()
            .is_none()
    );
    // Many bids at once, as a file of scores asks for.
    let many: Vec<BidId> = (0..20).map(|i| BidId(bids[0].0 + i)).collect();
    let found = r.eval().scoring_facts(lot, &many).await.unwrap().unwrap();
    let want: Vec<BidId> = all
        .iter()
        .map(|b| b.id)
        .filter(|id| many.contains(id))
        .collect();
    let got: Vec<BidId> = found.bids.iter().map(|b| b.id).collect();
    assert_eq!(got, want);
}

/// The blind rule is the domain's; the store returns only the authors it is given, and the
/// evaluation a viewer loads holds nothing the rule withholds.
pub async fn blind_read_returns_only_the_authors_named(b: &Backend) {
    let (lot, bids, q) = evaluation(b).await;
    let mut tx = b.begin().await;
    tx.eval()
        .save_score(lot, &score(bids[0], &q, "ann", 2))
        .await
        .unwrap();
    tx.eval()
        .save_score(lot, &score(bids[0], &q, "bob", 4))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    let only_bob = r.eval().scores_by(lot, &["bob".into()]).await.unwrap();
    assert_eq!(only_bob.len(), 1);
    assert!(only_bob.iter().all(|s| s.evaluator == "bob"));
    assert!(r.eval().scores_by(lot, &[]).await.unwrap().is_empty());
    drop(r);
    for (viewer, expect) in [
        ("ann", vec!["ann"]),
        ("bob", vec!["bob"]),
        ("mo", vec![]),
        ("officer", vec![]),
    ] {
        let st = lotwise::ops::eval::load::read(&b.ctx(viewer), lot, viewer, EvalScope::AllVisible)
            .await
            .unwrap();
        let mut seen: Vec<&str> = st.scores.iter().map(|s| s.evaluator.as_str()).collect();
        seen.dedup();
        assert_eq!(seen, expect, "{viewer} sees only what the rule allows");
    }
}

fn manifest(lot: LotId, paper: PaperId) -> PackManifest {
    PackManifest {
        lot_id: lot,
        lot_reference: "Lot 1".into(),
        built_at: now(),
        audit_head_seq: 0,
        audit_head_hash: lotwise::domain::audit::GENESIS.into(),
        paper_document_id: paper,
        entries: vec![],
        workspace: Some("0123456789abcdef".into()),
    }
}

pub async fn award_records(b: &Backend) {
    let (_, lot) = b.lot(Stage::Award).await;
    let mut tx = b.begin().await;
    let dates = AwardDates {
        regime: AwardRegime::Psr,
        voluntary_standstill: false,
        notice_published: Some(day(2026, 11, 2)),
        contract_signed: None,
    };
    tx.award().set_dates(lot, &dates, &w("ann")).await.unwrap();
    let signed = AwardDates {
        contract_signed: Some(day(2026, 12, 1)),
        ..dates.clone()
    };
    tx.award().set_dates(lot, &signed, &w("ann")).await.unwrap();
    let pdf = b"%PDF-1.7 pack one".to_vec();
    let new = NewAwardPack {
        number: 1,
        pages: 12,
        manifest: manifest(lot, PaperId(1)),
        bytes: pdf.clone(),
    };
    let p1 = tx
        .award()
        .insert_pack(lot, &new, &sha(&pdf), &w("ann"))
        .await
        .unwrap();
    let pdf2 = b"%PDF-1.7 pack two".to_vec();
    let p2 = tx
        .award()
        .insert_pack(
            lot,
            &NewAwardPack {
                number: 2,
                bytes: pdf2.clone(),
                ..new.clone()
            },
            &sha(&pdf2),
            &w("ann"),
        )
        .await
        .unwrap();
    tx.award()
        .insert_review(p2, PackDecision::Approved, &[], &w("legal"))
        .await
        .unwrap();
    tx.award()
        .insert_representation(lot, day(2026, 11, 5), "Age UK", "Scores misread", &w("ann"))
        .await
        .unwrap();
    tx.award()
        .insert_further_decision(
            lot,
            day(2026, 11, 12),
            FurtherDecisionKind::Proceed,
            "Checked",
            &w("ann"),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    assert_eq!(r.award().dates(lot).await.unwrap(), Some(signed));
    let packs = r.award().packs(lot).await.unwrap();
    assert_eq!(
        packs.iter().map(|p| p.number).collect::<Vec<_>>(),
        vec![2, 1],
        "newest first"
    );
    assert_eq!(
        packs[0].review.as_ref().unwrap().decision,
        PackDecision::Approved
    );
    assert!(packs[1].review.is_none());
    let (kept, bytes) = r.award().pack_bytes(p1).await.unwrap().unwrap();
    assert_eq!(bytes, pdf);
    assert_eq!(kept.sha256, sha(&pdf));
    assert_eq!(
        kept.manifest,
        manifest(lot, PaperId(1)),
        "the manifest round-trips"
    );
    assert_eq!(
        r.award()
            .pack_by_hash(&sha(&pdf2))
            .await
            .unwrap()
            .unwrap()
            .id,
        p2
    );
    assert!(
        r.award()
            .pack_by_hash(&sha(b"other"))
            .await
            .unwrap()
            .is_none()
    );
    let ss = r.award().standstill_records(lot).await.unwrap();
    assert_eq!(ss.representations.len(), 1);
    assert_eq!(
        ss.further_decisions[0].decision,
        FurtherDecisionKind::Proceed
    );
}

fn paper(draft_version: u32, bytes: &[u8]) -> NewPaperDocument {
    NewPaperDocument {
        draft_version,
        edition: Edition::Open,
        pages: 3,
        bytes: bytes.to_vec(),
        anchor_events: Some(1),
    }
}

pub async fn papers_keep_drafts_and_documents(b: &Backend) {
    let (_, lot) = b.lot(Stage::Award).await;
    let mut tx = b.begin().await;
    let mut draft = PaperDraft::default();
    draft
        .sections
        .insert("purpose".into(), "To award the contract.".into());
    tx.papers()
        .insert_draft(lot, PaperKind::Award, 1, &PaperDraft::default(), &w("ann"))
        .await
        .unwrap();
    tx.papers()
        .insert_draft(lot, PaperKind::Award, 2, &draft, &w("ann"))
        .await
        .unwrap();
    let id = tx
        .papers()
        .insert_document(
            lot,
            PaperKind::Award,
            1,
            &paper(2, b"%PDF paper"),
            &sha(b"%PDF paper"),
            &w("ann"),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    let drafts = r.papers().drafts(lot, PaperKind::Award).await.unwrap();
    assert_eq!(
        drafts.iter().map(|d| d.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(drafts[0].draft, draft, "the draft round-trips");
    let docs = r.papers().documents(lot).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, id);
    assert_eq!(docs[0].size_bytes, 10);
    let (doc, bytes) = r.papers().document_bytes(id).await.unwrap().unwrap();
    assert_eq!(bytes, b"%PDF paper");
    assert_eq!(doc.sha256, sha(b"%PDF paper"));
    assert!(
        r.papers()
            .document(PaperId(id.0 + 1))
            .await
            .unwrap()
            .is_none()
    );
}

fn person(reference: &str, pension: PensionScheme) -> StaffMember {
    StaffMember {
        reference: reference.into(),
        role: "Navigator".into(),
        grade: "Band 4".into(),
        annual_pay: Money::parse("£24,512.50").unwrap(),
        fte: "0.8".parse().unwrap(),
        hours: "29.6".parse().unwrap(),
        contract_type: ContractType::Permanent,
        service_start: day(2019, 4, 1),
        pension,
        location: "Canterbury".into(),
        assigned: true,
    }
}

pub async fn tupe_records(b: &Backend) {
    let (_, lot) = b.lot(Stage::Tender).await;
    let mut tx = b.begin().await;
    let plan = TupePlan {
        transfer_date: day(2027, 4, 1),
        outgoing: "Porchlight".into(),
        incoming: String::new(),
        assessment: SpcAssessment::Applies,
        notes: String::new(),
    };
    tx.tupe().set_plan(lot, &plan, &w("ann")).await.unwrap();
    tx.lots()
        .insert_milestone(
            lot,
            &MilestoneInput {
                key: Some("tender_notice".into()),
                title: "Tender notice".into(),
                planned: day(2026, 12, 1),
                actual: None,
            },
        )
        .await
        .unwrap();
    let staff = vec![
        person("E001", PensionScheme::Lgps),
        person("E002", PensionScheme::Other),
    ];
    tx.tupe()
        .insert_list(lot, 1, "staff-v1.csv", &staff[..1], &w("ann"))
        .await
        .unwrap();
    let l2 = tx
        .tupe()
        .insert_list(lot, 2, "staff-v2.csv", &staff, &w("ann"))
        .await
        .unwrap();
    let rec = ObligationRecord {
        key: "eli".into(),
        status: ObligationStatus::Done,
        evidence: "Received 2 March 2027".into(),
        updated_by: "ann".into(),
        updated_at: now(),
    };
    tx.tupe().set_obligation(lot, &rec).await.unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    assert_eq!(r.tupe().plan(lot).await.unwrap(), Some(plan));
    let lists = r.tupe().lists(lot).await.unwrap();
    assert_eq!(
        lists.iter().map(|l| l.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(lists[0].rows, 2);
    assert_eq!(
        r.tupe().staff(l2).await.unwrap(),
        staff,
        "staff round-trip, decimals and pence"
    );
    assert_eq!(
        r.tupe().obligation_records(lot).await.unwrap()[0].status,
        ObligationStatus::Done
    );
    let facts = r.tupe().board_facts().await.unwrap();
    let f = facts.iter().find(|f| f.lot == lot).unwrap();
    assert_eq!(f.tender_notice, Some(day(2026, 12, 1)));
    assert_eq!(f.list.as_ref().unwrap().version, 2);
    assert_eq!((f.staff.assigned, f.staff.lgps, f.staff.other), (2, 1, 1));
    assert_eq!(f.records.len(), 1);
}

pub async fn finance_records(b: &Backend) {
    let (p, lot) = b.lot(Stage::Tender).await;
    let fy = FinancialYear(2027);
    let mut tx = b.begin().await;
    let funder = tx.registers().organisations().await.unwrap()[0].id;
    tx.finance()
        .set_budget_line(
            BudgetOwner::Procurement(p),
            fy,
            Some(Money::from_pounds(2_000_000)),
        )
        .await
        .unwrap();
    tx.finance()
        .set_budget_line(
            BudgetOwner::Lot(lot),
            fy,
            Some(Money::from_pounds(1_000_000)),
        )
        .await
        .unwrap();
    tx.finance()
        .set_budget_line(BudgetOwner::Lot(lot), fy, None)
        .await
        .unwrap();
    let c = NewContribution {
        funder,
        financial_year: fy,
        amount: Money::from_pounds(250_000),
        arrangement: Arrangement::Pooled,
        purpose: "Carers' support".into(),
    };
    let id = tx.finance().set_contribution(p, &c).await.unwrap();
    let again = tx
        .finance()
        .set_contribution(
            p,
            &NewContribution {
                amount: Money::from_pounds(300_000),
                ..c.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(id, again, "one contribution per funder and year");
    let target = SavingsTarget {
        baseline: Money::from_pounds(8_165_000),
        target: Target::Percent("7.5".parse().unwrap()),
        years: 3,
        first_year: fy,
        notes: String::new(),
    };
    tx.finance().set_savings(p, Some(&target)).await.unwrap();
    let alloc = allocate(
        &[
            Area {
                name: "Canterbury".into(),
                population: 157_432,
            },
            Area {
                name: "Dover".into(),
                population: 116_969,
            },
        ],
        Share::Posts(10),
    )
    .unwrap();
    let areas = vec![
        AreaLot {
            area: "Canterbury".into(),
            lot_id: Some(lot),
        },
        AreaLot {
            area: "Dover".into(),
            lot_id: None,
        },
    ];
    tx.finance()
        .insert_allocation(p, "ONS mid-2024", &alloc, &areas, &w("ann"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = b.begin().await;
    assert_eq!(
        tx.finance()
            .budget_line(BudgetOwner::Procurement(p), fy)
            .await
            .unwrap(),
        Some(Money::from_pounds(2_000_000))
    );
    assert_eq!(
        tx.finance()
            .budget_line(BudgetOwner::Lot(lot), fy)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.finance()
            .contribution(p, funder, fy)
            .await
            .unwrap()
            .unwrap()
            .amount,
        Money::from_pounds(300_000)
    );
    assert_eq!(tx.finance().savings(p).await.unwrap(), Some(target.clone()));
    let rec = tx.finance().records(p).await.unwrap();
    assert_eq!(rec.contributions.len(), 1);
    assert_eq!(
        rec.allocations[0].allocation, alloc,
        "the allocation round-trips"
    );
    assert_eq!(rec.allocations[0].areas, areas, "in the order allocated");
    tx.finance().remove_contribution(id).await.unwrap();
    tx.finance().set_savings(p, None).await.unwrap();
    tx.commit().await.unwrap();
    let mut r = b.read().await;
    assert!(
        r.finance()
            .contribution_by_id(p, id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(r.finance().savings(p).await.unwrap().is_none());
}

pub async fn a_submitted_score_cannot_change(b: &Backend) {
    let (lot, bids, q) = evaluation(b).await;
    let mut tx = b.begin().await;
    tx.eval()
        .save_score(lot, &score(bids[0], &q, "ann", 2))
        .await
        .unwrap();
    tx.eval()
        .insert_submission(lot, "ann", now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = b.begin().await;
    assert!(
        tx.eval()
            .save_score(lot, &score(bids[0], &q, "ann", 5))
            .await
            .is_err(),
        "the workspace itself refuses to change a submitted score"
    );
    assert!(
        tx.eval()
            .save_score(lot, &score(bids[1], &q, "ann", 5))
            .await
            .is_err(),
        "or to add one after submission"
    );
    drop(tx);
    let kept = b
        .read()
        .await
        .eval()
        .scores_by(lot, &["ann".into()])
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].score, 2);
}

pub async fn an_approved_specification_cannot_change(b: &Backend) {
    let (_, lot) = b.lot(Stage::DraftSpecification).await;
    let mut tx = b.begin().await;
    tx.spec()
        .insert_version(lot, 1, "Final", &sections(2), &w("ann"))
        .await
        .unwrap();
    tx.spec().approve(lot, 1, &w("head")).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = b.begin().await;
    assert!(
        tx.spec().approve(lot, 1, &w("someone-else")).await.is_err(),
        "an approval is kept as made"
    );
    drop(tx);
    let mut tx = b.begin().await;
    assert!(
        tx.spec()
            .insert_version(lot, 1, "Replacement", &sections(1), &w("ann"))
            .await
            .is_err(),
        "a version number is written once"
    );
    drop(tx);
    let v = b.read().await.spec().versions(lot).await.unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].approved_by.as_deref(), Some("head"));
    assert_eq!(v[0].sections.len(), 2);
}

pub async fn a_kept_paper_or_pack_cannot_change(b: &Backend) {
    let (_, lot) = b.lot(Stage::Award).await;
    let mut tx = b.begin().await;
    tx.papers()
        .insert_draft(lot, PaperKind::Award, 1, &PaperDraft::default(), &w("ann"))
        .await
        .unwrap();
    let id = tx
        .papers()
        .insert_document(
            lot,
            PaperKind::Award,
            1,
            &paper(1, b"kept"),
            &sha(b"kept"),
            &w("ann"),
        )
        .await
        .unwrap();
    let new = NewAwardPack {
        number: 1,
        pages: 1,
        manifest: manifest(lot, id),
        bytes: b"pack".to_vec(),
    };
    let pack = tx
        .award()
        .insert_pack(lot, &new, &sha(b"pack"), &w("ann"))
        .await
        .unwrap();
    tx.award()
        .insert_review(pack, PackDecision::Returned, &[], &w("legal"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for attempt in 0..4 {
        let mut tx = b.begin().await;
        let refused = match attempt {
            0 => tx
                .papers()
                .insert_document(
                    lot,
                    PaperKind::Award,
                    1,
                    &paper(1, b"other"),
                    &sha(b"other"),
                    &w("eve"),
                )
                .await
                .is_err(),
            1 => tx
                .papers()
                .insert_draft(lot, PaperKind::Award, 1, &PaperDraft::default(), &w("eve"))
                .await
                .is_err(),
            2 => tx
                .award()
                .insert_pack(lot, &new, &sha(b"pack"), &w("eve"))
                .await
                .is_err(),
            _ => tx
                .award()
                .insert_review(pack, PackDecision::Approved, &[], &w("eve"))
                .await
                .is_err(),
        };
        assert!(
            refused,
            "attempt {attempt} to replace a kept record was accepted"
        );
    }
    let mut r = b.read().await;
    let (_, bytes) = r.papers().document_bytes(id).await.unwrap().unwrap();
    assert_eq!(bytes, b"kept");
    let p = r.award().pack(pack).await.unwrap().unwrap();
    assert_eq!(p.review.unwrap().decision, PackDecision::Returned);
}

pub async fn a_dropped_transaction_keeps_nothing(b: &Backend) {
    let mut tx = b.begin().await;
    tx.registers()
        .insert_organisation(&NewOrganisation {
            name: "Never kept".into(),
            kind: OrganisationKind::Other,
        })
        .await
        .unwrap();
    tx.audit()
        .append(NewAuditEvent::new(
            &w("ann"),
            "test.event",
            "organisation",
            None,
        ))
        .await
        .unwrap();
    drop(tx);
    let mut r = b.read().await;
    assert!(r.registers().organisations().await.unwrap().is_empty());
    assert_eq!(r.audit().head().await.unwrap().0, 0);
}

/// A use case that fails part-way leaves the workspace as it was: here a bids file whose
/// second line names a lot at the wrong stage, after the first line's supplier and bid were
/// written in the same transaction.
pub async fn a_failed_write_rolls_back_the_whole_use_case(b: &Backend) {
    let (_, open) = b.lot(Stage::Tender).await;
    let (_, closed) = b.lot(Stage::MarketEngagement).await;
    let ctx = b.ctx("ann");
    let before = b.read().await.audit().head().await.unwrap();
    let bid = |lot, name: &str, line| NewBid {
        line: Some(line),
        lot,
        lead: NewSupplier {
            name: name.into(),
            companies_house_number: None,
            charity_number: None,
        },
        members: vec![],
        price: Money::from_pounds(1_000_000),
    };
    let e = lotwise::ops::eval::record::import_bids(
        &ctx,
        &ctx.write_unchecked(),
        vec![bid(open, "Porchlight", 2), bid(closed, "Age UK", 3)],
    )
    .await
    .unwrap_err();
    assert!(e.message.starts_with("line 3:"), "{}", e.message);
    let mut r = b.read().await;
    assert_eq!(r.eval().bid_count(open).await.unwrap(), 0);
    assert!(r.registers().suppliers().await.unwrap().is_empty());
    assert_eq!(r.audit().head().await.unwrap(), before);
}

/// Two people editing one thing at once: the save started from an older version is refused
/// with `conflict`, naming who changed it, and nothing of it is kept. Checked for each thing
/// two people can edit at once: a milestone, the TUPE plan, the specification, a paper's
/// narrative and the evaluation model.
pub async fn a_stale_save_is_refused_naming_who_changed_it(b: &Backend) {
    use lotwise::error::ErrorCode;
    use lotwise::ops;
    let (_, lot) = b.lot(Stage::MarketEngagement).await;
    let (ann, bob) = (b.ctx("ann"), b.ctx("bob"));
    let audit_len = |b: &Backend| {
        let store = b.store.clone();
        async move { store.read().await.unwrap().audit().head().await.unwrap().0 }
    };
    let refused = |e: lotwise::error::Error| {
        assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
        assert!(
            e.message.contains(" was changed by bob at "),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("at 10:00 on 24 November 2026"),
            "{}",
            e.message
        );
    };

    // A milestone: both open it at version 0 (not yet planned); Bob saves first.
    let m = |planned: &str, v: Option<i64>| ops::lots::SetMilestone {
        lot_id: lot,
        key: Some("submission_deadline".into()),
        title: None,
        planned: planned.into(),
        actual: None,
        expected_version: v,
    };
    let shown = ops::lots::set_milestone(&bob, m("2027-01-15", Some(0)))
        .await
        .unwrap();
    let before = audit_len(b).await;
    refused(
        ops::lots::set_milestone(&ann, m("2027-02-01", Some(0)))
            .await
            .unwrap_err(),
    );
    assert_eq!(audit_len(b).await, before, "nothing of Ann's is kept");
    let v = shown.milestones[0].version;
    assert!(v > 0);
    let lot_now = ops::lots::show(&ann, lot).await.unwrap();
    assert_eq!(lot_now.milestones[0].planned, day(2027, 1, 15));
    // Reloaded, Ann's save from the current version goes ahead.
    ops::lots::set_milestone(&ann, m("2027-02-01", Some(v)))
        .await
        .unwrap();

    // The TUPE plan.
    let plan = |outgoing: &str, v: Option<i64>| ops::tupe::SetTupePlan {
        lot_id: lot,
        transfer_date: "2027-04-01".into(),
        outgoing: outgoing.into(),
        incoming: String::new(),
        assessment: "applies".into(),
        notes: String::new(),
        expected_version: v,
    };
    let t = ops::tupe::set_plan(&bob, plan("Kent Community Health", Some(0)))
        .await
        .unwrap();
    refused(
        ops::tupe::set_plan(&ann, plan("Age UK Canterbury", Some(0)))
            .await
            .unwrap_err(),
    );
    ops::tupe::set_plan(&ann, plan("Age UK Canterbury", Some(t.plan_version)))
        .await
        .unwrap();

    // The specification (numbered versions).
    let spec = |text: &str, based_on: Option<u32>| ops::spec::SaveSpec {
        lot_id: lot,
        text: text.into(),
        note: "First draft".into(),
        based_on,
    };
    ops::spec::save(
        &bob,
        spec("## Outcomes\nPeople stay well at home.", Some(0)),
    )
    .await
    .unwrap();
    refused(
        ops::spec::save(&ann, spec("## Outcomes\nFewer hospital stays.", Some(0)))
            .await
            .unwrap_err(),
    );
    assert_eq!(ops::spec::versions(&ann, lot).await.unwrap().len(), 1);

    // A paper's narrative (numbered versions).
    let view = ops::papers::view(&bob, lot, PaperKind::Procurement)
        .await
        .unwrap();
    let mut d = view.draft.clone();
    d.sections
        .insert("summary".into(), "Approval to procure.".into());
    ops::papers::save_from(&bob, lot, PaperKind::Procurement, d.clone(), Some(0))
        .await
        .unwrap();
    d.sections
        .insert("summary".into(), "Approval to go to market.".into());
    refused(
        ops::papers::save_from(&ann, lot, PaperKind::Procurement, d, Some(0))
            .await
            .unwrap_err(),
    );

    // The evaluation model.
    ops::eval::apply_template_from(&bob, lot, "standard", Some(0))
        .await
        .unwrap();
    refused(
        ops::eval::apply_template_from(&ann, lot, "psr", Some(0))
            .await
            .unwrap_err(),
    );
    let st = ops::eval::state(&ann, lot).await.unwrap();
    assert!(st.model_version > 0);
    ops::eval::apply_template_from(&ann, lot, "psr", Some(st.model_version))
        .await
        .unwrap();
}
