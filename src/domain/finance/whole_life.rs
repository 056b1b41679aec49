//! Whole-life value: what a contract or lot is worth over its core term and every extension
//! option, which is what procurement thresholds and key-decision thresholds look at.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use crate::domain::money::Money;
use crate::domain::term::{OptionStatus, Term, term_dates};
use crate::error::{Error, Result};

/// The standard rate of VAT, dated so that older contracts are valued at the rate of their
/// day (Finance Act 1994 s2 as amended; 20% since 4 January 2011).
pub const VAT_RATES: &[((i32, u32, u32), &str)] = &[
    ((2008, 12, 1), "15"),
    ((2010, 1, 1), "17.5"),
    ((2011, 1, 4), "20"),
];

/// The standard VAT rate, in percent, on a date.
pub fn vat_rate_on(d: NaiveDate) -> Decimal {
    let mut rate = Decimal::new(175, 1);
    for ((y, m, day), r) in VAT_RATES {
        if NaiveDate::from_ymd_opt(*y, *m, *day).expect("valid") <= d {
            rate = r.parse().expect("valid rate");
        }
    }
    rate
}

/// Adds VAT at `rate` percent, to the penny (half away from zero).
pub fn with_vat(net: Money, rate: Decimal) -> Money {
    Money::round_from(net.to_decimal() * (Decimal::ONE_HUNDRED + rate) / Decimal::ONE_HUNDRED)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ValuePeriod {
    /// "Core term", "Extension option 1".
    pub label: String,
    pub months: u32,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// None for the core term.
    pub status: Option<OptionStatus>,
    pub value: Money,
    pub value_inc_vat: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WholeLife {
    /// Annual value excluding VAT.
    pub annual: Money,
    pub annual_inc_vat: Money,
    /// The VAT rate used, in percent ("20").
    pub vat_rate: String,
    pub term: String,
    /// "5 years, with two options to extend by 2 years each (5+2+2): up to 9 years in all".
    pub term_description: String,
    pub start: Option<NaiveDate>,
    pub periods: Vec<ValuePeriod>,
    pub core_end: Option<NaiveDate>,
    /// The end if every option still open is taken.
    pub final_possible_end: Option<NaiveDate>,
    pub total_months: u32,
    pub core_value: Money,
    pub core_value_inc_vat: Money,
    /// Over the whole term as procured, every extension option included (a declined option
    /// still counts: thresholds are applied to the value at the outset).
    pub total: Money,
    pub total_inc_vat: Money,
}

fn overflow() -> Error {
    Error::validation("annualValue", "the value is too large to work with")
}

/// Values `annual` (excluding VAT) over `term`. With a start date the periods are dated;
/// `statuses` (one per option, defaulting to available) say which options are taken.
pub fn whole_life(
    annual: Money,
    term: &Term,
    start: Option<NaiveDate>,
    statuses: &[OptionStatus],
    today: NaiveDate,
) -> Result<WholeLife> {
    let statuses: Vec<OptionStatus> = if statuses.is_empty() {
        vec![OptionStatus::Available; term.extension_months.len()]
    } else {
        statuses.to_vec()
    };
    let dated = match start {
        Some(s) => Some(term_dates(s, term, &statuses)?),
        None => None,
    };
    let rate = vat_rate_on(start.unwrap_or(today));
    let value = |months: u32| annual.for_months(months).ok_or_else(overflow);
    let core_value = value(term.core_months)?;
    let mut periods = vec![ValuePeriod {
        label: "Core term".into(),
        months: term.core_months,
        start,
        end: dated.as_ref().map(|d| d.core_end),
        status: None,
        value: core_value,
        value_inc_vat: with_vat(core_value, rate),
    }];
    for (i, (&m, &st)) in term.extension_months.iter().zip(&statuses).enumerate() {
        let v = value(m)?;
        let opt = dated.as_ref().map(|d| &d.options[i]);
        periods.push(ValuePeriod {
            label: format!("Extension option {}", i + 1),
            months: m,
            start: opt.map(|o| o.start),
            end: opt.map(|o| o.end),
            status: Some(st),
            value: v,
            value_inc_vat: with_vat(v, rate),
        });
    }
    let total = value(term.total_months())?;
    Ok(WholeLife {
        annual,
        annual_inc_vat: with_vat(annual, rate),
        vat_rate: rate.normalize().to_string(),
        term: term.to_string(),
        term_description: term.describe(),
        start,
        periods,
        core_end: dated.as_ref().map(|d| d.core_end),
        final_possible_end: dated.as_ref().map(|d| d.final_possible_end),
        total_months: term.total_months(),
        core_value,
        core_value_inc_vat: with_vat(core_value, rate),
        total,
        total_inc_vat: with_vat(total, rate),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn five_plus_two_plus_two_from_1_april_2018() {
        let t = Term::parse("5+2+2").unwrap();
        let w = whole_life(
            Money::from_pounds(4_950_000),
            &t,
            Some(d(2018, 4, 1)),
            &[],
            d(2026, 11, 25),
        )
        .unwrap();
        assert_eq!(w.core_end, Some(d(2023, 3, 31)));
        assert_eq!(w.periods[1].start, Some(d(2023, 4, 1)));
        assert_eq!(w.periods[1].end, Some(d(2025, 3, 31)));
        assert_eq!(w.periods[2].end, Some(d(2027, 3, 31)));
        assert_eq!(w.final_possible_end, Some(d(2027, 3, 31)));
        assert_eq!(w.total_months, 108);
        assert_eq!(w.core_value, Money::from_pounds(24_750_000));
        assert_eq!(w.total, Money::from_pounds(44_550_000));
        assert_eq!(w.total_inc_vat, Money::from_pounds(53_460_000));
        assert_eq!(w.vat_rate, "20");
    }

    #[test]
    fn a_declined_option_ends_the_possible_term() {
        let t = Term::parse("3+1+1").unwrap();
        let st = [OptionStatus::Taken, OptionStatus::Declined];
        let w = whole_life(
            Money::from_pounds(1_462_000),
            &t,
            Some(d(2021, 7, 1)),
            &st,
            d(2026, 11, 25),
        )
        .unwrap();
        assert_eq!(w.final_possible_end, Some(d(2025, 6, 30)));
        // The whole possible term at the outset still counts every option.
        assert_eq!(w.total, Money::from_pounds(7_310_000));
    }

    #[test]
    fn vat_follows_the_rate_of_the_day() {
        assert_eq!(vat_rate_on(d(2010, 6, 1)), Decimal::new(175, 1));
        assert_eq!(vat_rate_on(d(2011, 1, 4)), Decimal::from(20));
        assert_eq!(
            with_vat(Money::from_pence(1), Decimal::from(20)),
            Money::from_pence(1)
        );
        assert_eq!(
            with_vat(Money::from_pounds(663_540), Decimal::from(20)),
            Money::from_pounds(796_248)
        );
    }

    #[test]
    fn undated_values_still_add_up() {
        let t = Term::parse("9m").unwrap();
        let w = whole_life(
            Money::from_pounds(1_462_000),
            &t,
            None,
            &[],
            d(2026, 11, 25),
        )
        .unwrap();
        assert_eq!(w.total, Money::from_pounds(1_096_500));
        assert_eq!(w.core_end, None);
    }
}
