//! Review before publishing (`PYKB_REVIEW=on`), through the real router with several
//! accounts: who may publish, what readers see while a change waits (pages, search, the API,
//! feeds), returning with a note, and the history's record of who sent and who published.

use axum::http::StatusCode;
use pykb::domain::Role;

use crate::helpers::{Client, TestApp, attrs, texts};

const SLUG: &str = "what-are-metaclasses-in-python";
const PASSWORD: &str = "a long enough password 1";

async fn review_app() -> TestApp {
    let app = TestApp::with_config(|c| c.review = true).await;
    for (name, role) in [
        ("ed", Role::Editor),
        ("rev", Role::Reviewer),
        ("rita", Role::Reviewer),
    ] {
        pykb::accounts::add(&app.state.db, name, PASSWORD, role)
            .await
            .unwrap();
    }
    app
}

/// The article form's fields as the edit page fills them.
fn form_fields(html: &scraper::Html) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let form = scraper::Selector::parse("#article-form").unwrap();
    let inputs = scraper::Selector::parse("input[name], textarea[name], select[name]").unwrap();
    let selected = scraper::Selector::parse("option[selected]").unwrap();
    let Some(form) = html.select(&form).next() else {
        return fields;
    };
    for field in form.select(&inputs) {
        let name = field.value().attr("name").unwrap_or_default().to_owned();
        let value = match field.value().name() {
            "textarea" => field.text().collect::<String>(),
            "select" => field
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_owned(),
            _ => field.value().attr("value").unwrap_or_default().to_owned(),
        };
        if name != "csrf_token" && name != "new_tags_ok" {
            fields.push((name, value));
        }
    }
    fields
}

/// Opens the editor of `slug` as `client` and saves it with `change` applied to the fields.
async fn edit(
    client: &mut Client<'_>,
    id: i64,
    change: impl FnOnce(&mut Vec<(String, String)>),
) -> crate::helpers::TestResponse {
    let page = client.get(&format!("/admin/articles/{id}/edit")).await;
    let mut fields = form_fields(&page.html());
    change(&mut fields);
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client
        .post(&format!("/admin/articles/{id}"), &borrowed)
        .await
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (k, v) in fields.iter_mut() {
        if k == name {
            *v = value.to_owned();
        }
    }
}

fn append(fields: &mut [(String, String)], name: &str, more: &str) {
    for (k, v) in fields.iter_mut() {
        if k == name {
            v.push_str(more);
        }
    }
}

async fn readers_see(app: &TestApp, word: &str) -> (bool, bool, bool, bool) {
    let page = app.get(&format!("/q/{SLUG}")).await.body.contains(word);
    let api = app
        .get(&format!("/api/articles/{SLUG}"))
        .await
        .body
        .contains(word);
    let search = app.get(&format!("/api/search?q={word}")).await.json();
    let found = search["total"].as_u64().unwrap_or(0) > 0;
    let feed = app.get("/feed.xml").await.body.contains(word);
    (page, api, found, feed)
}

#[tokio::test]
async fn readers_see_the_published_text_until_a_reviewer_publishes_the_change() {
    let app = review_app().await;
    let (id, version) = app.id_and_version(SLUG).await;
    let mut ed = Client::signed_in_as(&app, "ed", PASSWORD).await;
    let sent = edit(&mut ed, id, |f| {
        append(f, "body", "\n\nA zebracorn sentence under review.\n");
        set(f, "note", "Adds a sentence.");
    })
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(
        sent.header("location"),
        format!("/admin/articles/{id}/edit?submitted=1")
    );
    assert_eq!(
        app.id_and_version(SLUG).await.1,
        version,
        "the article is as it was"
    );
    assert_eq!(
        readers_see(&app, "zebracorn").await,
        (false, false, false, false)
    );

    // The editor sees the waiting change in the form, and is told so.
    let page = ed
        .get(&format!("/admin/articles/{id}/edit?submitted=1"))
        .await
        .html();
    assert_eq!(
        attrs(&page, "[data-review-state]", "data-review-state"),
        ["waiting"]
    );
    assert!(texts(&page, "#f-body").join("").contains("zebracorn"));

    // The queue lists it, with the words it adds; an editor cannot publish.
    let queue = ed.get("/admin/review").await.html();
    assert_eq!(
        attrs(&queue, "[data-review]", "data-review"),
        [id.to_string()]
    );
    assert!(
        texts(&queue, "[data-review] .diff-ins")
            .join(" ")
            .contains("zebracorn")
    );
    assert!(attrs(&queue, "form[action$='/publish']", "action").is_empty());
    // The list marks it, and lists it under "Waiting for review".
    let list = ed.get("/admin?status=review").await.html();
    assert_eq!(
        attrs(&list, "tbody a[data-waiting]", "href"),
        [format!("/admin/review#review-{id}")]
    );
    let refused = ed.post(&format!("/admin/articles/{id}/publish"), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        readers_see(&app, "zebracorn").await,
        (false, false, false, false)
    );

    // A reviewer publishes it: readers see it everywhere, and the history says who did what.
    let mut rev = Client::signed_in_as(&app, "rev", PASSWORD).await;
    rev.get("/admin/review").await;
    let published = rev
        .post(&format!("/admin/articles/{id}/publish"), &[])
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert_eq!(
        readers_see(&app, "zebracorn").await,
        (true, true, true, true)
    );
    assert_eq!(app.id_and_version(SLUG).await.1, version + 1);
    let history = rev
        .get(&format!("/admin/articles/{id}/history"))
        .await
        .html();
    let by = texts(&history, "tbody tr:first-child td[data-label=By]").join(" ");
    assert!(by.contains("ed") && by.contains("published by rev"), "{by}");
    assert!(
        texts(&history, ".revision-note")
            .join(" ")
            .contains("Adds a sentence.")
    );
    let queue = rev.get("/admin/review").await.html();
    assert!(attrs(&queue, "[data-review]", "data-review").is_empty());
    // Nothing waits any more: publishing again is a clear 409.
    let again = rev
        .post(&format!("/admin/articles/{id}/publish"), &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_reviewer_does_not_publish_their_own_change_while_another_can() {
    let app = review_app().await;
    let (id, version) = app.id_and_version(SLUG).await;
    let mut rev = Client::signed_in_as(&app, "rev", PASSWORD).await;
    // A reviewer's own save waits too: others could review it.
    let sent = edit(&mut rev, id, |f| append(f, "body", "\n\nQuokkaword.\n")).await;
    assert_eq!(
        sent.header("location"),
        format!("/admin/articles/{id}/edit?submitted=1")
    );
    rev.get("/admin/review").await;
    let own = rev
        .post(&format!("/admin/articles/{id}/publish"), &[])
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(
        own.body.contains("another reviewer publishes it"),
        "{}",
        own.body
    );
    let mut rita = Client::signed_in_as(&app, "rita", PASSWORD).await;
    rita.get("/admin/review").await;
    let published = rita
        .post(&format!("/admin/articles/{id}/publish"), &[])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(app.id_and_version(SLUG).await.1, version + 1);
}

#[tokio::test]
async fn on_a_site_with_one_publisher_their_saves_publish_at_once() {
    // Only the bootstrap admin may publish: nobody else could review their changes.
    let app = TestApp::with_config(|c| c.review = true).await;
    let (id, version) = app.id_and_version(SLUG).await;
    let mut admin = Client::signed_in(&app).await;
    let saved = edit(&mut admin, id, |f| append(f, "body", "\n\nSolo words.\n")).await;
    assert_eq!(
        saved.header("location"),
        format!("/admin/articles/{id}/edit?saved=1")
    );
    assert_eq!(app.id_and_version(SLUG).await.1, version + 1);
    assert!(
        app.get(&format!("/q/{SLUG}"))
            .await
            .body
            .contains("Solo words.")
    );
    // "Ready for review" still waits, whoever sends it.
    let sent = edit(&mut admin, id, |f| {
        append(f, "body", "\n\nLater words.\n");
        set(f, "status", "review");
    })
    .await;
    assert_eq!(
        sent.header("location"),
        format!("/admin/articles/{id}/edit?submitted=1")
    );
    assert!(
        !app.get(&format!("/q/{SLUG}"))
            .await
            .body
            .contains("Later words.")
    );
}

#[tokio::test]
async fn a_new_article_waits_unseen_and_a_returned_change_comes_back_with_the_note() {
    let app = review_app().await;
    let mut ed = Client::signed_in_as(&app, "ed", PASSWORD).await;
    ed.get("/admin/articles/new").await;
    let fields = [
        ("title", "What is a waiting question?"),
        ("slug", ""),
        ("summary", "It waits."),
        ("tags", "memory"),
        ("related", ""),
        ("kind", "question"),
        ("difficulty", "beginner"),
        ("status", "published"),
        ("body", "An answer that waits for a reviewer."),
        ("version", "0"),
    ];
    let sent = ed.post("/admin/articles", &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.header("location").ends_with("/edit?submitted=1"));
    let slug = "what-is-a-waiting-question";
    assert_eq!(
        app.get(&format!("/q/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );
    let (id, _) = app.id_and_version(slug).await;

    let mut rev = Client::signed_in_as(&app, "rev", PASSWORD).await;
    let queue = rev.get("/admin/review").await.html();
    assert!(
        texts(&queue, "[data-review] p")
            .join(" ")
            .contains("A new page")
    );
    let returned = rev
        .post(
            &format!("/admin/articles/{id}/return"),
            &[("note", "Please add an example.")],
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    let queue = rev.get("/admin/review").await.html();
    assert!(attrs(&queue, "[data-review]", "data-review").is_empty());
    let too_long = rev
        .post(
            &format!("/admin/articles/{id}/return"),
            &[("note", &"x".repeat(501))],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The author finds it with the note, fixes it and sends it again.
    let page = ed.get(&format!("/admin/articles/{id}/edit")).await.html();
    assert_eq!(
        attrs(&page, "[data-review-state]", "data-review-state"),
        ["returned"]
    );
    assert!(
        texts(&page, ".return-note")
            .join("")
            .contains("Please add an example.")
    );
    let again = edit(&mut ed, id, |f| {
        append(f, "body", "\n\n```python\nprint(1)\n```\n")
    })
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let queue = rev.get("/admin/review").await.html();
    assert_eq!(
        attrs(&queue, "[data-review]", "data-review"),
        [id.to_string()]
    );
    rev.post(&format!("/admin/articles/{id}/publish"), &[])
        .await;
    let public = app.get(&format!("/q/{slug}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("print"));
}

#[tokio::test]
async fn with_review_off_ready_for_review_is_a_draft_and_saves_publish() {
    let app = TestApp::new().await;
    let (id, version) = app.id_and_version(SLUG).await;
    let mut admin = Client::signed_in(&app).await;
    let saved = edit(&mut admin, id, |f| set(f, "status", "review")).await;
    assert_eq!(
        saved.header("location"),
        format!("/admin/articles/{id}/edit?saved=1")
    );
    assert_eq!(app.id_and_version(SLUG).await.1, version + 1);
    assert_eq!(
        app.get(&format!("/q/{SLUG}")).await.status,
        StatusCode::NOT_FOUND
    );
    let page = admin
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    assert!(attrs(&page, "[data-review-state]", "data-review-state").is_empty());
}
