//! Decision papers: the structure councils publish (header block, summary, recommendations,
//! background, options with benefits and risks, preferred option, implications, contacts,
//! appendices, background papers), the officer's narrative, and the figures read from the
//! workspace. Figures are never typed into a paper: they come from the lot, its contract,
//! the procurement's budget or the evaluation, so they match the data exactly.
use chrono::{DateTime, Utc};

use super::markup;
use super::{Align, Block, DocSpec, Run, Table, capitalised, col};
use crate::domain::contract::Contract;
use crate::domain::dates;
use crate::domain::eval::model::{EvalModel, SectionKind};
use crate::domain::eval::results::EvalResults;
use crate::domain::eval::results::ROUNDING_RULE;
use crate::domain::lot::Lot;
use crate::domain::money::Money;
use crate::domain::paper::{Edition, PaperDraft, PaperKind, exempt_category, sections};
use crate::domain::term::{OptionStatus, duration};

/// The evaluation behind an award paper.
#[derive(Debug, Clone)]
pub struct AwardFacts {
    pub results: EvalResults,
    pub model: EvalModel,
    pub evaluators: usize,
    pub moderators: usize,
    /// Panel members removed from the lot by a declared conflict.
    pub conflicted: usize,
}

pub struct PaperInput<'a> {
    pub kind: PaperKind,
    pub draft: &'a PaperDraft,
    pub lot: &'a Lot,
    /// The contract the lot replaces (required for an extension paper).
    pub contract: Option<&'a Contract>,
    /// The evaluation, or why there is none yet (award papers).
    pub award: Result<&'a AwardFacts, String>,
    /// The minimum tendering period the route sets, for the timetable.
    pub tendering: Option<&'a crate::domain::route::time_limits::TenderingPeriod>,
    pub edition: Edition,
    /// A preview: gaps are shown in place and every page says DRAFT.
    pub draft_mode: bool,
    pub author: String,
    pub created: DateTime<Utc>,
}

/// An exempt appendix the paper itself adds (e.g. the evaluation in full, with prices).
struct AutoAppendix {
    title: String,
    paragraph: u8,
    blocks: Vec<Block>,
}

struct Doc {
    blocks: Vec<Block>,
    n: u32,
}

impl Doc {
    fn section(&mut self, title: &str) {
        self.n += 1;
        self.blocks.push(Block::Heading {
            level: 2,
            text: format!("{}. {title}", self.n),
        });
    }
    fn sub(&mut self, title: &str) {
        self.blocks.push(Block::Heading {
            level: 3,
            text: title.to_string(),
        });
    }
    fn para(&mut self, runs: Vec<Run>) {
        self.blocks.push(Block::Paragraph(runs));
    }
    fn text(&mut self, s: impl Into<String>) {
        self.para(vec![Run::plain(s)]);
    }
}

fn gap(label: &str) -> Block {
    Block::Paragraph(vec![Run::italic(format!("[Not yet written: {label}]"))])
}

/// The officer's narrative for a section, or in a preview a visible gap.
fn narrative(p: &PaperInput, key: &str, label: &str) -> Vec<Block> {
    let t = p.draft.text(key);
    if t.is_empty() {
        if p.draft_mode {
            vec![gap(label)]
        } else {
            vec![]
        }
    } else {
        markup::blocks(t)
    }
}

fn label_of(kind: PaperKind, key: &str) -> &'static str {
    sections(kind)
        .into_iter()
        .find(|s| s.key == key)
        .map(|s| s.label)
        .unwrap_or("")
}

fn or_gap(p: &PaperInput, s: &str, label: &str) -> String {
    if s.trim().is_empty() && p.draft_mode {
        format!("[{label}]")
    } else {
        s.trim().to_string()
    }
}

pub fn build(p: &PaperInput) -> DocSpec {
    let d = p.draft;
    let h = &d.header;
    let lot = p.lot;
    let mut doc = Doc {
        blocks: Vec::new(),
        n: 0,
    };
    let mut auto: Vec<AutoAppendix> = Vec::new();
    let council = lot
        .procurement
        .commissioners
        .first()
        .map(|o| o.name.clone())
        .unwrap_or_default();

    // Title and header block.
    doc.blocks.push(Block::Paragraph(vec![
        Run::bold(council.clone()),
        Run::plain(format!(" · {}", p.kind.label())),
    ]));
    doc.blocks.push(Block::Heading {
        level: 1,
        text: or_gap(p, &h.subject, "Subject"),
    });
    if p.edition == Edition::Full
        && (d.appendices.iter().any(|a| a.exempt) || p.kind == PaperKind::Award)
    {
        doc.blocks.push(Block::Notice(vec![Run::bold(
            "NOT FOR PUBLICATION. This version includes exempt information (Part B) under Schedule 12A to the Local Government Act 1972. Publish the open version.",
        )]));
    }
    if p.draft_mode {
        doc.blocks.push(Block::Notice(vec![
            Run::bold("Draft. "),
            Run::plain("Gaps still to be written are shown in square brackets."),
        ]));
    }
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_string();
    doc.blocks.push(Block::Facts(vec![
        (
            "Decision number".into(),
            or_gap(p, &h.decision_number, "Decision number"),
        ),
        (
            "Decision maker".into(),
            or_gap(p, &h.decision_maker, "Decision maker"),
        ),
        ("From".into(), or_gap(p, &h.from, "From")),
        ("To".into(), or_gap(p, &h.to, "To")),
        ("Subject".into(), or_gap(p, &h.subject, "Subject")),
        (
            "Classification".into(),
            or_gap(p, &h.classification, "Classification"),
        ),
        (
            "Electoral divisions".into(),
            or_gap(p, &h.electoral_divisions, "Electoral divisions"),
        ),
        ("Key decision".into(), yes_no(h.key_decision)),
        (
            "Procurement and lot".into(),
            format!(
                "{} {}: {} {}",
                lot.procurement.reference, lot.procurement.title, lot.reference, lot.title
            ),
        ),
        (
            "Date of this paper".into(),
            dates::long(p.created.date_naive()),
        ),
    ]));

    doc.section("Summary");
    let b = narrative(p, "summary", "Summary");
    doc.blocks.extend(b);

    doc.section("Recommendations");
    let b = narrative(p, "recommendations", "Recommendations");
    doc.blocks.extend(b);

    doc.section("Background");
    let b = narrative(p, "background", "Background");
    doc.blocks.extend(b);

    match p.kind {
        PaperKind::Extension => extension_facts(p, &mut doc),
        PaperKind::Procurement => procurement_facts(p, &mut doc),
        PaperKind::Award => award_facts(p, &mut doc, &mut auto),
    }

    // Options, each with benefits and risks, then the preferred one.
    doc.section("Options considered");
    if d.options.is_empty() && p.draft_mode {
        doc.blocks.push(gap("Options, with benefits and risks"));
    }
    for (i, o) in d.options.iter().enumerate() {
        let letter = (b'A' + (i as u8 % 26)) as char;
        doc.sub(&format!(
            "Option {letter}: {}",
            or_gap(p, &o.title, "Title")
        ));
        if !o.description.trim().is_empty() {
            doc.blocks.extend(markup::blocks(&o.description));
        }
        for (what, text) in [("Benefits", &o.benefits), ("Risks", &o.risks)] {
            let mut blocks = markup::blocks(text);
            match blocks.first_mut() {
                Some(Block::Paragraph(runs)) => runs.insert(0, Run::bold(format!("{what}: "))),
                _ => {
                    let rest = if text.trim().is_empty() {
                        if p.draft_mode {
                            Run::italic(format!("[{what} not yet written]"))
                        } else {
                            Run::plain("None identified.")
                        }
                    } else {
                        Run::plain("")
                    };
                    blocks.insert(
                        0,
                        Block::Paragraph(vec![
                            Run::bold(format!("{what}:")),
                            Run::plain(" "),
                            rest,
                        ]),
                    );
                }
            }
            doc.blocks.extend(blocks);
        }
    }
    doc.section("Preferred option");
    match d
        .preferred_option
        .and_then(|n| d.options.get(n as usize - 1).map(|o| (n, o)))
    {
        Some((n, o)) => {
            let letter = (b'A' + ((n - 1) as u8 % 26)) as char;
            doc.para(vec![
                Run::plain("The preferred option is "),
                Run::bold(format!("option {letter}: {}", o.title.trim())),
                Run::plain("."),
            ]);
        }
        None if p.draft_mode => doc.blocks.push(gap("Which option is preferred")),
        None => {}
    }
    let b = narrative(p, "preferred_reasons", "Reasons for the preferred option");
    doc.blocks.extend(b);

    // Implications: required ones always, optional ones when written.
    doc.section("Implications");
    for s in sections(p.kind).into_iter().filter(|s| s.implication) {
        let t = d.text(s.key);
        if t.is_empty() && !s.required && !p.draft_mode {
            continue;
        }
        doc.sub(s.label);
        doc.blocks.extend(narrative(p, s.key, s.label));
    }

    doc.section("Contacts");
    let contacts: Vec<Vec<String>> = d
        .contacts
        .iter()
        .filter(|c| !c.name.trim().is_empty())
        .map(|c| {
            vec![
                c.name.trim().into(),
                c.role.trim().into(),
                c.phone.trim().into(),
                c.email.trim().into(),
            ]
        })
        .collect();
    if contacts.is_empty() {
        if p.draft_mode {
            doc.blocks.push(gap("Contacts"));
        }
    } else {
        doc.blocks.push(Block::Table(Table {
            columns: vec![
                col("Name", 1.3, Align::Left),
                col("Role", 1.6, Align::Left),
                col("Telephone", 1.0, Align::Left),
                col("Email", 1.7, Align::Left),
            ],
            rows: contacts,
        }));
    }

    // Appendices: the officer's, then those the paper adds itself.
    let mut listed: Vec<(String, bool, Option<u8>, Vec<Block>)> = d
        .appendices
        .iter()
        .map(|a| {
            (
                a.title.trim().to_string(),
                a.exempt,
                a.exempt_paragraph,
                markup::blocks(&a.body),
            )
        })
        .collect();
    for a in auto {
        listed.push((a.title, true, Some(a.paragraph), a.blocks));
    }
    doc.section("Appendices");
    if listed.is_empty() {
        doc.text("None.");
    } else {
        let items = listed
            .iter()
            .enumerate()
            .map(|(i, (title, exempt, para, _))| {
                let mut runs = vec![Run::plain(format!("Appendix {}: {title}", i + 1))];
                if *exempt {
                    runs.push(Run::italic(format!(
                        " (exempt: not for publication by virtue of paragraph {} of Part 1 of Schedule 12A to the Local Government Act 1972)",
                        para.unwrap_or(3)
                    )));
                }
                runs
            })
            .collect();
        doc.blocks.push(Block::List {
            ordered: false,
            items,
        });
    }

    doc.section("Background papers");
    let bp = d.text("background_papers");
    if bp.is_empty() {
        doc.text("None.");
    } else {
        let items: Vec<Vec<Run>> = bp
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '*', '•']).trim())
            .filter(|l| !l.is_empty())
            .map(|l| vec![Run::plain(l)])
            .collect();
        doc.blocks.push(Block::List {
            ordered: false,
            items,
        });
    }

    for (i, (title, exempt, para, blocks)) in listed.into_iter().enumerate() {
        doc.blocks.push(Block::PageBreak);
        doc.blocks.push(Block::Heading {
            level: 2,
            text: format!("Appendix {}: {title}", i + 1),
        });
        if exempt && p.edition == Edition::Open {
            let para = para.unwrap_or(3);
            doc.blocks.push(Block::Notice(vec![
                Run::bold("Exempt: not for publication. "),
                Run::plain(format!(
                    "This appendix contains exempt information under paragraph {para} of Part 1 of Schedule 12A to the Local Government Act 1972 ({}). It is given to the decision maker separately.",
                    exempt_category(para).unwrap_or("")
                )),
            ]));
            continue;
        }
        if exempt {
            doc.blocks.push(Block::Notice(vec![Run::bold(format!(
                "Part B: exempt under paragraph {} of Part 1 of Schedule 12A to the Local Government Act 1972. Not for publication.",
                para.unwrap_or(3)
            ))]));
        }
        doc.blocks.extend(blocks);
    }

    let subject = if h.subject.trim().is_empty() {
        format!("{}: {}", p.kind.label(), lot.title)
    } else {
        h.subject.trim().to_string()
    };
    let mut marking = if h.classification.trim().is_empty() {
        "OFFICIAL".to_string()
    } else {
        h.classification.trim().to_uppercase()
    };
    if p.edition == Edition::Full {
        marking.push_str(" · PART B");
    }
    if p.draft_mode {
        marking.push_str(" · DRAFT");
    }
    let reference = if h.decision_number.trim().is_empty() {
        format!("{} · {}", p.kind.label(), lot.title)
    } else {
        format!("Decision {} · {}", h.decision_number.trim(), p.kind.label())
    };
    DocSpec {
        title: subject,
        author: if h.from.trim().is_empty() {
            p.author.clone()
        } else {
            h.from.trim().to_string()
        },
        subject: format!(
            "{} for {} {} ({})",
            p.kind.label(),
            lot.reference,
            lot.title,
            lot.procurement.title
        ),
        reference,
        marking,
        created: p.created,
        blocks: doc.blocks,
        info: Vec::new(),
        anchor: None,
    }
}

fn extension_facts(p: &PaperInput, doc: &mut Doc) {
    let Some(c) = p.contract else {
        doc.blocks.push(Block::Notice(vec![Run::bold(
            "This lot does not record the contract it replaces, so there is no contract to extend.",
        )]));
        return;
    };
    doc.sub("The current contract");
    let options: Vec<String> = c
        .dates
        .options
        .iter()
        .map(|o| {
            format!(
                "Option {}: {}, {} to {} ({})",
                o.number,
                duration(o.months),
                dates::long(o.start),
                dates::long(o.end),
                o.status.key()
            )
        })
        .collect();
    doc.blocks.push(Block::Facts(vec![
        ("Contract".into(), format!("{} {}", c.reference, c.title)),
        ("Provider".into(), c.provider.name.clone()),
        ("Service".into(), c.service.clone()),
        ("Annual value".into(), c.annual_value.display()),
        ("Started".into(), dates::long(c.start)),
        ("Term".into(), c.term.describe()),
        ("Core term ends".into(), dates::long(c.dates.core_end)),
        ("Currently ends".into(), dates::long(c.dates.current_end)),
        (
            "Extension options".into(),
            if options.is_empty() {
                "None".into()
            } else {
                options.join("; ")
            },
        ),
        ("Notice period".into(), duration(c.notice_period_months)),
    ]));
    doc.sub("The proposed extension");
    let chosen = match p.draft.extension_option {
        Some(n) => c.dates.options.iter().find(|o| o.number == n),
        None => c
            .dates
            .options
            .iter()
            .find(|o| o.status == OptionStatus::Available),
    };
    match chosen {
        Some(o) => {
            let months_to_end = c.term.core_months
                + c.term
                    .extension_months
                    .iter()
                    .take(o.number as usize)
                    .sum::<u32>();
            let mut facts = vec![
                (
                    "Option".into(),
                    format!("Option {} of the contract ({})", o.number, o.status.key()),
                ),
                ("Length".into(), duration(o.months)),
                (
                    "Period".into(),
                    format!("{} to {}", dates::long(o.start), dates::long(o.end)),
                ),
                (
                    "Value of the extension".into(),
                    format!(
                        "{} ({} a year for {})",
                        c.annual_value.for_months(o.months).map(Money::display).unwrap_or_default(),
                        c.annual_value.display(),
                        duration(o.months)
                    ),
                ),
                ("New end date".into(), dates::long(o.end)),
                (
                    "Contract value to the new end date".into(),
                    c.annual_value
                        .for_months(months_to_end)
                        .map(Money::display)
                        .unwrap_or_default(),
                ),
            ];
            if o.status == OptionStatus::Declined {
                facts.push((
                    "Note".into(),
                    "This option is recorded as declined in the contracts register.".into(),
                ));
            }
            doc.blocks.push(Block::Facts(facts));
        }
        None => doc.blocks.push(Block::Notice(vec![Run::plain(format!(
            "Contract {} has no extension option left to take. Extending it would be a modification under section 74 and Schedule 8 to the Procurement Act 2023; the legal implications must set out the ground relied on.",
            c.reference
        ))])),
    }
    if let (Some(v), Some(t)) = (p.lot.estimated_annual_value, &p.lot.term) {
        doc.sub("The re-procurement");
        doc.blocks.push(Block::Facts(vec![
            ("Lot".into(), format!("{} {}", p.lot.reference, p.lot.title)),
            ("Estimated annual value".into(), v.display()),
            ("Proposed term".into(), t.describe()),
            (
                "Whole-life value".into(),
                p.lot
                    .whole_life_value
                    .map(Money::display)
                    .unwrap_or_default(),
            ),
            ("Stage".into(), p.lot.stage.label().into()),
        ]));
    }
    section_with(p, doc, "reasons");
    section_with(p, doc, "tupe_risk");
}

fn section_with(p: &PaperInput, doc: &mut Doc, key: &str) {
    let label = label_of(p.kind, key);
    let t = p.draft.text(key);
    if t.is_empty() && !p.draft_mode && !sections(p.kind).iter().any(|s| s.key == key && s.required)
    {
        return;
    }
    doc.section(label);
    doc.blocks.extend(narrative(p, key, label));
}

fn procurement_facts(p: &PaperInput, doc: &mut Doc) {
    let lot = p.lot;
    doc.sub("The proposed contract");
    let commissioners: Vec<String> = lot
        .procurement
        .commissioners
        .iter()
        .map(|o| o.name.clone())
        .collect();
    let mut facts = vec![
        (
            "Procurement".into(),
            format!("{} {}", lot.procurement.reference, lot.procurement.title),
        ),
        ("Lot".into(), format!("{} {}", lot.reference, lot.title)),
        ("Service".into(), lot.procurement.service.clone()),
        ("Area".into(), lot.geography.clone()),
        ("Commissioners".into(), commissioners.join("; ")),
        (
            "Estimated annual value".into(),
            lot.estimated_annual_value
                .map(Money::display)
                .unwrap_or_else(|| "Not yet estimated".into()),
        ),
        (
            "Contract term".into(),
            lot.term
                .as_ref()
                .map(|t| t.describe())
                .unwrap_or_else(|| "Not yet set".into()),
        ),
        (
            "Whole-life value (all extensions taken)".into(),
            lot.whole_life_value
                .map(Money::display)
                .unwrap_or_else(|| "Not yet estimated".into()),
        ),
    ];
    if let Some(c) = p.contract {
        facts.push((
            "Replaces".into(),
            format!(
                "{} {} with {} ({} a year, ends {})",
                c.reference,
                c.title,
                c.provider.name,
                c.annual_value.display(),
                dates::long(c.dates.current_end)
            ),
        ));
    }
    doc.blocks.push(Block::Facts(facts));
    if !lot.milestones.is_empty() {
        doc.sub("Timetable");
        doc.blocks.push(Block::Table(Table {
            columns: vec![
                col("Milestone", 3.0, Align::Left),
                col("Planned", 1.4, Align::Left),
                col("Done", 1.4, Align::Left),
            ],
            rows: lot
                .milestones
                .iter()
                .map(|m| {
                    vec![
                        m.title.clone(),
                        dates::long(m.planned),
                        m.actual.map(dates::long).unwrap_or_default(),
                    ]
                })
                .collect(),
        }));
    }
    if let Some(t) = p.tendering
        && (!lot.milestones.is_empty() || t.min_days.is_some())
    {
        doc.para(vec![
                Run::bold("Tendering period: "),
                Run::plain(match (t.min_days, t.earliest_deadline) {
                    (Some(d), Some(e)) => format!(
                        "at least {d} days ({}: {}), counted in {}. The earliest lawful submission deadline is {}.",
                        t.provision,
                        t.row,
                        crate::domain::route::time_limits::COUNTING,
                        dates::long(e)
                    ),
                    (Some(d), None) => format!(
                        "at least {d} days ({}: {}), counted in {}.",
                        t.provision,
                        t.row,
                        crate::domain::route::time_limits::COUNTING
                    ),
                    (None, _) => format!("no statutory minimum ({}): {}.", t.provision, t.row),
                }),
            ]);
    }
    section_with(p, doc, "route_to_market");
    let label = label_of(p.kind, "savings");
    doc.section(label);
    if !lot.procurement.budget.is_empty() {
        let mut rows: Vec<Vec<String>> = lot
            .procurement
            .budget
            .iter()
            .map(|b| vec![b.financial_year.to_string(), b.amount.display()])
            .collect();
        let total = lot
            .procurement
            .budget
            .iter()
            .try_fold(Money::from_pence(0), |a, b| a.checked_add(b.amount));
        if let Some(t) = total {
            rows.push(vec!["Total".into(), t.display()]);
        }
        doc.para(vec![Run::plain(format!(
            "The budget for {} by financial year (April to March):",
            lot.procurement.title
        ))]);
        doc.blocks.push(Block::Table(Table {
            columns: vec![
                col("Financial year", 2.0, Align::Left),
                col("Budget", 1.5, Align::Right),
            ],
            rows,
        }));
    }
    let t = p.draft.text("savings");
    if !t.is_empty() || p.draft_mode {
        doc.blocks.extend(narrative(p, "savings", label));
    }
    section_with(p, doc, "delegation");
}

fn award_facts(p: &PaperInput, doc: &mut Doc, auto: &mut Vec<AutoAppendix>) {
    section_with(p, doc, "evaluation_process");
    doc.section("Evaluation outcome");
    let a = match &p.award {
        Ok(a) => *a,
        Err(why) => {
            doc.blocks.push(Block::Notice(vec![
                Run::bold("Evaluation results are required. "),
                Run::plain(why.clone()),
            ]));
            return;
        }
    };
    let m = &a.model;
    doc.sub("How bids were evaluated");
    doc.blocks.push(Block::Table(Table {
        columns: vec![
            col("Section", 3.0, Align::Left),
            col("Questions", 1.0, Align::Right),
            col("Weight", 1.0, Align::Right),
        ],
        rows: m
            .sections
            .iter()
            .map(|s| {
                vec![
                    s.title.clone(),
                    if s.kind == SectionKind::Price {
                        "Price".into()
                    } else {
                        s.questions.len().to_string()
                    },
                    format!("{}%", s.weight),
                ]
            })
            .collect(),
    }));
    if let Some(pm) = &a.results.scored.price_method {
        doc.para(vec![Run::bold("Price: "), Run::plain(pm.clone())]);
    }
    if let Some(t) = m.quality_threshold {
        doc.para(vec![
            Run::bold("Quality threshold: "),
            Run::plain(format!(
                "bids scoring below {t}% of the available quality marks were not considered further."
            )),
        ]);
    }
    doc.para(vec![
        Run::bold("Tie-break and rounding: "),
        Run::plain(format!("{} {ROUNDING_RULE}", m.tie_break.describe())),
    ]);
    doc.para(vec![Run::plain(format!(
        "{} evaluator{} scored each bid independently and without seeing each other’s scores, after declaring any conflict of interest; {} moderator{} then agreed a consensus score for each question, with reasons, keeping the individual scores.{} Every panel member signed off the moderated scores.",
        capitalised(&in_words(a.evaluators)),
        if a.evaluators == 1 { "" } else { "s" },
        in_words(a.moderators),
        if a.moderators == 1 { "" } else { "s" },
        match a.conflicted {
            0 => String::new(),
            1 => " One panel member declared a conflict of interest and took no part.".into(),
            n => format!(" {n} panel members declared a conflict of interest and took no part."),
        }
    ))]);

    let r = &a.results;
    let bids = &r.scored.bids;
    // Open edition: only the recommended bidder is named and no losing price is shown.
    let mut letters = std::collections::HashMap::new();
    let mut next = b'A';
    for b in bids {
        if Some(b.bid_id) != r.recommended {
            letters.insert(b.bid_id, format!("Bidder {}", next as char));
            next = next.saturating_add(1);
        }
    }
    let name = |b: &crate::domain::eval::results::BidResult, full: bool| {
        if full || Some(b.bid_id) == r.recommended {
            b.bidder.clone()
        } else {
            letters.get(&b.bid_id).cloned().unwrap_or_default()
        }
    };
    let scored_sections: Vec<_> = m.sections.iter().collect();
    let table = |full: bool| {
        let mut columns = vec![
            col("Rank", 1.0, Align::Left),
            col("Bidder", 2.3, Align::Left),
        ];
        for s in &scored_sections {
            columns.push(col(
                &format!("{} ({}%)", s.title, s.weight),
                1.3,
                Align::Right,
            ));
        }
        columns.push(col("Total (100)", 1.1, Align::Right));
        if full {
            columns.push(col("Price", 1.4, Align::Right));
        }
        let rows = bids
            .iter()
            .map(|b| {
                let mut row = vec![
                    b.rank
                        .map(|x| x.to_string())
                        .unwrap_or_else(|| "Excluded".into()),
                    name(b, full),
                ];
                for s in &scored_sections {
                    row.push(
                        b.sections
                            .iter()
                            .find(|x| x.key == s.key)
                            .map(|x| crate::domain::eval::results::shown(x.score.0))
                            .unwrap_or_default(),
                    );
                }
                row.push(crate::domain::eval::results::shown(b.total.0));
                if full {
                    row.push(b.price.display());
                }
                row
            })
            .collect();
        Table { columns, rows }
    };
    doc.sub("Scores");
    doc.blocks.push(Block::Table(table(false)));
    let winner = r
        .recommended
        .and_then(|id| bids.iter().find(|b| b.bid_id == id));
    match winner {
        Some(w) => {
            doc.para(vec![
                Run::plain("The recommended bidder is "),
                Run::bold(w.bidder.clone()),
                Run::plain(format!(
                    ", with a total score of {} out of 100 and an evaluated price of {}.",
                    crate::domain::eval::results::shown(w.total.0),
                    w.price.display()
                )),
            ]);
            if let Some(reserve) = bids
                .iter()
                .filter(|b| b.rank.is_some() && b.bid_id != w.bid_id)
                .min_by_key(|b| b.rank)
            {
                doc.text(format!(
                    "{} ranked next, with {} out of 100, and is the reserve bidder.",
                    name(reserve, false),
                    crate::domain::eval::results::shown(reserve.total.0)
                ));
            }
        }
        None => doc.blocks.push(Block::Notice(vec![Run::plain(
            "No bid can be recommended: every bid was excluded.",
        )])),
    }
    if let Some(al) = &r.award_limit {
        doc.para(vec![
            Run::bold("Lot award limit: "),
            Run::plain(al.rule.clone()),
        ]);
    }
    let excluded: Vec<Vec<Run>> = bids
        .iter()
        .filter(|b| !b.exclusions.is_empty())
        .map(|b| {
            vec![
                Run::bold(format!("{}: ", name(b, false))),
                Run::plain(b.exclusions.join("; ")),
            ]
        })
        .collect();
    if !excluded.is_empty() {
        doc.sub("Bids excluded");
        doc.blocks.push(Block::List {
            ordered: false,
            items: excluded,
        });
    }
    auto.push(AutoAppendix {
        title: "Evaluation results in full, with bidders’ names and prices".into(),
        paragraph: 3,
        blocks: vec![Block::Table(table(true))],
    });
    section_with(p, doc, "next_steps");
}

/// Numbers up to ten in words, as house style writes them in running text.
fn in_words(n: usize) -> String {
    const W: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    W.get(n)
        .map(|w| w.to_string())
        .unwrap_or_else(|| n.to_string())
}
