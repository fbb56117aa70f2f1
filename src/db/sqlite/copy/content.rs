//! The SQLite side of [`crate::db::copy::content`].

use sqlx::SqliteConnection;

use crate::db::copy::content::{
    Article, ArticleBody, ArticleTag, BodyLink, ExampleRun, RelatedLink, Revision, SlugRedirect,
    Tag, VerifyQueued,
};

pub async fn read_articles(
    conn: &mut SqliteConnection,
    after: Option<&Article>,
    limit: i64,
) -> sqlx::Result<Vec<Article>> {
    let id = after.map_or(i64::MIN, |row| row.id);
    sqlx::query_as!(
        Article,
        r#"SELECT id AS "id!", slug AS "slug!", title AS "title!", summary AS "summary!", kind AS
           "kind!", difficulty AS "difficulty!", status AS "status!", version AS "version!",
           created_at AS "created_at!", updated_at AS "updated_at!", updated_by AS "updated_by?",
           python AS "python!" FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_articles(conn: &mut SqliteConnection, rows: &[Article]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO articles (id, slug, title, summary, kind, difficulty, status, version,
             created_at, updated_at, updated_by, python) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
             ?10, ?11, ?12)",
            row.id,
            row.slug,
            row.title,
            row.summary,
            row.kind,
            row.difficulty,
            row.status,
            row.version,
            row.created_at,
            row.updated_at,
            row.updated_by,
            row.python,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_tags(
    conn: &mut SqliteConnection,
    after: Option<&Tag>,
    limit: i64,
) -> sqlx::Result<Vec<Tag>> {
    let id = after.map_or(i64::MIN, |row| row.id);
    sqlx::query_as!(
        Tag,
        r#"SELECT id AS "id!", name AS "name!" FROM tags WHERE id > ?1 ORDER BY id LIMIT ?2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_tags(conn: &mut SqliteConnection, rows: &[Tag]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO tags (id, name) VALUES (?1, ?2)",
            row.id,
            row.name,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_article_tags(
    conn: &mut SqliteConnection,
    after: Option<&ArticleTag>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleTag>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    let tag_id = after.map_or(i64::MIN, |row| row.tag_id);
    sqlx::query_as!(
        ArticleTag,
        r#"SELECT article_id AS "article_id!", tag_id AS "tag_id!", position AS "position!",
           neighbour AS "neighbour!", sort_level AS "sort_level!", sort_title AS "sort_title!",
           listed AS "listed!" FROM article_tags WHERE (article_id, tag_id) > (?1, ?2) ORDER BY
           article_id, tag_id LIMIT ?3"#,
        article_id,
        tag_id,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_article_tags(
    conn: &mut SqliteConnection,
    rows: &[ArticleTag],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO article_tags (article_id, tag_id, position, neighbour, sort_level,
             sort_title, listed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            row.article_id,
            row.tag_id,
            row.position,
            row.neighbour,
            row.sort_level,
            row.sort_title,
            row.listed,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_related_links(
    conn: &mut SqliteConnection,
    after: Option<&RelatedLink>,
    limit: i64,
) -> sqlx::Result<Vec<RelatedLink>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    let target_id = after.map_or(i64::MIN, |row| row.target_id);
    sqlx::query_as!(
        RelatedLink,
        r#"SELECT article_id AS "article_id!", target_id AS "target_id!", position AS "position!"
           FROM related_links WHERE (article_id, target_id) > (?1, ?2) ORDER BY article_id,
           target_id LIMIT ?3"#,
        article_id,
        target_id,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_related_links(
    conn: &mut SqliteConnection,
    rows: &[RelatedLink],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO related_links (article_id, target_id, position) VALUES (?1, ?2, ?3)",
            row.article_id,
            row.target_id,
            row.position,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_article_bodies(
    conn: &mut SqliteConnection,
    after: Option<&ArticleBody>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleBody>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    sqlx::query_as!(
        ArticleBody,
        r#"SELECT article_id AS "article_id!", headings AS "headings!", links AS "links!",
           answer_json AS "answer_json!", body_html AS "body_html!", body AS "body!" FROM
           article_bodies WHERE article_id > ?1 ORDER BY article_id LIMIT ?2"#,
        article_id,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_article_bodies(
    conn: &mut SqliteConnection,
    rows: &[ArticleBody],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO article_bodies (article_id, headings, links, answer_json, body_html, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            row.article_id,
            row.headings,
            row.links,
            row.answer_json,
            row.body_html,
            row.body,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_body_links(
    conn: &mut SqliteConnection,
    after: Option<&BodyLink>,
    limit: i64,
) -> sqlx::Result<Vec<BodyLink>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    let slug = after.map_or_else(String::new, |row| row.slug.clone());
    sqlx::query_as!(
        BodyLink,
        r#"SELECT article_id AS "article_id!", slug AS "slug!" FROM body_links WHERE (article_id,
           slug) > (?1, ?2) ORDER BY article_id, slug LIMIT ?3"#,
        article_id,
        slug,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_body_links(conn: &mut SqliteConnection, rows: &[BodyLink]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO body_links (article_id, slug) VALUES (?1, ?2)",
            row.article_id,
            row.slug,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_revisions(
    conn: &mut SqliteConnection,
    after: Option<&Revision>,
    limit: i64,
) -> sqlx::Result<Vec<Revision>> {
    let id = after.map_or(i64::MIN, |row| row.id);
    sqlx::query_as!(
        Revision,
        r#"SELECT id AS "id!", article_id AS "article_id!", version AS "version!", slug AS "slug!",
           title AS "title!", summary AS "summary!", body AS "body!", kind AS "kind!", difficulty
           AS "difficulty!", status AS "status!", tags AS "tags!", related AS "related!", author_id
           AS "author_id?", created_at AS "created_at!", python AS "python!", note AS "note!",
           published_by AS "published_by?" FROM revisions WHERE id > ?1 ORDER BY id LIMIT ?2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_revisions(conn: &mut SqliteConnection, rows: &[Revision]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO revisions (id, article_id, version, slug, title, summary, body, kind,
             difficulty, status, tags, related, author_id, created_at, python, note, published_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            row.id,
            row.article_id,
            row.version,
            row.slug,
            row.title,
            row.summary,
            row.body,
            row.kind,
            row.difficulty,
            row.status,
            row.tags,
            row.related,
            row.author_id,
            row.created_at,
            row.python,
            row.note,
            row.published_by,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_slug_redirects(
    conn: &mut SqliteConnection,
    after: Option<&SlugRedirect>,
    limit: i64,
) -> sqlx::Result<Vec<SlugRedirect>> {
    let old_slug = after.map_or_else(String::new, |row| row.old_slug.clone());
    sqlx::query_as!(
        SlugRedirect,
        r#"SELECT old_slug AS "old_slug!", article_id AS "article_id!", created_at AS "created_at!"
           FROM slug_redirects WHERE old_slug > ?1 ORDER BY old_slug LIMIT ?2"#,
        old_slug,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_slug_redirects(
    conn: &mut SqliteConnection,
    rows: &[SlugRedirect],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO slug_redirects (old_slug, article_id, created_at) VALUES (?1, ?2, ?3)",
            row.old_slug,
            row.article_id,
            row.created_at,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_verify_queue(
    conn: &mut SqliteConnection,
    after: Option<&VerifyQueued>,
    limit: i64,
) -> sqlx::Result<Vec<VerifyQueued>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    sqlx::query_as!(
        VerifyQueued,
        r#"SELECT article_id AS "article_id!", queued_at AS "queued_at!", generation AS
           "generation!" FROM verify_queue WHERE article_id > ?1 ORDER BY article_id LIMIT ?2"#,
        article_id,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_verify_queue(
    conn: &mut SqliteConnection,
    rows: &[VerifyQueued],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO verify_queue (article_id, queued_at, generation) VALUES (?1, ?2, ?3)",
            row.article_id,
            row.queued_at,
            row.generation,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn read_example_runs(
    conn: &mut SqliteConnection,
    after: Option<&ExampleRun>,
    limit: i64,
) -> sqlx::Result<Vec<ExampleRun>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    let example = after.map_or(i64::MIN, |row| row.example);
    let python = after.map_or_else(String::new, |row| row.python.clone());
    sqlx::query_as!(
        ExampleRun,
        r#"SELECT article_id AS "article_id!", example AS "example!", python AS "python!",
           fingerprint AS "fingerprint!", matches AS "matches!: bool", outside_range AS
           "outside_range!: bool", output AS "output!", problem AS "problem?", ran_at AS "ran_at!"
           FROM example_runs WHERE (article_id, example, python) > (?1, ?2, ?3) ORDER BY
           article_id, example, python LIMIT ?4"#,
        article_id,
        example,
        python,
        limit
    )
    .fetch_all(conn)
    .await
}

pub async fn write_example_runs(
    conn: &mut SqliteConnection,
    rows: &[ExampleRun],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO example_runs (article_id, example, python, fingerprint, matches,
             outside_range, output, problem, ran_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            row.article_id,
            row.example,
            row.python,
            row.fingerprint,
            row.matches,
            row.outside_range,
            row.output,
            row.problem,
            row.ran_at,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
