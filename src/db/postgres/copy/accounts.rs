//! The PostgreSQL side of [`crate::db::copy::accounts`].

use sqlx::PgConnection;

use crate::db::copy::accounts::{Autosave, PendingChange, Session, User};

pub async fn read_users(
    conn: &mut PgConnection,
    after: Option<&User>,
    limit: i64,
) -> sqlx::Result<Vec<User>> {
    let id = after.map_or(i64::MIN, |row| row.id);
    sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", username AS "username!", password_hash AS "password_hash!", role AS
           "role!", disabled AS "disabled!: bool", created_at AS "created_at!", can_publish AS
           "can_publish!: bool" FROM users WHERE id > $1 ORDER BY id LIMIT $2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_users(conn: &mut PgConnection, rows: &[User]) -> sqlx::Result<()> {
    let id: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let username: Vec<String> = rows.iter().map(|row| row.username.clone()).collect();
    let password_hash: Vec<String> = rows.iter().map(|row| row.password_hash.clone()).collect();
    let role: Vec<String> = rows.iter().map(|row| row.role.clone()).collect();
    let disabled: Vec<bool> = rows.iter().map(|row| row.disabled).collect();
    let created_at: Vec<i64> = rows.iter().map(|row| row.created_at).collect();
    let can_publish: Vec<bool> = rows.iter().map(|row| row.can_publish).collect();
    sqlx::query!(
        "INSERT INTO users (id, username, password_hash, role, disabled, created_at, can_publish)
         SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], $5::bool[],
         $6::int8[], $7::bool[])",
        &id,
        &username,
        &password_hash,
        &role,
        &disabled,
        &created_at,
        &can_publish,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_sessions(
    conn: &mut PgConnection,
    after: Option<&Session>,
    limit: i64,
) -> sqlx::Result<Vec<Session>> {
    let id = after.map_or_else(String::new, |row| row.id.clone());
    sqlx::query_as!(
        Session,
        r#"SELECT id AS "id!", user_id AS "user_id!", csrf_token AS "csrf_token!", created_at AS
           "created_at!", last_seen_at AS "last_seen_at!" FROM sessions WHERE id > $1 ORDER BY id
           LIMIT $2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_sessions(conn: &mut PgConnection, rows: &[Session]) -> sqlx::Result<()> {
    let id: Vec<String> = rows.iter().map(|row| row.id.clone()).collect();
    let user_id: Vec<i64> = rows.iter().map(|row| row.user_id).collect();
    let csrf_token: Vec<String> = rows.iter().map(|row| row.csrf_token.clone()).collect();
    let created_at: Vec<i64> = rows.iter().map(|row| row.created_at).collect();
    let last_seen_at: Vec<i64> = rows.iter().map(|row| row.last_seen_at).collect();
    sqlx::query!(
        "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at) SELECT * FROM
         UNNEST($1::text[], $2::int8[], $3::text[], $4::int8[], $5::int8[])",
        &id,
        &user_id,
        &csrf_token,
        &created_at,
        &last_seen_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_autosaves(
    conn: &mut PgConnection,
    after: Option<&Autosave>,
    limit: i64,
) -> sqlx::Result<Vec<Autosave>> {
    let user_id = after.map_or(i64::MIN, |row| row.user_id);
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    sqlx::query_as!(
        Autosave,
        r#"SELECT user_id AS "user_id!", article_id AS "article_id!", fields AS "fields!", saved_at
           AS "saved_at!" FROM autosaves WHERE (user_id, article_id) > ($1, $2) ORDER BY user_id,
           article_id LIMIT $3"#,
        user_id,
        article_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_autosaves(conn: &mut PgConnection, rows: &[Autosave]) -> sqlx::Result<()> {
    let user_id: Vec<i64> = rows.iter().map(|row| row.user_id).collect();
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let fields: Vec<String> = rows.iter().map(|row| row.fields.clone()).collect();
    let saved_at: Vec<i64> = rows.iter().map(|row| row.saved_at).collect();
    sqlx::query!(
        "INSERT INTO autosaves (user_id, article_id, fields, saved_at) SELECT * FROM
         UNNEST($1::int8[], $2::int8[], $3::text[], $4::int8[])",
        &user_id,
        &article_id,
        &fields,
        &saved_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_pending_changes(
    conn: &mut PgConnection,
    after: Option<&PendingChange>,
    limit: i64,
) -> sqlx::Result<Vec<PendingChange>> {
    let article_id = after.map_or(i64::MIN, |row| row.article_id);
    sqlx::query_as!(
        PendingChange,
        r#"SELECT article_id AS "article_id!", base_version AS "base_version!", draft AS "draft!",
           note AS "note!", submitted_by AS "submitted_by?", submitted_at AS "submitted_at!",
           returned_by AS "returned_by?", returned_at AS "returned_at?", return_note AS
           "return_note!" FROM pending_changes WHERE article_id > $1 ORDER BY article_id LIMIT $2"#,
        article_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
/// (sqlx's check knows arrays without NULLs only: a column that may hold one is passed
/// `as &[Option<_>]`, which PostgreSQL receives as an array with NULLs.)
pub async fn write_pending_changes(
    conn: &mut PgConnection,
    rows: &[PendingChange],
) -> sqlx::Result<()> {
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let base_version: Vec<i64> = rows.iter().map(|row| row.base_version).collect();
    let draft: Vec<String> = rows.iter().map(|row| row.draft.clone()).collect();
    let note: Vec<String> = rows.iter().map(|row| row.note.clone()).collect();
    let submitted_by: Vec<Option<i64>> = rows.iter().map(|row| row.submitted_by).collect();
    let submitted_at: Vec<i64> = rows.iter().map(|row| row.submitted_at).collect();
    let returned_by: Vec<Option<i64>> = rows.iter().map(|row| row.returned_by).collect();
    let returned_at: Vec<Option<i64>> = rows.iter().map(|row| row.returned_at).collect();
    let return_note: Vec<String> = rows.iter().map(|row| row.return_note.clone()).collect();
    sqlx::query!(
        "INSERT INTO pending_changes (article_id, base_version, draft, note, submitted_by,
         submitted_at, returned_by, returned_at, return_note) SELECT * FROM UNNEST($1::int8[],
         $2::int8[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::int8[],
         $9::text[])",
        &article_id,
        &base_version,
        &draft,
        &note,
        &submitted_by as &[Option<i64>],
        &submitted_at,
        &returned_by as &[Option<i64>],
        &returned_at as &[Option<i64>],
        &return_note,
    )
    .execute(conn)
    .await?;
    Ok(())
}
