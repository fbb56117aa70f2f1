//! `pykb copy`: a whole site moved into an empty database and back, every row of every table
//! kept. In the SQLite half the copies are SQLite files; in the PostgreSQL half the site goes
//! from PostgreSQL to a SQLite file and back into a new PostgreSQL database, so both
//! directions run.

use std::collections::BTreeMap;
use std::path::Path;

use axum::http::StatusCode;
use pykb::db::Db;
use pykb::db::store::{Backend, Split};
use pykb::domain::{Role, Slug};

use crate::helpers::{
    Client, TestApp, open_database, output_text, postgres_database, pykb, seed_draft, sql_execute,
    sql_strings,
};

const PASSWORD: &str = "a long enough password";
const RENAMED: &str = "what-is-the-gil-and-is-it-going-away";

/// The URL of the database of the data directory `dir`, as `--from`/`--to` take it.
fn database_url(dir: &Path) -> String {
    postgres_database(dir)
        .unwrap_or_else(|| format!("sqlite://{}", dir.join(pykb::db::DATABASE_FILE).display()))
}

/// Every table's rows as text, sorted, by table name (sqlx's own table left out).
async fn dump(db: &Db) -> BTreeMap<String, Vec<String>> {
    let (tables_sql, sqlite) = match Backend::split(db) {
        Split::Sqlite(_) => (
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
            true,
        ),
        Split::Postgres(_) => (
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
             AND tablename <> '_sqlx_migrations'",
            false,
        ),
    };
    let mut tables = BTreeMap::new();
    for table in sql_strings(db, tables_sql).await {
        let rows_sql = if sqlite {
            let columns = crate::helpers::table_columns(db, &table).await;
            let row = columns
                .iter()
                .map(|c| format!("quote({c})"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            format!("SELECT {row} FROM {table} ORDER BY 1")
        } else {
            format!("SELECT t::text FROM {table} t ORDER BY 1")
        };
        let rows = sql_strings(db, &rows_sql).await;
        tables.insert(table, rows);
    }
    tables
}

/// A site with a row in every table: the seed (articles, topics, bodies, the change log,
/// the verification queue), a renamed article (a redirect), a reviewer's account and an
/// editor's change waiting for review, unsaved text, a search and an opened result, a
/// verification result, and the editor's session. Returns the session's cookies.
async fn a_busy_site() -> (TestApp, Vec<(String, String)>) {
    let app = TestApp::with_config(|c| {
        c.review = true;
        c.verify = false;
    })
    .await;
    for (name, role) in [("ed", Role::Editor), ("rev", Role::Reviewer)] {
        pykb::accounts::add(&app.state.db, name, PASSWORD, role)
            .await
            .unwrap();
    }
    let (id, version) = app.id_and_version(RENAMED).await;
    let mut draft = seed_draft(RENAMED);
    draft.slug = Slug::parse("the-gil").unwrap();
    app.save(Some(id), version, &draft).await;

    let mut ed = Client::signed_in_as(&app, "ed", PASSWORD).await;
    ed.get("/admin/articles/new").await;
    let fields = crate::helpers::article_form("Waiting for a reviewer", "Some **text**.\n");
    let saved = ed.post("/admin/articles", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let typed = [("title", "Half written"), ("body", "A first paragraph.\n")];
    let kept = ed.post("/admin/articles/new/autosave", &typed).await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT, "{}", kept.body);

    app.get("/search?q=generators").await;
    let click = axum::http::Request::post("/api/search/click")
        .header("content-type", "application/json")
        .header("origin", crate::helpers::BASE_URL)
        .body(axum::body::Body::from(
            r#"{"q":"generators","slug":"what-does-the-yield-keyword-do-in-python","position":1}"#,
        ))
        .unwrap();
    assert_eq!(app.request(click).await.status, StatusCode::NO_CONTENT);
    // The report writes the counts kept in memory.
    assert_eq!(ed.get("/admin/search").await.status, StatusCode::OK);
    // A verification result, as the worker stores one (it is off here: no Python needed).
    sql_execute(
        &app.state.db,
        &format!(
            "INSERT INTO example_runs (article_id, example, python, fingerprint, matches, \
             outside_range, output, problem, ran_at) \
             VALUES ({id}, 0, '3.12', 'f1', true, false, 'ok\n', NULL, 1700000000)"
        ),
    )
    .await;
    let cookies = std::mem::take(&mut ed.cookies);
    drop(ed);
    (app, cookies)
}

fn run_copy(dir: &Path, args: &[&str]) -> String {
    let output = pykb(dir, args, "");
    let text = output_text(&output);
    assert!(output.status.success(), "pykb {args:?} failed:\n{text}");
    text
}

#[tokio::test]
async fn a_site_copied_there_and_back_keeps_every_row_and_works() {
    let (app, cookies) = a_busy_site().await;
    let source = app.stop().await;
    let before = dump(&open_database(source.path()).await).await;
    let empty: Vec<&String> = before
        .iter()
        .filter(|(_, rows)| rows.is_empty())
        .map(|(table, _)| table)
        .collect();
    assert!(empty.is_empty(), "the site leaves tables empty: {empty:?}");

    // There (into a SQLite file) and back (into a database of the half's backend).
    let middle = tempfile::tempdir().unwrap();
    let middle_url = format!("sqlite://{}", middle.path().join("copy.sqlite").display());
    let there = run_copy(
        source.path(),
        &[
            "copy",
            "--from",
            &database_url(source.path()),
            "--to",
            &middle_url,
            "--sessions",
        ],
    );
    assert!(there.contains("page context: ok"), "{there}");
    assert!(there.contains("topic counts: ok"), "{there}");
    let back_dir = tempfile::tempdir().unwrap();
    let back_url = database_url(back_dir.path());
    let back = run_copy(
        back_dir.path(),
        &[
            "copy",
            "--from",
            &middle_url,
            "--to",
            &back_url,
            "--sessions",
        ],
    );
    assert!(back.contains("The site is copied"), "{back}");

    let after = dump(&open_database(back_dir.path()).await).await;
    for (table, rows) in &before {
        assert_eq!(
            after.get(table),
            Some(rows),
            "table {table} differs after the round trip"
        );
    }
    assert_eq!(before.len(), after.len(), "the same tables");

    // A server on the copy serves the renamed page's redirect, knows the editor's session
    // and password, finds pages (its index is built from the database at start) and gives a
    // new article an id after the copied ones.
    let copy = TestApp::open(back_dir).await;
    let old = copy.get(&format!("/q/{RENAMED}")).await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.header("location"), "/q/the-gil");
    let mut ed = Client::new(&copy);
    ed.cookies = cookies;
    let review = ed.get("/admin").await;
    assert_eq!(review.status, StatusCode::OK, "the session was copied");
    Client::signed_in_as(&copy, "ed", PASSWORD).await;
    assert!(
        copy.search_slugs("GIL")
            .await
            .contains(&"the-gil".to_owned())
    );
    let largest = before["articles"].len() as i64;
    let mut draft = seed_draft("releasing-memory-in-python");
    draft.slug = Slug::parse("written-after-the-copy").unwrap();
    let new_id = copy.save(None, 0, &draft).await;
    assert!(new_id > largest, "a new article takes a new id ({new_id})");
}

#[tokio::test]
async fn a_copy_refuses_a_database_that_holds_a_site_and_leaves_sessions_unless_asked() {
    let app = TestApp::new().await;
    Client::signed_in(&app).await;
    let source = app.stop().await;
    let target = tempfile::tempdir().unwrap();
    let target_url = database_url(target.path());
    run_copy(
        source.path(),
        &[
            "copy",
            "--from",
            &database_url(source.path()),
            "--to",
            &target_url,
        ],
    );
    let copied = open_database(target.path()).await;
    let sessions = sql_strings(&copied, "SELECT id FROM sessions").await;
    assert!(sessions.is_empty(), "sessions copied without --sessions");
    let articles = sql_strings(&copied, "SELECT slug FROM articles")
        .await
        .len();
    copied.close().await;

    // Again into the same database: refused, nothing added.
    let again = pykb(
        source.path(),
        &[
            "copy",
            "--from",
            &database_url(source.path()),
            "--to",
            &target_url,
        ],
        "",
    );
    assert!(!again.status.success());
    let text = output_text(&again);
    assert!(text.contains("is not empty"), "{text}");
    let copied = open_database(target.path()).await;
    assert_eq!(
        sql_strings(&copied, "SELECT slug FROM articles")
            .await
            .len(),
        articles
    );

    // A source that is not there is named, not created.
    let missing = source.path().join("nothing-here.sqlite");
    let output = pykb(
        source.path(),
        &[
            "copy",
            "--from",
            &format!("sqlite://{}", missing.display()),
            "--to",
            &target_url,
        ],
        "",
    );
    assert!(!output.status.success());
    assert!(output_text(&output).contains("nothing-here.sqlite"));
    assert!(!missing.exists());
}
