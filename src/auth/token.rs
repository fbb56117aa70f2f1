//! Random tokens, hashes and signatures.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, hex-encoded.
pub fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|err| anyhow::anyhow!("the system random source failed: {err}"))?;
    Ok(hex(&bytes))
}

pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Signs values with HMAC-SHA256 under a server key, so a cookie's value can be trusted.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    pub fn new(key: &str) -> Self {
        Self {
            key: key.as_bytes().to_vec(),
        }
    }

    fn mac(&self, value: &str) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(value.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// `value.signature`.
    pub fn sign(&self, value: &str) -> String {
        format!("{value}.{}", self.mac(value))
    }

    /// The value of a signed string, if the signature is ours.
    pub fn verify<'a>(&self, signed: &'a str) -> Option<&'a str> {
        let (value, signature) = signed.rsplit_once('.')?;
        tokens_match(&self.mac(value), signature).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_unchanged_values_under_the_same_key() {
        let signer = Signer::new("key");
        let signed = signer.sign("abc");
        assert_eq!(signer.verify(&signed), Some("abc"));
        assert_eq!(signer.verify(&signed.replace("abc", "abd")), None);
        assert_eq!(Signer::new("other").verify(&signed), None);
        assert_eq!(signer.verify("abc"), None);
    }

    #[test]
    fn tokens_are_random_and_long() {
        let a = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token().unwrap());
        assert!(tokens_match(&a, &a.clone()));
        assert!(!tokens_match(&a, &a[1..]));
    }
}
