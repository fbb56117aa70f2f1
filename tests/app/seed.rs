//! The seed import: first start, restarts, and seed updates that respect editors' changes.

use pykb::db::{self, articles};
use pykb::render::render_body;

use crate::helpers::{TestApp, texts};

async fn article_count(app: &TestApp) -> i64 {
    let mut conn = app.state.db.acquire().await.unwrap();
    articles::count(&mut conn).await.unwrap()
}

/// Saves a new body for an article the way an editor's save does: a version bump.
async fn edit_body(app: &TestApp, slug: &str, body: &str) {
    let mut tx = app.state.db.begin().await.unwrap();
    let (id, version) = articles::id_and_version(&mut tx, slug)
        .await
        .unwrap()
        .unwrap();
    let file = pykb::content::seed_files()
        .iter()
        .find(|(name, _)| *name == format!("{slug}.md"))
        .unwrap();
    let mut draft = pykb::content::parse_document(file.0, file.1).unwrap();
    draft.body = body.to_owned();
    articles::update(
        &mut tx,
        id,
        version,
        &draft,
        &render_body(body),
        db::now(),
        None,
    )
    .await
    .unwrap()
    .expect("no concurrent save");
    pykb::db::revisions::record(&mut tx, id, None, db::now(), "")
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn first_start_imports_every_seed_file() {
    let app = TestApp::new().await;
    assert_eq!(
        article_count(&app).await,
        pykb::content::seed_files().len() as i64
    );
}

#[tokio::test]
async fn a_restart_neither_duplicates_nor_overwrites_edited_content() {
    let app = TestApp::new().await;
    let before = article_count(&app).await;
    edit_body(&app, "python-inheritance", "An editor's **own** answer.").await;

    let app = app.restart().await;
    assert_eq!(article_count(&app).await, before);
    let html = app.get("/q/python-inheritance").await.html();
    assert_eq!(texts(&html, ".prose p"), ["An editor's own answer."]);
}

#[tokio::test]
async fn a_changed_seed_file_updates_unedited_entries_only() {
    let app = TestApp::new().await;
    edit_body(&app, "python-inheritance", "Edited by an editor.").await;

    let files = pykb::content::seed_files();
    let changed = |slug: &str, addition: &str| {
        let (name, text) = files
            .iter()
            .find(|(name, _)| *name == format!("{slug}.md"))
            .unwrap();
        (
            *name,
            format!("{text}\nImproved in a new release: {addition}\n"),
        )
    };
    let unedited = changed("python-append-to-a-file", "unedited");
    let edited = changed("python-inheritance", "edited");
    let release: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| match *name {
            n if n == unedited.0 => (n, unedited.1.as_str()),
            n if n == edited.0 => (n, edited.1.as_str()),
            n => (n, *text),
        })
        .collect();
    let report = pykb::content::sync_files(&app.state.db, &release)
        .await
        .unwrap();
    assert_eq!(
        (report.updated, report.kept, report.inserted),
        (1, 1, 0),
        "{report:?}"
    );

    let page = app.get("/q/python-append-to-a-file").await.body;
    assert!(page.contains("Improved in a new release: unedited"));
    let page = app.get("/q/python-inheritance").await.body;
    assert!(page.contains("Edited by an editor."));
    assert!(!page.contains("Improved in a new release"));

    // The same release again changes nothing.
    let report = pykb::content::sync_files(&app.state.db, &release)
        .await
        .unwrap();
    assert_eq!((report.updated, report.inserted), (0, 0), "{report:?}");
}
