//! Assessment summaries: one letter per bidder with its own scores and reasons, the winner's
//! for the unsuccessful, and never another unsuccessful bidder's details.
use crate::pdf::tool;
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
