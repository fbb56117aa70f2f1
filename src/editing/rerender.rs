//! Bodies are rendered to HTML when they are saved. When the renderer changes (a new
//! `RENDER_VERSION`), start-up renders every stored body again, in one transaction, so pages
//! never mix old and new markup.

use crate::db::{Db, articles, settings};
use crate::render::{RENDER_VERSION, render_body_pooled};

const SETTING: &str = "render_version";

/// Records that every stored body was rendered by this renderer: for a writer that rendered
/// all of them itself (an import into an empty database), so the next start renders nothing.
pub async fn record_current_renderer(conn: &mut crate::db::Conn) -> sqlx::Result<()> {
    settings::set(conn, SETTING, &RENDER_VERSION.to_string()).await
}

/// Renders every body again if the stored HTML came from another renderer version; returns
/// how many were rendered.
pub async fn rerender_if_stale(db: &Db) -> anyhow::Result<usize> {
    let mut tx = db.pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = RENDER_VERSION.to_string();
    if settings::get(&mut tx, SETTING).await?.as_deref() == Some(current.as_str()) {
        return Ok(0);
    }
    let bodies = articles::all_bodies(&mut tx).await?;
    for (id, body) in &bodies {
        let rendered = render_body_pooled(body.clone()).await?;
        articles::set_rendered(&mut tx, *id, &rendered).await?;
    }
    settings::set(&mut tx, SETTING, &current).await?;
    tx.commit().await?;
    Ok(bodies.len())
}
