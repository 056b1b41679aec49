//! Pure types and rules: no database, no async, no I/O.

/// Types that cross IPC as strings (exact money, "2026/27") are `string` in TypeScript.
macro_rules! ts_string {
    ($t:ty) => {
        impl ts_rs::TS for $t {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &ts_rs::Config) -> String {
                "string".to_owned()
            }
            fn inline(_: &ts_rs::Config) -> String {
                "string".to_owned()
            }
        }
    };
}
pub(crate) use ts_string;
pub mod allocation;
pub mod anchor;
pub mod audit;
pub mod award;
pub mod board;
pub mod calendar;
pub mod contract;
pub mod dates;
pub mod edit;
pub mod engagement;
pub mod eval;
pub mod finance;
pub mod ids;
pub mod json;
pub mod kept;
pub mod lot;
pub mod milestone;
pub mod money;
pub mod paper;
pub mod procurement;
pub mod radar;
pub mod registers;
pub mod roles;
pub mod route;
pub mod spec;
pub mod stage;
pub mod tender;
pub mod term;
pub mod tupe;

/// The text with its first letter in capitals ("contract award notice" -> "Contract ...").
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
