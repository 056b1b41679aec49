//! A synthetic document with long tables, many headings, lists and a row taller than a page:
//! the engine's tests read it back and the benchmark times it.
use super::{Align, Block, Column, DocSpec, Run, Table};

/// `sections` sections of about a page and a half each.
pub fn synthetic(sections: usize) -> DocSpec {
    let mut blocks = vec![Block::Heading {
        level: 1,
        text: "Synthetic pack".into(),
    }];
    for s in 1..=sections {
        blocks.push(Block::Heading {
            level: 2,
            text: format!("{s}. Section on the Health Trainers service"),
        });
        blocks.push(Block::Paragraph(vec![
            Run::plain("The current contract with "),
            Run::bold("Kent Community Health NHS Foundation Trust"),
            Run::plain(" is worth £1,462,000 a year and buys 30 full-time equivalent posts. "),
            Run::italic("Extension is recommended"),
            Run::plain(
                " for nine months so that the re-procurement can align with Community Navigation. "
                    .repeat(3),
            ),
        ]));
        blocks.push(Block::Heading {
            level: 3,
            text: format!("{s}.1 Options considered"),
        });
        blocks.push(Block::List {
            ordered: true,
            items: vec![
                vec![Run::plain("Do nothing: the contract ends and the service stops, with a TUPE risk for 30 staff.")],
                vec![Run::plain("Extend for nine months at the same price, aligning the re-procurement.")],
                vec![Run::plain("Re-procure now, without the Community Navigation evidence.")],
            ],
        });
        blocks.push(Block::Table(Table {
            columns: vec![
                Column {
                    header: "Year".into(),
                    width: 1.0,
                    align: Align::Left,
                },
                Column {
                    header: "Funder".into(),
                    width: 3.0,
                    align: Align::Left,
                },
                Column {
                    header: "Amount".into(),
                    width: 1.5,
                    align: Align::Right,
                },
            ],
            rows: (0..40)
                .map(|i| {
                    vec![
                        format!("20{:02}/{:02}", 26 + i % 5, 27 + i % 5),
                        format!("Funder {i} ’s contribution"),
                        format!("£{},000", 100 + i),
                    ]
                })
                .collect(),
        }));
    }
    // A row taller than a page splits cleanly.
    blocks.push(Block::Table(Table {
        columns: vec![
            Column {
                header: "Risk".into(),
                width: 1.0,
                align: Align::Left,
            },
            Column {
                header: "Mitigation".into(),
                width: 3.0,
                align: Align::Left,
            },
        ],
        rows: vec![vec![
            "TUPE".into(),
            "Staff consultation under regulation 13. ".repeat(200),
        ]],
    }));
    DocSpec {
        title: "Synthetic decision pack".into(),
        author: "Lotwise test".into(),
        subject: "PDF engine check".into(),
        reference: "TEST/0001".into(),
        marking: "OFFICIAL".into(),
        created: chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
            .unwrap()
            .to_utc(),
        blocks,
        info: Vec::new(),
        anchor: None,
    }
}
