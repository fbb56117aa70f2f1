//! The database refusing a write: busy (another writer holds it) or full (no room). The editor
//! gets 503 with `Retry-After` and the form with everything typed; nothing partial is written;
//! the next save after the trouble passes succeeds.

use std::str::FromStr;
use std::time::Duration;

use axum::http::StatusCode;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use crate::helpers::{Client, TestApp, article_form, texts};

#[tokio::test]
async fn a_busy_database_answers_503_and_keeps_the_text() {
    let app = TestApp::with_config(|c| c.busy_timeout = Duration::from_millis(200)).await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;

    // Another process holds the write lock.
    let options = SqliteConnectOptions::from_str("sqlite:")
        .unwrap()
        .filename(app.state.config.database_path());
    let mut other = SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();

    let body = "Typed while the database was busy: qxbusyzz.";
    let response = client
        .post("/admin/articles", &article_form("Busy day", body))
        .await;
    assert_eq!(
        response.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        response.body
    );
    assert_eq!(response.header("retry-after"), "5");
    let html = response.html();
    assert_eq!(texts(&html, "textarea[name=body]"), [body]);
    assert!(texts(&html, "[role=alert]").concat().contains("busy"));

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    assert_eq!(
        app.get("/q/busy-day").await.status,
        StatusCode::NOT_FOUND,
        "nothing partial"
    );
    let response = client
        .post("/admin/articles", &article_form("Busy day", body))
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(app.get("/q/busy-day").await.status, StatusCode::OK);
}

/// Sets `PRAGMA max_page_count` on every connection of the app's pool (it is per connection).
async fn limit_pages(app: &TestApp, pages: Option<i64>) {
    let mut held = Vec::new();
    for _ in 0..crate::helpers::sqlite_pool(&app.state.db)
        .options()
        .get_max_connections()
    {
        held.push(app.state.db.acquire().await.unwrap());
    }
    for conn in &mut held {
        let limit = pages.unwrap_or(1_073_741_823);
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA max_page_count = {limit}"
        )))
        .execute(crate::helpers::sqlite_conn(conn))
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn a_full_database_answers_503_and_the_next_save_after_space_returns_works() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;

    let mut conn = app.state.db.acquire().await.unwrap();
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(crate::helpers::sqlite_conn(&mut conn))
        .await
        .unwrap();
    drop(conn);
    limit_pages(&app, Some(pages)).await;

    let body = format!(
        "A long answer that needs new pages. {}",
        "qxfullzz ".repeat(20_000)
    );
    let response = client
        .post("/admin/articles", &article_form("Full disk", &body))
        .await;
    assert_eq!(
        response.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        &response.body[..500.min(response.body.len())]
    );
    assert!(!response.header("retry-after").is_empty());
    let html = response.html();
    assert_eq!(texts(&html, "textarea[name=body]"), [body.trim()]);
    assert!(texts(&html, "[role=alert]").concat().contains("no room"));
    assert_eq!(
        app.get("/q/full-disk").await.status,
        StatusCode::NOT_FOUND,
        "nothing partial"
    );
    let mut conn = app.state.db.acquire().await.unwrap();
    let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(crate::helpers::sqlite_conn(&mut conn))
        .await
        .unwrap();
    assert_eq!(check, ["ok"]);
    drop(conn);

    limit_pages(&app, None).await;
    let response = client
        .post("/admin/articles", &article_form("Full disk", &body))
        .await;
    // Fails with 500 when the connection that hit the full disk came back to the pool still
    // counting its (already rolled back) transaction as open.
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/q/full-disk").await.status, StatusCode::OK);
}
