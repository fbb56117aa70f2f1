//! Finding one's way: breadcrumbs, topics from home, canonical addresses, one search box per
//! page, and the editors' "Edit this page" link that keeps public pages the same for everyone.

use axum::http::StatusCode;

use crate::helpers::{Client, TestApp, attrs, texts};

#[tokio::test]
async fn an_article_has_a_breadcrumb_a_way_back_up_and_a_hidden_edit_link() {
    let app = TestApp::new().await;
    let page = app.get("/q/what-are-metaclasses-in-python").await.html();
    let crumbs = "nav[aria-label=Breadcrumb] ol[itemtype='https://schema.org/BreadcrumbList']";
    assert_eq!(
        attrs(&page, &format!("{crumbs} a[itemprop=item]"), "href"),
        ["/", "/tags/oop"]
    );
    assert_eq!(
        texts(
            &page,
            &format!("{crumbs} [aria-current=page] [itemprop=name]")
        ),
        ["What are metaclasses in Python?"]
    );
    assert_eq!(
        attrs(
            &page,
            &format!("{crumbs} meta[itemprop=position]"),
            "content"
        ),
        ["1", "2", "3"]
    );
    assert_eq!(attrs(&page, ".back-to-top a", "href"), ["#main"]);
    let (id, _) = app.id_and_version("what-are-metaclasses-in-python").await;
    let edit = attrs(&page, "a[data-edit-link][hidden]", "href");
    assert_eq!(edit, [format!("/admin/articles/{id}/edit")]);
}

#[tokio::test]
async fn signing_in_sets_the_marker_that_shows_the_edit_link_and_signing_out_clears_it() {
    let app = TestApp::new().await;
    let mut client = Client::new(&app);
    client.get("/admin/login").await;
    let signed_in = client
        .post(
            "/admin/login",
            &[
                ("username", "admin"),
                ("password", crate::helpers::ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let marker = set_cookie(&signed_in, "pykb_editor=");
    assert!(
        marker.starts_with("pykb_editor=1;") && !marker.contains("HttpOnly"),
        "readable by the page's script: {marker}"
    );
    // The public page is the same whoever asks: the link is revealed in the browser.
    let anonymous = app.get("/q/what-are-metaclasses-in-python").await.body;
    let signed = client.get("/q/what-are-metaclasses-in-python").await.body;
    assert_eq!(anonymous, signed);
    client.get("/admin").await;
    let out = client.post("/admin/logout", &[]).await;
    assert!(set_cookie(&out, "pykb_editor=").contains("Max-Age=0"));
}

fn set_cookie(response: &crate::helpers::TestResponse, prefix: &str) -> String {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} cookie"))
        .to_owned()
}

#[tokio::test]
async fn a_trailing_slash_or_capitals_lead_to_the_canonical_address() {
    let app = TestApp::new().await;
    for path in [
        "/q/what-are-metaclasses-in-python/",
        "/q/What-Are-Metaclasses-In-Python",
        "/q/WHAT-ARE-METACLASSES-IN-PYTHON/",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::MOVED_PERMANENTLY, "{path}");
        assert_eq!(
            response.header("location"),
            "/q/what-are-metaclasses-in-python",
            "{path}"
        );
    }
    assert_eq!(
        app.get("/q/not%20a%20slug/").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_page_has_one_search_box_and_home_links_every_topic() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/search?q=yield",
        "/q/what-are-metaclasses-in-python",
        "/tags",
        "/no-such-page",
    ] {
        let html = app.get(path).await.html();
        assert_eq!(
            attrs(&html, "input[type=search]", "name").len(),
            1,
            "{path}"
        );
    }
    let home = app.get("/").await.html();
    let topics = attrs(&home, "nav.topic-index a", "href");
    let listed = app.get("/tags").await.html();
    for href in attrs(&listed, "ul.topic-list a", "href") {
        assert!(topics.contains(&href), "{href} is not linked from home");
    }
}

#[tokio::test]
async fn articles_and_collections_lead_to_each_other_in_the_order_of_start_here() {
    let app = TestApp::new().await;
    let home = app.get("/").await.html();
    let order = attrs(
        &home,
        "section[aria-labelledby=start-here] a.entry-title",
        "href",
    );
    assert!(order.len() >= 3, "{order:?}");
    for (at, path) in order.iter().enumerate() {
        let page = app.get(path).await.html();
        let pager = "nav.pager[aria-label='More articles and collections']";
        let link = |rel: &str| {
            attrs(&page, &format!("{pager} a[rel={rel}]"), "href")
                .first()
                .cloned()
        };
        assert_eq!(
            link("prev"),
            at.checked_sub(1).map(|i| order[i].clone()),
            "{path}"
        );
        assert_eq!(link("next"), order.get(at + 1).cloned(), "{path}");
    }

    // A new collection takes its place between two others, and they point to it at once.
    let mut draft = crate::helpers::seed_draft("python-interview-questions-part-3");
    draft.slug = pykb::domain::Slug::parse("python-interview-questions-part-3b").unwrap();
    draft.title = "Python Interview Questions (Part 3b)".into();
    app.save(None, 0, &draft).await;
    let before = app.get("/q/python-interview-questions-part-3").await.html();
    assert_eq!(
        attrs(&before, "nav.pager a[rel=next]", "href"),
        ["/q/python-interview-questions-part-3b"]
    );
    let after = app.get("/q/python-interview-questions-part-4").await.html();
    assert_eq!(
        attrs(&after, "nav.pager a[rel=prev]", "href"),
        ["/q/python-interview-questions-part-3b"]
    );
}
