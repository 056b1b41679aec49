use crate::support::*;

#[test]
fn lots_list_and_show_json() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let out = lotwise(&ws, &["lots", "list", "--json"]);
    assert!(out.status.success());
    let cards: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cards = cards.as_array().unwrap();
    assert_eq!(cards.len(), 8);
    let dgs = cards
        .iter()
        .find(|c| c["title"] == "Community Navigation: DGS&S")
        .unwrap();
    assert_eq!(dgs["stage"], "tender");
    assert_eq!(dgs["estimatedAnnualValue"], "1850000.00");
    assert_eq!(dgs["partCodes"], serde_json::json!(["A", "B"]));

    let id = dgs["id"].as_i64().unwrap().to_string();
    let out = lotwise(&ws, &["lots", "show", &id, "--json"]);
    let lot: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(lot["term"], "5+2");
    assert_eq!(lot["wholeLifeValue"], "12950000.00");
    assert_eq!(lot["parts"][1]["title"], "Community Navigation for Carers");
}

#[test]
fn create_advance_and_errors_through_the_cli() {
    let ws = workspace();
    init(&ws);
    let run = |args: &[&str]| lotwise(&ws, args);
    assert!(
        run(&[
            "organisations",
            "add",
            "--name",
            "Kent County Council",
            "--kind",
            "county_council"
        ])
        .status
        .success()
    );
    let out = run(&[
        "procurements",
        "create",
        "--reference",
        "KCC-CN",
        "--title",
        "Community Navigation",
        "--service",
        "Care navigation",
        "--commissioner",
        "Kent County Council",
        "--budget",
        "2026/27=£5,950,000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&[
        "lots",
        "create",
        "--procurement",
        "KCC-CN",
        "--reference",
        "Lot 1",
        "--title",
        "Community Navigation: East Kent",
        "--value",
        "£2,400,000",
        "--term",
        "5+2",
        "--part",
        "A: Community Navigation",
        "--part",
        "B: Community Navigation for Carers",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lot: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = lot["id"].as_i64().unwrap().to_string();

    // Bad input: exit 1, message names the field, nothing written.
    let before = stdout(&run(&["audit", "log", "--json", "--limit", "1"]));
    let bad = run(&[
        "lots",
        "create",
        "--procurement",
        "KCC-CN",
        "--reference",
        "Lot 2",
        "--title",
        "West Kent",
        "--value",
        "lots",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("field: estimatedAnnualValue"),
        "{}",
        stderr(&bad)
    );
    let gate = run(&["lots", "advance", &id, "--to", "draft_specification"]);
    assert!(gate.status.success());
    let gate = run(&["lots", "advance", &id, "--to", "tender"]);
    assert_eq!(gate.status.code(), Some(1));
    assert!(
        stderr(&gate).contains("missing: a planned tender submission deadline"),
        "{}",
        stderr(&gate)
    );
    let after = stdout(&run(&["audit", "log", "--json", "--limit", "1"]));
    let total = |s: &str| {
        serde_json::from_str::<serde_json::Value>(s).unwrap()["total"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        total(&after),
        total(&before) + 1,
        "only the successful advance was written"
    );

    assert!(
        run(&[
            "lots",
            "milestone",
            &id,
            "--key",
            "submission_deadline",
            "--planned",
            "15/01/2027"
        ])
        .status
        .success()
    );
    let refused = run(&["lots", "advance", &id, "--to", "tender"]);
    assert!(
        stderr(&refused).contains("an approved evaluation model"),
        "{}",
        stderr(&refused)
    );
    let model = run(&["eval", "model", &id, "--template", "standard", "--approve"]);
    assert!(model.status.success(), "{}", stderr(&model));
    cli_route_ready(run, &id, "2026-12-01");
    let ok = run(&["lots", "advance", &id, "--to", "tender"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("is now at Tender"));
}

#[test]
fn contracts_add_and_expiring() {
    let ws = workspace();
    init(&ws);
    let out = lotwise(
        &ws,
        &[
            "contracts",
            "add",
            "--reference",
            "C-1",
            "--title",
            "Health Trainers",
            "--service",
            "Public health",
            "--provider",
            "Kent Community Health NHS Foundation Trust",
            "--annual-value",
            "£1,462,000",
            "--start",
            "01/04/2024",
            "--term",
            "2+1+1",
            "--option",
            "taken",
            "--option",
            "available",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["dates"]["currentEnd"], "2027-03-31");
    assert_eq!(c["dates"]["finalPossibleEnd"], "2028-03-31");

    let out = lotwise(
        &ws,
        &["contracts", "expiring", "--within-months", "18", "--json"],
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["reprocureStartBy"], "2026-09-30");
    assert_eq!(list[0]["extensionDecisionBy"], "2026-12-31");
    // Began before the Act: a UK11 only if awarded under it; the date is still shown, 30
    // days beginning with the day it ends (31 March 2027 is day 1) (s80).
    let uk11 = &list[0]["terminationNotice"];
    assert_eq!(uk11["due"], "2027-04-29");
    assert_eq!(uk11["required"], false);
    assert!(
        uk11["rule"]
            .as_str()
            .unwrap()
            .contains("Public Contracts Regulations 2015")
    );
    // A contract begun under the Act needs one: expiry is a termination (s80(3)(b)).
    let out = lotwise(
        &ws,
        &[
            "contracts",
            "add",
            "--reference",
            "C-2",
            "--title",
            "Carers support",
            "--service",
            "Social care",
            "--provider",
            "Carers Trust",
            "--annual-value",
            "£250,000",
            "--start",
            "01/04/2025",
            "--term",
            "2",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = lotwise(&ws, &["contracts", "expiring", "--within-months", "18"]);
    assert!(
        stdout(&out).contains("If it ends on 31 March 2027, publish a contract termination notice (UK11) by 29 April 2027"),
        "{}",
        stdout(&out)
    );

    let option = |number: &str, status: &str| {
        lotwise(
            &ws,
            &[
                "contracts",
                "option",
                "C-1",
                "--number",
                number,
                "--status",
                status,
            ],
        )
    };
    // Taking option 2 moves the end; declining option 1 under a taken option 2 is refused.
    let ok = option("2", "taken");
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        stdout(&ok).contains("it now ends 31 March 2028"),
        "{}",
        stdout(&ok)
    );
    let bad = option("1", "declined");
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("option 2 cannot be taken"),
        "{}",
        stderr(&bad)
    );
    let bad = option("3", "taken");
    assert!(
        stderr(&bad).contains("there is no option 3"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn backup_is_a_working_workspace() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let copy = ws.dir.path().join("copy.lotwise");
    let out = lotwise(&ws, &["backup", "--out", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let again = lotwise(&ws, &["backup", "--out", copy.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1), "never overwrites");
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_lotwise"))
        .args(["--workspace", copy.to_str().unwrap(), "audit", "verify"])
        .output()
        .unwrap();
    assert!(stdout(&verify).starts_with("ok: "), "{}", stdout(&verify));
}

#[test]
fn the_amber_window_is_configurable() {
    let ws = workspace();
    assert!(lotwise(&ws, &["demo"]).status.success());
    let count = |days: &str| {
        let out = lotwise(&ws, &["lots", "list", "--json", "--amber-days", days]);
        assert!(out.status.success(), "{}", stderr(&out));
        let cards: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        cards
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["rag"] == "amber")
            .count()
    };
    // West Kent's next milestone is 20 days away: green at 14 days, amber at 30.
    assert!(count("30") > count("14"));
    let bad = lotwise(&ws, &["lots", "list", "--amber-days", "400"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("between 0 and 365"));
}

fn seed_csv(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    let p = dir.join("areas.csv");
    std::fs::write(&p, body).unwrap();
    p
}

const SEED_004: &str = "Area,Total Population,Population,Share\nAshford,\"127,250\",\"38,479\",30.2%\nC&C,\"215,077\",\"68,319\",31.8%\nDGS,\"258,962\",\"73,868\",28.5%\nSKC,\"198,365\",\"75,499\",38.1%\nSwale,\"108,131\",\"34,481\",31.9%\nThanet,\"142,587\",\"50,285\",35.3%\nWest Kent,\"478,966\",\"147,289\",30.8%\n";

#[test]
fn allocate_reproduces_the_seed_table() {
    let ws = workspace();
    let csv = seed_csv(ws.dir.path(), SEED_004);
    for args in [["--total", "25"], ["--per", "20000"]] {
        let out = lotwise(
            &ws,
            &[
                "allocate",
                "--csv",
                csv.to_str().unwrap(),
                args[0],
                args[1],
                "--json",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let a: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let posts: Vec<u64> = a["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["allocation"].as_u64().unwrap())
            .collect();
        assert_eq!(posts, vec![2, 3, 4, 4, 2, 3, 7], "{args:?}");
        assert_eq!(a["total"], 25);
        assert_eq!(a["totalPopulation"], 488_220);
    }
    assert!(
        !ws.path.exists(),
        "allocation never creates or touches a workspace"
    );
}

#[test]
fn allocate_errors_name_the_file_line_and_column() {
    let ws = workspace();
    let csv = seed_csv(
        ws.dir.path(),
        "area,population\nAshford,\"38,479\"\nC&C,lots\n",
    );
    let out = lotwise(
        &ws,
        &["allocate", "--csv", csv.to_str().unwrap(), "--total", "25"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("areas.csv, line 3, column population: “lots” is not a whole number"),
        "{err}"
    );

    let csv = seed_csv(ws.dir.path(), "name,people\nAshford,1\n");
    let err = stderr(&lotwise(
        &ws,
        &["allocate", "--csv", csv.to_str().unwrap(), "--total", "25"],
    ));
    assert!(err.contains("line 1: no “area” column"), "{err}");

    let csv = seed_csv(ws.dir.path(), "area,population\nAshford,1\nashford,2\n");
    let err = stderr(&lotwise(
        &ws,
        &["allocate", "--csv", csv.to_str().unwrap(), "--total", "25"],
    ));
    assert!(
        err.contains("line 3, column area: “ashford” appears twice"),
        "{err}"
    );

    let both = lotwise(
        &ws,
        &[
            "allocate",
            "--csv",
            csv.to_str().unwrap(),
            "--total",
            "25",
            "--per",
            "100",
        ],
    );
    assert_eq!(
        both.status.code(),
        Some(2),
        "clap refuses the pair as a usage error"
    );
}
