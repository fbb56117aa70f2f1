//! Deleting to the trash and back, the history of revisions with diffs, and restoring an old
//! revision, through the real router as a signed-in editor.

use axum::http::StatusCode;

use crate::helpers::{Client, TestApp, attrs, texts};

/// Creates a published article through the form; returns its id.
async fn create(client: &mut Client<'_>, title: &str, body: &str, related: &str) -> i64 {
    client.get("/admin/articles/new").await;
    let response = client
        .post(
            "/admin/articles",
            &[
                ("title", title),
                ("tags", "memory"),
                ("related", related),
                ("kind", "question"),
                ("status", "published"),
                ("body", body),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let location = response.header("location");
    location
        .trim_start_matches("/admin/articles/")
        .split('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("an edit page address: {location}"))
}

/// Saves new field values over the article's current form.
async fn edit(client: &mut Client<'_>, id: i64, changes: &[(&str, &str)]) -> StatusCode {
    let form = client.get(&format!("/admin/articles/{id}/edit")).await;
    let html = form.html();
    let mut fields: Vec<(String, String)> =
        ["title", "slug", "summary", "tags", "related", "version"]
            .into_iter()
            .map(|name| {
                let value = attrs(&html, &format!("input[name={name}]"), "value")
                    .first()
                    .cloned()
                    .unwrap_or_default();
                (name.to_owned(), value)
            })
            .collect();
    fields.push(("body".into(), texts(&html, "textarea[name=body]").concat()));
    fields.push(("status".into(), "published".into()));
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client
        .post(&format!("/admin/articles/{id}"), &refs)
        .await
        .status
}

fn search_slugs(body: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn delete_hides_everywhere_and_restore_brings_it_back() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    let target = create(&mut client, "Qwertzuiop basics", "About qwertzuiop.", "").await;
    create(
        &mut client,
        "Linker page",
        "Read [the basics](/q/qwertzuiop-basics) first.",
        "qwertzuiop-basics",
    )
    .await;

    // The confirmation names the article that links here, and how.
    let confirm = client
        .get(&format!("/admin/articles/{target}/delete"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let backlinks = texts(&confirm.html(), ".backlinks li");
    assert_eq!(backlinks.len(), 1, "{backlinks:?}");
    assert!(backlinks[0].starts_with("Linker page"), "{backlinks:?}");

    let deleted = client
        .post(&format!("/admin/articles/{target}/delete"), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        deleted.header("location"),
        format!("/admin?trashed={target}")
    );

    // Gone for readers, from search, from the linking page; listed in the trash.
    assert_eq!(
        app.get("/q/qwertzuiop-basics").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(search_slugs(&app.get("/api/search?q=qwertzuiop").await.body).is_empty());
    let linking = app.get("/q/linker-page").await;
    let hrefs = attrs(&linking.html(), "main a", "href");
    assert!(!hrefs.iter().any(|h| h.contains("qwertzuiop")), "{hrefs:?}");
    assert!(linking.body.contains("the basics"), "the link's text stays");
    let list = client.get(&format!("/admin?trashed={target}")).await;
    assert!(
        texts(&list.html(), "[role=status]")
            .concat()
            .contains("Qwertzuiop basics")
    );
    let trash = client.get("/admin/trash").await;
    assert_eq!(
        texts(&trash.html(), "td a").first().map(String::as_str),
        Some("Qwertzuiop basics")
    );

    let restored = client
        .post(&format!("/admin/trash/{target}/restore"), &[])
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/q/qwertzuiop-basics").await.status,
        StatusCode::OK,
        "published again"
    );
    assert_eq!(
        search_slugs(&app.get("/api/search?q=qwertzuiop").await.body)
            .first()
            .map(String::as_str),
        Some("qwertzuiop-basics")
    );
    let hrefs = attrs(&app.get("/q/linker-page").await.html(), "main a", "href");
    assert!(
        hrefs.iter().any(|h| h == "/q/qwertzuiop-basics"),
        "{hrefs:?}"
    );
}

#[tokio::test]
async fn delete_needs_the_token_and_a_session() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin").await;
    let forged = client
        .post("/admin/articles/1/delete", &[("csrf_token", "forged")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let mut stranger = Client::new(&app);
    let anonymous = stranger
        .post("/admin/articles/1/delete", &[("csrf_token", "")])
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.header("location").starts_with("/admin/login"));
    let trash = client.get("/admin/trash").await;
    assert!(
        texts(&trash.html(), "td a").is_empty(),
        "nothing was deleted"
    );
}

#[tokio::test]
async fn history_shows_who_changed_what_and_restores_as_a_new_revision() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    let id = create(&mut client, "Versioned", "First line.\nSecond line.\n", "").await;
    assert_eq!(
        edit(
            &mut client,
            id,
            &[("body", "First line.\nSecond line, revised.\n")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        edit(&mut client, id, &[("title", "Versioned again")]).await,
        StatusCode::SEE_OTHER
    );

    let history = client.get(&format!("/admin/articles/{id}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    let html = history.html();
    let versions = texts(&html, "tbody tr td:first-child");
    assert_eq!(versions, ["3", "2", "1"]);
    assert!(
        texts(&html, "tbody td").iter().any(|t| t == "admin"),
        "who saved"
    );
    // By default the last change: the title.
    let changed = texts(&html, ".diff-del code, .diff-ins code");
    assert_eq!(changed, ["Title: Versioned", "Title: Versioned again"]);

    // Any revision against the current text.
    let from_first = client
        .get(&format!("/admin/articles/{id}/history?compare=1"))
        .await
        .html();
    let removed = texts(&from_first, ".diff-del code");
    let added = texts(&from_first, ".diff-ins code");
    assert!(removed.contains(&"Second line.".to_owned()), "{removed:?}");
    assert!(
        added.contains(&"Second line, revised.".to_owned()),
        "{added:?}"
    );
    assert_eq!(
        client
            .get(&format!("/admin/articles/{id}/history?compare=99"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Restoring version 1 writes version 4 with version 1's text.
    let restored = client
        .post(
            &format!("/admin/articles/{id}/restore/1"),
            &[("version", "3")],
        )
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    assert_eq!(
        restored.header("location"),
        format!("/admin/articles/{id}/edit?restored=1")
    );
    let page = app.get("/q/versioned").await;
    assert_eq!(texts(&page.html(), "h1"), ["Versioned"]);
    assert!(page.body.contains("Second line."));
    let versions = texts(
        &client
            .get(&format!("/admin/articles/{id}/history"))
            .await
            .html(),
        "tbody tr td:first-child",
    );
    assert_eq!(versions, ["4", "3", "2", "1"]);

    // A restore over a save made meanwhile is a conflict that keeps both texts.
    let stale = client
        .post(
            &format!("/admin/articles/{id}/restore/2"),
            &[("version", "3")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(
        texts(&stale.html(), "textarea[name=body]"),
        ["First line.\nSecond line, revised."],
        "the editor's text (trimmed by `texts`)"
    );
}

#[tokio::test]
async fn restoring_a_slug_now_taken_brings_up_the_editor_with_the_old_text() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    let id = create(&mut client, "Old name", "Text of the old name.", "").await;
    assert_eq!(
        edit(
            &mut client,
            id,
            &[("slug", "new-name"), ("body", "Newer text.")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    create(
        &mut client,
        "Old name",
        "Another article took the slug.",
        "",
    )
    .await;
    let response = client
        .post(&format!("/admin/articles/{id}/restore/1"), &[])
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.html();
    assert!(!texts(&html, "#f-slug-error").is_empty());
    assert_eq!(
        texts(&html, "textarea[name=body]"),
        ["Text of the old name."]
    );
    assert_eq!(
        attrs(&html, "form#article-form", "action"),
        [format!("/admin/articles/{id}")]
    );
}

#[tokio::test]
async fn a_one_word_change_is_marked_as_words_between_any_two_revisions() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    let id = create(
        &mut client,
        "Word diffs",
        "The GIL makes every program thread-safe.\n\nA second paragraph that stays.\n",
        "",
    )
    .await;
    let body = |word: &str| {
        format!("The GIL makes every program {word}.\n\nA second paragraph that stays.\n")
    };
    assert_eq!(
        edit(&mut client, id, &[("body", &body("thread-hostile"))]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        edit(&mut client, id, &[("body", &body("slower"))]).await,
        StatusCode::SEE_OTHER
    );
    // Versions 1 to 2: the changed words, marked inside their lines; the rest unmarked.
    let path = |query: &str| format!("/admin/articles/{id}/history{query}");
    let html = client.get(&path("?from=1&to=2")).await.html();
    assert_eq!(texts(&html, "#changes .diff-del del"), ["thread-safe."]);
    assert_eq!(texts(&html, "#changes .diff-ins ins"), ["thread-hostile."]);
    assert_eq!(
        texts(&html, "#changes-heading").concat(),
        "Changes from version 1 to version 2"
    );
    // The default and the old `compare` name still compare with the current text.
    let latest = client.get(&path("")).await.html();
    assert_eq!(
        texts(&latest, "#changes .diff-del del"),
        ["thread-hostile."]
    );
    assert_eq!(texts(&latest, "#changes .diff-ins ins"), ["slower."]);
    let compare = client.get(&path("?compare=1")).await.html();
    assert_eq!(texts(&compare, "#changes .diff-ins ins"), ["slower."]);
    assert_eq!(
        client
            .get(&format!("/admin/articles/{id}/history?from=1&to=99"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_conflict_shows_their_change_as_words_against_where_you_started() {
    let app = TestApp::new().await;
    let mut alice = Client::signed_in(&app).await;
    let id = create(&mut alice, "Conflicts", "Alpha beta gamma.\n", "").await;
    let stale = alice
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    let started = attrs(&stale, "input[name=version]", "value").remove(0);
    assert_eq!(
        edit(&mut alice, id, &[("body", "Alpha delta gamma.\n")]).await,
        StatusCode::SEE_OTHER
    );
    // A second save from the version first opened.
    let fields = [
        ("title", "Conflicts"),
        ("tags", "memory"),
        ("kind", "question"),
        ("status", "published"),
        ("body", "Alpha beta gamma, mine.\n"),
        ("version", started.as_str()),
    ];
    let response = alice.post(&format!("/admin/articles/{id}"), &fields).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    let html = response.html();
    assert_eq!(texts(&html, ".conflict .diff-del del"), ["beta"]);
    assert_eq!(texts(&html, ".conflict .diff-ins ins"), ["delta"]);
    assert_eq!(
        texts(&html, "textarea[name=body]"),
        ["Alpha beta gamma, mine."]
    );

    // "Edit from theirs": the form holds their text at their version, and mine stays beside it.
    let theirs = alice
        .post(&format!("/admin/articles/{id}/from-theirs"), &fields)
        .await;
    assert_eq!(theirs.status, StatusCode::OK);
    let html = theirs.html();
    assert_eq!(texts(&html, "textarea[name=body]"), ["Alpha delta gamma."]);
    let version = attrs(&html, "input[name=version]", "value").remove(0);
    assert_ne!(version, started, "the form is at their version");
    assert_eq!(texts(&html, ".yours pre"), ["Alpha beta gamma, mine."]);
    // Without a session nothing is read, and the text still comes back.
    let mut stranger = Client::new(&app);
    stranger.get("/admin/login").await;
    let refused = stranger
        .post(&format!("/admin/articles/{id}/from-theirs"), &fields)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        texts(&refused.html(), "textarea[name=body]"),
        ["Alpha beta gamma, mine."]
    );
}

#[tokio::test]
async fn a_note_left_with_a_save_shows_in_the_history() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    let id = create(&mut client, "Noted", "First text.\n", "").await;
    let long = "x".repeat(501);
    assert_eq!(
        edit(
            &mut client,
            id,
            &[("body", "Second text.\n"), ("note", &long)]
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        edit(
            &mut client,
            id,
            &[
                ("body", "Second text.\n"),
                ("note", "Fixed the 3.13 output.")
            ]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let html = client
        .get(&format!("/admin/articles/{id}/history"))
        .await
        .html();
    assert_eq!(texts(&html, ".revision-note"), ["Fixed the 3.13 output."]);
}

#[tokio::test]
async fn unsaved_changes_are_kept_offered_back_in_a_new_session_and_cleared_by_a_save() {
    let app = TestApp::new().await;
    let mut first = Client::signed_in(&app).await;
    let id = create(&mut first, "Autosaved", "Saved text.\n", "").await;
    let html = first
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    let version = attrs(&html, "input[name=version]", "value").remove(0);
    let typed = [
        ("title", "Autosaved"),
        ("tags", "memory"),
        ("kind", "question"),
        ("status", "published"),
        (
            "body",
            "Saved text, and more typed before the tab closed.\n",
        ),
        ("version", version.as_str()),
    ];
    let kept = first
        .post(&format!("/admin/articles/{id}/autosave"), &typed)
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT);

    // Another session of the same editor is offered the text; restoring needs no script.
    let mut second = Client::signed_in(&app).await;
    let html = second
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    let offered = attrs(&html, "#unsaved input[name=body]", "value");
    assert_eq!(
        offered,
        ["Saved text, and more typed before the tab closed.\n"]
    );
    assert_eq!(
        texts(&html, "textarea[name=body]"),
        ["Saved text."],
        "the form itself shows what is saved until the editor chooses"
    );
    let mut restore: Vec<(String, String)> = Vec::new();
    for name in attrs(
        &html,
        "#unsaved form[action='/admin/preview'] input",
        "name",
    ) {
        let value = attrs(
            &html,
            &format!("#unsaved form[action='/admin/preview'] input[name={name}]"),
            "value",
        )
        .remove(0);
        restore.push((name, value));
    }
    let restore: Vec<(&str, &str)> = restore
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let restored = second.post("/admin/preview", &restore).await.html();
    assert_eq!(
        texts(&restored, "textarea[name=body]"),
        ["Saved text, and more typed before the tab closed."]
    );

    // Saving clears it; nothing is offered any more.
    assert_eq!(
        edit(
            &mut second,
            id,
            &[(
                "body",
                "Saved text, and more typed before the tab closed.\n"
            )]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let html = second
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    assert!(attrs(&html, "#unsaved input[name=body]", "value").is_empty());

    // Without a session, or with another session's token, nothing is kept.
    let mut stranger = Client::new(&app);
    stranger.get("/admin/login").await;
    let refused = stranger
        .post(&format!("/admin/articles/{id}/autosave"), &typed)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_new_articles_unsaved_text_is_offered_and_can_be_discarded() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let typed = [("title", "Half written"), ("body", "A first paragraph.\n")];
    assert_eq!(
        client
            .post("/admin/articles/new/autosave", &typed)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let html = client.get("/admin/articles/new").await.html();
    assert_eq!(
        attrs(&html, "#unsaved input[name=title]", "value"),
        ["Half written"]
    );
    let discarded = client.post("/admin/autosave/discard", &[("id", "")]).await;
    assert_eq!(discarded.status, StatusCode::SEE_OTHER);
    assert_eq!(discarded.header("location"), "/admin/articles/new");
    let html = client.get("/admin/articles/new").await.html();
    assert!(attrs(&html, "#unsaved input", "name").is_empty());
}
