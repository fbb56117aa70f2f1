use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::db::outbox;

/// `GET /healthz`: 200 once the database answers and the search index is open and caught up
/// with it; 503 with the reasons until then.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let mut problems = Vec::new();
    let database = match state.db.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(err) => {
            problems.push(format!("database not answering: {err}"));
            "unavailable".to_owned()
        }
    };
    let index = match state.search.health() {
        Ok(()) => "ok".to_owned(),
        Err(why) => {
            problems.push(why);
            "unavailable".to_owned()
        }
    };
    let lag = outbox::lag(&state.db.pool).await.ok();
    match lag {
        Some(0) => {}
        Some(n) => problems.push(format!(
            "the search index is {n} change(s) behind the database"
        )),
        None if database == "ok" => problems.push("cannot read the search outbox".to_owned()),
        None => {}
    }
    if problems.is_empty() {
        let body = json!({ "status": "ok", "database": database, "index": index, "index_lag": 0 });
        return (StatusCode::OK, Json(body));
    }
    tracing::warn!(?problems, "health check failed");
    let body = json!({
        "status": "unavailable",
        "database": database,
        "index": index,
        "index_lag": lag,
        "problems": problems,
    });
    (StatusCode::SERVICE_UNAVAILABLE, Json(body))
}
