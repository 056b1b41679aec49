use clap::Parser;
use lotwise::cli::{Cli, exit_code, run};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
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
