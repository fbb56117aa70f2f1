//! The PostgreSQL half of the suite: this test runs the whole test binary again with
//! `PYKB_TEST_BACKEND=postgres`, where every test app (and every `pykb` process a test starts)
//! runs on a database of its own on the server of `PYKB_TEST_POSTGRES_URL`
//! (`helpers::postgres_database`). One `cargo test` thus runs every test on both backends.
//!
//! Without `PYKB_TEST_POSTGRES_URL` the half is skipped, loudly; under CI (`CI=true`, where
//! `.ci/run` starts a server and sets it) that is a failure.

use std::process::Command;

use crate::helpers::{on_postgres, postgres_database_prefix};

/// Tests that are about the SQLite file itself, each with why it has no PostgreSQL run.
const SQLITE_ONLY: &[(&str, &str)] = &[
    (
        "operations::backup_",
        "backup and restore copy the SQLite file (on PostgreSQL: pg_dump; README)",
    ),
    ("hostile::restore_", "restore replaces the SQLite file"),
    (
        "operations::writers_refuse_",
        "the data directory's lock, shown with backup and restore",
    ),
    (
        "operations::a_database_from_before_",
        "an upgrade from SQLite migrations older than the PostgreSQL schema",
    ),
    (
        "operations::an_interrupted_rerender_",
        "reaches into the SQLite file to fake a stopped re-render",
    ),
    (
        "faults::",
        "SQLite's busy and disk-full errors, made by holding its write lock and capping its file",
    ),
];

#[tokio::test]
async fn every_test_passes_on_postgresql() {
    if on_postgres() {
        // This is the PostgreSQL half itself.
        return;
    }
    let Ok(server) = std::env::var("PYKB_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "PYKB_TEST_POSTGRES_URL is not set under CI: .ci/run starts PostgreSQL and sets it"
        );
        eprintln!(
            "\n=== SKIPPED: the PostgreSQL half of the suite. Set PYKB_TEST_POSTGRES_URL to a \
             server where this user may create databases (e.g. \
             postgres://pykb:pykb@127.0.0.1/postgres) to run every test on PostgreSQL too. ===\n"
        );
        return;
    };
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command
        .env("PYKB_TEST_BACKEND", "postgres")
        .env("PYKB_TEST_POSTGRES_URL", &server)
        .args(["--test-threads", "2", "-q"]);
    for (prefix, _why) in SQLITE_ONLY {
        command.args(["--skip", prefix]);
    }
    // Filters given to this run (`cargo test -- search`) apply to the other half too.
    command.args(filters(std::env::args().skip(1)));
    eprintln!(
        "running the suite again on PostgreSQL ({})",
        pykb::db::redact(&server)
    );
    let mut child = command.spawn().expect("the test binary starts again");
    let pid = child.id();
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("waiting for the PostgreSQL half")
        .expect("the PostgreSQL half finishes");
    drop_databases(&server, &postgres_database_prefix(pid)).await;
    assert!(
        status.success(),
        "the PostgreSQL half failed: its output is above"
    );
}

/// The test-name filters among the test binary's arguments (not its options, nor their
/// values).
fn filters(args: impl Iterator<Item = String>) -> Vec<String> {
    const TAKE_A_VALUE: &[&str] = &[
        "--test-threads",
        "--skip",
        "--format",
        "--color",
        "--logfile",
        "-Z",
    ];
    let mut kept = Vec::new();
    let mut value_next = false;
    for arg in args {
        if std::mem::take(&mut value_next) {
            continue;
        }
        if arg.starts_with('-') {
            value_next = TAKE_A_VALUE.contains(&arg.as_str());
        } else {
            kept.push(arg);
        }
    }
    kept
}

/// Drops the databases the PostgreSQL half created.
async fn drop_databases(server: &str, prefix: &str) {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(server)
        .await
        .expect("PYKB_TEST_POSTGRES_URL accepts connections");
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
            .bind(prefix)
            .fetch_all(&mut conn)
            .await
            .expect("the test databases are listed");
    // Without FORCE: every process of the half has ended, and FORCE would try to end the
    // server's own autovacuum workers too, which only a superuser may (plain DROP DATABASE
    // stops them itself).
    for name in names {
        if let Err(err) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\""
        )))
        .execute(&mut conn)
        .await
        {
            eprintln!("warning: the test database {name} is left behind: {err}");
        }
    }
}
