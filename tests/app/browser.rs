//! End to end in a real browser: Debian's chromium, driven through chromium-driver
//! (WebDriver) by fantoccini, against the real app served over real HTTP. The reader's and the
//! editor's flows, axe-core accessibility checks, and screenshots under `target/tmp/screenshots`.
//!
//! Without chromium and chromedriver these tests fail under CI=true and skip loudly elsewhere.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestApp, require_tool};

/// axe-core from the npm registry, vendored (see tests/fixtures/axe-core/README.md).
const AXE: &str = include_str!("../fixtures/axe-core/axe.min.js");

const DESKTOP: (u32, u32) = (1280, 900);
/// WebDriver's code for the Enter key.
const ENTER: &str = "\u{E007}";
const PHONE: (u32, u32) = (360, 740);
/// WebDriver's codes for keys: arrows, Escape, Control, and the release of every modifier.
const DOWN: &str = "\u{E015}";
const UP: &str = "\u{E013}";
const ESCAPE: &str = "\u{E00C}";
const CONTROL: &str = "\u{E009}";
const RELEASE: &str = "\u{E000}";

/// A program on the PATH.
fn find_program(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// The app on a real port, chromedriver, and a browser session on it. Everything stops when
/// it is dropped.
struct Browser {
    app: TestApp,
    base: String,
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The colour scheme the browser's system prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Light,
    Dark,
}

impl Browser {
    /// None when chromium or chromedriver is missing (and not under CI).
    async fn start() -> Option<Browser> {
        Self::start_in(Scheme::Light).await
    }

    /// A browser whose system prefers `scheme` (Blink's setting, as the OS would set it).
    async fn start_in(scheme: Scheme) -> Option<Browser> {
        Self::start_configured(scheme, |_| {}).await
    }

    /// The browser on an app whose configuration `change` adjusts first.
    async fn start_configured(
        scheme: Scheme,
        change: impl FnOnce(&mut pykb::Config),
    ) -> Option<Browser> {
        let chromium = find_program("chromium");
        let driver = find_program("chromedriver");
        if !require_tool(
            "chromium and chromium-driver (chromedriver)",
            chromium.is_some() && driver.is_some(),
        ) {
            return None;
        }
        let (chromium, driver) = (chromium?, driver?);

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let app = TestApp::with_config(|config| {
            config.base_url = base.clone();
            change(config);
        })
        .await;
        let service = app
            .router
            .clone()
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });

        let port = free_port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver_url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let profile = tempfile::tempdir().unwrap();
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
        ];
        if scheme == Scheme::Dark {
            // Blink's PreferredColorScheme: 0 is dark.
            args.push("--blink-settings=preferredColorScheme=0".to_owned());
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object")
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver_url)
            .await
            .expect("a browser session");
        Some(Browser {
            app,
            base,
            client,
            driver,
            _profile: profile,
        })
    }

    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("goto {path}: {e}"));
    }

    /// The path (with query and fragment) the browser is on.
    async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        let mut path = url.path().to_owned();
        if let Some(q) = url.query() {
            path = format!("{path}?{q}");
        }
        if let Some(f) = url.fragment() {
            path = format!("{path}#{f}");
        }
        path
    }

    async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    async fn text(&self, css: &str) -> String {
        let path = self.path().await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} on {path}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// Clicks the first element matching `css` and waits for the next page; returns the link's
    /// text.
    async fn follow(&self, css: &str) -> String {
        let link = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        let text = link.text().await.unwrap();
        let before = self.url().await;
        link.click().await.unwrap();
        self.wait_for_url_change(&before).await;
        text
    }

    /// Waits until `condition` (a JavaScript expression) is true on the page.
    async fn wait_until(&self, condition: &str) {
        let script = format!("return Boolean({condition});");
        for _ in 0..100 {
            let value = self.client.execute(&script, vec![]).await.unwrap();
            if value.as_bool() == Some(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("still not true after 5 s: {condition}");
    }

    /// Presses keys on whatever has the focus (WebDriver key codes included).
    async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    async fn wait_for_url_change(&self, before: &str) {
        for _ in 0..100 {
            if self.url().await != before {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the page did not change from {before}");
    }

    /// Runs axe-core on the current page; returns every violation as (impact, id, help,
    /// where).
    async fn axe(&self) -> Vec<(String, String, String, String)> {
        self.client.execute(AXE, vec![]).await.expect("axe loads");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v => [v.impact || '', v.id, v.help,
                        v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')])))
                    .catch(e => done([['error', 'axe', String(e), '']]));",
                vec![],
            )
            .await
            .expect("axe runs");
        serde_json::from_value(result).expect("a list of violations")
    }

    async fn screenshot(&self, name: &str, (width, height): (u32, u32)) {
        self.client.set_window_size(width, height).await.unwrap();
        // Chromium refuses a screenshot while the page is between documents ("aborted by
        // navigation"), which a loaded machine makes likelier: wait for a loaded page, and try
        // again a few times before giving up.
        let mut attempts = 0;
        let png = loop {
            attempts += 1;
            let loaded = self
                .client
                .execute("return document.readyState === 'complete';", vec![])
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if loaded && let Ok(png) = self.client.screenshot().await {
                break png;
            }
            assert!(
                attempts < 20,
                "no screenshot of {name} after {attempts} tries"
            );
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        };
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}-{width}.png")), png).unwrap();
    }

    /// Whether the page is painted dark (its background's luminance).
    async fn is_dark(&self) -> bool {
        let value = self
            .client
            .execute(
                "const c = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
                 return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) < 128;",
                vec![],
            )
            .await
            .unwrap();
        value.as_bool().unwrap_or(false)
    }

    /// Whether the page is wider than the window (something overflows sideways).
    async fn overflows_sideways(&self) -> bool {
        let value = self
            .client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth + 1;",
                vec![],
            )
            .await
            .unwrap();
        value.as_bool().unwrap_or(true)
    }

    async fn sign_in(&self) {
        self.sign_in_as("admin", ADMIN_PASSWORD).await;
    }

    async fn sign_in_as(&self, username: &str, password: &str) {
        self.goto("/admin").await;
        assert!(
            self.path().await.starts_with("/admin/login?next="),
            "{}",
            self.path().await
        );
        self.client
            .find(Locator::Css("#username"))
            .await
            .unwrap()
            .send_keys(username)
            .await
            .unwrap();
        let field = self.client.find(Locator::Css("#password")).await.unwrap();
        field.send_keys(password).await.unwrap();
        let password = field;
        let before = self.url().await;
        password.send_keys(ENTER).await.unwrap();
        self.wait_for_url_change(&before).await;
        assert_eq!(self.path().await, "/admin");
    }

    async fn close(self) {
        self.client.clone().close().await.ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_browses_from_home_to_a_section_found_by_search() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.goto("/").await;
    assert_eq!(
        browser.client.title().await.unwrap(),
        "Python interview questions · pykb"
    );

    // Home → a topic → an article → one of its related questions.
    let topic = browser.follow("section.topic h2 a").await;
    assert!(
        browser.path().await.starts_with("/tags/"),
        "{}",
        browser.path().await
    );
    assert_eq!(browser.text("h1").await, topic);
    let title = browser.follow("a.entry-title").await;
    assert!(browser.path().await.starts_with("/q/"));
    assert_eq!(browser.text("h1").await, title);
    let related = browser
        .follow("section[aria-labelledby=related-heading] a")
        .await;
    assert_eq!(browser.text("h1").await, related);

    // "/" focuses the search box; typing and Enter searches.
    browser
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    let focused = browser.client.active_element().await.unwrap();
    assert_eq!(
        focused.attr("id").await.unwrap().as_deref(),
        Some("site-search")
    );
    let before = browser.url().await;
    focused.send_keys("weakref").await.unwrap();
    focused.send_keys(ENTER).await.unwrap();
    browser.wait_for_url_change(&before).await;
    assert_eq!(browser.path().await, "/search?q=weakref");
    assert!(browser.text(".result-count").await.contains("result"));

    // The first result leads to the section that matched, scrolled into view.
    let result = browser.follow(".results .result-title a").await;
    let path = browser.path().await;
    let (page, section) = path.split_once('#').expect("a link to a section");
    assert!(page.starts_with("/q/"), "{page}");
    assert_eq!(browser.text("h1").await, result);
    let visible = browser
        .client
        .execute(
            "const e = document.getElementById(arguments[0]);
             if (!e) return 'missing';
             const r = e.getBoundingClientRect();
             return (r.top >= -1 && r.top < window.innerHeight) || [r.top, window.innerHeight, window.scrollY, document.readyState].join(' ');",
            vec![json!(section)],
        )
        .await
        .unwrap();
    assert_eq!(visible, json!(true), "#{section} is on screen");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_edits_previews_and_publishes_an_answer() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.sign_in().await;
    browser.goto("/admin?q=metaclasses").await;
    let title = browser.follow("table.admin-table td a").await;
    assert!(browser.path().await.ends_with("/edit"));

    // Type at the end of the answer, as a person would.
    let body = browser.client.find(Locator::Css("#f-body")).await.unwrap();
    body.click().await.unwrap();
    body.send_keys("\u{E009}\u{E010}\u{E000}").await.unwrap(); // Ctrl+End, then release
    body.send_keys("\n\nEdited in a real browser: zorblaxian metaclass notes.\n")
        .await
        .unwrap();

    // Preview updates in place (no navigation), showing the rendered text.
    let edit_url = browser.url().await;
    browser
        .client
        .find(Locator::Css("button[formaction='/admin/preview']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mut previewed = String::new();
    for _ in 0..100 {
        previewed = browser.text("#preview-body").await;
        if previewed.contains("zorblaxian") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        previewed.contains("Edited in a real browser: zorblaxian"),
        "{previewed}"
    );
    assert_eq!(
        browser.url().await,
        edit_url,
        "the preview did not leave the page"
    );

    // Save: back on the editor with a confirmation.
    let before = browser.url().await;
    browser
        .client
        .find(Locator::Css(
            "#article-form button[type=submit]:not([formaction])",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_url_change(&before).await;
    assert!(
        browser.path().await.ends_with("/edit?saved=1"),
        "{}",
        browser.path().await
    );
    assert!(
        browser
            .text("p.notice[role=status]")
            .await
            .starts_with("Saved")
    );

    // Readers see it, and search finds it.
    browser.goto("/q/what-are-metaclasses-in-python").await;
    assert_eq!(browser.text("h1").await, title);
    assert!(
        browser
            .text(".prose")
            .await
            .contains("zorblaxian metaclass notes")
    );
    browser.goto("/search?q=zorblaxian").await;
    let hit = browser
        .client
        .find(Locator::Css(".results .result-title a"))
        .await
        .unwrap();
    assert!(
        hit.attr("href")
            .await
            .unwrap()
            .unwrap()
            .starts_with("/q/what-are-metaclasses-in-python")
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_pass_axe_in_both_schemes_and_fit_a_phone_and_screenshots_are_saved() {
    let mut report = Vec::new();
    for scheme in [Scheme::Light, Scheme::Dark] {
        let Some(browser) = Browser::start_in(scheme).await else {
            return;
        };
        let suffix = match scheme {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        };
        browser.goto("/").await;
        let dark = browser.is_dark().await;
        assert_eq!(dark, scheme == Scheme::Dark, "the page follows the system");
        let public = [
            ("home", "/"),
            ("article", "/q/releasing-memory-in-python"),
            ("search", "/search?q=garbage+collection"),
            ("topic", "/tags/memory"),
            ("topics", "/tags"),
            ("practice", "/practice?topic=memory"),
        ];
        for (name, path) in public {
            browser
                .client
                .set_window_size(DESKTOP.0, DESKTOP.1)
                .await
                .unwrap();
            browser.goto(path).await;
            let found = browser.axe().await;
            report.extend(found.into_iter().map(|v| (format!("{path} ({suffix})"), v)));
            browser
                .screenshot(&format!("{name}-{suffix}"), DESKTOP)
                .await;
            browser.screenshot(&format!("{name}-{suffix}"), PHONE).await;
            assert!(
                !browser.overflows_sideways().await,
                "{path} is wider than a 360 px phone"
            );
        }
        browser
            .client
            .set_window_size(DESKTOP.0, DESKTOP.1)
            .await
            .unwrap();
        browser.goto("/admin/login").await;
        let found = browser.axe().await;
        report.extend(
            found
                .into_iter()
                .map(|v| (format!("/admin/login ({suffix})"), v)),
        );
        browser.sign_in().await;
        let id = pykb::db::articles::id_and_version(
            &mut browser.app.state.db.acquire().await.unwrap(),
            "releasing-memory-in-python",
        )
        .await
        .unwrap()
        .unwrap()
        .0;
        let edit = format!("/admin/articles/{id}/edit");
        browser.goto(&edit).await;
        let found = browser.axe().await;
        report.extend(
            found
                .into_iter()
                .map(|v| (format!("the edit form ({suffix})"), v)),
        );
        browser.screenshot(&format!("edit-{suffix}"), DESKTOP).await;
        // The search report, with something to show.
        for q in [
            "generators",
            "generators",
            "nothing matches qwzxv",
            "weakref",
        ] {
            browser
                .goto(&format!("/search?q={}", pykb::routes::encode_query(q)))
                .await;
        }
        browser.app.state.search_log.opened("generators", 2, false);
        browser.goto("/admin/search").await;
        let found = browser.axe().await;
        report.extend(
            found
                .into_iter()
                .map(|v| (format!("the search report ({suffix})"), v)),
        );
        browser
            .screenshot(&format!("search-report-{suffix}"), DESKTOP)
            .await;
        browser
            .screenshot(&format!("search-report-{suffix}"), PHONE)
            .await;
        // The history of an article with two versions, on a phone: no sideways scrolling, and
        // Restore within reach.
        let (_, version) = browser
            .app
            .id_and_version("releasing-memory-in-python")
            .await;
        let mut draft = crate::helpers::seed_draft("releasing-memory-in-python");
        draft.summary.push_str(" Edited.");
        browser.app.save(Some(id), version, &draft).await;
        browser
            .client
            .set_window_size(PHONE.0, PHONE.1)
            .await
            .unwrap();
        browser.goto(&format!("/admin/articles/{id}/history")).await;
        let found = browser.axe().await;
        report.extend(
            found
                .into_iter()
                .map(|v| (format!("the history ({suffix})"), v)),
        );
        assert!(
            !browser.overflows_sideways().await,
            "the history is wider than a 360 px phone"
        );
        let restore_fits = browser
            .client
            .execute(
                "const b = document.querySelector('.history button');
                 const r = b.getBoundingClientRect();
                 return r.left >= 0 && r.right <= window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(restore_fits, json!(true), "Restore is on screen at 360 px");
        browser
            .screenshot(&format!("history-{suffix}"), PHONE)
            .await;
        browser.close().await;
    }
    eprintln!("axe-core violations (all impacts): {}", report.len());
    for (page, (impact, id, help, nodes)) in &report {
        eprintln!("  {page}: [{impact}] {id}: {help} ({nodes})");
    }
    assert!(report.is_empty(), "axe violations: {report:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_theme_switch_is_remembered_across_pages_and_passes_axe() {
    let Some(browser) = Browser::start_in(Scheme::Light).await else {
        return;
    };
    browser.goto("/").await;
    assert!(!browser.is_dark().await);
    let switch = browser
        .client
        .find(Locator::Css("select[data-theme-switch]"))
        .await
        .unwrap();
    assert!(
        switch.is_displayed().await.unwrap(),
        "shown with JavaScript"
    );
    switch.select_by_value("dark").await.unwrap();
    assert!(browser.is_dark().await, "applied at once");
    browser.goto("/q/what-are-metaclasses-in-python").await;
    assert!(browser.is_dark().await, "remembered on the next page");
    let switch = browser
        .client
        .find(Locator::Css("select[data-theme-switch]"))
        .await
        .unwrap();
    assert_eq!(switch.prop("value").await.unwrap().as_deref(), Some("dark"));
    let found = browser.axe().await;
    assert!(found.is_empty(), "chosen dark theme: {found:#?}");
    switch.select_by_value("system").await.unwrap();
    browser.goto("/").await;
    assert!(!browser.is_dark().await, "back to the system's light");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contents_follow_the_reader_and_phones_get_a_menu_and_editors_an_edit_link() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let path = "/q/releasing-memory-in-python";
    browser.goto(path).await;
    let edit = browser
        .client
        .find(Locator::Css("a[data-edit-link]"))
        .await
        .unwrap();
    assert!(!edit.is_displayed().await.unwrap(), "hidden from readers");
    let state = |script: &'static str| {
        let client = browser.client.clone();
        async move { client.execute(script, vec![]).await.unwrap() }
    };
    // Scrolled to a section, the contents stay in view and mark it.
    let marked = state(
        "document.getElementById('reference-counting').scrollIntoView();
         return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
           const toc = document.querySelector('.toc').getBoundingClientRect();
           const current = document.querySelector('.toc a[aria-current]');
           done([toc.top >= 0 && toc.top < window.innerHeight, current && current.getAttribute('href')]);
         })));",
    )
    .await;
    assert_eq!(marked, json!([true, "#reference-counting"]));

    // On a phone: the contents start folded, the menu opens without leaving the page.
    browser
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    browser.goto(path).await;
    assert_eq!(
        state("return document.querySelector('.toc details').open;").await,
        json!(false)
    );
    browser
        .client
        .find(Locator::Css(".site-menu summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let topics = browser
        .client
        .find(Locator::Css(".site-menu a[href='/tags']"))
        .await
        .unwrap();
    assert!(topics.is_displayed().await.unwrap(), "the menu opened");
    assert!(!browser.overflows_sideways().await);

    // Signed in, the same cached page shows the editor the way to its form.
    browser
        .client
        .set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .unwrap();
    browser.sign_in().await;
    browser.goto(path).await;
    let edit = browser
        .client
        .find(Locator::Css("a[data-edit-link]"))
        .await
        .unwrap();
    assert!(
        edit.is_displayed().await.unwrap(),
        "shown to a signed-in editor"
    );
    let href = edit.attr("href").await.unwrap().unwrap_or_default();
    browser.close().await;
    assert!(href.starts_with("/admin/articles/") && href.ends_with("/edit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_s_saves_the_article_form() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.sign_in().await;
    let (id, version) = pykb::db::articles::id_and_version(
        &mut browser.app.state.db.acquire().await.unwrap(),
        "what-are-metaclasses-in-python",
    )
    .await
    .unwrap()
    .unwrap();
    browser.goto(&format!("/admin/articles/{id}/edit")).await;
    let summary = browser
        .client
        .find(Locator::Css("textarea#f-summary"))
        .await
        .unwrap();
    summary
        .send_keys(" Saved with the keyboard.")
        .await
        .unwrap();
    let before = browser.url().await;
    // Control down, "s", then all modifiers up (WebDriver's NULL key).
    summary.send_keys("\u{E009}s\u{E000}").await.unwrap();
    browser.wait_for_url_change(&before).await;
    assert!(
        browser.path().await.contains("saved="),
        "{}",
        browser.path().await
    );
    let mut conn = browser.app.state.db.acquire().await.unwrap();
    let article = pykb::db::articles::for_edit(&mut conn, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.version, version + 1);
    assert!(article.summary.ends_with(" Saved with the keyboard."));
    drop(conn);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_wide_screen_the_preview_sits_beside_the_source_and_follows_the_typing() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.sign_in().await;
    browser.client.set_window_size(1440, 900).await.unwrap();
    let (id, _) = browser
        .app
        .id_and_version("what-are-metaclasses-in-python")
        .await;
    browser.goto(&format!("/admin/articles/{id}/edit")).await;
    // The preview shows at once, beside the form.
    browser
        .wait_until("document.documentElement.classList.contains('live-preview') && !document.getElementById('preview').hidden && document.getElementById('preview-body').textContent.includes('metaclass')")
        .await;
    let side_by_side = browser
        .client
        .execute(
            "const f = document.getElementById('article-form').getBoundingClientRect();
             const p = document.getElementById('preview').getBoundingClientRect();
             return p.left >= f.right && p.top < f.bottom;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(side_by_side, json!(true));
    // Typing shows in the preview without pressing anything; nothing is saved.
    let body = browser.client.find(Locator::Css("#f-body")).await.unwrap();
    body.send_keys("\n\n## Typed just now\n\nA *fresh* paragraph.\n")
        .await
        .unwrap();
    browser
        .wait_until("[...document.querySelectorAll('#preview-body h2')].some(h => h.textContent.includes('Typed just now')) && document.querySelector('#preview-body em') !== null")
        .await;
    let (_, version) = browser
        .app
        .id_and_version("what-are-metaclasses-in-python")
        .await;
    assert_eq!(version, 1, "a live preview saves nothing");
    browser.screenshot("live-preview", (1440, 900)).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_and_related_fields_suggest_topics_and_entries_by_keyboard() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.sign_in().await;
    browser.goto("/admin/articles/new").await;
    let tags = browser.client.find(Locator::Css("#f-tags")).await.unwrap();
    tags.click().await.unwrap();
    browser.keys("mem").await;
    let options = "document.querySelectorAll('#f-tags-suggestions [role=option]')";
    browser
        .wait_until(&format!(
            "{options}.length > 0 && document.getElementById('f-tags').getAttribute('aria-expanded') === 'true'"
        ))
        .await;
    browser.keys(DOWN).await;
    browser.keys(ENTER).await;
    browser
        .wait_until("document.getElementById('f-tags').value === 'memory, '")
        .await;
    // The next item is suggested the same way, after the comma.
    browser.keys("fil").await;
    browser
        .wait_until(&format!(
            "{options}.length > 0 && document.getElementById('f-tags').getAttribute('aria-expanded') === 'true'"
        ))
        .await;
    browser.keys(DOWN).await;
    browser.keys("\u{E004}").await; // Tab takes it too
    browser
        .wait_until("document.getElementById('f-tags').value === 'memory, files, '")
        .await;

    // Related: entries by the words of their titles, filled in as slugs.
    browser
        .client
        .find(Locator::Css("#f-related"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.keys("metacl").await;
    browser
        .wait_until("document.querySelectorAll('#f-related-suggestions [role=option]').length > 0")
        .await;
    browser.keys(DOWN).await;
    browser.keys(ENTER).await;
    browser
        .wait_until(
            "document.getElementById('f-related').value === 'what-are-metaclasses-in-python, '",
        )
        .await;
    assert!(browser.axe().await.is_empty(), "{:?}", browser.axe().await);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn breadcrumbs_and_topic_links_lead_where_they_say() {
    let Some(browser) = Browser::start_in(Scheme::Dark).await else {
        return;
    };
    let article = "/q/what-are-metaclasses-in-python";
    browser.goto(article).await;
    let topic = browser
        .follow("nav[aria-label=Breadcrumb] li:nth-child(2) a")
        .await;
    assert_eq!(browser.path().await, "/tags/oop");
    assert!(browser.text("h1").await.contains(&topic), "{topic}");
    browser.goto(article).await;
    browser
        .follow("nav[aria-label=Breadcrumb] li:first-child a")
        .await;
    assert_eq!(browser.path().await, "/");
    let label = browser.follow("nav.topic-index li:first-child a").await;
    assert!(browser.path().await.starts_with("/tags/"), "{label}");
    assert!(browser.text("h1").await.contains(&label), "{label}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_an_editor_types_survives_a_closed_tab_and_is_restored() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.sign_in().await;
    let (id, _) = pykb::db::articles::id_and_version(
        &mut browser.app.state.db.acquire().await.unwrap(),
        "what-are-metaclasses-in-python",
    )
    .await
    .unwrap()
    .unwrap();
    browser.goto(&format!("/admin/articles/{id}/edit")).await;
    browser
        .client
        .find(Locator::Css("textarea#f-body"))
        .await
        .unwrap()
        .send_keys(" A sentence typed but never saved.")
        .await
        .unwrap();
    let admin =
        pykb::db::users::by_name(&mut browser.app.state.db.acquire().await.unwrap(), "admin")
            .await
            .unwrap()
            .unwrap();
    let mut kept = None;
    for _ in 0..100 {
        kept = pykb::db::autosaves::get(&browser.app.state.db, admin.id, id)
            .await
            .unwrap();
        if kept.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (fields, _) = kept.expect("the page sent what was typed within 10 s");
    assert!(
        fields.contains("A sentence typed but never saved."),
        "{fields}"
    );

    // Close the tab without saving (the leave-page question does not stop a closing tab in
    // WebDriver), open the editor again in a new one: the text is offered back, and restored.
    let fresh = browser.client.new_window(true).await.unwrap();
    browser.client.close_window().await.unwrap();
    browser.client.switch_to_window(fresh.handle).await.unwrap();
    browser.goto(&format!("/admin/articles/{id}/edit")).await;
    assert!(
        browser.text("#unsaved").await.contains("not saved"),
        "the offer to restore"
    );
    let before = browser.url().await;
    browser
        .client
        .find(Locator::Css("#unsaved button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_url_change(&before).await;
    let body = browser
        .client
        .execute("return document.getElementById('f-body').value", vec![])
        .await
        .unwrap();
    assert!(
        body.as_str()
            .unwrap_or_default()
            .ends_with(" A sentence typed but never saved."),
        "{body}"
    );
    let (_, version) = browser
        .app
        .id_and_version("what-are-metaclasses-in-python")
        .await;
    assert_eq!(
        version, 1,
        "restoring puts the text back in the form; saving is the editor's choice"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_odd_last_entry_takes_the_whole_row() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    // A fifth entry in "Start here" (articles and collections).
    let mut draft = crate::helpers::seed_draft("python-interview-questions-part-4");
    draft.slug = pykb::domain::Slug::parse("python-interview-questions-part-5").unwrap();
    draft.title = "Python Interview Questions (Part 5)".into();
    browser.app.save(None, 0, &draft).await;
    browser.goto("/").await;
    let widths = browser
        .client
        .execute(
            "const list = document.querySelector('section[aria-labelledby=start-here] .entry-list');
             const items = list.querySelectorAll(':scope > li');
             const last = items[items.length - 1].getBoundingClientRect().width;
             return [items.length, Math.round(last), Math.round(list.getBoundingClientRect().width),
                     Math.round(items[0].getBoundingClientRect().width)];",
            vec![],
        )
        .await
        .unwrap();
    let [count, last, list, first] = serde_json::from_value::<[u64; 4]>(widths).unwrap();
    assert_eq!(count % 2, 1, "an odd number of entries");
    assert!(first < list, "two columns at this width");
    assert_eq!(last, list, "the last entry spans the row");
    browser.screenshot("home-start-here-odd", DESKTOP).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_as_you_type_work_from_the_keyboard_alone() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.goto("/tags").await;
    // "/" focuses the header's box; its hint says so.
    assert_eq!(browser.text(".search-hint").await, "/");
    browser.keys("/").await;
    browser
        .wait_until("document.activeElement && document.activeElement.id === 'site-search'")
        .await;
    let input = "document.getElementById('site-search')";
    assert_eq!(
        browser
            .client
            .execute(&format!("return {input}.getAttribute('role')"), vec![])
            .await
            .unwrap(),
        json!("combobox")
    );

    // Typing shows the best results, the unfinished word matched as a prefix.
    browser.keys("gen").await;
    let listbox = format!("document.getElementById({input}.getAttribute('aria-controls'))");
    browser
        .wait_until(&format!(
            "{input}.getAttribute('aria-expanded') === 'true' && {listbox}.querySelectorAll('[role=option]').length >= 3"
        ))
        .await;
    let titles = browser
        .client
        .execute(
            &format!(
                "return [...{listbox}.querySelectorAll('.suggest-title')].map(e => e.textContent)"
            ),
            vec![],
        )
        .await
        .unwrap();
    let titles: Vec<String> = serde_json::from_value(titles).unwrap();
    assert!(
        titles.len() <= 9,
        "at most 8 results and the full search: {titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.to_lowercase().contains("generator")),
        "gen → generators: {titles:?}"
    );
    assert!(
        browser.axe().await.is_empty(),
        "axe with the list open: {:?}",
        browser.axe().await
    );
    browser.screenshot("as-you-type", DESKTOP).await;

    // ↓ highlights the first result; Esc closes the list; ↓ opens it again.
    browser.keys(DOWN).await;
    let first = format!("{listbox}.querySelector('[role=option]')");
    browser
        .wait_until(&format!(
            "{input}.getAttribute('aria-activedescendant') === {first}.id && {first}.getAttribute('aria-selected') === 'true'"
        ))
        .await;
    browser.keys(UP).await;
    browser
        .wait_until(&format!("!{input}.hasAttribute('aria-activedescendant')"))
        .await;
    browser.keys(ESCAPE).await;
    browser
        .wait_until(&format!(
            "{input}.getAttribute('aria-expanded') === 'false' && {listbox}.hidden"
        ))
        .await;
    browser.keys(DOWN).await;
    browser
        .wait_until(&format!("{input}.getAttribute('aria-expanded') === 'true'"))
        .await;

    // Enter opens the highlighted result, where it lands.
    browser.keys(DOWN).await;
    let href = browser
        .client
        .execute(
            &format!("const s = {first}.querySelector('.suggest-title').textContent; return s"),
            vec![],
        )
        .await
        .unwrap();
    let before = browser.url().await;
    browser.keys(ENTER).await;
    browser.wait_for_url_change(&before).await;
    assert!(
        browser.path().await.starts_with("/q/"),
        "{}",
        browser.path().await
    );
    assert_eq!(json!(browser.text("h1").await), href);

    // Ctrl+K focuses the box from anywhere; Enter with nothing highlighted searches.
    browser
        .client
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.keys(&format!("{CONTROL}k{RELEASE}")).await;
    browser
        .wait_until("document.activeElement && document.activeElement.id === 'site-search'")
        .await;
    browser.keys("weakref").await;
    let before = browser.url().await;
    browser.keys(ENTER).await;
    browser.wait_for_url_change(&before).await;
    assert_eq!(browser.path().await, "/search?q=weakref");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_sends_a_change_and_a_reviewer_publishes_it() {
    // One browser, two people in turn, on a site with review on; in both colour schemes.
    for scheme in [Scheme::Light, Scheme::Dark] {
        editor_then_reviewer(scheme).await;
    }
}

async fn editor_then_reviewer(scheme: Scheme) {
    let Some(browser) = Browser::start_configured(scheme, |c| c.review = true).await else {
        return;
    };
    let suffix = match scheme {
        Scheme::Light => "light",
        Scheme::Dark => "dark",
    };
    let password = "a long enough password 1";
    for (name, role) in [
        ("ed", pykb::domain::Role::Editor),
        ("rev", pykb::domain::Role::Reviewer),
    ] {
        pykb::accounts::add(&browser.app.state.db, name, password, role)
            .await
            .unwrap();
    }
    let (id, _) = browser
        .app
        .id_and_version("what-are-metaclasses-in-python")
        .await;

    browser.sign_in_as("ed", password).await;
    browser.goto(&format!("/admin/articles/{id}/edit")).await;
    browser
        .client
        .find(Locator::Css("#f-body"))
        .await
        .unwrap()
        .send_keys("\n\nWombatword waits for a reviewer.\n")
        .await
        .unwrap();
    browser
        .follow("#article-form .form-actions-top button[type=submit]")
        .await;
    assert!(
        browser.path().await.ends_with("/edit?submitted=1"),
        "{}",
        browser.path().await
    );
    assert!(
        browser
            .text("[data-review-state]")
            .await
            .contains("waits for review")
    );
    browser
        .screenshot(&format!("review-sent-{suffix}"), DESKTOP)
        .await;
    browser.goto("/admin?status=review").await;
    browser
        .screenshot(&format!("review-list-{suffix}"), PHONE)
        .await;
    browser
        .client
        .set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .unwrap();
    browser.goto("/q/what-are-metaclasses-in-python").await;
    assert!(!browser.text("main").await.contains("Wombatword"));
    browser.goto("/admin").await;
    browser.follow(".admin-nav form button").await;

    browser.sign_in_as("rev", password).await;
    browser.goto("/admin/review").await;
    assert!(browser.text("[data-review]").await.contains("Wombatword"));
    // Only the sentence the editor added: the form's line endings and list spacing are not
    // changes.
    let removed = browser
        .client
        .execute(
            "return document.querySelectorAll('[data-review] .diff-del').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        removed,
        json!(0),
        "the queue shows removed lines that were not removed"
    );
    assert!(browser.axe().await.is_empty(), "{:?}", browser.axe().await);
    browser
        .screenshot(&format!("review-queue-{suffix}"), DESKTOP)
        .await;
    browser
        .screenshot(&format!("review-queue-{suffix}"), PHONE)
        .await;
    assert!(
        !browser.overflows_sideways().await,
        "the queue fits a phone"
    );
    browser
        .client
        .set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .unwrap();
    browser
        .follow("[data-review] form[action$='/publish'] button")
        .await;
    assert!(
        browser
            .text(".notice[role=status]")
            .await
            .contains("Published")
    );
    browser.goto("/q/what-are-metaclasses-in-python").await;
    assert!(browser.text("main").await.contains("Wombatword"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practice_session_by_keyboard_keeps_its_progress_and_moves_between_browsers() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    // Flashcards: Space shows the answer, 3 grades it Good, and the next card comes.
    browser.goto("/practice?topic=memory&kind=flashcard").await;
    browser
        .wait_until("document.querySelector('.practice-current[data-kind=flashcard]') !== null")
        .await;
    let first = browser
        .client
        .execute(
            "return document.querySelector('.practice-current').dataset.card",
            vec![],
        )
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.keys(" ").await;
    browser
        .wait_until("document.querySelector('[data-answer]') !== null")
        .await;
    assert!(browser.axe().await.is_empty(), "{:?}", browser.axe().await);
    browser.screenshot("practice-session", DESKTOP).await;
    browser.screenshot("practice-session", PHONE).await;
    assert!(
        !browser.overflows_sideways().await,
        "the session fits a phone"
    );
    browser
        .client
        .set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .unwrap();
    browser.keys("3").await;
    browser
        .wait_until(&format!(
            "document.querySelector('.practice-current') && document.querySelector('.practice-current').dataset.card !== {first}"
        ))
        .await;
    // Kept across a reload.
    browser.goto("/practice?topic=memory&kind=flashcard").await;
    browser
        .wait_until("document.querySelector('[data-progress]') && document.querySelector('[data-progress]').textContent.startsWith('1 card seen')")
        .await;

    // Predict the output: a wrong guess shows the verified output with the wrong line marked.
    if crate::helpers::interpreters().is_some() {
        crate::helpers::without_the_seed_queue(&browser.app).await;
        let mut draft = crate::helpers::seed_draft("what-are-metaclasses-in-python");
        draft.slug = pykb::domain::Slug::parse("practice-cards").unwrap();
        draft.title = "Practice cards".into();
        draft.body =
            "Cards.\n\n```python\nprint(1 + 1)\nprint('done')\n```\n\n```output\n2\ndone\n```\n"
                .into();
        draft.tags = pykb::domain::TagName::parse_list("practice-test").unwrap();
        browser.app.save(None, 0, &draft).await;
        pykb::verify::worker::drain(
            &browser.app.state.db,
            &browser.app.state.page_cache,
            &browser.app.state.verifier,
        )
        .await
        .unwrap();
        browser
            .goto("/practice?topic=practice-test&kind=output")
            .await;
        browser
            .wait_until("document.getElementById('prediction') !== null")
            .await;
        browser
            .wait_until("document.activeElement && document.activeElement.id === 'prediction'")
            .await;
        browser.keys("3").await;
        browser.keys("\u{E008}\u{E007}\u{E000}").await; // Shift+Enter: a new line
        browser.keys("done").await;
        browser.keys(ENTER).await;
        browser
            .wait_until("document.querySelector('.practice-result[data-right=no]') !== null")
            .await;
        let marked = browser.text(".practice-output mark").await;
        assert_eq!(marked, "2");
        browser.screenshot("practice-wrong", DESKTOP).await;
        browser
            .client
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser.keys("1").await;
    }

    // Export, then import into another browser's fresh profile.
    // The export link's data: URL, decoded by the browser.
    let json = browser
        .client
        .execute(
            "const href = document.querySelector('a[data-export]').href;
             return decodeURIComponent(href.slice(href.indexOf(',') + 1));",
            vec![],
        )
        .await
        .unwrap();
    let json = json.as_str().unwrap().to_owned();
    let exported: Value = serde_json::from_str(&json).unwrap();
    let seen = exported["cards"].as_object().unwrap().len();
    assert!(seen >= 1, "{exported}");
    let seen = if seen == 1 {
        "1 card".to_owned()
    } else {
        format!("{seen} cards")
    };
    browser.close().await;

    let Some(other) = Browser::start().await else {
        return;
    };
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &json).unwrap();
    other.goto("/practice?topic=memory&kind=flashcard").await;
    other
        .wait_until("document.getElementById('practice-import') !== null")
        .await;
    other
        .client
        .find(Locator::Css("#practice-import"))
        .await
        .unwrap()
        .send_keys(&file.path().to_string_lossy())
        .await
        .unwrap();
    other
        .wait_until(&format!(
            "document.getElementById('practice-message').textContent === 'Imported {seen}.'"
        ))
        .await;
    assert!(
        other
            .text("[data-progress]")
            .await
            .starts_with(&format!("{seen} seen"))
    );
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_to_my_practice_puts_an_answer_in_the_session() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.goto("/q/what-are-metaclasses-in-python").await;
    browser
        .wait_until("!document.querySelector('button[data-add-practice]').hidden")
        .await;
    browser
        .client
        .find(Locator::Css("button[data-add-practice]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.follow("a[data-add-practice]").await;
    assert_eq!(browser.path().await, "/practice?mine=1");
    browser
        .wait_until("document.querySelector('.practice-current') !== null")
        .await;
    let question = browser.text(".practice-current .practice-question").await;
    assert!(question.contains("metaclass"), "{question}");
    browser.close().await;
}
