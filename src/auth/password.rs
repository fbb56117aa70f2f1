//! Password hashing with Argon2id (the argon2 crate's defaults). Hashing takes tens of
//! milliseconds of CPU and about 19 MiB of memory on purpose, so it runs in the bounded
//! `cpu::PASSWORDS` pool, off the async executor: a burst of sign-ins waits for a slot or is
//! refused, instead of multiplying that memory.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::cpu::{Busy, PASSWORDS};

pub async fn hash_password(password: String) -> anyhow::Result<String> {
    PASSWORDS.run(move || hash_now(&password)).await?
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("cannot hash the password: {err}"))
}

/// Whether `password` matches `hash`. With no hash (an unknown user) it still does the same
/// work against a dummy hash, so the answer takes as long for an unknown user as for a wrong
/// password. `Busy` when no check could start in time.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, Busy> {
    PASSWORDS
        .run(move || {
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
        let verify = async |password: &str, hash: Option<String>| {
            verify_password(password.into(), hash).await.unwrap()
        };
        assert!(verify("s3cret pass", Some(hash.clone())).await);
        assert!(!verify("s3cret pasS", Some(hash)).await);
        assert!(!verify("anything", None).await);
        assert!(!verify("x", Some("not a hash".into())).await);
    }
}
