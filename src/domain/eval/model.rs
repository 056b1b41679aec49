//! The evaluation model of a lot: the criteria tree, weights, scales, thresholds and the
//! price method. It is published to bidders before the tender, so it is validated as a whole
//! and frozen once approved.
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashSet;
use std::str::FromStr;
use ts_rs::TS;

use crate::domain::money::Money;
use crate::error::{Error, Result};

/// An exact decimal (weights, percentages, points). JSON accepts `60`, `"60"` or `"12.5"`
/// and always writes a string, so no weight ever passes through floating point on export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Exact(pub Decimal);
crate::domain::ts_string!(Exact);

impl Exact {
    pub fn parse(s: &str) -> Option<Exact> {
        let t = s.trim().trim_end_matches('%').trim();
        Decimal::from_str(t).ok().map(|d| Exact(d.normalize()))
    }
}
impl std::fmt::Display for Exact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}
impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}
impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            // serde_json prints an f64 back as the shortest decimal that reads as the same
            // number, so `12.5` in a file arrives as "12.5" exactly.
            N(serde_json::Number),
        }
        let text = match Raw::deserialize(d)? {
            Raw::S(s) => s,
            Raw::N(n) => n.to_string(),
        };
        Exact::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("“{text}” is not a number such as 60 or 12.5"))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SectionKind {
    Quality,
    SocialValue,
    Price,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Descriptor {
    pub score: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub enum Scale {
    /// 0-5 with the standard descriptors.
    ZeroToFive,
    /// 0-10 where finer scoring is wanted.
    ZeroToTen,
    Custom {
        max: u32,
        descriptors: Vec<Descriptor>,
    },
    /// Pass or fail: 1 is a pass, 0 a fail. A fail excludes the bid.
    PassFail,
}

impl Scale {
    pub fn max(&self) -> u32 {
        match self {
            Scale::ZeroToFive => 5,
            Scale::ZeroToTen => 10,
            Scale::Custom { max, .. } => *max,
            Scale::PassFail => 1,
        }
    }
    pub fn descriptors(&self) -> Vec<Descriptor> {
        let d = |score, text: &str| Descriptor {
            score,
            text: text.into(),
        };
        match self {
            Scale::ZeroToFive => vec![
                d(
                    5,
                    "Excellent: fully meets the requirement, with evidence of added value",
                ),
                d(
                    4,
                    "Good: meets the requirement, with minor points of detail missing",
                ),
                d(3, "Acceptable: meets the requirement in most respects"),
                d(
                    2,
                    "Minor reservations: some gaps in the evidence or the approach",
                ),
                d(1, "Serious reservations: significant gaps or weaknesses"),
                d(0, "Unacceptable, or no answer given"),
            ],
            Scale::ZeroToTen => vec![
                d(10, "Excellent (9 and 10)"),
                d(8, "Good (7 and 8)"),
                d(6, "Acceptable (5 and 6)"),
                d(4, "Minor reservations (3 and 4)"),
                d(2, "Serious reservations (1 and 2)"),
                d(0, "Unacceptable, or no answer given"),
            ],
            Scale::Custom { descriptors, .. } => {
                let mut v = descriptors.clone();
                v.sort_by_key(|d| std::cmp::Reverse(d.score));
                v
            }
            Scale::PassFail => vec![d(1, "Pass"), d(0, "Fail")],
        }
    }
    pub fn label(&self) -> String {
        match self {
            Scale::PassFail => "pass or fail".into(),
            s => format!("0 to {}", s.max()),
        }
    }
    /// The default spread that flags a question for discussion: 40% of the scale, 2 on 0-5.
    pub fn default_gap(&self) -> u32 {
        (self.max() * 2).div_ceil(5)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Question {
    /// Unique in the model, e.g. "Q2.1".
    pub key: String,
    pub text: String,
    /// In percent: a share of its section, or of the whole model when the model's
    /// `questionWeights` is `ofTotal`. Pass/fail questions carry no weight.
    #[serde(default)]
    pub weight: Exact,
    pub scale: Scale,
    /// A consensus score below this excludes the bid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min_score: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "method", rename_all = "camelCase")]
#[ts(export)]
pub enum PriceMethod {
    /// Lowest price ÷ bid price × weight.
    LowestOverBid,
    /// Full marks for the lowest; N points off for each 1% above it.
    #[serde(rename_all = "camelCase")]
    FixedDeduction { points_per_percent: Exact },
    /// Half the weight at the mean price, more below it and less above, within 0 and the weight.
    RelativeToMean,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", try_from = "PriceRuleFields")]
#[ts(export)]
pub struct PriceRule {
    #[serde(flatten)]
    pub method: PriceMethod,
    /// Bids above this price are rejected as unaffordable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub affordability_ceiling: Option<Money>,
}

/// The price rule as written in a file. A flattened enum cannot refuse unknown fields, so
/// the fields are read flat and put together here.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PriceRuleFields {
    method: PriceMethodName,
    #[serde(default)]
    points_per_percent: Option<Exact>,
    #[serde(default)]
    affordability_ceiling: Option<Money>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum PriceMethodName {
    LowestOverBid,
    FixedDeduction,
    RelativeToMean,
}

impl TryFrom<PriceRuleFields> for PriceRule {
    type Error = String;
    fn try_from(f: PriceRuleFields) -> std::result::Result<Self, String> {
        let method = match (f.method, f.points_per_percent) {
            (PriceMethodName::FixedDeduction, Some(n)) => PriceMethod::FixedDeduction {
                points_per_percent: n,
            },
            (PriceMethodName::FixedDeduction, None) => {
                return Err("fixedDeduction needs pointsPerPercent, the marks lost for each 1% above the lowest price".into());
            }
            (_, Some(_)) => {
                return Err("pointsPerPercent belongs only to the fixedDeduction method".into());
            }
            (PriceMethodName::LowestOverBid, None) => PriceMethod::LowestOverBid,
            (PriceMethodName::RelativeToMean, None) => PriceMethod::RelativeToMean,
        };
        Ok(PriceRule {
            method,
            affordability_ceiling: f.affordability_ceiling,
        })
    }
}

impl PriceRule {
    /// The method in plain words, for the screen and for published documents.
    pub fn describe(&self, weight: Exact) -> String {
        let w = weight;
        let mut s = match self.method {
            PriceMethod::LowestOverBid => format!(
                "The lowest compliant price scores the full {w} marks. Every other bid scores {w} × lowest price ÷ its price: a bid 5% above the lowest scores {}.",
                crate::domain::eval::results::shown(w.0 * Decimal::from(100) / Decimal::from(105))
            ),
            PriceMethod::FixedDeduction {
                points_per_percent: n,
            } => format!(
                "The lowest compliant price scores the full {w} marks. Every other bid loses {n} marks for each 1% its price is above the lowest (never below 0)."
            ),
            PriceMethod::RelativeToMean => format!(
                "A bid at the average (mean) of the compliant prices scores half of the {w} marks. Each 1% below the mean adds 1% of that half and each 1% above takes 1% away, within 0 and {w}."
            ),
        };
        if let Some(c) = self.affordability_ceiling {
            s.push_str(&format!(
                " Bids above the affordability ceiling of {} are rejected.",
                c.display()
            ));
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub kind: SectionKind,
    /// Share of the total, in percent.
    pub weight: Exact,
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Only for the price section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub price: Option<PriceRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TieBreak {
    /// Higher quality score, then lower price.
    #[default]
    QualityThenPrice,
    /// Lower price, then higher quality score.
    PriceThenQuality,
}

impl TieBreak {
    pub fn describe(self) -> &'static str {
        match self {
            TieBreak::QualityThenPrice => {
                "Where total scores are equal, the bid with the higher quality score ranks higher; if those are equal too, the lower price ranks higher."
            }
            TieBreak::PriceThenQuality => {
                "Where total scores are equal, the bid with the lower price ranks higher; if those are equal too, the higher quality score ranks higher."
            }
        }
    }
}

fn default_min_chars() -> u32 {
    50
}

/// What a question's weight is a share of. Councils write both: "Q2 is 25% of the quality
/// section" and "Q2 is worth 15% (of the 60% for quality)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum QuestionWeights {
    /// Each section's question weights add up to 100.
    #[default]
    OfSection,
    /// Each section's question weights add up to the section's own weight.
    OfTotal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct EvalModel {
    pub sections: Vec<Section>,
    /// What question weights are shares of (default: of their section).
    #[serde(default)]
    pub question_weights: QuestionWeights,
    /// Minimum share of the available quality marks (all sections but price), in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub quality_threshold: Option<Exact>,
    /// Shortest justification an evaluator may give, in characters.
    #[serde(default = "default_min_chars")]
    pub justification_min_chars: u32,
    /// Spread between evaluators' scores (in scale points) above which a question is
    /// flagged at moderation. Default: 40% of the question's scale (2 on 0-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub spread_gap: Option<u32>,
    #[serde(default)]
    pub tie_break: TieBreak,
}

fn hundred() -> Decimal {
    Decimal::from(100)
}

impl EvalModel {
    /// Reads the documented JSON format; errors name the place in the file, and a field
    /// Lotwise does not know is refused with the nearest one it does.
    pub fn from_json(text: &str, file: &str) -> Result<EvalModel> {
        let model: EvalModel =
            crate::domain::json::parse(text, file, "model", "an evaluation model")?;
        model.validate().map_err(|e| {
            let msg = format!("{file}: {}", e.message);
            Error { message: msg, ..e }
        })?;
        Ok(model)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("serialisable")
    }

    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    pub fn question(&self, key: &str) -> Option<(&Section, &Question)> {
        self.questions()
            .find(|(_, q)| q.key.eq_ignore_ascii_case(key.trim()))
    }

    pub fn price_section(&self) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == SectionKind::Price)
    }

    /// A question's share of the whole model, in percentage points: what a full score on it
    /// is worth.
    pub fn question_share(&self, s: &Section, q: &Question) -> Decimal {
        match self.question_weights {
            QuestionWeights::OfSection => q.weight.0 * s.weight.0 / hundred(),
            QuestionWeights::OfTotal => q.weight.0,
        }
    }

    /// The question's weight as the model states it: "25% of section" or "15% of total".
    pub fn question_weight_label(&self, q: &Question) -> String {
        match self.question_weights {
            QuestionWeights::OfSection => format!("{}% of section", q.weight),
            QuestionWeights::OfTotal => format!("{}% of total", q.weight),
        }
    }

    pub fn gap(&self, q: &Question) -> u32 {
        self.spread_gap.unwrap_or_else(|| q.scale.default_gap())
    }

    /// Every rule a published model must meet. The first problem found is returned, with
    /// the field path and, for weights, the level and the actual sum.
    pub fn validate(&self) -> Result<()> {
        if self.sections.is_empty() {
            return Err(Error::validation(
                "sections",
                "the model needs at least one section",
            ));
        }
        let mut section_keys = HashSet::new();
        let mut question_keys = HashSet::new();
        let mut sum = Decimal::ZERO;
        let mut price_sections = 0;
        for (i, s) in self.sections.iter().enumerate() {
            let at = format!("sections[{i}]");
            if s.key.trim().is_empty() || !section_keys.insert(s.key.trim().to_lowercase()) {
                return Err(Error::validation(
                    format!("{at}.key"),
                    format!("section {} needs a key of its own", i + 1),
                ));
            }
            if s.title.trim().is_empty() {
                return Err(Error::validation(
                    format!("{at}.title"),
                    format!("section {} needs a title", s.key),
                ));
            }
            if s.weight.0 <= Decimal::ZERO || s.weight.0 > hundred() {
                return Err(Error::validation(
                    format!("{at}.weight"),
                    format!(
                        "section “{}” needs a weight above 0% and at most 100% (it has {}%)",
                        s.title, s.weight
                    ),
                ));
            }
            sum += s.weight.0;
            if s.kind == SectionKind::Price {
                price_sections += 1;
                let Some(rule) = &s.price else {
                    return Err(Error::validation(
                        format!("{at}.price"),
                        format!(
                            "the price section “{}” needs a price method (lowestOverBid, fixedDeduction or relativeToMean)",
                            s.title
                        ),
                    ));
                };
                if !s.questions.is_empty() {
                    return Err(Error::validation(
                        format!("{at}.questions"),
                        format!(
                            "the price section “{}” is scored from the prices, so it has no questions",
                            s.title
                        ),
                    ));
                }
                if let PriceMethod::FixedDeduction { points_per_percent } = rule.method
                    && (points_per_percent.0 <= Decimal::ZERO || points_per_percent.0 > s.weight.0)
                {
                    return Err(Error::validation(
                        format!("{at}.price.pointsPerPercent"),
                        format!(
                            "the deduction per 1% above the lowest price must be above 0 and at most the price weight ({}%)",
                            s.weight
                        ),
                    ));
                }
                if rule
                    .affordability_ceiling
                    .is_some_and(|c| c.pence() <= 0 || c > Money::MAX_INPUT)
                {
                    return Err(Error::validation(
                        format!("{at}.price.affordabilityCeiling"),
                        format!(
                            "the affordability ceiling must be above £0 and at most {}",
                            Money::MAX_INPUT.display()
                        ),
                    ));
                }
                continue;
            }
            if s.price.is_some() {
                return Err(Error::validation(
                    format!("{at}.price"),
                    format!(
                        "only the price section has a price method, not “{}”",
                        s.title
                    ),
                ));
            }
            let mut qsum = Decimal::ZERO;
            let mut scored = 0;
            for (j, q) in s.questions.iter().enumerate() {
                let qat = format!("{at}.questions[{j}]");
                if q.key.trim().is_empty() || !question_keys.insert(q.key.trim().to_lowercase()) {
                    return Err(Error::validation(
                        format!("{qat}.key"),
                        format!(
                            "question {} of “{}” needs a key of its own (for example Q{}.{})",
                            j + 1,
                            s.title,
                            i + 1,
                            j + 1
                        ),
                    ));
                }
                if q.text.trim().is_empty() {
                    return Err(Error::validation(
                        format!("{qat}.text"),
                        format!("question {} needs its text", q.key),
                    ));
                }
                if let Scale::Custom { max, descriptors } = &q.scale {
                    if !(1..=100).contains(max) {
                        return Err(Error::validation(
                            format!("{qat}.scale.max"),
                            format!(
                                "the scale of {} must run from 0 to between 1 and 100",
                                q.key
                            ),
                        ));
                    }
                    let mut seen = HashSet::new();
                    for d in descriptors {
                        if d.score > *max || !seen.insert(d.score) {
                            return Err(Error::validation(
                                format!("{qat}.scale.descriptors"),
                                format!(
                                    "the descriptors of {} need one score each between 0 and {max}",
                                    q.key
                                ),
                            ));
                        }
                    }
                }
                if let Some(m) = q.min_score
                    && m > q.scale.max()
                {
                    return Err(Error::validation(
                        format!("{qat}.minScore"),
                        format!(
                            "the minimum score of {} ({m}) is above the top of its scale ({})",
                            q.key,
                            q.scale.max()
                        ),
                    ));
                }
                if q.scale == Scale::PassFail {
                    if !q.weight.0.is_zero() {
                        return Err(Error::validation(
                            format!("{qat}.weight"),
                            format!("{} is pass or fail, so it carries no weight", q.key),
                        ));
                    }
                } else {
                    if q.weight.0 <= Decimal::ZERO || q.weight.0 > hundred() {
                        return Err(Error::validation(
                            format!("{qat}.weight"),
                            format!(
                                "{} needs a weight above 0% and at most 100% (it has {}%)",
                                q.key, q.weight
                            ),
                        ));
                    }
                    scored += 1;
                    qsum += q.weight.0;
                }
            }
            if scored == 0 {
                return Err(Error::validation(
                    format!("{at}.questions"),
                    format!("section “{}” needs at least one scored question", s.title),
                ));
            }
            let (expected, wanted) = match self.question_weights {
                QuestionWeights::OfSection => (hundred(), "100%".to_string()),
                QuestionWeights::OfTotal => {
                    (s.weight.0, format!("{}%, the section’s weight", s.weight))
                }
            };
            if qsum != expected {
                let hint = if self.question_weights == QuestionWeights::OfSection
                    && qsum == s.weight.0
                {
                    " (if the question weights are shares of the whole model, say so with \"questionWeights\": \"ofTotal\")"
                } else {
                    ""
                };
                return Err(Error::validation(
                    format!("{at}.questions"),
                    format!(
                        "the question weights in section “{}” add up to {}%, not {wanted}{hint}",
                        s.title,
                        qsum.normalize(),
                    ),
                ));
            }
        }
        if price_sections > 1 {
            return Err(Error::validation(
                "sections",
                "the model can have only one price section",
            ));
        }
        if sum != hundred() {
            return Err(Error::validation(
                "sections",
                format!(
                    "the section weights add up to {}%, not 100%",
                    sum.normalize()
                ),
            ));
        }
        if let Some(t) = self.quality_threshold
            && (t.0 < Decimal::ZERO || t.0 > hundred())
        {
            return Err(Error::validation(
                "qualityThreshold",
                "the quality threshold is a percentage between 0 and 100",
            ));
        }
        if !(1..=2000).contains(&self.justification_min_chars) {
            return Err(Error::validation(
                "justificationMinChars",
                "the shortest justification must be between 1 and 2,000 characters",
            ));
        }
        Ok(())
    }
}

fn q(key: &str, text: &str, weight: i64, scale: Scale, min: Option<u32>) -> Question {
    Question {
        key: key.into(),
        text: text.into(),
        weight: Exact(Decimal::from(weight)),
        scale,
        min_score: min,
    }
}

/// The names templates are offered under.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "standard",
        "Competitive tender: quality 60%, social value 10%, price 30% (lowest price ÷ bid price)",
    ),
    (
        "psr",
        "Provider Selection Regime: the five key criteria, 20% each",
    ),
];

pub fn template(name: &str) -> Result<EvalModel> {
    match name.trim().to_lowercase().as_str() {
        "standard" => Ok(EvalModel {
            sections: vec![
                Section {
                    key: "Q".into(),
                    title: "Quality".into(),
                    kind: SectionKind::Quality,
                    weight: Exact(Decimal::from(60)),
                    questions: vec![
                        q(
                            "Q1",
                            "Service model and delivery",
                            30,
                            Scale::ZeroToFive,
                            Some(2),
                        ),
                        q("Q2", "Safeguarding", 25, Scale::ZeroToFive, Some(2)),
                        q(
                            "Q3",
                            "Workforce and mobilisation",
                            25,
                            Scale::ZeroToFive,
                            None,
                        ),
                        q(
                            "Q4",
                            "Outcomes, performance and quality assurance",
                            20,
                            Scale::ZeroToFive,
                            None,
                        ),
                        q(
                            "Q5",
                            "Insurance and policies in place",
                            0,
                            Scale::PassFail,
                            None,
                        ),
                    ],
                    price: None,
                },
                Section {
                    key: "SV".into(),
                    title: "Social value".into(),
                    kind: SectionKind::SocialValue,
                    weight: Exact(Decimal::from(10)),
                    questions: vec![q(
                        "SV1",
                        "Social value commitments for the local area",
                        100,
                        Scale::ZeroToFive,
                        None,
                    )],
                    price: None,
                },
                Section {
                    key: "P".into(),
                    title: "Price".into(),
                    kind: SectionKind::Price,
                    weight: Exact(Decimal::from(30)),
                    questions: vec![],
                    price: Some(PriceRule {
                        method: PriceMethod::LowestOverBid,
                        affordability_ceiling: None,
                    }),
                },
            ],
            question_weights: QuestionWeights::OfSection,
            quality_threshold: Some(Exact(Decimal::from(50))),
            justification_min_chars: default_min_chars(),
            spread_gap: None,
            tie_break: TieBreak::QualityThenPrice,
        }),
        "psr" => {
            let crit = |key: &str, title: &str, kind, text: &str| Section {
                key: key.into(),
                title: title.into(),
                kind,
                weight: Exact(Decimal::from(20)),
                questions: vec![q(&format!("{key}1"), text, 100, Scale::ZeroToFive, Some(1))],
                price: None,
            };
            Ok(EvalModel {
                sections: vec![
                    crit(
                        "QI",
                        "Quality and innovation",
                        SectionKind::Quality,
                        "How the provider will deliver a high-quality, safe service and improve it over the contract",
                    ),
                    crit(
                        "V",
                        "Value",
                        SectionKind::Quality,
                        "How the proposal delivers value for money for the resources available",
                    ),
                    crit(
                        "IC",
                        "Integration, collaboration and service sustainability",
                        SectionKind::Quality,
                        "How the provider will work with other services and keep the service sustainable",
                    ),
                    crit(
                        "AI",
                        "Improving access, reducing health inequalities and facilitating choice",
                        SectionKind::Quality,
                        "How the provider will improve access, reduce inequalities and support patient choice",
                    ),
                    crit(
                        "SV",
                        "Social value",
                        SectionKind::SocialValue,
                        "The social, economic and environmental value the provider will add locally",
                    ),
                ],
                question_weights: QuestionWeights::OfSection,
                quality_threshold: None,
                justification_min_chars: default_min_chars(),
                spread_gap: None,
                tie_break: TieBreak::QualityThenPrice,
            })
        }
        other => Err(Error::validation(
            "template",
            format!(
                "there is no template “{other}”; expected one of: {}",
                TEMPLATES
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_valid() {
        for (name, _) in TEMPLATES {
            template(name).unwrap().validate().unwrap();
        }
        let psr = template("psr").unwrap();
        assert_eq!(psr.sections.len(), 5);
    }

    #[test]
    fn section_weights_must_add_to_100() {
        let mut m = template("standard").unwrap();
        m.sections[0].weight = Exact(Decimal::from(55));
        let e = m.validate().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("sections"));
        assert_eq!(e.message, "the section weights add up to 95%, not 100%");
    }

    #[test]
    fn question_weights_must_add_to_100_in_each_section() {
        let mut m = template("standard").unwrap();
        m.sections[0].questions[1].weight = Exact::parse("24.5").unwrap();
        let e = m.validate().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("sections[0].questions"));
        assert_eq!(
            e.message,
            "the question weights in section “Quality” add up to 99.5%, not 100%"
        );
    }

    #[test]
    fn json_round_trip_keeps_weights_exact() {
        let text = r#"{"sections":[
          {"key":"Q","title":"Quality","kind":"quality","weight":66.67,"questions":[
            {"key":"Q1","text":"Approach","weight":"33.33","scale":{"type":"zeroToFive"}},
            {"key":"Q2","text":"Staff","weight":66.67,"scale":{"type":"zeroToTen"},"minScore":3}]},
          {"key":"P","title":"Price","kind":"price","weight":"33.33","price":{"method":"fixedDeduction","pointsPerPercent":"0.5","affordabilityCeiling":"£500,000"}}
        ]}"#;
        let m = EvalModel::from_json(text, "model.json").unwrap();
        assert_eq!(m.sections[0].weight.to_string(), "66.67");
        let again = EvalModel::from_json(&m.to_json(), "again.json").unwrap();
        assert_eq!(m, again);
        assert!(m.to_json().contains("\"weight\": \"33.33\""));
    }

    #[test]
    fn json_errors_name_the_file_and_line() {
        let e =
            EvalModel::from_json("{\n \"sections\": [ {\"key\": 1} ]\n}", "m.json").unwrap_err();
        assert!(e.message.starts_with("m.json, line 2"), "{}", e.message);
        let e = EvalModel::from_json(
            r#"{"sections":[{"key":"P","title":"Price","kind":"price","weight":100}]}"#,
            "p.json",
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("p.json: the price section"),
            "{}",
            e.message
        );
    }

    #[test]
    fn price_methods_are_described_in_plain_words() {
        let r = PriceRule {
            method: PriceMethod::LowestOverBid,
            affordability_ceiling: Some(Money::from_pounds(500_000)),
        };
        let s = r.describe(Exact(Decimal::from(40)));
        assert!(s.contains("scores 38.10"), "{s}");
        assert!(s.contains("£500,000"), "{s}");
    }

    #[test]
    fn default_gap_is_two_on_zero_to_five() {
        assert_eq!(Scale::ZeroToFive.default_gap(), 2);
        assert_eq!(Scale::ZeroToTen.default_gap(), 4);
    }
}
