//! The instance's Ed25519 signing key: created at first start in the data
//! directory (mode 0600), it signs ledger checkpoints and certificates. Its
//! public half is served at `/.well-known/retrace-signing-key`.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

const FILE_NAME: &str = "instance-ed25519.key";

pub struct InstanceKey {
    signing: SigningKey,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the signing key {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the signing key file {0} is not 64 hexadecimal digits")]
    Malformed(PathBuf),
    #[error("no randomness available: {0}")]
    Random(String),
}

impl InstanceKey {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// Loads the key, creating it (and the data directory) the first time.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, KeyError> {
        let path = Self::path(data_dir);
        let io = |source| KeyError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(text.trim()).ok_or(KeyError::Malformed(path)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(io)?;
                #[cfg(unix)]
                std::fs::set_permissions(
                    data_dir,
                    std::os::unix::fs::PermissionsExt::from_mode(0o700),
                )
                .map_err(io)?;
                let mut secret = [0u8; 32];
                getrandom::fill(&mut secret).map_err(|e| KeyError::Random(e.to_string()))?;
                // Written whole under a name of its own, then linked into
                // place: a process starting beside this one (a network's
                // second server) finds no key or a complete one, never a
                // file still being written.
                let draft = data_dir.join(format!("{FILE_NAME}.{}.new", hex::encode(&secret[..4])));
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let written = options.open(&draft).and_then(|mut file| {
                    file.write_all(hex::encode(secret).as_bytes())?;
                    file.sync_all()
                });
                let linked = written.and_then(|()| std::fs::hard_link(&draft, &path));
                let _ = std::fs::remove_file(&draft);
                match linked {
                    Ok(()) => {
                        tracing::info!(path = %path.display(), "created the instance signing key");
                        Ok(Self {
                            signing: SigningKey::from_bytes(&secret),
                        })
                    }
                    // Another process created it first: use theirs.
                    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                        Self::load_or_create(data_dir)
                    }
                    Err(err) => Err(io(err)),
                }
            }
            Err(err) => Err(io(err)),
        }
    }

    /// Loads an existing key without creating one.
    pub fn load(data_dir: &Path) -> Result<Option<Self>, KeyError> {
        let path = Self::path(data_dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(text.trim())
                .map(Some)
                .ok_or(KeyError::Malformed(path)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeyError::Io { path, source }),
        }
    }

    fn from_hex(text: &str) -> Option<Self> {
        let bytes: [u8; 32] = hex::decode(text).ok()?.try_into().ok()?;
        Some(Self {
            signing: SigningKey::from_bytes(&bytes),
        })
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// A short name for the key: the first 16 hex digits of SHA-256(public key).
    pub fn key_id(&self) -> String {
        key_id(&self.verifying_key())
    }

    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.verifying_key().to_bytes())
    }

    /// A secret for `purpose`, derived from the signing key: keyed hashes
    /// that only this instance can compute, with nothing more to keep.
    pub fn derived_secret(&self, purpose: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(b"retrace/");
        hasher.update(purpose.as_bytes());
        hasher.update([0]);
        hasher.update(self.signing.to_bytes());
        hasher.finalize().into()
    }

    /// The signature of `message`, in base64.
    pub fn sign(&self, message: &[u8]) -> String {
        STANDARD.encode(self.signing.sign(message).to_bytes())
    }
}

pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.to_bytes())[..8])
}

/// Whether `signature` (base64) is `key`'s signature of `message`.
pub fn verify(key: &VerifyingKey, message: &[u8], signature: &str) -> bool {
    let Ok(bytes) = STANDARD.decode(signature) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify_strict(message, &Signature::from_bytes(&bytes))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let key = InstanceKey::load_or_create(dir.path()).unwrap();
        let again = InstanceKey::load_or_create(dir.path()).unwrap();
        assert_eq!(key.public_key_base64(), again.public_key_base64());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(InstanceKey::path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    /// Two servers of a network starting at once on an empty directory:
    /// every one of them ends with the same, complete key, and no draft is left.
    #[test]
    fn processes_creating_the_key_at_once_all_read_the_same_one() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let keys: Vec<String> = std::thread::scope(|scope| {
                let starts: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            InstanceKey::load_or_create(dir.path())
                                .unwrap()
                                .public_key_base64()
                        })
                    })
                    .collect();
                starts.into_iter().map(|s| s.join().unwrap()).collect()
            });
            assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
            let files = std::fs::read_dir(dir.path()).unwrap().count();
            assert_eq!(files, 1, "a draft was left behind");
        }
    }

    #[test]
    fn signatures_verify_and_tampering_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let key = InstanceKey::load_or_create(dir.path()).unwrap();
        let signature = key.sign(b"seq 42");
        assert!(verify(&key.verifying_key(), b"seq 42", &signature));
        assert!(!verify(&key.verifying_key(), b"seq 43", &signature));
        assert!(!verify(&key.verifying_key(), b"seq 42", "not base64!"));
    }
}
