//! The editors' side through the real router with real sessions: sign-in, CSRF, the article
//! form with validation, conflicts, renames and search.

use axum::http::StatusCode;

use crate::helpers::{ADMIN_PASSWORD, Client, TestApp, article_form, attrs, texts};

fn field<'a>(fields: &'a [(&'a str, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_change_nothing() {
    let app = TestApp::new().await;
    for path in [
        "/admin",
        "/admin/articles/new",
        "/admin/articles/1/edit?x=1",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        let location = response.header("location");
        assert!(
            location.starts_with("/admin/login?next=%2Fadmin"),
            "{location}"
        );
    }
    let mut client = Client::new(&app);
    client.get("/admin/login").await;
    let response = client
        .post("/admin/articles", &article_form("Anonymous", "body"))
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body.contains("Your session has ended"));
    assert_eq!(
        attrs(&response.html(), "input[name=title]", "value"),
        ["Anonymous"],
        "what was typed comes back"
    );
    assert_eq!(app.get("/q/anonymous").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sign_in_sets_a_session_and_wrong_credentials_look_alike() {
    let app = TestApp::new().await;
    let mut client = Client::new(&app);
    let wrong_password = client.sign_in("admin", "not the password").await;
    let unknown_user = client.sign_in("nobody", "not the password").await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_user.status, wrong_password.status);
    let message = |r: &crate::helpers::TestResponse| texts(&r.html(), "[role=alert]");
    assert_eq!(message(&wrong_password), message(&unknown_user));
    assert_eq!(
        attrs(&unknown_user.html(), "input[name=username]", "value"),
        ["nobody"],
        "the user name is kept"
    );
    assert!(client.cookies.iter().all(|(k, _)| k != "pykb_session"));

    let response = client.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), "/admin");
    let cookie = response
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("pykb_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let list = client.get("/admin").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.header("cache-control"), "no-store");
    assert!(texts(&list.html(), "td a").len() >= crate::helpers::seed_count());

    // Signing out ends the session server-side.
    let out = client.post("/admin/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(client.get("/admin").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_login_without_the_csrf_token_is_refused() {
    let app = TestApp::new().await;
    let mut client = Client::new(&app);
    client.get("/admin/login").await;
    let response = client
        .post(
            "/admin/login",
            &[
                ("username", "admin"),
                ("password", ADMIN_PASSWORD),
                ("csrf_token", "forged"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(client.cookies.iter().all(|(k, _)| k != "pykb_session"));
}

#[tokio::test]
async fn next_brings_the_editor_back_but_never_off_site() {
    let app = TestApp::new().await;
    for (next, expected) in [
        ("/admin/articles/new", "/admin/articles/new"),
        ("//evil.example", "/admin"),
    ] {
        let mut client = Client::new(&app);
        client
            .get(&format!(
                "/admin/login?next={}",
                pykb::routes::encode_query(next)
            ))
            .await;
        let response = client
            .post(
                "/admin/login",
                &[
                    ("username", "admin"),
                    ("password", ADMIN_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(response.header("location"), expected);
    }
}

#[tokio::test]
async fn create_publishes_a_searchable_page_and_invalid_input_keeps_the_text() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;

    let mut invalid = article_form("", "Typed text about zyxwvutsr that must survive");
    invalid.retain(|(k, _)| *k != "related");
    invalid.push(("related", "no-such-question"));
    let response = client.post("/admin/articles", &invalid).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.html();
    assert_eq!(
        texts(&html, "textarea[name=body]"),
        ["Typed text about zyxwvutsr that must survive"]
    );
    assert!(
        !texts(&html, "#f-title-error").is_empty(),
        "title error shown"
    );

    let response = client
        .post(
            "/admin/articles",
            &article_form("What is zyxwvutsr?", "All about **zyxwvutsr**."),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let edit = response.header("location").to_owned();
    assert!(edit.ends_with("/edit?saved=1"), "{edit}");
    let page = app.get("/q/what-is-zyxwvutsr").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>zyxwvutsr</strong>"));
    let api: serde_json::Value =
        serde_json::from_str(&app.get("/api/search?q=zyxwvutsr").await.body).unwrap();
    assert_eq!(api["hits"][0]["slug"], "what-is-zyxwvutsr");
    assert_eq!(api["hits"][0]["tags"][0], "memory");

    // The same slug again is a form error, not a 500.
    let response = client
        .post(
            "/admin/articles",
            &article_form("What is zyxwvutsr?", "Again."),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!texts(&response.html(), "#f-slug-error").is_empty());
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_with_both_texts() {
    let app = TestApp::new().await;
    let mut alice = Client::signed_in(&app).await;
    let form = alice.get("/admin/articles/1/edit").await;
    let html = form.html();
    let value = |name: &str| {
        attrs(&html, &format!("input[name={name}]"), "value")
            .first()
            .cloned()
            .unwrap_or_default()
    };
    let fields: Vec<(&str, String)> = ["title", "slug", "summary", "tags", "related", "version"]
        .into_iter()
        .map(|name| (name, value(name)))
        .collect();
    let post = |body: &'static str, version: String| {
        let mut f: Vec<(&str, String)> = fields.clone();
        f.retain(|(k, _)| *k != "version");
        f.push(("version", version));
        f.push(("body", body.to_owned()));
        f.push(("status", "published".to_owned()));
        f
    };
    let version = field(&fields, "version").to_owned();
    let first: Vec<(&str, String)> = post("First editor's text.", version.clone());
    let refs: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        alice.post("/admin/articles/1", &refs).await.status,
        StatusCode::SEE_OTHER
    );

    let second = post("Second editor's text, from the old version.", version);
    let refs: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = alice.post("/admin/articles/1", &refs).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert!(
        response.body.contains("First editor&#39;s text.")
            || response.body.contains("First editor's text.")
    );
    assert_eq!(
        texts(&response.html(), "textarea[name=body]"),
        ["Second editor's text, from the old version."]
    );
}

#[tokio::test]
async fn a_renamed_slug_redirects_permanently_and_rename_back_works() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let response = client
        .post("/admin/articles", &article_form("Rename me", "Body."))
        .await;
    let edit = response.header("location").to_owned();
    let id = edit.split('/').nth(3).unwrap().to_owned();

    let mut renamed = article_form("Rename me", "Body.");
    renamed.retain(|(k, _)| !matches!(*k, "slug" | "version"));
    renamed.push(("slug", "renamed"));
    renamed.push(("version", "1"));
    let response = client
        .post(&format!("/admin/articles/{id}"), &renamed)
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let old = app.get("/q/rename-me").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.header("location"), "/q/renamed");

    renamed.retain(|(k, _)| !matches!(*k, "slug" | "version"));
    renamed.push(("slug", "rename-me"));
    renamed.push(("version", "2"));
    let response = client
        .post(&format!("/admin/articles/{id}"), &renamed)
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(app.get("/q/rename-me").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/q/renamed").await.header("location"),
        "/q/rename-me"
    );
}

#[tokio::test]
async fn a_wrong_csrf_token_changes_nothing_and_keeps_the_text() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    let response = client
        .post(
            "/admin/articles",
            &[
                article_form("Forged", "Forged body text"),
                vec![("csrf_token", "wrong")],
            ]
            .concat(),
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        texts(&response.html(), "textarea[name=body]"),
        ["Forged body text"]
    );
    assert_eq!(app.get("/q/forged").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn preview_renders_the_markdown_and_keeps_the_form() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let response = client
        .post(
            "/admin/preview",
            &article_form("Preview", "# Big\n\nSome *em* text <script>x</script>"),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let html = response.html();
    assert_eq!(texts(&html, ".preview em"), ["em"]);
    assert!(texts(&html, ".preview script").is_empty());
    assert_eq!(attrs(&html, "input[name=title]", "value"), ["Preview"]);
}

#[tokio::test]
async fn xss_in_a_title_is_inert_in_the_admin_list() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let title = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let mut fields = article_form(title, "Body with <img src=x onerror=alert(3)>");
    fields.retain(|(k, _)| *k != "slug");
    fields.push(("slug", "xss"));
    assert_eq!(
        client.post("/admin/articles", &fields).await.status,
        StatusCode::SEE_OTHER
    );
    for path in ["/admin", "/admin/articles/new"] {
        let html = client.get(path).await.html();
        assert!(attrs(&html, "img", "src").is_empty(), "{path}");
        assert!(
            texts(&html, "script:not([type=\"application/ld+json\"])")
                .iter()
                .all(|t| t.is_empty()),
            "{path}"
        );
    }
    let page = app.get("/q/xss").await.html();
    assert_eq!(texts(&page, "h1"), [title]);
    assert!(attrs(&page, "img[onerror]", "onerror").is_empty());
}

#[tokio::test]
async fn body_links_to_unpublished_entries_are_not_rendered() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let mut draft = article_form("Hidden draft", "Not yet.");
    draft.retain(|(k, _)| *k != "status");
    draft.push(("status", "draft"));
    assert_eq!(
        client.post("/admin/articles", &draft).await.status,
        StatusCode::SEE_OTHER
    );
    let body = "See [the draft](/q/hidden-draft) and [lists](/q/difference-between-lists-and-tuples-in-python).";
    assert_eq!(
        client
            .post("/admin/articles", &article_form("Linker", body))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let html = app.get("/q/linker").await.html();
    let hrefs = attrs(&html, ".prose a", "href");
    assert!(
        !hrefs.iter().any(|h| h.contains("hidden-draft")),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h.contains("lists-and-tuples")),
        "{hrefs:?}"
    );
    assert!(html.html().contains("the draft"), "the text stays");
}

#[tokio::test]
async fn the_article_list_comes_in_pages_sorted_by_any_column() {
    let app = TestApp::new().await;
    let mut editor = Client::signed_in(&app).await;
    let first = editor.get("/admin").await;
    assert_eq!(first.status, StatusCode::OK);
    let html = first.html();
    let seed = crate::helpers::seed_count();
    assert!(seed > 50 && seed <= 100, "two pages of 50: {seed}");
    assert_eq!(
        texts(&html, ".result-count"),
        [format!("{seed} articles, page 1 of 2")]
    );
    assert_eq!(texts(&html, ".admin-table tbody tr").len(), 50);
    assert_eq!(
        attrs(&html, "th[aria-sort=descending] a", "href"),
        ["/admin?sort=updated&order=asc"]
    );
    let next = attrs(&html, "nav.pager a[rel=next]", "href");
    assert_eq!(next, ["/admin?sort=updated&order=desc&page=2"]);
    let second = editor.get(&next[0]).await.html();
    assert_eq!(texts(&second, ".admin-table tbody tr").len(), seed - 50);

    let mut titles = Vec::new();
    for page in [
        "/admin?sort=title&order=asc",
        "/admin?sort=title&order=asc&page=2",
    ] {
        let html = editor.get(page).await.html();
        assert_eq!(
            attrs(&html, "th[aria-sort=ascending] a", "href"),
            ["/admin?sort=title&order=desc"]
        );
        titles.extend(texts(&html, ".admin-table tbody td:first-child > a"));
    }
    assert_eq!(titles.len(), seed);
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| t.to_lowercase());
    assert_eq!(titles, sorted);
    // Filters stay in the sort and page links.
    let filtered = editor
        .get("/admin?status=published&q=python&sort=status")
        .await
        .html();
    for href in attrs(&filtered, "th a", "href") {
        assert!(
            href.contains("status=published") && href.contains("q=python"),
            "{href}"
        );
    }
    assert_eq!(
        editor.get("/admin?page=zero").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn every_seed_article_saves_unchanged_through_the_form() {
    let app = TestApp::new().await;
    let mut editor = Client::signed_in(&app).await;
    for id in 1..=crate::helpers::seed_count() {
        let edit = editor.get(&format!("/admin/articles/{id}/edit")).await;
        assert_eq!(edit.status, StatusCode::OK, "article {id}");
        let html = edit.html();
        let mut fields: Vec<(String, String)> = Vec::new();
        let inputs = scraper::Selector::parse("#article-form input[name]").unwrap();
        for input in html.select(&inputs) {
            let value = input.value();
            if value.attr("type") == Some("submit") {
                continue;
            }
            fields.push((
                value.attr("name").unwrap().to_owned(),
                value.attr("value").unwrap_or_default().to_owned(),
            ));
        }
        let areas = scraper::Selector::parse("#article-form textarea[name]").unwrap();
        for area in html.select(&areas) {
            fields.push((
                area.value().attr("name").unwrap().to_owned(),
                area.text().collect(),
            ));
        }
        let selects = scraper::Selector::parse("#article-form select[name]").unwrap();
        let chosen = scraper::Selector::parse("option[selected]").unwrap();
        for select in html.select(&selects) {
            let option = select.select(&chosen).next().expect("a chosen option");
            fields.push((
                select.value().attr("name").unwrap().to_owned(),
                option.value().attr("value").unwrap().to_owned(),
            ));
        }
        assert!(fields.iter().any(|(k, _)| k == "body"), "article {id}");
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let saved = editor.post(&format!("/admin/articles/{id}"), &pairs).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "article {id} came back: {:?}",
            texts(&saved.html(), ".error")
        );
    }
}

#[tokio::test]
async fn a_code_block_outside_the_content_rules_is_a_422_naming_it_and_the_text_survives() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let body = "Sums.\n\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n\n```javascript\nalert(1)\n```\n";
    let response = client
        .post("/admin/articles", &article_form("Adding up", body))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.html();
    assert_eq!(texts(&html, "textarea[name=body]"), [body.trim_end()]);
    let error = texts(&html, "#f-body-error").join(" ");
    assert!(
        error.contains("Code block 3") && error.contains("javascript"),
        "{error}"
    );

    // A wrong output is not the form's business: it saves (and shows as wrong once run).
    let wrong = "Sums.\n\n```python\nprint(1 + 1)\n```\n\n```output\n3\n```\n";
    let response = client
        .post("/admin/articles", &article_form("Adding up", wrong))
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
}

#[tokio::test]
async fn a_tag_that_would_create_a_topic_is_confirmed_first_and_nothing_typed_is_lost() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let mut fields = article_form("A typo in a tag", "Body that must survive.");
    fields.retain(|(k, _)| *k != "tags");
    fields.push(("tags", "memory, made-up-tag"));
    let asked = client.post("/admin/articles", &fields).await;
    assert_eq!(asked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = asked.html();
    let message = texts(&html, "#f-tags-error").concat();
    assert!(message.contains("“made-up-tag”"), "{message}");
    assert!(
        !message.contains("memory"),
        "an existing topic is not new: {message}"
    );
    assert_eq!(attrs(&html, "input[name=new_tags_ok]", "value"), ["1"]);
    assert_eq!(
        attrs(&html, "input[name=tags]", "value"),
        ["memory, made-up-tag"]
    );
    assert_eq!(
        texts(&html, "textarea[name=body]"),
        ["Body that must survive."]
    );
    assert_eq!(
        app.get("/tags/made-up-tag").await.status,
        StatusCode::NOT_FOUND
    );

    fields.push(("new_tags_ok", "1"));
    let saved = client.post("/admin/articles", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(app.get("/tags/made-up-tag").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_form_suggests_existing_topics_and_entries_to_editors_only() {
    let app = TestApp::new().await;
    assert_eq!(
        app.get("/admin/suggest/topics?q=mem").await.status,
        StatusCode::SEE_OTHER,
        "readers are sent to sign in"
    );
    let mut editor = Client::signed_in(&app).await;
    let topics = editor.get("/admin/suggest/topics?q=MEM").await.json();
    assert_eq!(topics["suggestions"][0]["value"], "memory");
    assert!(
        topics["suggestions"][0]["label"]
            .as_str()
            .unwrap()
            .starts_with("memory (")
    );
    let none = editor.get("/admin/suggest/topics?q=zzz").await.json();
    assert_eq!(none["suggestions"].as_array().unwrap().len(), 0);
    let related = editor.get("/admin/suggest/related?q=metacl").await.json();
    assert_eq!(
        related["suggestions"][0]["value"],
        "what-are-metaclasses-in-python"
    );
    let long = format!("/admin/suggest/related?q={}", "x".repeat(201));
    assert_eq!(editor.get(&long).await.status, StatusCode::BAD_REQUEST);
}
