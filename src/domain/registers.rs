//! Organisations and suppliers, with the registration numbers UK bodies carry.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::ids::{OrganisationId, SupplierId};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrganisationKind {
    CountyCouncil,
    DistrictCouncil,
    BoroughCouncil,
    UnitaryCouncil,
    IntegratedCareBoard,
    ClinicalCommissioningGroup,
    NhsTrust,
    Other,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 8] = [
        Self::CountyCouncil,
        Self::DistrictCouncil,
        Self::BoroughCouncil,
        Self::UnitaryCouncil,
        Self::IntegratedCareBoard,
        Self::ClinicalCommissioningGroup,
        Self::NhsTrust,
        Self::Other,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Self::CountyCouncil => "county_council",
            Self::DistrictCouncil => "district_council",
            Self::BoroughCouncil => "borough_council",
            Self::UnitaryCouncil => "unitary_council",
            Self::IntegratedCareBoard => "integrated_care_board",
            Self::ClinicalCommissioningGroup => "clinical_commissioning_group",
            Self::NhsTrust => "nhs_trust",
            Self::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let alias = match norm.as_str() {
            "icb" => "integrated_care_board",
            "ccg" => "clinical_commissioning_group",
            other => other,
        };
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.key() == alias)
            .ok_or_else(|| {
                Error::validation(
                    "kind",
                    format!(
                        "“{s}” is not a kind of organisation; expected one of: {}",
                        Self::ALL.map(|k| k.key()).join(", ")
                    ),
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Supplier {
    pub id: SupplierId,
    pub name: String,
    /// Companies House number, e.g. `01234567` or `SC123456`.
    pub companies_house_number: Option<String>,
    /// Charity Commission number for England and Wales, e.g. `1123456`.
    pub charity_number: Option<String>,
}

/// Companies House numbers are eight characters: eight digits, or a two-letter prefix
/// (SC, NI, OC, ...) and six digits. Shorter all-digit numbers are zero-padded as CH does.
pub fn companies_house_number(s: &str) -> Result<String> {
    let t = s.trim().to_ascii_uppercase().replace(' ', "");
    let padded = if !t.is_empty() && t.len() < 8 && t.chars().all(|c| c.is_ascii_digit()) {
        format!("{t:0>8}")
    } else {
        t.clone()
    };
    let ok = padded.len() == 8
        && (padded.chars().all(|c| c.is_ascii_digit())
            || (padded[..2].chars().all(|c| c.is_ascii_uppercase())
                && padded[2..].chars().all(|c| c.is_ascii_digit())));
    if ok {
        Ok(padded)
    } else {
        Err(Error::validation(
            "companiesHouseNumber",
            format!(
                "“{s}” is not a Companies House number: expected 8 digits, or 2 letters and 6 digits (e.g. SC123456)"
            ),
        ))
    }
}

/// Charity numbers (England and Wales) are 6 or 7 digits; Scottish ones are SC + 6 digits.
pub fn charity_number(s: &str) -> Result<String> {
    let t = s.trim().to_ascii_uppercase().replace(' ', "");
    let digits = t
        .strip_prefix("SC")
        .map(|d| (d, true))
        .unwrap_or((&t, false));
    let ok = match digits {
        (d, true) => d.len() == 6 && d.chars().all(|c| c.is_ascii_digit()),
        (d, false) => (6..=7).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()),
    };
    if ok {
        Ok(t)
    } else {
        Err(Error::validation(
            "charityNumber",
            format!("“{s}” is not a charity number: expected 6 or 7 digits, or SC and 6 digits"),
        ))
    }
}

/// An organisation's name is its own in the workspace (case aside).
pub fn unique_name(all: &[Organisation], name: &str) -> crate::error::Result<()> {
    match all
        .iter()
        .find(|o| o.name.eq_ignore_ascii_case(name.trim()))
    {
        Some(o) => Err(crate::error::Error::validation(
            "name",
            format!("there is already an organisation called “{}”", o.name),
        )),
        None => Ok(()),
    }
}

/// A Companies House or charity number names one supplier.
pub fn unique_numbers(
    all: &[Supplier],
    companies_house_number: Option<&str>,
    charity_number: Option<&str>,
) -> crate::error::Result<()> {
    for s in all {
        if companies_house_number.is_some()
            && s.companies_house_number.as_deref() == companies_house_number
        {
            return Err(crate::error::Error::validation(
                "companiesHouseNumber",
                format!(
                    "Companies House number {} is already {}’s",
                    s.companies_house_number.as_deref().unwrap_or_default(),
                    s.name
                ),
            ));
        }
        if charity_number.is_some() && s.charity_number.as_deref() == charity_number {
            return Err(crate::error::Error::validation(
                "charityNumber",
                format!(
                    "charity number {} is already {}’s",
                    s.charity_number.as_deref().unwrap_or_default(),
                    s.name
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companies_house_numbers() {
        assert_eq!(companies_house_number("1234567").unwrap(), "01234567");
        assert_eq!(companies_house_number("sc123456").unwrap(), "SC123456");
        assert!(companies_house_number("12345678X").is_err());
        assert!(companies_house_number("S1234567").is_err());
    }

    #[test]
    fn charity_numbers() {
        assert_eq!(charity_number("1123456").unwrap(), "1123456");
        assert_eq!(charity_number("SC012345").unwrap(), "SC012345");
        assert!(charity_number("12345").is_err());
        assert!(charity_number("CH123456").is_err());
    }

    #[test]
    fn organisation_kinds() {
        assert_eq!(
            OrganisationKind::parse("CCG").unwrap(),
            OrganisationKind::ClinicalCommissioningGroup
        );
        assert_eq!(
            OrganisationKind::parse("county council").unwrap(),
            OrganisationKind::CountyCouncil
        );
        assert!(OrganisationKind::parse("parish").is_err());
    }
}
