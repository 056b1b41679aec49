//! The TUPE checklist: who transfers, on what terms, and every obligation with its legal
//! basis, owner, date and status, as a document the council can hand to both providers.
use chrono::{DateTime, Utc};

use super::{Align, Block, DocSpec, Run, Table, col};
use crate::domain::dates;
use crate::domain::lot::Lot;
use crate::domain::tupe::obligations::{Applies, ObligationStatus, TupePlan};
use crate::domain::tupe::staff::{Group, MixRow, StaffDiff, StaffMember, StaffSummary};
use crate::domain::tupe::{Checklist, StaffListMeta};

pub struct ChecklistInput<'a> {
    pub lot: &'a Lot,
    pub plan: &'a TupePlan,
    pub checklist: &'a Checklist,
    pub list: Option<&'a StaffListMeta>,
    pub summary: Option<&'a StaffSummary>,
    pub diff: Option<&'a StaffDiff>,
    pub created: DateTime<Utc>,
    pub author: String,
}

fn group_row(label: &str, g: &Group) -> Vec<String> {
    vec![
        label.into(),
        g.headcount.to_string(),
        format!("{:.2}", g.fte),
        g.pay_bill.display(),
    ]
}

fn mix_table(first: &str, rows: &[MixRow]) -> Block {
    Block::Table(Table {
        columns: vec![
            col(first, 2.6, Align::Left),
            col("Expected to transfer", 1.3, Align::Right),
            col("Not wholly or mainly assigned", 1.6, Align::Right),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.label.clone(),
                    r.assigned.to_string(),
                    r.not_assigned.to_string(),
                ]
            })
            .collect(),
    })
}

fn person(s: &StaffMember) -> String {
    format!(
        "{} {} ({}, {}, {} FTE)",
        s.reference,
        s.role,
        s.grade,
        s.annual_pay.display(),
        s.fte
    )
}

fn staff_blocks(p: &ChecklistInput) -> Vec<Block> {
    let mut out = vec![Block::Heading {
        level: 2,
        text: "1. Staff in scope".into(),
    }];
    let (Some(s), Some(list)) = (p.summary, p.list) else {
        out.push(Block::Paragraph(vec![Run::plain(
            "No staff list has been imported yet. Ask the incumbent for its anonymised staff list before the tender goes out.",
        )]));
        return out;
    };
    out.push(Block::Paragraph(vec![Run::plain(format!(
        "{}. Staff who work wholly or mainly on the service are expected to transfer; the others stay with their employer unless the assessment finds otherwise.",
        list.describe()
    ))]));
    out.push(Block::Table(Table {
        columns: vec![
            col("Staff", 2.6, Align::Left),
            col("Headcount", 0.9, Align::Right),
            col("FTE", 0.8, Align::Right),
            col("Annual pay bill", 1.2, Align::Right),
        ],
        rows: vec![
            group_row(
                "Wholly or mainly assigned (expected to transfer)",
                &s.assigned,
            ),
            group_row("Not wholly or mainly assigned", &s.not_assigned),
            group_row("All staff on the list", &s.all),
        ],
    }));
    out.push(Block::Heading {
        level: 3,
        text: "Pension schemes".into(),
    });
    out.push(mix_table("Scheme", &s.pensions));
    out.push(Block::Heading {
        level: 3,
        text: "Contract types".into(),
    });
    out.push(mix_table("Contract type", &s.contracts));
    if let Some(d) = p.diff {
        out.push(Block::Heading {
            level: 3,
            text: format!("Changes since version {}", list.version.saturating_sub(1)),
        });
        if d.is_empty() {
            out.push(Block::Paragraph(vec![Run::plain(
                "None: the newer list is the same as the one before.",
            )]));
        } else {
            let mut items: Vec<Vec<Run>> = Vec::new();
            for s in &d.joined {
                items.push(vec![Run::bold("Joined: "), Run::plain(person(s))]);
            }
            for s in &d.left {
                items.push(vec![Run::bold("Left: "), Run::plain(person(s))]);
            }
            for c in &d.changed {
                let what: Vec<String> = c
                    .changes
                    .iter()
                    .map(|f| format!("{} {} → {}", f.field, f.before, f.after))
                    .collect();
                items.push(vec![
                    Run::bold(format!("Changed: {} {}: ", c.reference, c.role)),
                    Run::plain(what.join("; ")),
                ]);
            }
            out.push(Block::List {
                ordered: false,
                items,
            });
        }
    }
    out
}

fn obligation_blocks(p: &ChecklistInput) -> Vec<Block> {
    let c = p.checklist;
    let mut out = vec![
        Block::Heading {
            level: 2,
            text: "2. Obligations".into(),
        },
        Block::Paragraph(vec![Run::plain(format!(
            "{} of {} obligations done; {} overdue as at {}.",
            c.done,
            c.applicable,
            c.overdue,
            dates::long(c.as_at)
        ))]),
    ];
    let rows = c
        .obligations
        .iter()
        .filter(|o| !matches!(o.applies, Applies::No(_)))
        .map(|o| {
            let done = o.status == ObligationStatus::Done;
            vec![
                if done { "■" } else { "□" }.to_string(),
                o.title.clone(),
                o.legal_basis.clone(),
                o.owner.label().to_string(),
                match o.due {
                    Some(d) if o.ongoing => format!("From {}", dates::short(d)),
                    Some(d) => dates::short(d),
                    None => "Not set".into(),
                },
                match (&o.applies, o.overdue) {
                    (Applies::ToConfirm(_), _) => "To confirm".into(),
                    (_, true) => format!("OVERDUE ({})", o.status.label().to_lowercase()),
                    _ => o.status.label().to_string(),
                },
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        columns: vec![
            col("", 0.25, Align::Left),
            col("Obligation", 2.9, Align::Left),
            col("Legal basis", 1.4, Align::Left),
            col("Owner", 0.9, Align::Left),
            col("Due", 1.05, Align::Left),
            col("Status", 1.1, Align::Left),
        ],
        rows,
    }));
    out.push(Block::Heading {
        level: 3,
        text: "How each date is set".into(),
    });
    out.push(Block::List {
        ordered: false,
        items: c
            .obligations
            .iter()
            .filter(|o| !matches!(o.applies, Applies::No(_)))
            .map(|o| {
                vec![
                    Run::bold(format!("{}: ", o.name)),
                    Run::plain(o.due_rule.clone()),
                ]
            })
            .collect(),
    });
    let not: Vec<Vec<Run>> = c
        .obligations
        .iter()
        .filter_map(|o| match &o.applies {
            Applies::No(reason) => Some(vec![
                Run::bold(format!("{}: ", o.name)),
                Run::plain(format!("not applicable, because {reason}.")),
            ]),
            _ => None,
        })
        .collect();
    if !not.is_empty() {
        out.push(Block::Heading {
            level: 3,
            text: "Not applicable to this lot".into(),
        });
        out.push(Block::List {
            ordered: false,
            items: not,
        });
    }
    out
}

fn note_blocks(p: &ChecklistInput) -> Vec<Block> {
    let c = p.checklist;
    let mut items: Vec<Vec<Run>> = Vec::new();
    for o in c
        .obligations
        .iter()
        .filter(|o| !matches!(o.applies, Applies::No(_)))
    {
        let mut text = Vec::new();
        if let Applies::ToConfirm(r) = &o.applies {
            text.push(format!("To confirm: {r}."));
        }
        if !o.evidence.is_empty() {
            let by = o
                .updated_by
                .as_deref()
                .map(|b| format!(" (recorded by {b})"))
                .unwrap_or_default();
            text.push(format!("Evidence: {}{by}", o.evidence));
        }
        if let Some(n) = &o.due_note {
            text.push(n.clone());
        }
        if !text.is_empty() {
            items.push(vec![
                Run::bold(format!("{}: ", o.name)),
                Run::plain(text.join(" ")),
            ]);
        }
    }
    let mut out = vec![Block::Heading {
        level: 2,
        text: "3. Notes".into(),
    }];
    if items.is_empty() && p.plan.notes.is_empty() {
        out.push(Block::Paragraph(vec![Run::plain("None recorded.")]));
    }
    if !items.is_empty() {
        out.push(Block::List {
            ordered: false,
            items,
        });
    }
    if !p.plan.notes.is_empty() {
        out.push(Block::Paragraph(vec![
            Run::bold("Officer’s notes: "),
            Run::plain(p.plan.notes.clone()),
        ]));
    }
    out
}

pub fn build(p: &ChecklistInput) -> DocSpec {
    let lot = p.lot;
    let council = lot
        .procurement
        .commissioners
        .first()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let c = p.checklist;
    let mut blocks = vec![
        Block::Paragraph(vec![
            Run::bold(council.clone()),
            Run::plain(" · TUPE checklist"),
        ]),
        Block::Heading {
            level: 1,
            text: format!("TUPE checklist: {} {}", lot.reference, lot.title),
        },
        Block::Facts(vec![
            (
                "Procurement".into(),
                format!("{} {}", lot.procurement.reference, lot.procurement.title),
            ),
            ("Lot".into(), format!("{} {}", lot.reference, lot.title)),
            ("Outgoing provider".into(), p.plan.outgoing.clone()),
            (
                "Incoming provider".into(),
                if p.plan.incoming.is_empty() {
                    "Not yet known".into()
                } else {
                    p.plan.incoming.clone()
                },
            ),
            (
                "Transfer date (T)".into(),
                dates::long(p.plan.transfer_date),
            ),
            (
                "Service provision change".into(),
                p.plan.assessment.label().into(),
            ),
            ("As at".into(), dates::long(c.as_at)),
        ]),
        Block::Notice({
            let mut runs = vec![
                Run::bold("Calendar days. "),
                Run::plain(c.calendar_note.clone()),
            ];
            if let Some(n) = &c.transfer_note {
                runs.push(Run::plain(format!(" {n}")));
            }
            runs
        }),
    ];
    if c.overdue > 0 {
        blocks.push(Block::Notice(vec![Run::bold(format!(
            "{} {} overdue: marked OVERDUE in the table below.",
            c.overdue,
            if c.overdue == 1 {
                "obligation is"
            } else {
                "obligations are"
            }
        ))]));
    }
    blocks.extend(staff_blocks(p));
    blocks.extend(obligation_blocks(p));
    blocks.extend(note_blocks(p));
    DocSpec {
        title: format!(
            "TUPE checklist: {} {} ({})",
            lot.procurement.reference, lot.reference, lot.title
        ),
        author: if p.author.is_empty() {
            council
        } else {
            p.author.clone()
        },
        subject: format!("TUPE obligations for {} {}", lot.reference, lot.title),
        reference: format!(
            "{} {} · TUPE checklist",
            lot.procurement.reference, lot.reference
        ),
        marking: "OFFICIAL-SENSITIVE".into(),
        created: p.created,
        blocks,
        info: Vec::new(),
        anchor: None,
    }
}
