//! The calendar commands on a real workspace: standstill with its working, working days by
//! nation, the holidays of a year, and a holiday added when the government announces one.
use crate::support::*;

fn json(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

#[test]
fn standstill_working_days_and_holidays_from_the_cli() {
    let ws = workspace();
    init(&ws);
    let v = json(&lotwise(
        &ws,
        &[
            "calendar",
            "standstill",
            "--regime",
            "pa2023",
            "--published",
            "2026-11-24",
            "--json",
        ],
    ));
    assert_eq!(v["lastDay"], "2026-12-04");
    assert_eq!(v["contractMayBeEnteredFrom"], "2026-12-05");
    assert_eq!(v["regime"], "pa2023");
    assert!(
        v["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["date"] == "2026-11-30")
    );
    let text = stdout(&lotwise(
        &ws,
        &[
            "calendar",
            "standstill",
            "--regime",
            "psr",
            "--published",
            "24/11/2026",
        ],
    ));
    assert!(
        // SI 2023/1348 reg 12(2), (9): begins Wednesday 25th (the day after); ends at the
        // end of the 8th working day after that day, Monday 7 December.
        text.contains("Standstill ends at midnight at the end of: 7 December 2026"),
        "{text}"
    );
    assert!(
        text.contains("Standstill begins: 25 November 2026"),
        "{text}"
    );

    // The same four working days differ by nation: Scotland keeps 2 January.
    let ew = json(&lotwise(
        &ws,
        &[
            "calendar",
            "working-days",
            "--from",
            "2026-12-31",
            "--add",
            "1",
            "--json",
        ],
    ));
    assert_eq!(ew["result"], "2027-01-04"); // New Year's Day is a Friday
    let sc = json(&lotwise(
        &ws,
        &[
            "calendar",
            "working-days",
            "--from",
            "2026-12-31",
            "--add",
            "1",
            "--nation",
            "scotland",
            "--json",
        ],
    ));
    assert_eq!(sc["result"], "2027-01-05"); // 2 January (Saturday) moves to Monday 4th
    let ni = json(&lotwise(
        &ws,
        &[
            "calendar",
            "holidays",
            "2025",
            "--nation",
            "northern-ireland",
            "--json",
        ],
    ));
    assert!(
        ni.as_array()
            .unwrap()
            .iter()
            .any(|h| h["date"] == "2025-07-14"),
        "{ni}"
    );

    // Errors name the field and what was expected; nothing is written.
    let o = lotwise(
        &ws,
        &[
            "calendar",
            "standstill",
            "--regime",
            "eu",
            "--published",
            "2026-11-24",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("expected pa2023 or psr"));
    let o = lotwise(
        &ws,
        &[
            "calendar",
            "working-days",
            "--from",
            "11/24/2026",
            "--add",
            "2",
        ],
    );
    assert!(stderr(&o).contains("field: from"), "{}", stderr(&o));
    let o = lotwise(&ws, &["calendar", "holidays", "2017"]);
    assert!(stderr(&o).contains("2018 to 2100"), "{}", stderr(&o));
}

#[test]
fn an_announced_holiday_moves_every_deadline_and_is_audited() {
    let ws = workspace();
    init(&ws);
    let before = json(&lotwise(
        &ws,
        &[
            "calendar",
            "standstill",
            "--regime",
            "pa2023",
            "--published",
            "2027-06-01",
            "--json",
        ],
    ));
    let o = lotwise(
        &ws,
        &[
            "calendar",
            "add-holiday",
            "--date",
            "2027-06-07",
            "--name",
            "Bank holiday (announced)",
            "--nation",
            "scotland",
            "--source",
            "Proclamation of 2026",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let after = json(&lotwise(
        &ws,
        &[
            "calendar",
            "standstill",
            "--regime",
            "pa2023",
            "--published",
            "2027-06-01",
            "--json",
        ],
    ));
    assert_eq!(before["lastDay"], "2027-06-10");
    assert_eq!(
        after["lastDay"], "2027-06-11",
        "a Scottish holiday stops the Act's clock"
    );
    // Not in England's calendar.
    let psr = json(&lotwise(
        &ws,
        &[
            "calendar",
            "working-days",
            "--from",
            "2027-06-04",
            "--add",
            "1",
            "--json",
        ],
    ));
    assert_eq!(psr["result"], "2027-06-07");
    let o = lotwise(
        &ws,
        &[
            "calendar",
            "add-holiday",
            "--date",
            "2027-06-07",
            "--name",
            "Again",
            "--nation",
            "scotland",
            "--source",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already held"), "{}", stderr(&o));
    let log = stdout(&lotwise(&ws, &["audit", "log", "--json"]));
    assert!(log.contains("calendar.holiday_added"));
}
