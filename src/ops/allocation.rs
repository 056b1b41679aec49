//! Sizing lots by population: areas from CSV, shared by largest remainder.
use std::path::Path;

use crate::domain::allocation::{self, Allocation, Area, Share};
use crate::domain::money::Money;
use crate::error::{Error, Result};

/// Reads areas from CSV with a header row naming `area` and `population` columns (any order,
/// any case; other columns are ignored). Populations may be written `38,479`.
pub fn read_areas(path: &Path) -> Result<Vec<Area>> {
    Ok(read_areas_with_lots(path)?
        .into_iter()
        .map(|(a, _)| a)
        .collect())
}

/// As `read_areas`, with each area's `lot` column (a lot reference) when the file has one.
pub fn read_areas_with_lots(path: &Path) -> Result<Vec<(Area, Option<String>)>> {
    let text = super::csvfile::read_text(path, "csv")?;
    parse_areas(&text, &path.display().to_string())
}

/// Areas from CSV text; `file` names it in errors.
pub fn parse_areas(text: &str, file: &str) -> Result<Vec<(Area, Option<String>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::validation("csv", format!("{file} line 1: {e}")))?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.eq_ignore_ascii_case(name)).ok_or_else(|| {
            Error::validation(
                "csv",
                format!("{file} line 1: no “{name}” column; the header must name the columns area and population (found: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")),
            )
        })
    };
    let (area_col, pop_col) = (column("area")?, column("population")?);
    let lot_col = headers.iter().position(|h| h.eq_ignore_ascii_case("lot"));
    let mut areas: Vec<(Area, Option<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::validation("csv", format!("{file} line {line}: {e}"))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let name = record.get(area_col).unwrap_or("").to_string();
        if name.is_empty() {
            return Err(Error::validation(
                "area",
                format!("{file} line {line}, column area: the area’s name is empty"),
            ));
        }
        if areas
            .iter()
            .any(|(a, _)| a.name.eq_ignore_ascii_case(&name))
        {
            return Err(Error::validation(
                "area",
                format!("{file} line {line}, column area: “{name}” appears twice"),
            ));
        }
        let raw = record.get(pop_col).unwrap_or("");
        let population = parse_population(raw).ok_or_else(|| {
            Error::validation(
                "population",
                format!("{file} line {line}, column population: “{raw}” is not a whole number of people (for example 38,479)"),
            )
        })?;
        let lot = lot_col
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        areas.push((Area { name, population }, lot));
    }
    if areas.is_empty() {
        return Err(Error::validation(
            "csv",
            format!("{file}: no areas after the header row"),
        ));
    }
    Ok(areas)
}

fn parse_population(s: &str) -> Option<u64> {
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
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
        (Some(t), None) => Share::Posts(t.replace(',', "").parse().map_err(|_| {
            Error::validation("total", format!("“{t}” is not a whole number of posts; for money write it with £, e.g. £5,950,000"))
        })?),
    };
    allocation::allocate(areas, share)
}
