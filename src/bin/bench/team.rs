//! The same measurements on a team workspace (PostgreSQL), beside the laptop workspace's.
//! `make bench` runs the benchmark through scripts/with-postgres, which starts a private
//! server and sets LOTWISE_TEST_PG (its administrator's URL); without it this part is
//! skipped, saying so.
use chrono::Utc;
use sqlx::Connection;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lotwise::domain::eval::EvalScope;
use lotwise::domain::roles::Role;
use lotwise::ops::{self, Ctx, FixedClock};
use lotwise::store::Store;
use lotwise::store::postgres::{Create, PgStore, team};

pub struct TeamBench {
    pub push: Duration,
    pub push_rows: u64,
    pub open: Vec<Duration>,
    pub board: Vec<Duration>,
    pub save_alone: Vec<Duration>,
    pub save_together: Vec<Duration>,
    /// (saves, seconds) of the back-to-back run: its throughput.
    pub back_to_back: (usize, Duration),
    /// Processor time the back-to-back run took: (this process, where the ten logins'
    /// engine runs; the PostgreSQL server's processes).
    pub back_to_back_cpu: (Duration, Duration),
    /// The same for one evaluator saving alone.
    pub alone_cpu: (Duration, Duration),
    pub save_bursts: Vec<Duration>,
    /// Each login's first saves (WARM_UP rounds of all pressing save at once), before the
    /// measured runs: they load the session's caches on the server.
    pub first_saves: Vec<Duration>,
    pub results: Vec<Duration>,
}

/// Rounds of saves each login makes before the back-to-back run is measured.
pub const WARM_UP: usize = 3;

const PW: &str = "bench-password-not-secret";

async fn new_db(admin: &str, name: &str) -> String {
    let db = format!("{name}_{}", std::process::id());
    let mut c = sqlx::PgConnection::connect(admin).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut c)
        .await
        .unwrap();
    let url = format!("{}/{db}", &admin[..admin.rfind('/').unwrap()]);
    team::init(&url).await.unwrap();
    url
}

fn as_login(admin_db: &str, user: &str) -> String {
    let rest = &admin_db[admin_db.find('@').unwrap()..];
    format!("postgres://{user}:{PW}{rest}")
}

pub async fn run(admin: &str, board_file: &Path) -> TeamBench {
    // Push the 2,000-lot workspace into an empty team workspace.
    let board_db = new_db(admin, "bench_board").await;
    let t = Instant::now();
    let pushed = ops::workspace::push(board_file, &board_db).await.unwrap();
    let push = t.elapsed();

    // The board, as an officer's login sees it: connect, then build.
    team::add_user(&board_db, "bench.officer", Role::Officer, PW)
        .await
        .unwrap();
    let mut open = Vec::new();
    let mut board = Vec::new();
    for _ in 0..crate::scale::runs(30) {
        let t0 = Instant::now();
        let store = Arc::new(
            PgStore::open(&as_login(&board_db, "bench.officer"), Create::No)
                .await
                .unwrap(),
        );
        let t1 = Instant::now();
        let ctx = Ctx::new(
            store.clone(),
            Arc::new(FixedClock(Utc::now())),
            "bench.officer",
        );
        let b = ops::lots::board(&ctx).await.unwrap();
        board.push(t1.elapsed());
        open.push(t1 - t0);
        assert_eq!(
            b.columns.iter().map(|c| c.cards.len()).sum::<usize>(),
            super::lots()
        );
        store.close().await;
    }

    // The evaluation: set up by the administrator, then each evaluator saves through their
    // own login, all at once; then moderation and the results as the officer.
    let eval_db = new_db(admin, "bench_eval").await;
    let size = super::eval::Size {
        bids: super::eval::bids(),
        questions: super::eval::questions(),
        evaluators: super::eval::evaluators(),
    };
    let store: Arc<dyn Store> = Arc::new(PgStore::open(&eval_db, Create::No).await.unwrap());
    let p = super::eval::prepare_in(store.clone(), size).await;
    let mut logins = Vec::new();
    for n in &p.names {
        team::add_user(&eval_db, n, Role::Evaluator, PW)
            .await
            .unwrap();
        let s = Arc::new(
            PgStore::open(&as_login(&eval_db, n), Create::No)
                .await
                .unwrap(),
        );
        logins.push(
            Ctx::new(s, Arc::new(FixedClock(Utc::now())), n.clone()).acting_as(n, Role::Evaluator),
        );
    }
    // One evaluator alone first: the time a save holds the workspace's write lock.
    let mut watch = sqlx::PgConnection::connect(admin).await.unwrap();
    let before = CpuMark::take(&mut watch).await;
    let save_alone =
        super::eval::save_at_once(vec![logins[0].clone()], p.lot, &p.bids, size.questions).await;
    let alone_cpu = CpuMark::take(&mut watch).await.since(&before);
    // Each login's first saves also load the server's caches for its session (plans, the
    // PL/pgSQL functions): once a session, so they are made before the runs measured after
    // them and reported on a row of their own. More than one: a login's first save on a lot
    // reads the facts it is checked against, and its second is the first decided on the
    // facts kept (another statement, planned on its first run). With one round only, those
    // ten plans, made at once on two cores at 20 to 60 ms each, fell inside the back-to-back
    // run and were most of its slowest 1%.
    let first_saves =
        super::eval::save_in_bursts_of(logins.clone(), p.lot, &p.bids, size.questions, WARM_UP)
            .await;
    let before = CpuMark::take(&mut watch).await;
    let t = Instant::now();
    let save_together =
        super::eval::save_at_once(logins.clone(), p.lot, &p.bids, size.questions).await;
    let back_to_back = (save_together.len(), t.elapsed());
    let back_to_back_cpu = CpuMark::take(&mut watch).await.since(&before);
    watch.close().await.ok();
    let save_bursts =
        super::eval::save_in_bursts(logins.clone(), p.lot, &p.bids, size.questions).await;
    for l in &logins {
        l.store.close().await;
    }
    super::eval::moderate(&p, size).await;
    team::add_user(&eval_db, "bench.lead", Role::Officer, PW)
        .await
        .unwrap();
    let officer = Arc::new(
        PgStore::open(&as_login(&eval_db, "bench.lead"), Create::No)
            .await
            .unwrap(),
    );
    let mut results = Vec::new();
    for _ in 0..crate::scale::runs(20) {
        let t = Instant::now();
        let st = ops::eval::load::state(
            &mut *officer.read().await.unwrap(),
            p.lot,
            "bench.lead",
            EvalScope::Consensus,
        )
        .await
        .unwrap();
        let (scored, sens) = ops::eval::compute(&st).unwrap();
        results.push(t.elapsed());
        assert!(scored.complete && scored.leader.is_some() && sens.is_some());
    }
    officer.close().await;
    store.close().await;
    TeamBench {
        push,
        push_rows: pushed.rows,
        open,
        board,
        save_alone,
        save_together,
        back_to_back,
        back_to_back_cpu,
        alone_cpu,
        save_bursts,
        first_saves,
        results,
    }
}

/// Processor time so far (user and system) of this process and of each of the server's
/// processes: it shows how much of a save is the server's work and how much the engine's
/// (which, in a real team, runs on each person's own laptop), and whether a slow run was a
/// slow host (on this shared machine a save's processor time itself moves by a sixth
/// between runs of one build, with its latency).
struct CpuMark {
    own: Duration,
    server: std::collections::HashMap<i32, Duration>,
}

impl CpuMark {
    async fn take(admin: &mut sqlx::PgConnection) -> CpuMark {
        // Every server process, background ones (WAL writer, checkpointer) included.
        let pids: Vec<i32> = sqlx::query_scalar("SELECT pid FROM pg_stat_activity")
            .fetch_all(&mut *admin)
            .await
            .unwrap();
        CpuMark {
            own: cpu_of("self").unwrap_or_default(),
            server: pids
                .into_iter()
                .filter_map(|p| Some((p, cpu_of(&p.to_string())?)))
                .collect(),
        }
    }

    /// (this process, the server) since `before`. A server process that started meanwhile
    /// counts whole; one that ended meanwhile is missed (the logins keep theirs open).
    fn since(&self, before: &CpuMark) -> (Duration, Duration) {
        let server = self
            .server
            .iter()
            .map(|(p, t)| t.saturating_sub(before.server.get(p).copied().unwrap_or_default()))
            .sum();
        (self.own.saturating_sub(before.own), server)
    }
}

/// A process's user + system time from /proc/PID/stat, whose counts are in USER_HZ ticks,
/// which Linux fixes at 100 a second for /proc whatever the kernel's own tick rate.
fn cpu_of(pid: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count from after
    // it, where field 3 (the state) comes first; utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}
