//! The change log (`db::outbox`) that every node follows: kept after the index applied it,
//! the index's position recorded with its commits, pruned by age, and an index that missed
//! pruned changes rebuilt from the database.

use pykb::db::outbox;

use crate::helpers::{TestApp, open_database, seed_draft, sql_execute, sql_i64};

#[tokio::test]
async fn the_log_is_kept_and_an_index_that_missed_pruned_changes_is_rebuilt() {
    let app = TestApp::new().await;
    let first = outbox::last_id(&app.state.db).await.unwrap();
    assert!(first > 0, "the seed import logged its articles");

    // A save logs its change with the pages it concerns; the index applies it and records how
    // far it got, and the row stays for the other nodes.
    let slug = "releasing-memory-in-python";
    let (id, version) = app.id_and_version(slug).await;
    let mut draft = seed_draft(slug);
    draft.body.push_str("\nA sentence about the kestrel.\n");
    app.save(Some(id), version, &draft).await;
    let last = outbox::last_id(&app.state.db).await.unwrap();
    assert!(last > first);
    let logged = outbox::after(&app.state.db, first, 10).await.unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].article_id, id);
    assert!(logged[0].slugs.iter().any(|s| s == slug));
    assert!(logged[0].pages.iter().any(|s| s == slug), "its own page");
    assert!(!logged[0].everything());
    assert_eq!(app.state.search.lag(&app.state.db).await.unwrap(), 0);
    assert_eq!(
        pykb::search::recorded_position(&app.state.config.index_path()).unwrap(),
        Some(last)
    );
    assert!(app.search_slugs("kestrel").await.contains(&slug.to_owned()));
    let oldest = sql_i64(&app.state.db, "SELECT min(created_at) FROM search_outbox").await;
    assert!(
        oldest > 1_700_000_000,
        "rows carry when they were logged: {oldest}"
    );

    // While the node is stopped, an article changes and the log is pruned past that change
    // (a node away longer than the log keeps changes).
    let dir = app.stop().await;
    let db = open_database(dir.path()).await;
    sql_execute(
        &db,
        &format!(
            "UPDATE articles SET title = 'Releasing memory while a node was away' WHERE id = {id}"
        ),
    )
    .await;
    let mut tx = db.begin_write().await.unwrap();
    outbox::record(&mut tx, id, 1, slug, slug).await.unwrap();
    outbox::record(&mut tx, 1, 2, "", "").await.unwrap();
    tx.commit().await.unwrap();
    // The change to the article is old enough and not the newest.
    assert!(outbox::prune(&db, 3).await.unwrap() >= 1);
    assert!(outbox::pruned_through(&db).await.unwrap() > last);
    db.close().await;

    // Started again, the index sees it is behind what the log still holds and rebuilds.
    let app = TestApp::open(dir).await;
    assert!(
        app.search_slugs("while a node was away")
            .await
            .contains(&slug.to_owned()),
        "the change the log no longer holds is in the rebuilt index"
    );
    assert_eq!(app.state.search.lag(&app.state.db).await.unwrap(), 0);
}

#[tokio::test]
async fn pruning_keeps_the_newest_change_and_what_is_recent() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let last = outbox::last_id(db).await.unwrap();
    // Nothing is old enough yet.
    assert_eq!(outbox::prune(db, 0).await.unwrap(), 0);
    assert_eq!(outbox::pruned_through(db).await.unwrap(), 0);
    // Everything is old: all but the newest go, so an id is never handed out twice.
    sql_execute(db, "UPDATE search_outbox SET created_at = 0").await;
    outbox::prune(db, 1).await.unwrap();
    assert_eq!(sql_i64(db, "SELECT count(*) FROM search_outbox").await, 1);
    assert_eq!(outbox::last_id(db).await.unwrap(), last);
    let through = outbox::pruned_through(db).await.unwrap();
    assert!(0 < through && through < last, "{through} of {last}");
}
