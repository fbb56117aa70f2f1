//! CSRF protection. Every state-changing request is a POST carrying a token: a signed-in user's
//! is stored with their session; a visitor's (for the sign-in form) lives in a signed cookie.
//! Either stays the same for every form until sign-in or sign-out.

use axum::http::{HeaderMap, HeaderValue, header};

use super::session::{CurrentUser, cookie, set_cookie};
use super::token::{random_token, tokens_match};
use crate::Result;
use crate::state::AppState;

/// The token forms must carry, and the cookie to set when a visitor gets a new one.
pub struct Csrf {
    pub token: String,
    pub set_cookie: Option<HeaderValue>,
}

fn visitor_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-pykb_csrf"
    } else {
        "pykb_csrf"
    }
}

impl Csrf {
    /// The token for this request: the session's, or the visitor cookie's (a new one if the
    /// visitor has none or it was not signed by us).
    pub fn for_request(
        state: &AppState,
        headers: &HeaderMap,
        user: Option<&CurrentUser>,
    ) -> Result<Csrf> {
        if let Some(user) = user {
            return Ok(Csrf {
                token: user.csrf_token.clone(),
                set_cookie: None,
            });
        }
        let https = state.config.is_https();
        if let Some(token) = cookie(headers, visitor_cookie_name(https))
            .and_then(|signed| state.signer.verify(signed))
        {
            return Ok(Csrf {
                token: token.to_owned(),
                set_cookie: None,
            });
        }
        let token = random_token()?;
        let cookie = set_cookie(
            visitor_cookie_name(https),
            &state.signer.sign(&token),
            None,
            https,
        );
        Ok(Csrf {
            token,
            set_cookie: Some(cookie),
        })
    }

    /// Whether a submitted token is the one this request may use. A visitor without a valid
    /// cookie has no token yet, so nothing they submit matches.
    pub fn accepts(
        state: &AppState,
        headers: &HeaderMap,
        user: Option<&CurrentUser>,
        submitted: &str,
    ) -> bool {
        let expected = match user {
            Some(user) => Some(user.csrf_token.as_str()),
            None => cookie(headers, visitor_cookie_name(state.config.is_https()))
                .and_then(|signed| state.signer.verify(signed)),
        };
        origin_is_ours(state, headers)
            && expected.is_some_and(|expected| tokens_match(expected, submitted))
    }

    /// The cookie that drops a visitor's token (at sign-in the session's token takes over).
    pub fn clear_visitor_cookie(state: &AppState) -> HeaderValue {
        let https = state.config.is_https();
        set_cookie(visitor_cookie_name(https), "", Some(0), https)
    }
}

/// A request's `Origin`, when the browser sends one, must be the site's own.
pub fn origin_is_ours(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let base = &state.config.base_url;
    let ours = base
        .find("://")
        .and_then(|at| {
            base[at + 3..]
                .find('/')
                .map(|slash| &base[..at + 3 + slash])
        })
        .unwrap_or(base);
    origin.to_str().is_ok_and(|origin| origin == ours)
}
