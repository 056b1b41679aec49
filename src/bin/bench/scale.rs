//! How big each benchmark runs. `--smoke` (run by `make test`) sets each one up at a small
//! size and measures it once, judging no target: a benchmark that no longer runs fails CI in
//! seconds, and the full sizes stay for `make bench`.
use std::sync::atomic::{AtomicBool, Ordering};

static SMOKE: AtomicBool = AtomicBool::new(false);

pub fn set_smoke() {
    SMOKE.store(true, Ordering::Relaxed);
}

pub fn smoke() -> bool {
    SMOKE.load(Ordering::Relaxed)
}

/// `full` for the benchmark, `small` in smoke mode.
pub fn size(full: usize, small: usize) -> usize {
    if smoke() { small } else { full }
}

/// How many measured runs: `full` for the benchmark, one in smoke mode.
pub fn runs(full: usize) -> usize {
    size(full, 1)
}
