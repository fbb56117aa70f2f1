//! The page cache: repeat reads come from memory with a strong ETag (304 for clients that have
//! the page), gzip and brotli for clients that accept them, and any article change is visible
//! at once.

use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pykb::domain::{Difficulty, Kind, Slug, Status, TagName};

use crate::helpers::{OneshotBytes, TestApp, seed_draft, texts};

async fn get_with(
    app: &TestApp,
    uri: &str,
    headers: &[(&str, &str)],
) -> crate::helpers::TestResponse {
    let mut request = Request::get(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    app.request(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn repeat_reads_are_cached_validated_and_compressed() {
    let app = TestApp::with_config(|c| c.metrics = true).await;
    let path = "/q/what-is-python-used-for";
    let first = app.get(path).await;
    let second = app.get(path).await;
    assert_eq!(first.body, second.body);
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(second.header("etag"), etag);
    assert_eq!(first.header("vary"), "accept-encoding");
    assert!(
        !first.header("content-security-policy").is_empty(),
        "headers on cached pages too"
    );

    let not_modified = get_with(&app, path, &[("if-none-match", &etag)]).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert!(not_modified.body.is_empty());
    let stale = get_with(&app, path, &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(stale.status, StatusCode::OK);

    let request = Request::get(path)
        .header("accept-encoding", "gzip, br")
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot_bytes(request).await;
    assert_eq!(response.0.headers["content-encoding"], "br");
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &response.1[..], &mut decoded).unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), first.body);
    let request = Request::get(path)
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot_bytes(request).await;
    assert_eq!(response.0.headers["content-encoding"], "gzip");
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&response.1[..])
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, first.body);

    let metrics = app.get("/metrics").await.body;
    assert!(
        metrics
            .lines()
            .any(|l| l == "pykb_page_cache_misses_total 1"),
        "{metrics}"
    );
    assert!(metrics.lines().any(
        |l| l.starts_with("pykb_page_cache_hits_total ") && l != "pykb_page_cache_hits_total 0"
    ));
}

#[tokio::test]
async fn a_change_to_any_article_is_visible_at_once() {
    let app = TestApp::new().await;
    // This page lists "What are the disadvantages of Python?" among its related questions.
    let page = "/q/what-is-python-used-for";
    assert!(
        app.get(page)
            .await
            .body
            .contains("What are the disadvantages of Python?")
    );
    assert!(
        app.get("/")
            .await
            .body
            .contains("What are the disadvantages of Python?")
    );

    let mut draft = seed_draft("what-are-the-disadvantages-of-python");
    draft.title = "What are the drawbacks of Python?".into();
    let (id, version) = app.id_and_version(draft.slug.as_str()).await;
    app.save(Some(id), version, &draft).await;

    // Other pages that show its title show the new one at once.
    let body = app.get(page).await.body;
    assert!(
        body.contains("What are the drawbacks of Python?"),
        "related list re-rendered"
    );
    assert!(!body.contains("What are the disadvantages of Python?"));
    assert!(
        app.get("/")
            .await
            .body
            .contains("What are the drawbacks of Python?")
    );

    // A new article appears on the home page and its topic at once.
    let mut fresh = draft.clone();
    fresh.slug = Slug::parse("cache-buster").unwrap();
    fresh.title = "Cache buster".into();
    fresh.related = vec![];
    fresh.tags = vec![TagName::parse("basics").unwrap()];
    fresh.difficulty = Difficulty::Beginner;
    fresh.kind = Kind::Question;
    fresh.status = Status::Published;
    app.save(None, 0, &fresh).await;
    assert!(app.get("/").await.body.contains("Cache buster"));
    assert!(app.get("/tags/basics").await.body.contains("Cache buster"));
}

#[tokio::test]
async fn the_cache_can_be_switched_off() {
    let app = TestApp::with_config(|c| c.page_cache = false).await;
    let response = app.get("/q/what-is-python-used-for").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("etag"), "");
    assert_eq!(texts(&response.html(), "h1").len(), 1);
    assert!(app.state.page_cache.is_empty());
}

#[tokio::test]
async fn a_change_forgets_the_pages_that_show_it_and_keeps_the_others() {
    let app = TestApp::new().await;
    let changed = "what-are-the-disadvantages-of-python";
    let link = format!("href=\"/q/{changed}\"");
    let mut showing = Vec::new();
    let mut unrelated = Vec::new();
    for (slug, _) in crate::helpers::seed_entries() {
        let uri = format!("/q/{slug}");
        let body = app.get(&uri).await.body;
        if slug == changed || body.contains(&link) {
            showing.push(uri);
        } else {
            unrelated.push(uri);
        }
    }
    assert!(showing.len() > 1 && !unrelated.is_empty());

    let mut draft = seed_draft(changed);
    draft.title = "What are the drawbacks of Python?".into();
    let (id, version) = app.id_and_version(changed).await;
    app.save(Some(id), version, &draft).await;

    let hits = || app.state.metrics.page_cache_hits.get();
    let misses = || app.state.metrics.page_cache_misses.get();
    for uri in &showing {
        let before = misses();
        app.get(uri).await;
        assert_eq!(misses(), before + 1, "{uri} was rendered again");
    }
    let own = app.get(&format!("/q/{changed}")).await.body;
    assert!(own.contains("What are the drawbacks of Python?"));
    let related = app.get("/q/what-is-python-used-for").await.body;
    assert!(related.contains("What are the drawbacks of Python?"));
    assert!(!related.contains("What are the disadvantages of Python?"));
    for uri in &unrelated {
        let before = hits();
        app.get(uri).await;
        assert_eq!(hits(), before + 1, "{uri} stayed cached");
    }
    assert!(
        app.get("/")
            .await
            .body
            .contains("What are the drawbacks of Python?")
    );
}

/// The head of a raw HTTP answer: its status line and its headers sorted, without `date`.
fn head_of(answer: &str) -> (String, Vec<String>) {
    let head = answer.split("\r\n\r\n").next().unwrap_or_default();
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default().to_owned();
    let mut headers: Vec<String> = lines
        .map(str::to_ascii_lowercase)
        .filter(|line| !line.starts_with("date:"))
        .collect();
    headers.sort();
    (status, headers)
}

#[tokio::test]
async fn a_cached_page_answered_before_the_router_is_the_routed_answer() {
    use pykb::page_cache::front::Front;
    use std::time::Duration;

    let app = TestApp::with_config(|c| c.metrics = true).await;
    let front = Front::new(app.state.page_cache.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(pykb::server::run(
        listener,
        app.router.clone(),
        Some(front.clone()),
        Duration::from_secs(5),
        std::future::pending(),
    ));
    let path = "/q/what-is-python-used-for";
    let ask = |path: &str, extra: &str| {
        format!("GET {path} HTTP/1.1\r\nHost: pykb.test\r\n{extra}Connection: close\r\n\r\n")
    };
    let fetch = |request: String| {
        let addr = addr.clone();
        async move { crate::helpers::raw_http(&addr, request.as_bytes(), Duration::from_secs(10)).await }
    };

    let plain = Request::get(path).body(Body::empty()).unwrap();
    assert!(front.answer(&plain).is_none(), "nothing cached yet");
    let first = fetch(ask(path, "")).await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    assert!(
        front.answer(&plain).is_some(),
        "the router's answer was stored"
    );
    for refused in [
        Request::get(format!("{path}?junk=1"))
            .body(Body::empty())
            .unwrap(),
        Request::post(path).body(Body::empty()).unwrap(),
        Request::get(path)
            .header("content-length", "3")
            .body(Body::empty())
            .unwrap(),
        Request::get("/search").body(Body::empty()).unwrap(),
    ] {
        assert!(
            front.answer(&refused).is_none(),
            "{} {}",
            refused.method(),
            refused.uri()
        );
    }

    let etag = first
        .lines()
        .find_map(|line| line.strip_prefix("etag: "))
        .expect("an etag")
        .to_owned();
    let kinds = [
        String::new(),
        "Accept-Encoding: gzip\r\n".to_owned(),
        "Accept-Encoding: gzip, deflate, br\r\n".to_owned(),
        format!("If-None-Match: {etag}\r\n"),
    ];
    for extra in &kinds {
        // Through the router first (a query string it does not read: the same entry), which
        // also makes a compressed form the front then has.
        let routed = fetch(ask(&format!("{path}?utm=1"), extra)).await;
        let hits = app.state.metrics.page_cache_hits.get();
        let direct = fetch(ask(path, extra)).await;
        assert_eq!(app.state.metrics.page_cache_hits.get(), hits + 1, "{extra}");
        assert_eq!(head_of(&direct), head_of(&routed), "{extra}");
        assert_eq!(
            direct.split("\r\n\r\n").nth(1),
            routed.split("\r\n\r\n").nth(1),
            "{extra}"
        );
    }
    let (status, headers) = head_of(&fetch(ask(path, &kinds[3])).await);
    assert!(status.starts_with("HTTP/1.1 304"), "{status}");
    for name in [
        "etag:",
        "content-security-policy:",
        "x-content-type-options:",
        "vary:",
    ] {
        assert!(
            headers.iter().any(|h| h.starts_with(name)),
            "{name} {headers:?}"
        );
    }
    let head = fetch(format!(
        "HEAD {path} HTTP/1.1\r\nHost: pykb.test\r\nConnection: close\r\n\r\n"
    ))
    .await;
    let length = |answer: &str| {
        head_of(answer)
            .1
            .into_iter()
            .find(|h| h.starts_with("content-length:"))
    };
    assert_eq!(length(&head), length(&first));
    assert!(head.ends_with("\r\n\r\n"), "no body after a HEAD's headers");

    // Counted under the route, as a routed answer is.
    let metrics = app.get("/metrics").await.body;
    let served = metrics
        .lines()
        .find(|l| {
            l.starts_with("pykb_http_requests_total{")
                && l.contains("/q/{slug}")
                && l.contains("\"200\"")
        })
        .expect("the article route's 200s");
    let count: u64 = served.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 7, "{served}");

    // A save forgets it: the front has nothing until the router renders the new title.
    let mut draft = seed_draft("what-is-python-used-for");
    let (id, version) = app.id_and_version(draft.slug.as_str()).await;
    draft.title = "Where Python is used, retitled".into();
    app.save(Some(id), version, &draft).await;
    assert!(front.answer(&plain).is_none(), "forgotten by the save");
    let after = fetch(ask(path, "")).await;
    assert!(after.contains("Where Python is used, retitled"));
    let again = fetch(ask(path, "")).await;
    assert_eq!(
        again.split("\r\n\r\n").nth(1),
        after.split("\r\n\r\n").nth(1)
    );
}
