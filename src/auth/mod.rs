//! Who is asking: password hashing, sessions and their cookies, CSRF tokens, and the throttle
//! on failed sign-ins.

mod csrf;
mod password;
mod session;
mod throttle;
mod token;

pub use csrf::{Csrf, origin_is_ours};
pub use password::{hash_password, verify_password};
pub use session::{
    Admin, CurrentUser, Editor, MaybeUser, SIGNED_IN_MARKER, end_session, signed_in_marker,
    start_session, sweep_expired_sessions,
};
pub use throttle::{ClientAddr, SignInThrottle, ThrottlePolicy};
pub use token::{Signer, random_token, sha256_hex, tokens_match};
