use clap::Parser;
use lotwise::cli::{Cli, exit_code, run};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    restore_default_sigpipe();
    // Storage and file-system details go to the log (stderr), never into messages;
    // LOTWISE_LOG=debug shows more.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LOTWISE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("lotwise: error: {}", e.message);
        if let Some(f) = &e.field {
            eprintln!("  field: {f}");
        }
        for d in &e.details {
            eprintln!("  - missing: {d}");
        }
        std::process::exit(exit_code(&e));
    }
}

/// `lotwise … --json | head` closes the pipe early. Rust ignores SIGPIPE, so `println!`
/// would panic on the broken pipe; a command-line tool should end quietly like `cat` does.
fn restore_default_sigpipe() {
    // SAFETY: called first thing in main, before any thread or output exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
