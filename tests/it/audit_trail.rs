use lotwise::domain::audit::AuditVerification;

use crate::support::*;

#[tokio::test]
async fn triggers_refuse_update_and_delete() {
    let ws = workspace();
    let (ctx, store) = ctx(&ws).await;
    lotwise::ops::demo::create(&ctx).await.unwrap();
    let upd = sqlx::query("UPDATE audit_events SET actor = 'someone else' WHERE seq = 3")
        .execute(store.pool())
        .await;
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = sqlx::query("DELETE FROM audit_events WHERE seq = 3")
        .execute(store.pool())
        .await;
    assert!(del.unwrap_err().to_string().contains("append-only"));
    assert!(matches!(
        lotwise::ops::audit::verify(&ctx).await.unwrap(),
        AuditVerification::Ok { .. }
    ));
}

#[tokio::test]
async fn verify_catches_a_row_changed_behind_the_apps_back() {
    let ws = workspace();
    let out = lotwise(&ws, &["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ok = lotwise(&ws, &["audit", "verify"]);
    assert!(ok.status.success());
    assert!(stdout(&ok).starts_with("ok: "), "{}", stdout(&ok));

    // Someone with sqlite3 drops the trigger and rewrites history.
    let tamper = std::process::Command::new("sqlite3")
        .arg(&ws.path)
        .arg("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET after = replace(after, '1850000', '1950000') WHERE seq = (SELECT min(seq) FROM audit_events WHERE action = 'lot.created' AND after LIKE '%1850000%');")
        .output()
        .expect("sqlite3 is installed (make test installs it)");
    assert!(
        tamper.status.success(),
        "{}",
        String::from_utf8_lossy(&tamper.stderr)
    );

    let broken = lotwise(&ws, &["audit", "verify"]);
    assert_eq!(
        broken.status.code(),
        Some(4),
        "exit 4: the record does not verify"
    );
    let err = stderr(&broken);
    assert!(err.contains("audit trail broken at event"), "{err}");
    assert!(err.contains("changed after it was written"), "{err}");
}
