//! pykb: a web knowledge base of Python interview questions.
//!
//! `app::app(state)` builds the whole site as a `Router`; `main.rs` only reads the
//! configuration and calls `app::serve`. Tests drive the same router.

pub mod accounts;
pub mod app;
pub mod assets;
pub mod auth;
pub mod commands;
pub mod config;
pub mod content;
pub mod cpu;
pub mod db;
pub mod domain;
pub mod editing;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod page_cache;
pub mod render;
pub mod routes;
pub mod search;
pub mod server;
pub mod state;

pub use app::app;
pub use config::Config;
pub use error::{Error, Result};
pub use state::AppState;
