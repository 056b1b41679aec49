//! Assessment summaries: one letter per bidder with its own scores and reasons, the winner's
//! for the unsuccessful, and never another unsuccessful bidder's details.
use crate::pdf::{assert_fonts_embedded_and_subset, outline, tool, top_titles};
use crate::support::*;
use lotwise::domain::ids::LotId;
use lotwise::ops;

#[tokio::test]
async fn each_bidder_gets_its_own_summary_and_the_winners_reasons() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let board = ops::lots::board(&ctx).await.unwrap();
    let id = |t: &str| -> LotId {
        board
            .columns
            .iter()
            .flat_map(|c| &c.cards)
            .find(|c| c.title == t)
            .unwrap()
            .id
    };
    let wk = id("Specialist Preventative Services (West Kent)");
    let dir = ws.dir.path().join("summaries");
    let files = ops::award::summaries(&ctx, wk, &dir).await.unwrap();
    let results = ops::eval::results(&ctx, wk).await.unwrap();
    assert_eq!(files.len(), results.scored.bids.len());
    let winner = results
        .scored
        .bids
        .iter()
        .find(|b| Some(b.bid_id) == results.recommended)
        .unwrap();
    let st = ops::eval::state(&ctx, wk).await.unwrap();
    for f in &files {
        let text = tool("pdftotext", &[f.path.to_str().unwrap(), "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let me = results
            .scored
            .bids
            .iter()
            .find(|b| b.bid_id == f.bid_id)
            .unwrap();
        assert!(text.contains(&format!("Assessment summary for {}", me.bidder)));
        assert!(text.contains(&lotwise::domain::eval::results::shown(me.total.0)));
        // Its own moderated reasons, question by question.
        for c in st.consensus.iter().filter(|c| c.bid_id == me.bid_id) {
            let start: String = c.reason.chars().take(40).collect();
            assert!(
                text.contains(start.trim()),
                "{}: reason for {} missing",
                me.bidder,
                c.question
            );
        }
        for e in &me.exclusions {
            assert!(text.contains(e.as_str()), "exclusion reason missing: {e}");
        }
        if f.successful {
            assert!(text.contains("intends to award the contract for this lot to you"));
        } else {
            assert!(text.contains(&format!("The successful tender: {}", winner.bidder)));
            assert!(text.contains(&lotwise::domain::eval::results::shown(winner.total.0)));
        }
        for other in results
            .scored
            .bids
            .iter()
            .filter(|b| b.bid_id != me.bid_id && b.bid_id != winner.bid_id)
        {
            assert!(
                !text.contains(&other.bidder),
                "{} sees {}",
                me.bidder,
                other.bidder
            );
            assert!(
                !text.contains(&other.price.display()),
                "{} sees another losing price",
                me.bidder
            );
        }
        tool("qpdf", &["--check", f.path.to_str().unwrap()]);
        crate::tagged::assert_tagged(f.path.to_str().unwrap());
    }

    // Not before the moderated scores are signed off.
    let ncc = id("Integrated 0-5 Public Health Services");
    let e = ops::award::summaries(&ctx, ncc, &ws.dir.path().join("none"))
        .await
        .unwrap_err();
    assert!(
        e.message.starts_with("Evaluation results are required"),
        "{}",
        e.message
    );
    assert!(!ws.dir.path().join("none").exists());

    // The CLI writes them too and says where, as JSON.
    drop(ctx);
    let out = ws.dir.path().join("cli");
    let o = lotwise(
        &ws,
        &[
            "award",
            "summaries",
            &wk.0.to_string(),
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v.as_array()
            .unwrap()
            .iter()
            .filter(|f| f["successful"] == true)
            .count(),
        1
    );
}

// ----- The award pack, legal review and the contract gate -----

use chrono::TimeZone;
use lotwise::docs::pack::MANIFEST_KEY;
use lotwise::docs::render::info_entry;
use lotwise::domain::award::{PackComment, PackManifest, PackStatus};
use lotwise::domain::paper::{Edition, PaperKind};
use lotwise::domain::roles::Role;
use lotwise::error::ErrorCode;
use lotwise::ops::Ctx;
use lotwise::ops::award::{ReviewPack, SetAwardDates};
use lotwise::ops::lots::AdvanceStage;

pub(crate) async fn demo_west_kent(ctx: &Ctx) -> LotId {
    ops::demo::create(ctx).await.unwrap();
    let board = ops::lots::board(ctx).await.unwrap();
    board
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .find(|c| c.title == "Specialist Preventative Services (West Kent)")
        .unwrap()
        .id
}

fn on(ctx: &Ctx, y: i32, m: u32, d: u32) -> Ctx {
    Ctx {
        clock: std::sync::Arc::new(lotwise::ops::FixedClock(
            chrono::Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap(),
        )),
        ..ctx.clone()
    }
}

fn dates(lot: LotId, published: &str, signed: Option<&str>) -> SetAwardDates {
    SetAwardDates {
        lot_id: lot,
        regime: "pa2023".into(),
        voluntary_standstill: false,
        notice_published: Some(published.into()),
        contract_signed: signed.map(str::to_string),
    }
}

pub(crate) async fn ready_for_pack(ctx: &Ctx, lot: LotId) {
    ops::award::set_dates(ctx, dates(lot, "2026-11-30", None))
        .await
        .unwrap();
    ops::papers::generate(
        ctx,
        lot,
        PaperKind::Award,
        Edition::Full,
        false,
        &mut |_| {},
    )
    .await
    .unwrap();
}

fn advance(lot: LotId) -> AdvanceStage {
    AdvanceStage {
        lot_id: lot,
        to: "contract".into(),
        reason: None,
    }
}

#[tokio::test]
async fn the_pack_holds_every_record_in_its_outline_and_its_manifest_verifies() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let wk = demo_west_kent(&ctx).await;
    let e = ops::award::build_pack(&ctx, wk, &mut |_| {})
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("regime"), "{}", e.message);
    ops::award::set_dates(&ctx, dates(wk, "2026-11-30", None))
        .await
        .unwrap();
    let e = ops::award::build_pack(&ctx, wk, &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        e.message
            .starts_with("generate the award decision paper first"),
        "{}",
        e.message
    );
    let kept = ops::papers::generate(
        &ctx,
        wk,
        PaperKind::Award,
        Edition::Full,
        false,
        &mut |_| {},
    )
    .await
    .unwrap()
    .document
    .unwrap();
    let mut steps = Vec::new();
    let pack = ops::award::build_pack(&ctx, wk, &mut |p| steps.push(p.step))
        .await
        .unwrap();
    assert!(steps.iter().any(|s| s.starts_with("Drawing page 1 of")));
    let file = ws.dir.path().join("pack.pdf");
    ops::award::write_pack(&ctx, &pack, &file).await.unwrap();
    let path = file.to_str().unwrap();

    // The outline: every section at the top level, the paper's own headings nested in it.
    let outline = outline(path);
    assert_eq!(top_titles(&outline), ops::award::pack_sections(false));
    let paper = &outline[1]["kids"][0];
    assert_eq!(
        paper["title"],
        "Specialist Preventative Services (West Kent): award of contract"
    );
    let headings: Vec<&str> = paper["kids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["title"].as_str().unwrap())
        .collect();
    assert!(
        headings.contains(&"1. Summary") && headings.contains(&"9. Implications"),
        "the paper's headings nest under it: {headings:?}"
    );
    tool("qpdf", &["--check", path]);
    assert_fonts_embedded_and_subset(path);
    crate::tagged::assert_tagged(path);

    // The manifest: the paper as kept, the records, one letter per bidder, the audit extract.
    let results = ops::eval::results(&ctx, wk).await.unwrap();
    let m = &pack.manifest;
    assert_eq!(m.entries.len(), 7 + results.scored.bids.len());
    assert_eq!(
        m.entries[0].sha256, kept.sha256,
        "the paper is the kept one"
    );
    let summaries = m
        .entries
        .iter()
        .filter(|e| e.section == "Assessment summaries")
        .count();
    assert_eq!(summaries, results.scored.bids.len());
    let bytes = std::fs::read(&file).unwrap();
    let embedded: PackManifest =
        serde_json::from_str(&info_entry(&bytes, MANIFEST_KEY).unwrap()).unwrap();
    assert_eq!(&embedded, m);
    let text = tool("pdftotext", &[path, "-"]).replace(char::is_whitespace, "");
    for e in &m.entries {
        assert!(text.contains(&e.sha256), "{} printed in full", e.document);
    }
    assert!(
        text.contains(&m.audit_head_hash),
        "the chain head is printed"
    );
    let (head_seq, head_hash) = ctx
        .store
        .read()
        .await
        .unwrap()
        .audit()
        .head()
        .await
        .unwrap();
    assert_eq!(
        m.audit_head_seq + 1,
        head_seq,
        "the build itself is the next event"
    );
    assert_ne!(head_hash, m.audit_head_hash);

    // It verifies, until the file or the workspace changes.
    let ok = ops::award::verify_pack(&ctx, &file).await.unwrap();
    assert!(ok.matches, "{}", ok.summary);
    assert_eq!(ok.kept_as, Some(1));
    let mut altered = bytes.clone();
    altered.extend_from_slice(b"\n% edited\n");
    let other = ws.dir.path().join("altered.pdf");
    std::fs::write(&other, &altered).unwrap();
    let v = ops::award::verify_pack(&ctx, &other).await.unwrap();
    assert!(!v.matches && v.kept_as.is_none(), "{}", v.summary);
    assert!(
        v.entries.iter().all(|e| e.matches),
        "its content still matches"
    );
    ops::award::set_dates(&ctx, dates(wk, "2026-12-01", None))
        .await
        .unwrap();
    let v = ops::award::verify_pack(&ctx, &file).await.unwrap();
    assert!(!v.matches);
    let changed: Vec<&str> = v
        .entries
        .iter()
        .filter(|e| !e.matches)
        .map(|e| e.section.as_str())
        .collect();
    assert_eq!(changed, vec!["Standstill calculation"], "{}", v.summary);
    // A letter is not a pack.
    let letters = ops::award::summaries(&ctx, wk, &ws.dir.path().join("letters"))
        .await
        .unwrap();
    let e = ops::award::verify_pack(&ctx, &letters[0].path)
        .await
        .unwrap_err();
    assert!(
        e.message.contains("not a Lotwise award pack"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn contract_waits_for_the_standstill_and_legals_approval() {
    let ws = workspace();
    let (officer, _) = ctx(&ws).await;
    let wk = demo_west_kent(&officer).await;
    ready_for_pack(&officer, wk).await;
    let legal = officer.acting_as("d.price", Role::Legal);
    let e = ops::award::build_pack(&legal, wk, &mut |_| {})
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let pack = ops::award::build_pack(&officer, wk, &mut |_| {})
        .await
        .unwrap();
    let review =
        |decision: &str, comments: Vec<PackComment>, id: lotwise::domain::ids::PackId| ReviewPack {
            pack_id: id,
            decision: decision.into(),
            comments,
        };
    let e = ops::award::review(&officer, review("approve", vec![], pack.id))
        .await
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::Forbidden,
        "the officer cannot approve their own pack"
    );

    // Before anything: standstill running and the pack with legal.
    let e = ops::lots::advance_stage(&officer, advance(wk))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::GatesFailed);
    assert_eq!(
        e.details,
        vec![
            "the standstill to end: the contract may be entered into from 11 December 2026",
            "legal’s approval of the award pack (it is awaiting review)",
        ]
    );

    // Legal returns it: a return must say what to change, per section.
    let e = ops::award::review(&legal, review("return", vec![], pack.id))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("comments"));
    let comment = PackComment {
        section: "Standstill calculation".into(),
        comment: "Confirm the award notice date with the Find a Tender record.".into(),
    };
    let returned = ops::award::review(&legal, review("return", vec![comment.clone()], pack.id))
        .await
        .unwrap();
    assert_eq!(returned.review.as_ref().unwrap().comments, vec![comment]);
    let view = ops::award::view(&officer, wk).await.unwrap();
    assert_eq!(view.status, PackStatus::Returned);
    assert!(view.contract_missing[1].contains("returned with comments"));
    let e = ops::award::review(&legal, review("approve", vec![], pack.id))
        .await
        .unwrap_err();
    assert!(e.message.contains("already returned"), "{}", e.message);

    // The officer answers with a new pack; legal approves it.
    let pack2 = ops::award::build_pack(&officer, wk, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(pack2.number, 2);
    ops::award::review(&legal, review("approve", vec![], pack2.id))
        .await
        .unwrap();

    // Still inside standstill on 10 December; signing then is refused too.
    let dec10 = on(&officer, 2026, 12, 10);
    let e = ops::lots::advance_stage(&dec10, advance(wk))
        .await
        .unwrap_err();
    assert_eq!(
        e.details,
        vec!["the standstill to end: the contract may be entered into from 11 December 2026"]
    );
    let e = ops::award::set_dates(&dec10, dates(wk, "2026-11-30", Some("2026-12-10")))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("contractSigned"));

    // Signing on 11 December does not change what legal approved; moving the notice does.
    let dec11 = on(&officer, 2026, 12, 11);
    ops::award::set_dates(&dec11, dates(wk, "2026-11-30", Some("2026-12-11")))
        .await
        .unwrap();
    ops::award::set_dates(&dec11, dates(wk, "2026-11-27", Some("2026-12-11")))
        .await
        .unwrap();
    let e = ops::lots::advance_stage(&dec11, advance(wk))
        .await
        .unwrap_err();
    assert!(
        e.details[0].contains("no longer matches the workspace (Standstill calculation changed)"),
        "{:?}",
        e.details
    );
    ops::award::set_dates(&dec11, dates(wk, "2026-11-30", Some("2026-12-11")))
        .await
        .unwrap();
    let lot = ops::lots::advance_stage(&dec11, advance(wk)).await.unwrap();
    assert_eq!(lot.stage, lotwise::domain::stage::Stage::Contract);

    let log = ops::audit::page(&officer, 0, 400).await.unwrap();
    let actions: Vec<&str> = log.events.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "award.dates_set",
        "award.pack_built",
        "award.pack_returned",
        "award.pack_approved",
    ] {
        assert!(actions.contains(&a), "{a} audited");
    }
    let approved = log
        .events
        .iter()
        .find(|e| e.action == "award.pack_approved")
        .unwrap();
    assert_eq!(approved.actor, "d.price");
}

#[test]
fn the_cli_builds_reviews_and_verifies_a_pack() {
    let ws = workspace();
    let run = |role: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lotwise"))
            .arg("--workspace")
            .arg(&ws.path)
            .args(["--user", "cli-person", "--role", role])
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |o: std::process::Output| {
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    ok(run("officer", &["demo"]));
    let lot = "5";
    ok(run(
        "officer",
        &[
            "award",
            "dates",
            lot,
            "--regime",
            "pa2023",
            "--notice-published",
            "30/11/2026",
        ],
    ));
    let pdf = ws.dir.path().join("paper.pdf");
    ok(run(
        "officer",
        &[
            "paper",
            lot,
            "--kind",
            "award",
            "--edition",
            "full",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    let pack = ws.dir.path().join("pack.pdf");
    let built: serde_json::Value = serde_json::from_str(&ok(run(
        "officer",
        &[
            "award",
            "pack",
            lot,
            "--out",
            pack.to_str().unwrap(),
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(built["number"], 1);
    let refused = run(
        "officer",
        &["award", "review", lot, "--decision", "approve"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("may not approve or return the award pack"));
    let bad = run(
        "legal",
        &[
            "award",
            "review",
            lot,
            "--decision",
            "return",
            "--comment",
            "no equals sign",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("should be SECTION=TEXT"));
    ok(run(
        "legal",
        &[
            "award",
            "review",
            lot,
            "--decision",
            "return",
            "--comment",
            "Sign-offs=Attach the moderator's sign-off note",
        ],
    ));
    let shown = ok(run("legal", &["award", "show", lot]));
    assert!(shown.contains("returned by legal with comments"), "{shown}");
    assert!(shown.contains("Sign-offs: Attach the moderator's sign-off note"));
    let v: serde_json::Value = serde_json::from_str(&ok(run(
        "legal",
        &["award", "verify-pack", pack.to_str().unwrap(), "--json"],
    )))
    .unwrap();
    assert_eq!(v["matches"], true);
    assert_eq!(v["review"]["decision"], "returned");
    ok(run(
        "officer",
        &[
            "award",
            "dates",
            lot,
            "--regime",
            "pa2023",
            "--notice-published",
            "2026-12-01",
        ],
    ));
    let changed = run("legal", &["award", "verify-pack", pack.to_str().unwrap()]);
    assert_eq!(changed.status.code(), Some(1));
    let out = stdout(&changed);
    assert!(out.contains("CHANGED  Standstill calculation"), "{out}");
    assert!(out.contains("same     Award decision paper"), "{out}");
}
