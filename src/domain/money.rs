//! Money is exact: integer pence in storage, `Decimal` in arithmetic, strings across IPC.
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money {
    pence: i64,
}

impl Money {
    pub const ZERO: Money = Money { pence: 0 };
    /// The largest amount anyone can type: £999,999,999,999.99, more than any public body
    /// spends in a year. Bounding inputs keeps every sum of them (budgets, pay bills,
    /// whole-life values) far inside what integer pence can hold.
    pub const MAX_INPUT: Money = Money {
        pence: 99_999_999_999_999,
    };

    pub const fn from_pence(pence: i64) -> Self {
        Money { pence }
    }
    pub fn from_pounds(pounds: i64) -> Self {
        Money {
            pence: pounds * 100,
        }
    }
    pub fn pence(self) -> i64 {
        self.pence
    }
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.pence, 2)
    }
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.pence.checked_add(other.pence).map(Money::from_pence)
    }
    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.pence.checked_mul(n).map(Money::from_pence)
    }
    /// An annual amount over `months`: annual × months ÷ 12, exact to the penny (rounded
    /// half away from zero once). None if it would not fit.
    pub fn for_months(self, months: u32) -> Option<Money> {
        Money::from_decimal(self.to_decimal() * Decimal::from(months) / Decimal::from(12))
    }

    /// An exact amount in pounds, rounded to the penny half away from zero; None if it would
    /// not fit.
    pub fn from_decimal(pounds: Decimal) -> Option<Money> {
        let pence = (pounds * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(pence).ok().map(Money::from_pence)
    }

    /// As `from_decimal`, holding at the largest amount rather than failing: for derived
    /// figures (shares, VAT, savings) of amounts that already fit.
    pub fn round_from(pounds: Decimal) -> Money {
        Money::from_decimal(pounds).unwrap_or(Money::from_pence(i64::MAX))
    }

    /// Accepts what people type: `£1,462,000`, `1462000`, `1,462,000.50`, `£7.965m`.
    /// Refuses fractions of a penny and anything that is not a number, saying why.
    pub fn parse(input: &str) -> Result<Money> {
        Self::parse_up_to(input, Money::MAX_INPUT)
    }

    /// As `parse`, up to a given limit: stored figures derived from inputs (a whole-life
    /// value, a pack's totals) may exceed what one person can type, never what pence hold.
    fn parse_up_to(input: &str, max: Money) -> Result<Money> {
        let raw = input.trim();
        if raw.is_empty() {
            return Err(Error::validation(
                "",
                "enter an amount in pounds, for example £1,462,000",
            ));
        }
        let negative = raw.starts_with('-');
        let mut s = raw.trim_start_matches('-').trim();
        s = s.strip_prefix('£').unwrap_or(s).trim();
        let (s, scale) = match s.strip_suffix(['m', 'M']) {
            Some(rest) => (rest, Decimal::from(1_000_000)),
            None => match s.strip_suffix(['k', 'K']) {
                Some(rest) => (rest, Decimal::from(1_000)),
                None => (s, Decimal::ONE),
            },
        };
        if !valid_grouping(s) {
            return Err(Error::validation(
                "",
                format!(
                    "“{raw}” is not an amount of money: use digits with optional commas every three digits, for example £1,462,000"
                ),
            ));
        }
        let cleaned: String = s.chars().filter(|c| *c != ',').collect();
        let too_large = || {
            Error::validation(
                "",
                format!("“{raw}” is too large: amounts go up to {}", max.display()),
            )
        };
        // More digits than a Decimal holds is simply too large, not "not a number".
        if cleaned
            .split('.')
            .next()
            .unwrap_or("")
            .trim_start_matches('0')
            .len()
            > 20
        {
            return Err(too_large());
        }
        let value = Decimal::from_str(&cleaned)
            .map_err(|_| Error::validation("", format!("“{raw}” is not an amount of money")))?
            .checked_mul(scale)
            .ok_or_else(too_large)?;
        let pence = value
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or_else(too_large)?;
        if pence.fract() != Decimal::ZERO {
            return Err(Error::validation(
                "",
                format!("“{raw}” has a fraction of a penny"),
            ));
        }
        let pence: i64 = pence.try_into().map_err(|_| too_large())?;
        if pence > max.pence {
            return Err(too_large());
        }
        Ok(Money::from_pence(if negative { -pence } else { pence }))
    }

    /// en-GB display: `£1,462,000` for whole pounds, `£1,462,000.50` otherwise.
    pub fn display(self) -> String {
        let sign = if self.pence < 0 { "-" } else { "" };
        let abs = self.pence.unsigned_abs();
        let pounds = group_thousands(abs / 100);
        let pence = abs % 100;
        if pence == 0 {
            format!("{sign}£{pounds}")
        } else {
            format!("{sign}£{pounds}.{pence:02}")
        }
    }
}

fn valid_grouping(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac
        && (f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return false;
    }
    if !int.contains(',') {
        return true;
    }
    let groups: Vec<&str> = int.split(',').collect();
    !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
}

pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Across IPC and JSON, money is a decimal string in pounds (`"1462000.00"`), never a float.
impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_decimal().to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Money::parse_up_to(&s, Money::from_pence(i64::MAX))
            .map_err(|e| serde::de::Error::custom(e.message))
    }
}

crate::domain::ts_string!(Money);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_months_rounds_to_the_penny() {
        let annual = Money::from_pounds(1_462_000);
        assert_eq!(annual.for_months(9).unwrap().display(), "£1,096,500");
        assert_eq!(Money::from_pence(100).for_months(1).unwrap().pence(), 8); // 8.33p
        assert_eq!(Money::from_pence(6).for_months(1).unwrap().pence(), 1); // 0.5p rounds up
        assert_eq!(Money::from_pence(i64::MAX).for_months(24), None);
    }

    #[test]
    fn parses_what_officers_type() {
        assert_eq!(
            Money::parse("£1,462,000").unwrap(),
            Money::from_pounds(1_462_000)
        );
        assert_eq!(
            Money::parse("1462000").unwrap(),
            Money::from_pounds(1_462_000)
        );
        assert_eq!(
            Money::parse(" £7,965,000.50 ").unwrap().pence(),
            796_500_050
        );
        assert_eq!(
            Money::parse("£5.9m").unwrap(),
            Money::from_pounds(5_900_000)
        );
        assert_eq!(Money::parse("400k").unwrap(), Money::from_pounds(400_000));
        assert_eq!(
            Money::parse("-200,000").unwrap(),
            Money::from_pounds(-200_000)
        );
    }

    #[test]
    fn refuses_bad_amounts_with_a_reason() {
        for bad in ["", "abc", "1,46,2000", "£1.234", "12.", "1e6", "£", ",100"] {
            let e = Money::parse(bad).unwrap_err();
            assert!(!e.message.is_empty(), "{bad}");
        }
        assert!(
            Money::parse("£1.234")
                .unwrap_err()
                .message
                .contains("fraction of a penny")
        );
    }

    #[test]
    fn huge_amounts_are_refused_not_a_panic() {
        for huge in [
            "9999999999999999999999999999",
            "£99999999999999999999999m",
            "18446744073709551615",
            "£1,000,000,000,000",
            "79228162514264337593543950335",
            "£79,228,162,514,264,337,593,543,950,335",
            "99999999999999999999999999999999999999999",
        ] {
            let e = Money::parse(huge).unwrap_err();
            assert!(
                e.message
                    .contains("is too large: amounts go up to £999,999,999,999.99"),
                "{huge}: {}",
                e.message
            );
        }
        assert_eq!(
            Money::parse("£999,999,999,999.99").unwrap(),
            Money::MAX_INPUT
        );
        assert_eq!(
            Money::parse("-£999,999,999,999.99").unwrap().pence(),
            -Money::MAX_INPUT.pence()
        );
    }

    #[test]
    fn displays_en_gb() {
        assert_eq!(Money::from_pounds(1_462_000).display(), "£1,462,000");
        assert_eq!(Money::from_pence(50).display(), "£0.50");
        assert_eq!(Money::from_pence(-796_500_050).display(), "-£7,965,000.50");
        assert_eq!(Money::from_pounds(999).display(), "£999");
    }

    #[test]
    fn serialises_as_exact_string() {
        let m = Money::from_pence(146_200_001);
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(j, "\"1462000.01\"");
        assert_eq!(serde_json::from_str::<Money>(&j).unwrap(), m);
    }
}
