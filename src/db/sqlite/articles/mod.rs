//! The SQLite side of [`crate::db::articles`].

pub mod admin;
pub mod index;
pub mod reader;
pub mod writes;
