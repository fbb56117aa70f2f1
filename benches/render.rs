//! Criterion benchmarks of the functions every page and search leans on: Markdown rendering
//! (done at save time), the outline and headings, the one query behind an article page and the
//! whole uncached page through the router, and searches through the real index over the seed
//! content. `cargo bench --bench render`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pykb::search::SearchRequest;
use pykb::{AppState, Config};

/// The longest seed body: the worst case the site serves today.
fn longest_body() -> String {
    pykb::content::seed_files()
        .iter()
        .map(|(name, text)| {
            pykb::content::parse_document(name, text)
                .expect("seed parses")
                .body
        })
        .max_by_key(String::len)
        .unwrap_or_default()
}

fn rendering(c: &mut Criterion) {
    let body = longest_body();
    c.bench_function("render_markdown (longest seed body)", |b| {
        b.iter(|| pykb::render::render_markdown(black_box(&body)))
    });
    c.bench_function("outline (longest seed body)", |b| {
        b.iter(|| pykb::render::outline(black_box(&body)))
    });
    c.bench_function("headings (longest seed body)", |b| {
        b.iter(|| pykb::render::headings(black_box(&body)))
    });
}

/// The site over the seed content in a temporary directory, its index open; `change` adjusts
/// the configuration first. The directory lives as long as the returned guard.
fn seeded_app(
    runtime: &tokio::runtime::Runtime,
    change: impl FnOnce(&mut Config),
) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut config = Config::local(dir.path().to_path_buf(), "http://bench");
    change(&mut config);
    let state = runtime.block_on(async {
        let state = AppState::open(config).await.expect("the app opens");
        state.search.wait_ready().await;
        state
    });
    (dir, state)
}

fn searching(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    // Every iteration asks the same question: without this the memo would answer them all.
    let (_dir, state) = seeded_app(&runtime, |config| config.search_cache = false);
    for query in [
        "tuple vs list",
        "garbage collection",
        "__init__.py",
        "genertor",
    ] {
        c.bench_function(&format!("search {query:?}"), |b| {
            b.iter(|| {
                let request = SearchRequest {
                    query: query.to_owned(),
                    limit: 10,
                    correct: true,
                    ..SearchRequest::default()
                };
                runtime
                    .block_on(state.search.search(request))
                    .expect("the search runs")
            })
        });
    }
}

/// A question in a large topic, with related questions: the heaviest page query.
const QUESTION: &str = "what-are-metaclasses-in-python";

fn pages(c: &mut Criterion) {
    use tower::ServiceExt;

    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (_dir, state) = seeded_app(&runtime, |config| config.page_cache = false);
    c.bench_function("page query (a question)", |b| {
        b.iter(|| {
            runtime
                .block_on(pykb::db::articles::published_page(
                    &state.db, QUESTION, "[]",
                ))
                .expect("the query runs")
        })
    });
    let router = pykb::app(state.clone());
    c.bench_function("article page, uncached, through the router", |b| {
        b.iter(|| {
            let request = axum::http::Request::get(format!("/q/{QUESTION}"))
                .body(axum::body::Body::empty())
                .expect("a request");
            let response = runtime
                .block_on(router.clone().oneshot(request))
                .expect("a response");
            assert_eq!(response.status(), 200);
            runtime
                .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
                .expect("the body")
        })
    });
}

criterion_group!(benches, rendering, pages, searching);
criterion_main!(benches);
