//! Passwords, hashed with Argon2id. Hashing is deliberately slow, so it runs
//! on the blocking pool, never on the async workers.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::AppError;

/// Shortest password accepted; a workshop PC is shared, so not too short.
pub const MIN_LENGTH: usize = 10;
/// Longest: a passphrase fits, and hashing stays bounded.
pub const MAX_LENGTH: usize = 1024;

pub fn validate(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(AppError::field(
            "password",
            format!("must be at least {MIN_LENGTH} characters"),
        ));
    }
    if length > MAX_LENGTH {
        return Err(AppError::field(
            "password",
            format!("must be at most {MAX_LENGTH} characters"),
        ));
    }
    Ok(())
}

/// The PHC string (`$argon2id$v=19$…`) of a password.
/// Argon2 takes 19 MiB and tens of milliseconds a hash, on purpose: this
/// many at once at most, so that a burst of sign-ins cannot exhaust the
/// memory or the cores. The others wait their turn, a few seconds at most.
const AT_ONCE: usize = 2;
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);
const LONGEST_QUEUE: std::time::Duration = std::time::Duration::from_secs(5);

async fn turn() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    tokio::time::timeout(LONGEST_QUEUE, HASHING.acquire())
        .await
        .map_err(|_| AppError::TooManyAttempts {
            retry_after_secs: LONGEST_QUEUE.as_secs(),
        })?
        .map_err(AppError::internal)
}

pub async fn hash(password: String) -> Result<String, AppError> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Whether `password` matches `phc`; a malformed stored hash never matches.
pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    let _turn = turn().await?;
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let phc = hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(
            verify("correct horse battery".into(), phc.clone())
                .await
                .unwrap()
        );
        assert!(!verify("correct horse battery!".into(), phc).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }

    #[test]
    fn short_and_endless_passwords_are_refused() {
        assert!(validate("short").is_err());
        assert!(validate("long enough pass").is_ok());
        assert!(validate(&"é".repeat(MAX_LENGTH)).is_ok());
        assert!(validate(&"é".repeat(MAX_LENGTH + 1)).is_err());
    }
}
