//! Sealing a certificate file: the PDF's bytes are followed by one comment
//! line, after `%%EOF`, carrying an Ed25519 signature of their SHA-256:
//!
//! ```text
//! %RETRACE-SEAL ed25519 <key id> <signature, base64>
//! ```
//!
//! PDF readers ignore it; `retrace verify FILE.pdf` recomputes the hash of
//! everything before it and checks the signature with the instance's public
//! key, so a single changed byte anywhere in the file is caught.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};

use crate::ledger::keys::{self, InstanceKey};

const MARKER: &[u8] = b"%RETRACE-SEAL ed25519 ";

/// What a sealed file says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub key_id: String,
    pub signature: String,
    /// SHA-256 of the signed content (the file before its seal line), hex.
    pub content_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the file carries no Retrace seal")]
    Missing,
    #[error("the seal is malformed")]
    Malformed,
    #[error("the file was sealed by another key ({0})")]
    OtherKey(String),
    #[error("the signature does not match the file: it was changed after it was issued")]
    Invalid,
}

/// The file with its seal appended, and the seal.
pub fn seal(mut content: Vec<u8>, key: &InstanceKey) -> (Vec<u8>, Seal) {
    // The seal starts a line of its own; that newline is content, so it is signed too.
    if !content.ends_with(b"\n") {
        content.push(b'\n');
    }
    let digest = Sha256::digest(&content);
    let seal = Seal {
        key_id: key.key_id(),
        signature: key.sign(&digest),
        content_sha256: hex::encode(digest),
    };
    content.extend_from_slice(MARKER);
    content.extend_from_slice(format!("{} {}\n", seal.key_id, seal.signature).as_bytes());
    (content, seal)
}

/// Reads a file's seal, and the content it covers.
pub fn open(file: &[u8]) -> Result<(&[u8], Seal), SealError> {
    let at = file
        .windows(MARKER.len())
        .rposition(|w| w == MARKER)
        .ok_or(SealError::Missing)?;
    let (content, line) = file.split_at(at);
    let line = std::str::from_utf8(&line[MARKER.len()..]).map_err(|_| SealError::Malformed)?;
    let line = line.strip_suffix('\n').ok_or(SealError::Malformed)?;
    let (key_id, signature) = line.split_once(' ').ok_or(SealError::Malformed)?;
    if key_id.len() != 16 || signature.contains(' ') || STANDARD.decode(signature).is_err() {
        return Err(SealError::Malformed);
    }
    let seal = Seal {
        key_id: key_id.to_owned(),
        signature: signature.to_owned(),
        content_sha256: hex::encode(Sha256::digest(content)),
    };
    Ok((content, seal))
}

/// Checks a sealed file against the instance's public key.
pub fn verify(file: &[u8], key: &VerifyingKey) -> Result<Seal, SealError> {
    let (content, seal) = open(file)?;
    if seal.key_id != keys::key_id(key) {
        return Err(SealError::OtherKey(seal.key_id));
    }
    let digest = Sha256::digest(content);
    if keys::verify(key, &digest, &seal.signature) {
        Ok(seal)
    } else {
        Err(SealError::Invalid)
    }
}

/// The SHA-256 of a whole file, as `sha256sum` prints it.
pub fn file_sha256(file: &[u8]) -> String {
    hex::encode(Sha256::digest(file))
}

#[cfg(test)]
mod tests;
