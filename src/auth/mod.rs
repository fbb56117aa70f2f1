//! Who is asking: password hashing, sessions and their cookies, CSRF tokens.

mod csrf;
mod password;
mod session;
mod token;

pub use csrf::{Csrf, origin_is_ours};
pub use password::{hash_password, verify_password};
pub use session::{CurrentUser, Editor, MaybeUser, end_session, start_session};
pub use token::{Signer, random_token, sha256_hex, tokens_match};
