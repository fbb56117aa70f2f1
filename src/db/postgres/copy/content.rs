//! The PostgreSQL side of [`crate::db::copy::content`].

use sqlx::PgConnection;

use crate::db::copy::content::{
    Article, ArticleBody, ArticleTag, BodyLink, ExampleRun, RelatedLink, Revision, SlugRedirect,
    Tag, VerifyQueued,
};

pub async fn read_articles(
    conn: &mut PgConnection,
    after: Option<&Article>,
    limit: i64,
) -> sqlx::Result<Vec<Article>> {
    let id = after.map_or(i64::MIN, |row| row.id);
    sqlx::query_as!(
        Article,
        r#"SELECT id AS "id!", slug AS "slug!", title AS "title!", summary AS "summary!", kind AS
           "kind!", difficulty AS "difficulty!", status AS "status!", version AS "version!",
           created_at AS "created_at!", updated_at AS "updated_at!", updated_by AS "updated_by?",
           python AS "python!" FROM articles WHERE id > $1 ORDER BY id LIMIT $2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
/// (sqlx's check knows arrays without NULLs only: a column that may hold one is passed
/// `as &[Option<_>]`, which PostgreSQL receives as an array with NULLs.)
pub async fn write_articles(conn: &mut PgConnection, rows: &[Article]) -> sqlx::Result<()> {
    let id: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let slug: Vec<String> = rows.iter().map(|row| row.slug.clone()).collect();
    let title: Vec<String> = rows.iter().map(|row| row.title.clone()).collect();
    let summary: Vec<String> = rows.iter().map(|row| row.summary.clone()).collect();
    let kind: Vec<String> = rows.iter().map(|row| row.kind.clone()).collect();
    let difficulty: Vec<String> = rows.iter().map(|row| row.difficulty.clone()).collect();
    let status: Vec<String> = rows.iter().map(|row| row.status.clone()).collect();
    let version: Vec<i64> = rows.iter().map(|row| row.version).collect();
    let created_at: Vec<i64> = rows.iter().map(|row| row.created_at).collect();
    let updated_at: Vec<i64> = rows.iter().map(|row| row.updated_at).collect();
    let updated_by: Vec<Option<i64>> = rows.iter().map(|row| row.updated_by).collect();
    let python: Vec<String> = rows.iter().map(|row| row.python.clone()).collect();
    sqlx::query!(
        "INSERT INTO articles (id, slug, title, summary, kind, difficulty, status, version,
         created_at, updated_at, updated_by, python) SELECT * FROM UNNEST($1::int8[], $2::text[],
         $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[], $9::int8[],
         $10::int8[], $11::int8[], $12::text[])",
        &id,
        &slug,
        &title,
        &summary,
        &kind,
        &difficulty,
        &status,
        &version,
        &created_at,
        &updated_at,
        &updated_by as &[Option<i64>],
        &python,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_tags(
    conn: &mut PgConnection,
    after: Option<&Tag>,
    limit: i64,
) -> sqlx::Result<Vec<Tag>> {
    let id = after.map_or(i64::MIN, |row| row.id);
    sqlx::query_as!(
        Tag,
        r#"SELECT id AS "id!", name AS "name!" FROM tags WHERE id > $1 ORDER BY id LIMIT $2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_tags(conn: &mut PgConnection, rows: &[Tag]) -> sqlx::Result<()> {
    let id: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let name: Vec<String> = rows.iter().map(|row| row.name.clone()).collect();
    sqlx::query!(
        "INSERT INTO tags (id, name) SELECT * FROM UNNEST($1::int8[], $2::text[])",
        &id,
        &name,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_article_tags(
    conn: &mut PgConnection,
    after: Option<&ArticleTag>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleTag>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    let tag_id = after.map_or(i64::MIN, |row| row.tag_id);
    sqlx::query_as!(
        ArticleTag,
        r#"SELECT article_id AS "article_id!", tag_id AS "tag_id!", position AS "position!",
           neighbour AS "neighbour!", sort_level AS "sort_level!", sort_title AS "sort_title!",
           listed AS "listed!" FROM article_tags WHERE (article_id, tag_id) > ($1, $2) ORDER BY
           article_id, tag_id LIMIT $3"#,
        article_id,
        tag_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_article_tags(conn: &mut PgConnection, rows: &[ArticleTag]) -> sqlx::Result<()> {
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let tag_id: Vec<i64> = rows.iter().map(|row| row.tag_id).collect();
    let position: Vec<i64> = rows.iter().map(|row| row.position).collect();
    let neighbour: Vec<i64> = rows.iter().map(|row| row.neighbour).collect();
    let sort_level: Vec<i64> = rows.iter().map(|row| row.sort_level).collect();
    let sort_title: Vec<String> = rows.iter().map(|row| row.sort_title.clone()).collect();
    let listed: Vec<i64> = rows.iter().map(|row| row.listed).collect();
    sqlx::query!(
        "INSERT INTO article_tags (article_id, tag_id, position, neighbour, sort_level,
         sort_title, listed) SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::int8[],
         $5::int8[], $6::text[], $7::int8[])",
        &article_id,
        &tag_id,
        &position,
        &neighbour,
        &sort_level,
        &sort_title,
        &listed,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_related_links(
    conn: &mut PgConnection,
    after: Option<&RelatedLink>,
    limit: i64,
) -> sqlx::Result<Vec<RelatedLink>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    let target_id = after.map_or(i64::MIN, |row| row.target_id);
    sqlx::query_as!(
        RelatedLink,
        r#"SELECT article_id AS "article_id!", target_id AS "target_id!", position AS "position!"
           FROM related_links WHERE (article_id, target_id) > ($1, $2) ORDER BY article_id,
           target_id LIMIT $3"#,
        article_id,
        target_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_related_links(
    conn: &mut PgConnection,
    rows: &[RelatedLink],
) -> sqlx::Result<()> {
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let target_id: Vec<i64> = rows.iter().map(|row| row.target_id).collect();
    let position: Vec<i64> = rows.iter().map(|row| row.position).collect();
    sqlx::query!(
        "INSERT INTO related_links (article_id, target_id, position) SELECT * FROM
         UNNEST($1::int8[], $2::int8[], $3::int8[])",
        &article_id,
        &target_id,
        &position,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_article_bodies(
    conn: &mut PgConnection,
    after: Option<&ArticleBody>,
    limit: i64,
) -> sqlx::Result<Vec<ArticleBody>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    sqlx::query_as!(
        ArticleBody,
        r#"SELECT article_id AS "article_id!", headings AS "headings!", links AS "links!",
           answer_json AS "answer_json!", body_html AS "body_html!", body AS "body!" FROM
           article_bodies WHERE article_id > $1 ORDER BY article_id LIMIT $2"#,
        article_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_article_bodies(
    conn: &mut PgConnection,
    rows: &[ArticleBody],
) -> sqlx::Result<()> {
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let headings: Vec<String> = rows.iter().map(|row| row.headings.clone()).collect();
    let links: Vec<String> = rows.iter().map(|row| row.links.clone()).collect();
    let answer_json: Vec<String> = rows.iter().map(|row| row.answer_json.clone()).collect();
    let body_html: Vec<String> = rows.iter().map(|row| row.body_html.clone()).collect();
    let body: Vec<String> = rows.iter().map(|row| row.body.clone()).collect();
    sqlx::query!(
        "INSERT INTO article_bodies (article_id, headings, links, answer_json, body_html, body)
         SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[],
         $6::text[])",
        &article_id,
        &headings,
        &links,
        &answer_json,
        &body_html,
        &body,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_body_links(
    conn: &mut PgConnection,
    after: Option<&BodyLink>,
    limit: i64,
) -> sqlx::Result<Vec<BodyLink>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    let slug = after.map_or_else(String::new, |row| row.slug.clone());
    sqlx::query_as!(
        BodyLink,
        r#"SELECT article_id AS "article_id!", slug AS "slug!" FROM body_links WHERE (article_id,
           slug) > ($1, $2) ORDER BY article_id, slug LIMIT $3"#,
        article_id,
        slug,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_body_links(conn: &mut PgConnection, rows: &[BodyLink]) -> sqlx::Result<()> {
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let slug: Vec<String> = rows.iter().map(|row| row.slug.clone()).collect();
    sqlx::query!(
        "INSERT INTO body_links (article_id, slug) SELECT * FROM UNNEST($1::int8[], $2::text[])",
        &article_id,
        &slug,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_revisions(
    conn: &mut PgConnection,
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
           published_by AS "published_by?" FROM revisions WHERE id > $1 ORDER BY id LIMIT $2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
/// (sqlx's check knows arrays without NULLs only: a column that may hold one is passed
/// `as &[Option<_>]`, which PostgreSQL receives as an array with NULLs.)
pub async fn write_revisions(conn: &mut PgConnection, rows: &[Revision]) -> sqlx::Result<()> {
    let id: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let version: Vec<i64> = rows.iter().map(|row| row.version).collect();
    let slug: Vec<String> = rows.iter().map(|row| row.slug.clone()).collect();
    let title: Vec<String> = rows.iter().map(|row| row.title.clone()).collect();
    let summary: Vec<String> = rows.iter().map(|row| row.summary.clone()).collect();
    let body: Vec<String> = rows.iter().map(|row| row.body.clone()).collect();
    let kind: Vec<String> = rows.iter().map(|row| row.kind.clone()).collect();
    let difficulty: Vec<String> = rows.iter().map(|row| row.difficulty.clone()).collect();
    let status: Vec<String> = rows.iter().map(|row| row.status.clone()).collect();
    let tags: Vec<String> = rows.iter().map(|row| row.tags.clone()).collect();
    let related: Vec<String> = rows.iter().map(|row| row.related.clone()).collect();
    let author_id: Vec<Option<i64>> = rows.iter().map(|row| row.author_id).collect();
    let created_at: Vec<i64> = rows.iter().map(|row| row.created_at).collect();
    let python: Vec<String> = rows.iter().map(|row| row.python.clone()).collect();
    let note: Vec<String> = rows.iter().map(|row| row.note.clone()).collect();
    let published_by: Vec<Option<i64>> = rows.iter().map(|row| row.published_by).collect();
    sqlx::query!(
        "INSERT INTO revisions (id, article_id, version, slug, title, summary, body, kind,
         difficulty, status, tags, related, author_id, created_at, python, note, published_by)
         SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::text[],
         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
         $13::int8[], $14::int8[], $15::text[], $16::text[], $17::int8[])",
        &id,
        &article_id,
        &version,
        &slug,
        &title,
        &summary,
        &body,
        &kind,
        &difficulty,
        &status,
        &tags,
        &related,
        &author_id as &[Option<i64>],
        &created_at,
        &python,
        &note,
        &published_by as &[Option<i64>],
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_slug_redirects(
    conn: &mut PgConnection,
    after: Option<&SlugRedirect>,
    limit: i64,
) -> sqlx::Result<Vec<SlugRedirect>> {
    let old_slug = after.map_or_else(String::new, |row| row.old_slug.clone());
    sqlx::query_as!(
        SlugRedirect,
        r#"SELECT old_slug AS "old_slug!", article_id AS "article_id!", created_at AS "created_at!"
           FROM slug_redirects WHERE old_slug > $1 ORDER BY old_slug LIMIT $2"#,
        old_slug,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_slug_redirects(
    conn: &mut PgConnection,
    rows: &[SlugRedirect],
) -> sqlx::Result<()> {
    let old_slug: Vec<String> = rows.iter().map(|row| row.old_slug.clone()).collect();
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let created_at: Vec<i64> = rows.iter().map(|row| row.created_at).collect();
    sqlx::query!(
        "INSERT INTO slug_redirects (old_slug, article_id, created_at) SELECT * FROM
         UNNEST($1::text[], $2::int8[], $3::int8[])",
        &old_slug,
        &article_id,
        &created_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_verify_queue(
    conn: &mut PgConnection,
    after: Option<&VerifyQueued>,
    limit: i64,
) -> sqlx::Result<Vec<VerifyQueued>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    sqlx::query_as!(
        VerifyQueued,
        r#"SELECT article_id AS "article_id!", queued_at AS "queued_at!", generation AS
           "generation!" FROM verify_queue WHERE article_id > $1 ORDER BY article_id LIMIT $2"#,
        article_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_verify_queue(
    conn: &mut PgConnection,
    rows: &[VerifyQueued],
) -> sqlx::Result<()> {
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let queued_at: Vec<i64> = rows.iter().map(|row| row.queued_at).collect();
    let generation: Vec<i64> = rows.iter().map(|row| row.generation).collect();
    sqlx::query!(
        "INSERT INTO verify_queue (article_id, queued_at, generation) SELECT * FROM
         UNNEST($1::int8[], $2::int8[], $3::int8[])",
        &article_id,
        &queued_at,
        &generation,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_example_runs(
    conn: &mut PgConnection,
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
           FROM example_runs WHERE (article_id, example, python) > ($1, $2, $3) ORDER BY
           article_id, example, python LIMIT $4"#,
        article_id,
        example,
        python,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
/// (sqlx's check knows arrays without NULLs only: a column that may hold one is passed
/// `as &[Option<_>]`, which PostgreSQL receives as an array with NULLs.)
pub async fn write_example_runs(conn: &mut PgConnection, rows: &[ExampleRun]) -> sqlx::Result<()> {
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let example: Vec<i64> = rows.iter().map(|row| row.example).collect();
    let python: Vec<String> = rows.iter().map(|row| row.python.clone()).collect();
    let fingerprint: Vec<String> = rows.iter().map(|row| row.fingerprint.clone()).collect();
    let matches: Vec<bool> = rows.iter().map(|row| row.matches).collect();
    let outside_range: Vec<bool> = rows.iter().map(|row| row.outside_range).collect();
    let output: Vec<String> = rows.iter().map(|row| row.output.clone()).collect();
    let problem: Vec<Option<String>> = rows.iter().map(|row| row.problem.clone()).collect();
    let ran_at: Vec<i64> = rows.iter().map(|row| row.ran_at).collect();
    sqlx::query!(
        "INSERT INTO example_runs (article_id, example, python, fingerprint, matches,
         outside_range, output, problem, ran_at) SELECT * FROM UNNEST($1::int8[], $2::int8[],
         $3::text[], $4::text[], $5::bool[], $6::bool[], $7::text[], $8::text[], $9::int8[])",
        &article_id,
        &example,
        &python,
        &fingerprint,
        &matches,
        &outside_range,
        &output,
        &problem as &[Option<String>],
        &ran_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}
