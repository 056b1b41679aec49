//! JSON files people write by hand (an evaluation model, a paper's narrative): a misspelt
//! field is refused, naming it and the nearest field Lotwise knows, never silently dropped,
//! so a model is never set without the threshold its author meant to give it.
//!
//! The structs read this way carry `#[serde(deny_unknown_fields)]`; serde's error for an
//! unknown field lists the fields it expected, which is where the suggestion comes from.
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Reads `text` as a JSON object of type `T`. `what` names the thing in messages ("an
/// evaluation model"), `field` is the form field errors belong beside.
pub fn parse<T: DeserializeOwned>(text: &str, file: &str, field: &str, what: &str) -> Result<T> {
    let text = text.trim_start_matches('\u{feff}');
    match text.trim_start().chars().next() {
        Some('{') => {}
        None => {
            return Err(Error::validation(
                field,
                format!("{file}: the file is empty; {what} is a JSON object, {{ … }}"),
            ));
        }
        Some(c) => {
            let found = match c {
                '[' => "a list ([ … ])".to_string(),
                '"' => "a piece of text".to_string(),
                _ => format!(
                    "“{}”",
                    text.trim_start().chars().take(20).collect::<String>()
                ),
            };
            return Err(Error::validation(
                field,
                format!("{file}, line 1: {what} is a JSON object, {{ … }}, not {found}"),
            ));
        }
    }
    serde_json::from_str(text).map_err(|e| {
        let detail = e.to_string();
        let detail = detail.split(" at line ").next().unwrap_or_default();
        Error::validation(
            field,
            format!(
                "{file}, line {}, column {}: {}",
                e.line(),
                e.column(),
                explain(detail)
            ),
        )
    })
}

/// serde says "unknown field `minscore`, expected one of `key`, `minScore`"; people read
/// "unknown field “minscore”: did you mean “minScore”?".
fn explain(detail: &str) -> String {
    let Some(rest) = detail.strip_prefix("unknown field ") else {
        return detail.to_string();
    };
    let names: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let Some((unknown, known)) = names.split_first() else {
        return detail.to_string();
    };
    let mut out = format!("unknown field “{unknown}”");
    match nearest(unknown, known) {
        Some(n) => out.push_str(&format!("; did you mean “{n}”?")),
        None if known.is_empty() => out.push_str("; this object takes no fields"),
        None => out.push_str(&format!(
            "; the fields here are {}",
            known
                .iter()
                .map(|k| format!("“{k}”"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    out
}

/// The known name closest to what was typed, if any is close enough to be a slip.
pub fn nearest<'a>(typed: &str, known: &[&'a str]) -> Option<&'a str> {
    let t = typed.to_lowercase().replace(['_', '-', ' '], "");
    known
        .iter()
        .map(|k| {
            let kk = k.to_lowercase();
            (strsim::normalized_damerau_levenshtein(&t, &kk), *k)
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        key: String,
        #[serde(default)]
        min_score: Option<u32>,
        #[serde(default)]
        quality_threshold: Option<u32>,
    }

    #[test]
    fn a_misspelt_field_is_refused_with_the_nearest_known_one() {
        let e = parse::<Q>(
            "{\n  \"key\": \"Q1\",\n  \"minscore\": 2\n}",
            "model.json",
            "model",
            "a question",
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("model.json, line 3, column"),
            "{}",
            e.message
        );
        assert!(
            e.message
                .contains("unknown field “minscore”; did you mean “minScore”?"),
            "{}",
            e.message
        );
        let e = parse::<Q>(
            r#"{"key":"Q1","qualitythreshold":60}"#,
            "m.json",
            "model",
            "a question",
        )
        .unwrap_err();
        assert!(
            e.message.contains("did you mean “qualityThreshold”?"),
            "{}",
            e.message
        );
        let e = parse::<Q>(
            r#"{"key":"Q1","colour":"red"}"#,
            "m.json",
            "model",
            "a question",
        )
        .unwrap_err();
        assert!(
            e.message.contains(
                "unknown field “colour”; the fields here are “key”, “minScore”, “qualityThreshold”"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn only_an_object_is_accepted_at_the_top() {
        let e = parse::<Q>("[]", "n.json", "narrative", "a paper narrative").unwrap_err();
        assert_eq!(
            e.message,
            "n.json, line 1: a paper narrative is a JSON object, { … }, not a list ([ … ])"
        );
        let e = parse::<Q>("  ", "n.json", "narrative", "a paper narrative").unwrap_err();
        assert!(e.message.contains("the file is empty"), "{}", e.message);
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let q: Q = parse("\u{feff}{\"key\":\"Q1\"}", "m.json", "model", "a question").unwrap();
        assert_eq!(q.key, "Q1");
    }
}
