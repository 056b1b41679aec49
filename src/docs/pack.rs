//! The award pack for legal: one PDF with a cover and contents, then every record the award
//! rests on, each a top-level outline entry, and a manifest of the SHA-256 of each document
//! and record included. The records' blocks are made here from domain data; `ops::award`
//! gathers the data and the hashes.
use chrono::{DateTime, Utc};

use super::font::Fonts;
use super::layout;
use super::{Align, Block, DocSpec, Run, Table, capitalised, col};
use crate::domain::audit::AuditEvent;
use crate::domain::award::{AwardDates, AwardTimeline, PackManifest};
use crate::domain::dates;
use crate::domain::eval::model::{EvalModel, Scale, SectionKind};
use crate::domain::eval::results::{Scored, shown};
use crate::domain::eval::{EvalState, PanelRole};
use crate::domain::lot::Lot;
use crate::error::Result;

/// The key of the machine-readable manifest in the PDF's document information.
pub const MANIFEST_KEY: &str = "LotwiseManifest";

/// One top-level section of the pack.
pub struct PackSection {
    pub title: String,
    pub blocks: Vec<Block>,
}

pub struct PackInput<'a> {
    pub lot: &'a Lot,
    pub number: u32,
    pub built_by: &'a str,
    pub built_at: DateTime<Utc>,
    /// Label and value pairs for the cover: the recommendation, reserve, exclusions.
    pub cover: Vec<(String, String)>,
    pub sections: Vec<PackSection>,
    pub manifest: &'a PackManifest,
    /// The audit record the pack was built on (its manifest's head), for `audit verify`.
    pub anchor: Option<crate::domain::anchor::Anchor>,
}

pub const COVER: &str = "Cover and contents";
pub const MANIFEST: &str = "Manifest";

fn when(at: DateTime<Utc>) -> String {
    format!(
        "{} {}",
        dates::short(at.date_naive()),
        at.format("%H:%M UTC")
    )
}

/// A SHA-256 in four groups of sixteen, so it wraps cleanly and can be read aloud.
pub fn grouped(hash: &str) -> String {
    hash.as_bytes()
        .chunks(16)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Another document's content placed inside the pack: its headings move one level down, so
/// they nest under the pack section in the outline.
pub fn nested(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .filter(|b| !matches!(b, Block::PageBreak))
        .map(|b| match b {
            Block::Heading { level, text } => Block::Heading {
                level: (level + 1).min(3),
                text: text.clone(),
            },
            other => other.clone(),
        })
        .collect()
}

pub fn model_blocks(model: &EvalModel, price_method: Option<&str>) -> Vec<Block> {
    let mut rows = Vec::new();
    for s in &model.sections {
        rows.push(vec![
            format!("{} {}", s.key, s.title),
            match s.kind {
                SectionKind::Quality => "Quality",
                SectionKind::SocialValue => "Social value",
                SectionKind::Price => "Price",
            }
            .to_string(),
            format!("{}%", s.weight),
            String::new(),
        ]);
        for q in &s.questions {
            let mut scale = q.scale.label();
            if let Some(m) = q.min_score {
                scale.push_str(&format!("; minimum {m}"));
            }
            rows.push(vec![
                format!("    {} {}", q.key, q.text),
                String::new(),
                if q.scale == Scale::PassFail {
                    "–".into()
                } else {
                    model.question_weight_label(q)
                },
                scale,
            ]);
        }
    }
    let mut out = vec![Block::Table(Table {
        columns: vec![
            col("Section or question", 3.0, Align::Left),
            col("Kind", 1.2, Align::Left),
            col("Weight", 1.2, Align::Right),
            col("Scale", 1.8, Align::Left),
        ],
        rows,
    })];
    let mut facts = Vec::new();
    if let Some(p) = price_method {
        facts.push(("Price method".to_string(), p.to_string()));
    }
    if let Some(t) = &model.quality_threshold {
        facts.push(("Quality threshold".into(), format!("{t}%")));
    }
    facts.push((
        "Justifications".into(),
        format!(
            "at least {} characters for every score",
            model.justification_min_chars
        ),
    ));
    out.push(Block::Facts(facts));
    out
}

pub fn declaration_blocks(st: &EvalState) -> Vec<Block> {
    let rows = st
        .panel
        .iter()
        .map(|m| {
            vec![
                m.person.clone(),
                m.role.label().into(),
                m.declared_at
                    .map(when)
                    .unwrap_or_else(|| "Not declared".into()),
                match (&m.declared_at, &m.conflict) {
                    (None, _) => "–".into(),
                    (Some(_), None) => "No conflict of interest declared".into(),
                    (Some(_), Some(c)) => format!("Conflict declared, removed from the panel: {c}"),
                },
            ]
        })
        .collect();
    vec![Block::Table(Table {
        columns: vec![
            col("Panel member", 1.4, Align::Left),
            col("Role", 1.0, Align::Left),
            col("Declared", 1.4, Align::Left),
            col("Declaration", 3.0, Align::Left),
        ],
        rows,
    })]
}

/// The results table, then for each bid every question with each evaluator's score and
/// justification beside the moderated score and its reason.
pub fn score_blocks(st: &EvalState, scored: &Scored) -> Vec<Block> {
    let mut out = vec![Block::Heading {
        level: 2,
        text: "Results and ranking".into(),
    }];
    out.push(Block::Table(Table {
        columns: vec![
            col("Bidder", 2.4, Align::Left),
            col("Quality", 0.9, Align::Right),
            col("Price score", 0.9, Align::Right),
            col("Total", 0.9, Align::Right),
            col("Rank", 0.6, Align::Right),
            col("Exclusions", 2.0, Align::Left),
        ],
        rows: scored
            .bids
            .iter()
            .map(|b| {
                vec![
                    b.bidder.clone(),
                    shown(b.quality.0),
                    b.price_score
                        .map(|p| shown(p.0))
                        .unwrap_or_else(|| "–".into()),
                    shown(b.total.0),
                    b.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into()),
                    if b.exclusions.is_empty() {
                        "None".into()
                    } else {
                        b.exclusions.join("; ")
                    },
                ]
            })
            .collect(),
    }));
    out.push(Block::Paragraph(vec![Run::italic(format!(
        "{} {}",
        scored.rounding_rule, scored.tie_break
    ))]));
    let Some(model) = st.model.as_ref() else {
        return out;
    };
    for b in &st.bids {
        out.push(Block::Heading {
            level: 2,
            text: b.label(),
        });
        let mut rows = Vec::new();
        for (s, q) in model.questions() {
            if s.kind == SectionKind::Price {
                continue;
            }
            let show = |score: u32| {
                if q.scale == Scale::PassFail {
                    if score >= 1 { "Pass" } else { "Fail" }.to_string()
                } else {
                    format!("{score} of {}", q.scale.max())
                }
            };
            for sc in st
                .scores
                .iter()
                .filter(|x| x.bid_id == b.id && x.question == q.key)
            {
                rows.push(vec![
                    q.key.clone(),
                    sc.evaluator.clone(),
                    show(sc.score),
                    sc.justification.clone(),
                ]);
            }
            match st
                .consensus
                .iter()
                .find(|c| c.bid_id == b.id && c.question == q.key)
            {
                Some(c) => rows.push(vec![
                    q.key.clone(),
                    format!("Moderated ({})", c.moderator),
                    show(c.score),
                    c.reason.clone(),
                ]),
                None => rows.push(vec![
                    q.key.clone(),
                    "Moderated".into(),
                    "–".into(),
                    "No consensus recorded".into(),
                ]),
            }
        }
        out.push(Block::Table(Table {
            columns: vec![
                col("Question", 0.8, Align::Left),
                col("Evaluator", 1.4, Align::Left),
                col("Score", 0.8, Align::Right),
                col("Justification or moderated reason", 4.0, Align::Left),
            ],
            rows,
        }));
        out.push(Block::Paragraph(vec![
            Run::plain("Price tendered: "),
            Run::bold(b.price.display()),
        ]));
    }
    out
}

pub fn signoff_blocks(st: &EvalState) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(a) = &st.approved {
        out.push(Block::Facts(vec![(
            "Evaluation model approved".into(),
            format!("by {} on {}", a.by, when(a.at)),
        )]));
    }
    out.push(Block::Table(Table {
        columns: vec![
            col("Panel member", 1.6, Align::Left),
            col("Role", 1.0, Align::Left),
            col("Scores submitted", 1.6, Align::Left),
            col(
                &format!("Signed off the moderated record (round {})", st.round),
                2.2,
                Align::Left,
            ),
        ],
        rows: st
            .panel
            .iter()
            .filter(|m| m.active())
            .map(|m| {
                vec![
                    m.person.clone(),
                    m.role.label().into(),
                    match (m.role, m.submitted_at) {
                        (PanelRole::Moderator, _) => "–".into(),
                        (_, Some(at)) => when(at),
                        (_, None) => "Not submitted".into(),
                    },
                    m.signed_off_at
                        .map(when)
                        .unwrap_or_else(|| "Not signed off".into()),
                ]
            })
            .collect(),
    }));
    if !st.reopenings.is_empty() {
        out.push(Block::Heading {
            level: 2,
            text: "Moderation reopened".into(),
        });
        out.push(Block::Table(Table {
            columns: vec![
                col("Round", 0.6, Align::Right),
                col("By", 1.2, Align::Left),
                col("When", 1.4, Align::Left),
                col("Reason", 3.6, Align::Left),
            ],
            rows: st
                .reopenings
                .iter()
                .map(|r| {
                    vec![
                        r.round.to_string(),
                        r.by.clone(),
                        when(r.at),
                        r.reason.clone(),
                    ]
                })
                .collect(),
        }));
    }
    out
}

pub fn standstill_blocks(d: &AwardDates, t: &AwardTimeline) -> Vec<Block> {
    let opt =
        |x: Option<chrono::NaiveDate>| x.map(dates::long).unwrap_or_else(|| "Not recorded".into());
    let mut facts = vec![
        ("Regime".to_string(), d.regime.label().to_string()),
        (
            format!("{} published", capitalised(d.regime.notice())),
            opt(d.notice_published),
        ),
    ];
    if let Some(s) = &t.standstill {
        facts.push(("Standstill begins".into(), dates::long(s.first_day)));
        facts.push((
            "Standstill ends (at midnight)".into(),
            dates::long(t.standstill_extended_to.unwrap_or(s.last_day)),
        ));
    }
    facts.push((
        "Contract may be entered into from".into(),
        t.contract_may_be_entered_from
            .map(dates::long)
            .unwrap_or_else(|| "Not yet: see below".into()),
    ));
    facts.push((
        "Contract entered into (signed)".into(),
        opt(t.contract_signed),
    ));
    facts.push(("Planned contract start".into(), opt(t.contract_start)));
    facts.push((
        "Contract details notice due by".into(),
        opt(t.contract_details_notice_due),
    ));
    if t.contract_copy_rule.is_some() {
        facts.push((
            "Copy of the contract due by".into(),
            opt(t.contract_copy_due),
        ));
    }
    let mut out = vec![
        Block::Paragraph(vec![Run::plain(t.standstill_rule.clone())]),
        Block::Facts(facts),
        Block::Paragraph(vec![Run::plain(t.contract_details_rule.clone())]),
    ];
    if let Some(r) = &t.contract_copy_rule {
        out.push(Block::Paragraph(vec![Run::plain(r.clone())]));
    }
    if let Some(e) = &t.standstill_extension {
        out.push(Block::Notice(vec![Run::plain(e.clone())]));
    }
    if !t.representations.is_empty() {
        out.push(Block::Table(Table {
            columns: vec![
                col("Representations received", 1.6, Align::Left),
                col("From", 1.6, Align::Left),
                col("Summary", 3.0, Align::Left),
            ],
            rows: t
                .representations
                .iter()
                .map(|r| {
                    vec![
                        format!(
                            "{}{}",
                            dates::long(r.received_on),
                            if r.out_of_time { " (out of time)" } else { "" }
                        ),
                        r.provider.clone(),
                        r.summary.clone(),
                    ]
                })
                .collect(),
        }));
    }
    if !t.further_decisions.is_empty() {
        out.push(Block::Table(Table {
            columns: vec![
                col("Further decision communicated", 1.6, Align::Left),
                col("Decision", 1.6, Align::Left),
                col("Reasons", 3.0, Align::Left),
            ],
            rows: t
                .further_decisions
                .iter()
                .map(|x| {
                    vec![
                        dates::long(x.communicated_on),
                        capitalised(x.decision.label()),
                        x.reasons.clone(),
                    ]
                })
                .collect(),
        }));
    }
    if let Some(s) = &t.standstill {
        out.push(Block::Paragraph(vec![Run::italic(s.rule.clone())]));
        if s.skipped.is_empty() {
            out.push(Block::Paragraph(vec![Run::plain(
                "No day in the period was skipped.",
            )]));
        } else {
            out.push(Block::Table(Table {
                columns: vec![
                    col("Day not counted", 1.6, Align::Left),
                    col("Why", 4.0, Align::Left),
                ],
                rows: s
                    .skipped
                    .iter()
                    .map(|k| vec![dates::long(k.date), k.reason.clone()])
                    .collect(),
            }));
        }
    } else if d.notice_published.is_none() && t.standstill_applies {
        out.push(Block::Notice(vec![Run::plain(format!(
            "The {} has not been published: the standstill is counted from its publication.",
            d.regime.notice()
        ))]));
    }
    out
}

pub fn audit_blocks(events: &[AuditEvent], head_seq: i64, head_hash: &str) -> Vec<Block> {
    vec![
        Block::Paragraph(vec![Run::plain(format!(
            "The {} events of the workspace’s audit trail that concern this lot, its milestones and its bids, up to the chain head when the pack was built. Scores entered before submission appear sealed, as the blind-scoring rule requires.",
            events.len()
        ))]),
        Block::Table(Table {
            columns: vec![
                col("No.", 0.6, Align::Right),
                col("When", 1.5, Align::Left),
                col("Who", 1.2, Align::Left),
                col("What", 1.8, Align::Left),
                col("Event hash (first 16)", 1.6, Align::Left),
            ],
            rows: events
                .iter()
                .map(|e| {
                    vec![
                        e.seq.to_string(),
                        when(e.at),
                        e.actor.clone(),
                        e.action.clone(),
                        e.hash.chars().take(16).collect(),
                    ]
                })
                .collect(),
        }),
        Block::Facts(vec![
            ("Audit chain head".into(), format!("event {head_seq}")),
            ("Head hash (SHA-256)".into(), grouped(head_hash)),
        ]),
    ]
}

fn manifest_blocks(m: &PackManifest) -> Vec<Block> {
    vec![
        Block::Paragraph(vec![Run::plain(
            "The SHA-256 of each document and record this pack includes, as they were when it was built. “lotwise award verify-pack” recomputes each from the workspace and says whether it still matches.",
        )]),
        Block::Table(Table {
            columns: vec![
                col("Section", 1.6, Align::Left),
                col("Document or record", 2.4, Align::Left),
                col("SHA-256", 2.6, Align::Left),
            ],
            rows: m
                .entries
                .iter()
                .map(|e| vec![e.section.clone(), e.document.clone(), grouped(&e.sha256)])
                .collect(),
        }),
        Block::Facts(vec![
            (
                "Audit chain head".into(),
                format!("event {}", m.audit_head_seq),
            ),
            ("Head hash".into(), grouped(&m.audit_head_hash)),
        ]),
    ]
}

fn assemble(p: &PackInput, pages: &[(String, Option<usize>)]) -> Vec<Block> {
    let mut blocks = vec![Block::Heading {
        level: 1,
        text: COVER.into(),
    }];
    blocks.push(Block::Paragraph(vec![
        Run::bold(format!("Award pack {} for legal review: ", p.number)),
        Run::plain(format!(
            "{} {}, {} ({})",
            p.lot.reference, p.lot.title, p.lot.procurement.title, p.lot.procurement.reference
        )),
    ]));
    let mut facts = p.cover.clone();
    facts.push(("Built by".into(), p.built_by.to_string()));
    facts.push(("Built".into(), when(p.built_at)));
    facts.push((
        "Audit chain head".into(),
        format!(
            "event {}, {}",
            p.manifest.audit_head_seq,
            grouped(&p.manifest.audit_head_hash)
        ),
    ));
    blocks.push(Block::Facts(facts));
    blocks.push(Block::Heading {
        level: 2,
        text: "Contents".into(),
    });
    blocks.push(Block::Table(Table {
        columns: vec![
            col("Section", 5.0, Align::Left),
            col("Page", 1.0, Align::Right),
        ],
        rows: pages
            .iter()
            .map(|(t, n)| {
                vec![
                    t.clone(),
                    n.map(|n| (n + 1).to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
    }));
    for s in &p.sections {
        blocks.push(Block::PageBreak);
        blocks.push(Block::Heading {
            level: 1,
            text: s.title.clone(),
        });
        blocks.extend(s.blocks.iter().cloned());
    }
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading {
        level: 1,
        text: MANIFEST.into(),
    });
    blocks.extend(manifest_blocks(p.manifest));
    blocks
}

/// The pack as a document. The contents lists each section's page: laid out once to find
/// them, then again with them filled in (the contents has the same rows both times, so
/// nothing moves).
pub fn build(fonts: &Fonts, p: &PackInput) -> Result<DocSpec> {
    let titles: Vec<String> = p
        .sections
        .iter()
        .map(|s| s.title.clone())
        .chain([MANIFEST.to_string()])
        .collect();
    let blank: Vec<(String, Option<usize>)> = titles.iter().map(|t| (t.clone(), None)).collect();
    let first = layout::layout(fonts, &assemble(p, &blank))?;
    let found: Vec<(String, Option<usize>)> = titles
        .iter()
        .map(|t| {
            let page = first
                .outline
                .iter()
                .find(|o| o.level == 1 && &o.title == t)
                .map(|o| o.page);
            (t.clone(), page)
        })
        .collect();
    Ok(DocSpec {
        title: format!(
            "Award pack {}: {} {}",
            p.number, p.lot.reference, p.lot.title
        ),
        author: p.built_by.to_string(),
        subject: format!(
            "Award pack for legal review, {} {}",
            p.lot.procurement.reference, p.lot.reference
        ),
        reference: format!(
            "{} {} · Award pack {}",
            p.lot.procurement.reference, p.lot.reference, p.number
        ),
        marking: "OFFICIAL-SENSITIVE: LEGAL".into(),
        created: p.built_at,
        blocks: assemble(p, &found),
        info: vec![(
            MANIFEST_KEY.to_string(),
            serde_json::to_string(p.manifest).expect("serialisable"),
        )],
        anchor: p.anchor.clone(),
    })
}
