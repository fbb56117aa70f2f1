//! Accounts: sign-in throttling, roles, the admin users page and the `pykb user` commands.

use std::time::Duration;

use axum::http::StatusCode;

use crate::helpers::{ADMIN_PASSWORD, Client, TestApp, texts};

const BOB_PASSWORD: &str = "bob's long password";

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_account_and_address_then_lifted() {
    let app = TestApp::new().await;
    let mut guesser = Client::from_addr(&app, "198.51.100.7:40000");
    // Five free failures (typos happen), then each failure blocks for a growing delay.
    for n in 1..=6 {
        let response = guesser.sign_in("admin", &format!("guess number {n}")).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let blocked = guesser.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.header("retry-after"), "1");
    assert!(
        texts(&blocked.html(), "[role=alert]")
            .concat()
            .contains("Too many failed sign-ins")
    );
    assert_eq!(
        crate::helpers::attrs(&blocked.html(), "input[name=username]", "value"),
        ["admin"],
        "the user name is kept"
    );
    // The account is slowed from everywhere, the address for every account.
    let mut admin_elsewhere = Client::from_addr(&app, "203.0.113.5:40000");
    let response = admin_elsewhere.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    let response = guesser.sign_in("someone-else", "whatever it is").await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    // Reading is never throttled.
    assert_eq!(app.get("/").await.status, StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = admin_elsewhere.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "the delay lifted");
}

#[tokio::test]
async fn the_client_is_the_forwarded_hop_only_behind_the_trusted_proxy() {
    let app = TestApp::with_config(|config| {
        config.trusted_proxy = Some("10.0.0.1".parse().unwrap());
    })
    .await;
    // Six failures from one forwarded client, through the proxy.
    let mut via_proxy = Client::from_addr(&app, "10.0.0.1:40000");
    via_proxy.forwarded_for = Some("198.51.100.7".to_owned());
    for n in 1..=6 {
        let response = via_proxy
            .sign_in(&format!("user{n}"), "not a password")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    assert_eq!(
        via_proxy.sign_in("user7", "not a password").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy is not that client.
    via_proxy.forwarded_for = Some("198.51.100.8".to_owned());
    assert_eq!(
        via_proxy.sign_in("admin", ADMIN_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // A client that is not the proxy cannot pick its address with the header.
    let mut direct = Client::from_addr(&app, "203.0.113.9:40000");
    direct.forwarded_for = Some("198.51.100.8".to_owned());
    assert_eq!(
        direct.sign_in("admin", ADMIN_PASSWORD).await.status,
        StatusCode::SEE_OTHER,
        "the header is ignored from anyone but the proxy"
    );
}

#[tokio::test]
async fn admins_manage_users_and_editors_cannot() {
    let app = TestApp::new().await;
    let mut admin = Client::signed_in(&app).await;
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);

    // A refused user keeps the typed name; the password is not echoed.
    let refused = admin
        .post(
            "/admin/users",
            &[
                ("username", "bob"),
                ("password", "short"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        crate::helpers::attrs(&refused.html(), "#new-username", "value"),
        ["bob"]
    );
    assert!(!refused.body.contains("value=\"short\""));

    let added = admin
        .post(
            "/admin/users",
            &[
                ("username", "bob"),
                ("password", BOB_PASSWORD),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let taken = admin
        .post(
            "/admin/users",
            &[
                ("username", "BOB"),
                ("password", BOB_PASSWORD),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "names ignore case"
    );

    // Bob edits content but cannot manage accounts, and sees no Users link.
    let mut bob = Client::signed_in_as(&app, "bob", BOB_PASSWORD).await;
    let list = bob.get("/admin").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!texts(&list.html(), ".admin-nav a").contains(&"Users".to_owned()));
    assert_eq!(bob.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let response = bob
        .post(
            "/admin/users",
            &[
                ("username", "mallory"),
                ("password", BOB_PASSWORD),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        Client::new(&app)
            .sign_in("mallory", BOB_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Disabling bob ends his session at once; enabling lets him sign in again.
    let bob_id = pykb::db::users::by_name(&mut app.state.db.acquire().await.unwrap(), "bob")
        .await
        .unwrap()
        .unwrap()
        .id;
    let disabled = admin
        .post(&format!("/admin/users/{bob_id}/disable"), &[])
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bob.get("/admin").await.status,
        StatusCode::SEE_OTHER,
        "sent to sign in"
    );
    assert_eq!(
        Client::new(&app).sign_in("bob", BOB_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    admin
        .post(&format!("/admin/users/{bob_id}/enable"), &[])
        .await;
    let mut bob = Client::signed_in_as(&app, "bob", BOB_PASSWORD).await;

    // A new password ends his sessions too.
    let changed = admin
        .post(
            &format!("/admin/users/{bob_id}/password"),
            &[("password", "a brand new password")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(bob.get("/admin").await.status, StatusCode::SEE_OTHER);
    Client::signed_in_as(&app, "bob", "a brand new password").await;

    // The last admin cannot be disabled, nor can an admin disable themselves.
    let admin_id = pykb::db::users::by_name(&mut app.state.db.acquire().await.unwrap(), "admin")
        .await
        .unwrap()
        .unwrap()
        .id;
    let own = admin
        .post(&format!("/admin/users/{admin_id}/disable"), &[])
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert_eq!(
        admin.get("/admin").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

/// Runs `pykb user …` against the app's data directory, with `stdin` piped in.
fn pykb_user(app: &TestApp, args: &[&str], stdin: &str) -> std::process::Output {
    let mut all = vec!["user"];
    all.extend_from_slice(args);
    crate::helpers::pykb(app.dir.path(), &all, stdin)
}

#[tokio::test]
async fn the_user_commands_add_change_and_disable_accounts() {
    let app = TestApp::new().await;
    let added = pykb_user(
        &app,
        &["add", "carol", "--role", "editor"],
        "carol's password\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(String::from_utf8_lossy(&added.stdout).contains("Created the editor carol"));
    let mut carol = Client::signed_in_as(&app, "carol", "carol's password").await;

    let short = pykb_user(&app, &["passwd", "carol"], "short\n");
    assert!(!short.status.success());
    let stderr = String::from_utf8_lossy(&short.stderr);
    assert!(stderr.contains("at least 10 characters"), "{stderr}");

    let changed = pykb_user(&app, &["passwd", "carol"], "carol's new password\n");
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert_eq!(
        carol.get("/admin").await.status,
        StatusCode::SEE_OTHER,
        "session ended"
    );
    let mut carol = Client::signed_in_as(&app, "carol", "carol's new password").await;

    let disabled = pykb_user(&app, &["disable", "carol"], "");
    assert!(
        disabled.status.success(),
        "{}",
        String::from_utf8_lossy(&disabled.stderr)
    );
    assert_eq!(
        carol.get("/admin").await.status,
        StatusCode::SEE_OTHER,
        "session ended"
    );

    let unknown = pykb_user(&app, &["disable", "nobody"], "");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user named \"nobody\""));
    let last_admin = pykb_user(&app, &["disable", "admin"], "");
    assert!(!last_admin.status.success());
    assert!(String::from_utf8_lossy(&last_admin.stderr).contains("last enabled admin"));
}

#[tokio::test]
async fn markup_in_titles_and_bodies_is_inert_everywhere_it_appears() {
    let app = TestApp::new().await;
    let mut client = Client::signed_in(&app).await;
    client.get("/admin/articles/new").await;
    let title = "Zqxj \"><script>alert(1)</script><img src=x onerror=alert(2)>";
    let summary = "Zqxj summary \"><svg onload=alert(3)>";
    let response = client
        .post(
            "/admin/articles",
            &[
                ("title", title),
                ("slug", "zqxj"),
                ("summary", summary),
                ("tags", "memory"),
                ("kind", "question"),
                ("status", "published"),
                (
                    "body",
                    "Zqxj body <script>alert(4)</script> <a href=\"javascript:alert(5)\">x</a>",
                ),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let id: i64 = response
        .header("location")
        .split('/')
        .nth(3)
        .unwrap()
        .parse()
        .unwrap();
    let admin_pages = [
        "/admin".to_owned(),
        format!("/admin/articles/{id}/edit"),
        format!("/admin/articles/{id}/history?compare=1"),
        format!("/admin/articles/{id}/delete"),
    ];
    let mut bodies = Vec::new();
    for path in &admin_pages {
        let page = client.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        bodies.push((path.clone(), page.body));
    }
    // The JSON API gives the title as plain text (clients escape it) and the snippet as
    // escaped HTML.
    let api: serde_json::Value =
        serde_json::from_str(&app.get("/api/search?q=zqxj").await.body).unwrap();
    assert_eq!(api["hits"][0]["title"], title);
    let snippet = api["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("&lt;script&gt;") && !snippet.contains("<script"),
        "{snippet}"
    );
    for path in ["/q/zqxj", "/search?q=zqxj", "/tags/memory", "/"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        bodies.push((path.to_owned(), page.body));
    }
    for (path, body) in &bodies {
        // As text these are escaped (`&lt;script&gt;`); raw, they would be markup.
        for payload in ["<script>alert", "<img src=x", "<svg onload"] {
            assert!(
                !body.contains(payload),
                "{path} carries {payload:?} as markup"
            );
        }
        let html = scraper::Html::parse_document(body);
        assert!(
            texts(&html, "script:not([type=\"application/ld+json\"])")
                .iter()
                .all(|t| t.is_empty()),
            "{path}"
        );
        for dangerous in [
            "[onerror]",
            "[onload]",
            "svg",
            "img",
            "a[href^='javascript']",
        ] {
            let selector = scraper::Selector::parse(dangerous).unwrap();
            assert!(
                html.select(&selector).next().is_none(),
                "{path} has {dangerous}"
            );
        }
    }
    // The title is shown as text where readers and search engines see it.
    let page = app.get("/q/zqxj").await;
    let html = page.html();
    assert_eq!(texts(&html, "h1"), [title]);
    assert!(texts(&html, "title").concat().starts_with(title));
    let description = crate::helpers::attrs(&html, "meta[name=description]", "content");
    assert_eq!(description, [summary]);
}
