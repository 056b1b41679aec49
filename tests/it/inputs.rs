//! Files as officers have them and the mistakes people make (issue 16), through the real
//! CLI on a real workspace: nothing wrong is stored, nothing panics, every error names the
//! file, line and column, and a refused command writes nothing.
use std::path::PathBuf;
use std::process::Command;

use crate::support::*;

fn demo() -> Workspace {
    let ws = workspace();
    let o = lotwise(&ws, &["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    ws
}

fn file(ws: &Workspace, name: &str, bytes: &[u8]) -> PathBuf {
    let p = ws.dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn audit_events(ws: &Workspace) -> u64 {
    let o = lotwise(ws, &["audit", "verify", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["length"].as_u64().unwrap()
}

/// The demo's NCC lot is at evaluation; r.hughes has declared and not yet submitted.
fn as_user(ws: &Workspace, user: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lotwise"))
        .arg("--workspace")
        .arg(&ws.path)
        .args(["--user", user])
        .args(args)
        .env_remove("LOTWISE_ROLE")
        .output()
        .unwrap()
}

fn no_panic(o: &std::process::Output) {
    let err = stderr(o);
    assert_ne!(o.status.code(), Some(101), "panicked: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

const JUST: &str = "The response sets out a clear, evidenced approach with named staff and dates.";

fn scores_csv(header: &str) -> String {
    let mut s = format!("{header}\r\n");
    for (q, v) in [
        ("Q1", "3"),
        ("Q2", "4"),
        ("Q3", "3"),
        ("Q4", "2"),
        ("Q5", "pass"),
        ("SV1", "3"),
    ] {
        s.push_str(&format!(
            "r.hughes,Early Years Together,{q},{v},\"{JUST}\",0\r\n"
        ));
    }
    s
}

#[test]
fn a_column_named_twice_is_refused_and_nothing_is_stored() {
    let ws = demo();
    let before = audit_events(&ws);
    let f = file(
        &ws,
        "scores.csv",
        scores_csv("evaluator,bidder,question,score,justification, Score").as_bytes(),
    );
    let o = as_user(
        &ws,
        "r.hughes",
        &["eval", "import-scores", "4", "--csv", f.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "scores.csv, line 1: the column “score” appears twice (columns 4 and 6, as “Score”)"
        ),
        "{err}"
    );
    assert_eq!(audit_events(&ws), before, "nothing written");

    // Bids: `price,price`.
    let f = file(
        &ws,
        "bids.csv",
        b"supplier,registration_number,lot,price,PRICE\nNew Co Ltd,01234567,,\"100,000\",\"1\"\n",
    );
    let o = lotwise(
        &ws,
        &["eval", "import-bids", "1", "--csv", f.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the column “price” appears twice"),
        "{}",
        stderr(&o)
    );
    assert_eq!(audit_events(&ws), before);
}

#[test]
fn scores_from_excel_on_windows_are_read_and_the_summary_says_how() {
    let ws = demo();
    // Windows-1252 (é as 0xE9), CRLF, and the role taken from r.hughes's panel seat.
    let body = scores_csv("evaluator,bidder,question,score,justification,x").replace(
        JUST,
        "R\u{e9}sum\u{e9} of a clear, evidenced approach with named staff and dates.",
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&body);
    let f = file(&ws, "scores-1252.csv", &bytes);
    let o = as_user(
        &ws,
        "r.hughes",
        &[
            "eval",
            "import-scores",
            "4",
            "--csv",
            f.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["rows"], 6);
    assert_eq!(v["readAs"], "read as Windows-1252");
    let o = as_user(&ws, "r.hughes", &["eval", "show", "4", "--json"]);
    let text = stdout(&o);
    assert!(
        text.contains("Résumé of a clear"),
        "stored as the person wrote it"
    );
    assert!(!text.contains('\u{fffd}'));
}

#[test]
fn bytes_that_are_neither_utf8_nor_windows_1252_are_refused_at_their_line() {
    let ws = demo();
    let before = audit_events(&ws);
    let mut bytes = scores_csv("evaluator,bidder,question,score,justification,x").into_bytes();
    // Valid UTF-8 "é" on line 2, then a stray byte on line 4.
    let at = bytes.iter().position(|&b| b == b'T').unwrap();
    bytes.splice(at..at, "é".bytes());
    let line4 = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .unwrap()
        .0
        + 3;
    bytes.insert(line4, 0xE9);
    let f = file(&ws, "mixed.csv", &bytes);
    let o = as_user(
        &ws,
        "r.hughes",
        &["eval", "import-scores", "4", "--csv", f.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("mixed.csv: line 4, byte 3 of the line (0xE9) is not valid UTF-8"),
        "{err}"
    );
    assert!(err.contains("CSV UTF-8"), "{err}");
    assert_eq!(audit_events(&ws), before);
}

const STAFF_HEADER: &str = "employee_reference,role,grade,annual_pay,fte,hours,contract_type,continuous_service_start,pension_scheme,work_location,wholly_or_mainly_assigned";

fn staff_row(reference: &str, pay: &str, fte: &str) -> String {
    format!(
        "{reference},Health Trainer,Band 4,\"{pay}\",{fte},37.5,permanent,04/09/2009,NHS Pension Scheme,Ashford,yes"
    )
}

#[test]
fn line_numbers_are_right_for_lf_crlf_and_cr_files() {
    let ws = demo();
    for (eol, what) in [("\n", "LF"), ("\r\n", "CRLF"), ("\r", "CR")] {
        // A bad fte on line 3.
        let body = [
            STAFF_HEADER.to_string(),
            staff_row("A1", "27,485", "1.0"),
            staff_row("A2", "27,485", "1.5"),
        ]
        .join(eol);
        let f = file(&ws, "staff.csv", body.as_bytes());
        let o = lotwise(&ws, &["tupe", "import", "7", "--csv", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{what}");
        assert!(
            stderr(&o).contains("staff.csv, line 3, column fte"),
            "{what}: {}",
            stderr(&o)
        );
        // A bad first data row is line 2, not the header.
        let body = [STAFF_HEADER.to_string(), staff_row("A1", "lots", "1.0")].join(eol);
        let f = file(&ws, "staff.csv", body.as_bytes());
        let o = lotwise(&ws, &["tupe", "import", "7", "--csv", f.to_str().unwrap()]);
        assert!(
            stderr(&o).contains("staff.csv, line 2, column annual_pay"),
            "{what}: {}",
            stderr(&o)
        );
    }
    // A quoted field with an embedded line break keeps the count.
    let body = format!(
        "{STAFF_HEADER}\r\nA1,\"Health\r\nTrainer\",Band 4,100,1,37.5,permanent,04/09/2009,NHS Pension Scheme,Ashford,yes\r\n{}\r\n",
        staff_row("A2", "100", "2")
    );
    let f = file(&ws, "staff.csv", body.as_bytes());
    let o = lotwise(&ws, &["tupe", "import", "7", "--csv", f.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("staff.csv, line 4, column fte"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_semicolon_file_is_named_as_such() {
    let ws = demo();
    let f = file(&ws, "staff.csv", STAFF_HEADER.replace(',', ";").as_bytes());
    let o = lotwise(&ws, &["tupe", "import", "7", "--csv", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("this file uses ; (semicolons) between columns"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn huge_numbers_are_field_errors_never_panics_or_stored() {
    let ws = demo();
    let before = audit_events(&ws);
    // Two huge pay values: refused at the first, nothing saved, the TUPE views still work.
    let body = [
        STAFF_HEADER.to_string(),
        staff_row("A1", "£99999999999999999999999m", "1"),
        staff_row("A2", "9999999999999999999999999999", "1"),
    ]
    .join("\n");
    let f = file(&ws, "staff.csv", body.as_bytes());
    let o = lotwise(&ws, &["tupe", "import", "7", "--csv", f.to_str().unwrap()]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "staff.csv, line 2, column annual_pay: “£99999999999999999999999m” is too large"
        ),
        "{}",
        stderr(&o)
    );
    let body = [STAFF_HEADER.to_string(), staff_row("A1", "90,000,000", "1")].join("\n");
    let f = file(&ws, "staff.csv", body.as_bytes());
    let o = lotwise(&ws, &["tupe", "import", "7", "--csv", f.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("more than anyone in a transferring service is paid"),
        "{}",
        stderr(&o)
    );
    assert_eq!(audit_events(&ws), before);
    for args in [["tupe", "show", "7"], ["tupe", "checklist", "7"]] {
        let mut a: Vec<&str> = args.to_vec();
        let out = ws.dir.path().join("c.pdf");
        if args[1] == "checklist" {
            a.extend(["--out", out.to_str().unwrap()]);
        }
        let o = lotwise(&ws, &a);
        no_panic(&o);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }

    // Prices, ceilings and weights.
    let f = file(
        &ws,
        "bids.csv",
        b"supplier,registration_number,lot,price\nNew Co Ltd,01234567,,18446744073709551615\n",
    );
    let o = lotwise(
        &ws,
        &["eval", "import-bids", "1", "--csv", f.to_str().unwrap()],
    );
    no_panic(&o);
    assert!(
        stderr(&o).contains("bids.csv, line 2, column price: “18446744073709551615” is too large"),
        "{}",
        stderr(&o)
    );
    let model = r#"{"sections":[
      {"key":"Q","title":"Quality","kind":"quality","weight":"79228162514264337593543950335","questions":[
        {"key":"Q1","text":"Approach","weight":100,"scale":{"type":"zeroToFive"}}]},
      {"key":"P","title":"Price","kind":"price","weight":40,"price":{"method":"lowestOverBid","affordabilityCeiling":"£99999999999999999999999m"}}]}"#;
    let f = file(&ws, "model.json", model.as_bytes());
    let o = lotwise(
        &ws,
        &["eval", "model", "1", "--import", f.to_str().unwrap()],
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("model.json, line 4, column"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("is too large"), "{}", stderr(&o));
    let f = file(
        &ws,
        "model.json",
        model
            .replace("£99999999999999999999999m", "£500,000")
            .as_bytes(),
    );
    let o = lotwise(
        &ws,
        &["eval", "model", "1", "--import", f.to_str().unwrap()],
    );
    no_panic(&o);
    assert!(
        stderr(&o).contains("needs a weight above 0% and at most 100%"),
        "{}",
        stderr(&o)
    );

    // Allocation: population = total = u64::MAX.
    let f = file(
        &ws,
        "areas.csv",
        b"area,population\nA,18446744073709551615\n",
    );
    let o = lotwise(
        &ws,
        &[
            "allocate",
            "--csv",
            f.to_str().unwrap(),
            "--total",
            "18446744073709551615",
        ],
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("areas.csv, line 2, column population"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stdout(&o).contains('-'),
        "no negative quota: {}",
        stdout(&o)
    );
    let f = file(&ws, "areas.csv", b"area,population\nA,100\n");
    let o = lotwise(
        &ws,
        &[
            "allocate",
            "--csv",
            f.to_str().unwrap(),
            "--total",
            "18446744073709551615",
        ],
    );
    no_panic(&o);
    assert!(
        stderr(&o).contains("is not a whole number of posts up to 1,000,000"),
        "{}",
        stderr(&o)
    );
    assert_eq!(audit_events(&ws), before);
}

#[test]
fn json_inputs_refuse_unknown_fields_and_accept_a_byte_order_mark() {
    let ws = demo();
    let before = audit_events(&ws);
    let o = lotwise(&ws, &["eval", "model", "1", "--template", "standard"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let exported = ws.dir.path().join("model.json");
    let o = lotwise(
        &ws,
        &["eval", "model", "1", "--export", exported.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&exported).unwrap();
    let after_template = audit_events(&ws);
    for (from, to, hint) in [
        (
            "\"minScore\"",
            "\"minscore\"",
            "unknown field “minscore”; did you mean “minScore”?",
        ),
        (
            "\"qualityThreshold\"",
            "\"qualitythreshold\"",
            "unknown field “qualitythreshold”; did you mean “qualityThreshold”?",
        ),
    ] {
        let f = file(&ws, "typo.json", text.replacen(from, to, 1).as_bytes());
        let o = lotwise(
            &ws,
            &["eval", "model", "1", "--import", f.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains(hint), "{}", stderr(&o));
        assert!(stderr(&o).contains("typo.json, line "), "{}", stderr(&o));
    }
    assert_eq!(
        audit_events(&ws),
        after_template,
        "a refused model sets nothing"
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    let f = file(&ws, "bom.json", &bom);
    let o = lotwise(
        &ws,
        &["eval", "model", "1", "--import", f.to_str().unwrap()],
    );
    assert!(o.status.success(), "a BOM is fine: {}", stderr(&o));

    // A narrative of [] is refused, not saved as an empty version.
    let f = file(&ws, "n.json", b"[]");
    let o = lotwise(
        &ws,
        &[
            "paper",
            "7",
            "--kind",
            "extension",
            "--narrative",
            f.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("a paper narrative is a JSON object"),
        "{}",
        stderr(&o)
    );
    let f = file(
        &ws,
        "n.json",
        b"\xEF\xBB\xBF{\"header\": {\"subjct\": \"x\"}}",
    );
    let o = lotwise(
        &ws,
        &[
            "paper",
            "7",
            "--kind",
            "extension",
            "--narrative",
            f.to_str().unwrap(),
        ],
    );
    assert!(
        stderr(&o).contains("did you mean “subject”?"),
        "{}",
        stderr(&o)
    );
    assert!(before < after_template);
}

#[test]
fn a_markdown_specification_with_a_byte_order_mark_is_saved() {
    let ws = demo();
    let f = file(
        &ws,
        "spec.md",
        format!("\u{feff}{SPEC}").replace('\n', "\r\n").as_bytes(),
    );
    let o = lotwise(
        &ws,
        &[
            "spec",
            "save",
            "7",
            "--file",
            f.to_str().unwrap(),
            "--note",
            "From Notepad",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = lotwise(&ws, &["spec", "show", "7", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let text = v.to_string();
    assert!(text.contains("\"heading\":\"Purpose\""), "{text}");
    assert!(!text.contains("\\r"), "no carriage returns kept");
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let ws = demo();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotwise"))
        .arg("--workspace")
        .arg(&ws.path)
        .args(["audit", "log", "--limit", "5000", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe, as `| head -c1` would.
    use std::io::Read;
    let mut one = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut one).unwrap();
    let o = child.wait_with_output().unwrap();
    no_panic(&o);
    use std::os::unix::process::ExitStatusExt;
    assert!(
        o.status.success() || o.status.signal() == Some(libc::SIGPIPE),
        "{:?}: {}",
        o.status,
        stderr(&o)
    );
}

#[test]
fn a_paper_to_a_missing_folder_keeps_nothing() {
    let ws = demo();
    let before = audit_events(&ws);
    let missing = ws.dir.path().join("no-such-folder").join("paper.pdf");
    let o = lotwise(
        &ws,
        &[
            "paper",
            "5",
            "--kind",
            "award",
            "--out",
            missing.to_str().unwrap(),
            "--json",
        ],
    );
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("could not be written: there is no folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(audit_events(&ws), before, "no paper kept or audited");
}

/// A full disk, made for the length of one shell with a tiny tmpfs in a private mount
/// namespace (`unshare`), so nothing is left mounted whatever happens.
fn on_a_full_disk(ws: &Workspace, script: &str) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_lotwise");
    let full = ws.dir.path().join("full");
    std::fs::create_dir_all(&full).unwrap();
    let body = format!(
        "mount -t tmpfs -o size=24k tmpfs '{full}' || exit 77\nL='{bin} --workspace {ws}'\nF='{full}'\n{script}",
        full = full.display(),
        ws = ws.path.display()
    );
    let root = is_root();
    let mut c = Command::new("unshare");
    if !root {
        c.arg("--map-root-user");
    }
    c.args(["--mount", "sh", "-c", &body]).output().unwrap()
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .is_some_and(|l| l.split_whitespace().nth(1) == Some("0"))
}

#[test]
fn a_full_disk_keeps_no_paper_and_leaves_no_half_backup() {
    let ws = demo();
    let before = audit_events(&ws);
    let o = on_a_full_disk(
        &ws,
        r#"$L paper 5 --kind award --out "$F/paper.pdf"; echo "paper exit $?"
ls -A "$F"; echo "listed"
$L backup --out "$F/copy.lotwise"; echo "backup exit $?"
$L backup --out "$F/copy.lotwise"; echo "retry exit $?"
ls -A "$F"; echo "listed""#,
    );
    assert_ne!(
        o.status.code(),
        Some(77),
        "tmpfs could not be mounted: {}",
        stderr(&o)
    );
    let out = stdout(&o);
    let err = stderr(&o);
    assert!(out.contains("paper exit 1"), "{out}\n{err}");
    assert!(
        out.contains("backup exit 1") && out.contains("retry exit 1"),
        "{out}\n{err}"
    );
    assert!(
        !out.contains("paper.pdf") && !out.contains("copy.lotwise"),
        "nothing left behind: {out}"
    );
    assert!(
        err.contains("the disk is full") || err.contains("disk full"),
        "{err}"
    );
    assert!(
        !err.contains("already exists"),
        "the retry is not refused by a leftover: {err}"
    );
    assert_eq!(
        audit_events(&ws),
        before,
        "the paper was neither kept nor audited"
    );
}

#[test]
fn lots_are_named_by_id_or_reference() {
    let ws = demo();
    let o = lotwise(
        &ws,
        &[
            "lots",
            "create",
            "--procurement",
            "KCC-CN",
            "--reference",
            "L1",
            "--title",
            "Extra lot",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = lotwise(&ws, &["eval", "model", "L1", "--template", "standard"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = lotwise(&ws, &["lots", "show", "Lot 1"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("“Lot 1” is the reference of 5 lots"), "{err}");
    assert!(
        err.contains("KCC-PH-HT") && err.contains("--procurement"),
        "{err}"
    );
    let o = lotwise(
        &ws,
        &[
            "lots",
            "show",
            "Lot 1",
            "--procurement",
            "KCC-PH-HT",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["title"], "Health Trainers (Kent)");
    let o = lotwise(&ws, &["tupe", "show", "no such lot"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no lot “no such lot”"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn question_weights_as_shares_of_the_whole() {
    let ws = demo();
    let model = r#"{"questionWeights":"ofTotal","sections":[
      {"key":"Q","title":"Quality","kind":"quality","weight":60,"questions":[
        {"key":"Q1","text":"Approach","weight":15,"scale":{"type":"zeroToFive"}},
        {"key":"Q2","text":"Staffing","weight":15,"scale":{"type":"zeroToFive"}},
        {"key":"Q3","text":"Safeguarding","weight":10,"scale":{"type":"zeroToFive"}},
        {"key":"Q4","text":"Outcomes","weight":10,"scale":{"type":"zeroToFive"}},
        {"key":"Q5","text":"Mobilisation","weight":10,"scale":{"type":"zeroToFive"}}]},
      {"key":"P","title":"Price","kind":"price","weight":40,"price":{"method":"lowestOverBid"}}]}"#;
    let f = file(&ws, "model.json", model.as_bytes());
    let o = lotwise(
        &ws,
        &["eval", "model", "1", "--import", f.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // The same weights without saying so are refused with the hint.
    let f = file(
        &ws,
        "model.json",
        model
            .replace(r#""questionWeights":"ofTotal","#, "")
            .as_bytes(),
    );
    let o = lotwise(
        &ws,
        &["eval", "model", "1", "--import", f.to_str().unwrap()],
    );
    assert!(
        stderr(&o).contains(
            "add up to 60%, not 100% (if the question weights are shares of the whole model"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_role_comes_from_the_panel_seat_and_an_undeclared_moderator_is_told_so() {
    let ws = demo();
    // r.hughes sits on the panel as an evaluator: no --role needed to score.
    let o = as_user(
        &ws,
        "r.hughes",
        &[
            "eval",
            "score",
            "4",
            "--bidder",
            "Early Years Together",
            "--question",
            "Q1",
            "--score",
            "3",
            "--justification",
            JUST,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // s.mills moderates but has not declared: told that, not that a bidder has not bid.
    let f = file(
        &ws,
        "consensus.csv",
        format!("bidder,question,score,reason\nEarly Years Together,Q1,3,\"{JUST}\"\n").as_bytes(),
    );
    let o = as_user(
        &ws,
        "s.mills",
        &["eval", "moderate", "4", "--csv", f.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("declar"), "{err}");
    assert!(!err.contains("has not bid"), "{err}");
    let o = as_user(
        &ws,
        "s.mills",
        &[
            "eval",
            "moderate",
            "4",
            "--bidder",
            "Early Years Together",
            "--question",
            "Q1",
            "--score",
            "3",
            "--reason",
            JUST,
        ],
    );
    assert!(
        stderr(&o).contains("declar") && !stderr(&o).contains("has not bid"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn create_commands_answer_in_json_and_flags_are_named() {
    let ws = demo();
    let j = |args: &[&str]| -> serde_json::Value {
        let o = lotwise(&ws, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        serde_json::from_str(&stdout(&o))
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)))
    };
    assert_eq!(
        j(&[
            "organisations",
            "add",
            "--name",
            "Medway Council",
            "--kind",
            "unitary_council",
            "--json"
        ])["name"],
        "Medway Council"
    );
    assert_eq!(
        j(&[
            "calendar",
            "add-holiday",
            "--date",
            "2027-06-07",
            "--name",
            "Extra day",
            "--nation",
            "uk-any",
            "--source",
            "Proclamation",
            "--json"
        ])["name"],
        "Extra day"
    );
    assert!(
        j(&[
            "lots",
            "milestone",
            "7",
            "--key",
            "tender_notice",
            "--planned",
            "2027-03-01",
            "--json"
        ])["milestones"]
            .is_array()
    );
    assert!(j(&["eval", "panel", "1", "--evaluator", "x.new", "--json"]).is_array());
    let o = lotwise(&ws, &["tupe", "plan", "2", "--transfer-date", "2027-04-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("(--outgoing)"), "{}", stderr(&o));
    // Usage errors (2) and workspace errors (3) are told apart.
    assert_eq!(
        lotwise(&ws, &["lots", "list", "--no-such-flag"])
            .status
            .code(),
        Some(2)
    );
    let missing = Workspace {
        dir: tempfile::tempdir().unwrap(),
        path: PathBuf::from("/nonexistent/typo.lotwise"),
    };
    assert_eq!(lotwise(&missing, &["lots", "list"]).status.code(), Some(3));
}

#[test]
fn the_demo_reads_as_councils_write() {
    let ws = demo();
    let o = lotwise(&ws, &["route", "6", "--json"]);
    let text = stdout(&o);
    assert!(text.contains("Leicester City Council"), "{text}");
    assert!(!text.contains("Kent County Council"), "{text}");
    let out = ws.dir.path().join("ocds.json");
    for p in ["LCC-0019", "NCC-05", "KCC-CN", "KCC-PH-HT", "WK-PREV"] {
        let o = lotwise(&ws, &["export", "ocds", p, "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let json = std::fs::read_to_string(&out).unwrap();
        assert!(
            !json.contains("seed 0") && !json.contains(".txt"),
            "{p} names a source file"
        );
        std::fs::remove_file(&out).unwrap();
    }
}

#[test]
fn the_desktop_csp_refuses_objects_base_and_forms() {
    let conf = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src-tauri/tauri.conf.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&conf).unwrap();
    let csp = v["app"]["security"]["csp"].as_str().unwrap();
    for d in ["object-src 'none'", "base-uri 'none'", "form-action 'none'"] {
        assert!(csp.contains(d), "{csp}");
    }
}
