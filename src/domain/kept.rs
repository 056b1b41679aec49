//! Kept documents (generated papers, award packs) are stored with their SHA-256; bytes that
//! no longer match it have been altered.
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};

pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Refuses bytes that do not match the hash they were kept with.
pub fn check(bytes: &[u8], sha256_hex: &str, what: &str) -> Result<()> {
    if sha256(bytes) != sha256_hex {
        return Err(Error::new(
            ErrorCode::Integrity,
            format!("{what} no longer matches its SHA-256; it has been altered"),
        ));
    }
    Ok(())
}
