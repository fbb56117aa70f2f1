//! Integration tests: one binary (one link step), one module per feature. Every test drives
//! the real router over its own temporary database: SQLite, then PostgreSQL when a server is
//! given (`postgres.rs` runs the binary again for that half).

mod accounts;
mod admin;
mod browser;
mod cache;
mod change_log;
mod content;
mod copy;
mod crash;
mod faults;
mod helpers;
mod history;
mod hostile;
mod javascript;
mod limits;
mod navigation;
mod nodes;
mod operations;
mod pages;
mod postgres;
mod practice;
mod reader;
mod relevance_sections;
mod review;
mod search;
mod search_report;
mod seed;
mod verify;
mod verify_editors;
mod writes;
