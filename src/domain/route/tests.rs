use chrono::{NaiveDate, Utc};

use super::notices::{self, NoticeKind};
use super::time_limits::{self, TenderDates};
use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn choice(route: Route) -> RouteChoice {
    RouteChoice {
        route,
        reason: "Chosen after the market engagement sessions".into(),
        justification: None,
        authority: Authority::SubCentral,
        kind: ContractKind::Services,
        vat_chargeable: false,
        electronic: true,
        documents_with_notice: true,
        urgency: None,
        decided_by: "officer".into(),
        decided_at: Utc::now(),
    }
}

fn facts(annual_pounds: i64, term: &str) -> LotValueFacts {
    LotValueFacts {
        annual: Some(Money::from_pounds(annual_pounds)),
        term: Some(Term::parse(term).unwrap()),
        measured_on: d(2026, 11, 25),
        engagement_held: true,
        period: time_limits::PeriodFacts {
            tender_notice: Some(d(2026, 11, 25)),
            planned_notice: None,
        },
    }
}

#[test]
fn exactly_at_the_light_touch_threshold_is_above_it() {
    // £663,540 over one year, no VAT: exactly the threshold.
    let a = assess(choice(Route::LightTouch), &facts(663_540, "1"));
    let t = a.value.as_ref().unwrap().threshold.as_ref().unwrap();
    assert!(t.applies);
    assert!(
        a.outcome
            .contains("exactly at the light-touch threshold of £663,540"),
        "{}",
        a.outcome
    );
    assert!(a.outcome.ends_with("light-touch rules apply"));
    // A penny less is below.
    let mut f = facts(0, "1");
    f.annual = Some(Money::from_pence(66_353_999));
    let a = assess(choice(Route::LightTouch), &f);
    assert!(!a.value.unwrap().threshold.unwrap().applies);
    assert!(a.outcome.contains("below the light-touch threshold"));
}

#[test]
fn vat_is_added_before_the_test() {
    // £180,000 net over one year is below £207,720; with 20% VAT it is £216,000, above.
    let mut c = choice(Route::Open);
    let net = assess(c.clone(), &facts(180_000, "1"));
    assert!(!net.value.unwrap().threshold.unwrap().applies);
    c.vat_chargeable = true;
    let gross = assess(c, &facts(180_000, "1"));
    let v = gross.value.unwrap();
    assert_eq!(v.including_vat, Money::from_pounds(216_000));
    assert_eq!(v.vat, "20%");
    assert!(v.threshold.unwrap().applies);
    // Exactly at: £173,100 net plus 20% = £207,720.
    let mut c = choice(Route::Open);
    c.vat_chargeable = true;
    let at = assess(c, &facts(173_100, "1"));
    assert!(at.outcome.contains("exactly at the threshold for goods and services bought by sub-central authorities of £207,720"), "{}", at.outcome);
}

#[test]
fn the_whole_term_with_extensions_is_counted() {
    // £100,000 a year for 1+1: £200,000, below; for 1+1+1: £300,000, above.
    assert!(
        !assess(choice(Route::Open), &facts(100_000, "1+1"))
            .value
            .unwrap()
            .threshold
            .unwrap()
            .applies
    );
    let a = assess(choice(Route::Open), &facts(100_000, "1+1+1"));
    assert_eq!(
        a.value.as_ref().unwrap().including_vat,
        Money::from_pounds(300_000)
    );
    assert!(a.outcome.contains("3 years"), "{}", a.outcome);
}

#[test]
fn thresholds_either_side_of_1_january_2026() {
    // £210,000 is below the Act's first figure (£214,904, from 24 February 2025) and above
    // the SI 2025/1200 figure (£207,720) for procurements begun on or after 1 January 2026.
    let mut f = facts(210_000, "1");
    f.measured_on = d(2025, 12, 31);
    let a = assess(choice(Route::Open), &f);
    let t = a.value.as_ref().unwrap().threshold.clone().unwrap();
    assert!(!t.applies);
    assert_eq!(t.amount, Money::from_pounds(214_904));
    assert_eq!(t.table_from, d(2025, 2, 24));
    assert!(
        a.outcome.contains(
            "Procurement Act 2023, Schedule 1, for procurements begun on or after 24 February 2025"
        ),
        "{}",
        a.outcome
    );
    f.measured_on = d(2026, 1, 1);
    let a = assess(choice(Route::Open), &f);
    let t = a.value.as_ref().unwrap().threshold.clone().unwrap();
    assert!(t.applies);
    assert_eq!(t.amount, Money::from_pounds(207_720));
    assert!(t.source.contains("SI 2025/1200"), "{}", t.source);
    let mut c = choice(Route::Open);
    c.authority = Authority::Central;
    f.annual = Some(Money::from_pounds(135_018));
    assert!(
        assess(c.clone(), &f)
            .value
            .unwrap()
            .threshold
            .unwrap()
            .applies
    );
    c.kind = ContractKind::Works;
    assert!(!assess(c, &f).value.unwrap().threshold.unwrap().applies);
}

#[test]
fn before_the_act_the_2015_regulations_applied() {
    let mut f = facts(1_000_000, "5");
    f.measured_on = d(2025, 2, 23);
    let a = assess(choice(Route::Open), &f);
    assert!(
        a.outcome.contains("Public Contracts Regulations 2015"),
        "{}",
        a.outcome
    );
    assert_eq!(a.min_tendering_days, None);
    f.measured_on = d(2025, 2, 24);
    assert_eq!(assess(choice(Route::Open), &f).min_tendering_days, Some(25));
}

#[test]
fn psr_has_no_threshold_and_its_own_notices() {
    let a = assess(choice(Route::PsrCompetitive), &facts(1_000, "1"));
    assert!(a.value.unwrap().threshold.is_none());
    assert!(a.outcome.contains("no value threshold"));
    assert_eq!(
        a.notices,
        vec![
            NoticeKind::PsrContract,
            NoticeKind::PsrIntention,
            NoticeKind::PsrConfirmation
        ]
    );
    assert_eq!(a.min_tendering_days, None);
    let a = assess(choice(Route::PsrDirectA), &facts(1_000, "1"));
    assert_eq!(a.notices, vec![NoticeKind::PsrDirectAward]);
    assert!(a.problems.iter().any(|p| p.contains("justification")));
}

fn period(c: &RouteChoice, f: &LotValueFacts) -> time_limits::TenderingPeriod {
    assess(c.clone(), f)
        .tendering_period
        .expect("a competed route")
}

#[test]
fn each_row_of_the_s54_4_table() {
    let f = facts(1_000_000, "5");
    for (electronic, documents, row, days) in [
        (true, true, 7, 25),
        (true, false, 8, 30),
        (false, true, 9, 30),
        (false, false, 10, 35),
    ] {
        let mut c = choice(Route::Open);
        c.electronic = electronic;
        c.documents_with_notice = documents;
        let p = period(&c, &f);
        assert_eq!(p.min_days, Some(days), "row {row}");
        assert_eq!(
            p.provision,
            format!("Procurement Act 2023, s54(4), row {row}")
        );
        // The tender notice is 25 November 2026: day 1 is the 26th (s54(5)).
        assert_eq!(
            p.earliest_deadline,
            Some(d(2026, 11, 25) + chrono::Days::new(u64::from(days)))
        );
    }
    // Light touch: row 1, no minimum.
    let p = period(&choice(Route::LightTouch), &f);
    assert_eq!(p.min_days, None);
    assert_eq!(p.provision, "Procurement Act 2023, s54(4), row 1");
    // Below threshold: s87(6), reasonable and the same for each supplier.
    let p = period(&choice(Route::Open), &facts(10_000, "1"));
    assert_eq!(p.min_days, None);
    assert_eq!(p.provision, "Procurement Act 2023, s87(6)");
    assert!(p.row.contains("reasonable and the same for each supplier"));
    // PSR and framework call-offs: no statutory minimum, said so.
    assert!(
        period(&choice(Route::PsrCompetitive), &f)
            .provision
            .contains("SI 2023/1348")
    );
    assert_eq!(period(&choice(Route::FrameworkCallOff), &f).min_days, None);
    assert!(
        assess(choice(Route::DirectAward), &f)
            .tendering_period
            .is_none()
    );
}

#[test]
fn urgency_is_a_reasoned_choice_of_its_own() {
    let f = facts(1_000_000, "5");
    let mut c = choice(Route::Open);
    c.electronic = false;
    c.documents_with_notice = false;
    c.urgency = Some("A provider failed and the service must continue from April".into());
    let p = period(&c, &f);
    assert_eq!(p.min_days, Some(10));
    assert_eq!(p.provision, "Procurement Act 2023, s54(4), row 5");
    assert_eq!(p.rows_applying.len(), 2, "{:?}", p.rows_applying);
    c.urgency = Some("urgent".into());
    assert!(assess(c, &f).problems.iter().any(|p| p.contains("urgency")));
}

#[test]
fn a_planned_procurement_notice_qualifies_only_inside_the_s15_3_window() {
    let tender = d(2026, 11, 25);
    let mut f = facts(1_000_000, "5");
    let with_uk3 = |published: NaiveDate, f: &mut LotValueFacts| {
        f.period.planned_notice = Some(published);
        period(&choice(Route::Open), f)
    };
    // 39 days before: does not qualify.
    let p = with_uk3(tender - chrono::Days::new(39), &mut f);
    assert_eq!(p.min_days, Some(25));
    let t = p.planned_notice.unwrap();
    assert!(!t.qualifies);
    assert!(
        t.reason
            .contains("published 39 days before the tender notice"),
        "{}",
        t.reason
    );
    assert!(t.reason.ends_with("(s15(3))"), "{}", t.reason);
    // 40 days before: qualifies, row 4, 10 days.
    let p = with_uk3(tender - chrono::Days::new(40), &mut f);
    assert_eq!(p.min_days, Some(10));
    assert_eq!(p.provision, "Procurement Act 2023, s54(4), row 4");
    assert!(p.planned_notice.unwrap().qualifies);
    // Exactly 12 months before: qualifies; 12 months and a day: does not.
    let p = with_uk3(d(2025, 11, 25), &mut f);
    assert!(p.planned_notice.unwrap().qualifies);
    assert_eq!(p.min_days, Some(10));
    let p = with_uk3(d(2025, 11, 24), &mut f);
    let t = p.planned_notice.unwrap();
    assert!(!t.qualifies);
    assert!(t.reason.contains("more than 12 months"), "{}", t.reason);
    assert_eq!(p.min_days, Some(25));
    // After the tender notice: it cannot shorten anything.
    assert!(
        !with_uk3(d(2026, 11, 26), &mut f)
            .planned_notice
            .unwrap()
            .qualifies
    );
}

#[test]
fn tender_dates_are_checked_against_the_minimum() {
    let dates = TenderDates {
        notice: Some(d(2026, 10, 1)),
        clarification: Some(d(2026, 10, 15)),
        submission: Some(d(2026, 10, 26)),
    };
    let mut f = facts(1_000_000, "5");
    f.period.tender_notice = Some(d(2026, 10, 1));
    let p = period(&choice(Route::Open), &f);
    let checks = time_limits::check(Some(&p), dates);
    assert!(checks.iter().all(|c| c.ok), "{checks:?}");
    assert!(
        checks[0].message.contains("s54(4), row 7"),
        "{}",
        checks[0].message
    );
    let short = time_limits::check(
        Some(&p),
        TenderDates {
            submission: Some(d(2026, 10, 25)),
            ..dates
        },
    );
    assert!(!short[0].ok);
    assert!(short[0].message.contains("24 days"), "{}", short[0].message);
    assert!(short[0].message.contains("on or after 26 October 2026"));
    let late_clar = time_limits::check(
        None,
        TenderDates {
            clarification: Some(d(2026, 10, 27)),
            ..dates
        },
    );
    assert!(late_clar[0].ok && !late_clar[1].ok);
}

#[test]
fn notices_follow_the_route_and_the_engagement() {
    use NoticeKind::*;
    assert_eq!(
        notices::required(Route::Open, Some(true), true),
        vec![Uk2, Uk3, Uk4, Uk6, Uk7]
    );
    assert_eq!(
        notices::required(Route::Open, Some(true), false),
        vec![Uk3, Uk4, Uk6, Uk7]
    );
    assert_eq!(
        notices::required(Route::Open, Some(false), true),
        vec![Uk4, Uk7]
    );
    assert_eq!(
        notices::required(Route::DirectAward, Some(true), false),
        vec![Uk5, Uk6, Uk7]
    );
    assert_eq!(notices::required(Route::Section75, None, true), vec![]);
    let dates = notices::NoticeDates {
        tender_notice: Some(d(2026, 10, 1)),
        award_decision: Some(d(2027, 1, 10)),
        contract_signed: Some(d(2027, 2, 1)),
        contract_start: Some(d(2027, 4, 1)),
    };
    assert_eq!(
        notices::deadline(Uk2, Route::Open, dates).0,
        Some(d(2026, 9, 30))
    );
    // UK7: 30 days beginning with the signature (day 1), not the service start (s53(1)).
    let (due, rule) = notices::deadline(Uk7, Route::Open, dates);
    assert_eq!(due, Some(d(2027, 3, 2)));
    assert!(rule.contains("s53(1)(b)"), "{rule}");
    assert_eq!(
        notices::deadline(Uk7, Route::LightTouch, dates).0,
        Some(d(2027, 5, 31)),
        "120 days beginning with 1 February 2027"
    );
    // The UK3's last qualifying day: 40 days before the tender notice.
    assert_eq!(
        notices::deadline(Uk3, Route::Open, dates).0,
        Some(d(2026, 8, 22))
    );
    // No signature planned: no UK7 date, whatever the service start.
    let unsigned = notices::NoticeDates {
        contract_signed: None,
        ..dates
    };
    assert_eq!(notices::deadline(Uk7, Route::Open, unsigned).0, None);
}
