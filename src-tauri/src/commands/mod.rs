//! Tauri commands grouped by area; each is one line into `lotwise::ops`.
pub mod audit;
pub mod award;
pub mod contracts;
pub mod eval;
pub mod finance;
pub mod lots;
pub mod papers;
pub mod registers;
pub mod route;
pub mod sheet;
pub mod tender;
pub mod tupe;
pub mod workspace;

pub type Res<T> = Result<T, lotwise::Error>;
