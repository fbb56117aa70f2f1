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
    pykb::editing::move_to_trash(&app.state, trashed, 1)
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
    assert!(text.contains("Exported 64 articles"), "{text}");
    let exported = files_of(&first);
    assert_eq!(exported.len(), 64);
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
        text.contains("64 created, 0 updated, 0 unchanged"),
        "{text}"
    );
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
        text.contains("0 created, 0 updated, 64 unchanged"),
        "{text}"
    );
    let changed =
        exported["what-is-python-used-for.md"].replace("+++\n\n", "+++\n\nA new first line.\n\n");
    std::fs::write(first.join("what-is-python-used-for.md"), changed).unwrap();
    let text = ok(&pykb(dir.path(), &["import", first.to_str().unwrap()], ""));
    assert!(
        text.contains("0 created, 1 updated, 63 unchanged"),
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
    assert!(text.contains("Backed up 62 articles"), "{text}");
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
    assert!(text.contains("Restored 62 articles"), "{text}");
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
    let dir = app.stop().await;

    // An index that lost a document behind the database's back.
    let index = dir.path().join("index");
    std::fs::remove_dir_all(&index).unwrap();
    let text = fails(&pykb(dir.path(), &["check"], ""));
    assert!(
        text.contains("PROBLEM") && text.contains("reindex"),
        "{text}"
    );
    let text = ok(&pykb(dir.path(), &["reindex"], ""));
    assert!(text.contains("Indexed 62 published articles"), "{text}");
    assert!(ok(&pykb(dir.path(), &["check"], "")).contains("All checks passed"));
    let missing = tempfile::tempdir().unwrap();
    assert!(
        fails(&pykb(&missing.path().join("nope"), &["check"], "")).contains("there is no database")
    );
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
