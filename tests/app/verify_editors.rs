//! What editors are told of their examples, with real interpreters: the preview runs them at
//! once and marks them as the public page will; the edit page and the admin list show what
//! the stored runs found; a page's declared Pythons decide what counts as a failure.

use axum::http::StatusCode;
use pykb::verify::interpreters::Interpreter;

use crate::helpers::{
    Client, TestApp, article_form, attrs, interpreters, texts, without_the_seed_queue,
};

const SUMS: &str = "Sums.\n\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n\nWrong.\n\n```python\nprint(2 * 1)\n```\n\n```output\n3\n```\n";

async fn drain(app: &TestApp) {
    pykb::verify::worker::drain(&app.state.db, &app.state.page_cache, &app.state.verifier)
        .await
        .unwrap();
}

fn versions(pythons: &[Interpreter]) -> String {
    pythons
        .iter()
        .map(|p| p.version.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn preview_runs_each_example_now_and_shows_what_differs() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let app = TestApp::with_config(|c| c.metrics = true).await;
    without_the_seed_queue(&app).await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let response = client
        .post("/admin/preview", &article_form("Sums", SUMS))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let html = response.html();
    let marks = attrs(&html, "#preview-body [data-example]", "data-verify");
    assert_eq!(marks, ["ok", "fails"]);
    let ran_on = attrs(&html, "#preview-body [data-example]", "data-python");
    assert_eq!(ran_on, [versions(&pythons), versions(&pythons)]);
    // The failing example is named by its code block, with the shown output against the
    // printed one for each Python.
    let named = texts(&html, "#preview-examples summary");
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(
        named[0].contains("Example 2") && named[0].contains("code block 3"),
        "{named:?}"
    );
    let shown = texts(&html, "#preview-examples .diff-del code");
    let printed = texts(&html, "#preview-examples .diff-ins code");
    assert_eq!(shown, vec!["3".to_owned(); pythons.len()]);
    assert_eq!(printed, vec!["2".to_owned(); pythons.len()]);
    assert_eq!(
        texts(&html, "textarea[name=body]"),
        [SUMS.trim_end()],
        "the text is kept"
    );
    assert_eq!(
        pykb::db::verification::queue_length(&app.state.db)
            .await
            .unwrap(),
        0,
        "a preview saves and queues nothing"
    );

    // Saved and verified in the background, the public page carries the same marks.
    let saved = client
        .post("/admin/articles", &article_form("Sums", SUMS))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    drain(&app).await;
    let page = app.get("/q/sums").await.html();
    assert_eq!(attrs(&page, "[data-example]", "data-verify"), marks);
    assert_eq!(attrs(&page, "[data-example]", "data-python"), ran_on);

    // The background verification after the save ran nothing again: the preview's runs are
    // remembered by code and interpreter.
    let runs_so_far = example_runs(&app).await;
    assert_eq!(runs_so_far, 2 * pythons.len() as u64);
    let metrics = app.get("/metrics").await.body;
    assert!(
        metrics.contains(&format!(
            "pykb_example_memo_hits_total {}",
            2 * pythons.len()
        )),
        "{metrics}"
    );
    // Previewing the saved text again runs nothing: its runs are known.
    let (id, version) = app.id_and_version("sums").await;
    let (id, version) = (id.to_string(), version.to_string());
    let mut fields = article_form("Sums", SUMS);
    fields.retain(|(k, _)| *k != "version");
    fields.extend([("id", id.as_str()), ("version", version.as_str())]);
    let again = client.post("/admin/preview", &fields).await.html();
    assert_eq!(
        attrs(&again, "#preview-body [data-example]", "data-verify"),
        marks
    );
    assert_eq!(example_runs(&app).await, runs_so_far);
}

/// `pykb_example_runs_total` from `/metrics`: runs made, not answered from memory.
async fn example_runs(app: &TestApp) -> u64 {
    let metrics = app.get("/metrics").await.body;
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("pykb_example_runs_total ")?.parse().ok())
        .unwrap_or_else(|| panic!("no pykb_example_runs_total in {metrics}"))
}

#[tokio::test]
async fn the_admin_list_and_the_edit_page_show_failing_examples_until_fixed() {
    if interpreters().is_none() {
        return;
    }
    let app = TestApp::new().await;
    without_the_seed_queue(&app).await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let saved = client
        .post("/admin/articles", &article_form("Sums", SUMS))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let (id, _) = app.id_and_version("sums").await;
    let row = format!("a[href=\"/admin/articles/{id}/edit\"]");
    let state_of = |html: &scraper::Html| {
        let mut found = Vec::new();
        for tr in html.select(&scraper::Selector::parse("tbody tr").unwrap()) {
            if tr
                .select(&scraper::Selector::parse(&row).unwrap())
                .next()
                .is_some()
            {
                let cell = scraper::Selector::parse("[data-examples]").unwrap();
                found.extend(
                    tr.select(&cell)
                        .filter_map(|c| c.value().attr("data-examples"))
                        .map(str::to_owned),
                );
            }
        }
        found
    };
    assert_eq!(state_of(&client.get("/admin").await.html()), ["pending"]);

    drain(&app).await;
    assert_eq!(state_of(&client.get("/admin").await.html()), ["failing"]);
    let failing = client.get("/admin?examples=failing").await.html();
    assert_eq!(texts(&failing, "tbody td:first-child a"), ["Sums"]);
    let edit = client
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    let summary = texts(&edit, "#examples > p").join(" ");
    assert!(
        summary.contains("2 Python examples")
            && summary.contains("1 prints what is shown")
            && summary.contains("1 prints something else"),
        "{summary}"
    );
    assert_eq!(texts(&edit, "#examples .example-mismatch").len(), 1);
    assert!(
        texts(&edit, "#examples .diff-del code")
            .iter()
            .all(|t| t == "3")
    );

    // Fixed: the output block now says what the code prints.
    let version = attrs(&edit, "input[name=version]", "value").remove(0);
    let mut fields = article_form("Sums", "");
    let fixed = SUMS.replace("```output\n3\n```", "```output\n2\n```");
    fields.retain(|(k, _)| !matches!(*k, "body" | "version"));
    fields.push(("body", &fixed));
    fields.push(("version", &version));
    let saved = client.post(&format!("/admin/articles/{id}"), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let edit = client
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    assert!(
        texts(&edit, "#examples > p")
            .join(" ")
            .contains("1 not run yet"),
        "the changed example's old runs do not count"
    );
    drain(&app).await;
    assert_eq!(state_of(&client.get("/admin").await.html()), ["ok"]);
    let failing = client.get("/admin?examples=failing").await.html();
    assert!(texts(&failing, "tbody td:first-child a").is_empty());
    assert_eq!(
        client.get("/admin?examples=broken").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_page_about_newer_pythons_does_not_fail_on_older_ones() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let newest = pythons.last().unwrap().version;
    let app = TestApp::new().await;
    without_the_seed_queue(&app).await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    // True only on the newest minor version this machine has.
    let body = format!(
        "Version.\n\n```python\nimport sys\nprint(sys.version_info[:2] >= ({}, {}))\n```\n\n```output\nTrue\n```\n",
        newest.major, newest.minor
    );
    let range = format!(">={}.{}", newest.major, newest.minor);
    let mut fields = article_form("Newest only", &body);
    fields.push(("python", "3.10+"));
    let refused = client.post("/admin/articles", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    assert!(!texts(&html, ".field-error .error").is_empty());
    assert_eq!(attrs(&html, "input[name=python]", "value"), ["3.10+"]);
    assert_eq!(texts(&html, "textarea[name=body]"), [body.trim_end()]);

    fields.pop();
    fields.push(("python", &range));
    let saved = client.post("/admin/articles", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    drain(&app).await;
    let api: serde_json::Value =
        serde_json::from_str(&app.get("/api/articles/newest-only").await.body).unwrap();
    let example = &api["examples"][0];
    assert_eq!(example["status"], "ok", "{example}");
    let outside = example["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "outside")
        .count();
    let older = pythons
        .iter()
        .filter(|p| p.version.minor() < newest.minor())
        .count();
    assert_eq!(outside, older, "{example}");
    let (id, _) = app.id_and_version("newest-only").await;
    let edit = client
        .get(&format!("/admin/articles/{id}/edit"))
        .await
        .html();
    assert_eq!(attrs(&edit, "input[name=python]", "value"), [range]);

    if older == 0 {
        eprintln!("only one minor version here: the range's effect on older Pythons is not seen");
        return;
    }
    // The same page about every version: the older Pythons now count, and differ.
    let version = attrs(&edit, "input[name=version]", "value").remove(0);
    let mut fields = article_form("Newest only", &body);
    fields.retain(|(k, _)| *k != "version");
    fields.push(("version", &version));
    let saved = client.post(&format!("/admin/articles/{id}"), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    drain(&app).await;
    let api: serde_json::Value =
        serde_json::from_str(&app.get("/api/articles/newest-only").await.body).unwrap();
    assert_eq!(api["examples"][0]["status"], "differs");
    let page = app.get("/q/newest-only").await.html();
    assert_eq!(attrs(&page, "[data-example]", "data-verify"), ["differs"]);
    let badge = texts(&page, ".verify-differs summary").join(" ");
    assert!(badge.contains("Output differs on"), "{badge}");
}

/// A server started with `PYKB_VERIFY=0` runs nothing and says so: on each example and in the
/// footer every page shares.
#[tokio::test]
async fn a_server_that_runs_no_examples_says_so() {
    let dir = TestApp::new().await.stop().await;
    let server =
        crate::helpers::RunningServer::start_with(dir.path(), None, &[("PYKB_VERIFY", "0")]).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let request = "GET /q/what-is-the-difference-between-is-and-in-python HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let answer = crate::helpers::raw_http(
        &addr,
        request.as_bytes(),
        std::time::Duration::from_secs(10),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let html = scraper::Html::parse_document(&answer);
    let marks = attrs(&html, "[data-example]", "data-verify");
    assert!(
        !marks.is_empty() && marks.iter().all(|m| m == "off"),
        "{marks:?}"
    );
    let footer = texts(&html, ".site-footer p").join(" ");
    assert!(footer.contains("runs no examples"), "{footer}");
    assert!(!footer.contains("verified on"), "{footer}");

    // In process (as tests build apps) verification is on, and the footer says what the
    // marks mean.
    let app = TestApp::new().await;
    let page = app.get("/").await.html();
    assert!(
        texts(&page, ".site-footer p")
            .join(" ")
            .contains("which CPython versions ran it")
    );
}

#[tokio::test]
async fn with_verification_off_the_admin_list_says_so_instead_of_running() {
    // The seed queues every example; a server that runs none must not promise a result.
    let app = TestApp::with_config(|c| c.verify = false).await;
    let mut client = Client::signed_in(&app).await;
    let list = client.get("/admin").await.html();
    let states = attrs(&list, "tbody td[data-examples]", "data-examples");
    assert!(states.iter().any(|s| s == "off"), "{states:?}");
    assert!(!states.iter().any(|s| s == "pending"), "{states:?}");
    assert!(
        texts(&list, "tbody td[data-examples=off]")
            .iter()
            .all(|t| t.contains("verification off"))
    );
}
