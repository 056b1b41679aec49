//! Pure types and rules: no database, no async, no I/O.
pub mod audit;
pub mod dates;
pub mod finance;
pub mod ids;
pub mod milestone;
pub mod model;
pub mod money;
pub mod radar;
pub mod registers;
pub mod stage;
pub mod term;
