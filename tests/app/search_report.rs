//! What readers look for, for editors: searches and opened results are counted by query and
//! day with nothing about the reader, `/admin/search` reports them at once, and the click
//! report refuses what it should.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::helpers::{
    Client, TestApp, TestResponse, attrs, sql_execute, sql_i64, sql_strings, texts,
};

/// Reports that result `position` of `q` was opened, as `navigator.sendBeacon` does.
async fn click(app: &TestApp, body: &str, content_type: &str) -> TestResponse {
    let request = Request::post("/api/search/click")
        .header("content-type", content_type)
        .header("origin", "http://pykb.test")
        .body(Body::from(body.to_owned()))
        .unwrap();
    app.request(request).await
}

/// The rows of the report table `name` as (query, numbers...).
fn table(html: &scraper::Html, name: &str) -> Vec<Vec<String>> {
    let rows = scraper::Selector::parse(&format!("[data-table={name}] tbody tr")).unwrap();
    let cells = scraper::Selector::parse("td").unwrap();
    html.select(&rows)
        .map(|row| {
            row.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_owned())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn searches_and_opened_results_show_in_the_report_at_once() {
    let app = TestApp::new().await;
    app.get("/search?q=Generators").await;
    app.get("/api/search?q=generators++").await;
    app.get("/search?q=qwzxv+nothing").await;
    app.get("/search?q=is+vs+%3D%3D").await;
    // Later pages and filtered views are the same search, not new ones.
    app.get("/search?q=generators&page=2").await;
    let opened = click(
        &app,
        r#"{"q":"generators","slug":"what-does-the-yield-keyword-do-in-python","position":1}"#,
        "text/plain;charset=UTF-8",
    )
    .await;
    assert_eq!(opened.status, StatusCode::NO_CONTENT, "{}", opened.body);
    assert!(opened.header("set-cookie").is_empty(), "no cookie");
    let chosen = click(
        &app,
        r#"{"q":"gen","slug":"what-does-the-yield-keyword-do-in-python","position":3,"from":"suggest"}"#,
        "application/json",
    )
    .await;
    assert_eq!(chosen.status, StatusCode::NO_CONTENT);

    let mut editor = Client::signed_in(&app).await;
    let report = editor.get("/admin/search").await;
    assert_eq!(report.status, StatusCode::OK);
    let html = report.html();
    let top = table(&html, "top");
    assert_eq!(top[0], ["generators", "2", "0", "1"], "{top:?}");
    assert!(
        top.contains(&vec!["gen".to_owned(), "1".into(), "0".into(), "1".into()]),
        "{top:?}"
    );
    let zero = table(&html, "zero");
    assert_eq!(zero[0][0], "qwzxv nothing");
    let write = attrs(&html, "[data-table=zero] a[data-write-answer]", "href");
    assert_eq!(write, ["/admin/articles/new?title=qwzxv+nothing"]);
    let unopened = table(&html, "unopened");
    assert!(unopened.iter().any(|r| r[0] == "is vs =="), "{unopened:?}");
    assert!(
        !unopened.iter().any(|r| r[0] == "generators"),
        "{unopened:?}"
    );
    let positions = table(&html, "positions");
    assert_eq!(positions, [["1", "1"], ["3", "1"]]);
    let totals = texts(&html, "[data-search-totals]").join(" ");
    assert!(
        totals.contains("5 searches") && totals.contains("1 with no result"),
        "{totals}"
    );
    // Each chart is an image with a name, beside its table.
    assert_eq!(attrs(&html, "svg.chart[role=img]", "aria-label").len(), 2);

    // "Write an answer" opens the new-article form with the query as its title.
    let form = editor.get(&write[0]).await.html();
    assert_eq!(
        attrs(&form, "input[name=title]", "value"),
        ["qwzxv nothing"]
    );

    // Periods: 7, 30 or 90 days; anything else is a clear 400.
    assert_eq!(
        editor.get("/admin/search?days=90").await.status,
        StatusCode::OK
    );
    let bad = editor.get("/admin/search?days=5").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("days=7"), "{}", bad.body);
    // Readers cannot see it.
    let anonymous = app.get("/admin/search").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn nothing_about_the_reader_is_kept() {
    let app = TestApp::new().await;
    app.get("/search?q=weakref").await;
    app.state.search_log.write(&app.state.db).await.unwrap();
    for table in ["search_queries", "search_clicks"] {
        let columns = crate::helpers::table_columns(&app.state.db, table).await;
        assert!(!columns.is_empty(), "{table} has columns");
        for column in &columns {
            assert!(
                [
                    "day",
                    "query",
                    "searches",
                    "zero_results",
                    "clicks",
                    "position"
                ]
                .contains(&column.as_str()),
                "{table}.{column}"
            );
        }
    }
    let kept = sql_strings(
        &app.state.db,
        "SELECT query || ' ' || searches FROM search_queries",
    )
    .await;
    assert_eq!(kept, ["weakref 1"]);
}

#[tokio::test]
async fn bad_click_reports_get_clear_errors_and_floods_a_429() {
    let app = TestApp::new().await;
    let good = r#"{"q":"x","slug":"a-slug","position":2}"#;
    let cases = [
        ("not json", "text/plain", StatusCode::BAD_REQUEST),
        (r#"{"q":"x"}"#, "application/json", StatusCode::BAD_REQUEST),
        (
            r#"{"q":"","slug":"a-slug","position":1}"#,
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"q":"x","slug":"../etc","position":1}"#,
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"q":"x","slug":"a-slug","position":0}"#,
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            good,
            "application/x-www-form-urlencoded",
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (body, kind, status) in cases {
        let response = click(&app, body, kind).await;
        assert_eq!(
            response.status, status,
            "{body} as {kind}: {}",
            response.body
        );
        assert!(
            response
                .header("content-type")
                .starts_with("application/json")
        );
        assert!(response.body.contains("error"), "{}", response.body);
    }
    let long = format!(
        r#"{{"q":"{}","slug":"a-slug","position":1}}"#,
        "x".repeat(2000)
    );
    assert_eq!(
        click(&app, &long, "application/json").await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    // Another site's page cannot report clicks.
    let foreign = Request::post("/api/search/click")
        .header("content-type", "text/plain")
        .header("origin", "https://elsewhere.example")
        .body(Body::from(good))
        .unwrap();
    assert_eq!(app.request(foreign).await.status, StatusCode::FORBIDDEN);

    // A flood: the burst is accepted, then 429 with Retry-After.
    let mut limited = None;
    for _ in 0..500 {
        let response = click(&app, good, "text/plain").await;
        if response.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
        assert_eq!(response.status, StatusCode::NO_CONTENT);
    }
    let limited = limited.expect("a flood of clicks is limited");
    assert_eq!(limited.header("retry-after"), "1");
}

#[tokio::test]
async fn old_days_are_pruned() {
    let app = TestApp::new().await;
    let today = pykb::search_log::today();
    for day in [today - 100, today - 5, today] {
        sql_execute(
            &app.state.db,
            &format!("INSERT INTO search_queries (day, query, searches) VALUES ({day}, 'q', 1)"),
        )
        .await;
    }
    let removed = pykb::db::search_stats::delete_before(&app.state.db, today - 89)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    let left = sql_i64(&app.state.db, "SELECT COUNT(*) FROM search_queries").await;
    assert_eq!(left, 2);
}
