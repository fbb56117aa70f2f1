//! Password hashing with Argon2id (the argon2 crate's defaults). Hashing takes tens of
//! milliseconds of CPU on purpose, so it runs on a blocking thread, off the async executor.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_now(&password)).await?
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("cannot hash the password: {err}"))
}

/// Whether `password` matches `hash`. With no hash (an unknown user) it still does the same
/// work against a dummy hash, so the answer takes as long for an unknown user as for a wrong
/// password.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let hash = match hash {
            Some(hash) => hash,
            None => dummy_hash().to_owned(),
        };
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("no user has this password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password("s3cret pass".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("s3cret pass".into(), Some(hash.clone())).await);
        assert!(!verify_password("s3cret pasS".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
        assert!(!verify_password("x".into(), Some("not a hash".into())).await);
    }
}
