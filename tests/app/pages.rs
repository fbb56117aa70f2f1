//! The reader's pages: home, articles, tags, errors, assets, health.

use std::collections::{BTreeSet, HashSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pykb::db::articles;
use pykb::domain::{ArticleDraft, Difficulty, Kind, Slug, Status, TagName};

use crate::helpers::{TestApp, attrs, seed_entries, texts};

#[tokio::test]
async fn home_shows_each_topic_with_its_first_entries_and_a_way_to_every_entry() {
    let app = TestApp::new().await;
    let response = app.get("/").await;
    assert_eq!(response.status, StatusCode::OK);
    let html = response.html();

    let links = attrs(&html, "main section.topic a.entry-title", "href");
    let unique: HashSet<_> = links.iter().cloned().collect();
    assert_eq!(links.len(), unique.len(), "each entry appears once");
    let expected: HashSet<String> = seed_entries()
        .into_iter()
        .map(|(slug, _)| format!("/q/{slug}"))
        .collect();
    assert_eq!(
        expected.len(),
        crate::helpers::seed_count(),
        "every seed file is an entry"
    );
    assert!(unique.is_subset(&expected));
    // Every entry is on the home page or on the page of a topic it links to.
    let mut reachable = unique.clone();
    for topic in attrs(&html, "main section.topic p.more a", "href") {
        let page = app.get(&topic).await.html();
        reachable.extend(attrs(&page, "main a.entry-title", "href"));
    }
    assert_eq!(reachable, expected);
    // OOP has 14 questions as its main topic: the first 10 and a link to the rest.
    let oop = attrs(
        &html,
        "section.topic[aria-labelledby=topic-oop] a.entry-title",
        "href",
    );
    assert_eq!(oop.len(), 10);
    assert_eq!(
        attrs(
            &html,
            "section.topic[aria-labelledby=topic-oop] p.more a",
            "href"
        ),
        ["/tags/oop"]
    );

    let topics = texts(&html, "main section.topic h2");
    assert!(topics.contains(&"Start here".to_owned()), "{topics:?}");
    assert!(topics.contains(&"OOP".to_owned()), "{topics:?}");
    assert!(attrs(&html, "nav.topic-index a", "href").contains(&"/tags".to_owned()));
    assert_eq!(
        attrs(&html, "main form[role=search]", "action"),
        ["/search"]
    );
    assert_eq!(attrs(&html, "main form[role=search] input", "name"), ["q"]);
}

#[tokio::test]
async fn every_entry_has_a_page_with_its_title_as_the_only_h1() {
    let app = TestApp::new().await;
    for (slug, title) in seed_entries() {
        let response = app.get(&format!("/q/{slug}")).await;
        assert_eq!(response.status, StatusCode::OK, "/q/{slug}");
        let html = response.html();
        assert_eq!(
            texts(&html, "h1"),
            std::slice::from_ref(&title),
            "/q/{slug}"
        );
        assert_eq!(
            texts(&html, "title"),
            [format!("{title} · pykb")],
            "the title element names the page: /q/{slug}"
        );
        assert!(
            !texts(&html, ".lead").is_empty(),
            "summary shown on /q/{slug}"
        );
        assert!(
            !attrs(&html, "a.tag", "href").is_empty(),
            "tags on /q/{slug}"
        );
        assert_eq!(
            texts(&html, "time").len(),
            1,
            "last-updated date on /q/{slug}"
        );
        for id in attrs(&html, ".prose :is(h2, h3, h4)", "id") {
            assert_eq!(
                attrs(&html, &format!(".prose a.anchor[href='#{id}']"), "href").len(),
                1,
                "anchor for #{id}"
            );
        }
        assert!(
            attrs(&html, "[style]", "style").is_empty(),
            "no inline styles on /q/{slug}"
        );
    }
}

#[tokio::test]
async fn the_memory_article_ends_with_the_seed_list_of_questions_in_order() {
    let app = TestApp::new().await;
    let html = app.get("/q/releasing-memory-in-python").await.html();
    let listed = attrs(&html, "section[aria-labelledby=related-heading] a", "href");
    let seed = include_str!("../../content/releasing-memory-in-python.md");
    let draft = pykb::content::parse_document("releasing-memory-in-python.md", seed).unwrap();
    let expected: Vec<String> = draft.related.iter().map(|s| format!("/q/{s}")).collect();
    assert_eq!(listed.len(), 61);
    assert_eq!(listed, expected);
    assert_eq!(listed[0], "/q/python-interview-questions-part-2");
    assert_eq!(listed[1], "/q/python-interview-questions-part-3");
}

/// Follows every internal link and stylesheet from the home page; every one must answer 200.
#[tokio::test]
async fn every_internal_link_on_every_page_resolves() {
    let app = TestApp::new().await;
    let mut queue = VecDeque::from(["/".to_owned()]);
    let mut seen = BTreeSet::from(["/".to_owned()]);
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        let response = app.get(&path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        if !response.header("content-type").starts_with("text/html") {
            continue;
        }
        pages += 1;
        let html = response.html();
        let mut links = attrs(&html, "a[href]", "href");
        links.extend(attrs(&html, "link[href]", "href"));
        for href in links {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            assert!(
                href.starts_with('/') && !href.starts_with("//"),
                "relative link {href:?} on {path}"
            );
            let target = href.split('#').next().unwrap_or_default().to_owned();
            // The editors' "Edit this page" links lead to the sign-in page for a reader.
            if target.starts_with("/admin/") {
                continue;
            }
            if seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    assert!(
        pages > crate::helpers::seed_count(),
        "crawled the home page, every entry and the tag pages ({pages})"
    );
}

#[tokio::test]
async fn tag_pages_list_the_published_entries_with_the_tag() {
    let app = TestApp::new().await;
    let html = app.get("/tags/memory").await.html();
    assert_eq!(texts(&html, "h1"), ["Memory"]);
    let links = attrs(&html, "main a.entry-title", "href");
    assert!(
        links.contains(&"/q/releasing-memory-in-python".to_owned()),
        "{links:?}"
    );
    assert_eq!(
        app.get("/tags/no-such-tag").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unknown_pages_get_a_404_page_in_the_site_layout_with_a_search_box() {
    let app = TestApp::new().await;
    for path in ["/q/no-such-question", "/nothing/here", "/static/nope.css"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            response.header("content-type").starts_with("text/html"),
            "{path}"
        );
        let html = response.html();
        assert_eq!(texts(&html, "h1"), ["Page not found"], "{path}");
        assert!(
            !attrs(&html, "main form[action='/search'] input[name=q]", "name").is_empty(),
            "{path}"
        );
        assert_eq!(
            attrs(&html, "main a[href='/']", "href").len(),
            1,
            "a link home on {path}"
        );
    }
}

#[tokio::test]
async fn malformed_paths_get_our_400_page_not_a_plain_text_rejection() {
    let app = TestApp::new().await;
    let response = app.get("/q/%FF%FE").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.header("content-type").starts_with("text/html"));
    assert_eq!(texts(&response.html(), "h1"), ["Bad request"]);
}

#[tokio::test]
async fn drafts_are_not_shown_and_links_to_them_are_not_rendered() {
    let app = TestApp::new().await;
    let draft = ArticleDraft {
        slug: Slug::parse("unfinished-answer").unwrap(),
        title: "Unfinished answer".into(),
        summary: "Not ready.".into(),
        body: "Work in progress.".into(),
        kind: Kind::Question,
        difficulty: Difficulty::Beginner,
        status: Status::Draft,
        tags: vec![TagName::parse("memory").unwrap()],
        related: vec![],
        python: Default::default(),
    };
    app.save(None, 0, &draft).await;
    let mut tx = app.state.db.begin().await.unwrap();
    let (article_id, _) = articles::id_and_version(&mut tx, "releasing-memory-in-python")
        .await
        .unwrap()
        .unwrap();
    let related = ["unfinished-answer", "what-is-an-object-in-python"];
    articles::set_related(&mut tx, article_id, &related)
        .await
        .unwrap();
    // As every writer must after changing links (the save path does it in commit_revision).
    pykb::db::page_context::refresh_all(&mut tx).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(
        app.get("/q/unfinished-answer").await.status,
        StatusCode::NOT_FOUND
    );
    let home = app.get("/").await.body;
    assert!(!home.contains("unfinished-answer"));
    let tag_page = app.get("/tags/memory").await.body;
    assert!(!tag_page.contains("unfinished-answer"));
    let html = app.get("/q/releasing-memory-in-python").await.html();
    assert_eq!(
        attrs(&html, "section[aria-labelledby=related-heading] a", "href"),
        ["/q/what-is-an-object-in-python"]
    );
}

#[tokio::test]
async fn hostile_markup_in_a_body_renders_inert() {
    let app = TestApp::new().await;
    let body = "Hello <script>alert('x')</script>\n\n\
                [click](javascript:alert(1)) <a href=\"javascript:alert(2)\">raw</a>\n\n\
                <img src=x onerror=\"alert(3)\"> <div onmouseover=alert(4)>hover</div>\n\n\
                ```python\n</code></pre><script>alert(5)</script>\n```\n";
    let draft = ArticleDraft {
        slug: Slug::parse("hostile").unwrap(),
        title: "<script>alert('title')</script>".into(),
        summary: "\"><img src=x onerror=alert(6)>".into(),
        body: body.into(),
        kind: Kind::Question,
        difficulty: Difficulty::Beginner,
        status: Status::Published,
        tags: vec![TagName::parse("basics").unwrap()],
        related: vec![],
        python: Default::default(),
    };
    app.save(None, 0, &draft).await;

    for path in ["/q/hostile", "/", "/tags/basics"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        let html = response.html();
        assert!(
            texts(&html, "script:not([type=\"application/ld+json\"])")
                .iter()
                .all(|t| t.trim().is_empty()),
            "no inline script on {path}"
        );
        for src in attrs(&html, "script", "src") {
            assert!(
                src.starts_with("/static/"),
                "only our own scripts on {path}: {src}"
            );
        }
        assert!(
            attrs(&html, "[href^='javascript']", "href").is_empty(),
            "no javascript: links on {path}"
        );
        for attribute in ["onerror", "onmouseover", "onclick"] {
            assert!(
                attrs(&html, &format!("[{attribute}]"), attribute).is_empty(),
                "no {attribute} on {path}"
            );
        }
        assert!(
            attrs(&html, "img", "src").is_empty(),
            "no injected images on {path}"
        );
    }
    let html = app.get("/q/hostile").await.html();
    assert_eq!(
        texts(&html, "h1"),
        ["<script>alert('title')</script>"],
        "the title is shown as text"
    );
}

#[tokio::test]
async fn static_assets_are_embedded_hashed_and_cached() {
    let app = TestApp::new().await;
    let html = app.get("/").await.html();
    let stylesheets = attrs(&html, "link[rel=stylesheet]", "href");
    assert_eq!(stylesheets.len(), 2);
    for href in &stylesheets {
        assert!(
            href.starts_with("/static/") && href.matches('.').count() == 2,
            "content-hashed: {href}"
        );
        let response = app.get(href).await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.header("content-type"), "text/css; charset=utf-8");
        assert!(
            response.header("cache-control").contains("immutable"),
            "{href}"
        );
        assert!(!response.body.is_empty());
    }
    let plain = app.get("/static/style.css").await;
    assert_eq!(plain.status, StatusCode::OK);
    let etag = plain.header("etag").to_owned();
    assert!(!etag.is_empty());
    let request = Request::get("/static/style.css")
        .header("if-none-match", &etag)
        .body(Body::empty())
        .unwrap();
    let revalidated = app.request(request).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/q/nope",
        "/api/articles/nope",
        "/static/nope.css",
        "/feed.xml",
        "/search?q=%ff%fe",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            response.header("content-security-policy"),
            "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            "{path}"
        );
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            response.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(
            response.header("cross-origin-opener-policy"),
            "same-origin",
            "{path}"
        );
        assert_eq!(
            response.header("strict-transport-security"),
            "",
            "not over http"
        );
    }
    let https = TestApp::with_config(|c| c.base_url = "https://kb.example".to_owned()).await;
    assert!(
        https
            .get("/q/nope")
            .await
            .header("strict-transport-security")
            .starts_with("max-age=")
    );
}

#[tokio::test]
async fn healthz_answers_once_the_database_does() {
    let app = TestApp::new().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["status"], "ok");

    assert_eq!(body["index"], "ok");
    assert_eq!(body["index_lag"], 0);
    let backend = if crate::helpers::on_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["backend"], backend, "which database this node runs on");

    app.state.db.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["status"], "unavailable");
}

#[tokio::test]
async fn healthz_is_unavailable_while_the_index_lags_behind() {
    let app = TestApp::new().await;
    let mut conn = app.state.db.acquire().await.unwrap();
    pykb::db::outbox::record(&mut conn, 1, pykb::db::now(), "", "")
        .await
        .unwrap();
    drop(conn);
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["index_lag"], 1);
    assert!(
        body["problems"][0]
            .as_str()
            .unwrap()
            .contains("1 change(s) behind"),
        "{body}"
    );

    app.state.search.catch_up(&app.state.db).await.unwrap();
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_api_routes_answer_json() {
    let app = TestApp::new().await;
    for path in ["/api/nope", "/api/articles/x/y/z", "/api"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            response.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{path}"
        );
        let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(body["error"]["status"], 404, "{path}");
    }
}

#[tokio::test]
async fn canonical_links_use_the_configured_base_url() {
    let app = TestApp::new().await;
    let request = Request::get("/q/python-inheritance")
        .header("host", "evil.example")
        .body(Body::empty())
        .unwrap();
    let html = app.request(request).await.html();
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        ["http://pykb.test/q/python-inheritance"]
    );
}

#[tokio::test]
async fn metrics_are_off_by_default_and_count_routes_searches_and_lag() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);

    let app = TestApp::with_config(|c| c.metrics = true).await;
    app.get("/q/what-is-python-used-for").await;
    app.get("/q/what-is-python-used-for").await;
    app.get("/q/no-such-entry").await;
    app.get("/no/such/path").await;
    app.get("/search?q=generator").await;
    app.get("/api/search?q=zzqqxxnothing").await;
    // The same search again is answered by the results memo.
    app.get("/api/search?q=generator").await;
    app.get("/api/search?q=generator").await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics
            .header("content-type")
            .starts_with("text/plain; version=0.0.4")
    );
    let text = metrics.body;
    for line in [
        "pykb_http_requests_total{route=\"/q/{slug}\",status=\"200\"} 2",
        "pykb_http_requests_total{route=\"/q/{slug}\",status=\"404\"} 1",
        "pykb_http_requests_total{route=\"unmatched\",status=\"404\"} 1",
        "pykb_http_request_duration_seconds_count{route=\"/q/{slug}\"} 3",
        "pykb_http_request_duration_seconds_bucket{route=\"/q/{slug}\",le=\"+Inf\"} 3",
        "pykb_search_queries_total 4",
        "pykb_search_zero_results_total 1",
        "pykb_index_lag 0",
        &format!("pykb_index_documents {}", crate::helpers::seed_count()),
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in:\n{text}"
        );
    }
    let value = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
    };
    assert!(value("pykb_search_memo_hits_total") >= 1);
    assert!(value("pykb_search_memo_misses_total") >= 1);
    assert!(value("pykb_search_memo_entries") >= 1);
    value("pykb_similar_memo_hits_total");
    assert!(
        value("pykb_similar_memo_entries") >= 1,
        "the article's list is held"
    );
    assert!(
        !text.contains("no/such/path"),
        "raw paths never become labels"
    );
}

#[tokio::test]
async fn big_topics_come_in_pages_and_the_api_in_pages_with_a_cursor() {
    let app = TestApp::new().await;
    for n in 0..60 {
        let draft = ArticleDraft {
            slug: Slug::parse(&format!("bulk-question-{n:02}")).unwrap(),
            title: format!("Bulk question {n:02}"),
            summary: "One of many.".into(),
            body: "An answer.\n".into(),
            kind: Kind::Question,
            difficulty: if n % 3 == 0 {
                Difficulty::Beginner
            } else {
                Difficulty::Advanced
            },
            status: Status::Published,
            tags: vec![TagName::parse("bulk").unwrap()],
            related: vec![],
            python: Default::default(),
        };
        app.save(None, 0, &draft).await;
    }
    let home = app.get("/").await;
    let html = home.html();
    let bulk = "section.topic[aria-labelledby=topic-bulk]";
    assert_eq!(
        attrs(&html, &format!("{bulk} a.entry-title"), "href").len(),
        10
    );
    assert_eq!(
        texts(&html, &format!("{bulk} p.more a")),
        ["All 60 entries on Bulk"]
    );

    let first = app.get("/tags/bulk").await.html();
    assert_eq!(attrs(&first, "main a.entry-title", "href").len(), 50);
    assert_eq!(
        attrs(&first, "link[rel=next]", "href"),
        ["/tags/bulk?page=2"]
    );
    assert!(attrs(&first, "link[rel=prev]", "href").is_empty());
    assert_eq!(
        attrs(&first, "nav.pager a[rel=next]", "href"),
        ["/tags/bulk?page=2"]
    );
    let second = app.get("/tags/bulk?page=2").await.html();
    assert_eq!(attrs(&second, "main a.entry-title", "href").len(), 10);
    assert_eq!(attrs(&second, "link[rel=prev]", "href"), ["/tags/bulk"]);
    assert!(attrs(&second, "link[rel=next]", "href").is_empty());
    let mut all: Vec<String> = attrs(&first, "main a.entry-title", "href");
    all.extend(attrs(&second, "main a.entry-title", "href"));
    assert_eq!(
        all.iter().collect::<HashSet<_>>().len(),
        60,
        "no entry twice"
    );
    assert_eq!(
        app.get("/tags/bulk?page=3").await.status,
        StatusCode::NOT_FOUND
    );
    for bad in ["0", "x", "-1"] {
        let response = app.get(&format!("/tags/bulk?page={bad}")).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // The filter is kept across pages: 20 beginner questions fit on one.
    let beginners = app.get("/tags/bulk?difficulty=beginner").await.html();
    assert_eq!(attrs(&beginners, "main a.entry-title", "href").len(), 20);
    assert!(attrs(&beginners, "nav.pager a", "href").is_empty());
    let advanced = app
        .get("/tags/bulk?difficulty=advanced&page=1")
        .await
        .html();
    assert_eq!(attrs(&advanced, "main a.entry-title", "href").len(), 40);

    let topics = app.get("/tags").await.html();
    let listed = texts(&topics, "ul.topic-list li");
    assert!(listed.iter().any(|t| t == "Bulk 60"), "{listed:?}");
    assert!(listed.iter().any(|t| t.starts_with("OOP ")), "{listed:?}");

    // The API in pages of 25, following `next` to the end: every article once, by title.
    let mut url = "/api/articles?limit=25".to_owned();
    let mut titles = Vec::new();
    let mut pages = 0;
    loop {
        let response = app.get(&url).await;
        assert_eq!(response.status, StatusCode::OK, "{url}");
        let json: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        let articles = json["articles"].as_array().unwrap();
        assert!(articles.len() <= 25);
        titles.extend(
            articles
                .iter()
                .map(|a| a["title"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match json["next"].as_str() {
            Some(next) => url = next.trim_start_matches(crate::helpers::BASE_URL).to_owned(),
            None => break,
        }
    }
    let all = crate::helpers::seed_count() + 60;
    assert_eq!(pages, all.div_ceil(25));
    assert_eq!(titles.len(), all);
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| t.to_ascii_lowercase());
    assert_eq!(titles, sorted);
    let default: serde_json::Value =
        serde_json::from_str(&app.get("/api/articles").await.body).unwrap();
    assert_eq!(default["articles"].as_array().unwrap().len(), 100);
    assert!(
        default["next"]
            .as_str()
            .unwrap()
            .starts_with("http://pykb.test/api/articles?limit=100&cursor=")
    );
    for bad in ["limit=0", "limit=1001", "limit=x", "cursor=abc"] {
        let response = app.get(&format!("/api/articles?{bad}")).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(response.header("content-type").contains("json"), "{bad}");
    }
}
