//! Assessment summaries (Procurement Act 2023 s50; Procurement Regulations 2024 reg 31): one
//! letter per bidder with the criteria, weights and method, its own scores with the moderated
//! reasons, subtotals and total, any exclusion, and for an unsuccessful bidder the successful
//! tender's scores and reasons as well. Never another unsuccessful bidder's details.
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{Align, Block, DocSpec, Run, Table, col};
use crate::domain::dates;
use crate::domain::eval::ConsensusEntry;
use crate::domain::eval::model::{EvalModel, QuestionWeights, Scale, SectionKind};
use crate::domain::eval::results::{BidResult, ROUNDING_RULE, shown};
use crate::domain::ids::BidId;
use crate::domain::lot::Lot;

pub struct SummaryInput<'a> {
    pub lot: &'a Lot,
    pub model: &'a EvalModel,
    pub bids: &'a [BidResult],
    pub consensus: &'a [ConsensusEntry],
    pub price_method: Option<&'a str>,
    pub winner: BidId,
    pub created: DateTime<Utc>,
    pub author: String,
}

/// One bid's scores, question by question, with the moderated reasons and subtotals.
fn scores(p: &SummaryInput, b: &BidResult) -> Vec<Block> {
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for s in &p.model.sections {
        if s.kind == SectionKind::Price {
            continue;
        }
        for q in &s.questions {
            let agreed = p
                .consensus
                .iter()
                .find(|c| c.bid_id == b.bid_id && c.question == q.key);
            let (score, marks, reason) = match agreed {
                Some(c) if q.scale == Scale::PassFail => (
                    if c.score >= 1 { "Pass" } else { "Fail" }.to_string(),
                    "–".to_string(),
                    c.reason.clone(),
                ),
                Some(c) => {
                    let marks = Decimal::from(c.score) / Decimal::from(q.scale.max())
                        * p.model.question_share(s, q);
                    (
                        format!("{} of {}", c.score, q.scale.max()),
                        shown(marks),
                        c.reason.clone(),
                    )
                }
                None => ("–".into(), "–".into(), "Not scored".into()),
            };
            rows.push(vec![format!("{} {}", q.key, q.text), score, marks, reason]);
        }
        let sub = b
            .sections
            .iter()
            .find(|x| x.key == s.key)
            .map(|x| shown(x.score.0))
            .unwrap_or_default();
        rows.push(vec![
            format!("{} subtotal (of {})", s.title, s.weight),
            String::new(),
            sub,
            String::new(),
        ]);
    }
    out.push(Block::Table(Table {
        columns: vec![
            col("Question", 2.2, Align::Left),
            col("Score", 0.8, Align::Right),
            col("Marks", 0.8, Align::Right),
            col("Reason (moderated)", 3.6, Align::Left),
        ],
        rows,
    }));
    let mut facts = Vec::new();
    if let Some(ps) = p.model.price_section() {
        facts.push((
            format!("Price (of {})", ps.weight),
            match b.price_score {
                Some(x) => format!("{} for a price of {}", shown(x.0), b.price.display()),
                None => format!("not scored (price {})", b.price.display()),
            },
        ));
    }
    facts.push(("Total (of 100)".into(), shown(b.total.0)));
    facts.push((
        "Ranking".into(),
        match b.rank {
            Some(r) => format!(
                "{r} of {}",
                p.bids.iter().filter(|x| x.rank.is_some()).count()
            ),
            None => "Excluded".into(),
        },
    ));
    out.push(Block::Facts(facts));
    if !b.exclusions.is_empty() {
        out.push(Block::Notice(vec![
            Run::bold("Why the tender was excluded: "),
            Run::plain(b.exclusions.join("; ")),
        ]));
    }
    out
}

pub fn build(p: &SummaryInput, bid: &BidResult) -> DocSpec {
    let lot = p.lot;
    let council = lot
        .procurement
        .commissioners
        .first()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let winner = p.bids.iter().find(|b| b.bid_id == p.winner);
    let successful = bid.bid_id == p.winner;
    let mut blocks = vec![
        Block::Paragraph(vec![
            Run::bold(council.clone()),
            Run::plain(" · Assessment summary"),
        ]),
        Block::Heading {
            level: 1,
            text: format!("Assessment summary for {}", bid.bidder),
        },
        Block::Facts(vec![
            (
                "Procurement".into(),
                format!("{} {}", lot.procurement.reference, lot.procurement.title),
            ),
            ("Lot".into(), format!("{} {}", lot.reference, lot.title)),
            ("Supplier".into(), bid.bidder.clone()),
            ("Date".into(), dates::long(p.created.date_naive())),
        ]),
        Block::Heading {
            level: 2,
            text: "1. Outcome".into(),
        },
    ];
    blocks.push(Block::Paragraph(if successful {
        vec![
            Run::plain("Your tender was the most advantageous tender. "),
            Run::bold(format!("{council} intends to award the contract for this lot to you")),
            Run::plain(", subject to the standstill period, which begins on the day the contract award notice is published."),
        ]
    } else {
        vec![
            Run::plain("Thank you for your tender. It was not the most advantageous tender. "),
            Run::plain(format!("{council} intends to award the contract for this lot to ")),
            Run::bold(winner.map(|w| w.bidder.clone()).unwrap_or_default()),
            Run::plain(". The contract will not be entered into before the end of the standstill period, which begins on the day the contract award notice is published. The successful tender’s scores and the reasons for them are set out in section 4."),
        ]
    }));
    blocks.push(Block::Heading {
        level: 2,
        text: "2. How tenders were assessed".into(),
    });
    blocks.push(Block::Table(Table {
        columns: vec![
            col("Criterion", 3.2, Align::Left),
            col("Weight", 0.9, Align::Right),
            col("Scale", 1.1, Align::Left),
        ],
        rows: p
            .model
            .sections
            .iter()
            .flat_map(|s| {
                let mut v = vec![vec![
                    s.title.clone(),
                    format!("{}%", s.weight),
                    String::new(),
                ]];
                for q in &s.questions {
                    v.push(vec![
                        format!("   {} {}", q.key, q.text),
                        if q.scale == Scale::PassFail {
                            "–".into()
                        } else {
                            p.model.question_weight_label(q)
                        },
                        q.scale.label(),
                    ]);
                }
                v
            })
            .collect(),
    }));
    if let Some(m) = p.price_method {
        blocks.push(Block::Paragraph(vec![Run::bold("Price: "), Run::plain(m)]));
    }
    if let Some(t) = p.model.quality_threshold {
        blocks.push(Block::Paragraph(vec![
            Run::bold("Quality threshold: "),
            Run::plain(format!(
                "tenders scoring below {t}% of the available quality marks were not considered further."
            )),
        ]));
    }
    blocks.push(Block::Paragraph(vec![
        Run::bold("Marks: "),
        Run::plain(format!(
            "a question’s marks are its score ÷ the top of its scale × {}. {} {ROUNDING_RULE}",
            match p.model.question_weights {
                QuestionWeights::OfSection =>
                    "its weight within its section × the section’s weight",
                QuestionWeights::OfTotal => "its weight (a share of the whole)",
            },
            p.model.tie_break.describe()
        )),
    ]));
    blocks.push(Block::Heading {
        level: 2,
        text: "3. Your tender".into(),
    });
    blocks.extend(scores(p, bid));
    if !successful && let Some(w) = winner {
        blocks.push(Block::Heading {
            level: 2,
            text: format!("4. The successful tender: {}", w.bidder),
        });
        blocks.extend(scores(p, w));
    }
    blocks.push(Block::Heading {
        level: 2,
        text: format!("{}. Contact", if successful { 4 } else { 5 }),
    });
    blocks.push(Block::Paragraph(vec![Run::plain(format!(
        "Questions about this summary should be sent through the procurement’s messaging facility, quoting {} {}.",
        lot.procurement.reference, lot.reference
    ))]));
    DocSpec {
        title: format!(
            "Assessment summary: {} ({} {})",
            bid.bidder, lot.procurement.reference, lot.reference
        ),
        author: if p.author.is_empty() {
            council.clone()
        } else {
            p.author.clone()
        },
        subject: format!("Assessment summary for {} {}", lot.reference, lot.title),
        reference: format!(
            "{} {} · Assessment summary",
            lot.procurement.reference, lot.reference
        ),
        marking: "OFFICIAL-SENSITIVE: COMMERCIAL".into(),
        created: p.created,
        blocks,
        info: Vec::new(),
        anchor: None,
    }
}
