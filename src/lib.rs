//! Lotwise engine: domain rules, the workspace store, use cases, and the CLI adapter.
//! It never depends on Tauri: the desktop shell, the CLI and the tests all call `ops`.
pub mod domain;
pub mod error;

pub use error::{Error, ErrorCode, Result};
pub mod cli;
pub mod docs;
pub mod ops;
pub mod store;
