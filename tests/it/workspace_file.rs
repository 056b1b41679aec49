//! The workspace file (issue 16): only `init` and `demo` make one; a file that is not a
//! workspace is left byte for byte as it was; several processes opening a new or older
//! workspace at once take turns; a newer or damaged workspace says so; a read-only folder
//! can still be read.
use std::path::Path;
use std::process::Command;

use lotwise::store::sqlite::{Create, SqliteStore};
use sha2::{Digest, Sha256};
use sqlx::migrate::Migrator;

use crate::support::*;

fn sha(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

fn siblings(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn sqlite3(path: &Path, sql: &str) -> String {
    let o = Command::new("sqlite3").arg(path).arg(sql).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn a_mistyped_path_is_refused_and_nothing_is_created() {
    let ws = workspace();
    let o = lotwise(&ws, &["lots", "list"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(err.contains("there is no workspace at"), "{err}");
    assert!(err.contains("lotwise init"), "{err}");
    assert!(
        siblings(ws.dir.path()).is_empty(),
        "{:?}",
        siblings(ws.dir.path())
    );
}

#[test]
fn init_and_demo_make_private_marked_workspaces() {
    use std::os::unix::fs::PermissionsExt;
    let ws = workspace();
    init(&ws);
    let mode = std::fs::metadata(&ws.path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "bids and scores: owner only");
    assert_eq!(sqlite3(&ws.path, "PRAGMA application_id"), "1282372727");
    let again = lotwise(&ws, &["init"]);
    assert_eq!(again.status.code(), Some(3));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    let d = workspace();
    assert!(lotwise(&d, &["demo"]).status.success());
    let mode = std::fs::metadata(&d.path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        !siblings(d.dir.path()).iter().any(|n| n.contains(".new-")),
        "no temporary file left: {:?}",
        siblings(d.dir.path())
    );
}

#[test]
fn an_sqlite_file_of_another_program_is_left_as_it_was() {
    let ws = workspace();
    sqlite3(
        &ws.path,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');",
    );
    let before = sha(&ws.path);
    for args in [&["lots", "list"][..], &["demo"], &["audit", "verify"]] {
        let o = lotwise(&ws, args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        assert!(
            stderr(&o).contains("is an SQLite database but not a Lotwise workspace"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(sha(&ws.path), before, "not a byte changed");
    assert_eq!(
        sqlite3(&ws.path, "PRAGMA journal_mode"),
        "delete",
        "not switched to WAL"
    );

    // An SQLite file with no tables is not turned into a workspace either.
    let empty = workspace();
    sqlite3(&empty.path, "PRAGMA user_version = 1;");
    let before = sha(&empty.path);
    let o = lotwise(&empty, &["demo"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(sha(&empty.path), before);
    // Nor is a text file, or an empty one.
    let text = workspace();
    std::fs::write(&text.path, "area,population\n").unwrap();
    assert!(stderr(&lotwise(&text, &["lots", "list"])).contains("it is not an SQLite database"));
    std::fs::write(&text.path, "").unwrap();
    assert!(stderr(&lotwise(&text, &["demo"])).contains("is an empty file"));
}

#[test]
fn a_workspace_made_before_they_were_marked_still_opens() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    sqlite3(&ws.path, "PRAGMA application_id = 0;");
    let o = lotwise(&ws, &["lots", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn migrations_dir(into: &Path, extra: Option<(&str, &str)>, drop_last: bool) {
    std::fs::create_dir_all(into).unwrap();
    let mut all: Vec<_> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
    all.sort();
    if drop_last {
        all.pop();
    }
    for p in all {
        std::fs::copy(&p, into.join(p.file_name().unwrap())).unwrap();
    }
    if let Some((name, sql)) = extra {
        std::fs::write(into.join(name), sql).unwrap();
    }
}

#[tokio::test]
async fn a_workspace_from_a_newer_lotwise_says_so() {
    let ws = workspace();
    let newer = ws.dir.path().join("newer");
    migrations_dir(
        &newer,
        Some((
            "9999_future.sql",
            "CREATE TABLE future_things (id INTEGER PRIMARY KEY) STRICT;",
        )),
        false,
    );
    let s = SqliteStore::open_with_migrator(
        &ws.path,
        &Migrator::new(newer.as_path()).await.unwrap(),
        Create::IfMissing,
    )
    .await
    .unwrap();
    s.close().await;
    let o = lotwise(&ws, &["lots", "list"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("was made by a newer version of Lotwise (schema 9999; this version knows"),
        "{err}"
    );
    assert!(err.contains("upgrade Lotwise"), "{err}");
    assert!(!err.contains("previously applied"), "{err}");
}

#[tokio::test]
async fn a_failing_migration_leaves_no_copy_behind_on_each_open() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let bad = ws.dir.path().join("bad");
    migrations_dir(
        &bad,
        Some(("9999_broken.sql", "CREATE TABLE lots (x INTEGER);")),
        false,
    );
    let m = Migrator::new(bad.as_path()).await.unwrap();
    for _ in 0..3 {
        let e = match SqliteStore::open_with_migrator(&ws.path, &m, Create::No).await {
            Err(e) => e,
            Ok(_) => panic!("the broken migration applied"),
        };
        assert!(e.message.contains("could not be upgraded"), "{}", e.message);
    }
    let copies: Vec<String> = siblings(ws.dir.path())
        .into_iter()
        .filter(|n| n.contains("before-migration"))
        .collect();
    assert!(copies.is_empty(), "{copies:?}");
    // The workspace is as it was.
    assert!(lotwise(&ws, &["audit", "verify"]).status.success());
}

#[tokio::test]
async fn four_processes_opening_at_once_take_turns() {
    let bin = env!("CARGO_BIN_EXE_lotwise");
    for round in 0..5 {
        // Four `init`s of one new path: one creates it, three are told it exists.
        let ws = workspace();
        let spawned: Vec<_> = (0..4)
            .map(|_| {
                Command::new(bin)
                    .arg("--workspace")
                    .arg(ws.dir.path().join("fresh.lotwise"))
                    .arg("init")
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = spawned
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let ok = outs.iter().filter(|o| o.status.success()).count();
        assert_eq!(
            ok,
            1,
            "round {round}: {:?}",
            outs.iter().map(stderr).collect::<Vec<_>>()
        );
        for o in outs.iter().filter(|o| !o.status.success()) {
            assert!(
                stderr(o).contains("already exists"),
                "round {round}: {}",
                stderr(o)
            );
        }

        // Four commands opening an older workspace: all succeed, one copy is made.
        let older = ws.dir.path().join("older");
        migrations_dir(&older, None, true);
        let old_path = ws.dir.path().join("old.lotwise");
        let s = SqliteStore::open_with_migrator(
            &old_path,
            &Migrator::new(older.as_path()).await.unwrap(),
            Create::IfMissing,
        )
        .await
        .unwrap();
        s.close().await;
        let spawned: Vec<_> = (0..4)
            .map(|_| {
                Command::new(bin)
                    .arg("--workspace")
                    .arg(&old_path)
                    .args(["lots", "list", "--json"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in spawned {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
        let copies = siblings(ws.dir.path())
            .into_iter()
            .filter(|n| n.starts_with("old.before-migration"))
            .count();
        assert_eq!(copies, 1, "round {round}: {:?}", siblings(ws.dir.path()));
    }
}

#[test]
fn a_damaged_page_is_found_with_the_way_to_restore() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    // Overwrite a page in the middle of the file (not the header page).
    let mut bytes = std::fs::read(&ws.path).unwrap();
    let page = 4096;
    let at = (bytes.len() / page / 2) * page;
    for b in &mut bytes[at + 8..at + page] {
        *b = 0xA5;
    }
    std::fs::write(&ws.path, &bytes).unwrap();
    let o = lotwise(&ws, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("is damaged"), "{err}");
    assert!(err.contains("Restore it from your latest backup"), "{err}");
}

#[tokio::test]
async fn the_app_finds_a_damaged_page_when_it_opens_the_workspace() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let mut bytes = std::fs::read(&ws.path).unwrap();
    let at = (bytes.len() / 4096 / 2) * 4096;
    for b in &mut bytes[at + 8..at + 4096] {
        *b = 0x5A;
    }
    std::fs::write(&ws.path, &bytes).unwrap();
    let e = match lotwise::ops::workspace::open_for_app(&ws.path).await {
        Err(e) => e,
        Ok(_) => panic!("a damaged workspace opened"),
    };
    assert_eq!(e.code, lotwise::ErrorCode::Integrity);
    assert!(e.message.contains("is damaged"), "{}", e.message);
}

/// A folder this person cannot write: as a normal user, a folder without write permission;
/// as root (CI), the same folder read as the `nobody` user, since root may write anywhere.
#[test]
fn a_workspace_in_a_read_only_folder_can_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let before = sha(&ws.path);
    std::fs::set_permissions(&ws.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(ws.dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let run = |args: &[&str]| {
        let mut c = if root {
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                env!("CARGO_BIN_EXE_lotwise"),
            ]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_lotwise"))
        };
        c.arg("--workspace")
            .arg(&ws.path)
            .args(args)
            .env("HOME", "/tmp")
            .output()
            .unwrap()
    };
    let o = run(&["lots", "list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Health Trainers"));
    let o = run(&[
        "organisations",
        "add",
        "--name",
        "Medway Council",
        "--kind",
        "unitary_council",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("is open read-only"), "{}", stderr(&o));
    std::fs::set_permissions(ws.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(sha(&ws.path), before);
    let left = siblings(ws.dir.path());
    assert!(
        !left
            .iter()
            .any(|n| n.ends_with("-wal") || n.ends_with("-shm")),
        "reading wrote nothing beside it: {left:?}"
    );
}
