//! What readers and their tools get besides the pages themselves: tables of contents,
//! neighbours and "more like this", metadata for search engines and link previews, the
//! sitemap, robots.txt, Atom feeds and the read-only JSON API.

use axum::http::StatusCode;
use pykb::domain::{ArticleDraft, Difficulty, Kind, Slug, Status, TagName};

use crate::helpers::{BASE_URL, TestApp, attrs, texts};

fn draft(slug: &str, title: &str, status: Status) -> ArticleDraft {
    ArticleDraft {
        slug: Slug::parse(slug).unwrap(),
        title: title.to_owned(),
        summary: format!("Summary of {title}."),
        body: format!("Body of {title}."),
        kind: Kind::Question,
        difficulty: Difficulty::Beginner,
        status,
        tags: vec![TagName::parse("memory").unwrap()],
        related: vec![],
        python: Default::default(),
    }
}

#[tokio::test]
async fn long_answers_get_a_table_of_contents_and_code_blocks_get_anchors() {
    let app = TestApp::new().await;
    let html = app
        .get("/q/how-do-you-debug-a-program-in-python")
        .await
        .html();
    let toc = attrs(&html, ".toc a", "href");
    assert!(toc.len() >= 3, "{toc:?}");
    for href in &toc {
        let id = href.trim_start_matches('#');
        assert_eq!(
            attrs(&html, &format!(".prose [id='{id}']"), "id").len(),
            1,
            "{href} points at a heading"
        );
    }
    let blocks = attrs(&html, ".prose .code-block", "id");
    assert!(!blocks.is_empty());
    assert_eq!(blocks[0], "code-1");
    assert_eq!(
        attrs(&html, ".prose #code-1 a.code-anchor", "href"),
        ["#code-1"]
    );
    // A short answer has no table of contents.
    let mut short = draft("short-one", "Short one", Status::Published);
    short.body = "Intro.\n\n## One\n\nText.\n\n## Two\n\nText.\n".to_owned();
    app.save(None, 0, &short).await;
    let short = app.get("/q/short-one").await.html();
    assert!(attrs(&short, ".toc a", "href").is_empty());
}

#[tokio::test]
async fn questions_link_to_their_neighbours_and_similar_questions() {
    let app = TestApp::new().await;
    let tag_page = app.get("/tags/oop").await.html();
    let order = seed_questions_in(&tag_page);
    assert!(order.len() >= 3, "{order:?}");
    let middle = app.get(&order[1]).await.html();
    assert_eq!(
        attrs(&middle, "nav.pager a[rel=prev]", "href"),
        [order[0].clone()]
    );
    assert_eq!(
        attrs(&middle, "nav.pager a[rel=next]", "href"),
        [order[2].clone()]
    );
    let first = app.get(&order[0]).await.html();
    assert!(attrs(&first, "nav.pager a[rel=prev]", "href").is_empty());
    assert!(neighbours_follow_the_topic_page(&app, "oop").await >= 3);
    // Writes keep them current: with one question gone, its neighbours meet.
    let (id, _) = app.id_and_version(order[1].trim_start_matches("/q/")).await;
    let admin = pykb::db::users::by_name(&mut app.state.db.acquire().await.unwrap(), "admin")
        .await
        .unwrap()
        .unwrap();
    pykb::editing::move_to_trash(app.state.stores(), id, admin.id)
        .await
        .unwrap();
    assert_eq!(
        attrs(
            &app.get(&order[0]).await.html(),
            "nav.pager a[rel=next]",
            "href"
        ),
        [order[2].clone()]
    );
    assert!(neighbours_follow_the_topic_page(&app, "oop").await >= 3);

    // "More like this" comes from the index, never repeats the page or its related list.
    let page = app.get("/q/what-are-metaclasses-in-python").await.html();
    let more = attrs(&page, ".more-like-this a", "href");
    let related = attrs(&page, "section[aria-labelledby=related-heading] a", "href");
    assert!(!more.is_empty(), "similar questions are found");
    assert!(!more.contains(&"/q/what-are-metaclasses-in-python".to_owned()));
    assert!(
        more.iter().all(|m| !related.contains(m)),
        "{more:?} {related:?}"
    );
    // The second view reads what the first one asked the index, and agrees with it.
    let again = app.get("/q/what-are-metaclasses-in-python").await.html();
    assert_eq!(attrs(&again, ".more-like-this a", "href"), more);

    // An entry moved to the trash leaves every list at once.
    let gone = more[0].trim_start_matches("/q/");
    let (id, _) = app.id_and_version(gone).await;
    pykb::editing::move_to_trash(app.state.stores(), id, admin.id)
        .await
        .unwrap();
    let after = app.get("/q/what-are-metaclasses-in-python").await.html();
    let more_after = attrs(&after, ".more-like-this a", "href");
    assert!(!more_after.contains(&more[0]), "{more_after:?}");
    assert!(!more_after.is_empty());
}

/// The seed questions a topic page lists, in its order. Neighbours are questions: the articles
/// and collections a topic lists are not among them.
fn seed_questions_in(tag_page: &scraper::Html) -> Vec<String> {
    let questions: std::collections::HashSet<String> = pykb::content::seed_files()
        .iter()
        .filter_map(|(file, text)| pykb::content::parse_document(file, text).ok())
        .filter(|d| d.kind == pykb::domain::Kind::Question)
        .map(|d| format!("/q/{}", d.slug))
        .collect();
    let mut order = attrs(tag_page, "a.entry-title", "href");
    order.retain(|href| questions.contains(href));
    order
}

/// Checks that every question whose main topic is `tag` sits between its neighbours on the
/// topic's page; returns how many it checked.
async fn neighbours_follow_the_topic_page(app: &TestApp, tag: &str) -> usize {
    // Every question whose main topic this is sits between its neighbours on the topic page.
    let tag_page = app.get(&format!("/tags/{tag}")).await.html();
    let order = seed_questions_in(&tag_page);
    let label = texts(&tag_page, "h1").concat();
    let pager = format!("nav.pager[aria-label=\"More in {label}\"]");
    let mut checked = 0;
    for (at, path) in order.iter().enumerate() {
        let page = app.get(path).await.html();
        if attrs(&page, &pager, "aria-label").is_empty() {
            continue; // listed here, but its main topic is another one
        }
        let expected = |i: Option<usize>| i.and_then(|i| order.get(i)).cloned();
        let neighbour = |rel: &str| {
            attrs(&page, &format!("{pager} a[rel={rel}]"), "href")
                .first()
                .cloned()
        };
        assert_eq!(neighbour("prev"), expected(at.checked_sub(1)), "{path}");
        assert_eq!(neighbour("next"), expected(Some(at + 1)), "{path}");
        checked += 1;
    }
    checked
}

#[tokio::test]
async fn tag_pages_filter_by_difficulty() {
    let app = TestApp::new().await;
    let all = app.get("/tags/basics").await.html();
    let every = attrs(&all, "a.entry-title", "href");
    let filters = texts(&all, "nav.filter-bar a");
    assert!(
        filters.iter().any(|f| f.starts_with("Beginner")),
        "{filters:?}"
    );
    let beginners = app.get("/tags/basics?difficulty=beginner").await.html();
    let some = attrs(&beginners, "a.entry-title", "href");
    assert!(!some.is_empty() && some.len() < every.len(), "{some:?}");
    assert!(
        texts(&beginners, ".entry-list .badge")
            .iter()
            .all(|b| b == "Beginner")
    );
    assert_eq!(
        texts(&beginners, "nav.filter-bar a[aria-current=page]")[0]
            .split_whitespace()
            .next(),
        Some("Beginner")
    );
    assert_eq!(
        app.get("/tags/basics?difficulty=expert").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn pages_carry_canonical_and_opengraph_metadata_from_the_base_url() {
    let app = TestApp::new().await;
    for (path, canonical) in [
        ("/", format!("{BASE_URL}/")),
        (
            "/q/what-is-python-used-for",
            format!("{BASE_URL}/q/what-is-python-used-for"),
        ),
        ("/tags/memory", format!("{BASE_URL}/tags/memory")),
        ("/search?q=gil", format!("{BASE_URL}/search?q=gil")),
    ] {
        let request = axum::http::Request::get(path)
            .header("host", "evil.example")
            .body(axum::body::Body::empty())
            .unwrap();
        let html = app.request(request).await.html();
        assert_eq!(
            attrs(&html, "link[rel=canonical]", "href"),
            std::slice::from_ref(&canonical),
            "{path}"
        );
        assert_eq!(
            attrs(&html, "meta[property='og:url']", "content"),
            [canonical],
            "{path}"
        );
        let description = attrs(&html, "meta[name=description]", "content");
        assert!(!description[0].is_empty(), "{path}");
        assert_eq!(
            attrs(&html, "meta[property='og:description']", "content"),
            description,
            "{path}"
        );
        assert_eq!(
            attrs(&html, "meta[property='og:title']", "content").len(),
            1
        );
        assert_eq!(
            attrs(
                &html,
                "link[rel=alternate][type='application/atom+xml']",
                "href"
            )[0],
            "/feed.xml"
        );
    }
}

#[tokio::test]
async fn question_pages_have_qapage_data_that_cannot_break_out() {
    let app = TestApp::new().await;
    let mut hostile = draft(
        "json-ld",
        "Is </script><script>alert(1)</script> & safe?",
        Status::Published,
    );
    hostile.body = "Yes: a < b && c > d </script>".to_owned();
    app.save(None, 0, &hostile).await;
    let page = app.get("/q/json-ld").await;
    let html = page.html();
    let data = texts(&html, "script[type='application/ld+json']");
    assert_eq!(data.len(), 1);
    assert!(!data[0].contains('<') && !data[0].contains('>') && !data[0].contains('&'));
    let json: serde_json::Value = serde_json::from_str(&data[0]).unwrap();
    assert_eq!(json["@type"], "QAPage");
    assert_eq!(json["mainEntity"]["name"], hostile.title);
    assert_eq!(
        json["mainEntity"]["acceptedAnswer"]["url"],
        format!("{BASE_URL}/q/json-ld")
    );
    assert!(
        json["mainEntity"]["acceptedAnswer"]["text"]
            .as_str()
            .unwrap()
            .contains("a < b && c > d")
    );
    // The article (not a question) has none.
    let article = app.get("/q/releasing-memory-in-python").await.html();
    assert!(texts(&article, "script[type='application/ld+json']").is_empty());
}

#[tokio::test]
async fn the_sitemap_and_robots_list_only_what_readers_may_see() {
    let app = TestApp::new().await;
    app.save(
        None,
        0,
        &draft("secret-draft", "Secret draft", Status::Draft),
    )
    .await;
    let sitemap = app.get("/sitemap.xml").await;
    assert_eq!(sitemap.status, StatusCode::OK);
    assert!(
        sitemap
            .header("content-type")
            .starts_with("application/xml")
    );
    let xml = sitemap.html();
    let locs = texts(&xml, "url loc");
    assert!(locs.contains(&format!("{BASE_URL}/q/what-is-python-used-for")));
    assert!(locs.contains(&format!("{BASE_URL}/tags/memory")));
    assert!(locs.contains(&format!("{BASE_URL}/")));
    assert!(!locs.iter().any(|l| l.contains("secret-draft")));
    assert_eq!(locs.len(), texts(&xml, "url lastmod").len());
    assert!(
        texts(&xml, "url lastmod")
            .iter()
            .all(|d| d.len() == 10 && d.starts_with("20"))
    );

    let robots = app.get("/robots.txt").await;
    assert!(robots.body.contains("Disallow: /admin\n"));
    assert!(
        robots
            .body
            .contains(&format!("Sitemap: {BASE_URL}/sitemap.xml"))
    );
}

#[tokio::test]
async fn feeds_list_new_and_updated_articles_newest_first() {
    let app = TestApp::new().await;
    let mut fresh = draft(
        "fresh-question",
        "Fresh <question> & answer",
        Status::Published,
    );
    fresh.body =
        "See [PEP 8](/q/what-is-python-used-for) and [the draft](/q/secret-draft).".to_owned();
    app.save(
        None,
        0,
        &draft("secret-draft", "Secret draft", Status::Draft),
    )
    .await;
    // Saved a second later than the seed import, so it is the newest.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.save(None, 0, &fresh).await;

    let feed = app.get("/feed.xml").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.header("content-type")
            .starts_with("application/atom+xml")
    );
    assert!(feed.body.starts_with("<?xml"));
    let xml = feed.html();
    let ids = texts(&xml, "entry > id");
    assert_eq!(ids[0], format!("{BASE_URL}/q/fresh-question"));
    assert!(!ids.iter().any(|id| id.contains("secret-draft")));
    assert_eq!(texts(&xml, "entry > title")[0], "Fresh <question> & answer");
    assert!(
        feed.body
            .contains("<title>Fresh &#60;question&#62; &#38; answer</title>"),
        "{}",
        &feed.body[..600]
    );
    // The content is escaped HTML; the link to the draft is plain text there too.
    let content = &texts(&xml, "entry > content")[0];
    assert!(
        content.contains("<a href=\"/q/what-is-python-used-for\""),
        "{content}"
    );
    assert!(!content.contains("/q/secret-draft"), "{content}");

    let tag_feed = app.get("/tags/memory/feed.xml").await;
    assert_eq!(tag_feed.status, StatusCode::OK);
    let tag_ids = texts(&tag_feed.html(), "entry > id");
    assert!(tag_ids.contains(&format!("{BASE_URL}/q/releasing-memory-in-python")));
    assert!(
        !tag_ids.contains(&format!("{BASE_URL}/q/what-is-python-used-for")),
        "another topic"
    );
    assert_eq!(
        app.get("/tags/no-such-tag/feed.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_json_api_lists_published_articles_and_serves_one_with_its_html() {
    let app = TestApp::new().await;
    app.save(
        None,
        0,
        &draft("secret-draft", "Secret draft", Status::Draft),
    )
    .await;
    let list = app.get("/api/articles").await;
    assert_eq!(list.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let articles = json["articles"].as_array().unwrap();
    assert_eq!(articles.len(), crate::helpers::seed_count());
    assert!(articles.iter().all(|a| a["slug"] != "secret-draft"));
    let pep8 = articles
        .iter()
        .find(|a| a["slug"] == "what-is-python-used-for")
        .unwrap();
    for field in [
        "slug",
        "title",
        "kind",
        "summary",
        "tags",
        "difficulty",
        "updated",
    ] {
        assert!(!pep8[field].is_null(), "{field}");
    }
    assert!(pep8["updated"].as_str().unwrap().ends_with('Z'));
    assert!(pep8.get("body").is_none(), "the list has no bodies");

    let one = app.get("/api/articles/what-is-python-used-for").await;
    assert_eq!(one.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&one.body).unwrap();
    assert_eq!(json["title"], pep8["title"]);
    assert!(!json["body"].as_str().unwrap().is_empty());
    assert!(json["html"].as_str().unwrap().starts_with('<'));
    for missing in ["/api/articles/secret-draft", "/api/articles/nope"] {
        let response = app.get(missing).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(
            response
                .header("content-type")
                .starts_with("application/json")
        );
    }
}
