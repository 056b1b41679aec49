//! Sizing lots by population: areas from CSV, shared by largest remainder.
use std::collections::HashMap;

use super::csvfile::Sheet;
use super::textfile::TextFile;

use crate::domain::allocation::{self, Allocation, Area, Share};
use crate::domain::money::Money;
use crate::error::{Error, Result};

/// Areas from a decoded file: `area` and `population` columns, and `lot` if present.
pub fn parse_areas_file(f: &TextFile) -> Result<Vec<(Area, Option<String>)>> {
    let sheet = Sheet::parse(f, &["area", "population"])?;
    let has_lot = sheet.has("lot");
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(sheet.rows.len());
    let mut areas: Vec<(Area, Option<String>)> = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        let name = sheet.get(row, "area").to_string();
        if name.is_empty() {
            return Err(sheet.error(row, "area", "the area’s name is empty"));
        }
        if let Some(first) = seen.insert(name.to_lowercase(), row.line) {
            return Err(sheet.error(
                row,
                "area",
                format!("“{name}” appears twice (first on line {first})"),
            ));
        }
        let raw = sheet.get(row, "population");
        let population = parse_population(raw).ok_or_else(|| {
            sheet.error(
                row,
                "population",
                format!(
                    "“{raw}” is not a whole number of people up to {} (for example 38,479)",
                    crate::domain::money::group_thousands(allocation::MAX_POPULATION)
                ),
            )
        })?;
        let lot = has_lot
            .then(|| sheet.get(row, "lot").trim())
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        areas.push((Area { name, population }, lot));
    }
    Ok(areas)
}

fn parse_population(s: &str) -> Option<u64> {
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits
        .parse()
        .ok()
        .filter(|p| *p <= allocation::MAX_POPULATION)
}

/// `total` is a number of posts (`25`) or an amount of money (`£5,950,000`, or with pence);
/// `per` is a ratio of people per post. Exactly one of them.
pub fn allocate(areas: &[Area], total: Option<&str>, per: Option<u64>) -> Result<Allocation> {
    let share = match (total.map(str::trim), per) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(Error::validation("total", "give either a total (posts or £) or a ratio of people per post, not both"));
        }
        (None, Some(p)) => Share::PostsPer(p),
        (Some(t), None) if t.starts_with('£') || t.contains('.') => {
            Share::Money(Money::parse(t).map_err(|e| e.in_field("total"))?)
        }
        (Some(t), None) => Share::Posts(
            t.replace(',', "")
                .parse()
                .ok()
                .filter(|n| *n <= allocation::MAX_POSTS)
                .ok_or_else(|| {
                    Error::validation("total", format!(
                        "“{t}” is not a whole number of posts up to {}; for money write it with £, e.g. £5,950,000",
                        crate::domain::money::group_thousands(allocation::MAX_POSTS)
                    ))
                })?,
        ),
    };
    allocation::allocate(areas, share)
}
