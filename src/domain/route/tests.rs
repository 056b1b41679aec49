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
        electronic_with_documents: true,
        reduced_period: false,
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
fn thresholds_come_from_the_table_in_force() {
    // £210,000 is below the 2024 figure (£214,904) and above the 2026 one (£207,720).
    let mut f = facts(210_000, "1");
    f.measured_on = d(2025, 6, 1);
    assert!(
        !assess(choice(Route::Open), &f)
            .value
            .unwrap()
            .threshold
            .unwrap()
            .applies
    );
    f.measured_on = d(2026, 1, 1);
    assert!(
        assess(choice(Route::Open), &f)
            .value
            .unwrap()
            .threshold
            .unwrap()
            .applies
    );
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

#[test]
fn minimum_tendering_days_per_route() {
    let f = facts(1_000_000, "5");
    assert_eq!(assess(choice(Route::Open), &f).min_tendering_days, Some(25));
    let mut c = choice(Route::CompetitiveFlexible);
    c.electronic_with_documents = false;
    assert_eq!(assess(c.clone(), &f).min_tendering_days, Some(30));
    c.reduced_period = true;
    assert_eq!(assess(c, &f).min_tendering_days, Some(10));
    assert_eq!(
        assess(choice(Route::LightTouch), &f).min_tendering_days,
        None
    );
    // Below threshold: no statutory minimum.
    assert_eq!(
        assess(choice(Route::Open), &facts(10_000, "1")).min_tendering_days,
        None
    );
    // Before the Act was in force: not checked.
    let mut old = f.clone();
    old.measured_on = d(2018, 10, 15);
    assert_eq!(assess(choice(Route::Open), &old).min_tendering_days, None);
}

#[test]
fn tender_dates_are_checked_against_the_minimum() {
    let dates = TenderDates {
        notice: Some(d(2026, 10, 1)),
        clarification: Some(d(2026, 10, 15)),
        submission: Some(d(2026, 10, 26)),
    };
    let checks = time_limits::check(Some(25), dates);
    assert!(checks.iter().all(|c| c.ok), "{checks:?}");
    let short = time_limits::check(
        Some(25),
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
        vec![Uk2, Uk4, Uk6, Uk7]
    );
    assert_eq!(
        notices::required(Route::Open, Some(true), false),
        vec![Uk4, Uk6, Uk7]
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
        contract_start: Some(d(2027, 4, 1)),
    };
    assert_eq!(
        notices::deadline(Uk2, Route::Open, dates).0,
        Some(d(2026, 9, 30))
    );
    assert_eq!(
        notices::deadline(Uk7, Route::Open, dates).0,
        Some(d(2027, 5, 1))
    );
    assert_eq!(
        notices::deadline(Uk7, Route::LightTouch, dates).0,
        Some(d(2027, 7, 30))
    );
}
