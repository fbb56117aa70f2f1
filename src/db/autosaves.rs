//! Unsaved form contents kept per user and article (`migrations/0011_autosaves.sql`): what
//! `routes::admin::autosave` stores and the editor's page offers back. Article 0 is the
//! new-article form.

use crate::db::Db;

crate::db::store::dispatch! { autosaves;
    /// Keeps (or replaces) what `user_id` typed in the form of `article_id`.
    pub async fn put(db: &Db, user_id: i64, article_id: i64, fields: &str, now: i64) -> sqlx::Result<()>;

    /// What `user_id` left unsaved in the form of `article_id`, and when.
    pub async fn get(db: &Db, user_id: i64, article_id: i64) -> sqlx::Result<Option<(String, i64)>>;

    pub async fn delete(db: &Db, user_id: i64, article_id: i64) -> sqlx::Result<()>;

    /// Removes what was kept longer ago than `before`; returns how many.
    pub async fn delete_older_than(db: &Db, before: i64) -> sqlx::Result<u64>;
}
