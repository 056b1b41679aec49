//! Lotwise engine: domain rules, the workspace store, use cases, and the CLI adapter.
//! It never depends on Tauri: the desktop shell, the CLI and the tests all call `ops`.
pub mod domain;
pub mod error;

pub use error::{Error, ErrorCode, Result};
pub mod cli;
pub mod docs;
pub mod ops;
pub mod store;

/// Storage and file-system details go to the log on stderr, never into messages people read;
/// `LOTWISE_LOG=debug` shows more. Called once by the CLI and the desktop app.
pub fn init_logging() {
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LOTWISE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .try_init();
}
