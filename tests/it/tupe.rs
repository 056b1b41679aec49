//! TUPE: staff lists imported all or nothing, the newer list's differences, the obligations
//! and their dates, the checklist PDF read back, the board's overdue count and the award pack.
use crate::award::{demo_west_kent, ready_for_pack};
use crate::pdf::{assert_fonts_embedded_and_subset, outline, tool, top_titles};
use crate::support::*;
use lotwise::domain::ids::LotId;
use lotwise::domain::roles::Role;
use lotwise::domain::tupe::obligations::Applies;
use lotwise::error::ErrorCode;
use lotwise::ops::tupe::{SetObligation, SetTupePlan};
use lotwise::ops::{self, Ctx};

const V2: &str = include_str!("../../assets/demo/health-trainers-staff-v2.csv");

async fn lot_titled(ctx: &Ctx, title: &str) -> LotId {
    ops::lots::board(ctx)
        .await
        .unwrap()
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .find(|c| c.title == title)
        .unwrap()
        .id
}

fn plan(lot: LotId, t: &str) -> SetTupePlan {
    SetTupePlan {
        expected_version: None,
        lot_id: lot,
        transfer_date: t.into(),
        outgoing: "Kent Community Health NHS Foundation Trust".into(),
        incoming: String::new(),
        assessment: "applies".into(),
        notes: String::new(),
    }
}

/// The demo's staff list with one cell replaced (line numbers count the header as line 1).
fn with_cell(line: usize, column: usize, value: &str) -> String {
    V2.lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                let mut cells: Vec<&str> = l.split(',').collect();
                cells[column] = value;
                cells.join(",")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_bad_row_names_its_line_and_column_and_nothing_is_written() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let ht = lot_titled(&ctx, "Health Trainers (Kent)").await;
    let before = audit_len(&ctx).await;
    let cases = [
        (
            with_cell(5, 4, "1.5"),
            "staff.csv, line 5, column fte",
            "fte",
        ),
        (
            with_cell(9, 8, "stakeholder"),
            "staff.csv, line 9, column pension_scheme",
            "pension_scheme",
        ),
        (
            with_cell(12, 7, "31/02/2015"),
            "staff.csv, line 12, column continuous_service_start",
            "continuous_service_start",
        ),
        (
            with_cell(40, 3, "£twenty"),
            "staff.csv, line 40, column annual_pay",
            "annual_pay",
        ),
        (
            with_cell(44, 10, "sometimes"),
            "staff.csv, line 44, column wholly_or_mainly_assigned",
            "wholly_or_mainly_assigned",
        ),
        (
            with_cell(7, 0, "HT-002"),
            "staff.csv, line 7, column employee_reference",
            "employee_reference",
        ),
        (
            V2.replace("pension_scheme", "pension"),
            "staff.csv, line 1: no “pension_scheme” column",
            "csv",
        ),
    ];
    for (text, says, field) in cases {
        let e = ops::tupe::import_staff_text(&ctx, ht, &text, "staff.csv")
            .await
            .unwrap_err();
        assert!(e.message.starts_with(says), "{}", e.message);
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
    }
    let dup = ops::tupe::import_staff_text(&ctx, ht, &with_cell(7, 0, "HT-002"), "staff.csv")
        .await
        .unwrap_err();
    assert!(
        dup.message.contains("is already on line 3"),
        "{}",
        dup.message
    );
    // Nothing was kept: still the demo's two versions, and no audit event.
    assert_eq!(ops::tupe::view(&ctx, ht).await.unwrap().lists.len(), 2);
    assert_eq!(audit_len(&ctx).await, before);

    // Only the officer imports.
    let evaluator = ctx.acting_as("e.jones", Role::Evaluator);
    let e = ops::tupe::import_staff_text(&evaluator, ht, V2, "staff.csv")
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
}

#[tokio::test]
async fn the_demo_lot_has_the_seed_staff_and_a_newer_list_shows_what_changed() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let ht = lot_titled(&ctx, "Health Trainers (Kent)").await;
    let v = ops::tupe::view(&ctx, ht).await.unwrap();
    let s = v.summary.as_ref().unwrap();
    // Seed 000: about 30 FTE of trainers (many part-time) with four area co-ordinators,
    // employed by an NHS trust.
    assert_eq!(s.assigned.fte.to_string(), "34");
    assert_eq!(s.assigned.headcount, 42);
    assert_eq!(s.all.headcount, 45);
    assert_eq!(s.assigned.pay_bill.display(), "£960,256");
    let nhs = s
        .pensions
        .iter()
        .find(|p| p.key == "nhs-pension-scheme")
        .unwrap();
    assert_eq!((nhs.assigned, nhs.not_assigned), (37, 3));
    let d = v.diff.as_ref().unwrap();
    assert_eq!(
        d.joined
            .iter()
            .map(|p| p.reference.as_str())
            .collect::<Vec<_>>(),
        ["HT-036"]
    );
    assert_eq!(
        d.left
            .iter()
            .map(|p| p.reference.as_str())
            .collect::<Vec<_>>(),
        ["HT-037"]
    );
    let changed: Vec<&str> = d.changed.iter().map(|c| c.reference.as_str()).collect();
    assert_eq!(changed, ["HT-004", "HT-012"]);

    // A third list: HT-001 leaves, and it is version 3 compared with version 2.
    let v3: String = V2
        .lines()
        .filter(|l| !l.starts_with("HT-001,"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = ops::tupe::import_staff_text(&ctx, ht, &v3, "staff-v3.csv")
        .await
        .unwrap();
    assert_eq!(r.list.version, 3);
    let d = r.diff.unwrap();
    assert_eq!(d.left.len(), 1);
    assert!(d.joined.is_empty() && d.changed.is_empty());
    let v = ops::tupe::view(&ctx, ht).await.unwrap();
    assert_eq!(v.staff.len(), 44);
    assert_eq!(
        v.lists.iter().map(|l| l.version).collect::<Vec<_>>(),
        [3, 2, 1]
    );
}

#[tokio::test]
async fn the_checklist_pdf_holds_every_obligation_and_date() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let ht = lot_titled(&ctx, "Health Trainers (Kent)").await;
    // T on Sunday 3 January 2027: every date counts back in calendar days, and the checklist
    // says which dates fall on days that are not working days.
    ops::tupe::set_plan(&ctx, plan(ht, "03/01/2027"))
        .await
        .unwrap();
    let file = ws.dir.path().join("tupe.pdf");
    let (c, pages) = ops::tupe::checklist_pdf(&ctx, ht, &file).await.unwrap();
    assert!(pages >= 3);
    let path = file.to_str().unwrap();
    let text = tool("pdftotext", &[path, "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for o in &c.obligations {
        match &o.applies {
            Applies::No(reason) => assert!(text.contains(reason.as_str()), "{reason}"),
            _ => {
                let start: String = o.title.chars().take(30).collect();
                assert!(
                    text.contains(start.trim()),
                    "obligation missing: {}",
                    o.title
                );
                assert!(
                    text.contains(&o.legal_basis[..12]),
                    "basis missing: {}",
                    o.legal_basis
                );
                let due = lotwise::domain::dates::short(o.due.unwrap());
                assert!(text.contains(&due), "date {due} missing for {}", o.key);
            }
        }
    }
    assert!(text.contains("Dates are counted in calendar days"));
    assert!(text.contains("T, Sunday 3 January 2027, is not a working day"));
    // ELI 28 days before T is Sunday 6 December 2026: act by Friday 4 December.
    assert!(text.contains("06/12/2026"));
    assert!(text.contains("act by Friday 4 December 2026"));
    // Nobody transferring is in the LGPS: no LGPS item, and the reason is given.
    assert!(text.contains("nobody expected to transfer is in the Local Government Pension Scheme"));
    assert!(text.contains("Transfer date (T) 3 January 2027"));
    assert!(text.contains("Kent Community Health NHS Foundation Trust"));
    assert!(text.contains("Changes since version 1"));
    let check = tool("qpdf", &["--check", path]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    assert_fonts_embedded_and_subset(path);
    crate::tagged::assert_tagged(path);
}

#[tokio::test]
async fn overdue_obligations_show_on_the_board_until_done_with_evidence() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let ht = lot_titled(&ctx, "Health Trainers (Kent)").await;
    let card = |b: &lotwise::domain::board::Board| {
        b.columns
            .iter()
            .flat_map(|c| &c.cards)
            .find(|c| c.id == ht)
            .unwrap()
            .tupe_overdue
    };
    assert_eq!(card(&ops::lots::board(&ctx).await.unwrap()), 0);
    // T on 14 December 2026: ELI was due 16 November, consultation 2 November and the
    // measures letter 19 October, all before today (24 November).
    ops::tupe::set_plan(&ctx, plan(ht, "2026-12-14"))
        .await
        .unwrap();
    let v = ops::tupe::view(&ctx, ht).await.unwrap();
    let late: Vec<String> = v
        .checklist
        .unwrap()
        .obligations
        .into_iter()
        .filter(|o| o.overdue)
        .map(|o| o.key)
        .collect();
    assert_eq!(late, ["measures", "consultation", "eli"]);
    assert_eq!(card(&ops::lots::board(&ctx).await.unwrap()), 3);

    let done = |key: &str, evidence: &str| SetObligation {
        lot_id: ht,
        key: key.into(),
        status: "done".into(),
        evidence: evidence.into(),
    };
    let e = ops::tupe::set_obligation(&ctx, done("eli", "  "))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("evidence"));
    let e = ops::tupe::set_obligation(&ctx, done("eli-late", "x"))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("key"));
    let v = ops::tupe::set_obligation(
        &ctx,
        done("eli", "ELI received 13 November, in the contract file"),
    )
    .await
    .unwrap();
    let eli = v
        .checklist
        .as_ref()
        .unwrap()
        .obligations
        .iter()
        .find(|o| o.key == "eli")
        .unwrap()
        .clone();
    assert!(!eli.overdue);
    assert_eq!(eli.updated_by.as_deref(), Some("test-officer"));
    assert_eq!(card(&ops::lots::board(&ctx).await.unwrap()), 2);
    let events = ops::audit::page(&ctx, 0, 5).await.unwrap().events;
    assert_eq!(events[0].action, "tupe.obligation_set");
}

#[tokio::test]
async fn the_award_pack_carries_the_checklist_and_only_the_plan_makes_it_stale() {
    let ws = workspace();
    let (ctx, _) = ctx(&ws).await;
    let wk = demo_west_kent(&ctx).await;
    ready_for_pack(&ctx, wk).await;
    ops::tupe::set_plan(
        &ctx,
        SetTupePlan {
            expected_version: None,
            outgoing: "Kent Community Health NHS Foundation Trust".into(),
            ..plan(wk, "2027-04-01")
        },
    )
    .await
    .unwrap();
    let pack = ops::award::build_pack(&ctx, wk, &mut |_| {}).await.unwrap();
    let file = ws.dir.path().join("pack.pdf");
    ops::award::write_pack(&ctx, &pack, &file).await.unwrap();
    let path = file.to_str().unwrap();
    let top = top_titles(&outline(path));
    assert_eq!(top, ops::award::pack_sections(true));
    assert!(top.contains(&"TUPE checklist".to_string()));
    let text = tool("pdftotext", &[path, "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("TUPE checklist: Lot 1 Specialist Preventative Services"));
    assert!(text.contains("No staff list has been imported yet"));
    assert!(
        pack.manifest
            .entries
            .iter()
            .any(|e| e.section == "TUPE checklist")
    );
    assert!(ops::award::verify_pack(&ctx, &file).await.unwrap().matches);

    // Progress on the obligations after the pack does not make it stale ...
    ops::tupe::set_obligation(
        &ctx,
        SetObligation {
            lot_id: wk,
            key: "bidders-told".into(),
            status: "done".into(),
            evidence: "Section 7 of the invitation to tender".into(),
        },
    )
    .await
    .unwrap();
    assert!(ops::award::verify_pack(&ctx, &file).await.unwrap().matches);
    // ... but moving the transfer date does, and says where.
    ops::tupe::set_plan(&ctx, plan(wk, "2027-05-01"))
        .await
        .unwrap();
    let v = ops::award::verify_pack(&ctx, &file).await.unwrap();
    assert!(!v.matches);
    assert!(
        v.summary
            .contains("changed since the pack was built: TUPE checklist"),
        "{}",
        v.summary
    );
    // Legal may comment on the TUPE section of this pack.
    let view = ops::award::view(&ctx, wk).await.unwrap();
    assert!(view.sections.contains(&"TUPE checklist".to_string()));
}

#[tokio::test]
async fn the_cli_imports_and_writes_the_checklist() {
    let ws = workspace();
    let (ctx, store) = ctx(&ws).await;
    ops::demo::create(&ctx).await.unwrap();
    let ht = lot_titled(&ctx, "Health Trainers (Kent)")
        .await
        .0
        .to_string();
    store.close().await;
    let bad = ws.dir.path().join("bad.csv");
    std::fs::write(&bad, with_cell(5, 4, "full")).unwrap();
    let o = lotwise(
        &ws,
        &["tupe", "import", &ht, "--csv", bad.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("bad.csv, line 5, column fte"),
        "{}",
        stderr(&o)
    );
    let good = ws.dir.path().join("good.csv");
    std::fs::write(&good, V2).unwrap();
    let o = lotwise(
        &ws,
        &[
            "tupe",
            "import",
            &ht,
            "--csv",
            good.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["list"]["version"], 3);
    assert_eq!(r["summary"]["assigned"]["fte"], "34");
    assert_eq!(r["diff"]["joined"].as_array().unwrap().len(), 0);

    let o = lotwise(&ws, &["tupe", "checklist", &ht, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(c["obligations"].as_array().unwrap().len(), 12);
    assert_eq!(c["obligations"][8]["key"], "eli");
    assert_eq!(c["obligations"][8]["owner"], "outgoing-provider");

    let pdf = ws.dir.path().join("checklist.pdf");
    let o = lotwise(
        &ws,
        &["tupe", "checklist", &ht, "--out", pdf.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("TUPE checklist ("));
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("Employee liability information"));

    // A lot with no transfer planned says what to do.
    let o = lotwise(&ws, &["tupe", "checklist", "1", "--json"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no TUPE transfer is planned"),
        "{}",
        stderr(&o)
    );
}
