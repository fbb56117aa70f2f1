//! Limits that keep the server up under hostile or broken clients: body size, request time,
//! slow headers, wrong methods, and paths that try to leave the static assets.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{Client, TestApp, texts};

#[tokio::test]
async fn a_body_over_one_mebibyte_is_a_413_page_not_a_crash() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    let huge = "x".repeat((1 << 20) + 1);
    let response = client
        .post(
            "/admin/articles",
            &[("title", "Huge"), ("body", &huge), ("csrf_token", "x")],
        )
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(texts(&response.html(), "p.lead").concat().contains("1 MiB"));
    assert_eq!(app.get("/q/huge").await.status, StatusCode::NOT_FOUND);
    // The server is fine afterwards.
    assert_eq!(app.get("/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_request_over_the_time_limit_gets_408() {
    let app = TestApp::with_config(|c| c.request_timeout = Duration::from_millis(50)).await;
    // Routes that take longer than the limit, under the site's exact layer stack.
    let slow = || async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "too late"
    };
    let routes = axum::Router::new()
        .route("/slow", axum::routing::get(slow))
        .route("/api/slow", axum::routing::get(slow));
    let router = pykb::app::with_layers(routes, app.state.clone());
    let send = |uri: &'static str| {
        let router = router.clone();
        async move {
            use tower::ServiceExt;
            let response = router
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = response.status();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let (status, body) = send("/slow").await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert!(
        texts(&scraper::Html::parse_document(&body), "h1")
            .concat()
            .contains("timed out")
    );
    let (status, body) = send("/api/slow").await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"]["status"], 408);
    // Ordinary pages are well inside the limit.
    assert_eq!(
        app.get("/q/what-is-python-used-for").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_wrong_method_gets_405_with_allow() {
    let app = TestApp::new().await;
    for (method, path) in [
        ("DELETE", "/"),
        ("POST", "/q/what-is-python-used-for"),
        ("PUT", "/admin/login"),
    ] {
        let response = app
            .request(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert!(
            response.header("allow").contains("GET"),
            "{method} {path}: {:?}",
            response.headers
        );
        assert_eq!(texts(&response.html(), "h1"), ["Method not allowed"]);
        assert!(!response.header("content-security-policy").is_empty());
    }
}

#[tokio::test]
async fn static_paths_cannot_reach_outside_the_assets() {
    let app = TestApp::new().await;
    for path in [
        "/static/../Cargo.toml",
        "/static/..%2fCargo.toml",
        "/static/..%2F..%2FCargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/.env",
        "/static/.%2e/src/main.rs",
        "/static/style.css%00.txt",
        "/static/%2fetc%2fpasswd",
        "/static/..\\\\Cargo.toml",
    ] {
        let response = app.get(path).await;
        assert!(
            matches!(
                response.status,
                StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST
            ),
            "{path}: {}",
            response.status
        );
        assert!(
            !response.body.contains("[package]") && !response.body.contains("root:"),
            "{path}"
        );
    }
    assert_eq!(app.get("/static/style.css").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_client_dribbling_headers_is_cut_off_while_others_are_served() {
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(pykb::server::run(
        listener,
        router,
        None,
        Duration::from_millis(300),
        std::future::pending(),
    ));

    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: pykb.test\r\n")
        .await
        .unwrap();

    // Meanwhile a normal client is answered.
    let mut quick = tokio::net::TcpStream::connect(addr).await.unwrap();
    quick
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: pykb.test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    quick.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // The slow one never finished its headers: the server closes it.
    let mut buffer = [0_u8; 1024];
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match slow.read(&mut buffer).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert_eq!(closed, Ok(true), "the connection was closed");
}

#[tokio::test]
async fn a_panicking_handler_gets_the_500_page_and_the_server_goes_on() {
    let app = TestApp::new().await;
    // A route of our own under the site's exact layer stack.
    let routes = axum::Router::new().route(
        "/boom",
        axum::routing::get(|| async {
            if std::hint::black_box(true) {
                panic!("deliberate test panic");
            }
            "unreachable"
        }),
    );
    let router = pykb::app::with_layers(routes, app.state.clone());
    let send = |uri: &str| {
        let router = router.clone();
        let request = Request::get(uri).body(Body::empty()).unwrap();
        async move {
            use tower::ServiceExt;
            router.oneshot(request).await.unwrap()
        }
    };
    let response = send("/boom").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.headers().contains_key("content-security-policy"));
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let html = scraper::Html::parse_document(&String::from_utf8_lossy(&body));
    assert_eq!(texts(&html, "h1"), ["Something went wrong"]);
    assert!(
        !String::from_utf8_lossy(&body).contains("deliberate"),
        "no internals shown"
    );
    // The same service keeps answering.
    assert_eq!(
        send("/boom").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(app.get("/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn searches_past_the_queue_cap_get_503_with_retry_after() {
    let app = TestApp::with_config(|c| c.search_queue = 0).await;
    let page = app.get("/search?q=generator").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.header("retry-after"), "5");
    let api = app.get("/api/search?q=generator").await;
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["error"]["status"], 503);
    // Reading pages does not queue behind search.
    assert_eq!(
        app.get("/q/what-is-python-used-for").await.status,
        StatusCode::OK
    );
}
