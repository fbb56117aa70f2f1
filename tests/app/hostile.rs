//! Hostile input, one case per finding of the security review: what the visitor gets (the
//! status, the message, nothing typed lost), and that the server still answers at once
//! afterwards. Each case failed before its fix.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use pykb::domain::{ArticleDraft, Difficulty, Kind, Slug, Status, TagName};
use tower::ServiceExt as _;

use crate::helpers::{Client, RunningServer, TestApp, attrs, output_text, pykb, raw_http, texts};

/// `/healthz` answers within a generous deadline: nothing the case did is still holding the
/// server up.
async fn still_answers(app: &TestApp) {
    let started = Instant::now();
    let response = tokio::time::timeout(Duration::from_secs(10), app.get("/healthz"))
        .await
        .expect("/healthz answers");
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "/healthz took {:?}",
        started.elapsed()
    );
}

fn draft(slug: &str, title: &str, body: &str, status: Status) -> ArticleDraft {
    ArticleDraft {
        slug: Slug::parse(slug).unwrap(),
        title: title.to_owned(),
        summary: String::new(),
        body: body.to_owned(),
        kind: Kind::Question,
        difficulty: Difficulty::Intermediate,
        status,
        tags: vec![TagName::parse("memory").unwrap()],
        related: Vec::new(),
        python: Default::default(),
    }
}

fn kept_body(response: &crate::helpers::TestResponse) -> String {
    texts(&response.html(), "textarea[name=body]")
        .pop()
        .unwrap_or_default()
}

#[tokio::test]
async fn preview_needs_a_signed_in_editor_and_the_forms_token() {
    let app = TestApp::new().await;
    let body = "## Mine\n\nText I typed.";
    let mut anonymous = Client::new(&app);
    let response = anonymous
        .post("/admin/preview", &[("title", "Mine"), ("body", body)])
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.body);
    assert_eq!(kept_body(&response), body, "the text comes back");
    assert!(
        texts(&response.html(), "#preview-body h2").is_empty(),
        "nothing was rendered for a stranger"
    );

    let mut editor = Client::signed_in(&app).await;
    let response = editor
        .post(
            "/admin/preview",
            &[("title", "Mine"), ("body", body), ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(kept_body(&response), body);
    assert!(texts(&response.html(), "#preview-body h2").is_empty());

    editor.get("/admin/articles/new").await;
    let response = editor
        .post("/admin/preview", &[("title", "Mine"), ("body", body)])
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(texts(&response.html(), "#preview-body h2"), ["Mine #"]);
    still_answers(&app).await;
}

/// Bodies the form refuses, on preview as on save: (what, body, message it must show).
fn refused_bodies() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "over the length limit",
            "x".repeat(pykb::editing::MAX_BODY_CHARS + 1),
            "longer than 200000 characters",
        ),
        (
            "lists nested 50,000 deep on one line",
            "- ".repeat(50_000) + "x",
            "Line 1 of the body nests",
        ),
        (
            "quotes nested 40,000 deep",
            "ok\n\n".to_owned() + &"> ".repeat(40_000) + "x",
            "Line 3 of the body nests",
        ),
        (
            "emphasis nested 40 deep",
            "*a _b ".repeat(20) + &" b_ a*".repeat(20),
            "Line 1 of the body nests",
        ),
        (
            "an escape character",
            "one\ntwo \u{1b}[31mred".to_owned(),
            "U+001B) on line 2",
        ),
    ]
}

#[tokio::test]
async fn bodies_the_form_refuses_come_back_whole_on_preview_and_on_save() {
    let app = TestApp::new().await;
    let mut editor = Client::signed_in(&app).await;
    for (what, body, message) in refused_bodies() {
        for action in ["/admin/preview", "/admin/articles"] {
            editor.get("/admin/articles/new").await;
            let started = Instant::now();
            let response = editor
                .post(action, &[("title", "A hostile body"), ("body", &body)])
                .await;
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{what} on {action}"
            );
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{what} on {action} took {:?}",
                started.elapsed()
            );
            let html = response.html();
            assert!(
                response.body.contains(message),
                "{what} on {action}: no “{message}”"
            );
            assert_eq!(
                kept_body(&response),
                body,
                "{what} on {action}: the text is kept"
            );
            assert_eq!(
                attrs(&html, "input[name=title]", "value"),
                ["A hostile body"]
            );
        }
        still_answers(&app).await;
    }
}

#[tokio::test]
async fn a_deep_body_from_elsewhere_is_rendered_flat_and_fast() {
    let app = TestApp::new().await;
    // Import and the seed do not go through the form: the renderer itself must hold.
    let deep = "- ".repeat(50_000) + "x\n\n" + &"> ".repeat(40_000) + "y\n";
    let saved = tokio::time::timeout(
        Duration::from_secs(30),
        app.save(None, 0, &draft("deep", "Deep", &deep, Status::Published)),
    )
    .await;
    assert!(saved.is_ok(), "rendering the deep body took over 30 s");
    let page = app.get("/q/deep").await;
    assert_eq!(page.status, StatusCode::OK);
    // Counted in the answer, not in the site's menu.
    let answer = page
        .body
        .split_once(r#"<div class="prose">"#)
        .map_or("", |(_, answer)| answer);
    let depth = answer.matches("<ul>").count();
    assert!((1..=32).contains(&depth), "{depth} nested lists");
    assert!(answer.matches("<blockquote>").count() <= 32);
    still_answers(&app).await;
}

#[tokio::test]
async fn junk_query_strings_find_the_cached_page_instead_of_filling_memory() {
    let app = TestApp::new().await;
    let paths = [
        "/feed.xml",
        "/q/releasing-memory-in-python",
        "/tags/memory",
        "/tags/memory?difficulty=advanced",
    ];
    let get = |uri: String| {
        Request::get(uri)
            .header("accept-encoding", "br, gzip")
            .body(Body::empty())
            .unwrap()
    };
    for path in paths {
        assert_eq!(
            app.request(get(path.to_owned())).await.status,
            StatusCode::OK
        );
        app.get(path).await;
    }
    let (entries, bytes) = (app.state.page_cache.len(), app.state.page_cache.bytes());
    assert_eq!(entries, paths.len());
    for n in 0..2_500 {
        for path in paths {
            let separator = if path.contains('?') { '&' } else { '?' };
            let response = app
                .request(get(format!("{path}{separator}cachebust={n}&x{n}=y")))
                .await;
            assert_eq!(response.status, StatusCode::OK);
        }
    }
    assert_eq!(
        app.state.page_cache.len(),
        entries,
        "10,000 junk queries later"
    );
    assert_eq!(app.state.page_cache.bytes(), bytes);
    // The parameter a page reads still makes its own page.
    let filtered = app.get("/tags/memory?difficulty=beginner&junk=1").await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert_eq!(app.state.page_cache.len(), entries + 1);
    still_answers(&app).await;
}

#[tokio::test]
async fn the_page_cache_holds_no_more_bytes_than_its_bound() {
    let bound = 400_000;
    let app = TestApp::with_config(|c| c.page_cache_bytes = bound).await;
    let slugs: Vec<String> = crate::helpers::seed_entries()
        .into_iter()
        .map(|(slug, _)| slug)
        .collect();
    for slug in &slugs {
        let request = Request::get(format!("/q/{slug}"))
            .header("accept-encoding", "gzip")
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.request(request).await.status, StatusCode::OK);
        assert!(
            app.state.page_cache.bytes() <= bound,
            "{} bytes after /q/{slug}",
            app.state.page_cache.bytes()
        );
    }
    let entries = app.state.page_cache.len();
    assert!(entries > 0 && entries < slugs.len(), "{entries} entries");
    // The newest page is the one still there.
    let last = format!("/q/{}", slugs.last().unwrap());
    let hits = |app: &TestApp| app.state.metrics.page_cache_hits.get();
    let before = hits(&app);
    app.get(&last).await;
    assert_eq!(hits(&app), before + 1);
}

/// Sends `count` wrong passwords for `admin` at once from one address; returns how many were
/// checked (401) and how many were turned away (429 or 503).
async fn burst_of_wrong_passwords(app: &TestApp, count: usize, from: &str) -> (usize, usize) {
    let mut client = Client::from_addr(app, from);
    client.get("/admin/login").await;
    let cookie = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let form = format!(
        "username=admin&password=wrong+guess&csrf_token={}",
        client.csrf
    );
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let mut request = Request::post("/admin/login")
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form.clone()))
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(client.addr));
        let router = app.router.clone();
        tasks.spawn(async move { router.oneshot(request).await.unwrap().status() });
    }
    let (mut checked, mut refused) = (0, 0);
    while let Some(status) = tasks.join_next().await {
        match status.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    (checked, refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_ins_get_no_more_tries_than_serial_ones() {
    let app = TestApp::new().await;
    // Five free failures, then the one that starts the delay.
    let (checked, refused) = burst_of_wrong_passwords(&app, 40, "192.0.2.40:1000").await;
    assert!(checked <= 6, "{checked} of 40 passwords were checked");
    assert!(
        checked >= 1,
        "the first attempts are checked, not all turned away"
    );
    assert_eq!(checked + refused, 40);
    let (checked, _) = burst_of_wrong_passwords(&app, 150, "198.51.100.9:1000").await;
    assert!(
        checked <= 1,
        "the account is waiting now: {checked} of 150 were checked"
    );
    still_answers(&app).await;
}

#[tokio::test]
async fn corrections_suggest_only_words_readers_can_find() {
    let app = TestApp::new().await;
    let body = "Only this entry has the word zqpasswordalpha.\n";
    let id = app
        .save(
            None,
            0,
            &draft("secret-word", "Secret word", body, Status::Published),
        )
        .await;
    // Rebuilt, the index holds the entry in one segment with the others, so taking it out
    // deletes it inside that segment: its words stay in the term dictionary until a merge.
    let dir = app.stop().await;
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let app = TestApp::open(dir).await;
    let found = app.get("/search?q=zqpasswordalphx").await;
    assert!(
        found.body.contains("zqpasswordalpha"),
        "corrected while published"
    );
    app.save(
        Some(id),
        1,
        &draft("secret-word", "Secret word", body, Status::Draft),
    )
    .await;
    for uri in ["/search?q=zqpasswordalphx", "/api/search?q=zqpasswordalphx"] {
        let response = app.get(uri).await;
        assert!(
            !response.body.contains("zqpasswordalpha"),
            "{uri} names a word only a draft has: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn the_api_markdown_names_no_unpublished_entry() {
    let app = TestApp::new().await;
    app.save(
        None,
        0,
        &draft("hidden-draft", "Hidden", "Not yet.\n", Status::Draft),
    )
    .await;
    let body = "See [the hidden one](/q/hidden-draft#part), [a live one](/q/releasing-memory-in-python) \
                and [by reference][h].\n\n[h]: /q/hidden-draft\n";
    app.save(
        None,
        0,
        &draft("links-to-a-draft", "Links", body, Status::Published),
    )
    .await;
    let response = app.get("/api/articles/links-to-a-draft").await;
    let json: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    for field in ["body", "html"] {
        let text = json[field].as_str().unwrap();
        assert!(!text.contains("hidden-draft"), "{field}: {text}");
        assert!(
            text.contains("the hidden one"),
            "{field} keeps the words: {text}"
        );
        assert!(
            text.contains("releasing-memory-in-python"),
            "{field}: {text}"
        );
    }
}

#[tokio::test]
async fn a_forged_user_name_cannot_write_a_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let data = dir.path().join("data");
    let server = RunningServer::start_logging(&data, Some(&log)).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let page = raw_http(
        &addr,
        b"GET /admin/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    )
    .await;
    let cookie = page
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("a CSRF cookie")
        .to_owned();
    let token = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF token")
        .to_owned();
    let forged = "x\n2026-12-01T00:00:00.000000Z  INFO pykb: signed in username=\"admin\"\u{1b}[2J";
    let form = format!(
        "username={}&password=whatever+it+is&csrf_token={token}",
        pykb::routes::encode_query(forged)
    );
    let request = format!(
        "POST /admin/login HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    let answer = raw_http(&addr, request.as_bytes(), Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer:.200}");
    assert!(answer.contains("The user name or the password is wrong."));
    drop(server);
    let written = std::fs::read_to_string(&log).unwrap();
    assert!(written.contains("failed sign-in"), "{written}");
    assert!(
        !written.contains('\u{1b}'),
        "an escape reached the log: {written}"
    );
    assert!(
        !written
            .lines()
            .any(|l| l.starts_with("2026-12-01T00:00:00")),
        "a forged line: {written}"
    );
}

#[tokio::test]
async fn control_characters_are_refused_and_feeds_stay_xml_whatever_was_saved() {
    let app = TestApp::new().await;
    let mut editor = Client::signed_in(&app).await;
    for (field, value, other_title) in [
        ("title", "A bell\u{7} in it", None),
        ("summary", "Start of heading \u{1} here", Some("Fine")),
        ("body", "Form feed \u{c} here", Some("Fine")),
    ] {
        editor.get("/admin/articles/new").await;
        let mut fields = Vec::new();
        let title = other_title.unwrap_or(value);
        fields.push(("title", title));
        if field != "title" {
            fields.push((field, value));
        }
        if field != "body" {
            fields.push(("body", "Some body."));
        }
        let response = editor.post("/admin/articles", &fields).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            response.body.contains("invisible control character"),
            "{field}"
        );
        let kept = if field == "body" {
            kept_body(&response)
        } else {
            let selector = format!("[name={field}]");
            let html = response.html();
            attrs(&html, &selector, "value")
                .pop()
                .or_else(|| texts(&html, &selector).pop())
                .unwrap_or_default()
        };
        assert_eq!(kept, value, "{field} is kept as typed");
    }
    // A browser's CR LF is a newline, not a refusal.
    editor.get("/admin/articles/new").await;
    let response = editor
        .post(
            "/admin/articles",
            &[
                ("title", "Windows line ends"),
                ("body", "one\r\ntwo\r\n"),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let api = app.get("/api/articles/windows-line-ends").await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["body"], "one\ntwo\n");

    // Text stored before the rule (or by a writer that skips it) must not break the feeds.
    let mut old = draft(
        "old-control-characters",
        "Old \u{1}title\u{b}",
        "Body \u{c} text\n",
        Status::Published,
    );
    old.summary = "Summary \u{1b}[0m".to_owned();
    app.save(None, 0, &old).await;
    for uri in ["/feed.xml", "/tags/memory/feed.xml", "/sitemap.xml"] {
        let response = app.get(uri).await;
        assert_eq!(response.status, StatusCode::OK, "{uri}");
        if let Err(err) = roxmltree::Document::parse(&response.body) {
            panic!("{uri} is not XML: {err}");
        }
    }
    assert!(app.get("/feed.xml").await.body.contains("Old title"));
}

/// Runs `pykb` with a deadline; a command that would read forever fails the test instead.
fn pykb_within(dir: &Path, args: &[&str], deadline: Duration) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pykb"))
        .args(args)
        .env("PYKB_DATA_DIR", dir)
        .envs(crate::helpers::database_env(dir))
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("pykb runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pykb {args:?} was still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn import_reads_only_regular_files_of_a_sane_size() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let good = "+++\nslug = \"good-one\"\ntitle = \"Good\"\nkind = \"question\"\n+++\nFine.\n";
    std::fs::write(files.path().join("good-one.md"), good).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", files.path().join("leak.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", files.path().join("zero.md")).unwrap();
    let big = format!("{good}{}\n", "x".repeat(2 << 20));
    std::fs::write(files.path().join("big.md"), big).unwrap();
    let control =
        "+++\nslug = \"bell\"\ntitle = \"Bell\"\nkind = \"question\"\n+++\nok\nding\u{7}\n";
    std::fs::write(files.path().join("bell.md"), control).unwrap();
    let deep = format!(
        "+++\nslug = \"deep\"\ntitle = \"Deep\"\nkind = \"question\"\n+++\n{}x\n",
        "- ".repeat(1000)
    );
    std::fs::write(files.path().join("deep.md"), deep).unwrap();
    let output = pykb_within(
        data.path(),
        &["import", files.path().to_str().unwrap()],
        Duration::from_secs(60),
    );
    let text = output_text(&output);
    assert!(!output.status.success(), "{text}");
    for expected in [
        "leak.md: is a symbolic link",
        "zero.md: is a symbolic link",
        "big.md: is larger than 1024 KiB",
        "bell.md:7: The body has an invisible control character (U+0007) on line 2",
        "deep.md:6: Line 1 of the body nests",
    ] {
        assert!(text.contains(expected), "no “{expected}” in: {text}");
    }
    assert!(!text.contains("root:"), "the linked file was read: {text}");
}

#[tokio::test]
async fn restore_refuses_a_backup_pykb_did_not_make_and_moves_nothing() {
    let app = TestApp::new().await;
    let work = tempfile::tempdir().unwrap();
    let backup = work.path().join("good.sqlite");
    let out = pykb(app.dir.path(), &["backup", backup.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", output_text(&out));
    let dir = app.stop().await;
    let tampered = [
        (
            "trigger",
            "CREATE TRIGGER keep_hash AFTER UPDATE OF password_hash ON users BEGIN \
             UPDATE users SET password_hash = old.password_hash WHERE id = new.id; END",
            "trigger `keep_hash`",
        ),
        (
            "checksum",
            "UPDATE _sqlx_migrations SET checksum = X'00' WHERE version = 1",
            "another checksum",
        ),
        (
            "view",
            "CREATE VIEW everything AS SELECT * FROM users",
            "view `everything`",
        ),
        (
            "column",
            "ALTER TABLE users ADD COLUMN note TEXT",
            "table `users` differs",
        ),
    ];
    for (name, statement, problem) in tampered {
        let file = work.path().join(format!("{name}.sqlite"));
        std::fs::copy(&backup, &file).unwrap();
        let url = format!("sqlite:{}", file.display());
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::Connection::close(conn).await.unwrap();
        let out = pykb(dir.path(), &["restore", file.to_str().unwrap()], "");
        let text = output_text(&out);
        assert!(!out.status.success(), "{name}: {text}");
        assert!(text.contains(problem), "{name}: no “{problem}” in {text}");
        assert!(text.contains("nothing was changed"), "{name}: {text}");
        let moved: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".replaced-") || n.contains(".restoring"))
            .collect();
        assert!(moved.is_empty(), "{name}: {moved:?}");
    }
    // The site is as it was.
    let app = TestApp::open(dir).await;
    assert_eq!(
        app.get("/q/releasing-memory-in-python").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn export_writes_nothing_outside_its_directory() {
    let app = TestApp::new().await;
    let changed = crate::helpers::sql_execute(
        &app.state.db,
        "UPDATE articles SET slug = '../../escaped' WHERE slug = 'releasing-memory-in-python'",
    )
    .await;
    assert_eq!(changed, 1);
    let dir = app.stop().await;
    let work = tempfile::tempdir().unwrap();
    let out_dir = work.path().join("a").join("b");
    let out = pykb(dir.path(), &["export", out_dir.to_str().unwrap()], "");
    let text = output_text(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("\"../../escaped\", which is not a valid slug"),
        "{text}"
    );
    assert!(!work.path().join("escaped.md").exists());
}

#[tokio::test]
async fn an_announced_oversized_body_gets_413_at_once_without_100_continue() {
    let data = tempfile::tempdir().unwrap();
    let server = RunningServer::start(data.path()).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let request = "POST /admin/articles HTTP/1.1\r\nHost: x\r\nContent-Type: \
                   application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\
                   Expect: 100-continue\r\n\r\n";
    let started = Instant::now();
    let answer = raw_http(&addr, request.as_bytes(), Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.300}");
    assert!(!answer.contains("100 Continue"), "{answer:.300}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered after {:?}",
        started.elapsed()
    );
    let api = "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n";
    let answer = raw_http(&addr, api.as_bytes(), Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.300}");
    assert!(answer.contains("application/json"), "{answer:.300}");
}
