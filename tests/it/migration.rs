//! Before any migration runs on an existing workspace, it is copied aside with VACUUM INTO.
use lotwise::store::sqlite::{Create, SqliteStore};
use sqlx::migrate::Migrator;

use crate::support::*;

#[tokio::test]
async fn an_upgrade_backs_the_workspace_up_first() {
    let ws = workspace();
    let v1 = ws.dir.path().join("v1");
    let v2 = ws.dir.path().join("v2");
    for d in [&v1, &v2] {
        std::fs::create_dir_all(d).unwrap();
        for entry in
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap()
        {
            let e = entry.unwrap();
            std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
        }
    }
    std::fs::write(
        v2.join("9999_future.sql"),
        "CREATE TABLE future_things (id INTEGER PRIMARY KEY) STRICT;",
    )
    .unwrap();

    // A workspace at the current schema, with data in it.
    let store = SqliteStore::open_with_migrator(
        &ws.path,
        &Migrator::new(v1.as_path()).await.unwrap(),
        Create::IfMissing,
    )
    .await
    .unwrap();
    let ctx = lotwise::ops::Ctx::new(
        std::sync::Arc::new(store),
        std::sync::Arc::new(lotwise::ops::FixedClock(now())),
        "t",
    );
    lotwise::ops::demo::create(&ctx).await.unwrap();
    drop(ctx);
    let backups = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(ws.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("before-migration-9999"))
            .collect()
    };
    assert!(backups().is_empty());

    // Opening it with a newer set of migrations copies it aside first.
    let upgraded = SqliteStore::open_with_migrator(
        &ws.path,
        &Migrator::new(v2.as_path()).await.unwrap(),
        Create::IfMissing,
    )
    .await
    .unwrap();
    let found = backups();
    assert_eq!(found.len(), 1, "{found:?}");
    let has_future: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'future_things'")
            .fetch_one(upgraded.pool())
            .await
            .unwrap();
    assert_eq!(has_future, 1);

    // The backup is the workspace as it was: the old schema, the same verified audit chain.
    let out = std::process::Command::new("sqlite3")
        .arg(&found[0])
        .arg("SELECT (SELECT count(*) FROM sqlite_schema WHERE name = 'future_things') || ',' || (SELECT count(*) FROM lots);")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0,8");

    // Opening again at the same version makes no further copy.
    drop(upgraded);
    SqliteStore::open_with_migrator(
        &ws.path,
        &Migrator::new(v2.as_path()).await.unwrap(),
        Create::IfMissing,
    )
    .await
    .unwrap();
    assert_eq!(backups().len(), 1);
}

/// Both backends' migrations carry the same names in the same order: a change to the schema
/// is made on both, or the suite says which one lacks it.
#[test]
fn sqlite_and_postgres_migrations_match_by_name() {
    let names = |backend: &str| -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut v: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        v.sort();
        v
    };
    let (sqlite, postgres) = (names("sqlite"), names("postgres"));
    assert!(!sqlite.is_empty());
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|n| !b.contains(n)).cloned().collect()
    };
    assert_eq!(
        sqlite,
        postgres,
        "only in sqlite: {:?}; only in postgres: {:?}",
        only(&sqlite, &postgres),
        only(&postgres, &sqlite)
    );
}
