//! The `pykb` subcommands other than `serve`: operator tasks that run against the data
//! directory without starting the web server.

pub mod user;
