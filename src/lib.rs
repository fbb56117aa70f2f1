//! pykb: a web knowledge base of Python interview questions.
//!
//! `app::app(state)` builds the whole site as a `Router`; `main.rs` only reads the
//! configuration and calls `app::serve`. Tests drive the same router.
//!
//! Every cache, and what invalidates it (the README's architecture section has the table with
//! their bounds):
//! - `page_cache::PageCache`: rendered reader pages with their prebuilt headers, answered
//!   before the router by `page_cache::front` on a plain hit; a change to an article forgets
//!   the pages that show it, after the search index has caught up
//!   (`editing::save::commit_revision`).
//! - `memo::Memo` for search (search results and "more like this" lists): keyed by the index's
//!   searcher generation, so every index commit forgets them.
//! - the `page_context` table (what a page shows of other articles): worked out again for
//!   the articles a write touches, in that write's transaction (`db::page_context`).
//! - the rendered parts of each body (`article_bodies`): written with the body; a new
//!   `render::RENDER_VERSION` renders every body again in the background after start-up
//!   (`editing::rerender`), forgetting each batch's cached pages.
//! - the stored example runs (`example_runs`): a write queues its article in its transaction
//!   (`db::verification`); `verify::worker` runs what changed and forgets the article's pages.
//! - `verify::engine`'s memo of recent runs (by code and interpreter, for previews and the
//!   worker): never invalidated, since a run depends on nothing else; bounded in entries.
//! - each tag's counts and each tag row's place in the topic order: kept by every write
//!   (`db::articles::sync_topic_order` and the triggers of `migrations/0007`).
//! - `search_log::SearchLog`: search counts waiting to be written, every second and before
//!   the search report reads them; bounded in entries.

// `.ci/sqlx-prepare`'s builds leave one database backend out; what only it used is unused.
#![cfg_attr(any(pykb_sqlx = "sqlite", pykb_sqlx = "postgres"), allow(unused))]

pub mod accounts;
pub mod allocator;
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
pub mod follow;
pub mod memo;
pub mod metrics;
pub mod page_cache;
pub mod practice;
pub mod render;
pub mod routes;
pub mod search;
pub mod search_log;
pub mod server;
pub mod site_headers;
pub mod state;
pub mod verify;

pub use app::app;
pub use config::Config;
pub use error::{Error, Result};
pub use state::AppState;
