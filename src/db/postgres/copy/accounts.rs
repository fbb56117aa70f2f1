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

pub async fn write_users(conn: &mut PgConnection, rows: &[User]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO users (id, username, password_hash, role, disabled, created_at, can_publish)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            row.id,
            row.username,
            row.password_hash,
            row.role,
            row.disabled,
            row.created_at,
            row.can_publish,
        )
        .execute(&mut *conn)
        .await?;
    }
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

pub async fn write_sessions(conn: &mut PgConnection, rows: &[Session]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2,
             $3, $4, $5)",
            row.id,
            row.user_id,
            row.csrf_token,
            row.created_at,
            row.last_seen_at,
        )
        .execute(&mut *conn)
        .await?;
    }
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

pub async fn write_autosaves(conn: &mut PgConnection, rows: &[Autosave]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO autosaves (user_id, article_id, fields, saved_at) VALUES ($1, $2, $3, $4)",
            row.user_id,
            row.article_id,
            row.fields,
            row.saved_at,
        )
        .execute(&mut *conn)
        .await?;
    }
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

pub async fn write_pending_changes(
    conn: &mut PgConnection,
    rows: &[PendingChange],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO pending_changes (article_id, base_version, draft, note, submitted_by,
             submitted_at, returned_by, returned_at, return_note) VALUES ($1, $2, $3, $4, $5, $6, $7,
             $8, $9)",
            row.article_id,
            row.base_version,
            row.draft,
            row.note,
            row.submitted_by,
            row.submitted_at,
            row.returned_by,
            row.returned_at,
            row.return_note,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
