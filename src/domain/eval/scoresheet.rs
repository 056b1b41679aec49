//! Offline scoresheets: what travels to one evaluator (`.lwsheet`) and what comes back signed
//! with their key (`.lwscores`). The sheet holds what that evaluator needs to score and
//! nothing more: never another evaluator's score, never a price. The signed scores carry the
//! evaluator's declaration and every score, over the exact bytes they signed, so a changed
//! byte, another key, another lot or model version, or a second import is refused by name.
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::model::EvalModel;
use crate::domain::ids::{BidId, LotId};
use crate::error::{Error, Result};

pub const SHEET_FORMAT: &str = "lotwise-scoresheet";
pub const SCORES_FORMAT: &str = "lotwise-scores";
pub const VERSION: u32 = 1;

/// What the evaluator affirms by signing (Procurement Act 2023, section 81: a contracting
/// authority must take reasonable steps to identify conflicts of interest of anyone acting
/// for it in the procurement; section 82: and to mitigate them).
pub const DECLARATION: &str = "I have no conflict of interest, actual or potential, with any bidder for this lot, and I will tell the procurement officer at once if one arises (Procurement Act 2023, sections 81 and 82).";

/// A `.lwsheet`: one evaluator's scoresheet for one lot.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Scoresheet {
    pub format: String,
    pub version: u32,
    /// Made when the sheet is exported; one import per sheet.
    pub sheet_id: String,
    pub workspace_id: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
    pub lot_id: LotId,
    pub lot_reference: String,
    pub lot_title: String,
    pub evaluator: String,
    /// The model's version when exported: a sheet scored on an older model is refused.
    pub model_version: i64,
    pub model: EvalModel,
    pub bidders: Vec<SheetBidder>,
    /// The evaluator's own scores saved so far, to carry on from.
    pub saved: Vec<SheetScore>,
    pub declaration: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetBidder {
    pub bid_id: BidId,
    /// The bidder (a consortium's lead), as the scores CSV names it.
    pub name: String,
    /// As the bid is named on screen and in documents.
    pub label: String,
    pub registration_number: Option<String>,
    /// Other consortium members, by name.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetScore {
    pub bid_id: BidId,
    pub question: String,
    pub score: u32,
    pub justification: String,
}

/// What the evaluator signs: exactly these bytes (`ScoresFile::signed`) are verified.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignedScores {
    /// Made when the scores are signed: the same submission is imported once.
    pub submission_id: String,
    pub sheet_id: String,
    /// SHA-256 of the `.lwsheet` file as filled.
    pub sheet_sha256: String,
    pub workspace_id: String,
    pub lot_id: LotId,
    pub lot_reference: String,
    pub evaluator: String,
    pub model_version: i64,
    /// The declaration signed with the scores (always DECLARATION: a conflicted evaluator
    /// does not score).
    pub declaration: String,
    pub signed_at: DateTime<Utc>,
    pub scores: Vec<SheetScore>,
}

/// A `.lwscores` file.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoresFile {
    pub format: String,
    pub version: u32,
    /// The signed JSON text, byte for byte.
    pub signed: String,
    /// Ed25519 signature of `signed`, hex.
    pub signature: String,
    /// The evaluator's Ed25519 public key, hex.
    pub public_key: String,
}

impl Scoresheet {
    pub fn bidder(&self, text: &str) -> Option<&SheetBidder> {
        let t = text.trim();
        self.bidders.iter().find(|b| {
            b.name.eq_ignore_ascii_case(t)
                || b.registration_number
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(t))
                || b.bid_id.0.to_string() == t
        })
    }

    /// Every bid scored on every question, once, each score on its scale with its
    /// justification long enough: what a submission needs. Errors name bidder and question.
    pub fn check_complete(&self, scores: &[SheetScore]) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for s in scores {
            let bidder = self
                .bidders
                .iter()
                .find(|b| b.bid_id == s.bid_id)
                .ok_or_else(|| {
                    Error::validation(
                        "bidder",
                        format!("bid {} is not on this scoresheet", s.bid_id),
                    )
                })?;
            let (_, q) = self.model.question(&s.question).ok_or_else(|| {
                Error::validation(
                    "question",
                    format!("there is no question “{}” on this scoresheet", s.question),
                )
            })?;
            super::check_score(&self.model, q, s.score, &s.justification).map_err(|mut e| {
                e.message = format!("{}, {}: {}", bidder.label, q.key, e.message);
                e
            })?;
            if !seen.insert((s.bid_id, q.key.as_str())) {
                return Err(Error::validation(
                    "question",
                    format!("{}, {}: scored twice", bidder.label, q.key),
                ));
            }
        }
        let mut gaps = Vec::new();
        for b in &self.bidders {
            for (_, q) in self.model.questions() {
                if !seen.contains(&(b.bid_id, q.key.as_str())) {
                    gaps.push(format!("{}: {}", b.label, q.key));
                }
            }
        }
        if !gaps.is_empty() {
            let n = gaps.len();
            gaps.truncate(10);
            return Err(Error::validation(
                "scores",
                format!(
                    "the scoresheet is not complete: {n} score{} still to give ({}{})",
                    if n == 1 { " is" } else { "s are" },
                    gaps.join("; "),
                    if n > 10 { "; …" } else { "" }
                ),
            ));
        }
        Ok(())
    }
}

/// SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Signs `payload` with the evaluator's key.
pub fn sign(key: &SigningKey, payload: &SignedScores) -> ScoresFile {
    let signed = serde_json::to_string_pretty(payload).expect("serialisable");
    let signature = key.sign(signed.as_bytes());
    ScoresFile {
        format: SCORES_FORMAT.into(),
        version: VERSION,
        signed,
        signature: hex::encode(signature.to_bytes()),
        public_key: hex::encode(key.verifying_key().to_bytes()),
    }
}

/// Checks the signature over the signed bytes and reads them: a changed byte anywhere in
/// them, or a signature by another key than the one the file names, is refused.
pub fn open(file: &ScoresFile) -> Result<(SignedScores, VerifyingKey)> {
    if file.format != SCORES_FORMAT {
        return Err(Error::validation(
            "format",
            format!(
                "this is not a Lotwise signed scores file (format “{}”)",
                file.format
            ),
        ));
    }
    if file.version != VERSION {
        return Err(Error::validation(
            "version",
            format!(
                "signed scores version {} is not one this Lotwise reads (it reads {VERSION})",
                file.version
            ),
        ));
    }
    let key = public_key(&file.public_key)?;
    let sig: [u8; 64] = hex::decode(file.signature.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::validation("signature", "the signature is not 64 bytes of hex"))?;
    key.verify(file.signed.as_bytes(), &Signature::from_bytes(&sig))
        .map_err(|_| {
            Error::validation(
                "signature",
                "the signature does not match the scores: they were changed after they were signed, or signed with another key",
            )
        })?;
    let payload: SignedScores = serde_json::from_str(&file.signed).map_err(|e| {
        Error::validation("signed", format!("the signed scores cannot be read: {e}"))
    })?;
    Ok((payload, key))
}

pub fn public_key(text: &str) -> Result<VerifyingKey> {
    hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| Error::validation("publicKey", "the public key is not an Ed25519 key"))
}

/// Six words (66 bits of the key's SHA-256, from the BIP-39 English list of 2,048 plain,
/// distinct words) the evaluator can read to the officer over the telephone.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let d = Sha256::digest(key.to_bytes());
    let bits = u128::from_be_bytes(d[..16].try_into().expect("32 bytes"));
    let words = bip39::Language::English.word_list();
    (0..6)
        .map(|i| words[((bits >> (128 - 11 * (i + 1))) & 0x7ff) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two fingerprints are the same words, however spaced or capitalised.
pub fn same_fingerprint(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

/// What an import must match, read from the workspace.
pub struct ImportFacts<'a> {
    pub workspace_id: &'a str,
    pub lot_id: LotId,
    pub lot_reference: &'a str,
    pub model_version: i64,
    /// The key registered for this evaluator on this lot, and its fingerprint.
    pub registered_key: Option<&'a str>,
    /// An earlier import of this sheet or submission: when, by whom.
    pub imported_before: Option<String>,
    /// The evaluator is importing it themselves through a team server's login: the server
    /// says who they are, so their key needs no one's confirmation to register.
    pub by_the_evaluator: bool,
}

/// Decides whether signed scores may be imported, naming the first reason they may not.
/// `confirmed`: the fingerprint the officer read back from the evaluator (first import).
/// `key`: none for an unsigned workbook, which needs `received_from` (the officer's word that
/// it came from the evaluator).
pub fn check_import(
    s: &SignedScores,
    key: Option<&VerifyingKey>,
    facts: &ImportFacts,
    confirmed: Option<&str>,
    received_from: Option<&str>,
) -> Result<KeyDecision> {
    if s.workspace_id != facts.workspace_id || s.lot_id != facts.lot_id {
        return Err(Error::conflict(format!(
            "these scores are for lot {} of another workspace or lot, not lot {}",
            s.lot_reference, facts.lot_reference
        )));
    }
    if let Some(before) = &facts.imported_before {
        return Err(Error::conflict(format!(
            "this scoresheet from {} was already imported ({before}); a sheet is imported once",
            s.evaluator
        )));
    }
    if s.model_version != facts.model_version {
        return Err(Error::conflict(format!(
            "the evaluation model of lot {} changed after this scoresheet was exported (version {} then, {} now): export a new sheet for {}",
            facts.lot_reference, s.model_version, facts.model_version, s.evaluator
        )));
    }
    if s.declaration != DECLARATION {
        return Err(Error::validation(
            "declaration",
            "the declaration signed is not the one on the scoresheet",
        ));
    }
    let Some(key) = key else {
        // A workbook filled in Excel carries no signature: the officer says whom they had it
        // from, and that is what the record keeps.
        if facts.by_the_evaluator {
            return Ok(KeyDecision::Unsigned);
        }
        return match received_from {
            Some(r) if r.trim().eq_ignore_ascii_case(&s.evaluator) => Ok(KeyDecision::Unsigned),
            Some(r) => Err(Error::validation(
                "receivedFrom",
                format!(
                    "this workbook is {}'s scoresheet, not {}'s: import it only as received from {}",
                    s.evaluator,
                    r.trim(),
                    s.evaluator
                ),
            )),
            None => Err(Error::validation(
                "receivedFrom",
                format!(
                    "a workbook is not signed: confirm that you received it from {} yourself (--received-from {})",
                    s.evaluator, s.evaluator
                ),
            )),
        };
    };
    let words = fingerprint(key);
    let hex_key = hex::encode(key.to_bytes());
    match facts.registered_key {
        Some(k) if k == hex_key => Ok(KeyDecision::Known),
        Some(_) => Err(Error::conflict(format!(
            "these scores are signed with a key that is not {}'s key on this panel (this one reads “{words}”): ask them to sign on their own computer",
            s.evaluator
        ))),
        None if facts.by_the_evaluator => Ok(KeyDecision::Register {
            public_key: hex_key,
            fingerprint: words,
        }),
        None => match confirmed {
            Some(c) if same_fingerprint(c, &words) => Ok(KeyDecision::Register {
                public_key: hex_key,
                fingerprint: words,
            }),
            Some(c) => Err(Error::validation(
                "fingerprint",
                format!(
                    "the fingerprint you confirmed (“{}”) is not this key's (“{words}”): do not import the sheet until {} confirms their key",
                    c.trim(),
                    s.evaluator
                ),
            )),
            None => Err(Error::validation(
                "fingerprint",
                format!(
                    "this is the first scoresheet from {} on this lot: ask them to read you the six words of their key's fingerprint (on their scoresheet's screen, or from `lotwise scoresheet key`), check they are “{words}”, and import again with them",
                    s.evaluator
                ),
            )),
        },
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum KeyDecision {
    /// The key already registered for this evaluator.
    Known,
    /// The first import: the officer confirmed this key's fingerprint.
    Register {
        public_key: String,
        fingerprint: String,
    },
    /// A workbook, unsigned, received from the evaluator (the officer says so).
    Unsigned,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    fn payload() -> SignedScores {
        SignedScores {
            submission_id: "s1".into(),
            sheet_id: "sheet1".into(),
            sheet_sha256: "00".into(),
            workspace_id: "ws".into(),
            lot_id: LotId(3),
            lot_reference: "Lot 1".into(),
            evaluator: "r.ahmed".into(),
            model_version: 7,
            declaration: DECLARATION.into(),
            signed_at: "2026-12-05T10:00:00Z".parse().unwrap(),
            scores: vec![SheetScore {
                bid_id: BidId(1),
                question: "Q1".into(),
                score: 3,
                justification: "Section two gives the evidence".into(),
            }],
        }
    }

    fn facts<'a>(registered: Option<&'a str>) -> ImportFacts<'a> {
        ImportFacts {
            workspace_id: "ws",
            lot_id: LotId(3),
            lot_reference: "Lot 1",
            model_version: 7,
            registered_key: registered,
            imported_before: None,
            by_the_evaluator: false,
        }
    }

    #[test]
    fn a_signed_file_opens_and_any_changed_byte_is_refused() {
        let f = sign(&key(1), &payload());
        assert_eq!(open(&f).unwrap().0.scores[0].score, 3);
        let mut tampered = f.clone();
        tampered.signed = tampered.signed.replace("\"score\": 3", "\"score\": 4");
        assert_ne!(tampered.signed, f.signed);
        assert_eq!(
            open(&tampered).unwrap_err().field.as_deref(),
            Some("signature")
        );
        let mut other = f.clone();
        other.public_key = hex::encode(key(2).verifying_key().to_bytes());
        assert!(open(&other).is_err());
    }

    #[test]
    fn the_first_import_needs_the_fingerprint_and_later_ones_the_same_key() {
        let k = key(1).verifying_key();
        let words = fingerprint(&k);
        assert_eq!(words.split(' ').count(), 6);
        let p = payload();
        let e = check_import(&p, Some(&k), &facts(None), None, None).unwrap_err();
        assert!(e.message.contains(&words), "{}", e.message);
        assert!(check_import(&p, Some(&k), &facts(None), Some("wrong words here"), None).is_err());
        let upper = words.to_uppercase().replace(' ', "  ");
        assert!(matches!(
            check_import(&p, Some(&k), &facts(None), Some(&upper), None).unwrap(),
            KeyDecision::Register { .. }
        ));
        let hex_key = hex::encode(k.to_bytes());
        assert_eq!(
            check_import(&p, Some(&k), &facts(Some(&hex_key)), None, None).unwrap(),
            KeyDecision::Known
        );
        let other = key(2).verifying_key();
        let e = check_import(&p, Some(&other), &facts(Some(&hex_key)), None, None).unwrap_err();
        assert!(e.message.contains("not r.ahmed's key"), "{}", e.message);
    }

    #[test]
    fn another_lot_model_version_or_a_second_import_is_refused_by_name() {
        let k = key(1).verifying_key();
        let hex_key = hex::encode(k.to_bytes());
        let mut p = payload();
        p.lot_id = LotId(4);
        assert!(
            check_import(&p, Some(&k), &facts(Some(&hex_key)), None, None)
                .unwrap_err()
                .message
                .contains("another workspace or lot")
        );
        let mut p = payload();
        p.model_version = 6;
        assert!(
            check_import(&p, Some(&k), &facts(Some(&hex_key)), None, None)
                .unwrap_err()
                .message
                .contains("changed after this scoresheet was exported")
        );
        let mut f = facts(Some(&hex_key));
        f.imported_before = Some("by o.officer on 5 December 2026".into());
        assert!(
            check_import(&payload(), Some(&k), &f, None, None)
                .unwrap_err()
                .message
                .contains("already imported")
        );
    }

    #[test]
    fn an_unsigned_workbook_needs_the_officers_word_whom_it_came_from() {
        let p = payload();
        let e = check_import(&p, None, &facts(None), None, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("receivedFrom"));
        assert!(check_import(&p, None, &facts(None), None, Some("b.jones")).is_err());
        assert_eq!(
            check_import(&p, None, &facts(None), None, Some(" R.Ahmed ")).unwrap(),
            KeyDecision::Unsigned
        );
    }

    #[test]
    fn an_evaluator_signed_in_to_a_team_server_needs_no_one_to_confirm_their_key() {
        let k = key(1).verifying_key();
        let mut f = facts(None);
        f.by_the_evaluator = true;
        assert!(matches!(
            check_import(&payload(), Some(&k), &f, None, None).unwrap(),
            KeyDecision::Register { .. }
        ));
        // A key already registered still has to be the one.
        let hex_key = hex::encode(k.to_bytes());
        let mut f = facts(Some(&hex_key));
        f.by_the_evaluator = true;
        let other = key(2).verifying_key();
        assert!(check_import(&payload(), Some(&other), &f, None, None).is_err());
    }

    #[test]
    fn fingerprints_differ_between_keys() {
        assert_ne!(
            fingerprint(&key(1).verifying_key()),
            fingerprint(&key(2).verifying_key())
        );
    }
}
