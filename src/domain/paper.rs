//! Decision papers (key decision reports): the three kinds, the narrative an officer writes
//! for each, and what must be written before a paper can be published.
//! The figures never come from here: they are read from the workspace when the paper is made.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

use crate::domain::ids::LotId;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaperKind {
    /// Extending the current contract (seed 000).
    Extension,
    /// Approval to procure, with the award delegated (seed 003).
    Procurement,
    /// Recommending the award from the evaluation.
    Award,
}

impl PaperKind {
    pub const ALL: [PaperKind; 3] = [Self::Extension, Self::Procurement, Self::Award];
    pub fn key(self) -> &'static str {
        match self {
            Self::Extension => "extension",
            Self::Procurement => "procurement",
            Self::Award => "award",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Extension => "Contract extension",
            Self::Procurement => "Procurement approval (key decision)",
            Self::Award => "Award recommendation",
        }
    }
    pub fn parse(s: &str) -> Result<PaperKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "extension" => Ok(Self::Extension),
            "procurement" | "procurement-approval" => Ok(Self::Procurement),
            "award" => Ok(Self::Award),
            other => Err(Error::validation(
                "kind",
                format!(
                    "“{other}” is not a kind of decision paper; expected extension, procurement or award"
                ),
            )),
        }
    }
}

/// Which version of the paper: the one published, or the full one with Part B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Edition {
    /// For publication: exempt appendices are listed but not included.
    Open,
    /// For the decision maker: includes the exempt (Part B) appendices.
    Full,
}

impl Edition {
    pub fn key(self) -> &'static str {
        match self {
            Edition::Open => "open",
            Edition::Full => "full",
        }
    }
}

impl Edition {
    pub fn parse(s: &str) -> Result<Edition> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(Edition::Open),
            "full" => Ok(Edition::Full),
            other => Err(Error::validation(
                "edition",
                format!("“{other}” is not an edition; expected open or full"),
            )),
        }
    }
}

/// A saved version of the narrative.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedDraft {
    pub version: u32,
    pub draft: PaperDraft,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

/// A generated PDF, kept as it was made.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaperDocument {
    pub id: crate::domain::ids::PaperId,
    pub lot_id: LotId,
    pub kind: PaperKind,
    /// 1, 2, 3... for this lot and kind.
    pub number: u32,
    /// The draft version it was made from.
    pub draft_version: u32,
    pub edition: Edition,
    pub sha256: String,
    pub pages: u32,
    pub size_bytes: u32,
    pub generated_by: String,
    pub generated_at: DateTime<Utc>,
    /// How many audit events there were when it was generated: with the workspace's id and
    /// the hash after that event, the anchor it prints. None for papers kept before anchors.
    pub anchor_events: Option<i64>,
}

/// The header block every key decision report opens with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct PaperHeader {
    pub decision_number: String,
    pub decision_maker: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    /// The classification printed on the paper and on every page, e.g. "Unrestricted".
    pub classification: String,
    pub electoral_divisions: String,
    pub key_decision: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct PaperOption {
    pub title: String,
    pub description: String,
    pub benefits: String,
    pub risks: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct Appendix {
    pub title: String,
    pub body: String,
    /// Part B: exempt information, left out of the open version.
    pub exempt: bool,
    /// The paragraph of Schedule 12A Part 1 relied on (1 to 7), when exempt.
    pub exempt_paragraph: Option<u8>,
}

/// What the officer writes. Narrative text is light Markdown: paragraphs, `**bold**`,
/// `*italic*`, and `-` or `1.` lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct PaperDraft {
    pub header: PaperHeader,
    /// Narrative by section key (see `sections`).
    pub sections: BTreeMap<String, String>,
    pub options: Vec<PaperOption>,
    /// 1-based number of the preferred option.
    pub preferred_option: Option<u32>,
    /// Extension papers: which of the contract's extension options is proposed (1-based).
    pub extension_option: Option<u32>,
    pub contacts: Vec<Contact>,
    pub appendices: Vec<Appendix>,
}

impl PaperDraft {
    pub fn text(&self, key: &str) -> &str {
        self.sections.get(key).map(|s| s.trim()).unwrap_or("")
    }
}

/// A narrative section: where it goes, what it is called, and whether a paper can be
/// published without it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SectionSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub required: bool,
    /// Implications sections are grouped under "Implications" in the paper.
    pub implication: bool,
}

const fn sec(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    required: bool,
    implication: bool,
) -> SectionSpec {
    SectionSpec {
        key,
        label,
        hint,
        required,
        implication,
    }
}

/// The narrative sections of a kind, in the order they appear in the paper.
pub fn sections(kind: PaperKind) -> Vec<SectionSpec> {
    let mut v = vec![
        sec(
            "summary",
            "Summary",
            "What is being decided and why, in a paragraph or two.",
            true,
            false,
        ),
        sec(
            "recommendations",
            "Recommendations",
            "What the decision maker is asked to do, as a numbered list.",
            true,
            false,
        ),
        sec(
            "background",
            "Background",
            "The service, who uses it, and how we got here.",
            true,
            false,
        ),
    ];
    match kind {
        PaperKind::Extension => {
            v.push(sec(
                "reasons",
                "Reasons for the extension",
                "Why the contract should run on rather than end or be re-procured now.",
                true,
                false,
            ));
            v.push(sec(
                "tupe_risk",
                "TUPE risk",
                "Staff who would transfer if the provider changed, and how the risk is managed.",
                true,
                false,
            ));
        }
        PaperKind::Procurement => {
            v.push(sec(
                "route_to_market",
                "Route to market",
                "The regime and procedure (Procurement Act 2023, Provider Selection Regime, Section 75) and why.",
                true,
                false,
            ));
            v.push(sec(
                "savings",
                "Budget and savings",
                "Savings expected, over what period and how; the budget is added from the workspace.",
                false,
                false,
            ));
            v.push(sec(
                "delegation",
                "Delegation of the award decision",
                "Who will approve the outcome of the tender and award the contract, in consultation with whom.",
                true,
                false,
            ));
        }
        PaperKind::Award => {
            v.push(sec(
                "evaluation_process",
                "The tender and evaluation process",
                "How the tender was run and evaluated; the figures are added from the evaluation.",
                true,
                false,
            ));
            v.push(sec(
                "next_steps",
                "Next steps",
                "Standstill, contract signature, mobilisation.",
                false,
                false,
            ));
        }
    }
    v.push(sec(
        "preferred_reasons",
        "Preferred option and reasons",
        "Why the preferred option is recommended over the others.",
        true,
        false,
    ));
    for (key, label, hint, required) in [
        (
            "financial",
            "Financial",
            "Cost, budget, funding and savings.",
            true,
        ),
        (
            "legal",
            "Legal and procurement",
            "The legal basis, the procurement route and its risks, TUPE.",
            true,
        ),
        (
            "equality",
            "Equality",
            "The public sector equality duty (s149 Equality Act 2010) and the equality impact assessment.",
            true,
        ),
        (
            "safeguarding",
            "Safeguarding",
            "Safeguarding of children and adults at risk.",
            false,
        ),
        (
            "data_protection",
            "Data protection",
            "Personal data and the data protection impact assessment.",
            false,
        ),
        (
            "risk",
            "Risk",
            "The main risks and how they are managed.",
            true,
        ),
        (
            "consultation",
            "Consultation",
            "Who has been consulted and what they said.",
            false,
        ),
        (
            "social_value",
            "Social value",
            "Social value sought or secured (Public Services (Social Value) Act 2012).",
            false,
        ),
    ] {
        v.push(sec(key, label, hint, required, true));
    }
    v.push(sec(
        "background_papers",
        "Background papers",
        "Documents relied on, one per line; write “None” if there are none.",
        false,
        false,
    ));
    v
}

/// Something that must be written before the paper can be published, beside its field.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Gap {
    pub field: String,
    pub message: String,
}

/// Schedule 12A, Part 1: the categories of exempt information.
pub fn exempt_category(paragraph: u8) -> Option<&'static str> {
    Some(match paragraph {
        1 => "information relating to any individual",
        2 => "information which is likely to reveal the identity of an individual",
        3 => {
            "information relating to the financial or business affairs of any particular person (including the authority holding that information)"
        }
        4 => {
            "information relating to consultations or negotiations in connection with labour relations matters"
        }
        5 => {
            "information in respect of which a claim to legal professional privilege could be maintained"
        }
        6 => {
            "information which reveals that the authority proposes to give a notice or make an order or direction"
        }
        7 => {
            "information relating to action taken in connection with the prevention, investigation or prosecution of crime"
        }
        _ => return None,
    })
}

/// What is still missing for a publishable paper. An empty list means it can be generated.
pub fn gaps(kind: PaperKind, d: &PaperDraft) -> Vec<Gap> {
    let mut g = Vec::new();
    let mut need = |field: &str, ok: bool, message: &str| {
        if !ok {
            g.push(Gap {
                field: field.into(),
                message: message.into(),
            });
        }
    };
    let h = &d.header;
    need(
        "header.decisionNumber",
        !h.decision_number.trim().is_empty(),
        "enter the decision number",
    );
    need(
        "header.decisionMaker",
        !h.decision_maker.trim().is_empty(),
        "enter who takes the decision",
    );
    need(
        "header.from",
        !h.from.trim().is_empty(),
        "enter who the paper is from",
    );
    need(
        "header.to",
        !h.to.trim().is_empty(),
        "enter who the paper is to",
    );
    need(
        "header.subject",
        !h.subject.trim().is_empty(),
        "enter the subject",
    );
    need(
        "header.classification",
        !h.classification.trim().is_empty(),
        "enter the classification, for example Unrestricted",
    );
    need(
        "header.electoralDivisions",
        !h.electoral_divisions.trim().is_empty(),
        "enter the electoral divisions affected, or All",
    );
    for s in sections(kind) {
        if s.required {
            need(
                &format!("sections.{}", s.key),
                !d.text(s.key).is_empty(),
                &format!(
                    "write the {} section",
                    s.label.to_lowercase().trim_start_matches("the ")
                ),
            );
        }
    }
    need(
        "options",
        d.options.len() >= 2,
        "describe at least two options, one of them doing nothing",
    );
    for (i, o) in d.options.iter().enumerate() {
        let n = i + 1;
        need(
            &format!("options.{i}.title"),
            !o.title.trim().is_empty(),
            &format!("give option {n} a title"),
        );
        need(
            &format!("options.{i}.benefits"),
            !o.benefits.trim().is_empty(),
            &format!("give the benefits of option {n}"),
        );
        need(
            &format!("options.{i}.risks"),
            !o.risks.trim().is_empty(),
            &format!("give the risks of option {n}"),
        );
    }
    match d.preferred_option {
        Some(p) if p >= 1 && (p as usize) <= d.options.len() => {}
        Some(p) => need(
            "preferredOption",
            false,
            &format!(
                "the preferred option is {p}, but there are {} options",
                d.options.len()
            ),
        ),
        None => need("preferredOption", false, "choose the preferred option"),
    }
    need(
        "contacts",
        d.contacts
            .iter()
            .any(|c| !c.name.trim().is_empty() && !c.email.trim().is_empty()),
        "give at least one contact with a name and an email address",
    );
    for (i, a) in d.appendices.iter().enumerate() {
        let n = i + 1;
        need(
            &format!("appendices.{i}.title"),
            !a.title.trim().is_empty(),
            &format!("give appendix {n} a title"),
        );
        if a.exempt {
            need(
                &format!("appendices.{i}.exemptParagraph"),
                a.exempt_paragraph.and_then(exempt_category).is_some(),
                &format!("say which paragraph (1 to 7) of Schedule 12A makes appendix {n} exempt"),
            );
        }
    }
    g
}

/// Good practice that does not stop a paper being published.
pub fn advice(d: &PaperDraft) -> Vec<String> {
    let mut a = Vec::new();
    if d.options.len() < 3 {
        a.push(
            "Decision papers usually set out at least three options, including doing nothing."
                .into(),
        );
    }
    if !d
        .options
        .iter()
        .any(|o| o.title.to_lowercase().contains("nothing"))
    {
        a.push(
            "No option is titled as doing nothing; the decision maker will expect to see why it was rejected."
                .into(),
        );
    }
    a
}

const MAX_TEXT: usize = 20_000;

/// Refuses drafts no paper could hold, naming the field.
pub fn validate(kind: PaperKind, d: &PaperDraft) -> Result<()> {
    let known: Vec<&str> = sections(kind).iter().map(|s| s.key).collect();
    for (k, v) in &d.sections {
        if !known.contains(&k.as_str()) {
            let hint = crate::domain::json::nearest(k, &known)
                .map(|n| format!("; did you mean “{n}”?"))
                .unwrap_or_else(|| format!("; the sections are {}", known.join(", ")));
            return Err(Error::validation(
                format!("sections.{k}"),
                format!(
                    "“{k}” is not a section of a {} paper{hint}",
                    kind.label().to_lowercase()
                ),
            ));
        }
        if v.chars().count() > MAX_TEXT {
            return Err(Error::validation(
                format!("sections.{k}"),
                format!("a section can hold up to {MAX_TEXT} characters"),
            ));
        }
    }
    if d.options.len() > 12 {
        return Err(Error::validation(
            "options",
            "a paper can set out up to 12 options",
        ));
    }
    if let Some(p) = d.preferred_option
        && (p == 0 || p as usize > d.options.len().max(1))
    {
        return Err(Error::validation(
            "preferredOption",
            format!("there is no option {p}"),
        ));
    }
    for (i, a) in d.appendices.iter().enumerate() {
        if let Some(p) = a.exempt_paragraph
            && exempt_category(p).is_none()
        {
            return Err(Error::validation(
                format!("appendices.{i}.exemptParagraph"),
                format!("Schedule 12A Part 1 has paragraphs 1 to 7, not {p}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_name_the_choices() {
        assert_eq!(PaperKind::parse("Award").unwrap(), PaperKind::Award);
        let e = PaperKind::parse("memo").unwrap_err();
        assert!(e.message.contains("extension, procurement or award"));
    }

    #[test]
    fn an_empty_draft_lists_every_gap_by_field() {
        let g = gaps(PaperKind::Extension, &PaperDraft::default());
        let fields: Vec<&str> = g.iter().map(|x| x.field.as_str()).collect();
        for f in [
            "header.decisionNumber",
            "sections.summary",
            "sections.reasons",
            "sections.tupe_risk",
            "sections.equality",
            "options",
            "preferredOption",
            "contacts",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert!(!fields.contains(&"sections.route_to_market"));
    }

    #[test]
    fn exempt_appendices_need_their_paragraph() {
        let d = PaperDraft {
            appendices: vec![Appendix {
                title: "Prices".into(),
                exempt: true,
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(
            gaps(PaperKind::Award, &d)
                .iter()
                .any(|g| g.field == "appendices.0.exemptParagraph")
        );
        let bad = PaperDraft {
            appendices: vec![Appendix {
                exempt_paragraph: Some(9),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            validate(PaperKind::Award, &bad)
                .unwrap_err()
                .field
                .as_deref(),
            Some("appendices.0.exemptParagraph")
        );
    }

    #[test]
    fn sections_of_another_kind_are_refused() {
        let mut d = PaperDraft::default();
        d.sections.insert("route_to_market".into(), "Open".into());
        let e = validate(PaperKind::Extension, &d).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("sections.route_to_market"));
        assert!(validate(PaperKind::Procurement, &d).is_ok());
    }
}
