use clap::{CommandFactory, Parser};
use lotwise::cli::{Cli, exit_code, run};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    restore_default_sigpipe();
    lotwise::init_logging();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        match e.field.as_deref().and_then(flag_for) {
            Some(flag) => eprintln!("lotwise: error: {} ({flag})", e.message),
            None => eprintln!("lotwise: error: {}", e.message),
        }
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

/// The command-line flag an error's field came from, when the command that ran has one of
/// that name: "enter the outgoing provider (--outgoing)".
fn flag_for(field: &str) -> Option<String> {
    let mut cmd = Cli::command();
    for word in std::env::args().skip(1) {
        if let Some(sub) = cmd.find_subcommand(&word) {
            cmd = sub.clone();
        }
    }
    let mut long = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            long.push('-');
            long.push(c.to_ascii_lowercase());
        } else if c == '_' {
            long.push('-');
        } else {
            long.push(c);
        }
    }
    cmd.get_arguments()
        .any(|a| a.get_long() == Some(long.as_str()))
        .then(|| format!("--{long}"))
}
