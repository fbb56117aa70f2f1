//! The operator commands, run as the real binary against real data directories: backup and
//! restore, export and import, reindex and check, and the data-directory lock.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use axum::http::StatusCode;
use pykb::domain::{ArticleDraft, Difficulty, Kind, Slug, Status, TagName};

use crate::helpers::{RunningServer, TestApp, output_text, pykb};

fn files_of(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect()
}

fn draft(slug: &str, status: Status, body: &str) -> ArticleDraft {
    ArticleDraft {
        slug: Slug::parse(slug).unwrap(),
        title: format!("Title of {slug}"),
        summary: String::new(),
        body: body.to_owned(),
        kind: Kind::Question,
        difficulty: Difficulty::Advanced,
        status,
        tags: vec![TagName::parse("internals").unwrap()],
        related: vec![Slug::parse("what-is-python-used-for").unwrap()],
        python: Default::default(),
    }
}

fn ok(output: &std::process::Output) -> String {
    let text = output_text(output);
    assert!(output.status.success(), "{text}");
    text
}

fn fails(output: &std::process::Output) -> String {
    let text = output_text(output);
    assert!(!output.status.success(), "expected a failure: {text}");
    text
}

#[tokio::test]
async fn export_import_export_gives_the_same_files_and_no_seed_comes_back() {
    let app = TestApp::new().await;
    app.save(
        None,
        0,
        &draft("a-draft", Status::Draft, "Draft text with \"quotes\".\n"),
    )
    .await;
    let trashed = app
        .save(
            None,
            0,
            &draft("in-the-trash", Status::Published, "Gone.\n"),
        )
        .await;
    pykb::editing::move_to_trash(app.state.stores(), trashed, 1)
        .await
        .unwrap();
    let work = tempfile::tempdir().unwrap();
    let first = work.path().join("first");
    // Export is read-only and runs beside the live app.
    let text = ok(&pykb(
        app.dir.path(),
        &["export", first.to_str().unwrap()],
        "",
    ));
    // The seed, a draft and an article in the trash.
    let all = crate::helpers::seed_count() + 2;
    assert!(text.contains(&format!("Exported {all} articles")), "{text}");
    let exported = files_of(&first);
    assert_eq!(exported.len(), all);
    assert!(exported["a-draft.md"].contains("status = \"draft\""));
    assert!(exported["in-the-trash.md"].contains("status = \"trashed\""));
    assert_eq!(
        exported["what-is-python-used-for.md"],
        std::fs::read_to_string("content/what-is-python-used-for.md").unwrap(),
        "the same format as content/"
    );
    assert!(
        fails(&pykb(
            app.dir.path(),
            &["export", first.to_str().unwrap()],
            ""
        ))
        .contains("is not empty")
    );

    // Into an empty data directory.
    let fresh = tempfile::tempdir().unwrap();
    let text = ok(&pykb(
        fresh.path(),
        &["import", first.to_str().unwrap()],
        "",
    ));
    assert!(
        text.contains(&format!("{all} created, 0 updated, 0 unchanged")),
        "{text}"
    );
    // The bodies were rendered by this renderer: the first start renders nothing again.
    let db = crate::helpers::open_database(fresh.path()).await;
    let recorded = crate::helpers::sql_strings(
        &db,
        "SELECT value FROM settings WHERE name = 'render_version'",
    )
    .await;
    assert_eq!(recorded, [pykb::render::RENDER_VERSION.to_string()]);
    db.close().await;
    let second = work.path().join("second");
    ok(&pykb(
        fresh.path(),
        &["export", second.to_str().unwrap()],
        "",
    ));
    assert_eq!(
        files_of(&second),
        files_of(&first),
        "export → import → export is exact"
    );

    let imported = TestApp::open(fresh).await;
    assert_eq!(
        imported.get("/q/a-draft").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        imported.get("/q/in-the-trash").await.status,
        StatusCode::NOT_FOUND
    );
    let found: serde_json::Value =
        serde_json::from_str(&imported.get("/api/search?q=metaclass").await.body).unwrap();
    assert!(
        found["total"].as_u64().unwrap() > 0,
        "the index caught up at start"
    );

    // Importing again changes nothing; a changed file updates its article.
    let dir = imported.stop().await;
    let text = ok(&pykb(dir.path(), &["import", first.to_str().unwrap()], ""));
    assert!(
        text.contains(&format!("0 created, 0 updated, {all} unchanged")),
        "{text}"
    );
    let changed =
        exported["what-is-python-used-for.md"].replace("+++\n\n", "+++\n\nA new first line.\n\n");
    std::fs::write(first.join("what-is-python-used-for.md"), changed).unwrap();
    let text = ok(&pykb(dir.path(), &["import", first.to_str().unwrap()], ""));
    assert!(
        text.contains(&format!("0 created, 1 updated, {} unchanged", all - 1)),
        "{text}"
    );

    // A data directory filled by an import holds what was imported, and no seed content.
    let single = work.path().join("single");
    std::fs::create_dir(&single).unwrap();
    std::fs::write(
        single.join("only-one.md"),
        "+++\ntitle = \"Only one\"\nslug = \"only-one\"\nkind = \"question\"\n+++\n\nAlone.\n",
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    ok(&pykb(
        empty.path(),
        &["import", single.to_str().unwrap()],
        "",
    ));
    let alone = TestApp::open(empty).await;
    assert_eq!(alone.get("/q/only-one").await.status, StatusCode::OK);
    assert_eq!(
        alone.get("/q/what-is-python-used-for").await.status,
        StatusCode::NOT_FOUND,
        "no seed import"
    );
}

#[tokio::test]
async fn a_bad_file_stops_the_whole_import_with_its_name_and_line() {
    let app = TestApp::new().await;
    let dir = app.stop().await;
    let input = tempfile::tempdir().unwrap();
    std::fs::write(
        input.path().join("good.md"),
        "+++\ntitle = \"Good\"\nslug = \"good-one\"\nkind = \"question\"\n+++\n\nFine.\n",
    )
    .unwrap();
    std::fs::write(
        input.path().join("bad.md"),
        "+++\ntitle = \"Bad\"\nslug = \"bad-one\"\nkind = \"essay\"\n+++\n\nBody.\n",
    )
    .unwrap();
    let text = fails(&pykb(
        dir.path(),
        &["import", input.path().to_str().unwrap()],
        "",
    ));
    assert!(text.contains("bad.md:4"), "{text}");
    assert!(text.contains("nothing was imported"), "{text}");
    std::fs::write(
        input.path().join("bad.md"),
        "+++\ntitle = \"Bad\"\nslug = \"bad-one\"\nkind = \"question\"\nrelated = [\"nowhere\"]\n+++\n\nBody.\n",
    )
    .unwrap();
    let text = fails(&pykb(
        dir.path(),
        &["import", input.path().to_str().unwrap()],
        "",
    ));
    assert!(
        text.contains("bad.md") && text.contains("nowhere"),
        "{text}"
    );
    let app = TestApp::open(dir).await;
    assert_eq!(
        app.get("/q/good-one").await.status,
        StatusCode::NOT_FOUND,
        "all or nothing"
    );
}

#[tokio::test]
async fn backup_runs_beside_the_site_and_restore_brings_it_back() {
    let app = TestApp::new().await;
    let work = tempfile::tempdir().unwrap();
    let backup = work.path().join("pykb-backup.sqlite");
    let text = ok(&pykb(
        app.dir.path(),
        &["backup", backup.to_str().unwrap()],
        "",
    ));
    assert!(
        text.contains(&format!(
            "Backed up {} articles",
            crate::helpers::seed_count()
        )),
        "{text}"
    );
    assert!(
        fails(&pykb(
            app.dir.path(),
            &["backup", backup.to_str().unwrap()],
            ""
        ))
        .contains("never overwrites")
    );

    // A change after the backup, then the restore takes it away again.
    app.save(
        None,
        0,
        &draft("after-the-backup", Status::Published, "Later.\n"),
    )
    .await;
    assert_eq!(app.get("/q/after-the-backup").await.status, StatusCode::OK);
    let dir = app.stop().await;

    let garbage = work.path().join("garbage.sqlite");
    std::fs::write(&garbage, "this is not a database").unwrap();
    let text = fails(&pykb(
        dir.path(),
        &["restore", garbage.to_str().unwrap()],
        "",
    ));
    assert!(text.contains("garbage.sqlite"), "{text}");

    let text = ok(&pykb(
        dir.path(),
        &["restore", backup.to_str().unwrap()],
        "",
    ));
    assert!(
        text.contains(&format!(
            "Restored {} articles",
            crate::helpers::seed_count()
        )),
        "{text}"
    );
    let app = TestApp::open(dir).await;
    assert_eq!(
        app.get("/q/after-the-backup").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/q/what-is-python-used-for").await.status,
        StatusCode::OK
    );
    let found: serde_json::Value =
        serde_json::from_str(&app.get("/api/search?q=after+the+backup").await.body).unwrap();
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["slug"] != "after-the-backup"),
        "the index was rebuilt from the restored database"
    );
    let kept: Vec<String> = std::fs::read_dir(app.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pykb.sqlite.replaced-"))
        .collect();
    assert!(!kept.is_empty(), "the replaced database is kept");
}

#[tokio::test]
async fn check_finds_a_broken_index_and_reindex_repairs_it() {
    let app = TestApp::new().await;
    let text = ok(&pykb(app.dir.path(), &["check"], ""));
    assert!(text.contains("All checks passed"), "{text}");
    assert!(text.contains("page context: ok"), "{text}");

    // A page context a writer forgot to work out again: check says so, reindex mends it.
    crate::helpers::sql_execute(
        &app.state.db,
        "UPDATE page_context SET related = '[]' WHERE related != '[]'",
    )
    .await;
    let text = fails(&pykb(app.dir.path(), &["check"], ""));
    assert!(
        text.contains("PROBLEM") && text.contains("page context") && text.contains("reindex"),
        "{text}"
    );
    let dir = app.stop().await;
    ok(&pykb(dir.path(), &["reindex"], ""));
    assert!(ok(&pykb(dir.path(), &["check"], "")).contains("page context: ok"));

    // An index that lost a document behind the database's back.
    let index = dir.path().join("index");
    std::fs::remove_dir_all(&index).unwrap();
    let text = fails(&pykb(dir.path(), &["check"], ""));
    assert!(
        text.contains("PROBLEM") && text.contains("reindex"),
        "{text}"
    );
    let text = ok(&pykb(dir.path(), &["reindex"], ""));
    assert!(
        text.contains(&format!(
            "Indexed {} published articles",
            crate::helpers::seed_count()
        )),
        "{text}"
    );
    assert!(ok(&pykb(dir.path(), &["check"], "")).contains("All checks passed"));
    // A mistyped data directory finds no SQLite file (a PostgreSQL site's database is named by
    // its URL, not found in the directory).
    if !crate::helpers::on_postgres() {
        let missing = tempfile::tempdir().unwrap();
        assert!(
            fails(&pykb(&missing.path().join("nope"), &["check"], ""))
                .contains("there is no database")
        );
    }
}

#[tokio::test]
async fn writers_refuse_a_data_directory_a_server_holds() {
    let app = TestApp::new().await;
    let dir = app.stop().await;
    let work = tempfile::tempdir().unwrap();
    let backup = work.path().join("b.sqlite");
    let exported = work.path().join("out");
    {
        let _server = RunningServer::start(dir.path()).await;
        for args in [
            vec!["import", exported.to_str().unwrap()],
            vec!["restore", backup.to_str().unwrap()],
            vec!["reindex"],
        ] {
            let text = fails(&pykb(dir.path(), &args, ""));
            assert!(
                text.contains("another pykb process is using the data directory"),
                "{args:?}: {text}"
            );
            assert!(text.contains("pykb serve"), "{text}");
        }
        let second = Command::new(env!("CARGO_BIN_EXE_pykb"))
            .env("PYKB_DATA_DIR", dir.path())
            .envs(crate::helpers::database_env(dir.path()))
            .env("PYKB_ADDR", "127.0.0.1:0")
            .output()
            .unwrap();
        assert!(!second.status.success());
        assert!(output_text(&second).contains("another pykb process"));
        // Readers of the data directory work beside it.
        ok(&pykb(dir.path(), &["backup", backup.to_str().unwrap()], ""));
        ok(&pykb(
            dir.path(),
            &["export", exported.to_str().unwrap()],
            "",
        ));
        ok(&pykb(dir.path(), &["check"], ""));
    }
    // Once the server is gone (even killed), the lock is free.
    ok(&pykb(dir.path(), &["reindex"], ""));
}

/// A data directory written before bodies moved to their own table (migrations 0001 and 0002
/// only) opens with every article, revision, tag and link kept, and its pages get what the
/// new renderer works out (contents, links to unpublished entries as text).
#[tokio::test]
async fn a_database_from_before_article_bodies_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let old_migrations = tempfile::tempdir().unwrap();
    for name in ["0001_initial.sql", "0002_settings.sql"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations/sqlite")
                .join(name),
            old_migrations.path().join(name),
        )
        .unwrap();
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join("pykb.sqlite"))
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old_migrations.path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let body =
        "Intro, see [the draft](/q/legacy-draft).\n\n## One\n\na\n\n## Two\n\nb\n\n## Three\n\nc\n";
    for statement in [
        "INSERT INTO articles (id, slug, title, summary, body, body_html, kind, difficulty, status,
                               created_at, updated_at)
         VALUES (1, 'legacy-page', 'Legacy page', 'Old.', ?1, '<p>stale html</p>', 'question',
                 'beginner', 'published', 1, 1),
                (2, 'legacy-draft', 'Legacy draft', '', 'Draft.', '<p>Draft.</p>', 'question',
                 'beginner', 'draft', 1, 1)",
        "INSERT INTO tags (id, name) VALUES (1, 'memory')",
        "INSERT INTO article_tags (article_id, tag_id, position) VALUES (1, 1, 0)",
        "INSERT INTO related_links (article_id, target_id, position) VALUES (1, 2, 0)",
        "INSERT INTO revisions (article_id, version, slug, title, summary, body, kind, difficulty,
                                status, tags, related, created_at)
         VALUES (1, 1, 'legacy-page', 'Legacy page', 'Old.', ?1, 'question', 'beginner',
                 'published', 'memory', 'legacy-draft', 1)",
        "INSERT INTO settings (name, value) VALUES ('render_version', '4')",
    ] {
        sqlx::query(statement)
            .bind(body)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;

    let app = TestApp::open(dir).await;
    // Start-up renders nothing itself: pages are served, from the old rendering, until the
    // background re-render (which the server spawns) has done their batch.
    let before = app.get("/q/legacy-page").await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("stale html"), "{}", before.body);
    // Its two articles and the seed entries the start-up added beside them.
    let stored = crate::helpers::seed_entries().len() + 2;
    assert_eq!(app.state.rerender_stale().await.unwrap(), stored);
    assert_eq!(app.state.rerender_stale().await.unwrap(), 0, "done once");
    let page = app.get("/q/legacy-page").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(
        crate::helpers::texts(&html, ".toc details > ol > li > a"),
        ["One", "Two", "Three"]
    );
    assert!(!page.body.contains("stale html"));
    assert!(page.body.contains("see the draft."), "the link became text");
    assert!(!page.body.contains("href=\"/q/legacy-draft\""));
    let pool = crate::helpers::sqlite_pool(&app.state.db);
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    assert_eq!(
        count("SELECT count(*) FROM revisions WHERE article_id = 1").await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM related_links WHERE article_id = 1").await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM article_tags WHERE article_id = 1").await,
        1
    );
    let source: String = sqlx::query_scalar("SELECT body FROM article_bodies WHERE article_id = 1")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(source, body);
}

/// A re-render stopped part way (a restart) goes on after the last batch it recorded, and a
/// record left by a re-render for another renderer counts for nothing.
#[tokio::test]
async fn an_interrupted_rerender_goes_on_where_it_stopped() {
    let app = TestApp::new().await;
    let pool = crate::helpers::sqlite_pool(&app.state.db);
    let set = |name: &'static str, value: String| async move {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .execute(pool)
        .await
        .unwrap();
    };
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap() as usize
    };
    let all = count("SELECT count(*) FROM article_bodies").await;
    let after_40 = count("SELECT count(*) FROM article_bodies WHERE article_id > 40").await;
    assert!(after_40 > 0 && after_40 < all);
    let current = pykb::render::RENDER_VERSION;

    set("render_version", "0".into()).await;
    set("render_cursor", format!("{current}:40")).await;
    assert_eq!(app.state.rerender_stale().await.unwrap(), after_40);
    assert_eq!(app.state.rerender_stale().await.unwrap(), 0, "done");

    set("render_version", "0".into()).await;
    set("render_cursor", "0:40".into()).await;
    assert_eq!(app.state.rerender_stale().await.unwrap(), all);
    assert_eq!(
        app.get("/q/what-is-python-used-for").await.status,
        StatusCode::OK
    );
}
