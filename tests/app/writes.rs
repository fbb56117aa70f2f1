//! The write path: a save refreshes the page context of the articles it touches, and only
//! those, yet leaves it exactly as working it all out again would (`pykb check`'s test).

use pykb::db::articles::{self, ForEdit};
use pykb::db::maintenance::page_context_is_current;
use pykb::domain::{ArticleDraft, Difficulty, Kind, Slug, Status, TagName};

use crate::helpers::TestApp;

async fn current(app: &TestApp, slug: &str) -> ForEdit {
    let mut conn = app.state.db.acquire().await.unwrap();
    let (id, _) = articles::id_and_version(&mut conn, slug)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{slug} exists"));
    articles::for_edit(&mut conn, id).await.unwrap().unwrap()
}

fn as_draft(a: &ForEdit) -> ArticleDraft {
    let list = |text: &str| -> Vec<String> {
        text.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    ArticleDraft {
        slug: Slug::parse(&a.slug).unwrap(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        body: a.body.clone(),
        kind: a.kind,
        difficulty: a.difficulty,
        status: a.status,
        tags: list(&a.tags)
            .iter()
            .map(|t| TagName::parse(t).unwrap())
            .collect(),
        related: list(&a.related)
            .iter()
            .map(|s| Slug::parse(s).unwrap())
            .collect(),
        python: pykb::domain::PythonRange::parse(&a.python).unwrap(),
    }
}

/// Changes the article `slug` through the real save path.
async fn change(app: &TestApp, slug: &str, edit: impl FnOnce(&mut ArticleDraft)) {
    let article = current(app, slug).await;
    let mut draft = as_draft(&article);
    edit(&mut draft);
    app.save(Some(article.id), article.version, &draft).await;
}

async fn assert_current(app: &TestApp, after: &str) {
    assert!(
        page_context_is_current(&app.state.db).await.unwrap(),
        "the page context differs from a full recompute after {after}"
    );
    let miscounted = pykb::db::maintenance::miscounted_tags(&app.state.db)
        .await
        .unwrap();
    assert!(
        miscounted.is_empty(),
        "the kept counts of {miscounted:?} differ from a recount after {after}"
    );
}

#[tokio::test]
async fn targeted_refreshes_leave_the_page_context_as_a_full_one_would() {
    let app = TestApp::new().await;
    assert_current(&app, "the seed").await;
    let seed = crate::helpers::seed_entries();
    let (first, _) = &seed[3];
    let (second, _) = &seed[10];
    let (third, _) = &seed[20];

    change(&app, first, |d| {
        d.title = "Zzz, now last in its topics".into()
    })
    .await;
    assert_current(&app, "a title that moves to the end of its topics").await;
    change(&app, first, |d| d.title = "Aaa, now first".into()).await;
    assert_current(&app, "a title that moves to the front").await;
    change(&app, second, |d| {
        d.difficulty = match d.difficulty {
            Difficulty::Beginner => Difficulty::Advanced,
            _ => Difficulty::Beginner,
        }
    })
    .await;
    assert_current(&app, "a difficulty change").await;
    change(&app, second, |d| {
        d.tags = vec![
            TagName::parse("a-topic-of-its-own").unwrap(),
            TagName::parse("memory").unwrap(),
        ]
    })
    .await;
    assert_current(&app, "a new main topic").await;
    change(&app, third, |d| d.kind = Kind::Article).await;
    assert_current(&app, "a question that became an article").await;

    // An entry others link to (body and related lists) leaves and comes back.
    let target = "releasing-memory-in-python";
    let linker = "new-article-linking-everywhere";
    let draft = ArticleDraft {
        slug: Slug::parse(linker).unwrap(),
        title: "Links everywhere".into(),
        summary: String::new(),
        body: format!("See [memory](/q/{target}) and [later](/q/not-written-yet).\n"),
        kind: Kind::Question,
        difficulty: Difficulty::Beginner,
        status: Status::Published,
        tags: vec![TagName::parse("memory").unwrap()],
        related: vec![Slug::parse(target).unwrap()],
        python: Default::default(),
    };
    app.save(None, 0, &draft).await;
    assert_current(&app, "a new article").await;
    change(&app, target, |d| d.status = Status::Draft).await;
    assert_current(&app, "a linked entry made a draft").await;
    change(&app, target, |d| d.status = Status::Published).await;
    assert_current(&app, "the entry published again").await;
    change(&app, target, |d| {
        d.slug = Slug::parse("releasing-memory-renamed").unwrap()
    })
    .await;
    assert_current(&app, "a linked entry renamed").await;

    let later = ArticleDraft {
        slug: Slug::parse("not-written-yet").unwrap(),
        title: "Written at last".into(),
        body: "Now it is.\n".into(),
        related: Vec::new(),
        ..draft.clone()
    };
    app.save(None, 0, &later).await;
    assert_current(&app, "a linked slug that comes into being").await;

    let admin = pykb::db::users::by_name(&mut app.state.db.acquire().await.unwrap(), "admin")
        .await
        .unwrap()
        .unwrap();
    let id = current(&app, "releasing-memory-renamed").await.id;
    pykb::editing::move_to_trash(app.state.stores(), id, admin.id)
        .await
        .unwrap();
    assert_current(&app, "the trash").await;
    pykb::editing::restore_from_trash(app.state.stores(), id, admin.id)
        .await
        .unwrap();
    assert_current(&app, "out of the trash").await;
    let page = app.get(&format!("/q/{linker}")).await.body;
    assert!(
        page.contains("href=\"/q/releasing-memory-renamed\""),
        "{page}"
    );
}
