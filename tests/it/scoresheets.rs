//! Offline scoresheets: exported for one evaluator, filled and signed on their own computer
//! (their own data folder, their own key), imported as their submitted scores; and every
//! refusal the issue names, each leaving nothing written.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lotwise::domain::eval::EvalScope;
use lotwise::domain::roles::Role;
use lotwise::ops::{Ctx, eval};

use crate::evaluation::{BIDS, full, lot_at_tender, to_evaluation};
use crate::support::*;

/// A lot in evaluation with three bids; "r.ahmed" and "b.jones" on the panel and declared,
/// and b.jones has saved one score (which must never travel on r.ahmed's sheet).
async fn lot_in_evaluation_of(
    ctx: &Ctx,
) -> (
    lotwise::domain::ids::LotId,
    lotwise::domain::ids::ProcurementId,
) {
    let p = kcc_procurement(ctx).await;
    let lot = lot_at_tender(ctx, p, "Lot 1", "£1,000,000").await;
    eval::import_bids_text(ctx, lot, BIDS, "bids.csv")
        .await
        .unwrap();
    to_evaluation(ctx, lot).await;
    for e in ["r.ahmed", "b.jones"] {
        eval::add_panel_member(ctx, lot, e, "evaluator")
            .await
            .unwrap();
        eval::declare(&ctx.acting_as(e, Role::Evaluator), lot, None)
            .await
            .unwrap();
    }
    eval::import_scores_text(
        &ctx.acting_as("b.jones", Role::Evaluator),
        lot,
        &crate::evaluation::scores_csv("b.jones", &[("Alpha Care Ltd", "Q2", "4")]),
        "b.csv",
    )
    .await
    .unwrap();
    (lot, p)
}

async fn lot_in_evaluation(ctx: &Ctx) -> lotwise::domain::ids::LotId {
    lot_in_evaluation_of(ctx).await.0
}

/// The `lotwise` binary on an evaluator's own computer: no workspace, their data folder.
fn evaluator_cli(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lotwise"))
        .args(args)
        .env("XDG_DATA_HOME", home)
        .output()
        .expect("run lotwise")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn submitted(st: &lotwise::domain::eval::EvalState, who: &str) -> bool {
    st.member(who).unwrap().submitted_at.is_some()
}

#[tokio::test]
async fn a_sheet_goes_out_comes_back_signed_and_counts_as_submitted() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let lot = lot_in_evaluation(&ctx).await;
    drop(_s);
    let dir = ws.dir.path();
    let sheet = dir.join("r.ahmed.lwsheet");
    let o = lotwise(
        &ws,
        &[
            "eval",
            "scoresheet",
            "export",
            "Lot 1",
            "--evaluator",
            "r.ahmed",
            "--out",
            s(&sheet),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("3 bidders × 3 questions"),
        "{}",
        stdout(&o)
    );

    // What travels: the model, the bidders and the declaration; never a price or
    // another evaluator's score.
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(text.contains("Alpha Care Ltd") && text.contains("Service model"));
    assert!(text.contains("Procurement Act 2023, sections 81 and 82"));
    for price in ["100000", "10000000", "£100,000", "105000"] {
        assert!(!text.contains(price), "a price travelled: {price}");
    }
    assert!(
        !text.contains("b.jones"),
        "another evaluator is on the sheet"
    );
    assert!(
        !text.contains("Section Q2 of the bid"),
        "another's justification travelled"
    );

    // On the evaluator's laptop: a key, its fingerprint, the sheet filled and signed.
    let home = dir.join("r.ahmed-home");
    let o = evaluator_cli(&home, &["scoresheet", "key", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let key: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let words = key["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(words.split(' ').count(), 6);
    assert!(key["created"].as_bool().unwrap());
    let again: serde_json::Value =
        serde_json::from_slice(&evaluator_cli(&home, &["scoresheet", "key", "--json"]).stdout)
            .unwrap();
    assert_eq!(again["fingerprint"], key["fingerprint"], "the key is kept");
    assert!(!again["created"].as_bool().unwrap());

    let scores = write(dir, "scores.csv", &full("r.ahmed", 4, 3, 2));
    let filled = dir.join("r.ahmed.lwscores");
    let o = evaluator_cli(
        &home,
        &[
            "scoresheet",
            "fill",
            s(&sheet),
            "--scores",
            s(&scores),
            "--declare",
            "none",
            "--out",
            s(&filled),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(&words));

    // The first import needs the fingerprint read over the phone.
    let o = lotwise(&ws, &["eval", "scoresheet", "import", s(&filled)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains(&words), "{}", stderr(&o));
    let o = lotwise(
        &ws,
        &[
            "eval",
            "scoresheet",
            "import",
            s(&filled),
            "--fingerprint",
            &words.to_uppercase(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["scores"], 9);
    assert_eq!(r["keyRegistered"], true);
    let sha = r["sha256"].as_str().unwrap().to_string();

    // The evaluator's submitted scores, exactly as scored in the app.
    let (ctx, _s) = crate::support::ctx(&ws).await;
    let mine = eval::load::read(&ctx, lot, "r.ahmed", EvalScope::OwnScores)
        .await
        .unwrap();
    assert!(submitted(&mine, "r.ahmed"));
    assert_eq!(
        mine.scores
            .iter()
            .filter(|x| x.evaluator == "r.ahmed")
            .count(),
        9
    );
    assert!(
        mine.scores
            .iter()
            .any(|x| x.evaluator == "r.ahmed" && x.question == "Q1" && x.score == 4)
    );
    // The trail keeps the signature and the file's SHA-256.
    let log = lotwise(&ws, &["audit", "log", "--json", "--limit", "40"]);
    let log = stdout(&log);
    assert!(log.contains("eval.scoresheet_imported") && log.contains(&sha));
    assert!(log.contains("eval.scoresheet_key_registered"));
    let v = lotwise(&ws, &["audit", "verify"]);
    assert!(v.status.success(), "{}", stdout(&v));

    // The same submission again is refused, naming why.
    let o = lotwise(&ws, &["eval", "scoresheet", "import", s(&filled)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already imported"), "{}", stderr(&o));
}

/// Exports r.ahmed's sheet, fills it with the given key folder, and returns the file bytes.
async fn signed_sheet(
    ctx: &Ctx,
    lot: lotwise::domain::ids::LotId,
    key_seed: u8,
    csv: &str,
) -> Vec<u8> {
    let (_, bytes) = eval::scoresheet::export(ctx, lot, "r.ahmed").await.unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[key_seed; 32]);
    let f = eval::scoresheet::fill(
        &bytes,
        "r.ahmed.lwsheet",
        &lotwise::ops::textfile::TextFile::from_text(csv, "scores.csv"),
        "none",
        &key,
        now(),
    )
    .unwrap();
    serde_json::to_vec_pretty(&f).unwrap()
}

fn fingerprint_of(seed: u8) -> String {
    lotwise::domain::eval::scoresheet::fingerprint(
        &ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key(),
    )
}

async fn nothing_written(ctx: &Ctx, lot: lotwise::domain::ids::LotId, before: i64) {
    let st = eval::load::read(ctx, lot, "r.ahmed", EvalScope::OwnScores)
        .await
        .unwrap();
    assert!(!submitted(&st, "r.ahmed"));
    assert!(st.scores.iter().all(|x| x.evaluator != "r.ahmed"));
    assert_eq!(
        audit_len(ctx).await,
        before,
        "the refusal wrote to the trail"
    );
}

#[tokio::test]
async fn tampered_scores_another_key_lot_or_model_are_refused_and_nothing_is_written() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let (lot, p) = lot_in_evaluation_of(&ctx).await;
    let csv = full("r.ahmed", 4, 3, 2);

    // A score changed after signing.
    let good = signed_sheet(&ctx, lot, 1, &csv).await;
    let text = String::from_utf8(good.clone()).unwrap();
    let tampered = text.replacen(r#"\"score\": 4"#, r#"\"score\": 5"#, 1);
    assert_ne!(tampered, text);
    let before = audit_len(&ctx).await;
    let e = eval::scoresheet::import(
        &ctx,
        tampered.as_bytes(),
        "t.lwscores",
        None,
        Some(&fingerprint_of(1)),
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("signature does not match"),
        "{}",
        e.message
    );
    // A justification changed after signing.
    let tampered = text.replacen("Section Q1 of the bid", "Section Q1 of the bod", 1);
    assert_ne!(tampered, text);
    let e = eval::scoresheet::import(
        &ctx,
        tampered.as_bytes(),
        "t.lwscores",
        None,
        Some(&fingerprint_of(1)),
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("signature does not match"),
        "{}",
        e.message
    );
    nothing_written(&ctx, lot, before).await;

    // Into another lot than the one the officer is importing into.
    let other = lot_at_tender(&ctx, p, "Lot 2", "£500,000").await;
    let before = audit_len(&ctx).await;
    let e = eval::scoresheet::import(
        &ctx,
        &good,
        "g.lwscores",
        Some(other),
        Some(&fingerprint_of(1)),
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("not lot Lot 2"), "{}", e.message);
    nothing_written(&ctx, lot, before).await;

    // A sheet exported on an earlier version of the model (the model cannot change once
    // evaluation starts, so the sheet is made as one exported before would be).
    let (_, bytes) = eval::scoresheet::export(&ctx, lot, "r.ahmed")
        .await
        .unwrap();
    let mut older: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    older["modelVersion"] = (older["modelVersion"].as_i64().unwrap() - 1).into();
    let f = eval::scoresheet::fill(
        &serde_json::to_vec(&older).unwrap(),
        "older.lwsheet",
        &lotwise::ops::textfile::TextFile::from_text(&csv, "scores.csv"),
        "none",
        &ed25519_dalek::SigningKey::from_bytes(&[1; 32]),
        now(),
    )
    .unwrap();
    let stale = serde_json::to_vec(&f).unwrap();
    let before = audit_len(&ctx).await;
    let e = eval::scoresheet::import(&ctx, &stale, "s.lwscores", None, Some(&fingerprint_of(1)))
        .await
        .unwrap_err();
    assert!(
        e.message
            .contains("changed after this scoresheet was exported"),
        "{}",
        e.message
    );
    nothing_written(&ctx, lot, before).await;

    // The good one still goes in, once.
    eval::scoresheet::import(&ctx, &good, "g.lwscores", None, Some(&fingerprint_of(1)))
        .await
        .unwrap();
}

#[tokio::test]
async fn after_the_first_import_another_key_is_refused() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let lot = lot_in_evaluation(&ctx).await;
    // b.jones's key registered by her own first import (her sheet, her scores).
    let (_, bytes) = eval::scoresheet::export(&ctx, lot, "b.jones")
        .await
        .unwrap();
    let f = eval::scoresheet::fill(
        &bytes,
        "b.lwsheet",
        &lotwise::ops::textfile::TextFile::from_text(&full("b.jones", 3, 3, 3), "b.csv"),
        "none",
        &ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
        now(),
    )
    .unwrap();
    let b = serde_json::to_vec(&f).unwrap();
    // The wrong words are refused; the right ones register the key.
    let e = eval::scoresheet::import(&ctx, &b, "b.lwscores", None, Some(&fingerprint_of(8)))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("fingerprint"));
    eval::scoresheet::import(&ctx, &b, "b.lwscores", None, Some(&fingerprint_of(7)))
        .await
        .unwrap();
    // Two sheets went out to r.ahmed. The first comes back signed with his key and
    // registers it; the second, signed with another key (say, by someone else), is refused
    // whatever fingerprint is offered.
    let first = signed_sheet(&ctx, lot, 1, &full("r.ahmed", 4, 3, 2)).await;
    let second = signed_sheet(&ctx, lot, 2, &full("r.ahmed", 1, 1, 1)).await;
    eval::scoresheet::import(&ctx, &first, "r1.lwscores", None, Some(&fingerprint_of(1)))
        .await
        .unwrap();
    let before = audit_len(&ctx).await;
    let e = eval::scoresheet::import(&ctx, &second, "r2.lwscores", None, Some(&fingerprint_of(2)))
        .await
        .unwrap_err();
    assert!(e.message.contains("not r.ahmed's key"), "{}", e.message);
    assert_eq!(audit_len(&ctx).await, before);
    let st = eval::load::read(&ctx, lot, "r.ahmed", EvalScope::OwnScores)
        .await
        .unwrap();
    assert!(
        st.scores
            .iter()
            .any(|x| x.evaluator == "r.ahmed" && x.question == "Q1" && x.score == 4)
    );
}

#[tokio::test]
async fn an_incomplete_or_conflicted_sheet_is_refused_when_filled() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let lot = lot_in_evaluation(&ctx).await;
    let (_, bytes) = eval::scoresheet::export(&ctx, lot, "r.ahmed")
        .await
        .unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    let part = crate::evaluation::scores_csv("r.ahmed", &[("Alpha Care Ltd", "Q1", "4")]);
    let e = eval::scoresheet::fill(
        &bytes,
        "r.lwsheet",
        &lotwise::ops::textfile::TextFile::from_text(&part, "scores.csv"),
        "none",
        &key,
        now(),
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("scores.csv: the scoresheet is not complete"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("Beta Trust (consortium lead): Q1"),
        "{}",
        e.message
    );

    // A wrong score names the row and column, as Excel users count them.
    let bad = full("r.ahmed", 4, 3, 2).replacen(",4,", ",9,", 1);
    let e = eval::scoresheet::fill(
        &bytes,
        "r.lwsheet",
        &lotwise::ops::textfile::TextFile::from_text(&bad, "scores.csv"),
        "none",
        &key,
        now(),
    )
    .unwrap_err();
    assert!(e.message.contains("line 2"), "{}", e.message);
    assert_eq!(e.field.as_deref(), Some("score"));

    let e = eval::scoresheet::fill(
        &bytes,
        "r.lwsheet",
        &lotwise::ops::textfile::TextFile::from_text(&full("r.ahmed", 4, 3, 2), "scores.csv"),
        "conflict with Alpha",
        &key,
        now(),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("declare"));

    // Nobody off the panel, and no moderator, gets a sheet.
    let e = eval::scoresheet::export(&ctx, lot, "someone.else")
        .await
        .unwrap_err();
    assert!(e.message.contains("not on the panel"), "{}", e.message);
}

/// The scoring-only mode's keeping, on the evaluator's own computer: each score checked and
/// kept as it is saved, still there when the sheet is opened again, the declaration needed
/// to submit, and a sheet changed after scoring began is refused rather than mixed up.
#[tokio::test]
async fn scoring_only_keeps_every_score_and_signs_on_submit() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let lot = lot_in_evaluation(&ctx).await;
    let (_, bytes) = eval::scoresheet::export(&ctx, lot, "r.ahmed")
        .await
        .unwrap();
    let laptop = ws.dir.path().join("laptop");
    std::fs::create_dir_all(&laptop).unwrap();
    let sheet_path = laptop.join("r.ahmed.lwsheet");
    std::fs::write(&sheet_path, &bytes).unwrap();
    // nextest runs each test in a process of its own: this folder is this test's alone.
    unsafe { std::env::set_var("XDG_DATA_HOME", laptop.join("data")) };

    use eval::offline::{OfflineSheet, SheetScoreInput};
    let alpha = crate::evaluation::bid(&ctx, lot, "Alpha Care Ltd").await;
    let mut o = OfflineSheet::open(&sheet_path).unwrap();
    let e = o
        .save(&SheetScoreInput {
            bid_id: alpha,
            question: "Q1".into(),
            score: "7".into(),
            justification: "Section one of the bid gives the evidence".into(),
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("score"));
    let e = o
        .save(&SheetScoreInput {
            bid_id: alpha,
            question: "Q1".into(),
            score: "4".into(),
            justification: "too short".into(),
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("justification"));
    o.save(&SheetScoreInput {
        bid_id: alpha,
        question: "Q1".into(),
        score: "4".into(),
        justification: "Section one of the bid gives named staff and dates".into(),
    })
    .unwrap();
    drop(o);

    // Opened again (after a crash, say): the score is there.
    let mut o = OfflineSheet::open(&sheet_path).unwrap();
    assert_eq!(o.view().unwrap().scores.len(), 1);
    let e = o.submit(true, now()).unwrap_err();
    assert!(e.message.contains("not complete"), "{}", e.message);
    let csv = full("r.ahmed", 4, 3, 2);
    o.import_csv(&lotwise::ops::textfile::TextFile::from_text(&csv, "s.csv"))
        .unwrap();
    let e = o.submit(false, now()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("declaration"));
    let done = o.submit(true, now()).unwrap();
    assert!(done.path.ends_with("r.ahmed.lwscores"));
    assert!(o.submit(true, now()).is_err(), "submitted twice");
    let words = o.view().unwrap().fingerprint;
    let signed = std::fs::read(&done.path).unwrap();
    let r = eval::scoresheet::import(&ctx, &signed, "r.ahmed.lwscores", Some(lot), Some(&words))
        .await
        .unwrap();
    assert_eq!(r.scores, 9);

    // The same sheet's file changed after scoring began: refused, the kept scores untouched.
    let mut changed: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    changed["lotTitle"] = "Something else".into();
    std::fs::write(&sheet_path, serde_json::to_vec(&changed).unwrap()).unwrap();
    let e = match OfflineSheet::open(&sheet_path) {
        Err(e) => e,
        Ok(_) => panic!("a changed sheet opened"),
    };
    assert!(
        e.message.contains("has been changed since"),
        "{}",
        e.message
    );
}

/// The award pack's manifest lists each signed scoresheet by its file's SHA-256 and the key
/// that signed it, so legal can check who scored what against the files themselves.
#[tokio::test]
async fn the_award_pack_lists_the_signed_scoresheets() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    lotwise::ops::demo::create(&ctx).await.unwrap();
    let board = lotwise::ops::lots::board(&ctx).await.unwrap();
    let lot = board
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .find(|c| c.title == "Integrated 0-5 Public Health Services")
        .unwrap()
        .id;
    // r.hughes, part-way through in the demo, finishes on a scoresheet.
    let (sheet, bytes) = eval::scoresheet::export(&ctx, lot, "r.hughes")
        .await
        .unwrap();
    let mut csv = String::from("evaluator,bidder,question,score,justification\n");
    for b in &sheet.bidders {
        for (_, q) in sheet.model.questions() {
            let score = if q.scale.max() == 1 { "pass" } else { "3" };
            csv.push_str(&format!(
                "r.hughes,{},{},{score},The answer to {} sets out named staff and a timetable for the service\n",
                b.name, q.key, q.key
            ));
        }
    }
    let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let f = eval::scoresheet::fill(
        &bytes,
        "r.hughes.lwsheet",
        &lotwise::ops::textfile::TextFile::from_text(&csv, "s.csv"),
        "none",
        &key,
        now(),
    )
    .unwrap();
    let file = serde_json::to_vec_pretty(&f).unwrap();
    let r = eval::scoresheet::import(
        &ctx,
        &file,
        "r.hughes.lwscores",
        None,
        Some(&fingerprint_of(5)),
    )
    .await
    .unwrap();

    // Moderated, signed off, the award paper kept: then the pack.
    let mo = ctx.acting_as("s.mills", Role::Moderator);
    eval::declare(&mo, lot, None).await.unwrap();
    let mut consensus = String::from("bidder,question,score,reason\n");
    for b in &sheet.bidders {
        for (_, q) in sheet.model.questions() {
            let score = if q.scale.max() == 1 { "pass" } else { "3" };
            consensus.push_str(&format!(
                "{},{},{score},Agreed at moderation against the bid's own answer to {}\n",
                b.name, q.key, q.key
            ));
        }
    }
    eval::import_consensus_text(&mo, lot, &consensus, "c.csv")
        .await
        .unwrap();
    for (who, role) in [
        ("s.mills", Role::Moderator),
        ("a.okafor", Role::Evaluator),
        ("j.patel", Role::Evaluator),
        ("r.hughes", Role::Evaluator),
    ] {
        eval::sign_off(&ctx.acting_as(who, role), lot)
            .await
            .unwrap();
    }
    lotwise::ops::lots::advance_stage(
        &ctx,
        lotwise::ops::lots::AdvanceStage {
            lot_id: lot,
            to: "award".into(),
            reason: None,
        },
    )
    .await
    .unwrap();
    // The award paper's narrative, as the demo wrote it for West Kent.
    let wk = board
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .find(|c| c.title == "Specialist Preventative Services (West Kent)")
        .unwrap()
        .id;
    let award = lotwise::domain::paper::PaperKind::Award;
    let narrative = lotwise::ops::papers::view(&ctx, wk, award)
        .await
        .unwrap()
        .draft;
    lotwise::ops::papers::save(&ctx, lot, award, narrative)
        .await
        .unwrap();
    crate::award::ready_for_pack(&ctx, lot).await;
    let pack = lotwise::ops::award::build_pack(&ctx, lot, &mut |_| {})
        .await
        .unwrap();
    let listed = pack
        .manifest
        .entries
        .iter()
        .find(|e| e.document.starts_with("Scoresheet from r.hughes"))
        .expect("the signed scoresheet is in the manifest");
    assert_eq!(listed.sha256, r.sha256);
    assert!(
        listed.document.contains(&fingerprint_of(5)),
        "{}",
        listed.document
    );
    assert_eq!(listed.section, lotwise::ops::award::SECTION_SCORES);
}

// ----- The Excel workbook, for evaluators without Lotwise -----

/// A workbook as Excel would save it after the evaluator typed in it: every cell of both
/// sheets read back (calamine) and written anew (rust_xlsxwriter), with `edit` deciding
/// what each cell of the Scores sheet now holds. `Some("#n:4")` writes the number 4;
/// `Some(text)` writes text as typed (so "4 " is a number stored as text with a space).
fn refill(
    bytes: &[u8],
    edit: impl Fn(u32, u16, &dyn Fn(u32, u16) -> String) -> Option<String>,
) -> Vec<u8> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let scores = wb.worksheet_range("Scores").unwrap();
    let meta = wb.worksheet_range("Lotwise").unwrap();
    let as_text = |d: Option<&Data>| match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::Float(f)) => format!("#n:{f}"),
        Some(Data::Int(i)) => format!("#n:{i}"),
        Some(other) => other.to_string(),
    };
    let get = |r: u32, c: u16| as_text(scores.get_value((r, c as u32)));
    let mut out = rust_xlsxwriter::Workbook::new();
    let s = out.add_worksheet();
    s.set_name("Scores").unwrap();
    let (end_r, end_c) = scores.end().unwrap();
    for r in 0..=end_r + 2 {
        for c in 0..=(end_c as u16).max(6) {
            let v = edit(r, c, &get).unwrap_or_else(|| get(r, c));
            if let Some(n) = v.strip_prefix("#n:") {
                s.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
            } else if !v.is_empty() {
                s.write_string(r, c, v).unwrap();
            }
        }
    }
    let m = out.add_worksheet();
    m.set_name("Lotwise").unwrap();
    let (mr, _) = meta.end().unwrap();
    for r in 0..=mr {
        for c in 0..2u32 {
            if let Some(Data::String(v)) = meta.get_value((r, c)) {
                m.write_string(r, c as u16, v).unwrap();
            }
        }
    }
    m.set_very_hidden(true);
    out.save_to_buffer().unwrap()
}

/// r.ahmed's answers in the workbook: every score and justification typed, the declaration
/// made, with Excel's quirks (a number stored as text with a trailing space, "Pass" for pass,
/// justifications with spaces after them).
fn answered(r: u32, c: u16, get: &dyn Fn(u32, u16) -> String) -> Option<String> {
    if r == 3 && c == 1 {
        return Some("r.ahmed ".into());
    }
    if r < 6 || get(r, 2).is_empty() {
        return None;
    }
    let pass_fail = get(r, 4) == "pass or fail";
    match c {
        5 if pass_fail => Some("Pass".into()),
        5 if r.is_multiple_of(2) => Some("4 ".into()),
        5 => Some("#n:3".into()),
        6 => Some(format!(
            "Section {} of the bid sets out the evidence for this score  ",
            get(r, 2)
        )),
        _ => None,
    }
}

/// One part of the workbook (an .xlsx is a zip of XML parts), as text.
fn unzip(bytes: &[u8], inner: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    z.by_name(inner).unwrap().read_to_string(&mut out).unwrap();
    out
}

#[tokio::test]
async fn an_excel_workbook_goes_out_and_comes_back_through_the_same_import() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let lot = lot_in_evaluation(&ctx).await;
    drop(_s);
    let out = ws.dir.path().join("r.ahmed.xlsx");
    let o = lotwise(
        &ws,
        &[
            "eval",
            "scoresheet",
            "export",
            "Lot 1",
            "--evaluator",
            "r.ahmed",
            "--out",
            s(&out),
            "--format",
            "xlsx",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();

    // What the workbook holds: the rows, a drop-down per score, the justification's length,
    // a locked structure; no price and no other evaluator.
    let sheet1 = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let strings = unzip(&bytes, "xl/sharedStrings.xml");
    assert!(
        sheet1.contains("<sheetProtection"),
        "the structure is protected"
    );
    assert!(sheet1.contains(r#"type="list""#) && sheet1.contains(r#""0,1,2,3,4,5""#));
    assert!(sheet1.contains(r#"type="textLength""#));
    assert!(strings.contains("Justification (at least 20 characters)"));
    assert!(strings.contains("Alpha Care Ltd") && strings.contains("Service model"));
    assert!(strings.contains("sections 81 and 82"));
    for never in ["100,000", "100000", "b.jones", "Section Q2 of the bid"] {
        assert!(
            !strings.contains(never) && !sheet1.contains(never),
            "{never} travelled"
        );
    }
    let workbook = unzip(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"state="veryHidden""#));

    let filled = refill(&bytes, answered);
    let back = ws.dir.path().join("r.ahmed-filled.xlsx");
    std::fs::write(&back, &filled).unwrap();
    // Unsigned: the officer must say whom they had it from.
    let o = lotwise(&ws, &["eval", "scoresheet", "import", s(&back)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--received-from r.ahmed"),
        "{}",
        stderr(&o)
    );
    let o = lotwise(
        &ws,
        &[
            "eval",
            "scoresheet",
            "import",
            s(&back),
            "--received-from",
            "b.jones",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = lotwise(
        &ws,
        &[
            "eval",
            "scoresheet",
            "import",
            s(&back),
            "--received-from",
            "r.ahmed",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["scores"], 9);
    assert!(r["fingerprint"].is_null() && r["signedAt"].is_null());

    let (ctx, _s) = crate::support::ctx(&ws).await;
    let mine = eval::load::read(&ctx, lot, "r.ahmed", EvalScope::OwnScores)
        .await
        .unwrap();
    assert!(submitted(&mine, "r.ahmed"));
    let mut got: Vec<(String, u32)> = mine
        .scores
        .iter()
        .filter(|x| x.evaluator == "r.ahmed")
        .map(|x| (x.question.clone(), x.score))
        .collect();
    got.sort();
    assert!(got.contains(&("PF1".into(), 1)), "Pass is a pass: {got:?}");
    assert!(
        got.iter()
            .filter(|(q, _)| q != "PF1")
            .all(|(_, s)| *s == 3 || *s == 4),
        "numbers, and numbers stored as text, read as typed: {got:?}"
    );
    assert!(
        mine.scores
            .iter()
            .all(|x| x.evaluator != "r.ahmed" || !x.justification.ends_with(' ')),
        "trailing spaces trimmed"
    );
    let log = stdout(&lotwise(&ws, &["audit", "log", "--json", "--limit", "5"]));
    assert!(
        log.contains("unsigned") && log.contains("receivedFrom"),
        "{log}"
    );
    // Once only.
    drop(ctx);
    let o = lotwise(
        &ws,
        &[
            "eval",
            "scoresheet",
            "import",
            s(&back),
            "--received-from",
            "r.ahmed",
        ],
    );
    assert!(stderr(&o).contains("already imported"), "{}", stderr(&o));
}

#[tokio::test]
async fn a_workbook_with_a_wrong_cell_is_refused_naming_sheet_row_and_column() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let lot = lot_in_evaluation(&ctx).await;
    let (_, bytes) = eval::scoresheet::export_workbook(&ctx, lot, "r.ahmed")
        .await
        .unwrap();
    let before = audit_len(&ctx).await;
    let import = |b: Vec<u8>| {
        let ctx = ctx.clone();
        async move {
            eval::scoresheet::import_from(&ctx, &b, "r.ahmed.xlsx", None, None, Some("r.ahmed"))
                .await
                .unwrap_err()
        }
    };
    // Row 7 is the first bid's first question (rows count from 1, as in Excel).
    let e = import(refill(&bytes, |r, c, g| {
        if r == 6 && c == 5 {
            Some("9".into())
        } else {
            answered(r, c, g)
        }
    }))
    .await;
    assert!(
        e.message.contains("sheet Scores, row 7, column F (Score)"),
        "{}",
        e.message
    );
    let e = import(refill(&bytes, |r, c, g| {
        if r == 7 && c == 6 {
            Some("Too short".into())
        } else {
            answered(r, c, g)
        }
    }))
    .await;
    assert!(
        e.message.contains("row 8, column G (Justification)"),
        "{}",
        e.message
    );
    let e = import(refill(&bytes, |r, c, g| {
        if r == 8 && c == 5 {
            Some(String::new())
        } else {
            answered(r, c, g)
        }
    }))
    .await;
    assert!(
        e.message
            .contains("row 9, column F (Score): no score given"),
        "{}",
        e.message
    );
    let e = import(refill(&bytes, |r, c, g| {
        if r == 6 && c == 3 {
            Some("Service model, and anything else".into())
        } else {
            answered(r, c, g)
        }
    }))
    .await;
    assert!(
        e.message.contains("row 7, column D") && e.message.contains("the question was changed"),
        "{}",
        e.message
    );
    // Two rows swapped.
    let e = import(refill(&bytes, |r, c, g| match r {
        6 | 9 if c <= 4 => Some(g(if r == 6 { 9 } else { 6 }, c)),
        _ => answered(r, c, g),
    }))
    .await;
    assert!(
        e.message.contains("row 7, column A") && e.message.contains("reordered"),
        "{}",
        e.message
    );
    // A row added below the table.
    let e = import(refill(&bytes, |r, c, g| {
        match (
            g(r, 2).is_empty(),
            g(r.saturating_sub(1), 2).is_empty(),
            r > 6,
            c,
        ) {
            (true, false, true, 0) => Some("#n:1".into()),
            (true, false, true, 2) => Some("Q1".into()),
            _ => answered(r, c, g),
        }
    }))
    .await;
    assert!(
        e.message.contains("a row was added below the table"),
        "{}",
        e.message
    );
    // The declaration not made.
    let e = import(refill(&bytes, |r, c, g| {
        if r == 3 && c == 1 {
            Some(String::new())
        } else {
            answered(r, c, g)
        }
    }))
    .await;
    assert!(
        e.message.contains("row 4, column B") && e.message.contains("declaration"),
        "{}",
        e.message
    );
    // Not a workbook at all.
    let e = eval::scoresheet::import_from(
        &ctx,
        b"PK\x03\x04 not really",
        "x.xlsx",
        None,
        None,
        Some("r.ahmed"),
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("cannot be read as an Excel workbook"),
        "{}",
        e.message
    );
    nothing_written(&ctx, lot, before).await;
}

/// A signed file with scores missing (made by hand: `fill` never writes one) is refused at
/// import, listing what is missing, and nothing is written.
#[tokio::test]
async fn an_incomplete_signed_sheet_is_refused_at_import() {
    let ws = workspace();
    let (ctx, _s) = ctx(&ws).await;
    let lot = lot_in_evaluation(&ctx).await;
    let (sheet, bytes) = eval::scoresheet::export(&ctx, lot, "r.ahmed")
        .await
        .unwrap();
    let alpha = crate::evaluation::bid(&ctx, lot, "Alpha Care Ltd").await;
    let payload = lotwise::domain::eval::scoresheet::SignedScores {
        submission_id: "0123456789abcdef".into(),
        sheet_id: sheet.sheet_id.clone(),
        sheet_sha256: lotwise::domain::eval::scoresheet::sha256_hex(&bytes),
        workspace_id: sheet.workspace_id.clone(),
        lot_id: lot,
        lot_reference: sheet.lot_reference.clone(),
        evaluator: "r.ahmed".into(),
        model_version: sheet.model_version,
        declaration: lotwise::domain::eval::scoresheet::DECLARATION.into(),
        signed_at: now(),
        scores: vec![lotwise::domain::eval::scoresheet::SheetScore {
            bid_id: alpha,
            question: "Q1".into(),
            score: 4,
            justification: "Section one of the bid gives named staff and dates".into(),
        }],
    };
    let f = lotwise::domain::eval::scoresheet::sign(
        &ed25519_dalek::SigningKey::from_bytes(&[1; 32]),
        &payload,
    );
    let before = audit_len(&ctx).await;
    let e = eval::scoresheet::import(
        &ctx,
        &serde_json::to_vec(&f).unwrap(),
        "part.lwscores",
        None,
        Some(&fingerprint_of(1)),
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("8 scores are still to be given"),
        "{}",
        e.message
    );
    assert!(
        e.details
            .iter()
            .any(|d| d.contains("Beta Trust") && d.contains("Q1")),
        "names each bidder and question missing: {:?}",
        e.details
    );
    nothing_written(&ctx, lot, before).await;
}

/// The same scores given on a scoresheet and in the app come to the same record: the
/// moderation board (every evaluator's scores and justifications, the spreads) is the same
/// in both workspaces, apart from when things happened.
#[tokio::test]
async fn scores_from_a_sheet_are_the_same_as_scores_given_in_the_app() {
    let csv = full("r.ahmed", 4, 3, 2);
    let mut boards = Vec::new();
    for by_sheet in [true, false] {
        let ws = workspace();
        let (ctx, _s) = ctx(&ws).await;
        let lot = lot_in_evaluation(&ctx).await;
        let b = ctx.acting_as("b.jones", Role::Evaluator);
        eval::import_scores_text(&b, lot, &full("b.jones", 2, 4, 3), "b.csv")
            .await
            .unwrap();
        eval::submit(&b, lot).await.unwrap();
        if by_sheet {
            let file = signed_sheet(&ctx, lot, 1, &csv).await;
            eval::scoresheet::import(&ctx, &file, "r.lwscores", None, Some(&fingerprint_of(1)))
                .await
                .unwrap();
        } else {
            let r = ctx.acting_as("r.ahmed", Role::Evaluator);
            eval::import_scores_text(&r, lot, &csv, "r.csv")
                .await
                .unwrap();
            eval::submit(&r, lot).await.unwrap();
        }
        eval::add_panel_member(&ctx, lot, "mo", "moderator")
            .await
            .unwrap();
        let mo = ctx.acting_as("mo", Role::Moderator);
        eval::declare(&mo, lot, None).await.unwrap();
        let mut v = serde_json::to_value(eval::moderation(&mo, lot).await.unwrap()).unwrap();
        fn strip(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(m) => {
                    m.retain(|k, _| !k.ends_with("At") && k != "at");
                    m.values_mut().for_each(strip);
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        strip(&mut v);
        boards.push(v);
    }
    assert!(boards[0].to_string().contains("r.ahmed"));
    assert_eq!(boards[0], boards[1]);
}
